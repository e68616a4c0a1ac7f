"""The window opens a project before its full check has finished (storage/verify.py); a
project that then fails it is refused: the user is told, the window closes, and the file
keeps every byte. A sound project's window works as before once the check passed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from shiboken6 import isValid

from cisannotate.cli import run
from cisannotate.storage import Store


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    path = tmp_path / "study.cisannotate"
    assert run(["new", str(path), "--sample"]) == 0
    Store.open(path).close()
    capsys.readouterr()
    return path


def change_a_text(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    text = conn.execute("SELECT text FROM documents ORDER BY length(text) DESC LIMIT 1").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    at = data.index(text[len(text) // 2: len(text) // 2 + 40].encode())
    for i in range(at, at + 8):
        data[i] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_damaged_project_is_refused_by_the_open_window(project, qtbot, monkeypatch):
    from cisannotate.app import open_window

    change_a_text(project)
    before = hashlib.sha256(project.read_bytes()).hexdigest()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: told.append(text))
    window = open_window(project, annotator="tester")
    assert window is not None  # opened after the quick checks
    window.show()
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert "damaged" in told[0] and str(project) in told[0]
    # Closed (and, as every top-level window, deleted on closing).
    qtbot.waitUntil(lambda: not isValid(window) or not window.isVisible(), timeout=5000)
    assert hashlib.sha256(project.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in project.parent.iterdir()) == [project.name]


def test_a_sound_project_takes_a_claim_typed_at_once(project, make_window, qtbot):
    """A key pressed before the check has finished waits for it, then is saved."""
    from PySide6.QtCore import Qt

    window = make_window(project, annotator="newcomer")  # not yet among the project's annotators
    view = window.workspace.article.view
    errors: list[str] = []
    window.session.error.connect(errors.append)
    before = len(view.spans.by_id)
    view.setFocus()
    view.select_range(0, 12)
    category = window.session.store.categories()[0]
    qtbot.keyClick(view, getattr(Qt.Key, f"Key_{category.shortcut.upper()}"))
    assert errors == []
    assert len(view.spans.by_id) == before + 1
    assert window.session.store.verification.passed
    assert "newcomer" in window.session.store.annotators()


def test_a_damaged_project_is_not_pictured(project, tmp_path, capsys):
    change_a_text(project)
    out = tmp_path / "window.png"
    assert run(["screenshot", str(project), str(out), "--size", "400x300"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and str(project) in err and "Traceback" not in err
    assert not out.exists()
