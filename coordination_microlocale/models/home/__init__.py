from . import coordination_home_tile
