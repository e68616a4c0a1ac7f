"""Upgrading a project made by an earlier version: every row kept, a backup taken first."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from cisannotate import paths
from cisannotate.storage import ProjectError, Store
from cisannotate.storage.backup import BEFORE_UPGRADE, list_backups, read_backup
from cisannotate.storage.schema import SCHEMA_VERSION, migrations

V1_PROJECT = Path(__file__).resolve().parents[1] / "data" / "project_v1.cisannotate"
TABLES = ("meta", "documents", "source_lines", "categories", "speakers", "channels", "annotators", "spans",
          "links", "reviews", "comments")


def rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    finally:
        conn.close()


def header(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:100]
    return int.from_bytes(data[60:64], "big"), int.from_bytes(data[68:72], "big")


@pytest.fixture
def old_project(tmp_path) -> Path:
    path = tmp_path / "old.cisannotate"
    shutil.copy(V1_PROJECT, path)
    return path


def test_fixture_is_a_version_1_project():
    assert header(V1_PROJECT)[0] == 1
    original = rows(V1_PROJECT)
    assert (len(original["documents"]), len(original["spans"]), len(original["links"])) == (3, 4, 3)
    assert original["reviews"] and original["comments"] and original["source_lines"]
    # A rollback-journal file: reading it leaves no -wal or -shm in the repository.
    assert sorted(p.name for p in V1_PROJECT.parent.glob(V1_PROJECT.name + "*")) == [V1_PROJECT.name]


def test_opening_upgrades_with_every_row_kept_and_a_backup_taken_first(old_project):
    original = rows(old_project)
    store = Store.open(old_project)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert migrations.pending(store.db) == []
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"source_lines_start", "spans_category", "spans_speaker", "spans_channel"} <= indexes
    # The Store reads the old rows as it reads new ones.
    assert store.search("smuggles") and store.coverage(store.transcripts()[0].id)
    derived = store.project_id()
    store.close()
    # Every row is kept; the additions are the project's id, stored at its first writable
    # opening, and each document's length (its last column), counted in code points.
    after = rows(old_project)
    assert ("project_id", derived) in after["meta"]
    after["meta"].remove(("project_id", derived))
    texts = {row[0]: row[12] for row in original["documents"]}
    assert [row[-1] for row in after["documents"]] == [len(texts[row[0]]) for row in after["documents"]]
    after["documents"] = [row[:-1] for row in after["documents"]]
    assert after == original

    backups = [b for b in list_backups(old_project) if b.reason == BEFORE_UPGRADE]
    assert len(backups) == 1
    kept = read_backup(backups[0].path)
    assert kept.schema_version == 1  # taken before the upgrade touched anything
    assert rows(backups[0].path) == original


def test_an_upgraded_project_is_not_upgraded_or_backed_up_for_it_again(old_project):
    Store.open(old_project).close()
    Store.open(old_project).close()
    assert len([b for b in list_backups(old_project) if b.reason == BEFORE_UPGRADE]) == 1


def test_no_upgrade_without_a_backup(old_project, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    monkeypatch.setattr(paths, "backup_dir", lambda project: blocked / "backups")
    before = old_project.read_bytes()
    with pytest.raises(ProjectError, match="not upgraded, because no backup could be taken"):
        Store.open(old_project)
    assert old_project.read_bytes() == before


def test_read_only_open_reads_the_old_version_without_upgrading(old_project):
    before = old_project.read_bytes()
    store = Store.open(old_project, read_only=True)
    assert len(store.documents()) == 3 and store.count_spans() == 4
    store.close()
    assert old_project.read_bytes() == before
    assert list_backups(old_project) == []


def plan(store, sql: str, params: list) -> str:
    return " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_line_lookups_and_codebook_deletes_use_the_new_indexes(store):
    lines = "SELECT number FROM source_lines WHERE document_id = ? AND char_start < ? AND char_end > ?"
    assert "source_lines_start" in plan(store, lines, ["d", 10, 0])
    # Deleting a codebook entry checks the spans that point at it.
    for table, index in (("categories", "spans_category"), ("speakers", "spans_speaker"), ("channels", "spans_channel")):
        assert index in plan(store, f"DELETE FROM {table} WHERE id = ?", ["x"])
