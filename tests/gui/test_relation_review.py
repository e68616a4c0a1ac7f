"""A relation disagreement, end to end: a colleague's file says *distortion* where ours says
*loose paraphrase*; once merged, the Review panel lists it, F8 reaches it, the agreement
report's relation figures fall, both panes box both versions with the relations written on
the connectors, and Alt+B settles it into the reviewed layer."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from cisannotate.cli import run
from cisannotate.adjudication import LayerReview
from cisannotate.storage import Store

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def relation_figures(capsys, project) -> dict:
    capsys.readouterr()
    assert run(["agreement", str(project), "--annotators", "amira", "jonas", "--json", "--bootstrap", "200"]) == 0
    data = json.loads(capsys.readouterr().out)["overall"]
    return {
        "kappa": data["pairs"]["amira|jonas"]["relation_kappa"],
        "alpha": data["all"]["relation_alpha"],
        "ordinal": data["all"]["relation_ordinal_alpha"],
    }


@pytest.fixture
def planted(tmp_path):
    """A study project merged from the sample's two layers, jonas's with one relation changed."""
    sample = tmp_path / "sample.cisannotate"
    assert run(["new", str(sample), "--sample"]) == 0
    store = Store.open(sample, read_only=True)
    review = LayerReview(store, "amira", "jonas")
    # A claim both annotators agree on entirely, linked by both as a loose paraphrase.
    item = next(
        item for item in review.items
        if item.status == "agreed"
        and [link.relation for link in store.links_for_span(item.a.id)] == ["loose paraphrase"]
    )
    claim = (item.a.document_id, item.a.start, item.a.end, item.a.quote)
    store.close()
    for name in ("amira", "jonas"):
        assert run(["export", str(sample), "-o", str(tmp_path / f"{name}.json"), "--with-text",
                    "--annotator", name]) == 0
    path = tmp_path / "jonas.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    span_id = next(s["id"] for s in data["spans"]
                   if (s["document_id"], s["start"], s["end"]) == claim[:3])
    [link] = [link for link in data["links"] if link["span_id"] == span_id]
    link["relation"] = "distortion"
    path.write_text(json.dumps(data), encoding="utf-8")

    study = tmp_path / "study.cisannotate"
    assert run(["new", str(study)]) == 0
    for name in ("amira", "jonas"):
        assert run(["merge", str(study), str(tmp_path / f"{name}.json")]) == 0
    return sample, study, claim


def test_a_planted_relation_disagreement_is_listed_reported_shown_and_settled(planted, make_window, qtbot, capsys):
    sample, study, (document_id, start, end, quote) = planted

    # The report: the relation figures of the merged project fall below the sample's (and below 1).
    before, after = relation_figures(capsys, sample), relation_figures(capsys, study)
    for name in ("kappa", "alpha", "ordinal"):
        assert after[name]["value"] < before[name]["value"] < 1
        assert after[name]["n"] == before[name]["n"]
        assert after[name]["low"] <= after[name]["value"] <= after[name]["high"]

    window = make_window(study, annotator="reviewer")
    review = window.review
    review.dock.show()
    review.dock.raise_()
    qtbot.waitUntil(lambda: review.review is not None)
    review.compare("amira", "jonas")
    panel = review.panel
    [planted_item] = [item for item in panel.model.items
                      if item.document_id == document_id and (item.a.start, item.a.end) == (start, end)]
    assert planted_item.match.differences == ("relation",)
    row = panel.model.items.index(planted_item)
    assert panel.model.index(row, 0).data() == "≠ differs: relation"

    # F8 steps to it, as to every other disagreement.
    window.workspace.article.view.setFocus()
    for _ in range(len(panel.model.items)):
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F8)
        if panel.current_item().key == planted_item.key:
            break
    assert panel.current_item().key == planted_item.key
    details = {panel.details.topLevelItem(i).text(1): panel.details.topLevelItem(i)
               for i in range(panel.details.topLevelItemCount())}
    assert [details["relation"].text(c) for c in (0, 2, 3)] == ["≠", "loose paraphrase", "distortion"]
    assert details["links"].text(0) == "="
    assert "(loose paraphrase)" in panel.model.index(row, 4).data()
    assert "(distortion)" in panel.model.index(row, 5).data()

    # The text: both versions boxed in the article and at the source line in the transcript,
    # A solid and B dashed in their own colours; the connectors say which relation each gives.
    workspace = window.workspace
    assert workspace.article.document_id == document_id
    boxes = [(o.start, o.end, o.side) for o in workspace.article.view.outlines]
    assert (start, end, "a") in boxes and (start, end, "b") in boxes
    store = window.session.store
    link_a = store.links_for_span(planted_item.a.id)[0]
    link_b = store.links_for_span(planted_item.b.id)[0]
    assert (link_a.relation, link_b.relation) == ("loose paraphrase", "distortion")
    target_boxes = [(o.start, o.end, o.side) for o in workspace.transcript.view.outlines]
    assert (link_a.target_start, link_a.target_end, "a") in target_boxes
    assert (link_b.target_start, link_b.target_end, "b") in target_boxes
    labels = workspace.canvas.labels
    assert labels[link_a.id][0] == "A: loose" and labels[link_b.id][0] == "B: distortion"
    colour_a, colour_b = review.side_colors()
    assert colour_a != colour_b and labels[link_a.id][1] == colour_a and labels[link_b.id][1] == colour_b
    # The labels are drawn: both links are on screen between the panes.
    workspace.canvas.repaint()
    drawn = {d.link.id for d in workspace.canvas._drawn}
    assert {link_a.id, link_b.id} <= drawn
    # Showing only A hides B's boxes; both layers bring them back.
    buttons = {b.text(): b for b in panel.layer_views.buttons()}
    qtbot.mouseClick(buttons["Only A"], Qt.MouseButton.LeftButton)
    assert {o.side for o in workspace.article.view.outlines} == {"a"}
    qtbot.mouseClick(buttons["A and B"], Qt.MouseButton.LeftButton)
    assert {o.side for o in workspace.article.view.outlines} == {"a", "b"}

    # Settle it: B's version (with its relation) goes to the reviewed layer.
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_B, ALT)
    settled = next(item for item in panel.model.items if item.key == planted_item.key)
    assert settled.decision == "accept_b"
    copy = store.span(settled.review.result_id)
    assert copy.layer == "reviewed" and (copy.start, copy.end) == (start, end)
    assert [link.relation for link in store.links_for_span(copy.id)] == ["distortion"]
    window.session.undo_stack.undo()
    assert next(item for item in panel.model.items if item.key == planted_item.key).decision is None
