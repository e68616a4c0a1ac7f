"""A whole study: two annotators' exports merge into one project, a reviewer settles every
disagreement in the window, and the export carries the reviewed layer."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from cisannotate.cli import run
from cisannotate.storage import Store

ALT = Qt.KeyboardModifier.AltModifier


def test_two_exports_merge_review_and_export_the_reviewed_layer(tmp_path, make_window, qtbot, capsys):
    # Two annotators' work, each exported from their own machine (here: the sample's two layers).
    sample = tmp_path / "sample.cisannotate"
    assert run(["new", str(sample), "--sample"]) == 0
    for name in ("amira", "jonas"):
        assert run(["export", str(sample), "-o", str(tmp_path / f"{name}.json"), "--with-text",
                    "--annotator", name]) == 0
    # The reviewer's project starts empty and takes both files in.
    study = tmp_path / "study.cisannotate"
    assert run(["new", str(study)]) == 0
    for name in ("amira", "jonas"):
        assert run(["merge", str(study), str(tmp_path / f"{name}.json")]) == 0
    capsys.readouterr()
    store = Store.open(study, read_only=True)
    assert set(store.layers()) == {"amira", "jonas"}
    store.close()

    window = make_window(study, annotator="reviewer")
    review = window.review
    review.dock.show()
    review.dock.raise_()
    qtbot.waitUntil(lambda: review.review is not None)
    review.compare("amira", "jonas")
    panel = review.panel
    disagreements = [item for item in panel.model.items if item.status != "agreed"]
    assert len(disagreements) == 12
    # The reviewer reads the agreement report (Ctrl+Shift+R).
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = review.agreement_dialog
    assert dialog is not None and dialog.isVisible()
    assert "exact-match F1" in dialog.text() and "0.907" in dialog.text()
    dialog.close()
    for _ in disagreements:
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F8)
        item = panel.current_item()
        key = Qt.Key.Key_B if item.a is None else Qt.Key.Key_A
        qtbot.keyClick(window.focusWidget() or window, key, ALT)
    assert panel.progress.text().startswith("Disagreements: 12 of 12 settled")
    window.close()

    out = tmp_path / "reviewed.json"
    assert run(["export", str(study), "-o", str(out), "--annotator", "reviewed"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {s["layer"] for s in data["spans"]} == {"reviewed"}
    assert len(data["spans"]) == 12
    assert len(data["reviews"]) == 12
    assert all(r["reviewer"] == "reviewer" for r in data["reviews"])
    # The agreement figures of the merged layers are those of the sample the files came from.
    figures = []
    for project in (study, sample):
        capsys.readouterr()
        assert run(["agreement", str(project), "--annotators", "amira", "jonas", "--json"]) == 0
        overall = json.loads(capsys.readouterr().out)["overall"]["pairs"]["amira|jonas"]
        figures.append(overall)
    assert figures[0] == figures[1]
    assert figures[0]["category_kappa"]["n"] == 38 and round(figures[0]["category_kappa"]["value"], 3) == 0.968
