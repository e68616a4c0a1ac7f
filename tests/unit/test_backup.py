"""Rolling backups on opening, and restoring one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cisannotate import paths
from cisannotate.core.model import Comment
from cisannotate.storage import ProjectError, Store
from cisannotate.storage.backup import (
    BEFORE_RESTORE,
    DAMAGED,
    KEEP,
    ON_OPEN,
    list_backups,
    read_backup,
    restore_backup,
)
from cisannotate.storage.errors import ProjectLocked


def comment(store: Store, text: str) -> None:
    store.ensure_annotator("ann")
    store.add_comment(Comment(id=text, target_id="x", author="ann", text=text))


def comments(path: Path) -> list[str]:
    store = Store.open(path, read_only=True)
    try:
        return [c.text for c in store.comments()]
    finally:
        store.close()


def edit(path: Path, text: str) -> None:
    """Open the project (taking a backup of it as it was), add a comment, close."""
    store = Store.open(path)
    comment(store, text)
    store.close()


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "p.cisannotate"
    Store.open(path).close()  # a new project: nothing to back up yet
    return path


def test_opening_for_writing_backs_up_the_project_as_it_was(project):
    assert list_backups(project) == []
    edit(project, "first")
    (backup,) = list_backups(project)
    assert backup.reason == ON_OPEN and backup.path.parent == paths.backup_dir(project)
    assert read_backup(backup.path).documents == 0
    assert comments(backup.path) == []  # the state before this session's edit
    store = Store.open(project, read_only=True)
    store.close()
    assert len(list_backups(project)) == 1  # reading changes nothing, so no copy


def test_a_backup_is_one_sound_file_without_a_log(project):
    edit(project, "first")
    edit(project, "second")
    backup = list_backups(project)[0].path
    assert sorted(p.name for p in backup.parent.iterdir() if p.name.startswith(backup.name)) == [backup.name]
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert comments(backup) == ["first"]


def test_an_unchanged_project_is_not_copied_again(project):
    edit(project, "first")
    for _ in range(KEEP + 2):
        Store.open(project).close()
    backups = list_backups(project)
    assert len(backups) == 2  # before "first", and after it; the reopenings added nothing
    assert comments(backups[0].path) == ["first"] and comments(backups[1].path) == []


def test_only_the_last_copies_on_opening_are_kept(project):
    for i in range(KEEP + 3):
        edit(project, f"edit {i}")
    backups = list_backups(project)
    assert len(backups) == KEEP
    assert [b.taken for b in backups] == sorted((b.taken for b in backups), reverse=True)
    assert comments(backups[0].path)[-1] == f"edit {KEEP + 1}"


def test_half_made_copies_are_cleaned_up(project):
    edit(project, "first")
    folder = paths.backup_dir(project)
    leftover = folder / "p-20260101-000000-000000.cisannotate.partial"
    leftover.write_bytes(b"half a copy")
    edit(project, "second")
    assert not leftover.exists()
    assert all(b.path.suffix == ".cisannotate" for b in list_backups(project))


def test_projects_of_the_same_name_keep_separate_backups(tmp_path):
    a, b = tmp_path / "a" / "project.cisannotate", tmp_path / "b" / "project.cisannotate"
    assert paths.backup_dir(a) != paths.backup_dir(b)
    assert paths.backup_dir(a).name.startswith("project-")
    assert paths.backup_dir(a) == paths.backup_dir(tmp_path / "a" / "." / "project.cisannotate")
    for path in (a, b):
        Store.open(path).close()
        edit(path, str(path))
    assert comments(list_backups(a)[0].path) == comments(list_backups(b)[0].path) == []
    assert len(list_backups(a)) == len(list_backups(b)) == 1


def test_a_failing_backup_does_not_keep_anyone_from_their_work(project, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setattr(paths, "backup_dir", lambda p: blocked / "backups")
    edit(project, "still saved")
    assert comments(project) == ["still saved"]


def test_restore_backs_up_the_current_state_then_replaces_the_content(project):
    edit(project, "one")
    edit(project, "two")
    older = next(b for b in list_backups(project) if comments(b.path) == ["one"])
    assert restore_backup(older.path, project) == project
    assert comments(project) == ["one"]
    kept = [b for b in list_backups(project) if b.reason == BEFORE_RESTORE]
    assert len(kept) == 1 and comments(kept[0].path) == ["one", "two"]
    # Restoring that copy undoes the restore.
    restore_backup(kept[0].path, project)
    assert comments(project) == ["one", "two"]
    store = Store.open(project)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_copies_made_before_a_restore_are_not_pruned(project):
    edit(project, "one")
    restore_backup(list_backups(project)[0].path, project)
    for i in range(KEEP + 1):
        edit(project, f"more {i}")
    assert [b.reason for b in list_backups(project)].count(BEFORE_RESTORE) == 1


def test_restore_is_refused_while_the_project_is_open_for_editing(project):
    edit(project, "one")
    backup = list_backups(project)[0].path
    store = Store.open(project)
    comment(store, "unsaved? no: saved, and not to be overwritten under the user's feet")
    before = len(list_backups(project))
    with pytest.raises(ProjectLocked):
        restore_backup(backup, project)
    assert len(list_backups(project)) == before
    store.close()
    assert len(comments(project)) == 2


def test_restore_refuses_a_backup_that_is_not_a_project(project, tmp_path):
    edit(project, "one")
    bogus = tmp_path / "bogus.cisannotate"
    bogus.write_bytes(b"SQLite format 3\x00" + bytes(5000))
    with pytest.raises(ProjectError, match="bogus.cisannotate"):
        restore_backup(bogus, project)
    assert comments(project) == ["one"]


def test_restore_over_a_damaged_project_keeps_the_damaged_file(project):
    edit(project, "one")
    backup = list_backups(project)[0].path
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 64
    project.write_bytes(damaged)
    restore_backup(backup, project)
    assert comments(project) == []
    (kept,) = [b for b in list_backups(project) if b.reason == DAMAGED]
    assert kept.path.read_bytes() == damaged
    with pytest.raises(ProjectError):
        read_backup(kept.path)
