from . import calendar_feed
