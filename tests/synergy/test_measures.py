"""Measure-level co-benefits: a hand-worked measure, the MAC curve, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.accounting.factors import FactorLibrary
from xietong.synergy.coordinates import Quadrant
from xietong.synergy.measures import MeasureError, effects, load_measures, mac_curve

DATA = Path(__file__).parent / "data"
LIB = FactorLibrary.load(Path(__file__).parents[1] / "accounting" / "data")


def test_fertiliser_measure_by_hand() -> None:
    """1,000 t N less (test factors): N2O 1000 × (0.01 + 0.1 × 0.01 + 0.3 × 0.0075) × 44/28 =
    20.82143 t × GWP AR5 265 = 5,517.68 t CO2e; NH3 1000 × 0.2 × 17/14 = 242.857 t → APeq
    242.857 × 0.95/9.09 = 25.381 t; cost 1,000,000 CNY → 181.24 CNY/t CO2e. Co-benefit: the
    environmental tax avoided on the NH3, 242,857 kg / 9.09 kg per equivalent (环境保护税法
    附表二) = 26,716.96 equivalents × 1.2 CNY (Hubei, air pollutants other than SO2 and NOx) =
    32,060.35 CNY/yr (N2O is not taxable); net 967,939.65 CNY → 175.43 CNY/t CO2e."""
    e = effects(load_measures(DATA / "measures.yaml"), LIB, city_totals=(1e6, 1e4))[0]
    n2o = 1000 * (0.01 + 0.1 * 0.01 + 0.3 * 0.0075) * 44 / 28
    assert e.reduction["N2O"] == pytest.approx(n2o)
    assert e.co2e_reduction == pytest.approx(n2o * 265)
    assert e.apeq_reduction == pytest.approx(1000 * 0.2 * 17 / 14 * 0.95 / 9.09)
    assert e.cost_per_t_co2e == pytest.approx(1_000_000 / (n2o * 265))
    assert e.co_benefit_cny == pytest.approx(242_857.142857 / 9.09 * 1.2, rel=1e-9)
    assert e.co_benefit_cny == pytest.approx(32_060.35, abs=0.01)
    assert e.net_cost_per_t_co2e == pytest.approx(175.43, abs=0.01)
    assert e.coordinates is not None and e.coordinates.quadrant is Quadrant.SYNERGY


def test_indirect_emissions_count_against_the_measure() -> None:
    """1,000 t coal → 2,000 MWh: direct CO2 falls 2,071.51 t, indirect rises 2,000 × 0.4364
    (湖北, the default) = 872.8 t: net CO2 cut 1,198.7 t (plus CH4/N2O of the coal); with the
    华中 factor 2,000 × 0.5395 = 1,079 t."""
    e = effects(load_measures(DATA / "measures.yaml"), LIB)[1]
    assert e.reduction["CO2"] == pytest.approx(2071.509255)
    assert e.co2e_reduction == pytest.approx(
        2071.509255 - 872.8 + 0.23204 * 28 + 0.034806 * 265, rel=1e-6
    )
    cc = effects(load_measures(DATA / "measures.yaml"), LIB, grid_region="central_china")[1]
    assert cc.co2e_reduction == pytest.approx(
        2071.509255 - 1079.0 + 0.23204 * 28 + 0.034806 * 265, rel=1e-6
    )


def test_mac_curve_is_sorted_and_cumulative() -> None:
    items = effects(load_measures(DATA / "measures.yaml"), LIB)
    curve = mac_curve(items)
    assert [s.measure_id for s in curve] == ["coal-to-power", "less-fertiliser"]
    assert curve[1].start == pytest.approx(curve[0].width)
    assert curve[0].height < 0 < curve[1].height


def test_shipped_measures_compute() -> None:
    items = effects()
    assert len(items) >= 8
    ids = {e.measure.id for e in items}
    assert {"coal-to-gas-industry", "rooftop-pv", "new-energy-buses", "steel-ule"} <= ids
    steel = next(e for e in items if e.measure.id == "steel-ule")
    # the ULE bundle's electricity and the limestone of the extra SO2 removed add some CO2
    assert steel.apeq_reduction > 0 and steel.co2e_reduction < 0
    denox = next(e for e in items if e.measure.id == "incinerator-denox")
    assert denox.apeq_reduction > 0 and denox.co2e_reduction < 0


def test_bad_file_names_the_measure(tmp_path: Path) -> None:
    bad = (
        (DATA / "measures.yaml").read_text(encoding="utf-8").replace("n_fertiliser", "unobtainium")
    )
    f = tmp_path / "m.yaml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(MeasureError, match="less-fertiliser"):
        load_measures(f)
