"""The project's connection as the Store uses it, without importing sqlite-utils.

The Store needs three things of sqlite-utils' ``Database``: ``execute``, ``atomic``
(a transaction, nested ones as savepoints) and ``conn``. ``ProjectDatabase`` gives
those with the same behaviour over the ``sqlite3`` connection, so opening a project
for the window or a command imports nothing of sqlite-utils (whose import compiles
its SQL parser's expressions and loads click and pluggy: about half of the storage's
import). Everything else of sqlite-utils' API (the migrations, tables, recipes) is
reached through ``utils``, sqlite-utils' own ``Database`` over the same connection,
made the first time it is asked for; unknown attributes are looked up there too.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

_savepoints = itertools.count(1)


class ProjectDatabase:
    """``execute``, ``atomic`` and ``conn`` as sqlite-utils' ``Database`` has them; the rest of
    its API through ``utils``. The connection runs without implicit transactions
    (``isolation_level = None``): every transaction here is opened by ``atomic``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils = None
        # As sqlite-utils' Database does for every connection it is given.
        conn.execute("PRAGMA recursive_triggers=on;")

    @property
    def utils(self):
        """sqlite-utils' ``Database`` over this connection (strict tables), made on first use."""
        if self._utils is None:
            from . import load_sqlite_utils

            self._utils = load_sqlite_utils().Database(self.conn, strict=True)
        return self._utils

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("conn", "_utils"):
            raise AttributeError(name)
        return getattr(self.utils, name)

    def __getitem__(self, name: str):
        return self.utils[name]  # a table, as sqlite-utils gives it

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement; as sqlite-utils does, a write that opened a transaction of its
        own (a connection in the driver's legacy mode) is committed at once."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if not was_in_transaction and conn.in_transaction and cursor.description is None:
            from . import load_sqlite_utils

            load_sqlite_utils()
            from sqlite_utils.db import _TRANSACTION_CONTROL_KEYWORDS, _first_keyword

            if _first_keyword(sql) not in _TRANSACTION_CONTROL_KEYWORDS:
                conn.execute("COMMIT")
        return cursor

    @contextmanager
    def atomic(self) -> Iterator[ProjectDatabase]:
        """A transaction: committed at the end of the block, rolled back on an exception;
        inside another one, a savepoint."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"cisannotate_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) may have ended the whole transaction, savepoints included.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint};")
        else:
            conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise

    def close(self) -> None:
        self.conn.close()
