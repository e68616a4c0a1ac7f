"""A project file is checked before it is trusted.

Opening a project compares its schema with the one this version expects for
the file's schema version (tables, columns, indexes; no unknown triggers or
views), runs SQLite's quick check, and refuses a file that fails with a
"damaged" message naming it. The refused file keeps every byte and nothing
(-wal, -shm, .lock) is left beside it. An accepted project runs with SQLite's
defensive settings (no trusted schema, cell size checks).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.storage import ProjectError, Store

V1_PROJECT = Path(__file__).resolve().parents[1] / "data" / "project_v1.cisannotate"


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "study.cisannotate"
    assert run(["new", str(path), "--sample"]) == 0
    return path


def tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    assert not Path(str(path) + "-wal").exists()


def refused(path: Path, *, read_only: bool = False) -> str:
    before = folder_state(path.parent)
    with pytest.raises(ProjectError) as caught:
        Store.open(path, read_only=read_only)
    assert folder_state(path.parent) == before, "the refused file or its folder was changed"
    message = str(caught.value)
    assert str(path) in message
    return message


TAMPERING = {
    "a planted trigger": ["CREATE TRIGGER rewrite AFTER INSERT ON documents BEGIN UPDATE spans SET note = 'x'; END"],
    "a planted view": ["CREATE VIEW everything AS SELECT * FROM spans"],
    "a dropped table": ["DROP TABLE comments"],
    "a dropped index": ["DROP INDEX spans_layer"],
    "an added column": ["ALTER TABLE spans ADD COLUMN secret TEXT"],
    "an unknown table": ["CREATE TABLE mine (x)"],
    "a replaced index": ["DROP INDEX spans_layer", "CREATE INDEX spans_layer ON spans (note)"],
}


@pytest.mark.parametrize("how", TAMPERING)
def test_a_project_whose_schema_was_changed_is_refused_as_damaged(project, how):
    tamper(project, *TAMPERING[how])
    message = refused(project)
    assert "damaged" in message
    # Read-only too: a view or trigger is not run, and a missing table would crash later.
    assert "damaged" in refused(project, read_only=True)


def test_a_planted_trigger_never_runs(project, tmp_path, capsys):
    tamper(project, "CREATE TRIGGER rewrite AFTER INSERT ON documents BEGIN UPDATE spans SET note = 'x'; END")
    text = tmp_path / "new.txt"
    text.write_text("A fresh article about the harbour.\n")
    assert run(["import", str(project), str(text)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    conn = sqlite3.connect(f"file:{project}?mode=ro&immutable=1", uri=True)
    assert conn.execute("SELECT count(*) FROM spans WHERE note = 'x'").fetchone()[0] == 0
    conn.close()


def flip(path: Path, where: str) -> None:
    """Change bytes of the file where ``where`` says: inside a document's text, inside an
    annotation's quote (both pass SQLite's structural check), or in a page's header."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    text = conn.execute("SELECT text FROM documents ORDER BY id LIMIT 1").fetchone()[0]
    quote = conn.execute("SELECT quote FROM spans ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    if where == "page header":
        page_size = int.from_bytes(data[16:18], "big")
        at, count = 3 * page_size, 8
    else:
        needle = (text[len(text) // 2 : len(text) // 2 + 40] if where == "document text" else quote).encode()
        at, count = data.index(needle), min(8, len(needle))
    for i in range(at, at + count):
        data[i] ^= 0xA5
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["document text", "annotation quote", "page header"])
def test_a_project_with_changed_bytes_is_refused_with_a_clear_message(project, where, tmp_path, capsys):
    flip(project, where)
    message = refused(project)
    assert "damaged" in message and "backup" in message
    text = tmp_path / "new.txt"
    text.write_text("A fresh article about the harbour.\n")
    before = folder_state(project.parent)
    assert run(["import", str(project), str(text)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    assert folder_state(project.parent) == before


def test_another_programs_wal_database_is_refused_and_nothing_is_left_beside_it(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    for name, app_id in (("browser-history.db", 0), ("other.sqlite", 12345)):
        path = folder / name
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA application_id = {app_id}")
        conn.execute("CREATE TABLE visits (url TEXT)")
        conn.commit()
        conn.close()
        message = refused(path)
        assert "not a cisannotate project" in message
    assert sorted(p.name for p in folder.iterdir()) == ["browser-history.db", "other.sqlite"]


def test_a_damaged_wal_project_leaves_no_wal_or_shm(project):
    flip(project, "page header")
    refused(project)
    assert sorted(p.name for p in project.parent.iterdir()) == ["study.cisannotate"]


def test_the_previous_versions_project_is_not_taken_for_damaged(tmp_path):
    copy = tmp_path / "old.cisannotate"
    shutil.copyfile(V1_PROJECT, copy)
    store = Store.open(copy)
    assert store.documents()
    store.close()


def test_an_accepted_project_runs_with_sqlites_defensive_settings(project):
    store = Store.open(project)
    try:
        conn = store.db.conn
        assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert conn.execute("PRAGMA cell_size_check").fetchone()[0] == 1
        if hasattr(conn, "getconfig") and hasattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"):
            assert conn.getconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE)
    finally:
        store.close()


def test_a_changed_byte_in_an_index_is_refused(project):
    """Found by the adversarial pass: an index page that lost a row passes quick_check."""
    conn = sqlite3.connect(f"file:{project}?mode=ro&immutable=1", uri=True)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'source_lines_start'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(project.read_bytes())
    header = (page - 1) * page_size
    # The first cell's key bytes: the index no longer holds that row's key.
    first_cell = int.from_bytes(data[header + 8 + 4 : header + 8 + 6], "big") if data[header] == 0x02 else \
        int.from_bytes(data[header + 8 : header + 10], "big")
    for i in range(header + first_cell + 2, header + first_cell + 6):
        data[i] ^= 0x01
    project.write_bytes(bytes(data))
    conn = sqlite3.connect(f"file:{project}?mode=ro&immutable=1", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()
    assert "damaged" in refused(project)


def test_a_stored_length_that_is_not_its_texts_is_refused(project):
    tamper(project, "UPDATE documents SET length = length + 1 WHERE rowid = (SELECT min(rowid) FROM documents)")
    assert "stored length" in refused(project) and "damaged" in refused(project, read_only=True)
