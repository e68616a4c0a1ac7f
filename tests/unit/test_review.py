"""Adjudication on the sample project: the operations each decision makes, applied and undone."""

from __future__ import annotations

import pytest

from cisannotate.commands.ops import (
    AddLink,
    AddReview,
    AddSpan,
    DeleteLink,
    DeleteReview,
    DeleteSpan,
    apply_all,
    inverse_all,
)
from cisannotate.core.compare import AGREED, DIFFERS, ONLY_A, ONLY_B
from cisannotate.core.model import REVIEWED_LAYER
from cisannotate.adjudication import (
    ACCEPT_A,
    ACCEPT_B,
    EDIT,
    REJECT,
    SIDE_B,
    LayerReview,
    accept_agreed,
    decide,
    item_key,
)
from cisannotate.sample import build_sample
from cisannotate.storage import Store

REVIEWER = "rita"


@pytest.fixture
def sample() -> Store:
    store = Store.memory()
    build_sample(store)
    yield store
    store.close()


def first(review: LayerReview, status: str, linked_a: bool = False):
    """The first item of ``status`` (with links on A's side when asked)."""
    return next(
        item for item in review.items
        if item.status == status and (not linked_a or review.store.links_for_span(item.a.id))
    )


def settle(store: Store, decision) -> None:
    apply_all(store, decision.all_ops)


def test_the_sample_layers_disagree_on_about_a_quarter_of_their_items(sample):
    review = LayerReview(sample, "amira", "jonas")
    statuses = [item.status for item in review.items]
    assert len(statuses) == 45
    assert statuses.count(AGREED) == 33
    assert (statuses.count(DIFFERS), statuses.count(ONLY_A), statuses.count(ONLY_B)) == (8, 3, 1)
    assert review.progress().text == "Disagreements: 0 of 12 settled · agreed: 0 of 33 settled"


def test_accept_a_copies_the_span_and_its_links_into_the_reviewed_layer(sample):
    review = LayerReview(sample, "amira", "jonas")
    item = first(review, DIFFERS, linked_a=True)
    source_links = sample.links_for_span(item.a.id)
    decision = decide(sample, item, ACCEPT_A, REVIEWER, comment=" A has the right channel ", layers=review.layers)

    assert [type(op) for op in decision.all_ops] == [AddSpan] + [AddLink] * len(source_links) + [AddReview]
    assert decision.label == "Review: accept amira's annotation"
    settle(sample, decision)

    [copy] = sample.spans(layers=[REVIEWED_LAYER])
    assert copy.id not in {item.a.id, item.b.id}
    assert (copy.layer, copy.annotator) == (REVIEWED_LAYER, REVIEWER)
    assert (copy.document_id, copy.start, copy.end, copy.quote) == (
        item.a.document_id, item.a.start, item.a.end, item.a.quote)
    assert (copy.category_id, copy.speaker_id, copy.mode, copy.channel_id) == (
        item.a.category_id, item.a.speaker_id, item.a.mode, item.a.channel_id)
    copied = sample.links_for_span(copy.id)
    assert [(k.target_document_id, k.target_start, k.target_end, k.relation) for k in copied] == [
        (k.target_document_id, k.target_start, k.target_end, k.relation) for k in source_links]
    assert {(k.layer, k.annotator) for k in copied} == {(REVIEWED_LAYER, REVIEWER)}
    assert not {k.id for k in copied} & {k.id for k in source_links}

    [row] = sample.reviews()
    assert (row.item_a, row.item_b, row.decision, row.reviewer, row.result_id, row.comment) == (
        item.a.id, item.b.id, ACCEPT_A, REVIEWER, copy.id, "A has the right channel")
    # The annotators' own layers are untouched.
    assert sample.span(item.a.id) == item.a and sample.links_for_span(item.a.id) == source_links

    review.reload([item.document_id])
    settled = next(i for i in review.items if i.key == item.key)
    assert settled.settled and settled.decision == ACCEPT_A
    assert review.progress().settled_disagreements == 1


def test_accept_b_of_an_item_only_b_marked_and_accept_a_refused(sample):
    review = LayerReview(sample, "amira", "jonas")
    item = first(review, ONLY_B)
    with pytest.raises(ValueError, match="amira has no annotation"):
        decide(sample, item, ACCEPT_A, REVIEWER, layers=review.layers)
    settle(sample, decide(sample, item, ACCEPT_B, REVIEWER))
    [copy] = sample.spans(layers=[REVIEWED_LAYER])
    assert (copy.start, copy.end, copy.category_id) == (item.b.start, item.b.end, item.b.category_id)
    [row] = sample.reviews()
    assert (row.item_a, row.item_b, row.decision) == ("", item.b.id, ACCEPT_B)


def test_reject_makes_only_a_review_row(sample):
    review = LayerReview(sample, "amira", "jonas")
    item = first(review, ONLY_A)
    decision = decide(sample, item, REJECT, REVIEWER)
    assert decision.ops == [] and decision.result is None
    settle(sample, decision)
    assert sample.spans(layers=[REVIEWED_LAYER]) == []
    [row] = sample.reviews()
    assert (row.item_a, row.item_b, row.decision, row.result_id) == (item.a.id, "", REJECT, "")


def test_edit_copies_the_chosen_side_and_falls_back_to_the_other(sample):
    review = LayerReview(sample, "amira", "jonas")
    pair = first(review, DIFFERS)
    decision = decide(sample, pair, EDIT, REVIEWER, edit_from=SIDE_B)
    assert (decision.result.start, decision.result.end, decision.result.mode) == (pair.b.start, pair.b.end, pair.b.mode)
    only_a = first(review, ONLY_A)
    assert decide(sample, only_a, EDIT, REVIEWER, edit_from=SIDE_B).result.start == only_a.a.start


def test_deciding_again_replaces_the_earlier_decision_and_undo_restores_it(sample):
    review = LayerReview(sample, "amira", "jonas")
    item = first(review, DIFFERS, linked_a=True)
    settle(sample, decide(sample, item, ACCEPT_A, REVIEWER))
    [earlier] = sample.reviews()
    earlier_span = sample.span(earlier.result_id)
    earlier_links = sample.links_for_span(earlier.result_id)

    again = decide(sample, item, REJECT, REVIEWER)
    assert again.ops == [DeleteReview(earlier), *(DeleteLink(k) for k in earlier_links), DeleteSpan(earlier_span)]
    apply_all(sample, again.all_ops)
    [row] = sample.reviews()
    assert row.decision == REJECT and row.id != earlier.id
    assert sample.spans(layers=[REVIEWED_LAYER]) == [] and sample.links(layers=[REVIEWED_LAYER]) == []

    apply_all(sample, inverse_all(again.all_ops))
    assert sample.reviews() == [earlier]
    assert sample.spans(layers=[REVIEWED_LAYER]) == [earlier_span]
    assert sample.links_for_span(earlier_span.id) == earlier_links


def test_a_decision_settles_the_item_when_the_sides_are_swapped(sample):
    settle(sample, decide(sample, first(LayerReview(sample, "amira", "jonas"), DIFFERS), ACCEPT_A, REVIEWER))
    swapped = LayerReview(sample, "jonas", "amira")
    [settled] = [item for item in swapped.items if item.settled]
    assert settled.decision == ACCEPT_B
    # Deciding from the swapped side replaces the row instead of adding a second one.
    settle(sample, decide(sample, settled, ACCEPT_A, REVIEWER))
    [row] = sample.reviews()
    assert (row.item_a, row.decision) == (settled.a.id, ACCEPT_A)
    assert item_key(row.item_a, row.item_b) == settled.key
    assert len(sample.spans(layers=[REVIEWED_LAYER])) == 1


def test_settled_counts_and_accepting_all_agreed(sample):
    review = LayerReview(sample, "amira", "jonas")
    ops = accept_agreed(sample, review.items, REVIEWER)
    assert sum(isinstance(op, AddReview) for op in ops) == 33
    apply_all(sample, ops)
    review.reload()
    assert review.progress().text == "Disagreements: 0 of 12 settled · agreed: 33 of 33 settled"
    assert len(sample.spans(layers=[REVIEWED_LAYER])) == 33
    assert accept_agreed(sample, review.items, REVIEWER) == []

    for item in [item for item in review.items if item.disagreement]:
        decision = ACCEPT_B if item.a is None else ACCEPT_A
        settle(sample, decide(sample, item, decision, REVIEWER))
    review.reload_reviews()
    assert review.progress().text == "Disagreements: 12 of 12 settled · agreed: 33 of 33 settled"


def test_scope_limits_the_items_to_the_chosen_documents(sample):
    whole = LayerReview(sample, "amira", "jonas")
    document = whole.items[0].document_id
    scoped = LayerReview(sample, "amira", "jonas", [document])
    assert scoped.items == [item for item in whole.items if item.document_id == document]
    with pytest.raises(ValueError):
        LayerReview(sample, "amira", "amira")
