"""Extract the Chinese skeleton of the plan's measures from the seed text (transcription aid).

Prints YAML with chapter, number, title, actions (sentences split at 。), the verbatim
responsibility clause and body codes; English translations are added by hand afterwards.
Usage: python scripts/extract_measures.py SEED.txt > measures.yaml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

BODIES = {
    "市发改委": "drc",
    "市科技局": "stb",
    "市经信局": "eitb",
    "市生态环境局": "eeb",
    "市城建局": "ucb",
    "市交通运输局": "transport",
    "市农业农村局": "agri",
    "市商务局": "commerce",
    "市园林林业局": "forestry",
    "市地方金融局": "finance_local",
    "人行武汉分行营管部": "pbc_wuhan",
    "市自然资源规划局": "nrp",
    "市水务局": "water",
    "市城管委": "urban_mgmt",
    "市市场监管局": "samr",
    "市邮政管理局": "postal",
    "市机关事务局": "gov_offices",
    "市房管局": "housing",
    "市供销社": "supply_coop",
    "市司法局": "justice",
    "市财政局": "finance",
    "市统计局": "stats",
}
NUMS = "一二三四五六七八九十"


def cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("二十"):
        return 20 + (NUMS.index(text[2]) + 1 if len(text) > 2 else 0)
    if text.startswith("十"):
        return 10 + NUMS.index(text[1]) + 1
    return NUMS.index(text) + 1


def main(path: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    body = text[text.index("一、总体要求") :]
    chapter = 0
    measures = []
    for line in body.splitlines():
        line = line.strip()
        m = re.match(r"^([一二三四五六七])、(.+)$", line)
        if m:
            chapter = NUMS.index(m.group(1)) + 1
            continue
        m = re.match(r"^\(([一二三四五六七八九十]+)\)(.+)$", line)
        if not m:
            continue
        number = cn_number(m.group(1))
        rest = m.group(2)
        clause = None
        c = re.search(r"\(((?:市|人行)[^()]*?按职责分工落实[^)]*)\)$", rest)
        if c:
            clause = c.group(1)
            rest = rest[: c.start()]
        sentences = [s + "。" for s in rest.split("。") if s.strip()]
        title = sentences[0].rstrip("。")
        codes = []
        if clause:
            for name in re.split(
                "[、,]", re.sub(r"(负责)?按职责分工落实.*$", "", clause).replace("等", "")
            ):
                codes.append(BODIES[name.strip()])
        measures.append(
            {
                "number": number,
                "chapter": chapter,
                "title": {"zh": title, "en": "(translation needed)"},
                "actions": [{"zh": s, "en": "(translation needed)"} for s in sentences[1:]],
                "lead": codes[0] if codes else None,
                "cooperating": codes[1:],
                "districts_implement": True,
                "responsibility_sentence": clause,
            }
        )
    yaml.safe_dump(
        {"measures": measures}, sys.stdout, allow_unicode=True, sort_keys=False, width=1000
    )


if __name__ == "__main__":
    main(sys.argv[1])
