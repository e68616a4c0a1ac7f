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

Alpha is computed in core.coefficients rather than with the ``krippendorff`` package: the
package builds a units x values x values array, which for 10,000 units and 50
speakers takes 1.5 s and 600 MB, and for 200 speakers 24 s and 9 GB. The
computation below works on the values present in each unit (observed
disagreement) and on value counts (expected disagreement); the tests check it
against the package on data where both apply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import TYPE_CHECKING, Any, cast

from .agreement_items import (
    LABELS,
    NO_SOURCE_POLICIES,
    NOMINAL_LABELS,
    NoSourcePolicy,
    Items,
    Pair,
    document_items,
    layer_of,
)
from .bootstrap import cluster_weights, item_weights, replicates
from .coefficients import (
    FEW_FLAG,
    FEW_ITEMS,
    SET_DISTANCES,
    Figure,
    binary_alphas,
    binary_kappas,
    cohen_kappa,
    format_figure,
    jaccard_distance,
    masi_distance,
    nominal_alpha,
    ordinal_alpha,
    ratio,
    set_alpha,
)
from .compare import LinkRelations, LinkTargets
from .lazy import lazy_import
from .model import RELATIONS, REVIEWED_LAYER, Span
from .unitizing import blocks, unitizing_alpha

# The coefficients and the items live in modules of their own; these names stay importable from here.
__all__ = [
    "BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "FEW_FLAG", "FEW_ITEMS", "FIGURE_LABELS", "GROUP_FIGURES", "LABELS",
    "NOMINAL_LABELS", "NO_SOURCE_POLICIES", "PAIR_FIGURES", "SET_DISTANCES", "AgreementReport", "Figure",
    "NoSourcePolicy", "Pair", "ScopeAgreement", "ValueAgreement", "agreement_report", "cohen_kappa",
    "format_figure", "jaccard_distance", "masi_distance", "nominal_alpha", "ordinal_alpha", "set_alpha",
    "value_name",
]

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_import("numpy")  # loaded with the first figure computed, not with the review panel

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

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20040601


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
        names = tuple(sorted({layer_of(span) for span in spans} - {REVIEWED_LAYER}))
    else:
        names = tuple(annotators)
        if len(set(names)) != len(names):
            raise ValueError(f"annotators listed twice in {names!r}")
    chosen = set(names)
    layers: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for span in spans:
        if (document_id is None or span.document_id == document_id) and layer_of(span) in chosen:
            layers[span.document_id][layer_of(span)].append(span)

    pairs = list(combinations(names, 2))
    lengths = document_lengths or {}
    per_document: dict[str, Items] = {}
    for doc in sorted(layers):
        per_document[doc] = document_items(
            layers[doc], names, pairs, link_targets, relations or {}, no_source, min_overlap, lengths.get(doc)
        )
    pooled = Items()
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
    items: Items,
    documents: Sequence[Items] | None,
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


def _scope(items: Items, pairs: Sequence[Pair], set_distance: str) -> ScopeAgreement:
    pair_figures = {}
    for pair in pairs:
        spans = np.array(items.span_rows.get(pair) or np.zeros((0, 3)), dtype=np.int64).reshape(-1, 3).sum(axis=0)
        links = np.array(items.link_rows.get(pair) or np.zeros((0, 3)), dtype=np.int64).reshape(-1, 3).sum(axis=0)
        exact, matched, span_total = (int(x) for x in spans)
        shared, lines_a, lines_b = (int(x) for x in links)
        figures = {
            "span_exact_f1": ratio(2 * exact, span_total),
            "span_overlap_f1": ratio(2 * matched, span_total),
            "link_precision": ratio(shared, lines_b),
            "link_recall": ratio(shared, lines_a),
            "link_f1": ratio(2 * shared, lines_a + lines_b),
        }
        labels = items.label_pairs.get(pair, {})
        for label in NOMINAL_LABELS:
            figures[f"{label}_kappa"] = cohen_kappa(labels.get(label, []))
        pair_figures[pair] = {name: figures[name] for name in PAIR_FIGURES}
    group = {f"{label}_alpha": nominal_alpha(items.units.get(label, [])) for label in NOMINAL_LABELS}
    group["relation_ordinal_alpha"] = ordinal_alpha(items.units.get("relation", []), RELATIONS)
    group["link_alpha"] = set_alpha(items.link_units(), set_distance)
    boundaries = unitizing_alpha(items.continua)
    group["boundary_alpha"] = Figure(boundaries.value, boundaries.n)
    return ScopeAgreement(pair_figures, {name: group[name] for name in GROUP_FIGURES}, _per_value(items, pairs))


def _per_value(items: Items, pairs: Sequence[Pair]) -> dict[str, dict[str, ValueAgreement]]:
    """One-against-the-rest agreement for every value that occurs among a label's items.

    Each value's items are recoded "this value or not"; kappa and alpha of those
    binary codes are computed for all values at once from counts (the same
    formulas as cohen_kappa and nominal_alpha, for two values).
    """
    found: dict[str, dict[str, ValueAgreement]] = {}
    for label in NOMINAL_LABELS:
        units = [unit for unit in items.units.get(label, []) if len(unit) >= 2]
        pair_items = {pair: items.label_pairs.get(pair, {}).get(label, []) for pair in pairs}
        # A label's values are strings: span attributes and relation answers.
        values = cast("list[str]", sorted({v for unit in units for v in unit}
                                          | {v for its in pair_items.values() for i in its for v in i}, key=str))
        if not values:
            continue
        index: dict[Hashable, int] = {value: i for i, value in enumerate(values)}
        alphas = binary_alphas(units, index)
        kappas = {pair: binary_kappas(pair_items[pair], index) for pair in pairs}
        found[label] = {
            value: ValueAgreement({pair: kappas[pair][i] for pair in pairs}, alphas[i])
            for i, value in enumerate(values)
        }
    return found
