"""Peak detection on constructed series."""

from __future__ import annotations

from xietong.scenarios.peak import find_peak


def test_clear_peak() -> None:
    p = find_peak({2024: 90, 2025: 95, 2026: 100, 2027: 96, 2028: 90})
    assert (p.year, p.value, p.peaked_in_series) == (2026, 100, True)
    assert p.peaked_by(2030) and not p.peaked_by(2025)
    assert (p.plateau_start, p.plateau_end) == (2026, 2026)


def test_rising_series_has_not_peaked() -> None:
    p = find_peak({y: float(y) for y in range(2024, 2036)})
    assert p.year == 2035 and not p.peaked_in_series and not p.peaked_by(2035)


def test_plateau_within_band() -> None:
    p = find_peak({2028: 99.0, 2029: 100.0, 2030: 99.5, 2031: 98.5, 2032: 90.0})
    assert (p.plateau_start, p.plateau_end) == (2028, 2031)


def test_tie_takes_the_earliest_year() -> None:
    assert find_peak({2025: 5.0, 2026: 5.0, 2027: 1.0}).year == 2025


def test_flat_series_never_turns_down() -> None:
    assert not find_peak({2025: 5.0, 2026: 5.0}).peaked_in_series
