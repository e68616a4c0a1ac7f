"""Exporting a project's annotations: native JSON, W3C Web Annotation, tidy tables.

The native format (``{"format": "cisannotate", "version": 1, ...}``, described
by ``resources/schema/cisannotate-export-1.schema.json``) is what colleagues
exchange and ``cisannotate merge`` reads back. The W3C Web Annotation
collection (``w3c.py``) is for other annotation tools; the tidy tables
(``tables.py``) are for analysis in pandas or R. What an export covers is
chosen once for every format (``selection.py``).

Building an export only reads through the Store. Two exports of the same
project are byte-identical: records are in a stable order, keys are sorted,
indentation is fixed and the body carries no export time, so exports can be
compared, diffed and pinned in tests. Writing is atomic: the file appears
complete or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.text import CONTEXT_CHARS
from ..storage import Store
from ..storage.atomic import check_output_path
from ..storage.atomic import write_atomic as _write_atomic
from ..storage.bulk import LINK_ROW_COLUMNS, SOURCE_LINE_ROW_COLUMNS, SPAN_ROW_COLUMNS
from ..storage.columns import chunked
from .jsonlayout import dumps
from .native_text import native_records
from .selection import REPORT_EVERY, ExportCancelled, ProgressCheck, ProgressCounter, Selection, select
from .w3c import W3C_CONTEXT, W3C_EXTENSION, W3C_VOCAB, _w3c, dumps_w3c, text_direction, w3c_export

# The W3C collection, the JSON layout and what an export covers live in modules of their own
# (w3c, jsonlayout, selection); these names stay importable from here.
__all__ = [
    "FORMATS", "FORMAT_ALIASES", "FORMAT_NAME", "FORMAT_VERSION", "SUFFIXES", "W3C_CONTEXT", "W3C_EXTENSION",
    "W3C_VOCAB", "ExportCancelled", "ExportOptions", "ExportSummary", "ProgressCheck", "dumps", "dumps_w3c",
    "export_project", "native_export", "render", "text_direction", "w3c_export", "write_atomic",
    "write_atomic_bytes",
]

FORMAT_NAME = "cisannotate"
FORMAT_VERSION = 1
FORMATS = ("json", "w3c", "tables")
SUFFIXES = {"json": ".json", "w3c": ".jsonld", "tables": ".zip"}
# Earlier names of formats: "csv" was one mixed table of spans and links, now the tidy tables.
FORMAT_ALIASES = {"csv": "tables"}


@dataclass(frozen=True)
class ExportOptions:
    format: str = "json"
    with_text: bool = False  # native format only: carry each document's text
    annotator: str | None = None  # limit the export to this layer
    excel: bool = False  # tables only: UTF-8 with a byte-order mark, formula-like cells quoted by default
    formula_cells: str | None = None  # tables only: "keep" or "quote" (default: quote for Excel, else keep)

    def __post_init__(self) -> None:
        object.__setattr__(self, "format", FORMAT_ALIASES.get(self.format, self.format))


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    format: str
    documents: int
    spans: int
    links: int


# ------------------------------------------------------------------ native
def native_export(
    store: Store,
    *,
    with_text: bool = False,
    annotator: str | None = None,
    progress: ProgressCheck | None = None,
) -> dict[str, Any]:
    """The project as the native exchange format (a JSON-ready dict)."""
    sel = select(store, annotator, rows=True)
    return _native(store, sel, with_text, annotator, ProgressCounter(sel.size("json"), progress))


def _native(
    store: Store, sel: Selection, with_text: bool, annotator: str | None, counter: ProgressCounter
) -> dict[str, Any]:
    texts = {d.id: d.text for d in sel.documents}

    documents = []
    for doc in sel.documents:
        record: dict[str, Any] = {
            "id": doc.id,
            "sha256": doc.sha256,
            "kind": doc.kind,
            "title": doc.title,
            "outlet": doc.outlet,
            "date": doc.date,
            "event": doc.event,
            "language": doc.language,
            "url": doc.url,
            "source_file": doc.source_file,
            "notes": doc.notes,
            "extra": doc.extra,
            "length": len(doc.text),
            "source_lines": [dict(zip(SOURCE_LINE_ROW_COLUMNS, row)) for row in sel.lines.get(doc.id, [])],
        }
        if with_text:
            record["text"] = doc.text
        documents.append(record)
        counter.step()

    # Spans and links go from plain rows (span_rows, link_rows) straight into records: a Span or
    # Link object for each first took longer than the JSON encoding. A row's column names are the
    # record's keys (SPAN_ROW_COLUMNS, LINK_ROW_COLUMNS, from the one column map of each table).
    # The quotes are sliced here rather than by quote_at: the stored offsets were checked on the
    # way in, and 150,000 Quote objects were a tenth of the time of an export.
    context = CONTEXT_CHARS
    spans: list[dict[str, Any]] = []
    add = spans.append
    for chunk in chunked(sel.spans, REPORT_EVERY):
        for row in chunk:
            record = dict(zip(SPAN_ROW_COLUMNS, row))
            text, start, end = texts[record["document_id"]], record["start"], record["end"]
            record["no_source"] = True if record["no_source"] else False
            record["prefix"] = text[start - context if start > context else 0 : start]
            record["quote"] = text[start:end]
            record["suffix"] = text[end : end + context]
            add(record)
        counter.step(len(chunk))

    links: list[dict[str, Any]] = []
    add = links.append
    for chunk in chunked(sel.links, REPORT_EVERY):
        for row in chunk:
            record = dict(zip(LINK_ROW_COLUMNS, row))
            text, start, end = texts[record["target_document_id"]], record["target_start"], record["target_end"]
            record["target_prefix"] = text[start - context if start > context else 0 : start]
            record["target_quote"] = text[start:end]
            record["target_suffix"] = text[end : end + context]
            add(record)
        counter.step(len(chunk))

    reviews = [
        {"id": r.id, "item_a": r.item_a, "item_b": r.item_b, "decision": r.decision, "reviewer": r.reviewer,
         "result_id": r.result_id, "comment": r.comment, "created": r.created}
        for r in sel.reviews
    ]
    comments = [
        {"id": c.id, "target_id": c.target_id, "author": c.author, "text": c.text, "created": c.created}
        for c in sel.comments
    ]
    counter.step(len(reviews) + len(comments))
    return _project(store, sel, with_text, annotator, documents=documents, spans=spans, links=links,
                    reviews=reviews, comments=comments)


def _project(
    store: Store, sel: Selection, with_text: bool, annotator: str | None, **records: Any
) -> dict[str, Any]:
    """The native export around its records (documents, spans, links, reviews, comments):
    the format, its scope, the codebook and the annotators."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "scope": {"annotator": annotator, "with_text": with_text},
        "documents": records["documents"],
        "categories": [
            {"id": c.id, "name": c.name, "color": c.color, "shortcut": c.shortcut,
             "description": c.description, "position": c.position}
            for c in store.categories()
        ],
        "speakers": [{"id": s.id, "name": s.name, "role": s.role} for s in store.speakers()],
        "channels": [{"id": c.id, "name": c.name} for c in store.channels()],
        "annotators": sel.annotators,
        "spans": records["spans"],
        "links": records["links"],
        "reviews": records["reviews"],
        "comments": records["comments"],
    }


# ---------------------------------------------------------------- writing
def render(store: Store, options: ExportOptions, progress: ProgressCheck | None = None) -> tuple[str, dict[str, int]]:
    """The export as text, with how many documents, spans and links it holds (JSON and W3C).

    Raises ExportCancelled when ``progress`` says stop. The tables are several files:
    ``tables.render_tables`` makes them.
    """
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r} (expected one of {', '.join(FORMATS)})")
    if options.format == "tables":
        raise ValueError("the tables are several files: use cisannotate.io.tables.render_tables")
    sel = select(store, options.annotator, rows=options.format == "json")
    # One more step than there are records: turning them into text, the last chance to cancel.
    counter = ProgressCounter(sel.size(options.format) + 1, progress)
    if options.format == "json":
        # The records written a column at a time (native_text), the same bytes as dumps(_native(...)).
        records = native_records(sel, options.with_text, counter)
        body = dumps(_project(store, sel, options.with_text, options.annotator, **records))
    else:
        body = dumps_w3c(_w3c(store, sel, options.annotator, counter))
    counter.step()
    return body, {"documents": len(sel.documents), "spans": len(sel.spans), "links": len(sel.links)}


def write_atomic(path: Path, text: str, *, protect: Iterable[Path] = ()) -> None:
    """Write ``text`` as UTF-8 to ``path`` whole (see ``storage.atomic``).

    A crash, a full disk or a cancelled export leaves the old file (or none),
    never half of a new one; a target that is the project (``protect``) under
    any name, another database or not a regular file is refused (OutputPathError).
    """
    _write_atomic(Path(path), text, protect=protect)


def write_atomic_bytes(path: Path, data: bytes, *, protect: Iterable[Path] = ()) -> None:
    """``write_atomic`` for bytes."""
    _write_atomic(Path(path), data, protect=protect)


def export_project(
    store: Store, path: Path, options: ExportOptions, progress: ProgressCheck | None = None
) -> ExportSummary | None:
    """Export to ``path``; None (and no file) when ``progress`` cancels.

    Raises OutputPathError (an OSError) before any work when ``path`` must not be
    written (the project under any of its names, a database, a link, a FIFO...).
    The tables go to a folder, or to one file when ``path`` ends in .zip.
    """
    protect = [store.path] if store.path is not None else []
    if options.format != "tables" or str(path).lower().endswith(".zip"):
        check_output_path(Path(path), protect=protect)
    try:
        if options.format == "tables":
            from .tables import render_tables, write_tables

            files, counts = render_tables(store, annotator=options.annotator, excel=options.excel,
                                          formula_cells=options.formula_cells, progress=progress)
        else:
            body, counts = render(store, options, progress)
    except ExportCancelled:
        return None
    if options.format == "tables":
        write_tables(Path(path), files, protect=protect)
    else:
        write_atomic(Path(path), body, protect=protect)
    return ExportSummary(path=Path(path), format=options.format, **counts)
