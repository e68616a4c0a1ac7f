"""Team ▸ Sync and Team ▸ Join in the window, driven by the keys and dialogs a user uses."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cisannotate.storage import Store
from cisannotate.team import config, init_team, join_team

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")


@pytest.fixture
def remote(tmp_path):
    path = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return str(path)


def _article(store: Store):
    return next(d for d in sorted(store.documents(), key=lambda d: d.sha256)
                if d.kind == "article" and store.transcripts_for(d.id))


def test_sync_by_key_sends_my_claim_and_brings_it_to_a_colleague(qtbot, make_window, sample_project, tmp_path,
                                                                 remote):
    store = Store.open(sample_project)
    init_team(store, remote, "tester")
    store.close()
    colleague = Store.open(tmp_path / "colleague.cisannotate")
    join_team(colleague, remote, "jonas")

    window = make_window(sample_project, annotator="tester")
    article = _article(window.session.store)
    span = window.session.add_span(article.id, 5, 40)
    assert span is not None
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "Synced" in window.statusBar().currentMessage(), timeout=20000)
    assert "your work was sent" in window.statusBar().currentMessage()

    colleague.close()
    other = make_window(tmp_path / "colleague.cisannotate", annotator="jonas")
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    qtbot.keyClick(other, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "Synced" in other.statusBar().currentMessage(), timeout=20000)
    assert "came in: tester" in other.statusBar().currentMessage()
    assert other.session.store.has_span(span.id)


def test_join_a_team_from_the_window_opens_the_new_project(qtbot, make_window, sample_project, tmp_path, remote):
    store = Store.open(sample_project)
    init_team(store, remote, "amira")
    shas = sorted(d.sha256 for d in store.documents())
    store.close()
    empty = tmp_path / "empty.cisannotate"
    Store.open(empty).close()
    window = make_window(empty, annotator="jonas")
    new_project = tmp_path / "joined.cisannotate"

    def fill() -> None:
        from cisannotate.ui.features.team import TeamDialog

        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TeamDialog)
        dialog.repo.setText(remote)
        dialog.project.setText(str(new_project))
        assert dialog.name.text() == "jonas"
        dialog.accept()

    QTimer.singleShot(0, fill)
    window.team.act_join.trigger()

    def opened():
        from cisannotate.ui.window.main_window import MainWindow

        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, MainWindow) and w.isVisible() and w.session.store.path == new_project]
        return found[0] if found else None

    qtbot.waitUntil(lambda: opened() is not None and not window.isVisible())
    joined = opened()
    assert sorted(d.sha256 for d in joined.session.store.documents()) == shas
    assert config(joined.session.store).member == "jonas"
    assert "amira" in joined.session.store.layers()
    assert joined.team.act_sync.isEnabled() and not joined.team.act_init.isEnabled()
    joined.close()
    joined.session.store.close()
