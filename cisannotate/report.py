"""The findings report: one self-contained HTML file to share, for the command line and the window.

The file holds the Findings figures as inline SVG, the agreement summary and a
table of distortions with the article's and the transcript's wording side by
side. It fetches nothing (no script, font, stylesheet or image from anywhere),
so it opens offline in any browser, and it prints cleanly (a print stylesheet
keeps each chart on one page and drops the screen margins).

Qt-free: the window's File menu and ``cisannotate report`` both call
:func:`write_report`.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__, findings as findings_module
from .core.model import REVIEWED_LAYER
from .findings import Findings
from .storage import Store

SUFFIXES = (".html", ".htm")


class ReportError(Exception):
    """The report cannot be made or written; the message names the file or option and the problem."""


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    layer: str
    event: str | None
    charts: int
    claims: int
    distortions: int

    def line(self) -> str:
        scope = f"event {self.event}" if self.event else "the whole project"
        return (f"wrote {self.path}: {self.charts} charts, {self.claims} claims, {self.distortions} distortions "
                f"(layer {self.layer}, {scope})")


def choose_layer(store: Store, layer: str | None) -> str:
    layers = findings_module.layers(store)
    if layer is None:
        chosen = findings_module.default_layer(layers)
        if chosen is None:
            raise ReportError(f"{store.path}: no annotations yet, so there is nothing to report")
        return chosen
    if layer not in layers:
        raise ReportError(f"{store.path}: no annotations in layer {layer!r} (layers: {', '.join(layers) or 'none'})")
    return layer


def choose_event(store: Store, event: str | None) -> str | None:
    if event is None:
        return None
    names = [row.event for row in findings_module.events(store)]
    if event not in names:
        raise ReportError(f"{store.path}: no event {event!r} (events: {', '.join(names) or 'none'})")
    return event


def check_output(out: Path, project: Path | None = None) -> Path:
    """Refuse an output path that cannot take the report, before anything is computed or written."""
    out = Path(out)
    if out.is_dir():
        raise ReportError(f"{out}: is a folder; name the file, e.g. {out / 'report.html'}")
    if out.suffix.lower() not in SUFFIXES:
        raise ReportError(f"{out}: the report is an HTML file; name it with .html")
    if not out.parent.is_dir():
        raise ReportError(f"{out}: the folder {out.parent} does not exist")
    if project is not None and out.exists() and out.resolve() == Path(project).resolve():
        raise ReportError(f"{out}: is the project itself; choose another name")
    if not os.access(out.parent, os.W_OK):
        raise ReportError(f"{out}: cannot write in {out.parent} (permission denied)")
    return out


def write_report(store: Store, out: Path | str, *, layer: str | None = None, event: str | None = None) -> ReportSummary:
    """Write the report of ``layer`` (default: the reviewed layer, else the first) over ``event``
    (default: the whole project) to ``out``, atomically."""
    from .io.exchange import write_atomic

    out = check_output(Path(out), store.path)
    layer = choose_layer(store, layer)
    event = choose_event(store, event)
    found = findings_module.compute(store, layer, event)
    page, charts = render_html(store, found)
    try:
        write_atomic(out, page, protect=[store.path] if store.path is not None else [])
    except OSError as exc:
        raise ReportError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    return ReportSummary(out, layer, event, charts, len(found.claims), len(found.distortions))


def build_report(store: Store, *, layer: str | None = None, event: str | None = None) -> str:
    """The report's HTML, without writing it."""
    layer = choose_layer(store, layer)
    event = choose_event(store, event)
    return render_html(store, findings_module.compute(store, layer, event))[0]


# ------------------------------------------------------------------ rendering
_CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1d;
       max-width: 62rem; margin: 2rem auto; padding: 0 1.2rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
.meta { color: #555; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 0.6rem 2rem; padding: 0; list-style: none; }
.figures li b { font-size: 1.3rem; display: block; }
figure.chart { margin: 1.2rem 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 0.85rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; margin: 0.6rem 0; }
th, td { border: 1px solid #d4d4d4; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f1f1f1; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wording { width: 38%; }
.note { color: #555; font-size: 0.88rem; }
@page { margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure.chart, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(store: Store, found: Findings) -> tuple[str, int]:
    """The page and the number of charts in it."""
    from .charts.findings import build_all

    project = store.path.name if store.path else "project"
    scope = f"event {found.event}" if found.event else "the whole project"
    charts = build_all(found)
    reported = sum(line.reported for line in found.coverage)
    outlets = {claim.outlet for claim in found.claims}
    articles = {claim.row.document_id for claim in found.claims}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="cisannotate {_e(__version__)}">',
        # Nothing is fetched: no script, font, stylesheet or image comes from outside this file.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        f"<title>Findings: {_e(project)} ({_e(found.layer)} layer)</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>What the media did with the speech</h1>",
        f'<p class="meta">Project <b>{_e(project)}</b> · layer <b>{_e(found.layer)}</b> · {_e(scope)} · '
        f"written {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M')} UTC by cisannotate {_e(__version__)}</p>",
        '<ul class="figures">',
        f"<li><b>{len(found.claims)}</b>claims</li>",
        f"<li><b>{len(articles)}</b>articles</li>",
        f"<li><b>{len(outlets)}</b>outlets</li>",
        f"<li><b>{reported} of {len(found.coverage)}</b>source lines reported</li>",
        f"<li><b>{len(found.distortions)}</b>distortions</li>",
        "</ul>",
        "<h2>Figures</h2>",
    ]
    for chart in charts:
        svg = chart.svg().replace("<svg ", f'<svg role="img" aria-label="{_e(chart.description)}" ', 1)
        parts.append(f'<figure class="chart" id="chart-{_e(chart.key)}" data-chart="{_e(chart.key)}">{svg}'
                     f"<figcaption>{_e(chart.description)}</figcaption></figure>")
    parts += _agreement_section(store)
    parts += _distortions_section(found)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n", len(charts)


def _agreement_section(store: Store) -> list[str]:
    from .core.agreement import FIGURE_LABELS, GROUP_FIGURES, PAIR_FIGURES
    from .adjudication import compute_report

    annotators = [layer for layer in findings_module.layers(store) if layer != REVIEWED_LAYER]
    out = ["<h2>Agreement between annotators</h2>"]
    if len(annotators) < 2:
        out.append(f'<p class="note">Agreement needs at least two annotators\' layers; this project has '
                   f"{len(annotators)}.</p>")
        return out
    # The table shows value and n only: no bootstrap intervals to compute.
    report = compute_report(store, annotators, bootstrap=0)
    out.append(f'<p class="note">Over the whole project, layers {_e(", ".join(annotators))}. Every figure with '
               "the number of items it rests on (n); n/a where it is undefined.</p>")
    out.append("<table><thead><tr><th>figure</th><th>annotators</th><th>value</th><th>n</th></tr></thead><tbody>")
    rows = []
    for (a, b), figures in report.overall.pairs.items():
        rows += [(FIGURE_LABELS[name], f"{a} | {b}", figures[name]) for name in PAIR_FIGURES]
    rows += [(FIGURE_LABELS[name], "all", report.overall.group[name]) for name in GROUP_FIGURES]
    for label, who, figure in rows:
        value = "n/a" if figure.value is None else f"{figure.value:.3f}"
        out.append(f'<tr><td>{_e(label)}</td><td>{_e(who)}</td><td class="num">{value}</td>'
                   f'<td class="num">{figure.n}</td></tr>')
    out.append("</tbody></table>")
    return out


def _distortions_section(found: Findings) -> list[str]:
    out = ["<h2>Distortions</h2>"]
    if not found.distortions:
        out.append('<p class="note">No link in this layer is judged a distortion.</p>')
        return out
    out.append('<p class="note">Every link judged a distortion: what the article says beside what the '
               "transcript says.</p>")
    out.append("<table><thead><tr><th>article</th><th>article's wording</th><th>transcript's wording</th>"
               "<th>lines</th></tr></thead><tbody>")
    for item in found.distortions:
        lines = ", ".join(str(n) for n in item.lines) or "–"
        out.append(
            f"<tr><td>{_e(item.outlet)}<br><small>{_e(item.article)}{(' · ' + _e(item.date)) if item.date else ''}"
            f'</small></td><td class="wording">{_e(item.article_wording)}</td>'
            f'<td class="wording">{_e(item.transcript_wording)}</td><td class="num">{_e(lines)}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def run_report(project: str, out: str, layer: str | None, event: str | None) -> ReportSummary:
    """What ``cisannotate report`` does: open read-only, check, write."""
    path = Path(project)
    if not path.is_file():
        raise ReportError(f"{path}: no such project")
    check_output(Path(out), path)
    store = Store.open(path, create=False, read_only=True)
    try:
        return write_report(store, out, layer=layer, event=event)
    finally:
        store.close()
