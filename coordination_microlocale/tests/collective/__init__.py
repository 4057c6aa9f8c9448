from . import test_collective
from . import test_alert
from . import test_collective_access
