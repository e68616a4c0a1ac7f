"""What agreement figures rest on: the items of each document, from the annotators' matched spans.

A span belongs to the annotator named by its ``layer`` (its ``annotator`` when
the layer is empty). Spans of each pair of annotators are matched
(core.compare.match_document); the matched pairs give the label items and the
link items of each pair, and, merged best overlap first into groups of at most
one span per annotator, the units for alpha (with two annotators the units
are exactly the matched pairs). The claims of every annotator over the text
are kept for unitizing alpha. core.agreement computes the figures from these
items and core.bootstrap their intervals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from .compare import LineRef, LinkRelations, LinkTargets, link_answer, match_document, relation_answer
from .model import Span
from .unitizing import Continuum

# Span attribute of each nominal label, in report order.
LABELS = (
    ("category", "category_id"),
    ("speaker", "speaker_id"),
    ("mode", "mode"),
    ("channel", "channel_id"),
)
# Labels compared value by value; the relation comes from the links, not a span attribute.
NOMINAL_LABELS = (*(label for label, _ in LABELS), "relation")

NoSourcePolicy = Literal["empty_set", "ignore"]
NO_SOURCE_POLICIES = ("empty_set", "ignore")

Pair = tuple[str, str]


@dataclass
class Items:
    """What the figures of a scope rest on, one entry per resampling unit; scopes pool by concatenating.

    span_rows: per pair, one (exact, matched, spans) row per row of the comparison;
    label_pairs: per pair and label of NOMINAL_LABELS, (value of a, value of b) of matched spans;
    link_rows: per pair, (shared lines, lines of a, lines of b) of matched link items;
    units: per label (and "link"), the values of each unit;
    continua: the documents' claims per annotator, for unitizing alpha.
    """

    span_rows: dict[Pair, list[tuple[int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    label_pairs: dict[Pair, dict[str, list[tuple[Hashable, Hashable]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    link_rows: dict[Pair, list[tuple[int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    units: dict[str, list[list[Hashable]]] = field(default_factory=lambda: defaultdict(list))
    continua: list[Continuum] = field(default_factory=list)

    def link_units(self) -> list[list[frozenset]]:
        """The "link" units: each value is the frozenset of source lines an annotator linked."""
        return cast("list[list[frozenset]]", self.units.get("link", []))

    def add(self, other: Items) -> None:
        for pair, rows in other.span_rows.items():
            self.span_rows[pair].extend(rows)
        for pair, labels in other.label_pairs.items():
            for label, items in labels.items():
                self.label_pairs[pair][label].extend(items)
        for pair, rows in other.link_rows.items():
            self.link_rows[pair].extend(rows)
        for label, units in other.units.items():
            self.units[label].extend(units)
        self.continua.extend(other.continua)


def layer_of(span: Span) -> str:
    return span.layer or span.annotator


def _link_item(span: Span, link_targets: LinkTargets, no_source: NoSourcePolicy) -> frozenset[LineRef] | None:
    """The span's set of source lines when it is a link item, else None (see the module docstring)."""
    answer = link_answer(span, link_targets)
    if answer is not None and not answer and no_source == "ignore":
        return None
    return answer


def _relation_item(
    span: Span, link_targets: LinkTargets, relations: LinkRelations, no_source: NoSourcePolicy
) -> str | None:
    """The span's relation ("no source" included) when it is a relation item, else None."""
    if _link_item(span, link_targets, no_source) is None:
        return None
    return relation_answer(span, link_targets, relations)


def _label(span: Span, label: str, attr: str | None, link_targets: LinkTargets, relations: LinkRelations,
           no_source: NoSourcePolicy) -> Hashable | None:
    if attr is None:
        return _relation_item(span, link_targets, relations, no_source)
    return getattr(span, attr)


_ALL_LABELS = (*LABELS, ("relation", None))


def document_items(
    layers: Mapping[str, Sequence[Span]],
    names: Sequence[str],
    pairs: Sequence[Pair],
    link_targets: LinkTargets,
    relations: LinkRelations,
    no_source: NoSourcePolicy,
    min_overlap: float,
    length: int | None,
) -> Items:
    items = Items()
    matched: list[tuple[Span, Span, float]] = []
    for pair in pairs:
        side_a, side_b = layers.get(pair[0], []), layers.get(pair[1], [])
        rows = match_document(side_a, side_b, link_targets=link_targets, min_overlap=min_overlap)
        span_rows = items.span_rows[pair]
        link_rows = items.link_rows[pair]
        items.label_pairs[pair]  # every pair has its (possibly empty) label lists
        for row in rows:
            if row.a is None or row.b is None:
                span_rows.append((0, 0, 1))
                continue
            span_rows.append((int(row.exact), 1, 2))
            matched.append((row.a, row.b, row.overlap))
            for label, attr in _ALL_LABELS:
                value_a = _label(row.a, label, attr, link_targets, relations, no_source)
                value_b = _label(row.b, label, attr, link_targets, relations, no_source)
                if value_a is not None and value_b is not None:
                    items.label_pairs[pair][label].append((value_a, value_b))
            lines_a = _link_item(row.a, link_targets, no_source)
            lines_b = _link_item(row.b, link_targets, no_source)
            if lines_a is not None and lines_b is not None:
                link_rows.append((len(lines_a & lines_b), len(lines_a), len(lines_b)))
    for unit in _units(matched):
        for label, attr in _ALL_LABELS:
            items.units[label].append(
                [value for span in unit
                 if (value := _label(span, label, attr, link_targets, relations, no_source)) is not None]
            )
        items.units["link"].append(
            [lines for span in unit if (lines := _link_item(span, link_targets, no_source)) is not None]
        )
    end = length if length is not None else max((s.end for spans in layers.values() for s in spans), default=0)
    items.continua.append(
        Continuum.of(end, [[(s.start, s.end) for s in layers.get(name, [])] for name in names])
    )
    return items


def _units(matched: Sequence[tuple[Span, Span, float]]) -> list[list[Span]]:
    """Group matched spans into units of at most one span per annotator, best overlap first."""
    unit_of: dict[str, str] = {}
    units: dict[str, list[Span]] = {}
    for a, b, _ in sorted(matched, key=lambda pair: (-pair[2], _position(pair[0]), _position(pair[1]))):
        for span in (a, b):
            if span.id not in unit_of:
                unit_of[span.id] = span.id
                units[span.id] = [span]
        first, second = unit_of[a.id], unit_of[b.id]
        if first == second or {layer_of(s) for s in units[first]} & {layer_of(s) for s in units[second]}:
            continue
        if len(units[first]) < len(units[second]):
            first, second = second, first
        for span in units.pop(second):
            unit_of[span.id] = first
            units[first].append(span)
    return list(units.values())


def _position(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.id)
