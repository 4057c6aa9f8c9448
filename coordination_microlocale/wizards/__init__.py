from . import coordination_consent_wizard
from . import coordination_project_close_wizard
from . import coordination_evaluation_export
from . import coordination_personal_data_export
from . import coordination_calendar_feed_wizard
from . import coordination_register_strike_wizard
from . import coordination_register_campaign_wizard
from . import coordination_register_import
