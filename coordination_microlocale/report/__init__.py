from . import coordination_evaluation_report
from . import report_session_minutes
from . import report_personal_data
from . import coordination_evaluation_statistic
