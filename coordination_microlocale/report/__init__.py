from . import report_session_minutes
