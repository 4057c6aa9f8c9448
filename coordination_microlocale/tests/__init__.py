from . import test_identifiers
from . import test_directory
from . import test_request
from . import test_project
from . import test_access
from . import test_demo
from . import test_performance
from . import test_ui
