"""Finding a target, measure, task, body or district by what a user types: part of its code or
name in Chinese or English, its pinyin, or the initials of its pinyin (``jtysj`` finds
市交通运输局, ``xnyqc`` the task on 新能源汽车 charging).

Pinyin is read with pypinyin (its default dictionary, heteronyms resolved by its phrase
table); a name is indexed with the ``市`` prefix of city bodies and without it, so ``jtj`` and
``sjtj`` both find 市交通运输局's short forms where they match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from xietong.plan.models import Plan
from xietong.plan.tasks import TaskLedger

KINDS = ("target", "measure", "task", "body", "district")
"""What can be found, in the order results are grouped."""


@dataclass(frozen=True)
class Entry:
    """One thing that can be found: its kind, code, names and page."""

    kind: str
    code: str
    zh: str
    en: str
    url: str
    keys: tuple[str, ...]
    """What a query is matched against (lower case): code, names, pinyin, initials."""


@lru_cache(maxsize=8192)
def pinyin_keys(text: str) -> tuple[str, str]:
    """The pinyin of ``text`` without tones or spaces, and its initials (other characters kept
    as they are, lower case).

    >>> pinyin_keys("市交通运输局")
    ('shijiaotongyunshuju', 'sjtysj')
    """
    full = "".join(lazy_pinyin(text)).lower()
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
    return full.replace(" ", ""), initials.replace(" ", "")


def _keys(code: str, zh: str, en: str) -> tuple[str, ...]:
    keys = [code.lower(), zh.lower(), en.lower()]
    for name in {zh, zh.removeprefix("市")}:
        keys.extend(pinyin_keys(name))
    return tuple(dict.fromkeys("".join(k.split()) for k in keys if k))


def build_index(plan: Plan, ledger: TaskLedger | None = None) -> tuple[Entry, ...]:
    """Every target, measure, task, body and district of the plan (and its ledger)."""
    out = [_entry("target", t.id, t.indicator.zh, t.indicator.en, "targets") for t in plan.targets]
    out += [
        _entry("measure", str(m.number), m.title.zh, m.title.en, "measures") for m in plan.measures
    ]
    if ledger is not None:
        for task in ledger.tasks:
            keys = (*_keys(task.id, task.text.zh, task.text.en), "".join(task.clause.split()))
            out.append(
                Entry("task", task.id, task.text.zh, task.text.en, f"/tasks/{task.id}", keys)
            )
    out += [_entry("body", b.code, b.name.zh, b.name.en, "bodies") for b in plan.bodies]
    out += [_entry("district", d.code, d.name.zh, d.name.en, "districts") for d in plan.districts]
    return tuple(out)


def _entry(kind: str, code: str, zh: str, en: str, pages: str) -> Entry:
    """An entry found by its code and names, whose page is ``/{pages}/{code}``."""
    return Entry(kind, code, zh, en, f"/{pages}/{code}", _keys(code, zh, en))


def _score(entry: Entry, q: str) -> int:
    """0 when the entry does not match; higher for a closer match (the code itself, a key
    that starts with the query, one that holds it)."""
    if entry.code.lower() == q:
        return 4
    best = 0
    for key in entry.keys:
        if key == q:
            return 3
        if key.startswith(q):
            best = max(best, 2)
        elif q in key:
            best = max(best, 1)
    return best


def search(index: Sequence[Entry], query: str, limit: int = 50) -> list[Entry]:
    """The entries matching ``query`` (case and spaces ignored; at most 100 characters read),
    closest first, then by kind (targets, measures, tasks, bodies, districts) and in plan
    order; at most ``limit``."""
    q = "".join(query.split()).lower()[:100]
    if not q:
        return []
    scored = [(s, KINDS.index(e.kind), i, e) for i, e in enumerate(index) if (s := _score(e, q))]
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    return [e for *_, e in scored[:limit]]


def grouped(found: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Results by kind, in :data:`KINDS` order (kinds with none left out)."""
    out: dict[str, list[Entry]] = {k: [] for k in KINDS}
    for e in found:
        out[e.kind].append(e)
    return {k: v for k, v in out.items() if v}
