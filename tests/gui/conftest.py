"""Fixtures that build real projects and the real main window over them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from cisannotate.storage import Store
from cisannotate.services.importing import import_files


@pytest.fixture
def corpus_project(tmp_path, corpus) -> Path:
    """A project file holding the five corpus texts, imported with their manifest."""
    path = tmp_path / "corpus.cisannotate"
    store = Store.open(path)
    report = import_files(store, [corpus], manifest=corpus / "manifest.csv")
    assert not report.problems and len(report.added) == 5
    store.close()
    return path


@pytest.fixture
def make_window(qtbot):
    """Open the main window on a project file, as the app does, and close it after the test."""
    from cisannotate.app import build_window

    windows = []

    def make(path: Path, annotator: str = "tester", read_only: bool = False):
        window = build_window(path, annotator=annotator, read_only=read_only)
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.session.store.close()


@pytest.fixture
def sample_project(tmp_path) -> Path:
    """A fresh copy of the bundled sample project, as a first run creates it."""
    from cisannotate.sample import create_sample_project

    path = tmp_path / "sample.cisannotate"
    create_sample_project(path).close()
    return path
