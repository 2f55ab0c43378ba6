"""Sector methods of the inventory, one module per sector, and the registry of activity
methods (the ``method`` column of ``data/accounting/activities.csv`` names one of them)."""

from __future__ import annotations

from collections.abc import Callable

from xietong.accounting.activity import Activity
from xietong.accounting.methods import (
    agriculture,
    area_sources,
    energy,
    forestry,
    fugitive,
    indirect,
    processes,
    steel,
    transport,
    waste,
    wastewater,
)
from xietong.accounting.methods.base import Context, Emission

Method = Callable[[Activity, Context], list[Emission]]

METHODS: dict[str, Method] = {
    "fuel_combustion": energy.fuel_combustion,
    "flue_gas_monitoring": energy.flue_gas_monitoring,
    "purchased_electricity": indirect.purchased_electricity,
    "purchased_heat": indirect.purchased_heat,
    "cement_clinker": processes.cement_clinker,
    "lime": processes.lime,
    "iron_steel": steel.crude_steel,
    "steel_reductant": steel.steel_reductant,
    "glass": processes.glass,
    "petrochemical": processes.petrochemical,
    "fgas_use": processes.fgas_use,
    "solvent_use": processes.solvent_use,
    "road_distance": transport.road_distance,
    "rice_ch4": agriculture.rice_ch4,
    "fertiliser": agriculture.fertiliser,
    "livestock": agriculture.livestock,
    "incineration": waste.incineration,
    "composting": waste.composting,
    "wastewater_treatment": wastewater.wastewater_treatment,
    "untreated_sewage": wastewater.untreated_sewage,
    "forest_stock": forestry.forest_stock,
    "afforestation": forestry.afforestation,
    "oil_refining": fugitive.oil_refining,
    "gas_distribution": fugitive.gas_distribution,
    "electronics_fgas": processes.electronics_fgas,
    "refrigerant_bank": processes.refrigerant_bank,
    "residue_burning": agriculture.residue_burning,
    "oil_distribution": fugitive.oil_distribution,
    "construction_dust": area_sources.construction_dust,
    "road_dust": area_sources.road_dust,
    "cooking_fumes": area_sources.cooking_fumes,
    "aquaculture": agriculture.aquaculture,
    "rural_domestic_sewage": wastewater.rural_domestic_sewage,
    "sludge_treatment": waste.sludge_treatment,
    "flooded_land": forestry.flooded_land,
}
"""Methods that compute one activity row at a time."""

SERIES_METHODS = {"landfill_fod": waste.landfill_fod}
"""Methods that need the whole series of years (first-order decay)."""

EXPECTED: dict[str, tuple[str, ...]] = {
    "fuel_combustion": ("CO2", "CH4", "N2O", "SO2", "NOx", "PM10", "PM2.5", "CO", "VOCs"),
    "road_distance": ("CO2", "NOx", "PM10", "PM2.5", "CO", "VOCs"),
    "cement_clinker": ("CO2", "NOx", "SO2", "PM10", "PM2.5"),
    "iron_steel": ("CO2", "SO2", "NOx", "PM10", "PM2.5", "CO"),
    "petrochemical": ("CO2", "CH4", "VOCs"),
    "fertiliser": ("N2O", "NH3"),
    "livestock": ("CH4", "N2O", "NH3"),
    "incineration": ("CO2", "CH4", "N2O", "NOx", "SO2", "PM10", "PM2.5"),
    "gas_distribution": ("CH4", "CO2", "VOCs"),
    "oil_refining": ("CH4", "VOCs"),
    "cooking_fumes": ("PM2.5", "PM10", "VOCs"),
    "aquaculture": ("COD", "NH3-N"),
    "rural_domestic_sewage": ("COD", "NH3-N"),
    "residue_burning": ("CH4", "N2O", "CO", "NOx", "SO2", "PM10", "PM2.5", "VOCs", "NH3"),
}
"""Substances a method is expected to give; a missing one is reported as a gap of the build."""

__all__ = ["EXPECTED", "METHODS", "SERIES_METHODS", "Context", "Emission", "Method"]
