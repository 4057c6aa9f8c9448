from . import coordination_individual_project
from . import coordination_consent
from . import coordination_circle_member
from . import coordination_project_need
from . import coordination_project_goal
from . import coordination_project_action
from . import coordination_hospital_stay
