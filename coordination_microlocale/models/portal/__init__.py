from . import portal_wizard
from . import coordination_individual_project
