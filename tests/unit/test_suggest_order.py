"""The ``order`` feature: where the confident suggestions of an article's other sentences
point (cisannotate/core/suggest_context.py), on small made-up texts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cisannotate.core.suggest import FEATURES, IndexedLine, SourceIndex
from cisannotate.core.suggest_context import (
    ANCHOR_SCORE,
    ORDER_SCALE,
    Anchor,
    ArticleReading,
    InArticle,
    Pointer,
    order_value,
    reading,
)

HARBOUR = [
    "Good evening, and thank you for coming to the harbour hall.",
    "The new breakwater will protect the fishing fleet from winter storms.",
    "Work on the breakwater begins in March and ends before the autumn.",
    "We will also open a training centre for young sailors.",
    "The ferry to the islands will run every hour from June.",
    "Ticket prices for island residents will fall by half.",
]
SCHOOL = [
    "Thank you for welcoming me to this school.",
    "We will also open a training centre for young teachers.",
    "Every classroom will have new computers by September.",
]
# A report of the harbour speech, in the speech's order; its fourth sentence says what
# both speeches say in almost the same words.
ARTICLE = (
    "Mayor promises breakwater and hourly ferry\n\n"
    "The new breakwater will protect the fishing fleet from winter storms, the mayor said. "
    "Work on the breakwater begins in March and ends before autumn. "
    "A training centre will open as well. "
    "The ferry to the islands will run every hour from June. "
    "Island residents will pay half as much for tickets."
)
AMBIGUOUS = "A training centre will open as well."


def make_lines(document_id: str, sentences: list[str]) -> list[IndexedLine]:
    refs, offset = [], 0
    for number, sentence in enumerate(sentences, 1):
        refs.append(IndexedLine(document_id, number, offset, offset + len(sentence), sentence))
        offset += len(sentence) + 1
    return refs


@pytest.fixture(scope="module")
def index() -> SourceIndex:
    return SourceIndex(make_lines("harbour", HARBOUR) + make_lines("school", SCHOOL))


def placed(text: str) -> InArticle:
    start = ARTICLE.index(text)
    return InArticle(ARTICLE, start, start + len(text))


def test_order_is_a_feature_of_the_model():
    assert FEATURES[-1] == "order"


def test_reading_keeps_the_confident_sentences_only():
    found = reading([(0, 10), (11, 20), (21, 30)],
                    [("a", 3, 0.9), ("a", 7, ANCHOR_SCORE - 0.01), None])
    assert found.anchors == (Anchor(0, 10, "a", 3, 0.9),)


def test_pointers_use_the_nearest_anchor_on_each_side_of_each_transcript():
    article = ArticleReading((
        Anchor(0, 10, "a", 2, 0.9), Anchor(11, 20, "a", 4, 0.9), Anchor(21, 30, "b", 9, 0.8),
        Anchor(31, 40, "a", 99, 0.7),  # overlaps the span: left out
        Anchor(41, 50, "a", 7, 0.9), Anchor(51, 60, "a", 8, 0.9)))
    pointers = article.pointers(32, 38)
    # a: line 4 is the nearest before, line 7 the nearest after; 4 of the 5 other anchors.
    assert pointers["a"] == Pointer(4, 7, 4 / 5)
    # b: one anchor, before the span only.
    assert pointers["b"] == Pointer(9, 9, 1 / 5)
    # A span at the article's start has anchors after it only.
    assert article.pointers(0, 5)["a"] == Pointer(4, 4, 4 / 5)
    assert ArticleReading(()).pointers(0, 5) == {}


def test_order_value_is_the_share_inside_and_decays_outside():
    pointers = {"a": Pointer(4, 7, 0.75)}
    assert order_value("a", 5, pointers) == 0.75
    assert order_value("a", 4, pointers) == order_value("a", 7, pointers) == 0.75
    assert order_value("a", 9, pointers) == pytest.approx(0.75 * math.exp(-2 / ORDER_SCALE))
    assert order_value("a", 1, pointers) == pytest.approx(0.75 * math.exp(-3 / ORDER_SCALE))
    assert order_value("b", 5, pointers) == 0.0


def test_the_index_reads_the_article_sentence_by_sentence(index):
    where = placed(AMBIGUOUS)
    article = index.read_article(where)
    assert [(a.document_id, a.line) for a in article.anchors] == [
        ("harbour", 2), ("harbour", 3), ("school", 2), ("harbour", 5), ("harbour", 6)]
    assert all(a.score >= ANCHOR_SCORE for a in article.anchors)
    # The ambiguous sentence's own anchor (school 2) is left out for its own span.
    assert article.pointers(where.start, where.end) == {"harbour": Pointer(3, 5, 1.0)}
    assert index.read_article(where) is article  # read once per article


def test_the_index_feature_equals_the_reference_for_every_line(index):
    where = placed("Island residents will pay half as much for tickets.")
    pointers = index.read_article(where).pointers(where.start, where.end)
    values = index.order_feature(where)
    expected = [order_value(ref.document_id, ref.number, pointers) for ref in index.lines]
    assert np.allclose(values, expected)
    assert not np.allclose(values, 0.0)
    assert not index.order_feature(None).any()


def test_the_article_order_decides_between_two_speeches_saying_the_same(index):
    alone = index.explain(AMBIGUOUS, top=2)
    assert [c.document_id for c, _ in alone] == ["school", "harbour"]
    assert all(feats["order"] == 0.0 for _, feats in alone)

    in_article = index.explain(AMBIGUOUS, top=2, where=placed(AMBIGUOUS))
    (first, first_feats), (second, second_feats) = in_article
    assert (first.document_id, first.line) == ("harbour", 4)
    assert first_feats["order"] == 1.0  # between the anchors on lines 3 and 5
    assert (second.document_id, second.line, second_feats["order"]) == ("school", 2, 0.0)


def test_scope_restricts_the_anchors_too(index):
    where = placed(AMBIGUOUS)
    article = index.read_article(where, documents=["school"])
    assert {a.document_id for a in article.anchors} <= {"school"}
    assert index.query(AMBIGUOUS, documents=["school"], where=where)[0].document_id == "school"


def test_a_span_with_a_non_bmp_character_is_placed_by_code_points(index):
    text = "🌊 " + ARTICLE
    start = text.index(AMBIGUOUS)
    where = InArticle(text, start, start + len(AMBIGUOUS))
    assert text[where.start:where.end] == AMBIGUOUS
    assert index.query(AMBIGUOUS, top=1, where=where)[0].line == 4


def test_the_trials_variants_of_order_rank_and_report_their_features():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import suggest_trials as trials

    lines = make_lines("harbour", HARBOUR) + make_lines("school", SCHOOL)
    where = placed(AMBIGUOUS)
    for index in (trials.NearestAnchors(lines), trials.TwoPasses(lines)):
        (first, feats), = index.explain(AMBIGUOUS, top=1, where=where)
        assert (first.document_id, first.line, feats["order"]) == ("harbour", 4, 1.0)
    plan = make_lines("plan", ["First, the harbour.", "Let me turn to the schools.", "The pier is old.",
                               "We will build a long breakwater for the fishing fleet."])
    signposts = trials.Signposts(plan)
    assert signposts.features[-1] == "signpost"
    assert signposts._signpost.tolist() == [1.0, 1.0, 0.0, 0.0]
    assert trials.ShortLines(plan)._signpost.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert signposts.explain("the fishing fleet gets a breakwater", top=1)[0][1]["signpost"] == 0.0
    lead = trials.LeadShort(lines)
    found = lead.explain("Mayor promises breakwater and hourly ferry", top=3, where=placed("Mayor promises"))
    assert all(feats["lead_short"] in (0.0, 1.0) for _, feats in found)
