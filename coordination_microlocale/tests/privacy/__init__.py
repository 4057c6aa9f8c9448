from . import test_access
from . import test_access_policy
from . import test_http_attacks
from . import test_trail
from . import test_trail_coverage
from . import test_retention
from . import test_privacy
from . import test_auth_security
