"""Merging a colleague's export: checked, backed up, then written in one transaction.

A merge is not undoable with Undo (it can add thousands of records to a shared
history), so a backup copy of the project is taken first: restoring it is the
way back. The command line and the window take the same copy, with the same
reason in its name. When the copy cannot be taken the merge stops, unless the
caller's ``if_no_backup`` (the window asks the user) says to go on without it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..io.merge import MergeCancelled, MergeError, MergeReport, merge_file
from ..storage import Store
from ..storage.backup import BEFORE_MERGE, take_backup
from .common import Cancelled, IsCancelled, OnProgress, ServiceError, step_check, write_failure

__all__ = ["BEFORE_MERGE", "MergeResult", "backup_before_merge", "merge"]


@dataclass(frozen=True)
class MergeResult:
    report: MergeReport
    backup: Path | None  # the copy taken first (None for a project without a file, or when refused)


def backup_before_merge(store: Store) -> Path | None:
    """Take the copy that is the way back from a merge; None for a project held in memory."""
    if store.path is None:
        return None
    try:
        return take_backup(store.db.conn, store.path, BEFORE_MERGE)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ServiceError(f"no backup copy of the project could be taken ({reason})") from exc


def merge(
    store: Store,
    path: Path | str,
    *,
    fmt: str | None = None,
    annotator: str | None = None,
    offsets: str = "auto",
    if_no_backup: Callable[[ServiceError], bool] | None = None,
    on_progress: OnProgress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> MergeResult:
    """Check the file, back up, merge; ServiceError or Cancelled with nothing merged.

    ``fmt``: the file is another tool's (``io.formats``), read into a merge (in the layer
    ``annotator``, its offsets counted as ``offsets`` says); None or "json": cisannotate's own.

    The backup is taken once the file is known to be good and to add something,
    just before the write.
    """
    if store.read_only:
        raise ServiceError("the project is open read-only, so nothing can be merged into it")
    taken: list[Path | None] = [None]

    def back_up() -> None:
        try:
            taken[0] = backup_before_merge(store)
        except ServiceError as exc:
            if if_no_backup is None:
                raise
            if not if_no_backup(exc):
                raise Cancelled() from exc

    from ..io import formats

    try:
        if fmt in formats.FORMAT_NAMES:
            report = formats.import_annotations(
                store, Path(path), fmt, annotator=annotator, offsets=offsets,
                progress=step_check(on_progress, is_cancelled), before_write=back_up,
            )
        else:
            report = merge_file(store, path, step_check(on_progress, is_cancelled), back_up)
    except formats.FormatError as exc:
        raise ServiceError(str(exc), names_file=True) from exc
    except MergeCancelled as exc:
        raise Cancelled() from exc
    except MergeError as exc:
        raise ServiceError(str(exc)) from exc
    except (OSError, sqlite3.Error) as exc:
        raise write_failure(exc) from exc
    return MergeResult(report, taken[0])
