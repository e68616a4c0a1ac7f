"""Opening, creating and recognising project files.

A project is one SQLite file. Before anything is written to a file that
already exists, it is checked: a file that is not SQLite, another program's
database, a truncated or corrupt file, or a project from a newer cisannotate is
refused with a message naming it, and left untouched.

A project opened for editing is locked against a second writer (see
``lock.py``) and backed up (see ``backup.py``) before anything is changed,
an upgrade to a newer schema included. A project on a read-only medium, or in
a folder the user cannot write to, is opened read-only instead of not at all.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .atomic import fsync_file, fsync_folder
from .connection import ProjectDatabase as Database
from .errors import ProjectError, ProjectLocked
from .lock import ProjectLock, acquire

from .schema_version import APPLICATION_ID, OLDEST_READABLE, SCHEMA_VERSION, pending_migrations
from .trust import _log_waiting, check_project_file, damaged, harden, read_only_uri
from . import verified
from .verify import Verification, gate

__all__ = [
    "ProjectError",
    "ProjectLocked",
    "inspect_file",
    "is_read_only",
    "open_database",
]

SQLITE_HEADER = b"SQLite format 3\x00"


class _ProjectConnection(sqlite3.Connection):
    """The project's connection; it holds the writer lock and gives it up when closed.

    Store.close() closes the connection, so the lock is released exactly when
    the project stops being open for editing.
    """

    lock: ProjectLock | None = None
    read_only: bool = False
    # Why no backup copy could be taken on opening ("" when one was): told to the user.
    backup_problem: str = ""
    # The full check still running beside an open project (see verify.py), or None.
    verification: Verification | None = None
    # The project's file, when it passed its full check on opening and is open for editing:
    # noted as checked again once closed (verified.py), our own writes keeping it sound.
    checked_path: Path | None = None
    gated = False  # the authorizer of verify.gate is installed

    def ungate(self) -> None:
        """Remove the write gate once the full check has passed: statements are then prepared
        without a call into Python for every table and column they touch."""
        if self.gated and self.verification is not None and self.verification.passed:
            self.set_authorizer(None)
            self.gated = False

    def close(self) -> None:
        try:
            passed = self.verification is None or self.verification.passed
            if self.verification is not None:
                self.verification.cancel()
            super().close()
            path, self.checked_path = self.checked_path, None
            if path is not None and passed and not self.read_only:
                verified.remember(path)
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None


def is_read_only(db: Database) -> bool:
    """Whether ``db`` was opened read-only, by request or because its location is read-only."""
    return bool(getattr(db.conn, "read_only", False))


def _on_read_only_medium(path: Path) -> bool:
    """True on a read-only mount (a CD, a write-protected card, a read-only share)."""
    return hasattr(os, "statvfs") and bool(os.statvfs(path).f_flag & os.ST_RDONLY)


def _location_writable(path: Path) -> bool:
    """Whether the file and its folder can be written (SQLite writes its -wal and -shm beside it)."""
    return os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)


def _connect(path: Path, read_only: bool) -> _ProjectConnection:
    if read_only and _location_writable(path) and not any(
            path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm", "-journal")):
        # Nobody has the project open and nothing waits to be recovered. A read of a WAL
        # project needs its -wal and -shm files; a read-only connection would create them
        # and could never remove them, leaving files beside the project. A connection that
        # may write but is told to refuse every write (query_only) removes them when it
        # closes, as SQLite does for the last connection; the project's bytes stay as they are.
        conn = sqlite3.connect(str(path), check_same_thread=False, factory=_ProjectConnection)
        conn.execute("PRAGMA query_only = ON")
    elif read_only:
        uri = path.resolve().as_uri() + "?mode=ro"
        wal = path.with_name(path.name + "-wal")
        if _on_read_only_medium(path) and not (wal.is_file() and wal.stat().st_size):
            # Nothing can change the file there, and SQLite could not create the
            # shared-memory file a read of a WAL project otherwise needs.
            uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=_ProjectConnection)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, factory=_ProjectConnection)
    conn.read_only = read_only
    # Transactions are opened explicitly (db.atomic()), never implicitly.
    conn.isolation_level = None
    return conn


def reading_connection(path: Path) -> sqlite3.Connection:
    """A bare connection that only reads ``path`` (to copy it, say) and leaves nothing beside it."""
    return _connect(Path(path), True)


def _configure(conn: sqlite3.Connection) -> None:
    """Settings for editing; applied only once the file has passed its checks and
    been backed up, as switching to WAL writes to it."""
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit survives power loss, not only a crash of the process.
    conn.execute("PRAGMA synchronous = FULL")


def inspect_file(path: Path) -> str:
    """Why ``path`` is not a usable project, or "" if it looks like one or does not exist yet."""
    if not path.exists():
        return ""
    if path.is_dir():
        return f"{path}: is a folder, not a project file"
    size = path.stat().st_size
    if size == 0:
        # New projects are built aside and moved into place whole (``_create``), so an
        # empty file was not made by cisannotate: a failed copy or download, perhaps
        # of the user's project. Creating a project over it would hide that.
        return (
            f"{path}: the file is empty (0 bytes), so it holds no project; if it should hold "
            "your work, restore it from a backup, or delete it to start a new project there"
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc})"
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
    if _log_waiting(path):
        return False  # content waits in a log beside it: not an empty file, and not ours to replay
    try:
        # Immutable: reading another program's database creates nothing beside it.
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _schema_version(path: Path) -> int:
    with path.open("rb") as handle:
        return int.from_bytes(handle.read(100)[60:64], "big")


def _cannot_open(path: Path, exc: sqlite3.Error) -> ProjectError:
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_CANTOPEN":
        return ProjectError(
            f"{path}: cannot be opened here ({exc}); copy the project, with any file beside it "
            "whose name ends in -wal, to a folder you can write to"
        )
    return damaged(path, str(exc))


def open_database(path: Path, *, create: bool = True, read_only: bool = False,
                  background_check: bool = False, backup: bool = True, known: bool = False) -> Database:
    """Open (and if needed create or upgrade) the project at ``path``.

    Raises ProjectError with a message for the user, ProjectLocked if it is
    already open for editing elsewhere; never modifies a file it refuses.
    A project whose location cannot be written is opened read-only: ask
    ``is_read_only(db)``.

    With ``background_check`` (the window), a project opened for editing that is
    in the shape this version writes is opened after its schema and SQLite's quick
    check, and the full check and the backup copy run in a background thread while
    every write waits for them (``verify.py``). ``backup=False`` takes no backup
    copy on opening (a throwaway copy, as the screenshot renders); ``known`` says its
    content passed the full check already (a copy of a file known in verified.py).
    """
    path = Path(path)
    problem = inspect_file(path)
    if problem:
        raise ProjectError(problem)
    fresh = not path.exists()
    if fresh and not create:
        raise ProjectError(f"{path}: no such project")
    if fresh and read_only:
        raise ProjectError(f"{path}: cannot create a project on a read-only location")
    lock: ProjectLock | None = None
    if not read_only and not fresh and not _location_writable(path):
        read_only = True
    elif not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = acquire(path)
        except ProjectLocked:
            raise
        except OSError as exc:
            # No lock file can be made beside it: a read-only medium or folder.
            if fresh:
                raise ProjectError(f"{path}: cannot create a project here ({exc.strerror or exc})") from exc
            read_only = True
    try:
        if fresh:
            _create(path)
            if lock is not None:
                lock.identify(path)
        elif background_check and not read_only and _current_shape(path):
            db = _open_deferred(path, lock, backup=backup, known=known)
            if db is not None:
                return db
            check_project_file(path, _schema_version(path))
        else:
            # Schema and pages as cisannotate left them, checked before anything is written.
            check_project_file(path, _schema_version(path))
        db = _open_checked(path, lock, read_only, backup=backup and not fresh)
        if isinstance(db.conn, _ProjectConnection):
            db.conn.checked_path = path
        return db
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _current_shape(path: Path) -> bool:
    """Whether ``path`` is a project exactly as this version leaves it: its schema version,
    the write-ahead log switched on, and no log waiting beside it to be replayed."""
    if _log_waiting(path):
        return False
    with path.open("rb") as handle:
        header = handle.read(100)
    return (int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
            and int.from_bytes(header[68:72], "big") == APPLICATION_ID
            and header[18] == 2 and header[19] == 2)  # WAL: the file's read and write versions


def _open_deferred(path: Path, lock: ProjectLock | None, *, backup: bool, known: bool = False) -> Database | None:
    """Open a project in its current shape after the quick checks, the full check running beside it.

    None (nothing opened) if the project turns out to need an upgrade: that path checks
    in full first. Nothing is written here: the file is already in WAL mode and its
    tables are complete, so there is nothing to prepare.
    """
    check_project_file(path, SCHEMA_VERSION, full=False)
    try:
        conn = _connect(path, read_only=False)
    except sqlite3.Error as exc:
        raise _cannot_open(path, exc) from exc
    try:
        harden(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA synchronous = FULL")
        db = Database(conn)
        if pending_migrations(conn):
            conn.close()
            return None
    except sqlite3.Error as exc:
        conn.close()
        raise _cannot_open(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    verification = Verification(path, backup=backup, known=known)
    conn.set_authorizer(gate(verification))
    conn.gated = True
    conn.verification = verification
    conn.checked_path = path
    conn.lock = lock
    verification.start()
    return db


def _create(path: Path) -> None:
    """Build a new, empty project beside ``path`` and move it into place whole.

    A crash while creating leaves only the hidden file aside (removed by the
    next attempt), never a half-made or empty file under the project's name.
    The caller holds the project's lock, so no other cisannotate creates it meanwhile.
    """
    partial = path.with_name(f".{path.name}.creating")
    for leftover in (partial, *(partial.with_name(partial.name + end) for end in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(partial)
        try:
            conn.isolation_level = None
            db = Database(conn)
            from .schema import migrations

            utils = db.utils
            with db.atomic():
                migrations.apply(utils)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            conn.close()
        fsync_file(partial)
        try:
            # A link, unlike a rename, never replaces a file that appeared at ``path`` meanwhile.
            os.link(partial, path)
        except FileExistsError:
            raise ProjectError(f"{path}: another file appeared there while the project was being created") from None
        except OSError:
            # No hard links on this filesystem (FAT, some network shares).
            if path.exists():
                raise ProjectError(f"{path}: another file appeared there while the project was being created") from None
            os.replace(partial, path)
        fsync_folder(path.parent)
    except (OSError, sqlite3.Error) as exc:
        raise ProjectError(f"{path}: cannot create a project here ({exc})") from exc
    finally:
        partial.unlink(missing_ok=True)


def _open_checked(path: Path, lock: ProjectLock | None, read_only: bool, *, backup: bool) -> Database:
    try:
        conn = _connect(path, read_only)
    except sqlite3.Error as exc:
        raise _cannot_open(path, exc) from exc
    conn.lock = lock
    try:
        harden(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        if read_only and _schema_version(path) < OLDEST_READABLE:
            raise ProjectError(f"{path}: made by an older version and cannot be upgraded read-only")
    except sqlite3.Error as exc:
        conn.close()
        raise _cannot_open(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    db = Database(conn)
    if not read_only:
        _prepare(db, path, backup=backup)
    return db


def open_reader(path: Path) -> Database:
    """A second, read-only connection to a project another connection has opened (and so
    checked): for reading in another thread while the first one goes on writing (WAL).
    No checks, no backup, no lock; the caller closes it."""
    try:
        conn = _connect(Path(path), True)
        harden(conn)
        conn.execute("PRAGMA busy_timeout = 5000")
    except sqlite3.Error as exc:
        raise _cannot_open(Path(path), exc) from exc
    return Database(conn)


def take_backup(conn: sqlite3.Connection, path: Path, reason: str):
    """``backup.take_backup``, imported on first use: a window's opening takes its copy in the
    thread of its full check (verify.py), so the window's start does without the module."""
    from . import backup

    return backup.take_backup(conn, path, reason)


def _prepare(db: Database, path: Path, *, backup: bool) -> None:
    """Back up the project (unless just created), then create or upgrade its tables."""
    conn = db.conn
    try:
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        upgrading = has_tables and bool(pending_migrations(conn))
        if backup and has_tables:
            from .backup import BEFORE_UPGRADE, ON_OPEN

            try:
                take_backup(conn, path, BEFORE_UPGRADE if upgrading else ON_OPEN)
            except (OSError, sqlite3.Error) as exc:
                if upgrading:
                    raise ProjectError(
                        f"{path}: not upgraded, because no backup could be taken first ({exc}); "
                        "nothing was changed"
                    ) from exc
                # A missing copy on opening must not keep anyone from their work,
                # but the user is told (Store.backup_problem), not left to assume one exists.
                if isinstance(conn, _ProjectConnection):
                    conn.backup_problem = (
                        f"{path}: no backup copy could be taken on opening "
                        f"({getattr(exc, 'strerror', None) or exc}); your work is saved as usual, "
                        "but File › Restore from backup… has no copy of it as it was now"
                    )
        _configure(conn)
        # The header fields are written in the same transaction as the tables,
        # so a file is either a complete project or has no tables at all.
        # A project in the current shape has nothing to apply: sqlite-utils is not imported.
        utils = db.utils if pending_migrations(conn) else None
        with db.atomic():
            if utils is not None:
                from .schema import migrations

                migrations.apply(utils)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ProjectError(f"{path}: could not prepare the project ({exc})") from exc
    except BaseException:
        conn.close()
        raise
