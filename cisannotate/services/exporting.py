"""Exporting annotations: render the chosen format, then write the file atomically.

The native JSON and W3C are one file each, the tables a folder or a zip
(``io/tables.py``), another tool's format its own file (``io/formats``). A
cancelled or failed export leaves no file (or the old one untouched).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..io.exchange import SUFFIXES, ExportCancelled, ExportOptions, export_project, render, write_atomic
from ..storage import Store
from .common import Cancelled, IsCancelled, OnProgress, ServiceError, step_check


def check_options(store: Store, options: ExportOptions) -> None:
    """ServiceError when the options cannot be met by this project."""
    if options.with_text and options.format != "json":
        raise ServiceError("--with-text applies only to --format json (W3C and the tables name texts by their hash)")
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
) -> Any:
    """Render and write the export; its summary, or ServiceError or Cancelled with no file written."""
    from ..io import formats
    from ..io.tables import TablesError

    check_options(store, options)
    path = Path(path)
    if options.format != "tables" and path.is_dir():
        suffix = formats.SUFFIXES.get(options.format) or SUFFIXES[options.format]
        raise ServiceError(f"{path}: is a folder; name the file, e.g. {path / ('export' + suffix)}")
    try:
        if options.format in formats.FORMAT_NAMES:
            return formats.export_format(store, path, options.format, annotator=options.annotator)
        summary = export_project(store, path, options, step_check(on_progress, is_cancelled))
    except (TablesError, formats.FormatError) as exc:
        raise ServiceError(str(exc)) from exc
    except OSError as exc:
        raise ServiceError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except sqlite3.Error as exc:
        raise ServiceError(f"the project could not be read ({exc})") from exc
    if summary is None:
        raise Cancelled()
    return summary
