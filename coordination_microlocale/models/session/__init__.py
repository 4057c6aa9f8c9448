from . import coordination_session_type
from . import calendar_attendee
from . import calendar_event
from . import calendar_neutral_invitation
from . import coordination_calendar_feed
