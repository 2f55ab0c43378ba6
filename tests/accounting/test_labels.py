"""The display names of the codes the pages show: every subsector, technology and control
code of the shipped data and every factor edition has a Chinese and an English name."""

from __future__ import annotations

import glob

import pandas as pd

from xietong.accounting.activity import code_labels
from xietong.accounting.factors import edition_titles
from xietong.scenarios.scenario import load_drivers, load_scenario, shipped_scenarios
from xietong.synergy.measures import load_measures


def test_every_code_of_the_shipped_activity_data_has_a_name() -> None:
    labels = code_labels()
    for f in glob.glob("xietong/data/cities/*/*.csv"):
        frame = pd.read_csv(f, dtype=str)
        for kind in ("subsector", "technology", "control"):
            if kind in frame:
                missing = set(frame[kind].dropna()) - set(labels[kind])
                assert missing == set(), (f, kind, missing)
    for kind in labels.values():
        for zh, en in kind.values():
            assert en and any("\u4e00" <= c <= "\u9fff" for c in zh), (zh, en)


def test_every_factor_edition_has_a_title() -> None:
    titles = edition_titles()
    for f in glob.glob("xietong/data/factors/*.csv"):
        frame = pd.read_csv(f, dtype=str)
        editions = set(frame["edition"].dropna()) if "edition" in frame else set()
        assert editions <= set(titles), (f, editions - set(titles))
    assert all(zh and en for zh, en in titles.values())


def test_every_shipped_basis_is_given_in_chinese() -> None:
    """The shipped scenarios, drivers and measures say every basis in Chinese too, so that
    no Chinese page shows an English basis."""
    for sid in shipped_scenarios():
        s = load_scenario(sid)
        assert s.description_zh or not s.description, sid
        assert all(lv.basis_zh for lv in s.levers if lv.basis), sid
    drivers = load_drivers()
    assert all(drivers.basis_zh[name] for name, basis in drivers.basis.items() if basis)
    ms = load_measures()
    assert ms.co_benefit_basis_zh
    assert all(m.basis_zh and (m.cost_basis_zh or not m.cost_basis) for m in ms.measures)
