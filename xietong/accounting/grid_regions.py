"""The grid regions of purchased electricity a Wuhan inventory offers, and the default.

Kept free of heavy imports: the command line names the default in its options.
"""

from __future__ import annotations

DEFAULT_GRID_REGION = "hubei"
"""The grid factor of purchased electricity a city inventory uses unless told otherwise: its
province's (湖北, MEE/NBS), the regional grid's (华中, ``central_china``) being the alternative
(省级温室气体清单编制指南 counts a province's electricity by its own grid's factor)."""

REGIONS = ("hubei", "central_china", "national")
"""The province's factor (default), the regional grid's (华中) and the national average."""
