"""Findings: what the media did with the speech, as figures over one layer.

Qt-free and SQL-free: the rows come from ``storage.findings``; this module
counts them. The same figures feed the window's Findings view, the charts
(``cisannotate.charts.findings``) and the HTML report (``cisannotate.report``).

Definitions (the README's glossary says the same in words):

* A **claim** here is a span of an article in the chosen layer.
* **Transcript coverage**: for each source line, the articles whose claims link
  to a stretch overlapping the line, and the strongest relation among those
  links (verbatim > close paraphrase > loose paraphrase > distortion). A line
  no article reaches is *unreported*.
* **Fidelity by outlet**: each claim counts once, under the least faithful
  relation of its links (a claim that distorts part of what it reports is a
  distortion), or under *no source* when it has no link and is marked as
  having no source. Claims neither linked nor marked are *not linked yet* and
  are left out of the shares (their number is given beside them).
* **Attribution**: claims with an attribution mode, per outlet and mode; and
  per outlet and channel, where claims with a mode but no channel count as
  *no channel named*.
* **Claims by category**: claims with a category, per outlet, and per article
  date when the project holds several events.

An article without an outlet is shown under its file name (or title) in
brackets, so two such articles are never pooled as one outlet.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .core.model import MODES, RELATIONS, REVIEWED_LAYER
from .storage import Store
from .storage import findings as queries

NO_SOURCE = "no source"
NOT_LINKED = "not linked yet"
NO_CHANNEL = "no channel named"
UNDATED = "undated"
FIDELITY_COLUMNS = (*RELATIONS, NO_SOURCE)
# Strongest first: the order in which a line's relations are ranked.
_STRENGTH = {relation: rank for rank, relation in enumerate(RELATIONS)}


def outlet_label(outlet: str, source_file: str, title: str) -> str:
    """The outlet's name, or the article's file name (or title) in brackets when it names none."""
    if outlet.strip():
        return outlet.strip()
    return f"[{source_file or title}]"


@dataclass(frozen=True)
class Claim:
    """An article's span with its links' relations and the source lines they reach."""

    row: queries.ClaimRow
    relations: tuple[str, ...] = ()
    lines: frozenset[tuple[str, int]] = frozenset()
    outlet: str = ""  # outlet_label of the article (computed once: every figure groups by it)

    @property
    def id(self) -> str:
        return self.row.span_id

    @property
    def fidelity(self) -> str:
        """The least faithful relation of the claim's links, NO_SOURCE, or NOT_LINKED."""
        if self.relations:
            return max(self.relations, key=lambda relation: _STRENGTH[relation])
        return NO_SOURCE if self.row.no_source else NOT_LINKED


@dataclass(frozen=True)
class Table:
    """A cross-table of claims: for each row (an outlet, a date) and column (a relation, a mode...)
    the ids of the claims counted there."""

    key: str
    title: str
    row_name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def claims(self, row: str, column: str) -> tuple[str, ...]:
        return self.cells.get((row, column), ())

    def count(self, row: str, column: str) -> int:
        return len(self.claims(row, column))

    def row_total(self, row: str) -> int:
        return sum(self.count(row, column) for column in self.columns)

    @property
    def total(self) -> int:
        return sum(self.row_total(row) for row in self.rows)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.row_name, *self.columns, "total"])
        for row in self.rows:
            writer.writerow([row, *(self.count(row, column) for column in self.columns), self.row_total(row)])
        return out.getvalue()


@dataclass(frozen=True)
class LineCoverage:
    """How one source line was reported: by which articles, how faithfully, through which claims."""

    transcript_id: str
    transcript_title: str
    number: int
    start: int
    end: int
    text: str
    articles: tuple[str, ...]  # document ids, in order
    strongest: str | None
    claims: tuple[str, ...]  # span ids

    @property
    def reported(self) -> bool:
        return bool(self.articles)


@dataclass(frozen=True)
class Distortion:
    """A link judged a distortion: the article's wording beside the transcript's."""

    span_id: str
    link_id: str
    document_id: str
    article: str
    outlet: str
    date: str
    article_wording: str
    transcript_id: str
    transcript_wording: str
    lines: tuple[int, ...]


@dataclass
class Findings:
    layer: str
    event: str | None
    claims: list[Claim]
    coverage: list[LineCoverage]
    fidelity: Table
    unlinked: dict[str, tuple[str, ...]]
    modes: Table
    channels: Table
    categories: Table
    timeline: Table | None
    distortions: list[Distortion]

    def claim(self, span_id: str) -> Claim:
        return self._by_id[span_id]

    def __post_init__(self) -> None:
        self._by_id = {claim.id: claim for claim in self.claims}

    def tables(self) -> list[Table]:
        return [t for t in (self.fidelity, self.modes, self.channels, self.categories, self.timeline) if t]

    def coverage_csv(self) -> str:
        return coverage_csv(self.coverage)


def coverage_csv(lines: Sequence[LineCoverage]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["transcript", "line", "articles", "strongest relation", "claims", "text"])
    for line in lines:
        writer.writerow([line.transcript_title, line.number, len(line.articles), line.strongest or "unreported",
                         len(line.claims), line.text])
    return out.getvalue()


def default_layer(layers: Iterable[str], annotator: str = "") -> str | None:
    """The layer a findings view opens on: the reviewed layer, else the annotator's, else the first."""
    layers = list(layers)
    if REVIEWED_LAYER in layers:
        return REVIEWED_LAYER
    if annotator in layers:
        return annotator
    return layers[0] if layers else None


def layers(store: Store) -> list[str]:
    """The layers that hold spans, the reviewed layer first."""
    names = list(queries.layer_counts(store))
    return sorted(names, key=lambda name: (name != REVIEWED_LAYER, name))


def events(store: Store) -> list[queries.EventRow]:
    return queries.events(store)


def _cross(
    key: str,
    title: str,
    row_name: str,
    pairs: Iterable[tuple[str, str, str]],
    columns: Sequence[str] | None = None,
    rows: Sequence[str] | None = None,
    colors: dict[str, str] | None = None,
    note: str = "",
) -> Table:
    """A Table from (row, column, span id) triples; columns and rows in the given order, else by count."""
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    row_totals: dict[str, int] = defaultdict(int)
    column_totals: dict[str, int] = defaultdict(int)
    for row, column, span_id in pairs:
        cells[(row, column)].append(span_id)
        row_totals[row] += 1
        column_totals[column] += 1
    if columns is None:
        columns = sorted(column_totals, key=lambda c: (-column_totals[c], c))
    else:
        columns = [c for c in columns if column_totals.get(c)]
    if rows is None:
        rows = sorted(row_totals, key=lambda r: r.casefold())
    return Table(key, title, row_name, tuple(rows), tuple(columns),
                 {k: tuple(v) for k, v in cells.items()}, dict(colors or {}), note)


def compute(store: Store, layer: str, event: str | None = None) -> Findings:
    """Every figure of the Findings view for ``layer``, over ``event`` (None: the whole project)."""
    claim_rows = queries.claim_rows(store, layer, event)
    link_rows = queries.link_rows(store, layer, event)
    relations: dict[str, list[str]] = defaultdict(list)
    reached: dict[str, set[tuple[str, int]]] = defaultdict(set)
    seen_links: set[str] = set()
    link_lines: dict[str, list[int]] = defaultdict(list)
    first_row: dict[str, queries.LinkRow] = {}
    for link in link_rows:
        if link.link_id not in seen_links:
            seen_links.add(link.link_id)
            relations[link.span_id].append(link.relation)
            first_row[link.link_id] = link
        if link.line is not None:
            reached[link.span_id].add((link.transcript_id, link.line))
            link_lines[link.link_id].append(link.line)
    labels: dict[tuple[str, str, str], str] = {}
    claims = []
    for row in claim_rows:
        key = (row.outlet, row.source_file, row.title)
        if key not in labels:
            labels[key] = outlet_label(*key)
        claims.append(Claim(row, tuple(relations.get(row.span_id, ())), frozenset(reached.get(row.span_id, ())),
                            labels[key]))
    by_id = {claim.id: claim for claim in claims}

    # Transcript coverage.
    if event is None:
        line_rows = queries.transcript_lines(store)
    else:
        line_rows = queries.transcript_lines(store, event)
        extra = queries.linked_transcripts(store, layer, event)
        line_rows += queries.transcript_lines_of(store, extra)
    per_line: dict[tuple[str, int], list[queries.LinkRow]] = defaultdict(list)
    for link in link_rows:
        if link.line is not None and link.span_id in by_id:
            per_line[(link.transcript_id, link.line)].append(link)
    coverage = []
    for line in line_rows:
        links = per_line.get((line.transcript_id, line.number), [])
        articles = tuple(dict.fromkeys(by_id[link.span_id].row.document_id for link in links))
        strongest = min((link.relation for link in links), key=lambda r: _STRENGTH[r], default=None)
        coverage.append(LineCoverage(
            line.transcript_id, line.title, line.number, line.start, line.end,
            store.text(line.transcript_id)[line.start:line.end], articles, strongest,
            tuple(dict.fromkeys(link.span_id for link in links)),
        ))

    outlets = sorted({claim.outlet for claim in claims}, key=str.casefold)
    linked = [claim for claim in claims if claim.fidelity != NOT_LINKED]
    linked_outlets = {claim.outlet for claim in linked}
    unlinked: dict[str, list[str]] = defaultdict(list)
    for claim in claims:
        if claim.fidelity == NOT_LINKED:
            unlinked[claim.outlet].append(claim.id)
    fidelity = _cross(
        "fidelity", "Fidelity by outlet", "outlet",
        ((claim.outlet, claim.fidelity, claim.id) for claim in linked),
        columns=FIDELITY_COLUMNS, rows=[o for o in outlets if o in linked_outlets],
        note="Each claim once, under the least faithful relation of its links.",
    )
    attributed = [claim for claim in claims if claim.row.mode]
    modes = _cross(
        "modes", "Attribution modes by outlet", "outlet",
        ((claim.outlet, claim.row.mode or "", claim.id) for claim in attributed),
        columns=MODES,
    )
    channels = _cross(
        "channels", "Channels by outlet", "outlet",
        ((claim.outlet, claim.row.channel or NO_CHANNEL, claim.id)
         for claim in claims if claim.row.mode or claim.row.channel),
        note="Claims with an attribution mode or a channel; those naming none count as “no channel named”.",
    )
    if NO_CHANNEL in channels.columns:  # the named channels first
        channels = Table(channels.key, channels.title, channels.row_name, channels.rows,
                         tuple(c for c in channels.columns if c != NO_CHANNEL) + (NO_CHANNEL,),
                         channels.cells, channels.colors, channels.note)
    codebook = store.categories()
    category_colors = {category.name: category.color for category in codebook}
    categorised = [claim for claim in claims if claim.row.category]
    categories = _cross(
        "categories", "Claims by category and outlet", "outlet",
        ((claim.outlet, claim.row.category or "", claim.id) for claim in categorised),
        columns=[category.name for category in codebook], colors=category_colors,
    )
    timeline = None
    if event is None and len({claim.row.event for claim in claims}) > 1:
        timeline = _cross(
            "timeline", "Claims by category over time (article dates)", "date",
            ((claim.row.date or UNDATED, claim.row.category or "", claim.id) for claim in categorised),
            columns=[category.name for category in codebook], colors=category_colors,
            rows=None,
        )
        dated = sorted(r for r in timeline.rows if r != UNDATED)
        timeline = Table(timeline.key, timeline.title, timeline.row_name,
                         tuple(dated + ([UNDATED] if UNDATED in timeline.rows else [])),
                         timeline.columns, timeline.cells, timeline.colors, timeline.note)

    distortions = []
    for link_id, link in first_row.items():
        if link.relation != "distortion" or link.span_id not in by_id:
            continue
        claim = by_id[link.span_id]
        distortions.append(Distortion(
            claim.id, link_id, claim.row.document_id, claim.row.title, claim.outlet, claim.row.date,
            claim.row.quote, link.transcript_id, store.text(link.transcript_id)[link.start:link.end],
            tuple(link_lines.get(link_id, ())),
        ))
    return Findings(layer, event, claims, coverage, fidelity, {k: tuple(v) for k, v in unlinked.items()},
                    modes, channels, categories, timeline, distortions)
