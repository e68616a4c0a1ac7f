"""Whole-project snapshots, for undoing an operation too large for step-by-step inverses.

A snapshot is a copy of the database pages taken with SQLite's online backup; loading
one writes those pages back into the open connection, so the project is exactly as it
was when the snapshot was taken. Used to make a merge one undoable step.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def save_snapshot(conn: sqlite3.Connection, path: Path) -> Path:
    """Copy the database open on ``conn`` into the file ``path``."""
    target = sqlite3.connect(path)
    try:
        conn.backup(target)
    finally:
        target.close()
    return path


def load_snapshot(conn: sqlite3.Connection, path: Path) -> None:
    """Make the database open on ``conn`` what the snapshot ``path`` holds (in one step)."""
    source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(conn)
    finally:
        source.close()
