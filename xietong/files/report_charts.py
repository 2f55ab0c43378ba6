"""Charts for the printed reports, drawn on the server as PNG images (matplotlib, Agg, Noto
Sans CJK for the Chinese labels): the same picture goes into the Word document and the PDF.

Each function takes plain numbers and labels and returns the PNG's bytes. The image carries no
time stamp or software tag, so the same figures give the same bytes (the reports are
reproducible). A value of None is drawn as a gap (a bar of 0 height, a break in a line).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FONT = ("Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans")
"""The font families tried in order (set-up installs Noto Sans CJK; matplotlib reads the first
face of its collection file, which it names JP: it holds the simplified Chinese glyphs too)."""
WIDTH_IN, HEIGHT_IN, DPI = 7.0, 3.8, 150
PALETTE = (
    "#2f6b9a",
    "#d08c2e",
    "#4e9a5b",
    "#b04a4a",
    "#7a5ea8",
    "#5b8d9e",
    "#a3a33a",
    "#8c6d5a",
    "#c46aa0",
    "#6f6f6f",
)


def _families() -> list[str]:
    """The families of :data:`FONT` that matplotlib has (so it does not warn of the others)."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in FONT if f in known] or ["DejaVu Sans"]


def _figure(title: str, unit: str) -> tuple[Figure, Axes]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams["font.family"] = _families()
    matplotlib.rcParams["axes.unicode_minus"] = False
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(unit, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", linewidth=0.4, alpha=0.5)
    return fig, ax


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    unit: str,
    stacked: bool = False,
) -> bytes:
    """Bars of each series over ``categories`` (side by side, or stacked: positive values
    upwards from 0, negative ones such as a forest sink downwards), as PNG bytes."""
    fig, ax = _figure(title, unit)
    n = max(len(series), 1)
    width = 0.8 if stacked else 0.8 / n
    above = [0.0] * len(categories)  # stacked: positive values upwards, removals downwards
    below = [0.0] * len(categories)
    for i, (name, values) in enumerate(series.items()):
        heights = [0.0 if v is None else float(v) for v in values]
        xs = [j if stacked else j - 0.4 + width * (i + 0.5) for j in range(len(categories))]
        colour = PALETTE[i % len(PALETTE)]
        if stacked:
            base = [b if h < 0 else a for h, a, b in zip(heights, above, below, strict=True)]
            ax.bar(xs, heights, width, bottom=base, label=name, color=colour)
            above = [a + max(h, 0.0) for a, h in zip(above, heights, strict=True)]
            below = [b + min(h, 0.0) for b, h in zip(below, heights, strict=True)]
        else:
            ax.bar(xs, heights, width, label=name, color=colour)
    if any(below):
        ax.axhline(0, linewidth=0.6, color="#333333")
    ax.set_xticks(
        range(len(categories)), list(categories), rotation=30 if len(categories) > 8 else 0
    )
    if len(series) > 1:
        ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return _png(fig)


def line_chart(
    xs: Sequence[int | str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    unit: str,
    thresholds: Mapping[str, float] | None = None,
) -> bytes:
    """A line per series over ``xs`` (None breaks the line), with optional labelled
    horizontal reference lines, as PNG bytes."""
    fig, ax = _figure(title, unit)
    labels = [str(x) for x in xs]
    for i, (name, values) in enumerate(series.items()):
        ys = [float("nan") if v is None else float(v) for v in values]
        ax.plot(labels, ys, marker="o", markersize=3, label=name, color=PALETTE[i % len(PALETTE)])
    for name, level in (thresholds or {}).items():
        ax.axhline(level, linestyle="--", linewidth=0.8, color="#888888")
        ax.annotate(name, (0, level), fontsize=6, color="#555555", va="bottom")
    if len(series) > 1:
        ax.legend(fontsize=7, frameon=False)
    return _png(fig)


def data_uri(png: bytes) -> str:
    """``png`` as a ``data:`` URI for an HTML page (what WeasyPrint embeds in the PDF)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
