from __future__ import annotations

from cisannotate.core.fidelity import compare, suggest_relation


def test_identical_words_ignoring_case_and_punctuation():
    c = compare("The border is closed.", "“the border is closed,”")
    assert [p.kind for p in c.pieces] == ["same"]
    assert c.overlap == 1.0
    assert suggest_relation(c) == "verbatim"


def test_left_out_added_and_substituted():
    c = compare(
        "If the Council approves the budget, we are ready to host the centre next year.",
        "We will host the centre next year, the minister promised.",
    )
    # The condition is dropped and "are ready to" becomes "will": a conditional turned into a promise.
    assert c.left_out == ["If the Council approves the budget,"]
    assert c.substituted == [("are ready to", "will")]
    assert c.added == ["the minister promised."]
    assert c.same_words == 6  # we / host the centre next year
    assert suggest_relation(c) == "close paraphrase"  # 6 of 10 article words come from the source


def test_pieces_rebuild_both_texts():
    source = "We saw 1,240 attempts to cross the frontier."
    article = "Officials saw 12,000 attempts to cross."
    c = compare(source, article)
    assert " ".join(p.source for p in c.pieces if p.source) == source
    assert " ".join(p.article for p in c.pieces if p.article) == article
    assert ("1,240", "12,000") in c.substituted


def test_empty_texts():
    c = compare("", "")
    assert c.pieces == () and c.overlap == 0.0
    assert suggest_relation(compare("Something said.", "")) == "loose paraphrase"
