"""The synergy degree, the co-control coordinates, the decomposition and the measures'
co-benefits, over the stored inventory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from xietong.accounting.activity import Activity
from xietong.accounting.indicators import (
    progress_from_indicators,
    quality_of,
)
from xietong.accounting.inventory import (
    Inventory,
    InventoryOptions,
)
from xietong.errors import (
    NotFound,
)
from xietong.plan.models import ValueSource
from xietong.plan.progress import (
    ProgressRecord,
    Quality,
    worst_quality,
)
from xietong.service.base import INVENTORY_CACHE
from xietong.service.inventory import DERIVED_CACHE, InventoryService
from xietong.service.synergy_views import (
    AllocatedDistricts,
    MeasureReport,
    SynergyData,
    allocated_districts,
    measure_report,
    target_frame,
)
from xietong.synergy.decomposition import Decomposition
from xietong.synergy.index import load_system
from xietong.synergy.series import observed_values, synergy_indicators


class SynergyService(InventoryService):
    """Synergy figures of the stored inventory; adds the synergy degree to the derived values."""

    def _derive_more(
        self,
        derived: dict[ValueSource, list[ProgressRecord]],
        inv: Inventory,
        acts: Sequence[Activity],
        reported: Sequence[ProgressRecord],
        *,
        evidence: str,
        demo: bool,
        stamp: dict[str, Any],
        reuse: tuple[object, ...] | None = None,
    ) -> None:
        """Add the synergy degree's values, judged on the reported and every other derived
        value (so a higher service adds its own before calling this)."""
        records = [*reported, *derived[ValueSource.INVENTORY], *derived[ValueSource.SCENARIO]]
        synergy = self._synergy_values(
            inv, records, acts, evidence=evidence, demo=demo, reuse=reuse
        )
        derived[ValueSource.INVENTORY] += [r.model_copy(update=stamp) for r in synergy]
        super()._derive_more(
            derived, inv, acts, reported, evidence=evidence, demo=demo, stamp=stamp, reuse=reuse
        )

    def _synergy_values(
        self,
        inv: Inventory,
        records: Sequence[ProgressRecord],
        acts: Sequence[Activity],
        *,
        evidence: str,
        demo: bool,
        reuse: tuple[object, ...] | None = None,
    ) -> list[ProgressRecord]:
        """Values of the synergy-degree target by year (none when the data give no synergy
        degree, e.g. no reference year); its environmental quality is read from ``records``
        (the reported values). Under ``reuse`` the indicators of the inventory and statistics
        (which do not depend on ``records``) are computed once for that key. A year's value is
        of the worst quality of its inputs, and at best ``estimate`` when an indicator of the
        system is missing that year (the degree then rests on part of the system)."""
        observed = observed_values(self.plan(), records)
        stats = self.statistics()
        computed = (
            self._once(
                self._derived,
                (*reuse, "synergy-indicators"),
                DERIVED_CACHE,
                lambda: synergy_indicators(inv, stats),
            )
            if reuse is not None
            else None
        )
        data = SynergyData(
            inv,
            stats,
            self.factor_library(),
            self.measures_file,
            observed,
            base_indicators=computed,
        )
        try:
            series = data.series()
        except NotFound:
            return []
        frame = target_frame(series)
        base = load_system().reference_year
        by_year: dict[int, set[Quality]] = {}
        for a in acts:
            by_year.setdefault(a.year, set()).add(quality_of(a.quality))
        for y, q in zip(observed["year"], observed["quality"], strict=True):
            by_year.setdefault(int(y), set()).add(Quality(q))
        partial = {int(y) for y, c in zip(series["year"], series["complete"], strict=True) if not c}
        frame["quality"] = [
            worst_quality(
                [
                    Quality.DERIVED,
                    *by_year.get(int(y), ()),
                    *by_year.get(base, ()),
                    *((Quality.ESTIMATE,) if int(y) in partial else ()),
                ]
            ).value
            for y in frame["year"]
        ]
        return progress_from_indicators(
            frame,
            self.plan(),
            evidence=f"{evidence}; synergy degree D scored against fixed references "
            "(docs/methods/synergy.md)",
            demo=demo,
        )

    def synergy_data(self, options: InventoryOptions | None = None) -> SynergyData:
        """The inventory, the statistics and the factor library the synergy figures use."""
        inv = self.inventory(options)
        return SynergyData(
            inv,
            self.statistics(),
            self.factor_library(),
            self.measures_file,
            observed_values(self.plan(), self.records()),
            self.allocated_districts(options),
        )

    def allocated_districts(
        self, options: InventoryOptions | None = None
    ) -> AllocatedDistricts | None:
        """The stored activity dataset with its city-wide rows allocated to districts by the
        city's shipped proxy shares (None when the city ships none); the allocated inventory
        is built on first use and kept per dataset and options."""
        opts = options or InventoryOptions()
        dataset = self.activity_dataset()
        if dataset is None:
            return None
        return self._once(
            self._allocated,
            (dataset.id, opts),
            INVENTORY_CACHE,
            lambda: allocated_districts(self.city, self.activities, self.factor_library(), opts),
        )

    def synergy(self, options: InventoryOptions | None = None) -> pd.DataFrame:
        """The city's synergy degree by year (columns of
        :func:`xietong.synergy.index.synergy_degree`), scored against fixed references;
        NotFound says what is missing when the data give none."""
        return self.synergy_data(options).series()

    def synergy_districts(self, year: int, options: InventoryOptions | None = None) -> pd.DataFrame:
        """Districts ranked by the synergy index in ``year``; empty when no district has its
        own inventory rows and statistics (the shipped Wuhan data)."""
        return self.synergy_data(options).districts(year)

    def synergy_coordinates(
        self,
        year0: int,
        year1: int,
        *,
        ghg: str = "CO2e",
        gwp: str = "AR5",
        options: InventoryOptions | None = None,
    ) -> list[dict[str, object]]:
        """The city on the co-control coordinates between two years: direct CO2e under
        ``gwp`` (or CO2) against SO2, NOx, PM10, VOCs, NH3 and APeq."""
        return self.synergy_data(options).coordinates(year0, year1, ghg=ghg, gwp=gwp)

    def synergy_decomposition(
        self, substance: str, year0: int, year1: int, options: InventoryOptions | None = None
    ) -> Decomposition:
        """LMDI-I drivers of the change in combustion ``substance`` between two years."""
        return self.synergy_data(options).decomposition(substance, year0, year1)

    def synergy_measures(self, options: InventoryOptions | None = None) -> MeasureReport:
        """The plan measures' effects, costs and MAC curve, placed against the city's totals
        (without activity data, not placed)."""
        try:
            inv: Inventory | None = self.inventory(options)
        except NotFound:
            inv = None
        return measure_report(self.factor_library(), inv, self.measures_file)
