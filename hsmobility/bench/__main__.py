"""``python -m hsmobility.bench`` (the same as ``hsmobility bench``)."""

import sys

from hsmobility.bench.measure import cli

sys.exit(cli())
