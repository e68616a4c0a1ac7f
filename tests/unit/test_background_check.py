"""The window's opening: the full check and the backup run beside it, and nothing is
written before they have passed (storage/verify.py).

A project in the shape this version writes is opened for a window after its schema
and SQLite's quick check; the integrity check, the fingerprint of every text and the
backup copy on opening follow in a background thread. Reading works at once; every
write, through the Store or straight through its connection, waits for the verdict,
and a file that fails is refused with the same "damaged" message as before, unchanged.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.core.model import Comment
from cisannotate.storage import ProjectError, Store
from cisannotate.storage.backup import BEFORE_UPGRADE, ON_OPEN, list_backups

V1_PROJECT = Path(__file__).resolve().parents[1] / "data" / "project_v1.cisannotate"


def file_bytes(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "study.cisannotate"
    assert run(["new", str(path), "--sample"]) == 0
    Store.open(path).close()  # opened once, as by any use: in write-ahead-log mode from now on
    capsys.readouterr()
    return path


def change_a_text(path: Path) -> None:
    """Flip bytes in the middle of a document's text: SQLite's checks pass, the fingerprint does not."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    text = conn.execute("SELECT text FROM documents ORDER BY length(text) DESC LIMIT 1").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    at = data.index(text[len(text) // 2: len(text) // 2 + 40].encode())
    for i in range(at, at + 8):
        data[i] ^= 0x01
    path.write_bytes(bytes(data))


def add_comment(store: Store, text: str) -> None:
    store.ensure_annotator("ann")
    store.add_comment(Comment(id=text, target_id="x", author="ann", text=text))


def test_a_sound_project_opens_and_takes_its_first_write_after_the_check(project):
    for backup in list_backups(project):
        backup.path.unlink()
    store = Store.open(project, background_check=True)
    try:
        verification = store.verification
        assert verification is not None
        assert store.documents()  # reading needs no verdict
        add_comment(store, "first")  # waits for the verdict, then is written
        assert verification.passed
        assert [c.text for c in store.comments()] == ["first"]
    finally:
        store.close()
    assert [b.reason for b in list_backups(project)] == [ON_OPEN]
    # The copy was taken before the write: it is the project as it was opened.
    copy = Store.open(list_backups(project)[0].path, read_only=True)
    try:
        assert copy.comments() == []
    finally:
        copy.close()


def test_a_changed_text_is_refused_at_the_first_write_and_the_file_keeps_every_byte(project):
    change_a_text(project)
    before = file_bytes(project)
    backups = len(list_backups(project))
    store = Store.open(project, background_check=True)
    try:
        assert store.documents()  # it may be looked at
        with pytest.raises(ProjectError) as caught:
            add_comment(store, "never written")
        message = str(caught.value)
        assert "damaged" in message and str(project) in message and "SHA-256" in message
        # A write that goes around the Store is refused by the connection itself.
        with pytest.raises(sqlite3.DatabaseError):
            store.db.execute("INSERT INTO meta (key, value) VALUES ('planted', 'x')")
        assert store.verification.error is not None
    finally:
        store.close()
    assert file_bytes(project) == before
    assert sorted(p.name for p in project.parent.iterdir()) == [project.name]  # no -wal, -shm or lock left
    assert len(list_backups(project)) == backups  # a damaged file is not copied as a good state


def test_the_blocking_check_still_refuses_it_before_opening(project):
    """Commands (and Store.open without the option) check in full before opening, as before."""
    change_a_text(project)
    with pytest.raises(ProjectError, match="damaged"):
        Store.open(project)


def test_a_broken_schema_is_refused_before_the_window_opens(project):
    conn = sqlite3.connect(project)
    conn.execute("CREATE TRIGGER rewrite AFTER INSERT ON comments BEGIN UPDATE spans SET note = 'x'; END")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="trigger"):
        Store.open(project, background_check=True)


def test_closing_during_the_check_stops_it_and_frees_the_project(project):
    store = Store.open(project, background_check=True)
    store.close()
    assert store.verification.done
    again = Store.open(project)  # the writer lock was given up
    again.close()


def test_a_project_to_upgrade_is_checked_and_backed_up_before_it_opens(tmp_path):
    copy = tmp_path / "old.cisannotate"
    shutil.copyfile(V1_PROJECT, copy)
    store = Store.open(copy, background_check=True)
    try:
        assert store.verification is None  # the upgrade writes at once: the whole check came first
        assert BEFORE_UPGRADE in [b.reason for b in list_backups(copy)]
    finally:
        store.close()


def test_no_backup_on_opening_when_asked(project):
    backups = list_backups(project)
    store = Store.open(project, background_check=True, backup=False)
    try:
        add_comment(store, "x")
    finally:
        store.close()
    assert list_backups(project) == backups


# ---------------------------------------------------------------- checked files are noted
def count_full_checks(monkeypatch) -> list[Path]:
    from cisannotate.storage import trust, verify

    seen: list[Path] = []
    real = trust._check_content

    def counting(path, conn):
        seen.append(path)
        return real(path, conn)

    monkeypatch.setattr(trust, "_check_content", counting)
    monkeypatch.setattr(verify, "_check_content", counting)
    return seen


def test_a_file_closed_by_cisannotate_is_not_checked_in_full_again(project, monkeypatch):
    seen = count_full_checks(monkeypatch)
    store = Store.open(project, background_check=True)
    add_comment(store, "an edit")
    store.close()
    Store.open(project).close()  # a command: schema and quick check only
    store = Store.open(project, background_check=True)
    add_comment(store, "another")
    store.close()
    assert seen == []


def test_any_changed_byte_makes_it_a_file_to_check_again(project, monkeypatch):
    import os

    seen = count_full_checks(monkeypatch)
    Store.open(project).close()
    assert seen == []
    stat = project.stat()
    change_a_text(project)
    os.utime(project, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # its date set back: still seen
    with pytest.raises(ProjectError, match="SHA-256"):
        Store.open(project)
    store = Store.open(project, background_check=True)
    try:
        with pytest.raises(ProjectError, match="SHA-256"):
            add_comment(store, "never written")
    finally:
        store.close()
    assert len(seen) == 2


def test_a_file_from_elsewhere_is_checked_in_full(project, tmp_path, monkeypatch):
    seen = count_full_checks(monkeypatch)
    copy = tmp_path / "received.cisannotate"
    shutil.copyfile(project, copy)
    Store.open(copy, read_only=True).close()
    assert seen == [copy]
    Store.open(copy, read_only=True).close()  # noted: not again
    assert seen == [copy]
