"""Typed models of a city plan: bodies, districts, measures, targets and who answers for what.

A :class:`Plan` checks its own consistency: a measure or target that names a body, district or
measure the plan does not have is refused with the entry and the field named.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xietong.errors import UnitError
from xietong.units import format_unit, parse_unit, ureg


def _known_unit(unit: str) -> str:
    """``unit`` if pint reads it; ValueError naming the problem otherwise."""
    try:
        parse_unit(unit)
    except UnitError as exc:
        raise ValueError(str(exc)) from exc
    return unit


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Text(_Frozen):
    """A text in Chinese (first language) with its English translation."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("zh" or "en"); Chinese for any other value."""
        return self.en if lang == "en" else self.zh


class Source(_Frozen):
    """Where a figure was read: document, table/page, and a link where one exists."""

    document: str = Field(min_length=1)
    table: str | None = None
    url: str | None = None
    estimate: bool = False
    note: str | None = None


class BodyKind(StrEnum):
    """What sort of responsible body this is."""

    MUNICIPAL_DEPARTMENT = "municipal_department"
    DISTRICT_GOVERNMENT = "district_government"
    OTHER = "other"


class Body(_Frozen):
    """A responsible body (责任单位): a municipal department or other organisation."""

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    short_en: str = Field(min_length=1)
    kind: BodyKind = BodyKind.MUNICIPAL_DEPARTMENT


class DistrictKind(StrEnum):
    """Administrative district or a management area that acts as one."""

    DISTRICT = "district"
    DEVELOPMENT_ZONE = "development_zone"
    NEW_AREA = "new_area"
    SCENIC_AREA = "scenic_area"


class District(_Frozen):
    """A district (区) or a development zone / new area / scenic area with a management committee.

    ``area_km2`` in km², ``population`` in persons (resident population).
    """

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    kind: DistrictKind
    area_km2: float | None = Field(default=None, gt=0)
    area_source: Source | None = None
    population: int | None = Field(default=None, gt=0)
    population_year: int | None = None
    population_source: Source | None = None
    grid: tuple[int, int] | None = Field(
        default=None, description="(row, column) of the district in the dashboard's tile grid"
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _figures_have_sources(self) -> Self:
        if self.area_km2 is not None and self.area_source is None:
            raise ValueError("area_km2 needs area_source")
        if self.population is not None and (
            self.population_source is None or self.population_year is None
        ):
            raise ValueError("population needs population_year and population_source")
        return self


class Chapter(_Frozen):
    """A chapter of the plan (一、二、…) that groups measures."""

    number: int = Field(ge=1)
    title: Text


class Applies(StrEnum):
    """Where a target or milestone applies: the city as a whole, named host districts (the
    districts where its site lies), or every district."""

    CITY = "city"
    DISTRICTS = "districts"
    EVERY_DISTRICT = "every_district"


class LeadBasis(StrEnum):
    """Whether the text names the lead body (牵头) or only lists bodies, the first of which is
    read as the lead (``inferred``)."""

    STATED = "stated"
    INFERRED = "inferred"


class Milestone(_Frozen):
    """A dated step of a measure that has no number (制定方案, 建成项目, 年度报告 …), tracked by a
    qualitative status reported with evidence (docs/methods/status.md, "Milestones").

    ``clause`` occurs verbatim in the plan's source text; ``due`` is read from the text or, when
    the text gives none, set by the rule stated in ``due_note``.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    text: Text
    clause: str = Field(min_length=4)
    due: dt.date
    due_note: str | None = None
    body: str | None = Field(default=None, description="the body that answers for it")
    applies: Applies = Applies.CITY
    districts: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _districts_match_scope(self) -> Self:
        _check_scope(self.applies, self.districts)
        return self


def _check_scope(applies: Applies, districts: list[str]) -> None:
    if applies is Applies.DISTRICTS and not districts:
        raise ValueError("applies 'districts' needs the host districts in 'districts'")
    if applies is not Applies.DISTRICTS and districts:
        raise ValueError(f"applies '{applies}' takes no 'districts'")


class Measure(_Frozen):
    """One numbered measure (重点举措) with its actions, responsible bodies and milestones.

    ``lead`` is the first body named in the measure's bracket and ``cooperating`` are the rest;
    ``lead_basis`` says whether the text states the lead or it is inferred from the order.
    ``districts_implement`` records the plan's clause that every district carries it out.
    """

    number: int = Field(ge=1)
    chapter: int = Field(ge=1)
    title: Text
    actions: list[Text] = Field(min_length=1)
    lead: str | None = None
    cooperating: list[str] = Field(default_factory=list)
    lead_basis: LeadBasis = LeadBasis.INFERRED
    districts_implement: bool = True
    milestones: list[Milestone] = Field(default_factory=list)
    responsibility_sentence: str | None = Field(
        default=None, description="the bracketed responsibility clause, verbatim from the source"
    )


class Direction(StrEnum):
    """How a target's indicator must move: a bound, an exact value, a trend, or a completion."""

    AT_MOST = "<="
    AT_LEAST = ">="
    EQUAL = "="
    DECREASING = "decreasing"
    INCREASING = "increasing"
    DONE_BY = "done-by"
    PEAK_BY = "peak-by"


DIRECTION_ZH = {
    Direction.AT_MOST: "不高于",
    Direction.AT_LEAST: "不低于",
    Direction.EQUAL: "等于",
    Direction.DECREASING: "持续下降(较基期)",
    Direction.INCREASING: "持续提升(较基期)",
    Direction.DONE_BY: "100%完成",
    Direction.PEAK_BY: "按期达峰",
}
"""The Chinese label of each direction (the workbooks; the pages use the messages file)."""


class ValueSource(StrEnum):
    """The one source that defines an indicator's values (docs/methods/status.md)."""

    INVENTORY = "inventory"
    SCENARIO = "scenario"
    REPORTED = "reported"
    MONITORING = "monitoring"


class Indicator(_Frozen):
    """An indicator the plan's targets are judged on, with the one source that defines its
    values: computed from the activity data (``inventory``), from the projections
    (``scenario``), submitted by a body or district (``reported``) or measured
    (``monitoring``). Values in ``unit`` (a pint expression)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    unit: str
    source: ValueSource
    note: Text | None = None

    _unit_is_known = field_validator("unit")(_known_unit)


class Baseline(_Frozen):
    """A reference value of the indicator in a given year, with its source."""

    value: float
    year: int
    source: Source


class Target(_Frozen):
    """A quantitative or dated commitment of the plan.

    ``value`` is in ``unit`` (a pint expression). For ``decreasing``/``increasing`` targets the
    indicator must move in that direction every year up to ``deadline`` and ``value`` is None.
    A ``done-by`` target is measured in percent complete and met at 100 %. A ``peak-by``
    target (the carbon peak) holds the probability (%) that the emission series peaks by the
    deadline and is judged from the scenario's projected peak. ``cumulative`` targets count
    from zero at the plan's base year. Where the plan gives no number and the figure comes
    from the province's assignment, ``goal_assigned_by`` says so and ``value`` stays empty
    until it is entered. ``applies`` says where the target applies (``districts``: the host
    districts of its site).
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    measure: int | None = Field(
        default=None, description="measure number; None for the plan's overall goals"
    )
    indicator: Text
    indicator_id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    unit: str
    unit_label: Text | None = Field(
        default=None, description="how the unit is written for readers, e.g. 亿立方米 / 10⁸ m³"
    )
    direction: Direction
    value: float | None = None
    tolerance: float = Field(default=0.0, ge=0)
    deadline: dt.date
    deadline_note: str | None = Field(
        default=None, description="how the deadline was read when the text gives none exactly"
    )
    baseline: Baseline | None = None
    source_sentence: str = Field(min_length=4)
    lead: str | None = Field(default=None, description="overrides the measure's lead body")
    lead_basis: LeadBasis = LeadBasis.INFERRED
    cumulative: bool = False
    goal_assigned_by: str | None = Field(
        default=None, description="who assigns the figure where the plan gives none (province)"
    )
    goal_source: str | None = Field(
        default=None, description="the document that assigned the figure, once entered"
    )
    applies: Applies = Applies.CITY
    districts: list[str] = Field(default_factory=list)
    note: Text | None = None

    _unit_is_known = field_validator("unit")(_known_unit)

    @model_validator(mode="after")
    def _value_matches_direction(self) -> Self:
        trend = self.direction in (Direction.DECREASING, Direction.INCREASING)
        if trend and self.value is not None:
            raise ValueError(f"a '{self.direction}' target takes no value")
        if not trend and self.value is None and self.goal_assigned_by is None:
            raise ValueError(
                f"a '{self.direction}' target needs a value (or 'goal_assigned_by' where the "
                "plan leaves the figure to an assignment)"
            )
        if self.direction in (Direction.DONE_BY, Direction.PEAK_BY) and (
            parse_unit(self.unit) != ureg.percent
        ):
            raise ValueError(f"a '{self.direction}' target is measured in 'percent'")
        _check_scope(self.applies, self.districts)
        return self

    @property
    def goal_pending(self) -> bool:
        """Whether the target's figure is still to be entered from an assignment."""
        return self.value is None and self.goal_assigned_by is not None

    def unit_text(self, lang: str = "zh") -> str:
        """The unit as readers write it: ``unit_label`` in ``lang``, else pint's short symbol.

        >>> Target.model_validate({"id": "x", "indicator": {"zh": "比重", "en": "share"},
        ...     "indicator_id": "share", "unit": "percent", "direction": "<=", "value": 30,
        ...     "deadline": "2025-12-31", "source_sentence": "比重下降至30%以内"}).unit_text()
        '%'
        """
        if self.unit_label is not None:
            return self.unit_label.get(lang)
        return format_unit(self.unit)

    @property
    def goal(self) -> float | None:
        """The value to reach: 100 (percent complete) for a done-by target, else ``value``;
        None for a trend target and for a figure still to be assigned."""
        return 100.0 if self.direction is Direction.DONE_BY else self.value

    def applies_to(self, district: str) -> bool:
        """Whether the target applies to ``district`` (a district code)."""
        if self.applies is Applies.EVERY_DISTRICT:
            return True
        return self.applies is Applies.DISTRICTS and district in self.districts


class Goal(_Frozen):
    """A headline goal of the plan for a year (e.g. 2025, 2030)."""

    year: int
    text: Text


class Plan(_Frozen):
    """A city's plan: its document, bodies, districts, chapters, measures and targets."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    city: Text
    title: Text
    document_number: str
    issued: dt.date
    issuers: list[str] = Field(default_factory=list)
    source_file: str | None = None
    source_note: str | None = None
    base_year: int = Field(
        default=2020, description="the plan period's base year (the 14th FYP starts from 2020)"
    )
    districts_clause: Text | None = None
    goals: list[Goal] = Field(default_factory=list)
    bodies: list[Body]
    districts: list[District]
    chapters: list[Chapter]
    measures: list[Measure]
    targets: list[Target]
    indicators: list[Indicator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        problems: list[str] = []
        bodies = {b.code for b in self.bodies}
        chapters = {c.number for c in self.chapters}
        measures = {m.number for m in self.measures}
        for kind, codes in (
            ("body", [b.code for b in self.bodies]),
            ("district", [d.code for d in self.districts]),
            ("measure", [m.number for m in self.measures]),
            ("target", [t.id for t in self.targets]),
            ("indicator", [i.id for i in self.indicators]),
            ("target indicator", [t.indicator_id for t in self.targets]),
            ("milestone", [ms.id for m in self.measures for ms in m.milestones]),
        ):
            seen: set[object] = set()
            for code in codes:
                if code in seen:
                    problems.append(f"duplicate {kind} '{code}'")
                seen.add(code)
        for code in self.issuers:
            if code not in bodies:
                problems.append(f"issuers: unknown body '{code}'")
        for m in self.measures:
            if m.chapter not in chapters:
                problems.append(f"measure {m.number}, field 'chapter': unknown chapter {m.chapter}")
            for field, ref in [("lead", m.lead), *(("cooperating", c) for c in m.cooperating)]:
                if ref is not None and ref not in bodies:
                    problems.append(f"measure {m.number}, field '{field}': unknown body '{ref}'")
        districts = {d.code for d in self.districts}
        indicators = {i.id: i for i in self.indicators}
        for m in self.measures:
            for ms in m.milestones:
                if ms.body is not None and ms.body not in bodies:
                    problems.append(f"milestone '{ms.id}', field 'body': unknown body '{ms.body}'")
                for d in ms.districts:
                    if d not in districts:
                        problems.append(f"milestone '{ms.id}', field 'districts': unknown '{d}'")
        for t in self.targets:
            if self.indicators and t.indicator_id not in indicators:
                problems.append(
                    f"target '{t.id}', field 'indicator_id': no indicator '{t.indicator_id}' "
                    "in 'indicators'"
                )
            for d in t.districts:
                if d not in districts:
                    problems.append(f"target '{t.id}', field 'districts': unknown district '{d}'")
            if t.measure is not None and t.measure not in measures:
                problems.append(f"target '{t.id}', field 'measure': unknown measure {t.measure}")
            if t.lead is not None and t.lead not in bodies:
                problems.append(f"target '{t.id}', field 'lead': unknown body '{t.lead}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- look-ups -------------------------------------------------------------------------

    def measure(self, number: int) -> Measure:
        """The measure with this number; KeyError if none."""
        for m in self.measures:
            if m.number == number:
                return m
        raise KeyError(number)

    def target(self, target_id: str) -> Target:
        """The target with this id; KeyError if none."""
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(target_id)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; a plan without an ``indicators`` list treats every
        indicator as reported. KeyError if no target uses it."""
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        for t in self.targets:
            if t.indicator_id == indicator_id:
                return Indicator(
                    id=t.indicator_id, name=t.indicator, unit=t.unit, source=ValueSource.REPORTED
                )
        raise KeyError(indicator_id)

    def source_of(self, target: Target) -> ValueSource:
        """The defining source of a target's indicator."""
        return self.indicator(target.indicator_id).source

    def milestones(self) -> list[tuple[Measure, Milestone]]:
        """Every milestone with its measure, in plan order."""
        return [(m, ms) for m in self.measures for ms in m.milestones]

    def targets_of_district(self, code: str) -> list[Target]:
        """Targets that apply to a district: every-district targets and those it hosts."""
        return [t for t in self.targets if t.applies_to(code)]

    def body(self, code: str) -> Body:
        """The body with this code or Chinese name; KeyError if none."""
        for b in self.bodies:
            if code in (b.code, b.name.zh, b.short_en):
                return b
        raise KeyError(code)

    def district(self, code: str) -> District:
        """The district with this code or Chinese name; KeyError if none."""
        for d in self.districts:
            if code in (d.code, d.name.zh, d.name.en):
                return d
        raise KeyError(code)

    def responsible_bodies(self, target: Target) -> list[str]:
        """Codes of the bodies answerable for a target: its lead, then its measure's bodies."""
        codes: list[str] = []
        if target.lead:
            codes.append(target.lead)
        if target.measure is not None:
            m = self.measure(target.measure)
            for code in [m.lead, *m.cooperating]:
                if code and code not in codes:
                    codes.append(code)
        return codes

    def measures_of_body(self, code: str) -> list[Measure]:
        """Measures a body leads or cooperates on."""
        return [m for m in self.measures if m.lead == code or code in m.cooperating]

    def targets_of_measure(self, number: int) -> list[Target]:
        """Targets that belong to a measure."""
        return [t for t in self.targets if t.measure == number]

    def measures_of_district(self) -> list[Measure]:
        """Measures every district carries out (the plan's standing clause)."""
        return [m for m in self.measures if m.districts_implement]
