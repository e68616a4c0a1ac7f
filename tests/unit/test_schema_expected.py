"""The stored schema of the current version and the project's own connection class.

Opening a current project compares its schema with ``storage/schema_expected.py`` and reads
the pending migrations from ``storage/schema_version.py``, neither importing sqlite-utils;
these tests keep both equal to what the migrations (sqlite-utils) build and record.
"""

from __future__ import annotations

import sqlite3

import pytest

from cisannotate.storage import Store, schema_expected, trust
from cisannotate.storage.connection import ProjectDatabase
from cisannotate.storage.schema_version import MIGRATION_NAMES, SCHEMA_VERSION, pending_migrations


def test_the_stored_schema_is_the_one_the_migrations_build():
    from cisannotate.storage.schema import migrations

    assert [m.name for m in migrations._migrations] == list(MIGRATION_NAMES)
    assert schema_expected.VERSION == SCHEMA_VERSION
    # If this fails after a change to a migration, write the file again (trust.write_expected_schema).
    assert schema_expected.SCHEMA == trust.build_expected_schema(SCHEMA_VERSION)
    assert trust.expected_schema(SCHEMA_VERSION) is schema_expected.SCHEMA


def test_pending_migrations_agree_with_sqlite_utils(tmp_path):
    from cisannotate.storage.schema import migrations

    conn = sqlite3.connect(":memory:")
    conn.isolation_level = None
    db = ProjectDatabase(conn)
    assert pending_migrations(conn) == list(MIGRATION_NAMES) == [m.name for m in migrations.pending(db)]
    migrations.apply(db.utils, stop_before=MIGRATION_NAMES[2])
    assert pending_migrations(conn) == list(MIGRATION_NAMES[2:]) == [m.name for m in migrations.pending(db)]
    migrations.apply(db.utils)
    assert pending_migrations(conn) == [] == migrations.pending(db)


def test_atomic_commits_nests_as_savepoints_and_rolls_back():
    conn = sqlite3.connect(":memory:")
    conn.isolation_level = None
    db = ProjectDatabase(conn)
    db.execute("CREATE TABLE t (x INTEGER)")
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ValueError):
            with db.atomic():
                db.execute("INSERT INTO t VALUES (2)")
                raise ValueError("inner")
        with db.atomic():
            db.execute("INSERT INTO t VALUES (3)")
    assert not conn.in_transaction
    assert [r[0] for r in db.execute("SELECT x FROM t ORDER BY x")] == [1, 3]
    with pytest.raises(KeyError):
        with db.atomic():
            db.execute("INSERT INTO t VALUES (4)")
            raise KeyError("outer")
    assert not conn.in_transaction
    assert [r[0] for r in db.execute("SELECT x FROM t ORDER BY x", [])] == [1, 3]
    # The rest of sqlite-utils' API over the same connection.
    assert db["t"].count == 2 and db.table_names() == ["t"]


def test_a_project_opened_and_written_keeps_its_shape(tmp_path):
    path = tmp_path / "p.cisannotate"
    Store.open(path).close()
    store = Store.open(path)
    assert isinstance(store.db, ProjectDatabase)
    store.set_meta("probe", "1")
    assert store.get_meta("probe") == "1"
    assert pending_migrations(store.db.conn) == []
    store.close()
