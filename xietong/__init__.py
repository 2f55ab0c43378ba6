"""xietong 协同: software for a city's synergistic reduction of pollution and carbon emissions."""

__version__ = "0.1.0"
