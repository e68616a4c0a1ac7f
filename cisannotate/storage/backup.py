"""Backup copies of a project, and restoring one.

A copy is taken every time a project is opened for editing, so a morning's
mistakes can be undone by going back to how the project was when it was opened,
long after the undo history is gone. The last ``KEEP`` of these are kept; a
copy identical to the newest one is not taken again, so opening and closing a
project repeatedly does not push older states out. Copies taken before an
upgrade to a new schema, or before a restore, are kept until the user deletes
them: they are the way back from a decision, not from a slip.

Copies are made with SQLite's online backup, which copies a consistent state
(committed work in the write-ahead log included) while the project stays open,
and are written as ``.partial`` files and renamed, so a crash never leaves a
half copy that looks complete. Each copy is a complete project file without a
write-ahead log, readable on its own. They live in ``paths.backup_dir(project)``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import paths
from .atomic import fsync_file, replace_durably
from .errors import ProjectError
from .lock import acquire
from .schema_version import APPLICATION_ID, SCHEMA_VERSION

KEEP = 5
"""How many of the copies taken on opening are kept."""

ON_OPEN = ""
BEFORE_UPGRADE = "before-upgrade"
BEFORE_RESTORE = "before-restore"
DAMAGED = "damaged"
"""A raw copy of a project SQLite could not read, kept before a restore replaced it."""
BEFORE_MERGE = "before-merge"
"""The way back from a merge of a colleague's annotations, which Undo cannot take back."""

_SUFFIX = ".cisannotate"
_PARTIAL = ".partial"
_STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime  # UTC
    size: int  # bytes
    reason: str  # ON_OPEN, BEFORE_UPGRADE, BEFORE_RESTORE, BEFORE_MERGE or DAMAGED


@dataclass(frozen=True)
class BackupContents:
    schema_version: int
    documents: int
    annotations: int
    links: int


def _pattern(project: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(project.stem) + r"-(\d{8}-\d{6}-\d{6})(?:-([a-z][a-z-]*))?" + re.escape(_SUFFIX) + "$"
    )


def _name(project: Path, taken: datetime, reason: str) -> str:
    return f"{project.stem}-{taken.strftime(_STAMP)}{'-' + reason if reason else ''}{_SUFFIX}"


def list_backups(project: Path) -> list[Backup]:
    """The backups of ``project``, newest first."""
    project = Path(project)
    folder = paths.backup_dir(project)
    if not folder.is_dir():
        return []
    pattern = _pattern(project)
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match and path.is_file():
            taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=timezone.utc)
            found.append(Backup(path, taken, path.stat().st_size, match.group(2) or ON_OPEN))
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


_TAKING = threading.Lock()
"""One copy at a time in this process: the copy on opening is taken beside the open window
(storage/verify.py), and ``prune`` would take another copy's partial file for a leftover."""


def take_backup(conn: sqlite3.Connection, project: Path, reason: str = ON_OPEN) -> Path:
    """Copy the database open on ``conn`` (the project at ``project``) into its backup folder.

    Returns the copy; for a copy on opening that is identical to the newest
    backup, that backup instead. Raises OSError or sqlite3.Error on failure,
    leaving no partial copy behind.
    """
    with _TAKING:
        return _take_backup(conn, project, reason)


def _take_backup(conn: sqlite3.Connection, project: Path, reason: str) -> Path:
    project = Path(project)
    folder = paths.backup_dir(project)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / _name(project, datetime.now(timezone.utc), reason)
    partial = final.with_name(final.name + _PARTIAL)
    try:
        target = sqlite3.connect(partial)
        try:
            conn.backup(target)
            # One self-contained file, with no -wal or -shm beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        fsync_file(partial)
        if reason == ON_OPEN:
            newest = next(iter(list_backups(project)), None)
            if newest is not None and newest.size == partial.stat().st_size and _digest(newest.path) == _digest(partial):
                partial.unlink()
                return newest.path
        replace_durably(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    prune(project)
    return final


def prune(project: Path) -> None:
    """Keep the newest ``KEEP`` copies taken on opening, and remove copies a crash left half made."""
    folder = paths.backup_dir(Path(project))
    for leftover in folder.glob(f"*{_SUFFIX}{_PARTIAL}*"):  # with any -journal or -wal
        leftover.unlink(missing_ok=True)
    on_open = [b for b in list_backups(project) if b.reason == ON_OPEN]
    for old in on_open[KEEP:]:
        old.path.unlink(missing_ok=True)


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def read_backup(path: Path) -> BackupContents:
    """What a backup holds; raises ProjectError (naming it) if it is not a usable project."""
    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path}: no such backup")
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: cannot be read ({exc})") from exc
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise ProjectError(f"{path}: not a cisannotate project")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ProjectError(f"{path}: made by a newer version of cisannotate (schema {version})")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise ProjectError(f"{path}: the backup is damaged ({check})")
        documents, spans, links = (
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("documents", "spans", "links")
        )
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: the backup is damaged ({exc})") from exc
    finally:
        conn.close()
    return BackupContents(version, documents, spans, links)


def _keep_current(project: Path) -> bool:
    """Back up the project about to be replaced; returns whether SQLite could read it.

    A readable project gets an online copy; one SQLite cannot read is kept as
    its raw bytes (with its -wal, under SQLite's sidecar name, so the pair can
    be examined together).
    """
    conn = sqlite3.connect(_read_only_uri(project), uri=True)
    try:
        try:
            healthy = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            healthy = False
        if healthy:
            take_backup(conn, project, BEFORE_RESTORE)
            return True
    finally:
        conn.close()
    folder = paths.backup_dir(project)
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / _name(project, datetime.now(timezone.utc), DAMAGED)
    wal = project.with_name(project.name + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    shutil.copyfile(project, copy)
    return False


def restore_backup(backup: Path, project: Path) -> Path:
    """Replace the content of ``project`` by that of ``backup``; returns ``project``.

    The project must not be open for editing anywhere (ProjectLocked otherwise).
    Its current state is backed up first, so a restore can itself be undone.
    The content is copied with SQLite's online backup, which replaces it in one
    transaction: a crash during the restore leaves the project as it was, and a
    window reading it meanwhile sees one state or the other. Only a project
    SQLite cannot read at all is replaced as a file.
    """
    backup, project = Path(backup), Path(project)
    read_backup(backup)
    try:
        lock = acquire(project)
    except OSError as exc:
        raise ProjectError(f"{project}: cannot be restored here ({exc.strerror or exc})") from exc
    try:
        healthy = _keep_current(project) if project.is_file() and project.stat().st_size > 0 else True
        source = sqlite3.connect(_read_only_uri(backup), uri=True)
        try:
            (_copy_into if healthy else _replace_file)(source, project)
        finally:
            source.close()
    except (OSError, sqlite3.Error) as exc:
        raise ProjectError(f"{project}: could not be restored from {backup.name} ({exc})") from exc
    finally:
        lock.release()
    return project


def _copy_into(source: sqlite3.Connection, project: Path) -> None:
    target = sqlite3.connect(project)
    try:
        target.execute("PRAGMA synchronous = FULL")
        source.backup(target)
    finally:
        target.close()


def _replace_file(source: sqlite3.Connection, project: Path) -> None:
    """Write a new file and rename it over a project SQLite cannot open (kept by ``_keep_current``)."""
    fresh = project.with_name(project.name + ".restoring")
    fresh.unlink(missing_ok=True)
    target = sqlite3.connect(fresh)
    try:
        source.backup(target)
    finally:
        target.close()
    fsync_file(fresh)
    # The old file's log and shared memory must not be applied to the new file.
    for sidecar in ("-wal", "-shm", "-journal"):
        project.with_name(project.name + sidecar).unlink(missing_ok=True)
    replace_durably(fresh, project)
