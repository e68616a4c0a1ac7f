"""Pairing two annotators' spans, so the reviewer sees what each one marked side by side.

Matching is one-to-one and per document: spans with the same start and end pair
first, then the remaining spans that share characters pair greedily by
descending overlap. Two spans overlap by the Jaccard index of their character
ranges (shared characters over characters covered by either); a pair needs an
overlap above ``min_overlap`` (default 0, i.e. at least one shared character).
Greedy pairing by descending overlap is what a reviewer expects: the closest
counterpart wins, and a long span cannot take a partner from a short span that
matches it nearly exactly.

Candidates are found by a sweep over spans sorted by start, so the work grows
with the number of spans plus the number of overlapping pairs, not with the
product of the two layers' sizes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import RELATIONS, Span

AGREED = "agreed"
DIFFERS = "differs"
ONLY_A = "only_a"
ONLY_B = "only_b"
STATUSES = (AGREED, DIFFERS, ONLY_A, ONLY_B)

# The aspects in which two matched spans can differ, in the order they are reported.
DIFFERENCES = ("boundaries", "category", "speaker", "mode", "channel", "links", "relation")

# What a claim says about how faithful it is: its links' relation, or "no source".
NO_SOURCE = "no source"
# Relations from most to least faithful; a claim is judged by its least faithful link.
RELATION_ORDER = (*RELATIONS, NO_SOURCE)

# A source line a link reaches: (transcript document id, line number). Not core.model.SourceLine,
# which is the line itself (its offsets and speaker).
LineRef = tuple[str, int]
LinkTargets = Mapping[str, frozenset[LineRef]]
# span id -> the relation of its links (the least faithful one when they differ)
LinkRelations = Mapping[str, str]


@dataclass(frozen=True)
class SpanMatch:
    """One row of a comparison: a pair of matched spans, or a span only one side marked.

    ``status`` is "agreed" when the spans have the same boundaries and every
    compared label is equal, "differs" when they were matched but differ in
    anything, boundaries included, and "only_a"/"only_b" when one side has no
    counterpart. Boundaries alone make a pair "differs" because the reviewer
    must still decide which extent goes into the reviewed layer.
    ``overlap`` is the Jaccard index of the two character ranges (1.0 for an
    exact match, 0.0 when one side is missing).
    """

    a: Span | None
    b: Span | None
    exact: bool
    status: str
    differences: tuple[str, ...]
    overlap: float = 0.0

    @property
    def document_id(self) -> str:
        span = self.a if self.a is not None else self.b
        assert span is not None
        return span.document_id


def link_answer(span: Span, link_targets: LinkTargets) -> frozenset[LineRef] | None:
    """What a span says about its source: the linked lines, the empty set, or None.

    The empty set means the annotator decided there is no source line
    (``no_source``); None means the span has not been linked yet. Links win over
    a stale ``no_source`` flag, because they are the more specific statement.
    """
    targets = link_targets.get(span.id, frozenset())
    if targets:
        return targets
    return frozenset() if span.no_source else None


def span_relation(relations: Iterable[str]) -> str | None:
    """The relation a claim's links give it: the least faithful of them (None without links).

    A claim that reports one source line faithfully and distorts another is a
    distortion; judging it by its best link would hide exactly what review is for.
    Relations outside the known scale (a newer codebook) rank after the known ones.
    """
    ranked = sorted(relations, key=lambda r: (RELATIONS.index(r) if r in RELATIONS else len(RELATIONS), r))
    return ranked[-1] if ranked else None


def relation_answer(span: Span, link_targets: LinkTargets, relations: LinkRelations) -> str | None:
    """What a span says about fidelity: its links' relation, "no source", or None when not linked yet.

    Follows link_answer: links win over a stale ``no_source`` flag.
    """
    answer = link_answer(span, link_targets)
    if answer is None:
        return None
    if not answer:
        return NO_SOURCE
    return relations.get(span.id)


def span_overlap(a: Span, b: Span) -> float:
    """Jaccard index of two character ranges of the same document (0.0 when disjoint or empty)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared <= 0:
        return 0.0
    return shared / (max(a.end, b.end) - min(a.start, b.start))


def span_differences(
    a: Span, b: Span, link_targets: LinkTargets | None = None, relations: LinkRelations | None = None
) -> tuple[str, ...]:
    """The aspects in which two spans differ, in DIFFERENCES order.

    Links are compared only when targets are given, the relation only when
    relations are given too. The relation differs when the two spans' links
    carry different relations, or when one side says "no source" and the other
    links (then "links" differs as well); a side not linked yet has no relation
    to differ in.
    """
    found = []
    if a.start != b.start or a.end != b.end:
        found.append("boundaries")
    if a.category_id != b.category_id:
        found.append("category")
    if a.speaker_id != b.speaker_id:
        found.append("speaker")
    if a.mode != b.mode:
        found.append("mode")
    if a.channel_id != b.channel_id:
        found.append("channel")
    if link_targets is not None and link_answer(a, link_targets) != link_answer(b, link_targets):
        found.append("links")
    if link_targets is not None and relations is not None:
        relation_a = relation_answer(a, link_targets, relations)
        relation_b = relation_answer(b, link_targets, relations)
        if relation_a is not None and relation_b is not None and relation_a != relation_b:
            found.append("relation")
    return tuple(found)


def match_spans(
    a: Sequence[Span],
    b: Sequence[Span],
    *,
    link_targets: LinkTargets | None = None,
    relations: LinkRelations | None = None,
    min_overlap: float = 0.0,
) -> list[SpanMatch]:
    """Match side ``a``'s spans to side ``b``'s, one to one within each document.

    Returns every span of both sides exactly once, sorted by document, then by
    position (start, end) of the row. Link differences are compared only when
    ``link_targets`` (span id -> source lines) is given.
    """
    by_document_a: dict[str, list[Span]] = defaultdict(list)
    by_document_b: dict[str, list[Span]] = defaultdict(list)
    for span in a:
        by_document_a[span.document_id].append(span)
    for span in b:
        by_document_b[span.document_id].append(span)
    rows: list[SpanMatch] = []
    for document_id in by_document_a.keys() | by_document_b.keys():
        rows.extend(
            match_document(
                by_document_a.get(document_id, []),
                by_document_b.get(document_id, []),
                link_targets=link_targets,
                relations=relations,
                min_overlap=min_overlap,
            )
        )
    rows.sort(key=_row_order)
    return rows


def match_document(
    a: Sequence[Span],
    b: Sequence[Span],
    *,
    link_targets: LinkTargets | None = None,
    relations: LinkRelations | None = None,
    min_overlap: float = 0.0,
) -> list[SpanMatch]:
    """Match two sides' spans of one document (unsorted); see match_spans."""
    pairs, rest_a, rest_b = _exact_pairs(a, b, link_targets, relations)
    overlap_pairs, rest_a, rest_b = _overlap_pairs(rest_a, rest_b, link_targets, relations, min_overlap)
    pairs.extend(overlap_pairs)
    rows = [_matched_row(sa, sb, score, link_targets, relations) for sa, sb, score in pairs]
    rows.extend(SpanMatch(span, None, False, ONLY_A, ()) for span in rest_a)
    rows.extend(SpanMatch(None, span, False, ONLY_B, ()) for span in rest_b)
    return rows


def _matched_row(
    a: Span, b: Span, overlap: float, link_targets: LinkTargets | None, relations: LinkRelations | None
) -> SpanMatch:
    differences = span_differences(a, b, link_targets, relations)
    exact = (a.start, a.end) == (b.start, b.end)
    return SpanMatch(a, b, exact, DIFFERS if differences else AGREED, differences, overlap)


def _row_order(row: SpanMatch) -> tuple[str, int, int, str, str]:
    sides = [span for span in (row.a, row.b) if span is not None]
    return (
        sides[0].document_id,
        min(span.start for span in sides),
        max(span.end for span in sides),
        row.a.id if row.a is not None else "",
        row.b.id if row.b is not None else "",
    )


def _span_order(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.id)


def _pair_greedily(
    candidates: Iterable[tuple[tuple, Span, Span, float]],
) -> tuple[list[tuple[Span, Span, float]], set[str], set[str]]:
    """Take candidates best first (smallest key), skipping spans already paired."""
    used_a: set[str] = set()
    used_b: set[str] = set()
    pairs = []
    for _, sa, sb, score in sorted(candidates, key=lambda candidate: candidate[0]):
        if sa.id in used_a or sb.id in used_b:
            continue
        used_a.add(sa.id)
        used_b.add(sb.id)
        pairs.append((sa, sb, score))
    return pairs, used_a, used_b


def _exact_pairs(
    a: Sequence[Span], b: Sequence[Span], link_targets: LinkTargets | None, relations: LinkRelations | None
) -> tuple[list[tuple[Span, Span, float]], list[Span], list[Span]]:
    """Pair spans with identical ranges; among duplicates, the pair with fewest differences first."""
    ranges_b: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for span in b:
        ranges_b[(span.start, span.end)].append(span)
    candidates = [
        ((len(span_differences(sa, sb, link_targets, relations)),) + _span_order(sa) + (sb.id,), sa, sb, 1.0)
        for sa in a
        for sb in ranges_b.get((sa.start, sa.end), ())
    ]
    pairs, used_a, used_b = _pair_greedily(candidates)
    return (
        pairs,
        [span for span in a if span.id not in used_a],
        [span for span in b if span.id not in used_b],
    )


def _overlap_pairs(
    a: Sequence[Span],
    b: Sequence[Span],
    link_targets: LinkTargets | None,
    relations: LinkRelations | None,
    min_overlap: float,
) -> tuple[list[tuple[Span, Span, float]], list[Span], list[Span]]:
    """Pair overlapping spans by descending Jaccard overlap (ties: fewer differences, then position)."""
    candidates = []
    for sa, sb in _overlapping(a, b):
        score = span_overlap(sa, sb)
        if score > min_overlap:
            key = (-score, len(span_differences(sa, sb, link_targets, relations))) + _span_order(sa) + _span_order(sb)
            candidates.append((key, sa, sb, score))
    pairs, used_a, used_b = _pair_greedily(candidates)
    return (
        pairs,
        [span for span in a if span.id not in used_a],
        [span for span in b if span.id not in used_b],
    )


def _overlapping(a: Sequence[Span], b: Sequence[Span]) -> Iterable[tuple[Span, Span]]:
    """Every (a, b) pair sharing at least one character, by a sweep over starts.

    Each side keeps the spans still open at the sweep position; a span entering
    meets exactly the other side's open spans that reach past its start.
    """
    events = sorted(
        [(span.start, 0, span) for span in a] + [(span.start, 1, span) for span in b],
        key=lambda event: (event[0], event[1], event[2].end, event[2].id),
    )
    open_spans: list[list[Span]] = [[], []]
    for start, side, span in events:
        if span.end <= span.start:
            continue
        others = [other for other in open_spans[1 - side] if other.end > start]
        open_spans[1 - side] = others
        open_spans[side].append(span)
        for other in others:
            yield (span, other) if side == 0 else (other, span)
