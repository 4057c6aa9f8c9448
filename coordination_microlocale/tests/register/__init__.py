from . import test_register
from . import test_register_files
from . import test_register_http
from . import test_register_ui
from . import test_register_demo
