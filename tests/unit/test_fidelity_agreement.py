"""The fidelity relation in comparison and agreement, figures per value, unitizing alpha and intervals.

Every figure is checked against an independent reference: the ``krippendorff``
package (nominal and ordinal alpha), statsmodels (Cohen's kappa and its
asymptotic interval), and a unitizing example computed by hand below.
"""

from __future__ import annotations

import json
from itertools import count

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa as statsmodels_kappa

from cisannotate.core.agreement import (
    FEW_FLAG,
    Figure,
    agreement_report,
    cohen_kappa,
    format_figure,
    nominal_alpha,
    ordinal_alpha,
)
from cisannotate.core.compare import NO_SOURCE, match_spans, relation_answer, span_relation
from cisannotate.core.model import RELATIONS, Span
from cisannotate.core.unitizing import Continuum, blocks, glue, unitizing_alpha

_ids = count()
T = "transcript"


def span(layer: str, start: int, end: int, doc: str = "d1", **labels: object) -> Span:
    return Span(
        id=f"{layer}-{next(_ids)}", document_id=doc, start=start, end=end, annotator=layer, layer=layer, **labels
    )


# --- the relation as a difference -----------------------------------------------------------------


def test_a_different_relation_on_the_same_source_line_is_a_difference() -> None:
    a, b = span("ann", 0, 10, category_id="x"), span("bob", 0, 10, category_id="x")
    targets = {a.id: frozenset({(T, 4)}), b.id: frozenset({(T, 4)})}
    [row] = match_spans([a], [b], link_targets=targets, relations={a.id: "loose paraphrase", b.id: "distortion"})
    assert (row.status, row.differences) == ("differs", ("relation",))
    # Without relations the comparison is what it was: the same line, agreed.
    assert match_spans([a], [b], link_targets=targets)[0].status == "agreed"
    same = match_spans([a], [b], link_targets=targets, relations={a.id: "distortion", b.id: "distortion"})
    assert same[0].status == "agreed"


def test_no_source_against_a_link_differs_in_links_and_relation_but_unlinked_only_in_links() -> None:
    a, b, c = span("ann", 0, 10, no_source=True), span("bob", 0, 10), span("cy", 0, 10)
    targets = {b.id: frozenset({(T, 2)})}
    relations = {b.id: "verbatim"}
    assert relation_answer(a, targets, relations) == NO_SOURCE
    assert relation_answer(c, targets, relations) is None
    assert match_spans([a], [b], link_targets=targets, relations=relations)[0].differences == ("links", "relation")
    # c has not been linked yet: no relation to differ in.
    assert match_spans([c], [b], link_targets=targets, relations=relations)[0].differences == ("links",)


def test_a_claim_is_judged_by_its_least_faithful_link() -> None:
    assert span_relation(["close paraphrase", "distortion", "verbatim"]) == "distortion"
    assert span_relation(["verbatim"]) == "verbatim"
    assert span_relation([]) is None


# --- ordinal alpha and the relation figures ------------------------------------------------------------

ordinal_units = st.integers(2, 4).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=coders, max_size=coders), min_size=1, max_size=25
    )
)


@settings(max_examples=100, deadline=None)
@given(ordinal_units)
def test_ordinal_alpha_matches_the_package(columns) -> None:
    units = [[value for value in column if value is not None] for column in columns]
    figure = ordinal_alpha(units, [0, 1, 2, 3])
    assert figure.n == sum(1 for unit in units if len(unit) >= 2)
    if len({v for unit in units if len(unit) >= 2 for v in unit}) < 2:
        assert figure.value is None
        return
    data = np.array([[np.nan if v is None else v for v in column] for column in columns], dtype=float).T
    expected = krippendorff.alpha(reliability_data=data, value_domain=[0, 1, 2, 3], level_of_measurement="ordinal")
    assert figure.value == pytest.approx(expected)


# Two annotators' relations on 14 matched claims; None: not linked yet (not an item).
RELATION_TABLE = [
    ("verbatim", "verbatim"),
    ("verbatim", "close paraphrase"),
    ("close paraphrase", "close paraphrase"),
    ("close paraphrase", "close paraphrase"),
    ("close paraphrase", "loose paraphrase"),
    ("loose paraphrase", "loose paraphrase"),
    ("loose paraphrase", "distortion"),
    ("distortion", "distortion"),
    ("distortion", "distortion"),
    (NO_SOURCE, NO_SOURCE),
    (NO_SOURCE, "distortion"),
    ("verbatim", "verbatim"),
    ("loose paraphrase", "loose paraphrase"),
    (None, "verbatim"),
]


def relation_spans(table=RELATION_TABLE):
    spans, targets, relations = [], {}, {}
    for i, values in enumerate(table):
        for who, value in zip(("ann", "bob"), values):
            s = span(who, 20 * i, 20 * i + 10, no_source=value == NO_SOURCE)
            spans.append(s)
            if value not in (None, NO_SOURCE):
                targets[s.id] = frozenset({(T, i + 1)})
                relations[s.id] = value
    return spans, targets, relations


def test_relation_figures_match_statsmodels_and_krippendorff() -> None:
    spans, targets, relations = relation_spans()
    report = agreement_report(spans, targets, relations=relations, bootstrap=0)
    items = [(a, b) for a, b in RELATION_TABLE if a is not None and b is not None]
    scale = [*RELATIONS, NO_SOURCE]

    # Kappa over the five values, "no source" one of them, against statsmodels' contingency-table kappa.
    table = np.zeros((5, 5))
    for a, b in items:
        table[scale.index(a), scale.index(b)] += 1
    kappa = report.overall.pairs[("ann", "bob")]["relation_kappa"]
    assert kappa == Figure(pytest.approx(statsmodels_kappa(table).kappa), 13)
    assert kappa.value < 1

    # Nominal alpha over the five values; ordinal alpha over the four degrees, "no source" left out.
    data = np.array([[scale.index(a) for a, _ in items], [scale.index(b) for _, b in items]], dtype=float)
    nominal = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    ordinal_data = data.copy()
    ordinal_data[ordinal_data == 4] = np.nan
    ordinal = krippendorff.alpha(reliability_data=ordinal_data, value_domain=[0, 1, 2, 3],
                                 level_of_measurement="ordinal")
    group = report.overall.group
    assert group["relation_alpha"] == Figure(pytest.approx(nominal), 13)
    # Units with two degrees: 13 items less (no source, no source) and (no source, distortion).
    assert group["relation_ordinal_alpha"] == Figure(pytest.approx(ordinal), 11)
    assert group["relation_alpha"].value < 1 and group["relation_ordinal_alpha"].value < 1


def test_per_value_figures_are_one_against_the_rest() -> None:
    spans, targets, relations = relation_spans()
    report = agreement_report(spans, targets, relations=relations, bootstrap=0)
    items = [(a, b) for a, b in RELATION_TABLE if a is not None and b is not None]
    per_value = report.overall.per_value["relation"]
    assert set(per_value) == {*RELATIONS, NO_SOURCE}
    for value, agreement in per_value.items():
        binary = [(a == value, b == value) for a, b in items]
        table = np.array([[sum(1 for x in binary if x == (p, q)) for q in (True, False)] for p in (True, False)])
        assert agreement.pairs[("ann", "bob")] == Figure(pytest.approx(statsmodels_kappa(table).kappa), 13)
        data = np.array([[float(a) for a, _ in binary], [float(b) for _, b in binary]])
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert agreement.group == Figure(pytest.approx(expected), 13)


labels = st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz")), min_size=0, max_size=30)


@settings(max_examples=60, deadline=None)
@given(labels)
def test_per_value_kappa_and_alpha_agree_with_the_general_functions(pairs) -> None:
    spans = []
    for i, (a, b) in enumerate(pairs):
        spans += [span("ann", 10 * i, 10 * i + 5, category_id=a), span("bob", 10 * i, 10 * i + 5, category_id=b)]
    report = agreement_report(spans, {}, bootstrap=0)
    for value, agreement in report.overall.per_value.get("category", {}).items():
        recoded = [(a == value, b == value) for a, b in pairs]
        expected_kappa = cohen_kappa(recoded)
        got = agreement.pairs[("ann", "bob")]
        assert got.n == expected_kappa.n
        assert got.value == (None if expected_kappa.value is None else pytest.approx(expected_kappa.value))
        expected_alpha = nominal_alpha([[a, b] for a, b in recoded])
        assert agreement.group.n == expected_alpha.n
        assert agreement.group.value == (None if expected_alpha.value is None else pytest.approx(expected_alpha.value))


# --- unitizing alpha -----------------------------------------------------------------------------------


def test_unitizing_alpha_by_hand() -> None:
    """A continuum of L = 10 characters, m = 2 coders.

    Coder 1 marks [2, 5); coder 2 marks [3, 6) and [8, 9). Their sections (b, l, w):
      coder 1: gap (0, 2), claim (2, 3), gap (5, 5)
      coder 2: gap (0, 3), claim (3, 3), gap (6, 2), claim (8, 1), gap (9, 1)

    Observed. Pairs of sections of the two coders with a non-zero distance:
      claim [2,5) against claim [3,6): they overlap; (2 - 3)^2 + (5 - 6)^2 = 2
      claim [8,9) lies inside coder 1's gap [5,10): 1^2 = 1
      (claim [2,5) is inside no gap of coder 2; claim [3,6) inside no gap of coder 1)
    Summed over both orders of the pair: 2 * (2 + 1) = 6.
    D_o = 6 / (m (m - 1) L^2) = 6 / (2 * 1 * 100) = 0.03

    Expected. N = 3 claims, lengths 3, 3, 1; gaps of both coders: 2, 5, 3, 2, 1.
      a claim of length 3: (N - 1)/3 * (2*27 - 3*9 + 3) = 2/3 * 30 = 20;
                           gaps >= 3 are 5 and 3: (5 - 3 + 1) + (3 - 3 + 1) = 4, times 3^2 = 36; in all 56
      the other claim of length 3: 56
      the claim of length 1: (N - 1)/3 * (2 - 3 + 1) = 0;
                           every gap: (2) + (5) + (3) + (2) + (1) = 13, times 1^2 = 13
      sum = 125
      denominator: m L (m L - 1) - sum l (l - 1) = 20 * 19 - (6 + 6 + 0) = 368
    D_e = (2 / L) * 125 / 368 = 25 / 368

    alpha_u = 1 - D_o / D_e = 1 - 0.03 * 368 / 25 = 1 - 0.4416 = 0.5584
    """
    result = unitizing_alpha([Continuum.of(10, [[(2, 5)], [(3, 6), (8, 9)]])])
    assert result.observed == pytest.approx(0.03)
    assert result.expected == pytest.approx(25 / 368)
    assert result.value == pytest.approx(0.5584)
    assert result.n == 3


def test_unitizing_alpha_edge_cases() -> None:
    # The same claims: no observed disagreement, alpha 1.
    assert unitizing_alpha([Continuum.of(50, [[(3, 9), (20, 30)], [(3, 9), (20, 30)]])]).value == 1.0
    # Nobody marked anything, or only one coder: undefined.
    assert unitizing_alpha([Continuum.of(50, [[], []])]).value is None
    assert unitizing_alpha([Continuum.of(50, [[(0, 5)]])]).n == 0
    # A coder's overlapping claims merge; touching ones stay two sections.
    assert Continuum.of(20, [[(0, 5), (3, 8), (8, 10)]]).coders == (((0, 8), (8, 10)),)
    # Two documents pool as one continuum whose gaps stop at the border: [0,10) + [0,10) is not one gap of 20.
    one = Continuum.of(10, [[(2, 5)], [(3, 6), (8, 9)]])
    pooled = unitizing_alpha([one, one])
    assert pooled.n == 6 and pooled.value is not None and pooled.value != unitizing_alpha([glue([one, one])]).value


def test_blocks_glue_back_into_the_continuum() -> None:
    c = Continuum.of(40, [[(2, 5), (12, 20)], [(3, 7), (15, 18), (30, 31)]])
    pieces = blocks(c)
    assert glue(pieces) == c
    assert [piece.length for piece in pieces] == [2, 10, 18, 10]


def test_unitizing_alpha_in_the_report_uses_document_lengths() -> None:
    spans = [span("ann", 2, 5), span("bob", 3, 6), span("bob", 8, 9)]
    report = agreement_report(spans, {}, document_lengths={"d1": 10}, bootstrap=0)
    assert report.documents["d1"].group["boundary_alpha"] == Figure(pytest.approx(0.5584), 3)
    # Without a length the document ends with its last claim (L = 9 here), which changes alpha.
    assert agreement_report(spans, {}, bootstrap=0).overall.group["boundary_alpha"].value != pytest.approx(0.5584)


# --- intervals and flags -----------------------------------------------------------------------------


def test_kappa_interval_agrees_with_the_asymptotic_interval_on_a_large_sample() -> None:
    # 200 items, a 3x3 table; the bootstrap percentile interval and statsmodels' normal interval
    # estimate the same thing and should nearly coincide at this size.
    table = np.array([[50, 8, 4], [6, 44, 10], [3, 9, 66]])
    values = "xyz"
    spans = []
    i = 0
    for r in range(3):
        for c in range(3):
            for _ in range(table[r, c]):
                spans += [span("ann", 10 * i, 10 * i + 5, category_id=values[r]),
                          span("bob", 10 * i, 10 * i + 5, category_id=values[c])]
                i += 1
    figure = agreement_report(spans, {}).overall.pairs[("ann", "bob")]["category_kappa"]
    reference = statsmodels_kappa(table)
    assert figure.value == pytest.approx(reference.kappa)
    assert figure.n == 200 and not figure.few
    assert figure.low == pytest.approx(reference.kappa_low, abs=0.03)
    assert figure.high == pytest.approx(reference.kappa_upp, abs=0.03)
    assert figure.low < figure.value < figure.high


def test_intervals_are_reproducible_and_pooled_figures_resample_whole_documents() -> None:
    # d1: both annotators mark the same three claims; d2: three claims each, never overlapping.
    spans = []
    for s in (0, 10, 20):
        spans += [span("ann", s, s + 5, doc="d1"), span("bob", s, s + 5, doc="d1")]
        spans += [span("ann", s, s + 4, doc="d2"), span("bob", s + 5, s + 9, doc="d2")]
    first = agreement_report(spans, {})
    again = agreement_report(spans, {})
    f1 = first.overall.pairs[("ann", "bob")]["span_exact_f1"]
    assert (f1.low, f1.high) == (again.overall.pairs[("ann", "bob")]["span_exact_f1"].low,
                                 again.overall.pairs[("ann", "bob")]["span_exact_f1"].high)
    # Resampling the two documents gives d1 twice (F1 1), d2 twice (F1 0), or both (0.5): the interval
    # ends at the two extremes. Resampling the 12 rows one by one would almost never reach them.
    assert f1 == Figure(0.5, 12)
    assert (f1.low, f1.high) == (0.0, 1.0)
    # Within one document the rows are resampled.
    d1 = first.documents["d1"].pairs[("ann", "bob")]["span_exact_f1"]
    assert (d1.value, d1.low, d1.high) == (1.0, 1.0, 1.0)


def test_few_items_are_flagged_in_the_figure_the_json_and_the_table() -> None:
    spans, targets, relations = relation_spans(RELATION_TABLE[:5])
    report = agreement_report(spans, targets, relations=relations)
    kappa = report.overall.pairs[("ann", "bob")]["relation_kappa"]
    assert kappa.n == 5 and kappa.few and kappa.flag == FEW_FLAG == "n < 10"
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert data["overall"]["pairs"]["ann|bob"]["relation_kappa"]["flag"] == "n < 10"
    assert set(data["overall"]["pairs"]["ann|bob"]["relation_kappa"]) == {"value", "n", "low", "high", "flag"}
    line = next(line for line in report.format_table().splitlines() if "relation, Cohen's kappa" in line)
    assert line.rstrip().endswith("n < 10")
    assert format_figure(Figure(0.5, 3, 0.25, 0.75)) == "0.500 [0.250, 0.750]"
    assert format_figure(Figure(None, 0)) == "n/a"


# --- the bootstrap: every replicate equals a recomputation on the resampled items ------------------


def _study():
    """Three annotators over two documents: labels, links with relations, no-source verdicts, boundaries."""
    import random

    rng = random.Random(7)
    spans, targets, relations = [], {}, {}
    for doc in ("d1", "d2"):
        for i in range(12):
            for who in ("ann", "bob", "cy"):
                if rng.random() < 0.15:
                    continue
                s = span(who, 30 * i + rng.randint(0, 2), 30 * i + 20 + rng.randint(0, 2), doc=doc,
                         category_id=rng.choice("xyz"), mode=rng.choice(["paraphrase", "direct quote", None]),
                         no_source=rng.random() < 0.15)
                spans.append(s)
                if not s.no_source and rng.random() < 0.8:
                    targets[s.id] = frozenset({(T, i), (T, i + rng.randint(0, 1))})
                    relations[s.id] = rng.choice(RELATIONS)
    return spans, targets, relations


def _expand(items_list, weights_row):
    from cisannotate.core.agreement import Items

    drawn = Items()
    for items, times in zip(items_list, weights_row):
        for _ in range(int(times)):
            drawn.add(items)
    return drawn


def _compare(point, reps, recomputed):
    for key, _figure in point.figures():
        if key not in reps:
            continue
        again = dict(recomputed.figures()).get(key)
        expected = np.nan if again is None or again.value is None else again.value
        assert reps[key] == pytest.approx(expected, nan_ok=True, abs=1e-9), key


def test_bootstrap_replicates_match_a_recomputation_on_the_resampled_items() -> None:
    from cisannotate.core import agreement as ag
    from cisannotate.core.bootstrap import cluster_weights, item_weights, replicates
    from cisannotate.core.unitizing import blocks

    spans, targets, relations = _study()
    names = ("ann", "bob", "cy")
    pairs = [("ann", "bob"), ("ann", "cy"), ("bob", "cy")]
    documents = []
    for doc in ("d1", "d2"):
        layers = {who: [s for s in spans if s.document_id == doc and s.layer == who] for who in names}
        documents.append(ag.document_items(layers, names, pairs, targets, relations, "empty_set", 0.0, 400))

    # Whole documents resampled: a replicate is the documents drawn, each as often as drawn.
    rng = np.random.default_rng(3)
    pooled, weights = cluster_weights(documents, rng, 12)
    point = ag._scope(pooled, pairs, "masi")
    values = {label: list(found) for label, found in point.per_value.items()}
    reps = replicates(pooled, weights, pairs, "masi", values)
    drawn = weights.piece_weights
    for r in range(12):
        recomputed = ag._scope(_expand(documents, drawn[r]), pairs, "masi")
        _compare(point, {key: value[r] for key, value in reps.items()}, recomputed)

    # Within one document: every list of items drawn on its own; unitizing alpha over the stretches drawn.
    items = documents[0]
    pieces = [piece for continuum in items.continua for piece in blocks(continuum)]
    weights = item_weights(items, pieces, np.random.default_rng(4), 12)
    point = ag._scope(items, pairs, "masi")
    values = {label: list(found) for label, found in point.per_value.items()}
    reps = replicates(items, weights, pairs, "masi", values)
    for r in range(12):
        drawn_items = ag.Items()
        for pair, rows in items.span_rows.items():
            drawn_items.span_rows[pair] = [row for row, k in zip(rows, weights.span_rows[pair][r]) for _ in range(int(k))]
        for pair, labels in items.label_pairs.items():
            for label, found in labels.items():
                drawn_items.label_pairs[pair][label] = [
                    x for x, k in zip(found, weights.label_pairs[pair][label][r]) for _ in range(int(k))]
        for pair, rows in items.link_rows.items():
            drawn_items.link_rows[pair] = [row for row, k in zip(rows, weights.link_rows[pair][r]) for _ in range(int(k))]
        for label, units in items.units.items():
            drawn_items.units[label] = [u for u, k in zip(units, weights.units[label][r]) for _ in range(int(k))]
        drawn_items.continua = [p for p, k in zip(pieces, weights.piece_weights[r]) for _ in range(int(k))]
        recomputed = ag._scope(drawn_items, pairs, "masi")
        _compare(point, {key: value[r] for key, value in reps.items()}, recomputed)


def test_a_big_report_with_intervals_stays_computable() -> None:
    # 20 documents x 40 claims x 2 annotators with every interval: the weights make it one pass per figure.
    spans = []
    for d in range(20):
        for c in range(40):
            for who in ("ann", "bob"):
                spans.append(span(who, 100 * c + (c + d) % 3, 100 * c + 50, doc=f"d{d}",
                                  category_id="xyz"[(c * 7 + d + (who == "bob")) % 3]))
    report = agreement_report(spans, {}, document_lengths={f"d{d}": 4100 for d in range(20)})
    figure = report.overall.group["boundary_alpha"]
    assert figure.n == 1600 and figure.low <= figure.value <= figure.high
    assert all(scope.pairs[("ann", "bob")]["category_kappa"].low is not None for scope in report.documents.values())
