"""`cisannotate PATH` with a PATH that does not exist asks before creating a project there."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from cisannotate import app


def test_a_misspelt_project_name_creates_nothing_when_the_user_says_no(tmp_path, monkeypatch, capsys, qapp):
    asked = []

    def answer_no(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    typo = tmp_path / "stdy.cisannotate"
    assert app.run_gui([str(typo), "--data-dir", str(tmp_path / "data")]) == 1
    assert "stdy.cisannotate" in asked[0] and "Create a new, empty project" in asked[0]
    assert not typo.exists() and sorted(p.name for p in tmp_path.iterdir()) in ([], ["data"])
    assert "stdy.cisannotate: no such project; nothing was created" in capsys.readouterr().err
