"""Loading plans: the shipped Wuhan plan against its source text, error messages, other cities."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from xietong.errors import PlanError
from xietong.plan.loader import find_plan_file, load_plan, parse_plan
from xietong.plan.models import (
    Applies,
    BodyKind,
    Direction,
    DistrictKind,
    Plan,
    Target,
    ValueSource,
)
from xietong.units import convert, parse_unit

PLANS = Path(__file__).resolve().parents[2] / "xietong" / "data" / "plans"
SOURCE_TEXT = (PLANS / "wuhan-2023.source.txt").read_text(encoding="utf-8")
WUHAN_YAML = PLANS / "wuhan-2023.yaml"
OTHER_CITY = Path(__file__).resolve().parents[1] / "data" / "other-city-2024.yaml"

# -- the shipped plan: shape ------------------------------------------------------------------


def test_plan_identity(plan: Plan) -> None:
    assert plan.id == "wuhan-2023"
    assert plan.city.zh == "武汉市"
    assert plan.document_number == "武环〔2023〕55号"
    assert plan.issued == dt.date(2023, 5, 11)
    assert plan.title.zh in SOURCE_TEXT


def test_plan_has_26_measures_numbered_1_to_26(plan: Plan) -> None:
    assert len(plan.measures) == 26
    assert [m.number for m in plan.measures] == list(range(1, 27))


def test_measures_sit_in_chapters_2_to_7(plan: Plan) -> None:
    assert {m.chapter for m in plan.measures} == {2, 3, 4, 5, 6, 7}
    # chapter 1 (总体要求) holds the goals, not measures
    assert [c.number for c in plan.chapters] == [1, 2, 3, 4, 5, 6, 7]
    # measures are in chapter order: a later measure never sits in an earlier chapter
    chapters = [m.chapter for m in plan.measures]
    assert chapters == sorted(chapters)


def test_measure_chapters_follow_the_source_headings(plan: Plan) -> None:
    # chapter n's title appears in the source before its first measure's title
    for chapter in plan.chapters[1:]:
        first = min(m.number for m in plan.measures if m.chapter == chapter.number)
        assert SOURCE_TEXT.index(chapter.title.zh) < SOURCE_TEXT.index(plan.measure(first).title.zh)


def test_every_measure_has_at_least_one_action(plan: Plan) -> None:
    assert all(len(m.actions) >= 1 for m in plan.measures)


# -- verbatim from the source -----------------------------------------------------------------


def test_every_target_source_sentence_is_verbatim(plan: Plan) -> None:
    missing = [t.id for t in plan.targets if t.source_sentence not in SOURCE_TEXT]
    assert missing == []


def test_every_milestone_clause_is_verbatim(plan: Plan) -> None:
    missing = [ms.id for _, ms in plan.milestones() if ms.clause not in SOURCE_TEXT]
    assert missing == []


def test_milestone_clause_is_in_its_own_measure(plan: Plan) -> None:
    # the clause is found in the paragraph of the measure it belongs to
    for m, ms in plan.milestones():
        start = SOURCE_TEXT.index(m.title.zh)
        paragraph = SOURCE_TEXT[start : SOURCE_TEXT.find("\n", start)]
        assert ms.clause in paragraph, ms.id


def test_every_measure_title_and_action_is_verbatim(plan: Plan) -> None:
    missing = [
        (m.number, text)
        for m in plan.measures
        for text in [m.title.zh, *(a.zh for a in m.actions)]
        if text not in SOURCE_TEXT
    ]
    assert missing == []


def test_measure_title_is_numbered_in_the_source(plan: Plan) -> None:
    # the source writes measure n as "(n in Chinese numerals)title。"
    numerals = "一二三四五六七八九十"

    def chinese(n: int) -> str:
        if n <= 10:
            return numerals[n - 1]
        tens, ones = divmod(n, 10)
        head = numerals[tens - 1] if tens > 1 else ""
        return head + "十" + (numerals[ones - 1] if ones else "")

    for m in plan.measures:
        assert f"({chinese(m.number)}){m.title.zh}。" in SOURCE_TEXT, m.number


def test_actions_follow_their_title_in_the_source(plan: Plan) -> None:
    # each action is found in the paragraph of its own measure, in order
    for m in plan.measures:
        start = SOURCE_TEXT.index(m.title.zh)
        end = SOURCE_TEXT.find("\n", start)
        paragraph = SOURCE_TEXT[start:end]
        positions = [paragraph.find(a.zh) for a in m.actions]
        assert -1 not in positions, m.number
        assert positions == sorted(positions), m.number


# -- who answers for what ---------------------------------------------------------------------


def _named_bodies(clause: str) -> list[str]:
    """The bodies named in a clause such as '市发改委、市经信局等按职责分工落实'."""
    names = clause.split("按职责分工落实")[0].split("、")
    return [re.sub(r"(等|负责)$", "", n) for n in names]


def test_responsibility_clauses_are_verbatim_and_bracketed(plan: Plan) -> None:
    with_clause = [m for m in plan.measures if m.responsibility_sentence]
    # measures 24–26 (chapter 7) have no bracket; every other measure has one
    assert [m.number for m in with_clause] == list(range(1, 24))
    for m in with_clause:
        assert f"({m.responsibility_sentence})" in SOURCE_TEXT, m.number


def test_lead_is_the_first_body_named(plan: Plan) -> None:
    for m in plan.measures:
        if m.responsibility_sentence is None:
            assert m.lead is None
            continue
        first = _named_bodies(m.responsibility_sentence)[0]
        assert plan.body(first).code == m.lead, m.number


def test_cooperating_are_the_other_bodies_named_in_order(plan: Plan) -> None:
    for m in plan.measures:
        if m.responsibility_sentence is None:
            assert m.cooperating == []
            continue
        named = [plan.body(n).code for n in _named_bodies(m.responsibility_sentence)]
        assert [m.lead, *m.cooperating] == named, m.number


@pytest.mark.parametrize(
    ("number", "lead"),
    [
        (1, "drc"),
        (2, "eeb"),
        (6, "eitb"),
        (7, "transport"),
        (8, "ucb"),
        (9, "agri"),
        (10, "forestry"),
        (19, "justice"),
        (20, "finance"),
        (21, "stb"),
        (23, "drc"),
    ],
)
def test_lead_of_named_measures(plan: Plan, number: int, lead: str) -> None:
    assert plan.measure(number).lead == lead


def test_measure_7_and_19_name_their_lead_first_in_chinese(plan: Plan) -> None:
    assert plan.body(plan.measure(7).lead or "").name.zh == "市交通运输局"
    assert plan.body(plan.measure(19).lead or "").name.zh == "市司法局"


def test_every_measure_is_carried_out_by_the_districts(plan: Plan) -> None:
    # "以下均需各区人民政府…落实,不再列出" in measure 1's bracket covers all that follow
    assert plan.districts_clause is not None
    assert plan.districts_clause.zh in SOURCE_TEXT
    assert all(m.districts_implement for m in plan.measures)


def test_issuers_are_the_six_bureaus_of_the_notice(plan: Plan) -> None:
    assert sorted(plan.issuers) == sorted(["eeb", "drc", "eitb", "ucb", "transport", "agri"])


# -- targets ----------------------------------------------------------------------------------


def test_target_ids_are_unique(plan: Plan) -> None:
    ids = [t.id for t in plan.targets]
    assert len(ids) == len(set(ids)) == 37


def test_every_target_has_someone_answerable(plan: Plan) -> None:
    for t in plan.targets:
        assert plan.responsible_bodies(t), t.id


def test_every_target_unit_parses(plan: Plan) -> None:
    for t in plan.targets:
        parse_unit(t.unit)


def _check(
    t: Target,
    direction: Direction,
    value: float | None,
    unit: str,
    deadline: dt.date,
    measure: int | None,
) -> None:
    assert t.direction is direction
    assert t.value == value
    assert parse_unit(t.unit) == parse_unit(unit)
    assert t.deadline == deadline
    assert t.measure == measure


END_2023 = dt.date(2023, 12, 31)
END_2024 = dt.date(2024, 12, 31)
END_2025 = dt.date(2025, 12, 31)
END_2030 = dt.date(2030, 12, 31)


@pytest.mark.parametrize(
    ("target_id", "direction", "value", "unit", "deadline", "measure"),
    [
        ("coal-share-2025", Direction.AT_MOST, 30, "percent", END_2025, 4),
        ("natural-gas-2025", Direction.AT_LEAST, 40, "yi * m**3", END_2025, 4),
        ("construction-waste-2024", Direction.AT_LEAST, 70, "percent", END_2024, 8),
        ("new-energy-bus-share", Direction.AT_LEAST, 100, "percent", END_2025, 7),
        ("slow-traffic-146km", Direction.AT_LEAST, 146, "km", END_2025, 7),
        ("fertiliser-efficiency-2025", Direction.AT_LEAST, 43, "percent", END_2025, 9),
        ("pesticide-efficiency-2025", Direction.AT_LEAST, 43, "percent", END_2025, 9),
        ("afforestation-2025", Direction.AT_LEAST, 10, "wan * mu", END_2025, 10),
        ("forest-tending-14fyp", Direction.AT_LEAST, 40, "wan * mu", END_2025, 10),
        ("forest-towns-14fyp", Direction.AT_LEAST, 6, "count", END_2025, 10),
        ("forest-villages-14fyp", Direction.AT_LEAST, 20, "count", END_2025, 10),
        ("sludge-capacity-600", Direction.AT_LEAST, 600, "t / day", END_2025, 12),
        ("zero-landfill-2023", Direction.AT_MOST, 0, "percent", END_2023, 14),
        ("steel-ule-2023", Direction.DONE_BY, 100, "percent", END_2023, 11),
        ("incinerator-denox", Direction.DONE_BY, 100, "percent", END_2025, 11),
        ("energy-intensity-2025", Direction.DECREASING, None, "tce / (wan * CNY)", END_2025, None),
        ("co2-intensity-2025", Direction.DECREASING, None, "t / (wan * CNY)", END_2025, None),
        ("pollutant-total-nox", Direction.DECREASING, None, "t", END_2025, None),
        ("pollutant-total-vocs", Direction.DECREASING, None, "t", END_2025, None),
        ("pollutant-total-cod", Direction.DECREASING, None, "t", END_2025, None),
        ("pollutant-total-nh3n", Direction.DECREASING, None, "t", END_2025, None),
        ("carbon-peak-2030", Direction.PEAK_BY, 66, "percent", END_2030, None),
        ("farmland-safe-use-2025", Direction.DONE_BY, 100, "percent", END_2025, 13),
        ("construction-land-safe-use-2025", Direction.DONE_BY, 100, "percent", END_2025, 13),
        ("pm25-2025", Direction.AT_MOST, None, "microgram / meter**3", END_2025, None),
        ("good-air-days-2025", Direction.AT_LEAST, None, "percent", END_2025, None),
        ("ozone-2025", Direction.AT_MOST, None, "microgram / meter**3", END_2025, None),
        ("water-sections-good-2025", Direction.AT_LEAST, None, "percent", END_2025, None),
        ("manure-utilisation-2025", Direction.AT_LEAST, None, "percent", END_2025, 9),
        ("coke-cement-ule", Direction.DONE_BY, 100, "percent", END_2025, 11),
        ("building-carbon-peak-plan", Direction.DONE_BY, 100, "percent", END_2025, 1),
        ("coal-control-plan", Direction.DONE_BY, 100, "percent", END_2025, 4),
        ("synergy-degree-2025", Direction.INCREASING, None, "dimensionless", END_2025, None),
        ("no-new-coal-power", Direction.AT_MOST, 0, "count", END_2030, 3),
    ],
)
def test_promised_target(
    plan: Plan,
    target_id: str,
    direction: Direction,
    value: float | None,
    unit: str,
    deadline: dt.date,
    measure: int | None,
) -> None:
    _check(plan.target(target_id), direction, value, unit, deadline, measure)


def test_natural_gas_target_is_four_billion_cubic_metres(plan: Plan) -> None:
    t = plan.target("natural-gas-2025")
    # 40 亿 m³ = 40 × 1e8 m³ = 4e9 m³ = 4 billion m³
    assert t.value is not None
    assert convert(t.value, t.unit, "billion_m3") == pytest.approx(4.0, rel=1e-15)
    assert convert(t.value, t.unit, "m**3") == pytest.approx(4e9, rel=1e-15)


def test_afforestation_target_is_one_hundred_thousand_mu(plan: Plan) -> None:
    t = plan.target("afforestation-2025")
    # 10 万亩 = 10 × 1e4 mu = 100,000 mu
    assert t.value is not None
    assert convert(t.value, t.unit, "mu") == pytest.approx(100_000.0, rel=1e-15)


def test_forest_tending_target_is_four_hundred_thousand_mu(plan: Plan) -> None:
    t = plan.target("forest-tending-14fyp")
    # 40 万亩 = 40 × 1e4 mu = 400,000 mu
    assert t.value is not None
    assert convert(t.value, t.unit, "mu") == pytest.approx(400_000.0, rel=1e-15)


def test_sludge_target_is_600_tonnes_a_day(plan: Plan) -> None:
    t = plan.target("sludge-capacity-600")
    assert t.value is not None
    # 600 t/day = 600 000 kg / 86 400 s ≈ 6.944 kg/s
    assert convert(t.value, t.unit, "kg / s") == pytest.approx(600_000 / 86_400, rel=1e-12)


def test_target_figures_appear_in_their_source_sentence(plan: Plan) -> None:
    # the number the plan promises is written in the sentence it is read from
    for target_id, figure in [
        ("coal-share-2025", "30%"),
        ("natural-gas-2025", "40亿立方米"),
        ("construction-waste-2024", "70%"),
        ("new-energy-bus-share", "100%"),
        ("slow-traffic-146km", "146公里"),
        ("fertiliser-efficiency-2025", "43%"),
        ("pesticide-efficiency-2025", "43%"),
        ("afforestation-2025", "10万亩"),
        ("forest-tending-14fyp", "40万亩"),
        ("forest-towns-14fyp", "森林城镇6个以上"),
        ("forest-villages-14fyp", "森林乡村20个以上"),
        ("sludge-capacity-600", "600吨/日"),
        ("zero-landfill-2023", "零填埋"),
        ("steel-ule-2023", "2023年底之前"),
        ("carbon-peak-2030", "2030年"),
    ]:
        assert figure in plan.target(target_id).source_sentence, target_id


def test_done_by_targets_are_in_percent(plan: Plan) -> None:
    for t in plan.targets:
        if t.direction is Direction.DONE_BY:
            assert parse_unit(t.unit) == parse_unit("percent"), t.id
            assert t.value == 100, t.id


def test_trend_targets_have_no_value(plan: Plan) -> None:
    # a bound target has a value unless its figure is still to come from an assignment
    for t in plan.targets:
        trend = t.direction in (Direction.DECREASING, Direction.INCREASING)
        assert (t.value is None) == (trend or t.goal_pending), t.id


def test_assigned_goals_are_pending_and_say_so(plan: Plan) -> None:
    pending = {t.id: t.goal_assigned_by for t in plan.targets if t.goal_pending}
    assert pending == {
        "pm25-2025": "province",
        "good-air-days-2025": "province",
        "ozone-2025": "province",
        "water-sections-good-2025": "province",
        "manure-utilisation-2025": "national and provincial standard",
    }
    for target_id in pending:
        note = plan.target(target_id).note
        assert note is not None and "not invented" in note.en, target_id


def test_carbon_peak_is_a_likely_probability(plan: Plan) -> None:
    t = plan.target("carbon-peak-2030")
    # IPCC AR5 calibrated language: "likely" = 66–100 % probability
    assert t.direction is Direction.PEAK_BY
    assert t.value == 66
    assert plan.source_of(t) is ValueSource.SCENARIO
    assert t.unit_text("en") == "% (probability)"


# -- indicators and where targets apply -------------------------------------------------------


def test_base_year_is_2020(plan: Plan) -> None:
    assert plan.base_year == 2020


def test_every_target_indicator_is_listed_once_with_its_unit(plan: Plan) -> None:
    assert len(plan.indicators) == len(plan.targets)
    for t in plan.targets:
        indicator = plan.indicator(t.indicator_id)
        assert indicator.unit == t.unit, t.id
        assert indicator.name == t.indicator, t.id


def test_indicator_sources(plan: Plan) -> None:
    by_source: dict[ValueSource, set[str]] = {}
    for i in plan.indicators:
        by_source.setdefault(i.source, set()).add(i.id)
    assert by_source[ValueSource.INVENTORY] == {
        "nox_emissions_total",
        "vocs_emissions_total",
        "cod_emissions_total",
        "nh3n_emissions_total",
        "energy_intensity_gdp",
        "co2_intensity_gdp",
        "coal_share_energy",
        "synergy_degree",
    }
    assert by_source[ValueSource.SCENARIO] == {"carbon_peak"}
    assert ValueSource.MONITORING not in by_source
    assert len(by_source[ValueSource.REPORTED]) == len(plan.indicators) - 9


def test_every_target_states_where_it_applies() -> None:
    # written out in the file, even where it is the default 'city'
    targets = yaml.safe_load(WUHAN_YAML.read_text(encoding="utf-8"))["targets"]
    assert [t["id"] for t in targets if "applies" not in t] == []


@pytest.mark.parametrize(
    ("target_id", "districts"),
    [
        ("sludge-capacity-600", ["xinzhou"]),
        ("steel-ule-2023", ["qingshan"]),
        ("qianzishan-organic-waste", ["caidian"]),
        ("jiangshui-energy-station", ["jiang_an"]),
        ("chenhu-national-reserve", ["caidian"]),
    ],
)
def test_site_targets_apply_to_their_host_district(
    plan: Plan, target_id: str, districts: list[str]
) -> None:
    t = plan.target(target_id)
    assert t.applies is Applies.DISTRICTS
    assert t.districts == districts
    assert t.note is not None  # the basis of the host district
    assert all(t.applies_to(d) for d in districts)
    assert not t.applies_to("hongshan")


def test_every_district_targets(plan: Plan) -> None:
    every = [t.id for t in plan.targets if t.applies is Applies.EVERY_DISTRICT]
    assert every == ["manure-utilisation-2025"]
    # the city-wide rate targets are not split by district
    assert plan.target("construction-waste-2024").applies is Applies.CITY
    assert plan.target("zero-landfill-2023").applies is Applies.CITY


# -- milestones -------------------------------------------------------------------------------


def test_every_measure_is_trackable(plan: Plan) -> None:
    untracked = [
        m.number
        for m in plan.measures
        if not plan.targets_of_measure(m.number) and not m.milestones
    ]
    assert untracked == []


def test_measures_without_targets_have_two_to_four_milestones(plan: Plan) -> None:
    for m in plan.measures:
        if not plan.targets_of_measure(m.number) and m.number != 24:
            assert 2 <= len(m.milestones) <= 4, m.number


def test_milestone_bodies_answer_for_their_measure(plan: Plan) -> None:
    for m, ms in plan.milestones():
        assert ms.body is not None, ms.id
        if m.lead is not None:
            assert ms.body in [m.lead, *m.cooperating], ms.id


def test_milestones_without_a_date_in_the_text_say_how_due_was_set(plan: Plan) -> None:
    # no milestone's clause carries a date: each says which rule gave its due date
    for _, ms in plan.milestones():
        assert ms.due_note, ms.id
        assert ms.due.month == 12 and ms.due.day == 31, ms.id
        if not ms.id.startswith("annual-report-"):
            assert ms.due == END_2025, ms.id


def test_annual_reports_are_yearly_milestones_of_measure_24(plan: Plan) -> None:
    reports = [ms for ms in plan.measure(24).milestones if ms.id.startswith("annual-report-")]
    assert [ms.due for ms in reports] == [dt.date(y, 12, 31) for y in range(2023, 2031)]
    for ms in reports:
        assert ms.clause == "每年将工作推进落实情况向市生态环境保护委员会报告"
        assert ms.body == "eeb"
        assert ms.applies is Applies.EVERY_DISTRICT
    with pytest.raises(KeyError):
        plan.target("annual-report")


def test_coal_share_baseline(plan: Plan) -> None:
    baseline = plan.target("coal-share-2025").baseline
    assert baseline is not None
    # 2023 figure 30.5 % + the published 4.63-point fall since 2020 = 35.13 %
    assert baseline.year == 2020
    assert baseline.value == pytest.approx(30.5 + 4.63, abs=1e-9)


# -- bodies and districts ---------------------------------------------------------------------


def test_every_body_code_resolves(plan: Plan) -> None:
    codes = {b.code for b in plan.bodies}
    for m in plan.measures:
        assert {c for c in [m.lead, *m.cooperating] if c} <= codes, m.number
    for t in plan.targets:
        assert set(plan.responsible_bodies(t)) <= codes, t.id
    assert set(plan.issuers) <= codes


def test_bodies_resolve_by_code_chinese_name_and_short_name(plan: Plan) -> None:
    assert plan.body("eeb").name.zh == "市生态环境局"
    assert plan.body("市生态环境局").code == "eeb"
    assert plan.body("Transport").code == "transport"
    with pytest.raises(KeyError):
        plan.body("市不存在局")


def test_body_codes_and_names_are_unique(plan: Plan) -> None:
    assert len({b.code for b in plan.bodies}) == len(plan.bodies) == 24
    assert len({b.name.zh for b in plan.bodies}) == len(plan.bodies)


def test_district_governments_are_a_body_of_their_own_kind(plan: Plan) -> None:
    assert plan.body("district_govs").kind is BodyKind.DISTRICT_GOVERNMENT
    assert plan.body("pbc_wuhan").kind is BodyKind.OTHER


def test_every_district_code_resolves(plan: Plan) -> None:
    for d in plan.districts:
        assert plan.district(d.code) is d
        assert plan.district(d.name.zh) is d
        assert plan.district(d.name.en) is d
    with pytest.raises(KeyError):
        plan.district("nowhere")


def test_thirteen_districts_and_four_management_areas(plan: Plan) -> None:
    kinds = [d.kind for d in plan.districts]
    assert kinds.count(DistrictKind.DISTRICT) == 13
    assert {d.code for d in plan.districts if d.kind is DistrictKind.DEVELOPMENT_ZONE} == {
        "ehdz",
        "wedz",
    }
    assert [d.code for d in plan.districts if d.kind is DistrictKind.NEW_AREA] == ["changjiang"]
    assert [d.code for d in plan.districts if d.kind is DistrictKind.SCENIC_AREA] == [
        "east_lake_scenic"
    ]
    assert len(plan.districts) == 13 + 2 + 1 + 1


def test_the_thirteen_districts_by_name(plan: Plan) -> None:
    names = {d.name.zh for d in plan.districts if d.kind is DistrictKind.DISTRICT}
    assert names == {
        "江岸区",
        "江汉区",
        "硚口区",
        "汉阳区",
        "武昌区",
        "青山区",
        "洪山区",
        "东西湖区",
        "汉南区",
        "蔡甸区",
        "江夏区",
        "黄陂区",
        "新洲区",
    }


def test_census_populations_sum_to_the_city_total(plan: Plan) -> None:
    # census 2020 resident population of Wuhan: 12,326,518. The bulletin counts Hannan (145,103)
    # inside the Wuhan Economic and Technological Development Zone (wedz 481,338), and does not
    # list the Changjiang New Area (no figure), so: sum over all entries except hannan.
    total = sum(d.population or 0 for d in plan.districts if d.code != "hannan")
    assert total == 12_326_518
    assert plan.district("hannan").population == 145_103
    assert plan.district("changjiang").population is None


def test_populations_are_census_2020_with_source(plan: Plan) -> None:
    for d in plan.districts:
        if d.population is not None:
            assert d.population_year == 2020, d.code
            assert d.population_source is not None, d.code


def test_dashboard_grid_cells_are_distinct(plan: Plan) -> None:
    cells = [d.grid for d in plan.districts]
    assert None not in cells
    assert len(set(cells)) == len(cells)


# -- error messages ---------------------------------------------------------------------------


def _wuhan_data() -> dict[str, object]:
    data = yaml.safe_load(WUHAN_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _wuhan_targets() -> tuple[dict[str, object], list[dict[str, object]]]:
    """The plan's YAML mapping and its list of targets, to be broken by a test."""
    data = _wuhan_data()
    targets = data["targets"]
    assert isinstance(targets, list)
    return data, targets


def _write(tmp_path: Path, data: object, name: str = "bad-plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _load_error(path: Path) -> str:
    with pytest.raises(PlanError) as info:
        load_plan(path)
    return str(info.value)


def test_unknown_unit_names_file_target_and_field(tmp_path: Path) -> None:
    data, targets = _wuhan_targets()
    targets[0]["unit"] = "furlongz"
    path = _write(tmp_path, data)
    message = _load_error(path)
    assert str(path) in message
    assert f"targets[0] ({targets[0]['id']})" in message
    assert ".unit" in message
    assert "furlongz" in message


def test_unknown_lead_body_names_file_measure_and_field(tmp_path: Path) -> None:
    data = _wuhan_data()
    measures = data["measures"]
    assert isinstance(measures, list)
    measures[6]["lead"] = "ministry_of_magic"  # measure 7
    path = _write(tmp_path, data)
    message = _load_error(path)
    assert str(path) in message
    assert "measure 7, field 'lead': unknown body 'ministry_of_magic'" in message


def test_unknown_target_lead_and_measure_are_named(tmp_path: Path) -> None:
    data, targets = _wuhan_targets()
    targets[0]["lead"] = "nobody"
    targets[-1]["measure"] = 99
    message = _load_error(_write(tmp_path, data))
    assert f"target '{targets[0]['id']}', field 'lead': unknown body 'nobody'" in message
    assert f"target '{targets[-1]['id']}', field 'measure': unknown measure 99" in message


def test_missing_required_field_is_named(tmp_path: Path) -> None:
    data, targets = _wuhan_targets()
    del targets[3]["deadline"]
    path = _write(tmp_path, data)
    message = _load_error(path)
    assert str(path) in message
    assert f"targets[3] ({targets[3]['id']}).deadline" in message
    assert "required" in message.lower()


def test_missing_measure_title_names_the_measure(tmp_path: Path) -> None:
    data = _wuhan_data()
    measures = data["measures"]
    assert isinstance(measures, list)
    del measures[0]["title"]
    message = _load_error(_write(tmp_path, data))
    assert "measures[0] (1).title" in message


def test_bound_target_without_value_is_refused(tmp_path: Path) -> None:
    data, targets = _wuhan_targets()
    index = next(i for i, t in enumerate(targets) if t["id"] == "coal-share-2025")
    targets[index]["value"] = None
    message = _load_error(_write(tmp_path, data))
    assert f"targets[{index}] (coal-share-2025)" in message
    assert "needs a value" in message


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    data, targets = _wuhan_targets()
    targets[0]["unit"] = "furlongz"
    targets[1]["direction"] = "sideways"
    message = _load_error(_write(tmp_path, data))
    assert f"targets[0] ({targets[0]['id']}).unit" in message
    assert f"targets[1] ({targets[1]['id']}).direction" in message


def test_duplicate_target_id_is_refused(tmp_path: Path) -> None:
    data, targets = _wuhan_targets()
    targets.append(dict(targets[0]))
    message = _load_error(_write(tmp_path, data))
    assert f"duplicate target '{targets[0]['id']}'" in message


@pytest.mark.parametrize("content", ["- just\n- a list\n", "a plain string\n", "42\n", ""])
def test_non_mapping_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "not-a-mapping.yaml"
    path.write_text(content, encoding="utf-8")
    message = _load_error(path)
    assert str(path) in message
    assert "mapping at the top level" in message


def test_malformed_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ncity: [unclosed\n  zh: 武汉\n", encoding="utf-8")
    message = _load_error(path)
    assert str(path) in message
    assert "not valid YAML" in message


def test_parse_plan_names_its_source() -> None:
    with pytest.raises(PlanError) as info:
        parse_plan({"id": "x"}, "memory")
    lines = str(info.value).splitlines()
    # one line per problem, each naming the source and the missing field
    assert all(line.startswith("memory: ") for line in lines)
    assert any(line.startswith("memory: bodies: Field required") for line in lines)


def test_unknown_plan_id_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XIETONG_DATA_DIR", raising=False)
    with pytest.raises(PlanError, match="no plan 'atlantis-2099'"):
        load_plan("atlantis-2099")


# -- another city's plan ----------------------------------------------------------------------


def _check_other_city(other: Plan) -> None:
    assert other.id == "other-city-2024"
    assert other.city.en == "Example City"
    assert [b.code for b in other.bodies] == ["env", "transit"]
    assert [d.code for d in other.districts] == ["north", "south"]
    assert [c.number for c in other.chapters] == [1]
    assert [m.number for m in other.measures] == [1, 2]
    assert [t.id for t in other.targets] == ["electric-bus-share-2026", "coal-boilers-2025"]
    assert other.measure(1).lead == "transit"
    assert other.responsible_bodies(other.target("electric-bus-share-2026")) == ["transit", "env"]
    assert other.target("coal-boilers-2025").direction is Direction.AT_MOST
    assert [m.number for m in other.measures_of_district()] == [1]


def test_other_city_plan_loads_from_its_path() -> None:
    _check_other_city(load_plan(OTHER_CITY))
    _check_other_city(load_plan(str(OTHER_CITY)))


def test_other_city_plan_loads_by_id_from_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XIETONG_DATA_DIR", raising=False)
    with pytest.raises(PlanError):
        load_plan("other-city-2024")  # not shipped: found only through the data dir
    (tmp_path / "plans").mkdir()
    shutil.copy(OTHER_CITY, tmp_path / "plans" / "other-city-2024.yaml")
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path))
    assert find_plan_file("other-city-2024") == tmp_path / "plans" / "other-city-2024.yaml"
    _check_other_city(load_plan("other-city-2024"))
    # the shipped plan still loads beside it
    assert load_plan("wuhan-2023").id == "wuhan-2023"


def test_data_dir_comes_before_the_shipped_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a city may ship its own edition of a plan id: $XIETONG_DATA_DIR/plans is searched first
    (tmp_path / "plans").mkdir()
    data = yaml.safe_load(OTHER_CITY.read_text(encoding="utf-8"))
    data["id"] = "wuhan-2023"
    _write(tmp_path / "plans", data, "wuhan-2023.yaml")
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path))
    assert load_plan("wuhan-2023").city.en == "Example City"
