from . import coordination_territory
from . import coordination_register_entry
from . import coordination_register_campaign
from . import coordination_alert
from . import coordination_register_export
