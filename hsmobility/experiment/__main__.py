"""``python -m hsmobility.experiment experiment|compare|analyse ...``."""

from hsmobility.experiment.cli import main

raise SystemExit(main())
