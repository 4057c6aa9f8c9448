from . import privacy
from . import directory
from . import request
from . import individual
from . import session
from . import collective
from . import evaluation
from . import register
