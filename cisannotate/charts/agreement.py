"""The agreement report's chart: agreement on each value, one against the rest, with its 95% interval.

One horizontal bar per value (relation first, then category, speaker,
attribution mode, channel), grouped by label: the bar is Krippendorff's alpha across the
annotators on "this value or not", the whisker its bootstrap interval. A value
whose figure rests on fewer than ten items is drawn hatched and labelled
"n < 10"; an undefined figure is written "n/a" where its bar would be. A team
reads off which categories its guidelines leave vague.

Qt-free: the figure is a plain ``matplotlib.figure.Figure`` (no pyplot, no
global state), which the window embeds with ``backend_qtagg`` and which saves
itself as PNG or SVG. matplotlib is imported here, when a chart is made, never
at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.agreement import NOMINAL_LABELS, ScopeAgreement, value_name
from ..core.compare import RELATION_ORDER

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

LABEL_TITLES = {
    "category": "Categories",
    "speaker": "Speakers",
    "mode": "Attribution modes",
    "channel": "Channels",
    "relation": "Relations",
}
SAVE_FORMATS = ("png", "svg")
# The fidelity relation first: it is the judgement the tool exists for.
CHART_ORDER = ("relation", *(label for label in NOMINAL_LABELS if label != "relation"))


@dataclass(frozen=True)
class Bar:
    """One bar of the chart: a label's value, its alpha (None: undefined), interval and n."""

    label: str
    name: str
    value: float | None
    low: float | None
    high: float | None
    n: int

    @property
    def few(self) -> bool:
        return self.n < 10


def bars(scope: ScopeAgreement, value_names: Mapping[str, Mapping[str, str]] | None = None) -> list[Bar]:
    """The bars of a scope's per-value figures, by label in report order, then by name (relations by fidelity)."""
    names = value_names or {}
    found = []
    for label in CHART_ORDER:
        values = scope.per_value.get(label, {})
        if label == "relation":
            order = sorted(values, key=lambda v: (RELATION_ORDER.index(v) if v in RELATION_ORDER else 99, v))
        else:
            order = sorted(values, key=lambda v: value_name(label, v, names).lower())
        for value in order:
            figure = values[value].group
            found.append(Bar(label, value_name(label, value, names), figure.value, figure.low, figure.high, figure.n))
    return found


def agreement_chart(
    scope: ScopeAgreement,
    value_names: Mapping[str, Mapping[str, str]] | None = None,
    *,
    title: str = "Agreement per value (one against the rest)",
    dark: bool = False,
) -> "MplFigure":
    """A matplotlib Figure of the scope's per-value alphas with their intervals."""
    from matplotlib.figure import Figure as MplFigure

    shown = bars(scope, value_names)
    groups = [label for label in CHART_ORDER if any(bar.label == label for bar in shown)]
    fg, bg = ("#e6e6e6", "#2b2b2e") if dark else ("#1c1c1e", "#ffffff")
    bar_colour, few_colour, whisker = ("#6ea8dc", "#8a8f99", "#f0f0f0") if dark else ("#2f6ea5", "#b7bcc5", "#1c1c1e")
    rows = max(1, len(shown))
    figure = MplFigure(figsize=(7.5, 1.2 + 0.28 * rows + 0.45 * len(groups)), facecolor=bg, layout="constrained")
    if not groups:
        axes = figure.add_subplot()
        axes.set_facecolor(bg)
        axes.axis("off")
        axes.text(0.5, 0.5, "No values to compare yet", ha="center", va="center", color=fg)
        return figure
    heights = [sum(1 for bar in shown if bar.label == label) for label in groups]
    lowest = min([0.0] + [x for bar in shown for x in (bar.value, bar.low) if x is not None])
    left = max(-1.0, -0.25 * ((-lowest // 0.25) + 1)) if lowest < 0 else -0.1
    grid = figure.add_gridspec(len(groups), 1, height_ratios=heights)
    figure.suptitle(title, color=fg, fontsize=11)
    for row, label in enumerate(groups):
        axes = figure.add_subplot(grid[row, 0])
        axes.set_facecolor(bg)
        mine = [bar for bar in shown if bar.label == label]
        positions = list(range(len(mine)))[::-1]
        for position, bar in zip(positions, mine):
            if bar.value is None:
                axes.text(0.02, position, f"n/a (n = {bar.n})", va="center", ha="left", color=fg, fontsize=8)
                continue
            axes.barh(position, bar.value, height=0.6, color=few_colour if bar.few else bar_colour,
                      hatch="//" if bar.few else None, edgecolor=fg if bar.few else None, linewidth=0.5)
            if bar.low is not None and bar.high is not None:
                axes.errorbar(bar.value, position, xerr=[[bar.value - bar.low], [bar.high - bar.value]],
                              fmt="none", ecolor=whisker, elinewidth=1, capsize=3)
            note = f"{bar.value:.2f}  n = {bar.n}" + ("  n < 10" if bar.few else "")
            axes.text(1.03, position, note, va="center", ha="left", color=fg, fontsize=8,
                      transform=axes.get_yaxis_transform())
        axes.set_yticks(positions, [bar.name for bar in mine], color=fg, fontsize=8)
        axes.set_xlim(left, 1.0)
        axes.set_ylim(-0.6, len(mine) - 0.4)
        axes.axvline(0.0, color=fg, linewidth=0.6)
        axes.axvline(0.8, color=fg, linewidth=0.6, linestyle=":")
        axes.set_title(LABEL_TITLES.get(label, label), loc="left", color=fg, fontsize=9)
        axes.tick_params(colors=fg, labelsize=8)
        for spine in axes.spines.values():
            spine.set_color(fg)
        if row < len(groups) - 1:
            axes.set_xticklabels([])
        else:
            axes.set_xlabel("Krippendorff's alpha, 95% bootstrap interval (dotted line: 0.8)", color=fg, fontsize=8)
    return figure


def save_chart(figure: "MplFigure", path: Path) -> None:
    """Write the chart as PNG or SVG, chosen by the file's suffix."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in SAVE_FORMATS:
        raise ValueError(f"{path}: save the chart as .png or .svg, not {path.suffix or 'no suffix'}")
    figure.savefig(path, format=kind, dpi=150, facecolor=figure.get_facecolor())
