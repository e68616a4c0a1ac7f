"""The Store's documents: adding articles and transcripts with their source lines, and the
queries over them (summaries, titles, lengths, texts, lines, full-text search).

A part of ``Store`` (it mixes this in), kept apart so that store.py stays about opening
a project, spans and links.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from .connection import ProjectDatabase as Database

from ..core.changes import Changes
from ..core.model import (
    Document,
    DocumentSummary,
    SourceLine,
    TRANSCRIPT,
    now,
)
from ..core.text import check_range, is_normalized
from .columns import SOURCE_LINES, chunked, placeholders
from .fulltext import index_stems


def document_from_row(row: sqlite3.Row) -> Document:
    """The Document of a ``SELECT *`` row of the documents table (read by column name)."""
    return Document(
        id=row["id"], kind=row["kind"], title=row["title"], text=row["text"], sha256=row["sha256"],
        outlet=row["outlet"], date=row["date"], event=row["event"], language=row["language"],
        url=row["url"], source_file=row["source_file"], notes=row["notes"],
        extra=json.loads(row["extra"]), created=row["created"],
    )


class DocumentRows:
    db: Database
    _text_cache: dict[str, str]
    _longest_lines: dict[str, int]
    _stored_lengths: bool | None

    def atomic(self) -> AbstractContextManager[None]:  # provided by Store
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] | dict = ()) -> list[sqlite3.Row]:  # provided by Store
        raise NotImplementedError

    # --------------------------------------------------------------- documents
    def add_document(self, doc: Document, lines: Iterable[SourceLine] = ()) -> Changes:
        """Store a document and its source lines. The text is never changed afterwards."""
        return self.add_documents([(doc, lines)])

    def add_documents(self, items: Iterable[tuple[Document, Iterable[SourceLine]]]) -> Changes:
        """Store documents with their source lines in one transaction (an import's many files).

        All or none: a text that is not normalised, or a line outside its text, stores nothing.
        """
        checked = []
        for doc, lines in items:
            if not is_normalized(doc.text):
                # Every way in (import, merge, the sample, scripts) normalises first, so the
                # offsets the window shows and the offsets stored count the same characters.
                raise ValueError(f"{doc.source_file or doc.title or doc.id}: the text is not normalised "
                                 "(core.text.normalize_text) and was not stored")
            lines = list(lines)
            for line in lines:
                check_range(doc.text, line.start, line.end)
            checked.append((doc, lines))
        conn = self.db.conn
        with self.atomic():
            for doc, lines in checked:
                rowid = conn.execute(
                    "INSERT INTO documents (id, kind, title, outlet, date, event, language, url, "
                    "source_file, notes, extra, sha256, text, created, length) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        doc.id, doc.kind, doc.title, doc.outlet, doc.date, doc.event, doc.language,
                        doc.url, doc.source_file, doc.notes, json.dumps(doc.extra, sort_keys=True),
                        doc.sha256, doc.text, doc.created or now(), len(doc.text),
                    ],
                ).lastrowid
                assert rowid is not None  # an INSERT into a rowid table always names its row
                if lines:
                    conn.executemany(
                        "INSERT INTO source_lines (document_id, number, char_start, char_end, paragraph, speaker) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [(doc.id, ln.number, ln.start, ln.end, ln.paragraph, ln.speaker) for ln in lines],
                    )
                conn.execute("INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)",
                             [rowid, doc.title, doc.text])
                index_stems(self.db, rowid, doc.text, doc.language)
        return Changes(corpus=True, documents={doc.id for doc, _ in checked})

    def documents_by_sha(self, shas: Iterable[str]) -> dict[str, DocumentSummary]:
        """The documents already holding these texts (by SHA-256), keyed by the hash."""
        wanted = list(dict.fromkeys(shas))
        found: dict[str, DocumentSummary] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for summary in self._summaries(f"WHERE d.sha256 IN ({', '.join('?' * len(chunk))})", chunk):
                found.setdefault(summary.sha256, summary)
        return found

    def document_by_sha(self, sha256: str) -> DocumentSummary | None:
        rows = self._summaries("WHERE d.sha256 = ?", [sha256])
        return rows[0] if rows else None

    def document(self, document_id: str) -> Document:
        rows = self._rows("SELECT * FROM documents WHERE id = ?", [document_id])
        if not rows:
            raise KeyError(f"no document {document_id!r} in the project")
        return document_from_row(rows[0])

    def text(self, document_id: str) -> str:
        """A document's text; cached, since texts never change."""
        if document_id not in self._text_cache:
            row = self.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
            if row is None:
                raise KeyError(f"no document {document_id!r} in the project")
            self._text_cache[document_id] = row[0]
        return self._text_cache[document_id]

    @property
    def stored_lengths(self) -> bool:
        """Whether the documents' lengths are stored (schema 4 and later; an older project
        opened read-only is read as it is, its lengths counted from the texts)."""
        if self._stored_lengths is None:
            # A read, not a PRAGMA: a connection whose writes wait for the full check allows reads only.
            columns = {d[0] for d in self.db.execute("SELECT * FROM documents LIMIT 0").description}
            self._stored_lengths = "length" in columns
        return self._stored_lengths

    def _summaries(self, where: str = "", params: Sequence[Any] = ()) -> list[DocumentSummary]:
        # The stored length keeps the texts unread: with it, the listing comes from an index.
        length = "d.length" if self.stored_lengths else "length(d.text)"
        cursor = self.db.execute(
            "SELECT d.id, d.kind, d.title, d.outlet, d.date, d.event, d.language, d.source_file, "
            f"d.sha256, {length} AS length, "
            "(SELECT count(*) FROM source_lines l WHERE l.document_id = d.id) AS source_lines, "
            "(SELECT count(*) FROM spans s WHERE s.document_id = d.id) AS annotations, "
            "(SELECT count(*) FROM links k JOIN spans s ON s.id = k.span_id "
            " WHERE s.document_id = d.id) AS links "
            f"FROM documents d {where} ORDER BY d.event, d.kind DESC, d.date, d.title, d.id",
            params,
        )
        return [DocumentSummary(*row) for row in cursor]  # the columns in the summary's order

    def documents(self) -> list[DocumentSummary]:
        """Every document, grouped by event with the transcript first."""
        # The counts of the whole corpus in one pass over each table's index, not three
        # look-ups per document: the listing of an archive comes from indexes alone.
        length = "d.length" if self.stored_lengths else "length(d.text)"
        counts = [
            dict(self.db.execute(sql).fetchall()) for sql in (
                "SELECT document_id, count(*) FROM source_lines GROUP BY document_id",
                "SELECT document_id, count(*) FROM spans GROUP BY document_id",
                "SELECT s.document_id, count(*) FROM links k JOIN spans s ON s.id = k.span_id GROUP BY s.document_id",
            )
        ]
        lines, spans, links = (c.get for c in counts)
        cursor = self.db.execute(
            "SELECT d.id, d.kind, d.title, d.outlet, d.date, d.event, d.language, d.source_file, "
            f"d.sha256, {length} FROM documents d ORDER BY d.event, d.kind DESC, d.date, d.title, d.id"
        )
        return [DocumentSummary(*(*row, lines(row[0], 0), spans(row[0], 0), links(row[0], 0))) for row in cursor]

    def document_order(self) -> list[str]:
        """The ids of every document in the order of ``documents()``, from an index (no counts, no texts)."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents ORDER BY event, kind DESC, date, title, id").fetchall()]

    def _column_of(self, column: str, document_ids: Iterable[str] | None) -> dict[str, Any]:
        if document_ids is None:
            return dict(self.db.execute(f"SELECT id, {column} FROM documents").fetchall())
        ids = list(dict.fromkeys(document_ids))
        found: dict[str, Any] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found.update(self.db.execute(
                f"SELECT id, {column} FROM documents WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall())
        return found

    def titles(self, document_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Each document's title (of these documents only, when given)."""
        return self._column_of("title", document_ids)

    def lengths(self, document_ids: Iterable[str] | None = None) -> dict[str, int]:
        """Each document's length in code points (of these documents only, when given)."""
        return self._column_of("length" if self.stored_lengths else "length(text)", document_ids)

    def documents_by_id(self, document_ids: Iterable[str]) -> dict[str, DocumentSummary]:
        """The summaries of these documents only (a search's hits, say, in a corpus of thousands)."""
        ids = list(dict.fromkeys(document_ids))
        found: dict[str, DocumentSummary] = {}
        for chunk in chunked(ids):
            for summary in self._summaries(f"WHERE d.id IN ({placeholders(len(chunk))})", chunk):
                found[summary.id] = summary
        return found

    def document_ids(self, kind: str | None = None) -> set[str]:
        """The ids of every document (of this kind)."""
        if kind is None:
            return {r[0] for r in self.db.execute("SELECT id FROM documents").fetchall()}
        return {r[0] for r in self.db.execute("SELECT id FROM documents WHERE kind = ?", [kind]).fetchall()}

    def resolve_document(self, ref: str) -> DocumentSummary:
        """Find a document by id, unique id prefix, source file name or exact title."""
        for where, params in (
            ("WHERE d.id = ?", [ref]),
            ("WHERE d.source_file = ?", [ref]),
            ("WHERE d.title = ?", [ref]),
            ("WHERE d.id LIKE ? || '%'", [ref]),
        ):
            found = self._summaries(where, params)
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise KeyError(f"{ref!r} names {len(found)} documents; use the id")
        raise KeyError(f"no document {ref!r} in the project")

    def transcripts_for(self, document_id: str) -> list[DocumentSummary]:
        """The transcripts of the document's event: what an article is read against."""
        row = self.db.execute("SELECT event FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is None or not row[0]:
            return []
        return self._summaries("WHERE d.event = ? AND d.kind = ?", [row[0], TRANSCRIPT])

    def transcripts(self) -> list[DocumentSummary]:
        return self._summaries("WHERE d.kind = ?", [TRANSCRIPT])

    def source_lines(self, document_id: str) -> list[SourceLine]:
        cursor = self.db.execute(
            f"SELECT {SOURCE_LINES.select()} FROM source_lines WHERE document_id = ? ORDER BY number", [document_id]
        )
        return [SOURCE_LINES.read(r) for r in cursor.fetchall()]

    def _longest_line(self, document_id: str) -> int:
        """The length of the document's longest source line (lines never change once stored)."""
        if document_id not in self._longest_lines:
            row = self.db.execute(
                "SELECT max(char_end - char_start) FROM source_lines WHERE document_id = ?", [document_id]
            ).fetchone()
            if row[0] is None:
                return 0  # no lines (yet): nothing to cache
            self._longest_lines[document_id] = row[0]
        return self._longest_lines[document_id]

    def lines_in_range(self, document_id: str, start: int, end: int) -> list[int]:
        """Numbers of the source lines that overlap ``[start, end)``."""
        # No line is longer than the longest, so one reaching ``start`` begins at most that far
        # before it: the lower bound keeps the index scan short on a 10,000-line transcript.
        return [
            r[0]
            for r in self.db.execute(
                "SELECT number FROM source_lines WHERE document_id = ? AND char_start < ? AND char_end > ? "
                "AND char_start >= ? ORDER BY number",
                [document_id, end, start, start - self._longest_line(document_id)],
            ).fetchall()
        ]

    def search(self, query: str, limit: int = 200) -> list[tuple[str, int, int]]:
        """Corpus search (see core/search_query.py for the query language): (document id, start, end)
        of each hit, in code points. An unreadable query finds nothing."""
        from ..core.search_query import QueryError
        from .fulltext import find_hits

        try:
            return find_hits(self, query, limit=limit)[0]
        except QueryError:
            return []

