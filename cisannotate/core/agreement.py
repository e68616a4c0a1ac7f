"""Agreement between annotators: how far colleagues' layers say the same thing.

Every figure carries ``n``, the number of items it rests on, because a kappa
of 0.9 over 4 spans and one over 400 mean very different things. A figure that
is undefined (no items, or no expected disagreement because everyone used one
value throughout) is ``None``, never NaN.

What the figures rest on, per document and pooled over all documents:

* Span identification, per pair of annotators: exact-match F1 (same start and
  end) and overlap F1 (matched by compare.match_spans). F1 is
  2 * matches / (spans of a + spans of b), so n is the number of spans.
* Labels (category, speaker, attribution mode, channel) on matched spans: Cohen's
  kappa per pair over the matched pairs where both spans carry the label, and
  Krippendorff's alpha (nominal) over all annotators. A span without the label
  is not an item for that label; the comparison view still shows the
  difference. Alpha's n is the number of units with at least two values.
* Links, on matched spans that are link items: a span is a link item when it
  has links, or is marked ``no_source`` (then its value is the empty set of
  source lines). A span not linked yet is not an item, so unfinished linking is
  not counted as disagreement. With ``no_source="ignore"`` spans marked
  no_source are left out as well. Alpha over the sets of source lines uses the
  MASI distance by default (or Jaccard). Link precision, recall and F1 count
  (matched span, source line) pairs per annotator pair "a|b" with ``a`` as the
  reference: precision is the share of b's pairs that a also has (n = b's
  pairs), recall the share of a's pairs that b also has (n = a's pairs).

Units for alpha are built from the pairwise matches: matched pairs are merged
best overlap first into groups holding at most one span per annotator, so with
two annotators the units are exactly the matched pairs.

Alpha is computed here rather than with the ``krippendorff`` package: the
package builds a units x values x values array, which for 10,000 units and 50
speakers takes 1.5 s and 600 MB, and for 200 speakers 24 s and 9 GB. The
computation below works on the values present in each unit (observed
disagreement) and on value counts (expected disagreement); the tests check it
against the package on data where both apply.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

from .compare import LinkTargets, SourceLine, link_answer, match_document
from .lazy import lazy_import
from .model import REVIEWED_LAYER, Span

np = lazy_import("numpy")  # loaded with the first figure computed, not with the review panel

# Span attribute of each nominal label, in report order.
LABELS = (
    ("category", "category_id"),
    ("speaker", "speaker_id"),
    ("mode", "mode"),
    ("channel", "channel_id"),
)

PAIR_FIGURES = (
    "span_exact_f1",
    "span_overlap_f1",
    *(f"{label}_kappa" for label, _ in LABELS),
    "link_precision",
    "link_recall",
    "link_f1",
)
GROUP_FIGURES = (*(f"{label}_alpha" for label, _ in LABELS), "link_alpha")

FIGURE_LABELS = {
    "span_exact_f1": "spans, exact-match F1",
    "span_overlap_f1": "spans, overlap F1",
    **{f"{label}_kappa": f"{label}, Cohen's kappa" for label, _ in LABELS},
    "link_precision": "links, precision",
    "link_recall": "links, recall",
    "link_f1": "links, F1",
    **{f"{label}_alpha": f"{label}, Krippendorff's alpha" for label, _ in LABELS},
    "link_alpha": "source lines, Krippendorff's alpha",
}

NoSourcePolicy = Literal["empty_set", "ignore"]
NO_SOURCE_POLICIES = ("empty_set", "ignore")


@dataclass(frozen=True)
class Figure:
    """An agreement figure and the number of items it rests on; value None when undefined."""

    value: float | None
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "value": self.value}


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> Figure:
    """Cohen's kappa of two raters over (value of a, value of b) items.

    kappa = (p_o - p_e) / (1 - p_e), computed in integers as
    (n * agreements - sum_c a_c * b_c) / (n^2 - sum_c a_c * b_c) so that the
    undefined case (p_e = 1: both raters used one and the same value) is exact.
    """
    items = list(pairs)
    n = len(items)
    agreements = sum(1 for a, b in items if a == b)
    counts_a = Counter(a for a, _ in items)
    counts_b = Counter(b for _, b in items)
    chance = sum(count * counts_b[value] for value, count in counts_a.items())
    if n == 0 or chance == n * n:
        return Figure(None, n)
    return Figure((n * agreements - chance) / (n * n - chance), n)


def _jaccard(size_a: np.ndarray, size_b: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """Jaccard distance 1 - |a & b| / |a | b| from set sizes; two empty sets are identical."""
    union = size_a + size_b - shared
    return 1.0 - np.divide(shared, union, out=np.ones(union.shape), where=union > 0)


def _masi(size_a: np.ndarray, size_b: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """MASI distance (Passonneau 2006) from set sizes: 1 - Jaccard * monotonicity.

    Monotonicity is 1 for identical sets, 2/3 when one contains the other, 1/3
    when they overlap otherwise and 0 when disjoint, so a partial answer that is
    a subset of the other's counts as closer than a crossing one.
    """
    union = size_a + size_b - shared
    similarity = np.divide(shared, union, out=np.ones(union.shape), where=union > 0)
    monotonicity = np.select(
        [(shared == size_a) & (shared == size_b), shared == np.minimum(size_a, size_b), shared > 0],
        [1.0, 2 / 3, 1 / 3],
        0.0,
    )
    return 1.0 - similarity * monotonicity


# Set distances by name, as functions of the two sets' sizes and the size of their intersection,
# so that many pairs are measured at once.
_SET_DISTANCES: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = {
    "masi": _masi,
    "jaccard": _jaccard,
}
SET_DISTANCES = tuple(_SET_DISTANCES)


def jaccard_distance(a: frozenset, b: frozenset) -> float:
    return _measure_sets("jaccard", a, b)


def masi_distance(a: frozenset, b: frozenset) -> float:
    return _measure_sets("masi", a, b)


def _measure_sets(distance: str, a: frozenset, b: frozenset) -> float:
    size_a, size_b, shared = np.array([[len(a)], [len(b)], [len(a & b)]])
    return float(_SET_DISTANCES[distance](size_a, size_b, shared)[0])


def nominal_alpha(units: Iterable[Sequence[Hashable]]) -> Figure:
    """Krippendorff's alpha for nominal values; each unit lists the values its coders gave.

    Within a unit of m values the ordered pairs that differ number
    m^2 - sum_c m_c^2, where m_c counts the unit's values equal to c; over all
    pairable values likewise. Both sums are counted with numpy at once.
    """
    pairable = [unit for unit in units if len(unit) >= 2]
    index: dict[Hashable, int] = {}
    coded = np.array([index.setdefault(value, len(index)) for unit in pairable for value in unit], dtype=np.int64)
    if len(index) < 2:
        return Figure(None, len(pairable))
    lengths = np.array([len(unit) for unit in pairable], dtype=np.int64)
    unit_of = np.repeat(np.arange(len(pairable)), lengths)
    unit_value, repeats = np.unique(unit_of * len(index) + coded, return_counts=True)
    same_in_unit = np.bincount(unit_value // len(index), weights=repeats * repeats, minlength=len(pairable))
    observed = float(((lengths * lengths - same_in_unit) / (lengths - 1)).sum())
    counts = np.bincount(coded)
    total = float(counts.sum())
    expected = total * total - float((counts * counts).sum())
    return _alpha(total, observed, expected, len(pairable))


def set_alpha(units: Iterable[Sequence[frozenset]], distance: str = "masi") -> Figure:
    """Krippendorff's alpha for set values under a set distance ("masi" or "jaccard").

    Both distances are 1 between distinct disjoint sets, so expected
    disagreement starts from the nominal count and corrects only the pairs of
    values that share an element; there are far fewer of those than pairs of
    values when each claim links to a few of a transcript's lines.
    """
    measure = _SET_DISTANCES[distance]
    pairable = [unit for unit in units if len(unit) >= 2]
    index: dict[frozenset, int] = {}
    for unit in pairable:
        for value in unit:
            index.setdefault(value, len(index))
    if len(index) < 2:
        return Figure(None, len(pairable))
    values = list(index)
    sizes = np.array([len(value) for value in values])
    counts = np.bincount([index[value] for unit in pairable for value in unit]).astype(float)

    first, second, shared, weight = [], [], [], []
    for unit in pairable:
        for x, y in combinations(unit, 2):
            first.append(index[x])
            second.append(index[y])
            shared.append(len(x & y))
            weight.append(2 / (len(unit) - 1))
    observed = float(np.dot(weight, measure(sizes[first], sizes[second], np.array(shared))))

    total = float(counts.sum())
    related_a, related_b, related_shared = _sharing_pairs(values)
    closeness = 1.0 - measure(sizes[related_a], sizes[related_b], related_shared)
    expected = total * total - float((counts * counts).sum()) - 2 * float(
        (counts[related_a] * counts[related_b] * closeness).sum()
    )
    return _alpha(total, observed, expected, len(pairable))


def _sharing_pairs(values: Sequence[frozenset]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs (i < j) of values with an element in common, in order, and how many they share."""
    holders: dict[Hashable, list[int]] = defaultdict(list)
    for position, value in enumerate(values):
        for element in value:
            holders[element].append(position)
    width = len(values)
    codes = [np.zeros(0, dtype=np.int64)]
    for indices in holders.values():
        if len(indices) > 1:
            held = np.array(indices, dtype=np.int64)
            upper_a, upper_b = np.triu_indices(len(held), 1)
            codes.append(held[upper_a] * width + held[upper_b])
    pairs, shared = np.unique(np.concatenate(codes), return_counts=True)
    return pairs // width, pairs % width, shared


def _alpha(total: float, observed: float, expected: float, units: int) -> Figure:
    """alpha = 1 - (n - 1) * sum_o / sum_e (Krippendorff 2011), reported over the pairable units.

    sum_o = sum over units u of sum_{i != j} d(v_i, v_j) / (m_u - 1), and
    sum_e = sum over ordered pairs of values c != k of n_c * n_k * d(c, k),
    where n_c counts the pairable values equal to c and n is their total.
    """
    if expected <= 0:
        return Figure(None, units)
    return Figure(1.0 - (total - 1) * observed / expected, units)


@dataclass(frozen=True)
class ScopeAgreement:
    """The figures of one document, or of all documents pooled.

    ``pairs`` maps (annotator a, annotator b) to PAIR_FIGURES; ``group`` holds
    GROUP_FIGURES over all annotators.
    """

    pairs: dict[tuple[str, str], dict[str, Figure]]
    group: dict[str, Figure]

    def to_dict(self) -> dict[str, Any]:
        return {
            "all": {name: self.group[name].to_dict() for name in sorted(self.group)},
            "pairs": {
                f"{a}|{b}": {name: figures[name].to_dict() for name in sorted(figures)}
                for (a, b), figures in sorted(self.pairs.items(), key=lambda item: f"{item[0][0]}|{item[0][1]}")
            },
        }


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    set_distance: str
    overall: ScopeAgreement
    documents: dict[str, ScopeAgreement]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready structure with sorted keys; every figure is {"n": int, "value": float | None}."""
        return {
            "annotators": list(self.annotators),
            "documents": {doc: self.documents[doc].to_dict() for doc in sorted(self.documents)},
            "overall": self.overall.to_dict(),
            "set_distance": self.set_distance,
        }

    def format_table(self, document_titles: Mapping[str, str] | None = None) -> str:
        """A plain-text table: overall first, then each document (by title when given)."""
        titles = document_titles or {}
        header = f"Annotators: {', '.join(self.annotators) or '(none)'}; source-line distance: {self.set_distance}"
        blocks = [header, "", _format_scope("All documents", self.overall)]
        for doc in sorted(self.documents, key=lambda doc: (titles.get(doc, doc), doc)):
            blocks += ["", _format_scope(f"Document {titles.get(doc, doc)}", self.documents[doc])]
        return "\n".join(blocks)


def _format_scope(title: str, scope: ScopeAgreement) -> str:
    rows = [("figure", "annotators", "value", "n")]
    for (a, b), figures in scope.pairs.items():
        rows += [_table_row(name, f"{a}|{b}", figures[name]) for name in PAIR_FIGURES]
    rows += [_table_row(name, "all", scope.group[name]) for name in GROUP_FIGURES]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [title]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), row[3].rjust(widths[3])]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def _table_row(name: str, annotators: str, figure: Figure) -> tuple[str, str, str, str]:
    value = "n/a" if figure.value is None else f"{figure.value:.3f}"
    return (FIGURE_LABELS[name], annotators, value, str(figure.n))


@dataclass
class _Items:
    """What the figures of a scope rest on; scopes pool by concatenating."""

    span_counts: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    label_pairs: dict[tuple[str, str], dict[str, list[tuple[Hashable, Hashable]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    link_counts: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    units: dict[str, list[list[Hashable]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, other: _Items) -> None:
        for pair, counts in other.span_counts.items():
            self.span_counts[pair].update(counts)
        for pair, labels in other.label_pairs.items():
            for label, items in labels.items():
                self.label_pairs[pair][label].extend(items)
        for pair, counts in other.link_counts.items():
            self.link_counts[pair].update(counts)
        for label, units in other.units.items():
            self.units[label].extend(units)


def agreement_report(
    spans: Sequence[Span],
    link_targets: LinkTargets,
    *,
    annotators: Sequence[str] | None = None,
    document_id: str | None = None,
    no_source: NoSourcePolicy = "empty_set",
    set_distance: str = "masi",
    min_overlap: float = 0.0,
) -> AgreementReport:
    """Agreement figures per document and overall for the annotators' layers.

    A span belongs to the annotator named by its ``layer`` (its ``annotator``
    when the layer is empty). Without ``annotators`` every layer but the
    reviewed one takes part, in name order; pairs follow the annotators' order.
    ``document_id`` restricts the report to one document. ``link_targets`` maps
    span ids to their (transcript id, source line number) sets.
    """
    if no_source not in NO_SOURCE_POLICIES:
        raise ValueError(f"no_source must be one of {NO_SOURCE_POLICIES}, not {no_source!r}")
    if set_distance not in SET_DISTANCES:
        raise ValueError(f"set_distance must be one of {tuple(SET_DISTANCES)}, not {set_distance!r}")
    if annotators is None:
        names = tuple(sorted({_layer(span) for span in spans} - {REVIEWED_LAYER}))
    else:
        names = tuple(annotators)
        if len(set(names)) != len(names):
            raise ValueError(f"annotators listed twice in {names!r}")
    chosen = set(names)
    layers: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for span in spans:
        if (document_id is None or span.document_id == document_id) and _layer(span) in chosen:
            layers[span.document_id][_layer(span)].append(span)

    pairs = list(combinations(names, 2))
    pooled = _Items()
    documents = {}
    for doc, doc_layers in layers.items():
        items = _document_items(doc_layers, pairs, link_targets, no_source, min_overlap)
        documents[doc] = _scope(items, pairs, set_distance)
        pooled.add(items)
    return AgreementReport(names, set_distance, _scope(pooled, pairs, set_distance), documents)


def _layer(span: Span) -> str:
    return span.layer or span.annotator


def _link_item(span: Span, link_targets: LinkTargets, no_source: NoSourcePolicy) -> frozenset[SourceLine] | None:
    """The span's set of source lines when it is a link item, else None (see the module docstring)."""
    answer = link_answer(span, link_targets)
    if answer is not None and not answer and no_source == "ignore":
        return None
    return answer


def _document_items(
    layers: Mapping[str, Sequence[Span]],
    pairs: Sequence[tuple[str, str]],
    link_targets: LinkTargets,
    no_source: NoSourcePolicy,
    min_overlap: float,
) -> _Items:
    items = _Items()
    matched: list[tuple[Span, Span, float]] = []
    for pair in pairs:
        side_a, side_b = layers.get(pair[0], []), layers.get(pair[1], [])
        rows = match_document(side_a, side_b, link_targets=link_targets, min_overlap=min_overlap)
        counts = items.span_counts[pair]
        counts["spans"] += len(side_a) + len(side_b)
        links = items.link_counts[pair]
        for row in rows:
            if row.a is None or row.b is None:
                continue
            matched.append((row.a, row.b, row.overlap))
            counts["matched"] += 1
            counts["exact"] += row.exact
            for label, attr in LABELS:
                value_a, value_b = getattr(row.a, attr), getattr(row.b, attr)
                if value_a is not None and value_b is not None:
                    items.label_pairs[pair][label].append((value_a, value_b))
            lines_a = _link_item(row.a, link_targets, no_source)
            lines_b = _link_item(row.b, link_targets, no_source)
            if lines_a is not None and lines_b is not None:
                links["shared"] += len(lines_a & lines_b)
                links["a"] += len(lines_a)
                links["b"] += len(lines_b)
    for unit in _units(matched):
        for label, attr in LABELS:
            items.units[label].append([value for span in unit if (value := getattr(span, attr)) is not None])
        items.units["link"].append(
            [lines for span in unit if (lines := _link_item(span, link_targets, no_source)) is not None]
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
        if first == second or {_layer(s) for s in units[first]} & {_layer(s) for s in units[second]}:
            continue
        if len(units[first]) < len(units[second]):
            first, second = second, first
        for span in units.pop(second):
            unit_of[span.id] = first
            units[first].append(span)
    return list(units.values())


def _position(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.id)


def _ratio(numerator: float, denominator: int) -> Figure:
    return Figure(numerator / denominator if denominator else None, denominator)


def _scope(items: _Items, pairs: Sequence[tuple[str, str]], set_distance: str) -> ScopeAgreement:
    pair_figures = {}
    for pair in pairs:
        counts, links = items.span_counts[pair], items.link_counts[pair]
        figures = {
            "span_exact_f1": _ratio(2 * counts["exact"], counts["spans"]),
            "span_overlap_f1": _ratio(2 * counts["matched"], counts["spans"]),
            "link_precision": _ratio(links["shared"], links["b"]),
            "link_recall": _ratio(links["shared"], links["a"]),
            "link_f1": _ratio(2 * links["shared"], links["a"] + links["b"]),
        }
        for label, _ in LABELS:
            figures[f"{label}_kappa"] = cohen_kappa(items.label_pairs[pair][label])
        pair_figures[pair] = {name: figures[name] for name in PAIR_FIGURES}
    group = {f"{label}_alpha": nominal_alpha(items.units[label]) for label, _ in LABELS}
    group["link_alpha"] = set_alpha(items.units["link"], set_distance)
    return ScopeAgreement(pair_figures, group)
