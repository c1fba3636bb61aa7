"""``python -m hsmobility``: the command line (how the app starts a comparison)."""

import os
import signal

# A comparison the app starts (hsmobility.app.jobs) must stop on its cancel even when the app was
# started with SIGINT ignored. Restored here, before the imports, and not only in the command
# (runner.interruptible_if_asked): on a busy machine the imports take seconds of nice-19 time,
# and a cancel sent meanwhile was lost and the comparison ran to its end (CI, twelfth session).
if os.environ.get("HSMOBILITY_INTERRUPTIBLE") == "1":  # runner.INTERRUPTIBLE_ENV
    signal.signal(signal.SIGINT, signal.default_int_handler)

try:
    from hsmobility.cli import main
except KeyboardInterrupt:  # cancelled while starting: nothing was written yet
    raise SystemExit(130) from None

raise SystemExit(main())
