"""The application services, one per domain, each beside the views it serves.

Layers run one way (``pyproject.toml``'s import-linter contracts): ``platform`` over
``scenarios`` over ``synergy`` over ``inventory`` over ``progress`` over ``accounts`` over
``base``. A lower service that must tell a higher one of a change calls a hook the higher one
overrides (``_after_progress``, ``_derive_more``). Authorisation is checked here, once, for
every interface (``accounts``). This package imports nothing itself, so that the command line
starts without loading the services it does not run.
"""
