"""Synergy of pollution and carbon reduction (减污降碳协同): co-control coordinates and
elasticity, air-pollutant equivalents, coupling coordination, the synergy index, LMDI
decomposition and measure-level co-benefits. Pure functions over numbers and tidy tables."""
