"""Validate a table of progress figures (rows from Excel or CSV) into records, all or nothing.

Columns (Chinese or English header; case and surrounding spaces ignored):

============== ============ ==========================================================
English        中文          meaning
============== ============ ==========================================================
target_id      目标编号      id of the plan's target (required)
period         期间          year (``2024``) or last day of the period (``2024-06-30``)
value          数值          the figure (required), in ``unit``
unit           单位          optional; converted to the target's unit with pint
district       区            optional district code or Chinese name; empty = city-wide
reported_by    报送单位       optional body code or Chinese name, or a derivation
                            (``inventory``: computed from the emission inventory)
evidence       佐证材料       optional text or link
============== ============ ==========================================================

Every bad cell is reported with its row number (as the spreadsheet shows it) and column;
if there is any, no record is returned.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from xietong.errors import ImportRejected, RowProblem, UnitError
from xietong.plan.models import Plan, Target
from xietong.plan.progress import ProgressRecord
from xietong.units import convert

COLUMNS: dict[str, tuple[str, ...]] = {
    "target_id": ("target_id", "target", "目标编号", "目标"),
    "period": ("period", "year", "period_end", "期间", "年份"),
    "value": ("value", "数值", "值"),
    "unit": ("unit", "单位"),
    "district": ("district", "区", "行政区"),
    "reported_by": ("reported_by", "body", "报送单位", "责任单位"),
    "evidence": ("evidence", "佐证材料", "佐证", "说明"),
}
REQUIRED = ("target_id", "period", "value")
DERIVED_REPORTERS = ("inventory", "scenario")
"""Reporters that are not bodies but computations of the platform (their records are replaced
whole each time the computation runs)."""
HEADERS_ZH = {
    "target_id": "目标编号",
    "period": "期间",
    "value": "数值",
    "unit": "单位",
    "district": "区",
    "reported_by": "报送单位",
    "evidence": "佐证材料",
}


def map_header(header: Iterable[object]) -> dict[str, int]:
    """Map canonical column names to positions in ``header``; unknown columns are ignored."""
    aliases = {a.lower(): key for key, names in COLUMNS.items() for a in names}
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = aliases.get(str(cell or "").strip().lower())
        if key and key not in found:
            found[key] = i
    return found


YEARS = (1990, 2100)
"""The years a progress figure may refer to."""

MAX_VALUE = 1e15
"""The largest magnitude accepted (far above any figure of a city's plan; 1e308 is refused)."""

DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")
"""A date cell as text: ``2024-06-30``, optionally with a time of day (as CSV exports write
Excel dates), and nothing else."""

THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
"""The only numbers with commas read: thousands separators between groups of three digits."""


def _blank(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, str) and not v.strip())
        or (isinstance(v, float) and math.isnan(v))
    )


def parse_period(v: object) -> dt.date:
    """A period cell as the period's last day: a year → 31 Dec; a date stays itself.

    >>> parse_period(2024), parse_period("2024-06-30")
    (datetime.date(2024, 12, 31), datetime.date(2024, 6, 30))
    """
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        if not YEARS[0] <= v.year <= YEARS[1]:
            raise ValueError(
                f"{v.isoformat()} 不在 {YEARS[0]}–{YEARS[1]} 年之间 / is outside "
                f"{YEARS[0]}–{YEARS[1]}"
            )
        return v
    if isinstance(v, bool):
        raise ValueError(
            "期间应为年份或日期,不能是是/否 / a period is a year or a date, not a yes/no"
        )
    if isinstance(v, int | float) and float(v).is_integer() and 1990 <= v <= 2100:
        return dt.date(int(v), 12, 31)
    text = str(v).strip()
    if text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100:
        return dt.date(int(text), 12, 31)
    if text.endswith("年") and text[:-1].isdigit():
        return dt.date(int(text[:-1]), 12, 31)
    if not DATE.fullmatch(text):
        raise ValueError(
            f"'{text}' 不是年份(2024)或日期(2024-06-30) / is not a year (2024) or a date "
            "(2024-06-30)"
        )
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(
            f"'{text}' 不是年份(2024)或日期(2024-06-30) / is not a year (2024) or a date "
            "(2024-06-30)"
        ) from None
    return parse_period(day)


def parse_number(v: object) -> tuple[float, str | None]:
    """A cell as a finite number, and "percent" when it was written with a % sign; ValueError
    (zh / en) for text that is no number, a decimal comma (29,5: never read as 295), a yes/no or
    a number out of bounds."""
    if isinstance(v, bool):
        raise ValueError("是/否不是数值 / a yes/no is not a number")
    implied = None
    if isinstance(v, int | float):
        x = float(v)
    else:
        text = str(v).strip().replace("，", ",")
        if text.endswith("%"):
            implied, text = "percent", text[:-1].strip()
        if "," in text:
            if not THOUSANDS.fullmatch(text):
                raise ValueError(
                    f"'{v}' 含逗号:小数点请写 '.'(29.5,不是 29,5),逗号只用于千位分隔(1,234.5) / "
                    f"'{v}' has a comma: write the decimal point as '.' (29.5, not 29,5); a "
                    "comma is read only between groups of three digits (1,234.5)"
                )
            text = text.replace(",", "")
        try:
            x = float(text)
        except ValueError:
            raise ValueError(f"'{v}' 不是数值 / is not a number") from None
    if not math.isfinite(x) or abs(x) > MAX_VALUE:
        raise ValueError(
            f"'{v}' 不是有限数值(绝对值不超过 {MAX_VALUE:.0e}) / is not a finite number of at "
            f"most {MAX_VALUE:.0e} in size"
        )
    return x, implied


def check_range(value: float, unit: str) -> str | None:
    """Why ``value`` (in the target's ``unit``) is implausible, or None: a percentage lies in
    0–100, every other quantity of the plan (masses, counts, lengths, areas, concentrations,
    intensities, the synergy degree) is not negative."""
    if _is_percent(unit):
        if not 0 <= value <= 100:
            return f"{value:g} % 不在 0–100 % 之间 / is outside 0–100 %"
    elif value < 0:
        return f"{value:g} {unit} 为负数 / is negative"
    return None


def _is_percent(unit: str) -> bool:
    try:
        return convert(1.0, unit, "percent") == 1.0
    except UnitError:
        return False


def _unit_of(target: Target, text: str) -> str:
    """The pint unit a unit cell names: the target's own label (e.g. 亿立方米) means its unit."""
    labels = {target.unit, target.unit_text("zh"), target.unit_text("en")}
    return target.unit if text in labels else text


def parse_rows(
    plan: Plan,
    header: Iterable[object],
    rows: Iterable[Iterable[object]],
    *,
    source: str,
    first_row: int = 2,
    demo: bool = False,
    reported_on: dt.date | None = None,
    allowed: Callable[[Target, str | None, str | None], str | None] | None = None,
) -> list[ProgressRecord]:
    """Validate progress rows against ``plan``; return records or raise ImportRejected.

    ``allowed(target, district, reported_by)`` says why a row may not be written by whoever
    imports it (None when it may): such a row is refused like a bad one, naming the row.

    ``first_row`` is the spreadsheet row number of the first data row (2 below a header).
    Values given in another unit are converted to the target's unit (pint); a unit of a
    different dimension, an unknown target, district or body, or a duplicate
    (target, district, period) is refused.
    """
    columns = map_header(header)
    problems: list[RowProblem] = []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        names = ", ".join(f"'{c}' ({HEADERS_ZH[c]})" for c in missing)
        raise ImportRejected(
            source, [RowProblem(1, ",".join(missing), f"缺少列 / missing column(s) {names}")]
        )
    records: list[ProgressRecord] = []
    seen: dict[tuple[str, str | None, dt.date], int] = {}
    n = 0
    for offset, raw in enumerate(rows):
        row = list(raw)
        rownum = first_row + offset
        cell: Mapping[str, Any] = {
            k: (row[i] if i < len(row) else None) for k, i in columns.items()
        }
        if all(_blank(v) for v in cell.values()):
            continue
        n += 1
        bad = len(problems)
        target = None
        tid = str(cell["target_id"]).strip() if not _blank(cell["target_id"]) else ""
        if not tid:
            problems.append(RowProblem(rownum, "target_id", "为空 / empty"))
        else:
            try:
                target = plan.target(tid)
            except KeyError:
                problems.append(
                    RowProblem(
                        rownum,
                        "target_id",
                        f"方案 {plan.id} 中没有目标 '{tid}' / no target '{tid}' in plan "
                        f"'{plan.id}'",
                    )
                )
        period = None
        if _blank(cell["period"]):
            problems.append(RowProblem(rownum, "period", "为空 / empty"))
        else:
            try:
                period = parse_period(cell["period"])
            except ValueError as exc:
                problems.append(RowProblem(rownum, "period", str(exc)))
        value = None
        implied = None
        if _blank(cell["value"]):
            problems.append(RowProblem(rownum, "value", "为空 / empty"))
        else:
            try:
                value, implied = parse_number(cell["value"])
            except ValueError as exc:
                problems.append(RowProblem(rownum, "value", str(exc)))
        unit_cell = cell.get("unit")
        if value is not None and target is not None:
            given = None if _blank(unit_cell) else _unit_of(target, str(unit_cell).strip())
            column = "unit"
            if implied is not None:
                if given is not None and not _is_percent(given):
                    problems.append(
                        RowProblem(
                            rownum,
                            "value",
                            f"'{cell['value']}' is a "
                            f"percentage but the unit cell says '{unit_cell}'",
                        )
                    )
                    given = None
                else:
                    given, column = implied, "value"
            if given is not None:
                try:
                    value = convert(value, given, target.unit)
                except UnitError as exc:
                    problems.append(
                        RowProblem(rownum, column, f"{exc}(目标单位 / target unit: {target.unit})")
                    )
            implausible = check_range(value, target.unit)
            if implausible is not None:
                problems.append(RowProblem(rownum, "value", implausible))
        district = None
        if not _blank(cell.get("district")):
            try:
                district = plan.district(str(cell["district"]).strip()).code
            except KeyError:
                problems.append(
                    RowProblem(
                        rownum,
                        "district",
                        f"没有区 '{cell['district']}' / no district '{cell['district']}'",
                    )
                )
        body = None
        if str(cell.get("reported_by") or "").strip() in DERIVED_REPORTERS:
            body = str(cell["reported_by"]).strip()
        elif not _blank(cell.get("reported_by")):
            try:
                body = plan.body(str(cell["reported_by"]).strip()).code
            except KeyError:
                problems.append(
                    RowProblem(
                        rownum,
                        "reported_by",
                        f"没有单位 '{cell['reported_by']}' / no body '{cell['reported_by']}'",
                    )
                )
        if len(problems) > bad or target is None or period is None or value is None:
            continue
        refused = allowed(target, district, body) if allowed is not None else None
        if refused is not None:
            problems.append(RowProblem(rownum, "target_id", refused))
            continue
        key = (target.id, district, period)
        if key in seen:
            problems.append(
                RowProblem(
                    rownum,
                    "period",
                    f"与第 {seen[key]} 行重复(目标、区和期间相同) / duplicate of row {seen[key]} "
                    "(same target, district and period)",
                )
            )
            continue
        seen[key] = rownum
        evidence = None if _blank(cell.get("evidence")) else str(cell["evidence"]).strip()
        records.append(
            ProgressRecord(
                target_id=target.id,
                period_end=period,
                value=value,
                district=district,
                reported_by=body,
                evidence=evidence,
                reported_on=reported_on,
                demo=demo,
            )
        )
    if problems:
        raise ImportRejected(source, problems)
    if n == 0:
        raise ImportRejected(
            source, [RowProblem(first_row, "*", "文件没有数据行 / the file has no data rows")]
        )
    return records
