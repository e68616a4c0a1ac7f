"""The corpus listing, read a part at a time: events with their counts, an event's documents,
the events a filter text finds, and the few values that size the listing's columns.

The corpus navigator reads these instead of every document's summary: an archive of
50,000 documents shows its 500 events from one grouped pass over an index, and an
event's documents are read when the event is opened. A filter is one query over the
listing's covering index (``documents_listing``), not a pass in Python over every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.model import TRANSCRIPT, DocumentSummary
from .columns import chunked, placeholders

# What a document is called in the listing: its title, else its file, else its id.
_NAME = "coalesce(nullif(d.title, ''), nullif(d.source_file, ''), d.id)"
# The fields a filter looks in: each is tested alone (no text is built per row), and
# as one text for the rows Python folds (a filter text never holds a line break).
_COLUMNS = (_NAME, "d.outlet", "d.date")
_FIELDS = f"({_NAME} || char(10) || d.outlet || char(10) || d.date)"
_CONTAINS = "cisannotate_folded_contains"


@dataclass(frozen=True)
class EventCount:
    """An event key with the number of its documents, transcripts and annotations."""

    event: str
    documents: int
    transcripts: int
    annotations: int


def _folded_contains(fields: str | None, needle: str) -> bool:
    return fields is not None and needle in fields.casefold()


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class CorpusListing:
    """Queries of the listing over one store's connection (read only)."""

    def __init__(self, store) -> None:
        self._store = store
        self._unfolded: bool | None = None  # whether any listed field holds a character outside ASCII

    @property
    def _db(self):
        return self._store.db

    def events(self) -> list[EventCount]:
        """Every event key (in no particular order) with its counts, from grouped passes over indexes."""
        annotations = dict(self._db.execute(
            "SELECT d.event, count(*) FROM spans s JOIN documents d ON d.id = s.document_id GROUP BY d.event"
        ).fetchall())
        return [EventCount(event, documents, transcripts or 0, annotations.get(event, 0))
                for event, documents, transcripts in self._db.execute(
                    "SELECT event, count(*), sum(kind = ?) FROM documents GROUP BY event", [TRANSCRIPT])]

    def annotations_of_events(self, events: Iterable[str]) -> dict[str, int]:
        """The number of annotations in each of these events."""
        found = dict.fromkeys(events, 0)
        for chunk in chunked(list(found)):
            found.update(self._db.execute(
                "SELECT d.event, count(*) FROM spans s JOIN documents d ON d.id = s.document_id "
                f"WHERE d.event IN ({placeholders(len(chunk))}) GROUP BY d.event", chunk).fetchall())
        return found

    def event_documents(self, event: str) -> list[DocumentSummary]:
        """The summaries (with their counts) of one event's documents."""
        return self._store._summaries("WHERE d.event = ?", [event])

    def event_of(self, document_id: str) -> str | None:
        """The event key of a document, None when there is no such document."""
        row = self._db.execute("SELECT event FROM documents WHERE id = ?", [document_id]).fetchone()
        return None if row is None else row[0]

    def existing(self, document_ids: Iterable[str]) -> set[str]:
        """Those of these documents that are in the project."""
        found: set[str] = set()
        for chunk in chunked(list(dict.fromkeys(document_ids))):
            found.update(r[0] for r in self._db.execute(
                f"SELECT id FROM documents WHERE id IN ({placeholders(len(chunk))})", chunk))
        return found

    def first_document(self, *, article: bool = False, article_with_transcript: bool = False) -> str | None:
        """The first document in the listing's order (by event, the transcript first); with
        ``article``, the first that is not a transcript; with ``article_with_transcript``, the
        first of those whose event has a transcript."""
        where = ""
        if article or article_with_transcript:
            where = "WHERE d.kind != :t"
        if article_with_transcript:
            where += (" AND d.event != '' AND EXISTS "
                      "(SELECT 1 FROM documents t WHERE t.event = d.event AND t.kind = :t)")
        row = self._db.execute(f"SELECT d.id FROM documents d {where} "
                               "ORDER BY d.event, d.kind DESC, d.date, d.title, d.id LIMIT 1", {"t": TRANSCRIPT}).fetchone()
        return None if row is None else row[0]

    def step(self, document_id: str | None, direction: int) -> str | None:
        """The document after (``direction`` > 0) or before ``document_id`` in the order of
        ``Store.document_order``, round from the last to the first; the first (or last) when
        ``document_id`` is None or not in the project. A few seeks in the listing's index,
        not a read of every id."""
        forward = direction > 0
        row = None if document_id is None else self._db.execute(
            "SELECT event, kind, date, title, id FROM documents WHERE id = ?", [document_id]).fetchone()
        after, before = (">", "<") if forward else ("<", ">")
        order = "ORDER BY event {0}, kind {1}, date {0}, title {0}, id {0} LIMIT 1".format(
            *(("", "DESC") if forward else ("DESC", "")))
        queries = []
        if row is not None:
            event, kind, date, title, doc_id = row
            queries = [  # the next within the same event and kind, then of the next kind, then the next event
                (f"WHERE event = ? AND kind = ? AND (date, title, id) {after} (?, ?, ?)", [event, kind, date, title, doc_id]),
                (f"WHERE event = ? AND kind {before} ?", [event, kind]),
                (f"WHERE event {after} ?", [event]),
            ]
        queries.append(("", []))  # round to the first (or the last)
        for where, params in queries:
            found = self._db.execute(f"SELECT id FROM documents {where} {order}", params).fetchone()
            if found is not None:
                return found[0]
        return None

    def events_matching(self, needle: str, events: Iterable[str], kinds: Iterable[str] = ()) -> set[str]:
        """Those of ``events`` holding a document whose name, outlet or date contains ``needle``
        (already case folded), or whose kind is one of ``kinds``.

        Each event is asked whether it has one such document: the search of an event stops at
        its first match, so a short filter text (which most events match) reads a few rows of
        each, and narrowing a filter reads the events still shown only.
        SQLite's LIKE folds ASCII letters only: when a listed field holds other characters the
        rows LIKE leaves are asked again with Python's case folding, so both find the same."""
        import json

        kinds = list(kinds)
        params: dict[str, object] = {"pattern": _like_pattern(needle), "needle": needle,
                                     "events": json.dumps(list(events))}
        tests = [f"{column} LIKE :pattern ESCAPE '\\'" for column in _COLUMNS]
        if self._has_unfolded():
            self._db.conn.create_function(_CONTAINS, 2, _folded_contains, deterministic=True)
            tests.append(f"{_CONTAINS}({_FIELDS}, :needle)")
        if kinds:
            params.update({f"k{n}": kind for n, kind in enumerate(kinds)})
            tests.insert(0, f"d.kind IN ({', '.join(f':k{n}' for n in range(len(kinds)))})")
        return {r[0] for r in self._db.execute(
            "SELECT e.value FROM json_each(:events) AS e WHERE EXISTS "
            f"(SELECT 1 FROM documents d WHERE d.event = e.value AND ({' OR '.join(tests)}))", params)}

    def prepare(self) -> None:
        """Learn now (the window does it once it is up) what the first filter would otherwise
        learn: whether any listed field holds a character outside ASCII (one pass over an index).
        Nothing when the project was closed meanwhile (the window closing)."""
        import sqlite3

        try:
            self._has_unfolded()
        except sqlite3.ProgrammingError:  # a closed connection: the first filter, if any, learns it
            self._unfolded = None

    def _has_unfolded(self) -> bool:
        if self._unfolded is None:
            # A text is ASCII when its bytes are as many as its characters; each column alone
            # (no text built per row).
            wider = " OR ".join(f"length(CAST(d.{c} AS BLOB)) != length(d.{c})"
                                for c in ("title", "source_file", "id", "outlet", "date"))
            self._unfolded = self._db.execute(
                f"SELECT EXISTS (SELECT 1 FROM documents d WHERE {wider})").fetchone()[0] == 1
        return self._unfolded

    def forget(self) -> None:
        """The corpus changed (an import, a merge): what was learnt of its fields no longer holds."""
        self._unfolded = None

    def widest(self, column: str, limit: int = 200) -> list[str]:
        """The distinct values of ``column`` ("outlet" or "date") within two characters of the
        longest: the ones that may be the widest on screen."""
        if column not in ("outlet", "date"):
            raise ValueError(f"not a listed column: {column}")
        return [r[0] for r in self._db.execute(
            f"SELECT DISTINCT {column} FROM documents WHERE length({column}) >= "
            f"(SELECT max(length({column})) FROM documents) - 2 LIMIT ?", [limit])]

    def annotation_counts(self) -> set[int]:
        """The distinct numbers of annotations a document has (0 included)."""
        return {0} | {r[0] for r in self._db.execute(
            "SELECT DISTINCT n FROM (SELECT count(*) AS n FROM spans GROUP BY document_id)")}
