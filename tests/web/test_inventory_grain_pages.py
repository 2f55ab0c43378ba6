"""Rows of an enterprise and a month show their entity and period on the rows page, on the
trace page and in the API, and roll up by entity and by period."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SMALL_ACTIVITY
from tests.signin import token_client
from xietong.service.platform import Platform

CODE = "91420100MA4K000001"


@pytest.fixture
def grain_client(inventory_platform: Platform, tmp_path: Path) -> TestClient:
    lines = SMALL_ACTIVITY.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",entity,period"]
    out += [line + ",," for line in lines[1:]]
    first = lines[1]
    out += [first.replace("12,wan * t", "1,wan * t") + f",{CODE},2020-{m:02d}" for m in (1, 2)]
    path = tmp_path / "grain.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    inventory_platform.import_activity_file(path, "test")
    return token_client(inventory_platform)


def test_entity_and_period_show_and_roll_up(
    grain_client: TestClient, inventory_platform: Platform
) -> None:
    inv = inventory_platform.inventory()
    by_entity = inv.rollup(["entity", "period"], substances=["CO2"])
    mine = by_entity[by_entity["entity"] == CODE]
    assert sorted(mine["period"]) == ["2020-01", "2020-02"]
    table = inv.table()
    row_id = int(table[(table["entity"] == CODE) & (table["substance"] == "CO2")]["row_id"].iloc[0])
    # the month's CO2 is 1/12 of the year's row of 12 万t: the same template, a twelfth of it
    year_row = table[
        (table["entity"] == "")
        & (table["district"] == "qingshan")
        & (table["activity"] == "bituminous_coal")
        & (table["subsector"] == "steel")
        & (table["year"] == 2020)
    ]
    # its CO2: the fuel's and its wet FGD's limestone
    year_co2 = float(year_row[year_row["substance"] == "CO2"]["value"].sum())
    assert float(mine["value"].iloc[0]) == pytest.approx(year_co2 / 12, rel=1e-12)
    for lang, label in (("zh", "主体"), ("en", "Entity")):
        page = grain_client.get(f"/inventory/rows/{row_id}?lang={lang}")
        assert page.status_code == 200 and CODE in page.text and label in page.text
        assert "2020-0" in page.text
    rows = grain_client.get("/inventory/rows?district=qingshan")
    assert CODE in rows.text
    api = grain_client.get(f"/api/v1/inventory/rows/{row_id}").json()
    assert api["activity"]["entity"] == CODE and api["activity"]["period"].startswith("2020-0")
