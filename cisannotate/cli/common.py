"""What the command-line handlers share: the error they raise and small helpers.

Its own module, so that command modules beside ``cli.py`` (``cli_team``, ``cli_search``,
``formats_cli``) import it without importing ``cli``, which imports them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the storage (sqlite-utils) loads with the first command that opens a project
    from ..storage import Store


class CommandError(Exception):
    """A problem to report to the user (stderr, exit status 1)."""


def open_store(path: str, *, create: bool = False, read_only: bool = False) -> Store:
    from ..storage import Store

    store = Store.open(Path(path), create=create, read_only=read_only)
    if store.backup_problem:  # the project opened, but the user must not count on a copy
        print(f"notice: {store.backup_problem}", file=sys.stderr)
    return store


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
