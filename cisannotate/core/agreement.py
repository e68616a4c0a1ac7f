"""Agreement between annotators: how far colleagues' layers say the same thing.

Every figure carries ``n``, the number of items it rests on, because a kappa
of 0.9 over 4 spans and one over 400 mean very different things, and a 95%
interval (``low``, ``high``) from the bootstrap described below. A figure
resting on fewer than ten items is flagged "n < 10". A figure that is
undefined (no items, or no expected disagreement because everyone used one
value throughout) is ``None``, never NaN.

What the figures rest on, per document and pooled over all documents:

* Span identification, per pair of annotators: exact-match F1 (same start and
  end) and overlap F1 (matched by compare.match_spans). F1 is
  2 * matches / (spans of a + spans of b), so n is the number of spans.
* Claim boundaries over the whole text, across annotators: Krippendorff's
  unitizing alpha (core.unitizing); n is the number of claims.
* Labels (category, speaker, attribution mode, channel) on matched spans: Cohen's
  kappa per pair over the matched pairs where both spans carry the label, and
  Krippendorff's alpha (nominal) over all annotators. A span without the label
  is not an item for that label; the comparison view still shows the
  difference. Alpha's n is the number of units with at least two values.
* Relation (how faithful a claim is to its source), on matched spans that are
  link items (below): the relation of a span's links (the least faithful when
  they differ), or "no source". Cohen's kappa per pair and nominal alpha treat
  "no source" as a fifth value of its own, unordered. Ordinal alpha uses the
  scale verbatim < close paraphrase < loose paraphrase < distortion and leaves
  "no source" out (it is not a degree of fidelity), so its n counts only units
  with at least two linked spans.
* Per value ("one against the rest"): for each category, speaker, mode,
  channel and relation, the same items recoded as "this value or not":
  Cohen's kappa per pair and nominal alpha across annotators. A value that one
  annotator uses loosely shows up as low agreement on that value alone.
* Links, on matched spans that are link items: a span is a link item when it
  has links, or is marked ``no_source`` (then its value is the empty set of
  source lines). A span not linked yet is not an item, so unfinished linking is
  not counted as disagreement. With ``no_source="ignore"`` spans marked
  no_source are left out as well (of the relation figures too). Alpha over the
  sets of source lines uses the MASI distance by default (or Jaccard). Link
  precision, recall and F1 count (matched span, source line) pairs per
  annotator pair "a|b" with ``a`` as the reference: precision is the share of
  b's pairs that a also has (n = b's pairs), recall the share of a's pairs that
  b also has (n = a's pairs).

Units for alpha are built from the pairwise matches: matched pairs are merged
best overlap first into groups holding at most one span per annotator, so with
two annotators the units are exactly the matched pairs.

Intervals: a percentile bootstrap (2.5th and 97.5th percentiles of the figure
recomputed on ``bootstrap`` resamples, 1000 by default, from a fixed seed so
the same data always give the same interval; all resamples at once, see
core.bootstrap). Within one document the items each figure rests on are
resampled (matched pairs, units, spans; for αu the stretches of text from one
claim's start to the next, laid end to end with their own gaps). Pooled over documents, units of one
document are not independent of each other (same text, same reading), so whole
documents are resampled instead, as long as there are at least two of them.
Resamples where a figure is undefined are left out of its interval.

Alpha is computed here rather than with the ``krippendorff`` package: the
package builds a units x values x values array, which for 10,000 units and 50
speakers takes 1.5 s and 600 MB, and for 200 speakers 24 s and 9 GB. The
computation below works on the values present in each unit (observed
disagreement) and on value counts (expected disagreement); the tests check it
against the package on data where both apply.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any, Literal

from .bootstrap import cluster_weights, item_weights, replicates
from .compare import LineRef, LinkRelations, LinkTargets, link_answer, match_document, relation_answer
from .lazy import lazy_import
from .model import RELATIONS, REVIEWED_LAYER, Span
from .unitizing import Continuum, blocks, unitizing_alpha

np = lazy_import("numpy")  # loaded with the first figure computed, not with the review panel

# Span attribute of each nominal label, in report order.
LABELS = (
    ("category", "category_id"),
    ("speaker", "speaker_id"),
    ("mode", "mode"),
    ("channel", "channel_id"),
)
# Labels compared value by value; the relation comes from the links, not a span attribute.
NOMINAL_LABELS = (*(label for label, _ in LABELS), "relation")

PAIR_FIGURES = (
    "span_exact_f1",
    "span_overlap_f1",
    *(f"{label}_kappa" for label in NOMINAL_LABELS),
    "link_precision",
    "link_recall",
    "link_f1",
)
GROUP_FIGURES = (
    "boundary_alpha",
    *(f"{label}_alpha" for label in NOMINAL_LABELS),
    "relation_ordinal_alpha",
    "link_alpha",
)

FIGURE_LABELS = {
    "span_exact_f1": "spans, exact-match F1",
    "span_overlap_f1": "spans, overlap F1",
    **{f"{label}_kappa": f"{label}, Cohen's kappa" for label in NOMINAL_LABELS},
    "link_precision": "links, precision",
    "link_recall": "links, recall",
    "link_f1": "links, F1",
    "boundary_alpha": "claim boundaries, unitizing alpha (αu)",
    **{f"{label}_alpha": f"{label}, Krippendorff's alpha" for label in NOMINAL_LABELS},
    "relation_alpha": "relation, Krippendorff's alpha (nominal)",
    "relation_ordinal_alpha": "relation, Krippendorff's alpha (ordinal)",
    "link_alpha": "source lines, Krippendorff's alpha",
}

NoSourcePolicy = Literal["empty_set", "ignore"]
NO_SOURCE_POLICIES = ("empty_set", "ignore")

# A figure on fewer items than this is flagged.
FEW_ITEMS = 10
FEW_FLAG = f"n < {FEW_ITEMS}"
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20040601


@dataclass(frozen=True)
class Figure:
    """An agreement figure, the number of items it rests on, and its 95% interval; None when undefined.

    Two figures are equal when value and n are: the interval is an estimate
    about the figure, compared on its own.
    """

    value: float | None
    n: int
    low: float | None = field(default=None, compare=False)
    high: float | None = field(default=None, compare=False)

    @property
    def few(self) -> bool:
        """True when the figure rests on fewer than ten items."""
        return self.n < FEW_ITEMS

    @property
    def flag(self) -> str:
        return FEW_FLAG if self.few else ""

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.flag or None, "high": self.high, "low": self.low, "n": self.n, "value": self.value}


def format_figure(figure: Figure, digits: int = 3) -> str:
    """'0.812 [0.701, 0.905]' (or 'n/a'), for tables."""
    if figure.value is None:
        return "n/a"
    text = f"{figure.value:.{digits}f}"
    if figure.low is not None and figure.high is not None:
        text += f" [{figure.low:.{digits}f}, {figure.high:.{digits}f}]"
    return text


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


def ordinal_alpha(units: Iterable[Sequence[Hashable]], order: Sequence[Hashable]) -> Figure:
    """Krippendorff's alpha for ordinal values ranked by ``order``; values not in ``order`` are left out.

    With the coincidence matrix o_ck (pairs of values c, k within units, each
    unit's pairs weighted 1 / (m_u - 1)) and n_c = sum_k o_ck, the ordinal
    distance is d(c, k) = (sum_{g = c..k} n_g - (n_c + n_k) / 2)^2, and
    alpha = 1 - (n - 1) * sum o_ck d(c, k) / sum n_c n_k d(c, k) (Krippendorff 2011).
    """
    rank = {value: i for i, value in enumerate(order)}
    pairable = [[rank[v] for v in unit if v in rank] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    size = len(order)
    counts = np.zeros((len(pairable), size))
    rows = np.repeat(np.arange(len(pairable)), [len(unit) for unit in pairable])
    np.add.at(counts, (rows, [v for unit in pairable for v in unit]), 1)
    weighted = counts / (counts.sum(axis=1, keepdims=True) - 1) if len(pairable) else counts
    coincidence = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    marginals = coincidence.sum(axis=1)
    total = float(marginals.sum())
    if np.count_nonzero(marginals) < 2:
        return Figure(None, len(pairable))
    cumulative = np.concatenate([[0.0], np.cumsum(marginals)])
    low, high = np.minimum.outer(np.arange(size), np.arange(size)), np.maximum.outer(np.arange(size), np.arange(size))
    between = cumulative[high + 1] - cumulative[low]
    distance = (between - (marginals[:, None] + marginals[None, :]) / 2) ** 2
    observed = float((coincidence * distance).sum())
    expected = float((np.outer(marginals, marginals) * distance).sum())
    return _alpha(total, observed, expected, len(pairable))


Pair = tuple[str, str]


@dataclass(frozen=True)
class ValueAgreement:
    """Agreement on one value of a label, one against the rest: kappa per pair, alpha across annotators."""

    pairs: dict[Pair, Figure]
    group: Figure


@dataclass(frozen=True)
class ScopeAgreement:
    """The figures of one document, or of all documents pooled.

    ``pairs`` maps (annotator a, annotator b) to PAIR_FIGURES; ``group`` holds
    GROUP_FIGURES over all annotators; ``per_value`` maps a label of
    NOMINAL_LABELS and one of its values (an id for categories, speakers and
    channels) to the agreement on that value against the rest.
    """

    pairs: dict[Pair, dict[str, Figure]]
    group: dict[str, Figure]
    per_value: dict[str, dict[str, ValueAgreement]] = field(default_factory=dict)

    def figures(self) -> Iterator[tuple[tuple, Figure]]:
        """Every figure with a key that names it within the scope."""
        for pair, figures in self.pairs.items():
            for name, figure in figures.items():
                yield ("pair", pair, name), figure
        for name, figure in self.group.items():
            yield ("group", name), figure
        for label, values in self.per_value.items():
            for value, agreement in values.items():
                for pair, figure in agreement.pairs.items():
                    yield ("value_pair", label, value, pair), figure
                yield ("value_group", label, value), agreement.group

    def with_figures(self, replaced: Mapping[tuple, Figure]) -> ScopeAgreement:
        """The same scope with some figures replaced (by the keys of ``figures``)."""
        return ScopeAgreement(
            {pair: {name: replaced.get(("pair", pair, name), f) for name, f in figures.items()}
             for pair, figures in self.pairs.items()},
            {name: replaced.get(("group", name), f) for name, f in self.group.items()},
            {
                label: {
                    value: ValueAgreement(
                        {pair: replaced.get(("value_pair", label, value, pair), f) for pair, f in a.pairs.items()},
                        replaced.get(("value_group", label, value), a.group),
                    )
                    for value, a in values.items()
                }
                for label, values in self.per_value.items()
            },
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "all": {name: self.group[name].to_dict() for name in sorted(self.group)},
            "pairs": {
                _pair_key(pair): {name: figures[name].to_dict() for name in sorted(figures)}
                for pair, figures in sorted(self.pairs.items(), key=lambda item: _pair_key(item[0]))
            },
            "per_value": {
                label: {
                    str(value): {
                        "alpha": agreement.group.to_dict(),
                        "kappa": {
                            _pair_key(pair): figure.to_dict()
                            for pair, figure in sorted(agreement.pairs.items(), key=lambda item: _pair_key(item[0]))
                        },
                    }
                    for value, agreement in sorted(values.items(), key=lambda item: str(item[0]))
                }
                for label, values in sorted(self.per_value.items())
            },
        }


def _pair_key(pair: Pair) -> str:
    return f"{pair[0]}|{pair[1]}"


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    set_distance: str
    overall: ScopeAgreement
    documents: dict[str, ScopeAgreement]
    bootstrap: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready structure with sorted keys.

        Every figure is {"value", "n", "low", "high", "flag"}: flag is "n < 10"
        for a figure on fewer than ten items, else null.
        """
        return {
            "annotators": list(self.annotators),
            "bootstrap": {"resamples": self.bootstrap, "seed": BOOTSTRAP_SEED, "level": 0.95},
            "documents": {doc: self.documents[doc].to_dict() for doc in sorted(self.documents)},
            "overall": self.overall.to_dict(),
            "set_distance": self.set_distance,
        }

    def format_table(
        self,
        document_titles: Mapping[str, str] | None = None,
        value_names: Mapping[str, Mapping[str, str]] | None = None,
    ) -> str:
        """A plain-text table: overall first (with the figures per value), then each document."""
        titles = document_titles or {}
        header = f"Annotators: {', '.join(self.annotators) or '(none)'}; source-line distance: {self.set_distance}"
        if self.bootstrap:
            header += f"; [low, high]: 95% bootstrap interval ({self.bootstrap} resamples)"
        blocks_ = [header, "", _format_scope("All documents", self.overall, value_names or {})]
        for doc in sorted(self.documents, key=lambda doc: (titles.get(doc, doc), doc)):
            blocks_ += ["", _format_scope(f"Document {titles.get(doc, doc)}", self.documents[doc], None)]
        return "\n".join(blocks_)


def value_name(label: str, value: str, value_names: Mapping[str, Mapping[str, str]]) -> str:
    """A value as the reader knows it: the codebook name of an id, else the value itself."""
    return value_names.get(label, {}).get(value, value)


def _format_scope(
    title: str, scope: ScopeAgreement, value_names: Mapping[str, Mapping[str, str]] | None
) -> str:
    rows = [("figure", "annotators", "value [95% interval]", "n", "")]
    for pair, figures in scope.pairs.items():
        rows += [_table_row(FIGURE_LABELS[name], _pair_key(pair), figures[name]) for name in PAIR_FIGURES]
    rows += [_table_row(FIGURE_LABELS[name], "all", scope.group[name]) for name in GROUP_FIGURES]
    if value_names is not None:
        for label in NOMINAL_LABELS:
            values = scope.per_value.get(label, {})
            for value in sorted(values, key=lambda v: value_name(label, v, value_names).lower()):
                caption = f"{label} = {value_name(label, value, value_names)}, one vs rest"
                for pair, figure in values[value].pairs.items():
                    rows.append(_table_row(caption + ", kappa", _pair_key(pair), figure))
                rows.append(_table_row(caption + ", alpha", "all", values[value].group))
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = [title]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), row[3].rjust(widths[3]),
                 row[4]]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def _table_row(caption: str, annotators: str, figure: Figure) -> tuple[str, str, str, str, str]:
    return (caption, annotators, format_figure(figure), str(figure.n), figure.flag)


@dataclass
class _Items:
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

    def add(self, other: _Items) -> None:
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


def agreement_report(
    spans: Sequence[Span],
    link_targets: LinkTargets,
    *,
    annotators: Sequence[str] | None = None,
    document_id: str | None = None,
    no_source: NoSourcePolicy = "empty_set",
    set_distance: str = "masi",
    min_overlap: float = 0.0,
    relations: LinkRelations | None = None,
    document_lengths: Mapping[str, int] | None = None,
    bootstrap: int = BOOTSTRAP_RESAMPLES,
) -> AgreementReport:
    """Agreement figures per document and overall for the annotators' layers.

    A span belongs to the annotator named by its ``layer`` (its ``annotator``
    when the layer is empty). Without ``annotators`` every layer but the
    reviewed one takes part, in name order; pairs follow the annotators' order.
    ``document_id`` restricts the report to one document. ``link_targets`` maps
    span ids to their (transcript id, source line number) sets, ``relations``
    span ids to their links' relation (without it, the relation figures rest
    on "no source" verdicts only). ``document_lengths`` gives each document's
    length for unitizing alpha (by default a document ends with its last
    claim). ``bootstrap`` resamples make each interval (0: no intervals).
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
    lengths = document_lengths or {}
    per_document: dict[str, _Items] = {}
    for doc in sorted(layers):
        per_document[doc] = _document_items(
            layers[doc], names, pairs, link_targets, relations or {}, no_source, min_overlap, lengths.get(doc)
        )
    pooled = _Items()
    for items in per_document.values():
        pooled.add(items)

    documents = {
        doc: _with_intervals(_scope(items, pairs, set_distance), items, None, pairs, set_distance, bootstrap)
        for doc, items in per_document.items()
    }
    clusters = list(per_document.values()) if len(per_document) >= 2 else None
    overall = _with_intervals(_scope(pooled, pairs, set_distance), pooled, clusters, pairs, set_distance, bootstrap)
    return AgreementReport(names, set_distance, overall, documents, bootstrap)


def _with_intervals(
    point: ScopeAgreement,
    items: _Items,
    documents: Sequence[_Items] | None,
    pairs: Sequence[Pair],
    set_distance: str,
    resamples: int,
) -> ScopeAgreement:
    """The scope's figures with 95% percentile intervals from ``resamples`` bootstrap replicates.

    With ``documents`` (at least two), whole documents are resampled; otherwise
    each list of items is, and for unitizing alpha the stretches of text that
    start where a claim starts (core.unitizing.blocks). All replicates are
    computed at once from resampling weights (core.bootstrap).
    """
    if resamples <= 0:
        return point
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    if documents is not None:
        pooled, weights = cluster_weights(documents, rng, resamples)
    else:
        pooled = items
        pieces = [piece for continuum in items.continua for piece in blocks(continuum)]
        weights = item_weights(items, pieces, rng, resamples)
    values = {label: list(found) for label, found in point.per_value.items()}
    samples = replicates(pooled, weights, pairs, set_distance, values)
    replaced = {}
    for key, figure in point.figures():
        drawn = samples.get(key)
        if figure.value is None or drawn is None:
            continue
        finite = drawn[np.isfinite(drawn)]
        if len(finite):
            low, high = np.percentile(finite, [2.5, 97.5])
            replaced[key] = replace(figure, low=float(low), high=float(high))
    return point.with_figures(replaced)


def _layer(span: Span) -> str:
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


def _document_items(
    layers: Mapping[str, Sequence[Span]],
    names: Sequence[str],
    pairs: Sequence[Pair],
    link_targets: LinkTargets,
    relations: LinkRelations,
    no_source: NoSourcePolicy,
    min_overlap: float,
    length: int | None,
) -> _Items:
    items = _Items()
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


def _scope(items: _Items, pairs: Sequence[Pair], set_distance: str) -> ScopeAgreement:
    pair_figures = {}
    for pair in pairs:
        spans = np.array(items.span_rows.get(pair) or np.zeros((0, 3)), dtype=np.int64).reshape(-1, 3).sum(axis=0)
        links = np.array(items.link_rows.get(pair) or np.zeros((0, 3)), dtype=np.int64).reshape(-1, 3).sum(axis=0)
        exact, matched, span_total = (int(x) for x in spans)
        shared, lines_a, lines_b = (int(x) for x in links)
        figures = {
            "span_exact_f1": _ratio(2 * exact, span_total),
            "span_overlap_f1": _ratio(2 * matched, span_total),
            "link_precision": _ratio(shared, lines_b),
            "link_recall": _ratio(shared, lines_a),
            "link_f1": _ratio(2 * shared, lines_a + lines_b),
        }
        labels = items.label_pairs.get(pair, {})
        for label in NOMINAL_LABELS:
            figures[f"{label}_kappa"] = cohen_kappa(labels.get(label, []))
        pair_figures[pair] = {name: figures[name] for name in PAIR_FIGURES}
    group = {f"{label}_alpha": nominal_alpha(items.units.get(label, [])) for label in NOMINAL_LABELS}
    group["relation_ordinal_alpha"] = ordinal_alpha(items.units.get("relation", []), RELATIONS)
    group["link_alpha"] = set_alpha(items.units.get("link", []), set_distance)
    boundaries = unitizing_alpha(items.continua)
    group["boundary_alpha"] = Figure(boundaries.value, boundaries.n)
    return ScopeAgreement(pair_figures, {name: group[name] for name in GROUP_FIGURES}, _per_value(items, pairs))


def _per_value(items: _Items, pairs: Sequence[Pair]) -> dict[str, dict[str, ValueAgreement]]:
    """One-against-the-rest agreement for every value that occurs among a label's items.

    Each value's items are recoded "this value or not"; kappa and alpha of those
    binary codes are computed for all values at once from counts (the same
    formulas as cohen_kappa and nominal_alpha, for two values).
    """
    found: dict[str, dict[str, ValueAgreement]] = {}
    for label in NOMINAL_LABELS:
        units = [unit for unit in items.units.get(label, []) if len(unit) >= 2]
        pair_items = {pair: items.label_pairs.get(pair, {}).get(label, []) for pair in pairs}
        values = sorted({v for unit in units for v in unit} | {v for its in pair_items.values() for i in its for v in i},
                        key=str)
        if not values:
            continue
        index = {value: i for i, value in enumerate(values)}
        alphas = _binary_alphas(units, index)
        kappas = {pair: _binary_kappas(pair_items[pair], index) for pair in pairs}
        found[label] = {
            value: ValueAgreement({pair: kappas[pair][i] for pair in pairs}, alphas[i])
            for i, value in enumerate(values)
        }
    return found


def _binary_alphas(units: Sequence[Sequence[Hashable]], index: Mapping[Hashable, int]) -> list[Figure]:
    """Nominal alpha of "value c or not" for every value c: a unit of m values, k of them c,
    has 2 k (m - k) ordered pairs that differ; over all n values, n_c of them c, 2 n_c (n - n_c)."""
    width = len(index)
    if not units:
        return [Figure(None, 0)] * width
    counts = np.zeros((len(units), width))
    rows = np.repeat(np.arange(len(units)), [len(unit) for unit in units])
    np.add.at(counts, (rows, [index[v] for unit in units for v in unit]), 1)
    sizes = np.array([len(unit) for unit in units], dtype=float)[:, None]
    observed = (2 * counts * (sizes - counts) / (sizes - 1)).sum(axis=0)
    total = float(sizes.sum())
    chosen = counts.sum(axis=0)
    expected = 2 * chosen * (total - chosen)
    return [
        Figure(1.0 - (total - 1) * float(o) / float(e), len(units)) if e > 0 else Figure(None, len(units))
        for o, e in zip(observed, expected)
    ]


def _binary_kappas(pairs: Sequence[tuple[Hashable, Hashable]], index: Mapping[Hashable, int]) -> list[Figure]:
    """Cohen's kappa of "value c or not" for every value c, as cohen_kappa computes it."""
    width, n = len(index), len(pairs)
    if n == 0:
        return [Figure(None, 0)] * width
    codes_a = np.array([index[a] for a, _ in pairs])
    codes_b = np.array([index[b] for _, b in pairs])
    count_a = np.bincount(codes_a, minlength=width).astype(float)
    count_b = np.bincount(codes_b, minlength=width).astype(float)
    differing = codes_a != codes_b
    # Items where exactly one side says c: those differing items whose a or b is c.
    disputed = np.bincount(codes_a[differing], minlength=width) + np.bincount(codes_b[differing], minlength=width)
    agreements = n - disputed
    chance = count_a * count_b + (n - count_a) * (n - count_b)
    return [
        Figure((n * float(agree) - float(c)) / (n * n - float(c)), n) if c != n * n else Figure(None, n)
        for agree, c in zip(agreements, chance)
    ]
