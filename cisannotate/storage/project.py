"""Opening, creating and recognising project files.

A project is one SQLite file. Before anything is written to a file that
already exists, it is checked: a file that is not SQLite, another program's
database, a truncated or corrupt file, or a project from a newer cisannotate is
refused with a message naming it, and left untouched.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .schema import APPLICATION_ID, SCHEMA_VERSION, migrations

SQLITE_HEADER = b"SQLite format 3\x00"


class ProjectError(Exception):
    """A project file that cannot be opened; the message names the file and the problem."""


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    # Transactions are opened explicitly (db.atomic()), never implicitly.
    conn.isolation_level = None
    return conn


def _configure(conn: sqlite3.Connection, read_only: bool) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    if not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives power loss, not only a crash of the process.
        conn.execute("PRAGMA synchronous = FULL")


def inspect_file(path: Path) -> str:
    """Why ``path`` is not a usable project, or "" if it looks like one (or is empty/new)."""
    if not path.exists():
        return ""
    if path.is_dir():
        return f"{path}: is a folder, not a project file"
    size = path.stat().st_size
    if size == 0:
        return ""
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        return f"{path}: not a cisannotate project (not an SQLite database)"
    if len(header) < 100 or size < 512:
        return f"{path}: the file is truncated (only {size} bytes)"
    application_id = int.from_bytes(header[68:72], "big")
    user_version = int.from_bytes(header[60:64], "big")
    if application_id != APPLICATION_ID and not (application_id == 0 and _is_blank(path)):
        return f"{path}: an SQLite database, but not a cisannotate project"
    if user_version > SCHEMA_VERSION:
        return (
            f"{path}: made by a newer version of cisannotate (schema {user_version}, "
            f"this version reads up to {SCHEMA_VERSION}); update cisannotate to open it"
        )
    return ""


def _is_blank(path: Path) -> bool:
    """An SQLite file with no tables yet: a project whose creation was interrupted."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def needs_upgrade(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        header = handle.read(100)
    return int.from_bytes(header[60:64], "big") < SCHEMA_VERSION


def open_database(path: Path, *, create: bool = True, read_only: bool = False) -> Database:
    """Open (and if needed create or upgrade) the project at ``path``.

    Raises ProjectError with a message for the user; never modifies a file it
    refuses.
    """
    path = Path(path)
    problem = inspect_file(path)
    if problem:
        raise ProjectError(problem)
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh and not create:
        raise ProjectError(f"{path}: no such project")
    if fresh and read_only:
        raise ProjectError(f"{path}: cannot create a project on a read-only location")
    if fresh:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = _connect(path, read_only)
        _configure(conn, read_only)
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path}: the file is damaged ({exc})") from exc
    if check != "ok":
        conn.close()
        raise ProjectError(f"{path}: the file is damaged ({check})")
    db = Database(conn, strict=True)
    if read_only:
        if needs_upgrade(path):
            conn.close()
            raise ProjectError(f"{path}: made by an older version and cannot be upgraded read-only")
        return db
    try:
        # The header fields are written in the same transaction as the tables,
        # so a file is either a complete project or has no tables at all.
        with db.atomic():
            migrations.apply(db)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ProjectError(f"{path}: could not prepare the project ({exc})") from exc
    return db
