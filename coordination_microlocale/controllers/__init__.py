from . import calendar_feed
from . import portal
