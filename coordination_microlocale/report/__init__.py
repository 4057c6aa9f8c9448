from . import coordination_evaluation_report
from . import report_session_minutes
