"""Deciding whether a project file can be trusted, without changing it.

A project is a file anyone can edit with an SQLite tool, and a file that
arrived by mail or a shared drive may have been. Before a project is opened,
its schema is compared with the one this version of cisannotate builds for the
file's schema version, and SQLite's quick check is run:

* tables and their columns, and indexes, must be exactly those expected;
* no trigger or view may exist that cisannotate did not create (a planted
  trigger would otherwise run on our writes, rewriting notes or links);
* the pages must pass ``PRAGMA integrity_check`` (indexes included), every row
  must read, and every document's text must match its SHA-256.

The check reads the file through a read-only connection that creates nothing
beside it (``immutable`` when no log is waiting beside the file); if SQLite
still had to create a -shm or -wal file for it, exactly those are removed
again when the file is refused. Connections that are accepted then run with
SQLite's defensive settings (``harden``).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from pathlib import Path

from ..core.text import sha256_text
from .errors import ProjectError

__all__ = ["check_project_file", "damaged", "harden", "read_only_uri"]

_SIDECARS = ("-wal", "-shm", "-journal")


def damaged(path: Path, detail: str) -> ProjectError:
    return ProjectError(
        f"{path}: the file is damaged ({detail}); it was not changed. Restore the project from a "
        "backup (File › Restore from backup…, or `cisannotate backups`) or ask whoever sent it for a new copy"
    )


def harden(conn: sqlite3.Connection) -> None:
    """SQLite's defensive settings, as far as this Python allows."""
    # Functions and virtual tables named in the schema are not run with our privileges.
    conn.execute("PRAGMA trusted_schema = OFF")
    # Damaged cell sizes are reported as corruption instead of being read past.
    conn.execute("PRAGMA cell_size_check = ON")
    setconfig = getattr(conn, "setconfig", None)  # Python 3.12 and later
    option = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if setconfig is not None and option is not None:
        setconfig(option, True)


def _log_waiting(path: Path) -> bool:
    """Whether a -wal or -journal beside ``path`` holds content SQLite must read with the file."""
    for end in ("-wal", "-journal"):
        side = path.with_name(path.name + end)
        try:
            if side.is_file() and side.stat().st_size > 0:
                return True
        except OSError:
            return True
    return False


def read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` without creating anything beside it where SQLite allows."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    if not _log_waiting(Path(path)):
        uri += "&immutable=1"
    return uri


def _normalise_sql(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _describe(conn: sqlite3.Connection) -> dict[tuple[str, str], object]:
    """Every schema object by (type, name): columns of tables, normalised SQL of the rest."""
    described: dict[tuple[str, str], object] = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if name.startswith("sqlite_"):
            continue  # SQLite's own (automatic indexes, statistics, sequences)
        if kind == "table":
            if (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
                described[(kind, name)] = _normalise_sql(sql)
                continue
            quoted = '"' + name.replace('"', '""') + '"'
            columns = tuple(
                (row[1], (row[2] or "").upper(), row[3], row[5], row[6])
                for row in conn.execute(f"PRAGMA table_xinfo({quoted})").fetchall()
            )
            described[(kind, name)] = columns
        elif kind == "index":
            quoted = '"' + name.replace('"', '""') + '"'
            columns = tuple(row[2] for row in conn.execute(f"PRAGMA index_info({quoted})").fetchall())
            described[(kind, name)] = (table, columns, _normalise_sql(sql))
        else:  # trigger, view
            described[(kind, name)] = (table, _normalise_sql(sql))
    return described


@functools.lru_cache(maxsize=8)
def expected_schema(version: int) -> dict[tuple[str, str], object]:
    """The schema a project of schema ``version`` has when cisannotate made it.

    The current version's is stored (``schema_expected.py``, which a test keeps equal to
    the one built here), so opening a current project applies no migrations; an older
    version's is built by applying the migrations up to it to an empty database.
    """
    from . import schema_expected

    if version == schema_expected.VERSION:
        return schema_expected.SCHEMA
    return build_expected_schema(version)


def build_expected_schema(version: int) -> dict[tuple[str, str], object]:
    """The schema of ``version``, built by applying the migrations to an empty database."""
    from .schema import migrations  # first: it imports sqlite-utils as the project does

    from sqlite_utils import Database  # noqa: I001

    conn = sqlite3.connect(":memory:")
    try:
        conn.isolation_level = None
        db = Database(conn, strict=True)
        names = [m.name for m in migrations._migrations]
        migrations.apply(db, stop_before=names[version] if version < len(names) else None)
        return _describe(conn)
    finally:
        conn.close()


def write_expected_schema(path: Path) -> None:
    """Write ``schema_expected.py`` for the current version (run after adding a migration:
    ``python -c "from cisannotate.storage import trust; trust.write_expected_schema(trust.EXPECTED_FILE)"``)."""
    import pprint

    from .schema import SCHEMA_VERSION

    text = (
        '"""The schema of a project of the current version, as ``trust.build_expected_schema`` builds it.\n\n'
        "Written by ``trust.write_expected_schema``; tests/unit/test_schema_expected.py keeps it equal\n"
        'to the one the migrations build."""\n\n'
        f"VERSION = {SCHEMA_VERSION}\n\n"
        f"SCHEMA: dict[tuple[str, str], object] = {pprint.pformat(build_expected_schema(SCHEMA_VERSION), width=110)}\n"
    )
    Path(path).write_text(text, encoding="utf-8")


EXPECTED_FILE = Path(__file__).with_name("schema_expected.py")


def _schema_problem(found: dict, expected: dict) -> str:
    """The first difference between two schemas, in words; "" when they are the same."""
    kinds = {"table": "table", "index": "index", "trigger": "trigger", "view": "view"}
    for key in sorted(set(found) - set(expected)):
        kind, name = key
        word = kinds.get(kind, kind)
        if kind in ("trigger", "view"):
            return f"it holds a {word} {name!r} that cisannotate did not create"
        return f"it holds an unknown {word} {name!r}"
    for key in sorted(set(expected) - set(found)):
        return f"the {key[0]} {key[1]!r} is missing"
    for key in sorted(expected):
        if found[key] != expected[key]:
            what = "columns" if key[0] == "table" else "definition"
            return f"the {what} of the {key[0]} {key[1]!r} differ from a project's"
    return ""


def _check_content(path: Path, conn: sqlite3.Connection) -> None:
    """What quick_check cannot see: every value must still read as what it was written as.

    A changed byte inside a stored text passes SQLite's structural check; here
    every row of our tables is read (text that no longer decodes is found) and
    every document's text is compared with the SHA-256 stored beside it.
    """
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    # Full-text indexes and their shadow tables are SQLite's own, checked by integrity_check.
    tables = [name for name, _sql in rows
              if name not in virtual and not any(name.startswith(v + "_") for v in virtual)]
    for table in tables:
        cursor = conn.execute('SELECT * FROM "' + table.replace('"', '""') + '"')
        while cursor.fetchmany(2000):
            pass
    if "documents" in tables:
        # Schema 4 stores each text's length beside it: it must be the text's, as written.
        stored = any(d[0] == "length" for d in conn.execute("SELECT * FROM documents LIMIT 0").description)
        length = "length" if stored else "NULL"
        for doc_id, sha, text, count in conn.execute(f"SELECT id, sha256, text, {length} FROM documents"):
            if sha256_text(text) != sha:
                raise damaged(path, f"the text of document {doc_id!r} no longer matches its SHA-256")
            if stored and count != len(text):
                raise damaged(path, f"the stored length of document {doc_id!r} is not its text's")


def check_project_file(path: Path, version: int, *, full: bool = True) -> None:
    """Refuse (ProjectError, "damaged") a project whose schema or pages are not as cisannotate left them.

    ``version`` is the schema version the file's header declares. Nothing is
    written to the file, and nothing created beside it is left behind. With
    ``full`` false only the schema and SQLite's quick check are run: the rest is
    then the caller's to run before anything is written (``verify.Verification``).
    """
    from . import verified

    path = Path(path)
    before = {end for end in _SIDECARS if path.with_name(path.name + end).exists()}
    noted = None
    if full:
        # A file already checked in full, unchanged since (verified.py), gets the quick check only.
        noted = verified.identity(path)
        full = noted is None or not verified.is_noted(path, noted)
    try:
        try:
            conn = sqlite3.connect(read_only_uri(path), uri=True)
        except sqlite3.Error as exc:
            raise damaged(path, str(exc)) from exc
        try:
            harden(conn)
            has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
            if has_tables:
                problem = _schema_problem(_describe(conn), expected_schema(version))
                if problem:
                    raise damaged(path, problem)
            # The full check, not quick_check: a changed byte in an index page leaves the
            # index without rows of its table, which only integrity_check compares (about
            # 1 s for a 50 MB project of 100,000 annotations, against 0.3 s).
            check = conn.execute("PRAGMA integrity_check(1)" if full else "PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise damaged(path, check)
            if has_tables and full:
                _check_content(path, conn)
        except sqlite3.Error as exc:
            raise damaged(path, str(exc)) from exc
        finally:
            conn.close()
        if full and noted is not None and has_tables:
            verified.note(path, noted)
    except ProjectError:
        # Remove exactly what this check made SQLite create beside the refused file.
        for end in set(_SIDECARS) - before:
            try:
                path.with_name(path.name + end).unlink()
            except OSError:
                pass
        raise
