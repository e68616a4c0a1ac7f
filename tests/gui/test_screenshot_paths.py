"""``screenshot`` never empties or replaces a file it must not: its target is checked
(suffix, kind of file, the project under any of its names) before anything opens it,
and the picture is written beside it and renamed into place."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.storage import Store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    path = tmp_path / "study.cisannotate"
    assert run(["new", str(path), "--sample"]) == 0
    capsys.readouterr()
    return path


def screenshot(capsys, project: Path, out: Path) -> tuple[int, str]:
    code = run(["screenshot", str(project), str(out), "--size", "400x300"])
    _out, err = capsys.readouterr()
    return code, err


def test_screenshot_onto_the_project_is_refused_and_leaves_it_whole(project, capsys):
    before = digest(project)
    code, err = screenshot(capsys, project, project)
    assert code == 1
    assert digest(project) == before
    assert Store.open(project, read_only=True).documents()


def test_a_screenshot_and_a_listing_leave_nothing_beside_the_project(project, capsys, tmp_path):
    # The project is closed (no -wal or -shm beside it); reading it must not leave SQLite's files.
    assert sorted(p.name for p in project.parent.iterdir()) == ["study.cisannotate"]
    before = digest(project)
    code, err = screenshot(capsys, project, tmp_path / "picture.png")
    assert code == 0, err
    assert run(["documents", str(project)]) == 0
    assert sorted(p.name for p in project.parent.iterdir()) == ["picture.png", "study.cisannotate"]
    assert digest(project) == before


def test_screenshot_with_an_unknown_suffix_does_not_truncate_an_existing_file(project, capsys, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("three weeks of field notes\n")
    code, err = screenshot(capsys, project, notes)
    assert code == 1 and "notes.txt" in err and ".png" in err
    assert notes.read_text() == "three weeks of field notes\n"


def test_screenshot_onto_a_hard_link_of_the_project_is_refused(project, capsys, tmp_path):
    other = tmp_path / "picture.png"
    os.link(project, other)
    before = digest(project)
    code, _err = screenshot(capsys, project, other)
    assert code == 1
    assert digest(project) == before


def test_screenshot_writes_a_png_and_replaces_an_old_one(project, capsys, tmp_path):
    out = tmp_path / "window.png"
    out.write_bytes(b"old picture")
    code, err = screenshot(capsys, project, out)
    assert code == 0, err
    assert out.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.glob(".window.png.*")] == []


def test_the_window_says_when_no_backup_could_be_taken(tmp_path, monkeypatch, qtbot):
    from cisannotate.app import build_window
    from cisannotate.storage import project as project_module
    from cisannotate.storage import verify

    path = tmp_path / "p.cisannotate"
    Store.open(path).close()

    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_module, "take_backup", no_room)
    monkeypatch.setattr(verify, "take_backup", no_room)  # the copy is taken beside the opened window
    window = build_window(path, annotator="tester")
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: "no backup copy" in window.statusBar().currentMessage(), timeout=10000)
        message = window.statusBar().currentMessage()
        assert "no backup copy" in message and "No space left on device" in message
    finally:
        window.close()
        window.session.store.close()
