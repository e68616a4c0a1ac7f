"""Bulk reads and writes for exchanging annotations between projects.

A merge of a colleague's file looks up tens of thousands of ids at once and
writes reviews and comments by the thousand; the Store's one-row methods would
take a query per item. These functions take a Store, speak SQL (this package is
where SQL lives) and return the model's dataclasses, except ``span_rows``,
``link_rows`` and ``source_line_rows``: an export of 100,000 annotations turns
every span, link and source line into a record at once, and building a frozen
dataclass for each first took longer than writing the JSON, so those return
plain rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeVar

from ..core.model import Comment, Document, Link, Review, SourceLine, Span, now
from .columns import COMMENTS, LINKS, REVIEWS, SOURCE_LINES, SPANS, ColumnMap, chunked, placeholders
from .store import Store, document_from_row

T = TypeVar("T")

__all__ = [
    "LINK_ROW_COLUMNS", "SOURCE_LINE_ROW_COLUMNS", "SPAN_ROW_COLUMNS", "add_comments", "add_reviews", "all_documents",
    "all_source_lines", "comments_by_id", "link_rows", "links_by_id", "reviews_by_id", "source_line_rows", "span_rows",
    "spans_by_id",
]


def _by_id(store: Store, table: ColumnMap[T], ids: Iterable[str]) -> dict[str, T]:
    """The rows of ``table`` among ``ids`` as dataclasses, by id (absent ids are simply missing)."""
    found: dict[str, T] = {}
    for chunk in chunked(sorted(set(ids))):
        for row in store.db.execute(
            f"SELECT {table.select()} FROM {table.table} WHERE id IN ({placeholders(len(chunk))})", list(chunk)
        ).fetchall():
            found[row[0]] = table.read(row)
    return found


def spans_by_id(store: Store, ids: Iterable[str]) -> dict[str, Span]:
    """The project's spans among ``ids``, by id (absent ids are simply missing)."""
    return _by_id(store, SPANS, ids)


def links_by_id(store: Store, ids: Iterable[str]) -> dict[str, Link]:
    return _by_id(store, LINKS, ids)


def reviews_by_id(store: Store, ids: Iterable[str]) -> dict[str, Review]:
    return _by_id(store, REVIEWS, ids)


def comments_by_id(store: Store, ids: Iterable[str]) -> dict[str, Comment]:
    return _by_id(store, COMMENTS, ids)


def all_documents(store: Store) -> list[Document]:
    """Every document with its text in one query, in the order of ``Store.documents()``."""
    return [
        document_from_row(row)
        for row in store._rows("SELECT * FROM documents ORDER BY event, kind DESC, date, title, id")
    ]


def all_source_lines(store: Store) -> dict[str, list[SourceLine]]:
    """Every transcript's numbered lines in one query, by document id."""
    lines: dict[str, list[SourceLine]] = {}
    for row in store.db.execute(
        f"SELECT {SOURCE_LINES.select()} FROM source_lines ORDER BY document_id, number"
    ).fetchall():
        line = SOURCE_LINES.read(row)
        lines.setdefault(line.document_id, []).append(line)
    return lines


# The columns of source_line_rows(): a SourceLine's fields after its document's id.
SOURCE_LINE_ROW_COLUMNS = tuple(name for name in SOURCE_LINES.fields if name != "document_id")


def source_line_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every transcript's numbered lines in one query, by document id, as tuples of
    ``SOURCE_LINE_ROW_COLUMNS`` (an export writes 10,000 lines of a long transcript: building
    a SourceLine for each took longer than reading them)."""
    lines: dict[str, list[tuple[Any, ...]]] = {}
    columns = ", ".join(SOURCE_LINES.column(name) for name in SOURCE_LINE_ROW_COLUMNS)
    rows = store.db.execute(
        f"SELECT document_id, {columns} FROM source_lines ORDER BY document_id, number"
    ).fetchall()
    for doc_id, group in groupby(rows, itemgetter(0)):
        lines[doc_id] = [row[1:] for row in group]
    return lines


# The columns of span_rows() and link_rows(): those of Store.spans() and Store.links() without the
# stored quote, prefix and suffix (an export slices them from the document text), positions as
# ``start``/``end``. ``no_source`` is the stored 0 or 1, not a bool.
SPAN_ROW_COLUMNS = tuple(name for name in SPANS.fields if name not in ("quote", "prefix", "suffix"))
LINK_ROW_COLUMNS = LINKS.fields


def _layer_clause(column: str, layers: list[str] | None) -> str:
    return "" if layers is None else f"WHERE {column} IN ({placeholders(len(layers))})"


def span_rows(store: Store, layers: Iterable[str] | None = None) -> list[tuple[Any, ...]]:
    """The spans of ``Store.spans(layers=layers)``, in its order, as tuples of ``SPAN_ROW_COLUMNS``."""
    layers = None if layers is None else list(layers)
    # NOT INDEXED: one pass over the table and a sort beats walking the (document, start) index,
    # which visits the rows in random order; the order is the same, the id settles every tie.
    return store.db.execute(
        f"SELECT {SPANS.select(fields=SPAN_ROW_COLUMNS)} FROM spans NOT INDEXED {_layer_clause('layer', layers)} "
        "ORDER BY document_id, char_start, char_end, id",
        layers or [],
    ).fetchall()


def link_rows(store: Store, layers: Iterable[str] | None = None) -> list[tuple[Any, ...]]:
    """The links of ``Store.links(layers=layers)``, in its order, as tuples of ``LINK_ROW_COLUMNS``."""
    layers = None if layers is None else list(layers)
    return store.db.execute(
        f"SELECT {LINKS.select('k')} FROM links k JOIN spans s ON s.id = k.span_id "
        f"{_layer_clause('k.layer', layers)} ORDER BY s.document_id, s.char_start, k.char_start, k.id",
        layers or [],
    ).fetchall()


def add_reviews(store: Store, reviews: Sequence[Review]) -> None:
    """Insert reviews in one statement, their reviewers registered as annotators."""
    with store.atomic():
        for reviewer in sorted({r.reviewer for r in reviews}):
            store.ensure_annotator(reviewer)
        store.db.conn.executemany(
            REVIEWS.insert(), [REVIEWS.values(r, created=r.created or now()) for r in reviews]
        )


def add_comments(store: Store, comments: Sequence[Comment]) -> None:
    """Insert comments in one statement, their authors registered as annotators."""
    with store.atomic():
        for author in sorted({c.author for c in comments}):
            store.ensure_annotator(author)
        store.db.conn.executemany(
            COMMENTS.insert(), [COMMENTS.values(c, created=c.created or now()) for c in comments]
        )
