"""The full check of a project, run beside the window instead of before it.

Opening a project for editing used to check it whole before anything else:
the schema, ``PRAGMA integrity_check`` over every page and index, every row
read, every document's text against its SHA-256, and then a backup copy of
the file. On a large project that is most of the time to the window's first
paint. The promise it keeps is that nothing is written to a file that fails
(``docs/safety.md``); it need not keep the user from *looking*. So a project
that is already in the shape this version writes (current schema version,
write-ahead log, no log waiting beside it) is opened after the schema check
and SQLite's ``quick_check``, and the rest runs in a background thread on a
read-only connection of its own (``Verification``): the integrity check, the
content check, then the backup copy on opening, of the verified file.

Until that thread has finished and the file has passed, nothing can be
written through the project's connection: an authorizer on it (``gate``)
lets reads through and holds every statement that would write until the
verdict, and refuses it if the file failed. ``Store.atomic`` asks first
(``Verification.require``), so a write made through the Store fails with the
"damaged" message itself. Closing the project stops the thread.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from . import verified
from .errors import ProjectError
from .trust import _check_content, damaged, harden, read_only_uri


def take_backup(conn: sqlite3.Connection, path: Path):
    """The copy taken on opening (``backup.take_backup``); backup.py is imported here, in the
    check's thread, so the window's start does without it."""
    from . import backup

    return backup.take_backup(conn, path, backup.ON_OPEN)

__all__ = ["Verification", "gate"]

# Authorizer actions that read, or only open and close transactions: never held.
_PASSING = {
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_TRANSACTION,
    sqlite3.SQLITE_SAVEPOINT,
    getattr(sqlite3, "SQLITE_RECURSIVE", 33),
}


class Verification:
    """The full check of ``path`` (and the backup on opening) in a thread of its own."""

    def __init__(self, path: Path, *, backup: bool = True, known: bool = False) -> None:
        self.path = Path(path)
        self.backup = backup
        self.known = known  # the caller has checked this content in full already
        self.error: ProjectError | None = None
        self.backup_problem = ""
        self._done = threading.Event()
        self._cancelled = False
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        # Not a daemon: a program that ends while the check runs waits for it (a second at most)
        # instead of tearing the interpreter down under a thread still inside SQLite.
        self._thread = threading.Thread(target=self._run, name="cisannotate-verify")

    def start(self) -> "Verification":
        self._thread.start()
        return self

    # ----------------------------------------------------------------- verdict
    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def passed(self) -> bool:
        return self._done.is_set() and self.error is None and not self._cancelled

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the verdict; True when the file passed."""
        self._done.wait(timeout)
        return self.passed

    def require(self) -> None:
        """Wait for the verdict; raise the "damaged" ProjectError if the file failed."""
        self._done.wait()
        if self.error is not None:
            raise self.error
        if self._cancelled:
            raise ProjectError(f"{self.path}: the project was closed")

    def cancel(self) -> None:
        """Stop the check (the project is being closed) and wait for the thread to end."""
        with self._lock:
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    # ------------------------------------------------------------------ thread
    def _run(self) -> None:
        conn = None
        try:
            with self._lock:
                if self._cancelled:
                    return
                conn = sqlite3.connect(read_only_uri(self.path), uri=True, check_same_thread=False)
                self._conn = conn
            harden(conn)
            # As check_project_file, minus the schema and quick check already done before opening;
            # a file checked before and unchanged since (verified.py) needs none of it.
            noted = None if self.known else verified.identity(self.path)
            if not self.known and not (noted is not None and verified.is_noted(self.path, noted)):
                check = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
                if check != "ok":
                    raise damaged(self.path, check)
                _check_content(self.path, conn)
                if noted is not None:
                    verified.note(self.path, noted)
            if self.backup:
                try:
                    take_backup(conn, self.path)
                except (OSError, sqlite3.Error) as exc:
                    if self._cancelled:
                        return
                    self.backup_problem = (
                        f"{self.path}: no backup copy could be taken on opening "
                        f"({getattr(exc, 'strerror', None) or exc}); your work is saved as usual, "
                        "but File › Restore from backup… has no copy of it as it was now"
                    )
        except ProjectError as exc:
            self.error = exc
        except sqlite3.Error as exc:
            if not self._cancelled:
                self.error = damaged(self.path, str(exc))
        except BaseException as exc:  # noqa: BLE001 - a verdict must always be given
            self.error = ProjectError(f"{self.path}: the project could not be checked ({exc})")
        finally:
            with self._lock:
                self._conn = None
            if conn is not None:
                conn.close()
            self._done.set()


def gate(verification: Verification):
    """An SQLite authorizer that holds every writing statement until ``verification`` passed.

    Statements are authorized when they are prepared: a write prepared before the
    verdict waits for it, and is refused (SQLITE_DENY) if the file failed.
    """

    def authorize(action, arg1, arg2, database, source):  # noqa: ARG001
        if verification.passed or action in _PASSING:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and arg2 is None:
            return sqlite3.SQLITE_OK  # reading a setting
        return sqlite3.SQLITE_OK if verification.wait() else sqlite3.SQLITE_DENY

    return authorize
