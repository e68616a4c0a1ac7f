"""Bulk reads and writes for exchanging annotations between projects.

A merge of a colleague's file looks up tens of thousands of ids at once and
writes reviews and comments by the thousand; the Store's one-row methods would
take a query per item. These functions take a Store, speak SQL (this package is
where SQL lives) and return the model's dataclasses, except ``span_rows`` and
``link_rows``: an export of 100,000 annotations turns every span and link into
a record at once, and building a frozen dataclass for each first took longer
than writing the JSON, so those two return plain rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..core.model import Comment, Document, Link, Review, SourceLine, Span, now
from .store import Store

# Well under SQLite's limit on bound parameters (32766 since 3.32, 999 before).
_CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for at in range(0, len(ids), _CHUNK):
        yield ids[at : at + _CHUNK]


def _select_by_id(store: Store, table: str, columns: str, ids: Iterable[str]) -> list[Sequence[Any]]:
    found: list[Sequence[Any]] = []
    unique = sorted(set(ids))
    for chunk in _chunks(unique):
        found.extend(
            store.db.execute(
                f"SELECT {columns} FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})", list(chunk)
            ).fetchall()
        )
    return found


def spans_by_id(store: Store, ids: Iterable[str]) -> dict[str, Span]:
    """The project's spans among ``ids``, by id (absent ids are simply missing)."""
    return {
        row[0]: Store._span(row) for row in _select_by_id(store, "spans", Store._SPAN_COLUMNS, ids)
    }


def links_by_id(store: Store, ids: Iterable[str]) -> dict[str, Link]:
    return {
        row[0]: Store._link(row) for row in _select_by_id(store, "links", Store._LINK_COLUMNS, ids)
    }


def reviews_by_id(store: Store, ids: Iterable[str]) -> dict[str, Review]:
    columns = "id, item_a, item_b, decision, reviewer, result_id, comment, created"
    return {row[0]: Review(*row) for row in _select_by_id(store, "reviews", columns, ids)}


def comments_by_id(store: Store, ids: Iterable[str]) -> dict[str, Comment]:
    columns = "id, target_id, author, text, created"
    return {row[0]: Comment(*row) for row in _select_by_id(store, "comments", columns, ids)}


def all_documents(store: Store) -> list[Document]:
    """Every document with its text in one query, in the order of ``Store.documents()``."""
    return [
        Store._document(row)
        for row in store._rows("SELECT * FROM documents ORDER BY event, kind DESC, date, title, id")
    ]


def all_source_lines(store: Store) -> dict[str, list[SourceLine]]:
    """Every transcript's numbered lines in one query, by document id."""
    lines: dict[str, list[SourceLine]] = {}
    for row in store.db.execute(
        "SELECT document_id, number, char_start, char_end, paragraph, speaker FROM source_lines "
        "ORDER BY document_id, number"
    ).fetchall():
        lines.setdefault(row[0], []).append(SourceLine(*row))
    return lines


# The columns of span_rows() and link_rows(): those of Store.spans() and Store.links() without the
# stored quote, prefix and suffix (an export slices them from the document text), positions as
# ``start``/``end``. ``no_source`` is the stored 0 or 1, not a bool.
SPAN_ROW_COLUMNS = (
    "id", "document_id", "start", "end", "category_id", "speaker_id", "mode", "channel_id", "note",
    "no_source", "layer", "annotator", "created", "modified",
)
LINK_ROW_COLUMNS = (
    "id", "span_id", "target_document_id", "target_start", "target_end", "relation", "note", "layer",
    "annotator", "created", "modified",
)


def _layer_clause(column: str, layers: list[str] | None) -> str:
    return "" if layers is None else f"WHERE {column} IN ({', '.join('?' * len(layers))})"


def span_rows(store: Store, layers: Iterable[str] | None = None) -> list[tuple[Any, ...]]:
    """The spans of ``Store.spans(layers=layers)``, in its order, as tuples of ``SPAN_ROW_COLUMNS``."""
    layers = None if layers is None else list(layers)
    # NOT INDEXED: one pass over the table and a sort beats walking the (document, start) index,
    # which visits the rows in random order; the order is the same, the id settles every tie.
    return store.db.execute(
        "SELECT id, document_id, char_start, char_end, category_id, speaker_id, mode, channel_id, note, "
        f"no_source, layer, annotator, created, modified FROM spans NOT INDEXED {_layer_clause('layer', layers)} "
        "ORDER BY document_id, char_start, char_end, id",
        layers or [],
    ).fetchall()


def link_rows(store: Store, layers: Iterable[str] | None = None) -> list[tuple[Any, ...]]:
    """The links of ``Store.links(layers=layers)``, in its order, as tuples of ``LINK_ROW_COLUMNS``."""
    layers = None if layers is None else list(layers)
    return store.db.execute(
        "SELECT k.id, k.span_id, k.target_document_id, k.char_start, k.char_end, k.relation, k.note, k.layer, "
        "k.annotator, k.created, k.modified FROM links k JOIN spans s ON s.id = k.span_id "
        f"{_layer_clause('k.layer', layers)} ORDER BY s.document_id, s.char_start, k.char_start, k.id",
        layers or [],
    ).fetchall()


def add_reviews(store: Store, reviews: Sequence[Review]) -> None:
    """Insert reviews in one statement, their reviewers registered as annotators."""
    with store.atomic():
        for reviewer in sorted({r.reviewer for r in reviews}):
            store.ensure_annotator(reviewer)
        store.db.conn.executemany(
            "INSERT INTO reviews (id, item_a, item_b, decision, reviewer, result_id, comment, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (r.id, r.item_a, r.item_b, r.decision, r.reviewer, r.result_id, r.comment, r.created or now())
                for r in reviews
            ],
        )


def add_comments(store: Store, comments: Sequence[Comment]) -> None:
    """Insert comments in one statement, their authors registered as annotators."""
    with store.atomic():
        for author in sorted({c.author for c in comments}):
            store.ensure_annotator(author)
        store.db.conn.executemany(
            "INSERT INTO comments (id, target_id, author, text, created) VALUES (?, ?, ?, ?, ?)",
            [(c.id, c.target_id, c.author, c.text, c.created or now()) for c in comments],
        )
