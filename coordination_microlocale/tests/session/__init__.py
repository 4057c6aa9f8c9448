from . import test_session
from . import test_calendar_feed
