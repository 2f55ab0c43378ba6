"""Shipped data cite public documents, never a machine path or an internal notes file.

Every source cell and note under ``xietong/data`` must name the published document (title,
table or section, edition) a value comes from. These tests walk every file there (binary files
alone are skipped) and fail, naming file and line, on:

- an absolute machine path (``/work/``, ``/home/``, ``/tmp/``, ``/root/``, ``/opt/``,
  ``/Users/``, a Windows drive path such as ``C:\\``, a ``file://`` URL). The same words inside
  a web address (``https://host/home/page``) are the copy's URL, not a path, and are allowed;
- the team's notes file (``REFERENCES`` in capitals, or ``references.md`` in any case);
- a search-tool id (``find_string id ...``) in place of the document that was read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xietong.datafiles import data_path

DATA = data_path()

FORBIDDEN: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a path segment not preceded by a host name or another segment (so not part of a URL)
    (
        "absolute path",
        re.compile(r"(?<![\w.~%/-])/(?:work|home|tmp|root|opt|Users)/"),
    ),
    ("Windows drive path", re.compile(r"(?<![A-Za-z])[A-Za-z]:[\\/](?!/)")),
    ("file URL", re.compile(r"file://", re.IGNORECASE)),
    ("notes file", re.compile(r"REFERENCES")),
    ("notes file", re.compile(r"references\.md", re.IGNORECASE)),
    ("search-tool id", re.compile(r"find_string\s+id", re.IGNORECASE)),
)


def _is_binary(raw: bytes) -> bool:
    return b"\x00" in raw


def _text_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file() and not _is_binary(p.read_bytes()))


def offences(text: str) -> list[tuple[int, str, str]]:
    """``(line number, what, the matched text)`` for every forbidden pattern in ``text``."""
    found: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        for what, pattern in FORBIDDEN:
            found.extend((number, what, m.group(0)) for m in pattern.finditer(line))
    return found


def test_the_walk_sees_the_shipped_files() -> None:
    files = _text_files()
    suffixes = {p.suffix for p in files}
    assert {".csv", ".yaml", ".md"} <= suffixes, suffixes
    assert DATA / "factors" / "fuel_china.csv" in files
    assert DATA / "cities" / "wuhan" / "statistics.csv" in files


@pytest.mark.parametrize("path", _text_files(), ids=lambda p: p.relative_to(DATA).as_posix())
def test_sources_name_documents_not_machine_paths(path: Path) -> None:
    # undecodable bytes are replaced, not skipped: the patterns are plain ASCII
    text = path.read_bytes().decode("utf-8", errors="replace")
    bad = offences(text)
    where = path.relative_to(DATA.parent.parent).as_posix()
    assert not bad, "\n".join(f"{where}:{n}: {what}: {hit!r}" for n, what, hit in bad)


@pytest.mark.parametrize(
    "text",
    [
        "value as given in /work/shared/REFERENCES.md",
        "copy at /home/alice/notes.txt",
        "(/tmp/x.csv)",
        "`/root/data`",
        "installed under /opt/tool/",
        "/Users/bob/Desktop/table.csv",
        r"C:\Users\bob\table.csv",
        "D:/data/table.csv",
        "file:///srv/table.csv",
        "per REFERENCES",
        "see docs/references.md",
        "chart data file (find_string id 1419298860)",
    ],
)
def test_forbidden_patterns_are_caught(text: str) -> None:
    assert offences(text), text


@pytest.mark.parametrize(
    "text",
    [
        "copy read at https://www.wuhan.gov.cn/home/tjgb/2023.html",
        "mirror at http://example.org/tmp/page.htm",
        "IPCC 2006 Guidelines, Vol.5 Ch.3, Table 3.2; ratio 1:2",
        "read in a secondary copy (the project's factor notes)",
        "Table 2.14 (references in the chapter)",
    ],
)
def test_urls_and_plain_citations_pass(text: str) -> None:
    assert not offences(text), offences(text)
