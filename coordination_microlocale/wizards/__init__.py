from . import coordination_consent_wizard
from . import coordination_project_close_wizard
from . import coordination_evaluation_export
