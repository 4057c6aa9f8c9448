"""``python3 -m benchmark --db DB --addons-path PATHS [options]`` (see cli.py)."""

import sys

from .cli import run

sys.exit(run())
