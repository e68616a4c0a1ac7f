"""Files that are not projects are refused with a message naming them, and left exactly as they were."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from cisannotate import paths
from cisannotate.storage import ProjectError, Store
from cisannotate.storage.schema import APPLICATION_ID, SCHEMA_VERSION

V1_PROJECT = Path(__file__).resolve().parents[1] / "data" / "project_v1.cisannotate"
PAGE = 4096


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` with its bytes: a refused open must leave no trace, not even a lock file."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def refuse(path: Path, *words: str, create: bool = True) -> str:
    before = snapshot(path.parent)
    with pytest.raises(ProjectError) as refused:
        Store.open(path, create=create)
    message = str(refused.value)
    assert str(path) in message
    for word in words:
        assert word in message
    assert snapshot(path.parent) == before
    return message


def project_copy(tmp_path: Path, name: str = "p.cisannotate") -> Path:
    """A project of the current version with documents, spans and links, closed."""
    path = tmp_path / name
    shutil.copy(V1_PROJECT, path)
    Store.open(path).close()
    for backup in paths.backup_dir(path).iterdir():
        backup.unlink()
    assert header_version(path) == SCHEMA_VERSION
    return path


def header_version(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[60:64], "big")


def test_another_programs_sqlite_database(tmp_path):
    path = tmp_path / "zotero.cisannotate"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO items (title) VALUES ('a paper')")
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()
    refuse(path, "not a cisannotate project")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")  # a database that says nothing about itself
    conn.commit()
    conn.close()
    refuse(path, "not a cisannotate project")


@pytest.mark.parametrize("keep", [0.05, 0.5, 0.95])
def test_truncated_project(tmp_path, keep):
    path = project_copy(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    refuse(path, "damaged" if keep > 0.05 else "truncated")


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_in_the_middle(tmp_path, seed):
    path = project_copy(tmp_path)
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    pages = len(data) // PAGE
    first = rng.randrange(2, pages - 1)  # page 1 holds the header, checked separately
    for page in range(first, min(pages, first + rng.randint(1, 3))):
        data[page * PAGE:(page + 1) * PAGE] = rng.randbytes(PAGE)
    path.write_bytes(bytes(data))
    refuse(path, "damaged")


def test_damaged_header(tmp_path):
    path = project_copy(tmp_path)
    data = bytearray(path.read_bytes())
    data[16:18] = b"\x00\x03"  # an impossible page size
    path.write_bytes(bytes(data))
    refuse(path)


def test_project_from_a_newer_version(tmp_path):
    path = project_copy(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    message = refuse(path, "newer version", "update cisannotate")
    assert str(SCHEMA_VERSION + 1) in message
    with pytest.raises(ProjectError, match="newer version"):
        Store.open(path, read_only=True)


def test_a_folder(tmp_path):
    folder = tmp_path / "folder.cisannotate"
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    with pytest.raises(ProjectError, match="is a folder") as refused:
        Store.open(folder)
    assert str(folder) in str(refused.value)
    assert snapshot(folder) == {"inside.txt": b"x"}


def test_an_empty_file(tmp_path):
    """Perhaps the user's project after a failed copy: not silently made into a new, empty one."""
    path = tmp_path / "work.cisannotate"
    path.write_bytes(b"")
    refuse(path, "is empty (0 bytes)", "backup")
    refuse(path, "is empty (0 bytes)", create=False)


@pytest.mark.parametrize(
    "content",
    [b"These are my notes on the briefing.\n", b"%PDF-1.7\n" + bytes(range(256)) * 8, bytes(range(256)) * 40,
     "Привет, это не проект".encode("cp1251")],
    ids=["text", "pdf", "binary", "cp1251"],
)
def test_a_file_of_another_kind_renamed(tmp_path, content):
    path = tmp_path / "notes.cisannotate"
    path.write_bytes(content)
    refuse(path, "not a cisannotate project")


def test_sqlite_header_on_garbage(tmp_path):
    path = tmp_path / "fake.cisannotate"
    header = bytearray(random.Random(1).randbytes(PAGE * 4))
    header[:16] = b"SQLite format 3\x00"
    header[68:72] = APPLICATION_ID.to_bytes(4, "big")
    header[60:64] = (1).to_bytes(4, "big")
    path.write_bytes(bytes(header))
    refuse(path)


def test_an_unreadable_file_is_named(tmp_path, monkeypatch):
    path = project_copy(tmp_path)
    real_open = Path.open

    def denied(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(ProjectError, match="cannot be read") as refused:
        Store.open(path)
    assert str(path) in str(refused.value)


def test_a_refused_file_is_not_backed_up_or_locked(tmp_path):
    from cisannotate.storage.backup import list_backups

    path = project_copy(tmp_path)
    path.write_bytes(path.read_bytes()[: PAGE * 8])
    refuse(path)
    assert list_backups(path) == []


def test_a_sound_copy_of_the_same_file_opens(tmp_path):
    """The control: the fixture the damaged copies were made from is a project."""
    store = Store.open(project_copy(tmp_path))
    assert len(store.documents()) == 3
    store.close()
