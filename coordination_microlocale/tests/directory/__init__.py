from . import test_identifiers
from . import test_directory
from . import test_directory_import
