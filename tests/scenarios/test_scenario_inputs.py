"""Scenario files that cannot hurt: ``extends`` is an id (never a path) with a depth limit;
YAML anchors and aliases, deep nesting, huge files and huge numbers are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.scenarios.scenario import (
    MAX_EXTENDS,
    ScenarioError,
    load_scenario,
    safe_yaml,
)

HEAD = "id: mine\nzh: 我的\nen: Mine\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("parent", ["/etc/ssl/openssl.cnf", "../plan", "plan.yaml", "PLAN"])
def test_extends_takes_an_id_never_a_path(tmp_path: Path, parent: str) -> None:
    path = _write(tmp_path, "mine", HEAD + f"extends: {parent!r}\n")
    with pytest.raises(ScenarioError, match="a scenario id") as info:
        load_scenario(path)
    assert "openssl" not in str(info.value).split("not")[0]  # nothing of the file is quoted


def test_a_long_extends_chain_is_refused(tmp_path: Path) -> None:
    for i in range(MAX_EXTENDS + 2):
        _write(tmp_path, f"s{i}", f"id: s{i}\nzh: s\nen: s\nextends: s{i + 1}\n")
    _write(tmp_path, f"s{MAX_EXTENDS + 2}", f"id: s{MAX_EXTENDS + 2}\nzh: s\nen: s\n")
    with pytest.raises(ScenarioError, match="chain longer"):
        load_scenario("s0", tmp_path)


def test_an_alias_bomb_is_refused_at_once() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(ScenarioError, match="aliases"):
        safe_yaml(bomb, "bomb.yaml")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: " + "[" * 40 + "]" * 40, "nested deeper"),
        ("a: " + "9" * 5000, "too long"),
        ("a: '" + "x" * 70_000 + "'", "larger than"),
        ("a: [", "not valid YAML"),
    ],
)
def test_hostile_yaml_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ScenarioError, match=reason):
        safe_yaml(text, "x.yaml")


def test_ordinary_scenarios_still_load() -> None:
    for sid in ("baseline", "plan", "enhanced"):
        assert load_scenario(sid).id == sid
    assert safe_yaml("name: '长长的说明文字' \nvalue: 1500.5\n", "ok.yaml") == {
        "name": "长长的说明文字",
        "value": 1500.5,
    }
