"""The Solara front end of hsmobility (``hsmobility app``).

Pages (``hsmobility.app.pages``):

- **Compare**: a setting, a climate pathway and two to four regimes; the ensemble runs in the
  background on the experiment runner (the same ``hsmobility compare``), with progress and cancel;
  small multiples with 5-95 % bands per regime, the paired differences against a chosen baseline,
  downloads (CSV, PNG).
- **Regime builder**: every lever parameter of ``hsmobility.config.levers`` as a control, checked
  as you type by the functions the CLI uses; saved as a regime file the CLI accepts.
- **Results**: the experiment and comparison folders under ``--results``, their tables and figures.

Each browser session has its own state; the server binds to 127.0.0.1 unless told otherwise and
serves every asset from a folder of the project (``.solara-cdn/``, ``make app-assets``), so it
works with no internet. This module imports no Solara: ``hsmobility app`` starts the server
through :func:`hsmobility.app.server.serve`.
"""
