from . import coordination_request
