from . import coordination_evaluation_figures
from . import coordination_evaluation_report
from . import coordination_evaluation_statistic
