from . import res_users
from . import res_partner
from . import mail_message
from . import portal_wizard
from . import coordination_individual_project
