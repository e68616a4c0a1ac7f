"""Matching two annotators' spans and the agreement figures, checked against hand computations."""

from __future__ import annotations

import json
from itertools import count

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cisannotate.core.agreement import (
    GROUP_FIGURES,
    PAIR_FIGURES,
    Figure,
    agreement_report,
    cohen_kappa,
    jaccard_distance,
    masi_distance,
    nominal_alpha,
    set_alpha,
)
from cisannotate.core.compare import _overlapping, match_spans, span_overlap
from cisannotate.core.model import REVIEWED_LAYER, Span

_ids = count()


def span(layer: str, start: int, end: int, doc: str = "d1", **labels: object) -> Span:
    return Span(
        id=f"{layer}-{next(_ids)}", document_id=doc, start=start, end=end, annotator=layer, layer=layer, **labels
    )


def by_status(rows):
    return [(row.status, row.a.start if row.a else None, row.b.start if row.b else None) for row in rows]


# --- matching -----------------------------------------------------------------------------------


def test_exact_match_with_equal_labels_is_agreed() -> None:
    a = span("ann", 0, 10, category_id="c1", speaker_id="s1", mode="paraphrase", channel_id="ch")
    b = span("bob", 0, 10, category_id="c1", speaker_id="s1", mode="paraphrase", channel_id="ch")
    [row] = match_spans([a], [b], link_targets={})
    assert (row.a, row.b, row.exact, row.status, row.differences, row.overlap) == (a, b, True, "agreed", (), 1.0)


def test_boundaries_alone_make_a_pair_differ() -> None:
    # [0, 10) and [5, 15): 5 shared characters of 15 covered, Jaccard 1/3.
    [row] = match_spans([span("ann", 0, 10)], [span("bob", 5, 15)])
    assert (row.exact, row.status, row.differences) == (False, "differs", ("boundaries",))
    assert row.overlap == pytest.approx(1 / 3)


def test_every_label_difference_is_reported_in_order() -> None:
    a = span("ann", 0, 10, category_id="c1", speaker_id="s1", mode="direct quote", channel_id="tv")
    b = span("bob", 0, 10, category_id="c2", speaker_id="s2", mode="paraphrase", channel_id="web")
    targets = {a.id: frozenset({("t", 1)}), b.id: frozenset({("t", 2)})}
    [row] = match_spans([b], [a], link_targets=targets)
    assert row.status == "differs"
    assert row.differences == ("category", "speaker", "mode", "channel", "links")


def test_links_compare_only_when_targets_given_and_no_source_differs_from_unlinked() -> None:
    a = span("ann", 0, 10, no_source=True)
    b = span("bob", 0, 10)
    c = span("cat", 0, 10, no_source=True)
    assert match_spans([a], [b])[0].status == "agreed"
    assert match_spans([a], [b], link_targets={})[0].differences == ("links",)
    assert match_spans([a], [c], link_targets={})[0].status == "agreed"
    # Links outrank a stale no_source flag.
    assert match_spans([a], [c], link_targets={a.id: frozenset({("t", 3)})})[0].differences == ("links",)


def test_greedy_pairs_the_closest_counterpart_first() -> None:
    # b [5, 15) meets a1 [0, 10) with Jaccard 5/15 and a2 [6, 15) with 9/10: a2 wins, a1 is left alone.
    a1, a2, b = span("ann", 0, 10), span("ann", 6, 15), span("bob", 5, 15)
    rows = match_spans([a1, a2], [b])
    assert [(row.a, row.b) for row in rows] == [(a1, None), (a2, b)]
    assert [row.status for row in rows] == ["only_a", "differs"]


def test_duplicate_ranges_pair_by_fewest_differences() -> None:
    x, y = span("ann", 0, 10, category_id="x"), span("ann", 0, 10, category_id="y")
    other = span("bob", 0, 10, category_id="y")
    rows = match_spans([x, y], [other])
    assert {(row.a.id, row.b.id if row.b else None, row.status) for row in rows} == {
        (y.id, other.id, "agreed"),
        (x.id, None, "only_a"),
    }


def test_minimum_overlap_and_touching_spans() -> None:
    a, b = span("ann", 0, 10), span("bob", 9, 20)  # 1 shared of 20 covered: Jaccard 0.05
    assert match_spans([a], [b])[0].status == "differs"
    assert by_status(match_spans([a], [b], min_overlap=0.1)) == [("only_a", 0, None), ("only_b", None, 9)]
    touching = span("bob", 10, 20)
    assert by_status(match_spans([a], [touching])) == [("only_a", 0, None), ("only_b", None, 10)]


def test_documents_never_mix_and_rows_sort_by_document_then_position() -> None:
    a = [span("ann", 30, 40, doc="d2"), span("ann", 20, 25, doc="d1"), span("ann", 0, 5, doc="d2")]
    b = [span("bob", 0, 5, doc="d1"), span("bob", 30, 40, doc="d2")]
    rows = match_spans(a, b)
    assert [(row.document_id, row.status) for row in rows] == [
        ("d1", "only_b"),
        ("d1", "only_a"),
        ("d2", "only_a"),
        ("d2", "agreed"),
    ]
    assert match_spans([], []) == []


intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(intervals, intervals)
def test_sweep_finds_exactly_the_overlapping_pairs_and_matching_is_maximal(raw_a, raw_b) -> None:
    a = [span("ann", start, start + length) for start, length in raw_a]
    b = [span("bob", start, start + length) for start, length in raw_b]
    brute = {(x.id, y.id) for x in a for y in b if min(x.end, y.end) > max(x.start, y.start)}
    found = [(x.id, y.id) for x, y in _overlapping(a, b)]
    assert len(found) == len(set(found))
    assert set(found) == brute

    rows = match_spans(a, b)
    assert sorted(row.a.id for row in rows if row.a) == sorted(x.id for x in a)
    assert sorted(row.b.id for row in rows if row.b) == sorted(y.id for y in b)
    for row in rows:
        if row.a and row.b:
            assert row.exact or span_overlap(row.a, row.b) > 0
    lonely_a = [row.a for row in rows if row.b is None]
    lonely_b = [row.b for row in rows if row.a is None]
    assert not any((x.id, y.id) in brute for x in lonely_a for y in lonely_b)


# --- statistics ----------------------------------------------------------------------------------


def test_textbook_kappa() -> None:
    # 2x2 table (yes/no): 20 both yes, 5 a-yes b-no, 10 a-no b-yes, 15 both no; n = 50.
    # p_o = 35/50 = 0.7; a says yes 25/50, b 30/50; p_e = .5*.6 + .5*.4 = 0.5; kappa = (.7-.5)/(1-.5) = 0.4
    table = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(table) == Figure(pytest.approx(0.4), 50)
    assert cohen_kappa([]) == Figure(None, 0)
    # Both raters used one value throughout: p_e = 1, kappa undefined.
    assert cohen_kappa([("y", "y")] * 3) == Figure(None, 3)


def test_distances() -> None:
    one, one_two, three, empty = frozenset({1}), frozenset({1, 2}), frozenset({3}), frozenset()
    assert jaccard_distance(empty, empty) == masi_distance(empty, empty) == 0.0
    assert jaccard_distance(one, one_two) == 0.5
    assert masi_distance(one, one_two) == pytest.approx(1 - 0.5 * 2 / 3)  # subset: monotonicity 2/3
    assert masi_distance(frozenset({1, 2}), frozenset({2, 3})) == pytest.approx(1 - (1 / 3) * (1 / 3))
    assert jaccard_distance(three, empty) == masi_distance(three, one) == 1.0


# Units for the set example: u1 {1,2}/{1,2}, u2 {1}/{1,2}, u3 {3}/{}.
SET_UNITS = [
    [frozenset({1, 2}), frozenset({1, 2})],
    [frozenset({1}), frozenset({1, 2})],
    [frozenset({3}), frozenset()],
]


def test_set_alpha_by_hand() -> None:
    # n = 6 values: {1,2} x3, {1} x1, {3} x1, {} x1; d2 = d({1}, {1,2}); every other distinct pair is disjoint (d = 1).
    # sum_o = 2 * (0 + d2 + 1)  (m_u = 2, so each unit counts both orders once)
    # sum_e = 2 * (3*1*d2 + 3*1 + 3*1 + 1*1 + 1*1 + 1*1) = 6*d2 + 18
    # alpha = 1 - (n - 1) * sum_o / sum_e = 1 - 10 (d2 + 1) / (6 d2 + 18)
    # Jaccard d2 = 1/2: 1 - 15/21 = 2/7;  MASI d2 = 2/3: 1 - (50/3)/22 = 8/33
    assert set_alpha(SET_UNITS, "jaccard") == Figure(pytest.approx(2 / 7), 3)
    assert set_alpha(SET_UNITS, "masi") == Figure(pytest.approx(8 / 33), 3)


@pytest.mark.parametrize(("name", "distance"), [("jaccard", jaccard_distance), ("masi", masi_distance)])
def test_set_alpha_matches_the_package_with_a_custom_metric(name, distance) -> None:
    domain = np.empty(4, dtype=object)
    domain[:] = [frozenset({1, 2}), frozenset({1}), frozenset({3}), frozenset()]
    value_counts = np.array([[sum(value == d for value in unit) for d in domain] for unit in SET_UNITS])
    vectorised = np.vectorize(distance, otypes=[float])

    def metric(v1, v2, i1, i2, n_v, dtype=np.float64):
        return vectorised(v1, v2)

    expected = krippendorff.alpha(value_counts=value_counts, value_domain=domain, level_of_measurement=metric)
    assert set_alpha(SET_UNITS, name).value == pytest.approx(expected)


def test_nominal_alpha_on_krippendorffs_example() -> None:
    # Krippendorff (2011), 3 coders x 15 units with gaps; published alpha = 0.691.
    data = [
        [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
        [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
        [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
    ]
    units = [[value for value in column if value is not None] for column in zip(*data)]
    assert nominal_alpha(units) == Figure(pytest.approx(0.691358, abs=1e-6), 12)


reliability = st.integers(2, 4).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=coders, max_size=coders), min_size=1, max_size=20
    )
)


@settings(max_examples=100, deadline=None)
@given(reliability)
def test_nominal_alpha_matches_the_package(columns) -> None:
    units = [[value for value in column if value is not None] for column in columns]
    figure = nominal_alpha(units)
    data = np.array([[np.nan if v is None else v for v in column] for column in columns], dtype=float).T
    pairable_values = {v for unit in units if len(unit) >= 2 for v in unit}
    assert figure.n == sum(1 for unit in units if len(unit) >= 2)
    if len(pairable_values) < 2:
        assert figure.value is None
    else:
        domain = sorted({v for unit in units for v in unit})
        expected = krippendorff.alpha(reliability_data=data, value_domain=domain, level_of_measurement="nominal")
        assert figure.value == pytest.approx(expected)


def test_alpha_undefined_cases() -> None:
    assert nominal_alpha([]) == Figure(None, 0)
    assert nominal_alpha([["x"], ["y"]]) == Figure(None, 0)
    assert nominal_alpha([["x", "x"], ["x", "x", "x"]]) == Figure(None, 2)
    assert set_alpha([[frozenset(), frozenset()]]) == Figure(None, 1)


# --- the report ----------------------------------------------------------------------------------


def figures(report, pair=("ann", "bob"), doc=None):
    scope = report.overall if doc is None else report.documents[doc]
    return scope.pairs[pair], scope.group


def test_perfect_agreement() -> None:
    labels = [("x", "s1"), ("y", "s2"), ("x", "s1")]
    spans = [
        span(who, 10 * i, 10 * i + 5, category_id=cat, speaker_id=spk, mode="paraphrase")
        for who in ("ann", "bob")
        for i, (cat, spk) in enumerate(labels)
    ]
    pair, group = figures(agreement_report(spans, {}))
    # 3 exact matches of 3 + 3 spans: F1 = 2*3/6 = 1.
    assert pair["span_exact_f1"] == pair["span_overlap_f1"] == Figure(1.0, 6)
    # p_o = 1, p_e = (2/3)^2 + (1/3)^2 = 5/9: kappa = 1.
    assert pair["category_kappa"] == pair["speaker_kappa"] == Figure(1.0, 3)
    # One mode throughout: p_e = 1, undefined; no channel anywhere: no items.
    assert pair["mode_kappa"] == Figure(None, 3)
    assert pair["channel_kappa"] == Figure(None, 0)
    assert group["category_alpha"] == Figure(1.0, 3)
    assert group["mode_alpha"] == Figure(None, 3)


def test_total_disagreement() -> None:
    # Spans never overlap: nothing matched, no label items.
    spans = [span("ann", 0, 5, category_id="x"), span("bob", 5, 9, category_id="x")]
    pair, group = figures(agreement_report(spans, {}))
    assert pair["span_exact_f1"] == pair["span_overlap_f1"] == Figure(0.0, 2)
    assert pair["category_kappa"] == Figure(None, 0)
    assert group["category_alpha"] == Figure(None, 0)

    # Same spans, swapped labels: p_o = 0, p_e = .5*.5 + .5*.5 = .5, kappa = -1.
    # Alpha: n = 4 (x2, y2); sum_o = 2 + 2 = 4; sum_e = 2*2*2 = 8; alpha = 1 - 3 * 4/8 = -0.5.
    spans = [
        span("ann", 0, 5, category_id="x"),
        span("ann", 10, 15, category_id="y"),
        span("bob", 0, 5, category_id="y"),
        span("bob", 10, 15, category_id="x"),
    ]
    pair, group = figures(agreement_report(spans, {}))
    assert pair["category_kappa"] == Figure(-1.0, 2)
    assert group["category_alpha"] == Figure(pytest.approx(-0.5), 2)


def test_partial_overlaps_and_one_sided_spans() -> None:
    # ann: [0,10) [20,30) [40,50) [60,70); bob: [0,10) exact, [22,30) overlaps, [100,110) alone.
    # exact F1 = 2*1/7; overlap F1 = 2*2/7.
    spans = [span("ann", s, s + 10) for s in (0, 20, 40, 60)] + [
        span("bob", 0, 10),
        span("bob", 22, 30),
        span("bob", 100, 110),
    ]
    pair, _ = figures(agreement_report(spans, {}))
    assert pair["span_exact_f1"] == Figure(pytest.approx(2 / 7), 7)
    assert pair["span_overlap_f1"] == Figure(pytest.approx(4 / 7), 7)


def test_textbook_kappa_through_the_report() -> None:
    table = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    spans = []
    for i, (cat_a, cat_b) in enumerate(table):
        spans += [span("ann", 10 * i, 10 * i + 5, category_id=cat_a), span("bob", 10 * i, 10 * i + 5, category_id=cat_b)]
    pair, _ = figures(agreement_report(spans, {}))
    assert pair["category_kappa"] == Figure(pytest.approx(0.4), 50)


def test_three_annotators_alpha_matches_the_package() -> None:
    # Krippendorff's example again, one span per coded unit; a missing value is no span at all
    # (or a span without a category, which is not a category item).
    data = [
        ["a", None, None, None, None, "c", "d", "a", "b", "a", "a", "c", "c", None, "c"],
        ["a", None, "b", "a", "c", "c", "d", "c", None, None, None, None, None, None, None],
        [None, None, "b", "a", "c", "d", "d", None, "b", "a", "a", "c", "c", None, "d"],
    ]
    names = ("ann", "bob", "cy")
    spans = []
    for coder, row in zip(names, data):
        for unit, value in enumerate(row):
            if value is not None:
                spans.append(span(coder, 10 * unit, 10 * unit + 5, category_id=value))
            elif unit == 1:
                spans.append(span(coder, 10 * unit, 10 * unit + 5))
    report = agreement_report(spans, {})
    reliability = [[np.nan if v is None else "abcd".index(v) for v in row] for row in data]
    expected = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal")
    assert report.annotators == names
    assert report.overall.group["category_alpha"] == Figure(pytest.approx(expected), 13)
    assert set(report.overall.pairs) == {("ann", "bob"), ("ann", "cy"), ("bob", "cy")}
    # ann|bob share units 0, 5, 6, 7 with categories (a,a) (c,c) (d,d) (a,c):
    # p_o = 3/4; ann a2 c1 d1, bob a1 c2 d1; p_e = (2*1 + 1*2 + 1*1)/16 = 5/16; kappa = (12/16-5/16)/(11/16) = 7/11
    assert report.overall.pairs[("ann", "bob")]["category_kappa"] == Figure(pytest.approx(7 / 11), 4)


def test_three_way_unit() -> None:
    # ann [0,10) x, bob [0,10) x, cy [2,10) y: pairwise matches A-B (1.0), A-C (.8), B-C (.8) make one unit
    # (ann's [9,20) overlaps cy's span by 1/18 but cy's span is taken). Values x, x, y: n = 3 (x2, y1);
    # sum_o = 2 * (d(x,x) + d(x,y) + d(x,y)) / (3 - 1) = 2; sum_e = 9 - (4 + 1) = 4; alpha = 1 - 2 * 2/4 = 0.
    spans = [
        span("ann", 0, 10, category_id="x"),
        span("ann", 9, 20, category_id="y"),
        span("bob", 0, 10, category_id="x"),
        span("cy", 2, 10, category_id="y"),
    ]
    report = agreement_report(spans, {})
    assert report.overall.group["category_alpha"] == Figure(pytest.approx(0.0), 1)


def test_units_hold_at_most_one_span_per_annotator() -> None:
    # ann [0,10) x and [10,20) y; bob [0,20) x; cy [10,20) y.
    # Matches: ann[10,20)-cy (1.0), ann[0,10)-bob (.5, fewer differences than ann[10,20)-bob), bob-cy (.5).
    # Merging best first gives {ann[10,20), cy} and {ann[0,10), bob}; bob-cy would put two ann spans in one
    # unit and is skipped. Both units agree: x2, y2, alpha = 1 over 2 units.
    spans = [
        span("ann", 0, 10, category_id="x"),
        span("ann", 10, 20, category_id="y"),
        span("bob", 0, 20, category_id="x"),
        span("cy", 10, 20, category_id="y"),
    ]
    report = agreement_report(spans, {})
    assert report.overall.group["category_alpha"] == Figure(1.0, 2)


def test_links() -> None:
    t = "transcript"
    ann = [span("ann", 0, 5), span("ann", 10, 15), span("ann", 20, 25, no_source=True), span("ann", 30, 35)]
    bob = [span("bob", 0, 5), span("bob", 10, 15), span("bob", 20, 25, no_source=True), span("bob", 30, 35)]
    targets = {
        ann[0].id: frozenset({(t, 1), (t, 2)}),
        bob[0].id: frozenset({(t, 2), (t, 3)}),
        ann[1].id: frozenset({(t, 7)}),
        bob[1].id: frozenset({(t, 7)}),
        ann[3].id: frozenset({(t, 9)}),  # bob has not linked his span yet: not a link item
    }
    pair, group = figures(agreement_report(ann + bob, targets))
    # Items: {1,2}/{2,3}, {7}/{7}, {}/{}. Shared lines 1 + 1 = 2 of ann's 3 and bob's 3.
    assert pair["link_precision"] == Figure(pytest.approx(2 / 3), 3)
    assert pair["link_recall"] == Figure(pytest.approx(2 / 3), 3)
    assert pair["link_f1"] == Figure(pytest.approx(2 / 3), 6)
    # Alpha (Jaccard): values {1,2} {2,3} {7} {7} {} {}, n = 6; d({1,2},{2,3}) = 2/3.
    # sum_o = 2 * 2/3 = 4/3; sum_e = 36 - (1 + 1 + 4 + 4) - 2 * 1 * 1 * (1 - 2/3) = 26 - 2/3 = 76/3
    # alpha = 1 - 5 * (4/3) / (76/3) = 1 - 20/76 = 14/19
    report = agreement_report(ann + bob, targets, set_distance="jaccard")
    assert report.overall.group["link_alpha"] == Figure(pytest.approx(14 / 19), 3)
    assert group["link_alpha"].n == 3
    # Leaving no_source spans out drops the third unit.
    ignored = agreement_report(ann + bob, targets, no_source="ignore")
    assert ignored.overall.group["link_alpha"].n == 2
    assert ignored.overall.pairs[("ann", "bob")]["link_f1"] == pair["link_f1"]


def test_layers_documents_and_pooling() -> None:
    spans = [
        span("ann", 0, 5, doc="d1", category_id="x"),
        span("bob", 0, 5, doc="d1", category_id="x"),
        span("ann", 0, 5, doc="d2", category_id="y"),
        span("bob", 0, 5, doc="d2", category_id="x"),
        span(REVIEWED_LAYER, 0, 5, doc="d1", category_id="x"),
        Span(id="unlayered", document_id="d2", start=0, end=5, annotator="cy", category_id="x"),
    ]
    report = agreement_report(spans, {})
    assert report.annotators == ("ann", "bob", "cy")
    assert report.overall.pairs[("ann", "bob")]["category_kappa"].n == 2
    assert report.documents["d1"].pairs[("ann", "bob")]["category_kappa"] == Figure(None, 1)
    assert report.overall.pairs[("ann", "bob")]["span_exact_f1"] == Figure(1.0, 4)

    chosen = agreement_report(spans, {}, annotators=["bob", REVIEWED_LAYER], document_id="d1")
    assert set(chosen.documents) == {"d1"}
    assert chosen.overall.pairs[("bob", REVIEWED_LAYER)]["span_exact_f1"] == Figure(1.0, 2)


def test_empty_inputs_and_a_single_annotator() -> None:
    for report in (agreement_report([], {}), agreement_report([span("ann", 0, 5)], {})):
        assert report.overall.pairs == {}
        assert all(figure == Figure(None, 0) for figure in report.overall.group.values())
        json.dumps(report.to_dict(), allow_nan=False)
        assert "n/a" in report.format_table()


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        agreement_report([], {}, no_source="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        agreement_report([], {}, set_distance="euclid")
    with pytest.raises(ValueError):
        agreement_report([], {}, annotators=["ann", "ann"])


def test_to_dict_and_table() -> None:
    spans = [span("bob", 0, 5, category_id="x"), span("ann", 0, 5, category_id="y"), span("ann", 9, 12)]
    report = agreement_report(spans, {})
    data = report.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    # The shape grew: a bootstrap description, figures per value, and every figure's interval and flag.
    assert list(data) == ["annotators", "bootstrap", "documents", "overall", "set_distance"]
    assert data["bootstrap"] == {"level": 0.95, "resamples": 1000, "seed": 20040601}
    assert data["annotators"] == ["ann", "bob"]
    assert list(data["overall"]) == ["all", "pairs", "per_value"]
    assert list(data["overall"]["pairs"]) == ["ann|bob"]
    assert list(data["overall"]["pairs"]["ann|bob"]) == sorted(PAIR_FIGURES)
    assert list(data["documents"]["d1"]["all"]) == sorted(GROUP_FIGURES)
    exact = data["overall"]["pairs"]["ann|bob"]["span_exact_f1"]
    assert list(exact) == ["flag", "high", "low", "n", "value"]
    assert (exact["n"], exact["value"], exact["flag"]) == (3, pytest.approx(2 / 3), "n < 10")
    assert 0.0 <= exact["low"] <= exact["value"] <= exact["high"] <= 1.0
    # One unit (y, x): n = 2 values; sum_o = 2; sum_e = 4 - 2 = 2; alpha = 1 - 1 * 2/2 = 0.
    assert (data["overall"]["all"]["category_alpha"]["n"], data["overall"]["all"]["category_alpha"]["value"]) == (1, 0.0)
    assert set(data["overall"]["per_value"]["category"]) == {"x", "y"}
    assert set(data["overall"]["per_value"]["category"]["x"]) == {"alpha", "kappa"}

    table = report.format_table({"d1": "Press briefing"})
    assert "Document Press briefing" in table
    rows = [line.split() for line in table.splitlines()]
    assert any(row[-8:-5] == ["ann|bob", "0.667", "[0.000,"] and row[-3:] == ["n", "<", "10"] for row in rows)
