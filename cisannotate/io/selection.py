"""What one export covers, and how it reports progress: shared by every export format.

The layer filter is applied once (``select``) and the records it picked are what
the native JSON (``exchange``), the W3C collection (``w3c``) and the tidy tables
(``tables``) write. ``ProgressCounter`` calls the progress callback every few records and
turns a refusal into ``ExportCancelled``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.model import Comment, Document, Review
from ..storage import Store
from ..storage.bulk import (
    LINK_ROW_COLUMNS,
    SPAN_ROW_COLUMNS,
    all_documents,
    all_source_lines,
    link_rows,
    source_line_rows,
    span_rows,
)

ProgressCheck = Callable[[int, int], bool]
"""``(done, total) -> keep going?`` Returning False cancels: an export leaves no file, a merge writes nothing."""

# How often (in records) the progress callback hears from an export.
REPORT_EVERY = 1000


class ExportCancelled(Exception):
    """The progress callback asked to stop; nothing is written."""



class ProgressCounter:
    """Calls the progress callback every few records and turns a refusal into ExportCancelled."""

    def __init__(self, total: int, progress: ProgressCheck | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.progress = progress
        self._next = 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done >= self._next or self.done >= self.total):
            self._next = self.done + REPORT_EVERY
            if not self.progress(min(self.done, self.total), self.total):
                raise ExportCancelled()


@dataclass
class Selection:
    """What one export covers: the layer filter applied once, shared by every format.

    For the native format (``rows=True`` in ``select``) the spans, links and each document's
    lines are the plain tuples of ``span_rows``/``link_rows``/``source_line_rows``; for W3C and
    the tables they are Span, Link and SourceLine objects.
    """

    documents: list[Document]
    lines: dict[str, list[Any]]
    spans: list[Any]
    links: list[Any]
    reviews: list[Review]
    comments: list[Comment]
    annotators: list[str]

    def size(self, fmt: str) -> int:
        """How many records the format writes, the scale of its progress."""
        if fmt == "json":
            return len(self.documents) + len(self.spans) + len(self.links) + len(self.reviews) + len(self.comments)
        return len(self.spans) + len(self.links) + len(self.comments) + len(self.reviews)


def _ids_and_annotators(spans: list[Any], links: list[Any], rows: bool) -> tuple[set[str], set[str], set[str]]:
    """The spans' ids, the spans' annotators and the links' annotators (rows or objects)."""
    if rows:
        span_annotator, link_annotator = SPAN_ROW_COLUMNS.index("annotator"), LINK_ROW_COLUMNS.index("annotator")
        return {s[0] for s in spans}, {s[span_annotator] for s in spans}, {k[link_annotator] for k in links}
    return {s.id for s in spans}, {s.annotator for s in spans}, {k.annotator for k in links}


def select(store: Store, annotator: str | None, *, rows: bool = False) -> Selection:
    """The selection; with ``rows``, spans and links as plain rows (the native format's)."""
    documents = all_documents(store)
    lines: dict[str, list[Any]] = source_line_rows(store) if rows else all_source_lines(store)
    layers = None if annotator is None else [annotator]
    spans: list[Any]
    links: list[Any]
    if rows:
        spans, links = span_rows(store, layers), link_rows(store, layers)
    else:
        spans, links = store.spans(layers=layers), store.links(layers=layers)
    if annotator is None:
        reviews = store.reviews()
        comments = store.comments()
        annotators = store.annotators()
    else:
        span_ids, span_annotators, link_annotators = _ids_and_annotators(spans, links, rows)
        reviews = [r for r in store.reviews() if r.reviewer == annotator or r.result_id in span_ids]
        comments = [c for c in store.comments() if c.author == annotator]
        annotators = sorted(
            {annotator}
            | span_annotators
            | link_annotators
            | {r.reviewer for r in reviews}
            | {c.author for c in comments}
        )
    return Selection(documents, lines, spans, links, reviews, comments, annotators)
