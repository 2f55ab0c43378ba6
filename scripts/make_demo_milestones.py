"""Write the demo milestone reports of the Wuhan plan: ``xietong/data/cities/wuhan/milestones.csv``.

One row per report: which milestone, the day its state was reported, the state
(``not_started``, ``in_progress``, ``done``), the district that reports it (empty for a
city-wide report), the body that reported it and the evidence. A milestone may have several
reports; the latest one gives its state.

Deterministic (no randomness beyond a fixed seed). Almost every row is synthetic and its
evidence starts with 演示数据 (demo), so the platform labels it as demo wherever it shows. No
public source that a milestone was completed was found when this table was written; a report
read in a public source would cite it in ``evidence`` instead. What the demo shows:

- most milestones have one or two reports (the year ends 2023 and 2024);
- a few have none (``UNREPORTED``), so "no report" shows;
- a few are past due and still ``in_progress`` (``LATE``): the annual reports of 2023 and 2024
  of some districts, due at those year ends;
- every-district milestones are reported by each district (``district`` set, reported by
  ``district_govs``); a milestone of named host districts is reported by those districts.

The milestones are read from the plan (``xietong/data/plans/wuhan-2023.yaml``), so a milestone
added there gets demo reports here.
Run: ``.venv/bin/python scripts/make_demo_milestones.py``
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from xietong.plan.loader import load_plan
from xietong.plan.models import Applies, Milestone

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "xietong" / "data" / "cities" / "wuhan" / "milestones.csv"
DEMO = "演示数据 demo: synthetic status for demonstration, not an official report"
FIELDS = ["milestone_id", "date", "state", "district", "reported_by", "evidence"]

REPORT_DAYS = (dt.date(2023, 12, 31), dt.date(2024, 12, 31))
"""The days the demo reports are dated: the year ends after the plan was issued."""

UNREPORTED = frozenset(
    {
        "four-eco-synergy-zones",
        "green-power-trading-pilot",
        "integrated-verification-enforcement",
        "synergy-assessment-system",
        "annual-report-2025",
        "annual-report-2026",
        "annual-report-2027",
        "annual-report-2028",
        "annual-report-2029",
        "annual-report-2030",
    }
)
"""Milestones with no report at all (the later annual reports are not due yet)."""

LATE: dict[str, frozenset[str]] = {
    "annual-report-2023": frozenset({"hannan", "changjiang"}),
    "annual-report-2024": frozenset({"hannan", "qiaokou", "east_lake_scenic"}),
}
"""Past-due annual reports that the named districts still report as ``in_progress``."""


def _annual_report(ms: Milestone, district: str) -> list[tuple[dt.date, str]]:
    """An annual report: done by its due day, or still in progress a few weeks later."""
    if district in LATE.get(ms.id, frozenset()):
        return [(ms.due + dt.timedelta(days=31), "in_progress")]
    return [(ms.due, "done")]


def _reports(ms: Milestone, rng: random.Random) -> list[tuple[dt.date, str]]:
    """The (date, state) reports of one reporter on an ordinary milestone: one or two year-end
    reports, the state moving forward (not_started → in_progress → done); nothing more is
    reported once it is done."""
    order = ["not_started", "in_progress", "done"]
    first = rng.choices(order, weights=[2, 6, 2])[0]
    out = [(REPORT_DAYS[0], first)]
    if first != "done" and rng.random() < 0.7:
        nxt = order[min(order.index(first) + rng.choice([0, 1, 1]), 2)]
        out.append((REPORT_DAYS[1], nxt))
    return out


def rows() -> list[dict[str, str]]:
    """All rows of the demo table, in a fixed order."""
    plan = load_plan("wuhan-2023")
    district_codes = [d.code for d in plan.districts]
    rng = random.Random(2024)
    out: list[dict[str, str]] = []
    for _measure, ms in plan.milestones():
        if ms.id in UNREPORTED:
            continue
        if ms.applies is Applies.EVERY_DISTRICT:
            reporters = [(d, "district_govs") for d in district_codes]
        elif ms.applies is Applies.DISTRICTS:
            reporters = [(d, "district_govs") for d in ms.districts]
        else:
            reporters = [("", ms.body or "")]
        for district, body in reporters:
            if ms.id.startswith("annual-report-"):
                reports = _annual_report(ms, district)
            else:
                reports = _reports(ms, rng)
            for day, state in reports:
                out.append(
                    {
                        "milestone_id": ms.id,
                        "date": day.isoformat(),
                        "state": state,
                        "district": district,
                        "reported_by": body,
                        "evidence": DEMO,
                    }
                )
    out.sort(key=lambda r: (r["milestone_id"], r["district"], r["date"]))
    return out


def main() -> None:
    """Write the CSV (UTF-8 with BOM so that Excel opens the Chinese text correctly)."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
