"""The Findings charts: matplotlib figures built from ``cisannotate.findings``, without Qt.

Each builder returns a :class:`Chart`: a ``matplotlib.figure.Figure`` (no
pyplot, so no global state and no backend is chosen), the claims behind each
bar (``picks``, keyed by the bar's artist, for the window's clicks), the data as
CSV, and ways to write PNG and SVG. The window embeds the same figures in a Qt
canvas; the HTML report inlines their SVG. matplotlib is imported inside the
functions, so importing this module costs nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import NO_CHANNEL, NO_SOURCE, NOT_LINKED, Findings, LineCoverage, Table

# Colour-blind-safe colours (Okabe-Ito) where the order means something: dark blue is most faithful.
RELATION_COLORS = {
    "verbatim": "#0b4f8a",
    "close paraphrase": "#56b4e9",
    "loose paraphrase": "#e69f00",
    "distortion": "#c0392b",
    NO_SOURCE: "#9a9a9a",
}
UNREPORTED_COLOR = "#d62728"
UNREPORTED_FILL = "#f6c9c4"
MODE_COLORS = {
    "direct quote": "#0072b2",
    "partial quote": "#56b4e9",
    "indirect speech": "#009e73",
    "paraphrase": "#e69f00",
    "unattributed": "#999999",
}
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
NO_CHANNEL_COLOR = "#c8c8c8"
FORMATS = (".png", ".svg")

_RC = {
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
    "legend.frameon": False,
}


class ChartError(Exception):
    """A chart could not be written (the message names the file and the problem)."""


@dataclass(frozen=True)
class Pick:
    """What stands behind one bar: the claims counted there, or a place to go when there are none."""

    label: str
    claims: tuple[str, ...]
    row: str = ""  # the table's row (an outlet, a date) or the transcript's id
    column: str = ""  # the table's column (a relation, a mode...) or the line's number
    document_id: str | None = None
    start: int = 0
    end: int = 0


@dataclass
class Chart:
    key: str
    title: str
    figure: Any  # matplotlib.figure.Figure
    picks: dict[Any, Pick] = field(default_factory=dict)
    csv: str = ""
    description: str = ""

    def pick_of(self, artist: Any) -> Pick | None:
        return self.picks.get(artist)

    def save(self, path: Path | str) -> Path:
        """Write the chart as PNG or SVG, chosen by the file's suffix; nothing half-written on failure."""
        path = Path(path)
        suffix = path.suffix.lower()
        if path.is_dir():
            raise ChartError(f"{path}: is a folder; name the file")
        if suffix not in FORMATS:
            raise ChartError(f"{path}: a chart is saved as .png or .svg, not {path.suffix or 'a file without suffix'}")
        data = self.svg().encode("utf-8") if suffix == ".svg" else self.png()
        try:
            _write_atomic(path, data)
        except OSError as exc:
            raise ChartError(f"{path}: cannot write ({exc.strerror or exc})") from exc
        return path

    def png(self, dpi: int = 150) -> bytes:
        import matplotlib

        out = io.BytesIO()
        with matplotlib.rc_context(_RC):
            self.figure.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
        return out.getvalue()

    def svg(self) -> str:
        """The chart as one ``<svg>`` element (no XML prologue), text kept as text, ids unique to the chart."""
        import matplotlib

        out = io.BytesIO()
        # "none": text stays text (searchable, read aloud) in the system's font, which a browser
        # has; the salt keeps the clip-path ids of two charts in one page apart.
        with matplotlib.rc_context({**_RC, "svg.fonttype": "none", "svg.hashsalt": f"cis-{self.key}"}):
            self.figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        text = out.getvalue().decode("utf-8")
        return text[text.index("<svg"):]


def _write_atomic(path: Path, data: bytes) -> None:
    """The old file or the whole new one, never half: the project's one atomic write."""
    from ..storage.atomic import write_atomic

    write_atomic(path, data)


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _empty(figure, title: str, message: str) -> None:
    ax = figure.add_subplot()
    ax.set_title(title, loc="left")
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_axis_off()


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def table_colors(table: Table) -> dict[str, str]:
    """The colour of each column: relations and modes fixed, categories from the codebook, the rest a palette."""
    colors: dict[str, str] = {}
    spare = iter(PALETTE * (1 + len(table.columns) // len(PALETTE)))
    for column in table.columns:
        color = table.colors.get(column) or RELATION_COLORS.get(column) or MODE_COLORS.get(column)
        if column == NO_CHANNEL:
            color = NO_CHANNEL_COLOR
        colors[column] = color or next(spare)
    return colors


def table_chart(table: Table, *, share: bool = False, vertical: bool = False, note: str = "") -> Chart:
    """A stacked bar per row of ``table`` (an outlet, a date), one segment per column with claims.

    ``share``: segments are shares of the row's total (its n is printed beside the bar).
    ``vertical``: bars stand on the x axis (a time line); otherwise they lie, one per outlet.
    """
    import matplotlib

    with matplotlib.rc_context(_RC):
        rows = list(table.rows)
        if vertical:
            figure = _figure(9.0, 3.6)
        else:
            figure = _figure(9.0, 1.5 + 0.42 * max(1, len(rows)) + 0.25 * (len(table.columns) > 4))
        chart = Chart(table.key, table.title, figure, csv=table.to_csv(),
                      description=f"{table.title}: {table.total} claims")
        if not rows:
            figure.set_size_inches(9.0, 1.3)
            _empty(figure, table.title, "No claims of this kind in the layer")
            return chart
        ax = figure.add_subplot()
        figure.suptitle(table.title, x=0.01, ha="left", fontsize=11, fontweight="bold")
        if note or table.note:
            ax.set_title(note or table.note, loc="left", fontsize=8, fontweight="normal", color="#444444")
        colors = table_colors(table)
        positions = list(range(len(rows)))
        if not vertical:
            positions = positions[::-1]  # the first row on top
        base = [0.0] * len(rows)
        for column in table.columns:
            values = []
            for row in rows:
                count = table.count(row, column)
                total = table.row_total(row)
                values.append(count / total * 100 if share and total else float(count))
            if vertical:
                bars = ax.bar(positions, values, bottom=base, color=colors[column], label=column, width=0.6)
            else:
                bars = ax.barh(positions, values, left=base, color=colors[column], label=column, height=0.6)
            for index, (patch, row) in enumerate(zip(bars.patches, rows)):
                count = table.count(row, column)
                if not count:
                    continue
                patch.set_gid(f"{table.key}-bar-{index}-{table.columns.index(column)}")
                chart.picks[patch] = Pick(f"{row} · {column}: {count} claim{'s' * (count != 1)}",
                                          table.claims(row, column), row, column)
                size = values[index]
                if (share and size >= 7) or (not share and size >= 1 and not vertical and count >= 1):
                    x, y = patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2
                    ax.text(x, y, str(count), ha="center", va="center", fontsize=7,
                            color="white" if column in ("verbatim", "distortion", "direct quote") else "black")
            base = [b + v for b, v in zip(base, values)]
        labels = [_short(row) for row in rows]
        if vertical:
            ax.set_xticks(positions, labels, rotation=30 if len(rows) > 4 else 0, ha="right" if len(rows) > 4 else "center")
            ax.set_ylabel("claims")
            ax.yaxis.get_major_locator().set_params(integer=True)
        else:
            ax.set_yticks(positions, labels)
            ax.set_xlabel("share of the outlet's claims (%)" if share else "claims")
            if share:
                ax.set_xlim(0, 100)
                for position, row in zip(positions, rows):
                    ax.text(101, position, f"n = {table.row_total(row)}", va="center", fontsize=8, clip_on=False)
            else:
                ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0 if not share else 1.08, 1.0), title=None)
        return chart


def coverage_chart(lines: Sequence[LineCoverage], title: str = "Transcript coverage") -> Chart:
    """Every source line along each transcript: how many articles carried it, coloured by the strongest
    relation; a line no article reported is a pale red box below the axis."""
    import matplotlib
    from matplotlib.patches import Patch

    from ..findings import coverage_csv

    transcripts: dict[str, list[LineCoverage]] = {}
    for line in lines:
        transcripts.setdefault(line.transcript_id, []).append(line)
    with matplotlib.rc_context(_RC):
        figure = _figure(9.0, 0.9 + 2.3 * max(1, len(transcripts)))
        reported = sum(line.reported for line in lines)
        chart = Chart("coverage", title, figure, csv=coverage_csv(lines),
                      description=f"{title}: {reported} of {len(lines)} source lines reported")
        if not transcripts:
            _empty(figure, title, "No transcript with source lines in this scope")
            return chart
        axes = figure.subplots(len(transcripts), 1, squeeze=False)[:, 0]
        top = max([len(line.articles) for line in lines] + [1])
        for t_index, (ax, (transcript_id, tlines)) in enumerate(zip(axes, transcripts.items())):
            numbers = [line.number for line in tlines]
            heights = [len(line.articles) if line.reported else -0.35 for line in tlines]
            colors = [RELATION_COLORS[line.strongest] if line.strongest else UNREPORTED_FILL for line in tlines]
            edges = [UNREPORTED_COLOR if not line.reported else "none" for line in tlines]
            bars = ax.bar(numbers, heights, width=0.8, color=colors, edgecolor=edges, linewidth=0.6)
            for index, (patch, line) in enumerate(zip(bars.patches, tlines)):
                patch.set_gid(f"coverage-bar-{t_index}-{index}")
                if line.reported:
                    label = (f"Line {line.number}: {len(line.articles)} article{'s' * (len(line.articles) != 1)}"
                             f" · strongest: {line.strongest}")
                else:
                    label = f"Line {line.number}: reported by no article"
                chart.picks[patch] = Pick(label, line.claims, line.transcript_id, str(line.number),
                                          line.transcript_id, line.start, line.end)
            count = sum(line.reported for line in tlines)
            ax.set_title(f"{_short(tlines[0].transcript_title, 70)} — {count} of {len(tlines)} lines reported",
                         loc="left", fontsize=9.5)
            ax.set_ylim(-0.6, top + 0.4)
            ax.axhline(0, color="#444444", linewidth=0.6)
            ax.set_xlim(min(numbers) - 0.8, max(numbers) + 0.8)
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.set_ylabel("articles")
        axes[-1].set_xlabel("source line")
        handles = [Patch(color=RELATION_COLORS[r], label=r) for r in RELATION_COLORS if r != NO_SOURCE]
        handles.append(Patch(facecolor=UNREPORTED_FILL, edgecolor=UNREPORTED_COLOR, label="reported by no article"))
        figure.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
        axes[0].legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.12), ncol=5)
        return chart


def fidelity_chart(findings: Findings) -> Chart:
    unlinked = sum(len(ids) for ids in findings.unlinked.values())
    note = "Each claim under the least faithful relation of its links"
    if unlinked:
        note += f"; {unlinked} claim{'s' * (unlinked != 1)} {NOT_LINKED} left out"
    return table_chart(findings.fidelity, share=True, note=note)


def build_all(findings: Findings) -> list[Chart]:
    """Every chart of the Findings view, in the order the view and the report show them."""
    charts = [
        coverage_chart(findings.coverage),
        fidelity_chart(findings),
        table_chart(findings.modes),
        table_chart(findings.channels),
        table_chart(findings.categories),
    ]
    if findings.timeline is not None:
        charts.append(table_chart(findings.timeline, vertical=True))
    return charts


__all__ = [
    "Chart", "ChartError", "MODE_COLORS", "Pick", "RELATION_COLORS", "build_all",
    "coverage_chart", "fidelity_chart", "table_chart",
]
