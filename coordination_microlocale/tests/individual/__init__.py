from . import test_project
from . import test_consent
from . import test_hospital_stay
