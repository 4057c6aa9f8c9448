from . import report_session_minutes
from . import report_personal_data
