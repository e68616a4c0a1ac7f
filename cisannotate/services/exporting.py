"""Exporting annotations: render the chosen format, then write the file atomically.

A cancelled or failed export leaves no file (or the old one untouched).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..io.exchange import SUFFIXES, ExportCancelled, ExportOptions, ExportSummary, render, write_atomic
from ..storage import Store
from .common import Cancelled, IsCancelled, OnProgress, ServiceError, step_check


def check_options(store: Store, options: ExportOptions) -> None:
    """ServiceError when the options cannot be met by this project."""
    if options.with_text and options.format != "json":
        raise ServiceError("--with-text applies only to --format json (W3C and CSV name texts by their hash)")
    if options.annotator is not None and options.annotator not in store.layers():
        layers = ", ".join(store.layers()) or "none"
        raise ServiceError(f"no annotations in layer {options.annotator!r} (layers: {layers})")


def render_text(
    store: Store,
    options: ExportOptions,
    *,
    on_progress: OnProgress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> tuple[str, dict[str, int]]:
    """The export as text and its counts (documents, spans, links); Cancelled when told to stop."""
    check_options(store, options)
    try:
        return render(store, options, step_check(on_progress, is_cancelled))
    except ExportCancelled as exc:
        raise Cancelled() from exc
    except sqlite3.Error as exc:
        raise ServiceError(f"the project could not be read ({exc})") from exc


def write(path: Path, body: str, fmt: str = "json") -> None:
    """Write ``body`` to ``path`` atomically; ServiceError naming the file when it cannot be."""
    path = Path(path)
    if path.is_dir():
        raise ServiceError(f"{path}: is a folder; name the file, e.g. {path / ('export' + SUFFIXES[fmt])}")
    try:
        write_atomic(path, body)
    except OSError as exc:
        raise ServiceError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def export(
    store: Store,
    path: Path,
    options: ExportOptions,
    *,
    on_progress: OnProgress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExportSummary:
    """Render and write the export; ServiceError or Cancelled with no file written."""
    body, counts = render_text(store, options, on_progress=on_progress, is_cancelled=is_cancelled)
    write(path, body, options.format)
    return ExportSummary(path=Path(path), format=options.format, **counts)
