"""How much one request may ask of the scenario engine (constants only, so that the command
line reads them without loading the engine)."""

MAX_DRAWS = 10_000
"""The most Monte Carlo draws one request may ask for."""

SOBOL_N = (64, 128, 256, 512, 1024)
"""Base sample sizes of the Sobol analysis (powers of two, as Saltelli sampling wants)."""
