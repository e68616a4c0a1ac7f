"""The Store: every read and write of a project, with typed methods.

This module and ``schema.py`` are the only places SQL appears. Methods take and
return the dataclasses of ``cisannotate.core.model``. Each public write runs in
``db.atomic()`` (nested calls become savepoints), so a failure leaves nothing
half-written and each committed call is on disk: the project file is the save
file.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..core.changes import Changes
from ..core.codebook import default_categories
from ..core.model import (
    Document,
    DocumentSummary,
    Link,
    SourceLine,
    Span,
    TRANSCRIPT,
    now,
)
from ..core.text import check_range, is_normalized
from .codebook_rows import CodebookRows
from .columns import LINKS, SOURCE_LINES, SPANS, chunked, placeholders
from .project import ProjectError, is_read_only, open_database, open_reader
from .fulltext import index_stems

# Namespace of the ids derived for projects made before ids were stored.
_PROJECT_NAMESPACE = uuid.UUID("6b0f7a52-31d4-4c8e-9d3e-2f1c5a9e7b40")


def document_from_row(row: sqlite3.Row) -> Document:
    """The Document of a ``SELECT *`` row of the documents table (read by column name)."""
    return Document(
        id=row["id"], kind=row["kind"], title=row["title"], text=row["text"], sha256=row["sha256"],
        outlet=row["outlet"], date=row["date"], event=row["event"], language=row["language"],
        url=row["url"], source_file=row["source_file"], notes=row["notes"],
        extra=json.loads(row["extra"]), created=row["created"],
    )


class ReadOnlyError(ProjectError):
    pass


class Store(CodebookRows):
    """A project's rows; the codebook and the review threads are in codebook_rows.py."""

    def __init__(self, db: Database, path: Path | None = None, read_only: bool = False) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self._text_cache: dict[str, str] = {}
        self._longest_lines: dict[str, int] = {}
        self._stored_lengths: bool | None = None

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, read_only: bool = False,
             background_check: bool = False, backup: bool = True, known: bool = False) -> "Store":
        """Open the project at ``path`` (see ``project.open_database`` for the checks and options)."""
        path = Path(path)
        db = open_database(path, create=create, read_only=read_only, background_check=background_check,
                           backup=backup, known=known)
        read_only = is_read_only(db)
        store = cls(db, path, read_only)
        if not read_only and store.get_meta("created") is None:
            store.initialise()
        if not read_only and store.get_meta("project_id") is None:
            store.set_meta("project_id", store.project_id())  # a project from before ids were stored
        return store

    @property
    def backup_problem(self) -> str:
        """Why no backup copy was taken when this project was opened for editing ("" if one was)."""
        verification = self.verification
        if verification is not None and verification.backup_problem:
            return verification.backup_problem
        return str(getattr(self.db.conn, "backup_problem", "") or "")

    def ungate(self) -> None:
        """Drop the write gate of a project whose full check has passed (nothing if none)."""
        ungate = getattr(self.db.conn, "ungate", None)
        if ungate is not None:
            ungate()

    @property
    def verification(self):
        """The full check still running beside the open project (``verify.Verification``), or None."""
        return getattr(self.db.conn, "verification", None)

    @classmethod
    def memory(cls) -> "Store":
        """A throwaway in-memory project, for tests and scratch work."""
        from .schema import migrations

        db = Database(memory=True, strict=True)
        db.conn.isolation_level = None
        db.execute("PRAGMA foreign_keys = ON")
        with db.atomic():
            migrations.apply(db)
        store = cls(db)
        store.initialise()
        return store

    def initialise(self) -> None:
        """Give a new project its default codebook."""
        with self.atomic():
            self.set_meta("created", now())
            self.set_meta("project_id", str(uuid.uuid4()))
            for category in default_categories():
                self.add_category(category)

    def reader(self) -> "Store":
        """A read-only Store over a new connection to the same file, for another thread (the
        window builds its suggestion index so while it goes on editing); close it when done.
        ProjectError for an in-memory project, which no other connection can see."""
        if self.path is None:
            raise ProjectError("an in-memory project cannot be read from another connection")
        return Store(open_reader(self.path), self.path, read_only=True)

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: the project is open read-only")
        verification = self.verification
        if verification is not None:
            if not verification.passed:
                verification.require()  # nothing is written to a file before it passed its full check
            self.ungate()
        with self.db.atomic():
            yield

    def _rows(self, sql: str, params: Sequence[Any] | dict = ()) -> list[sqlite3.Row]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]  # type: ignore[misc]

    # -------------------------------------------------------------------- meta
    def project_id(self) -> str:
        """The project's own id (a UUID), stored once in its metadata; exports make their ids with it.

        A project made before the id was stored gets one derived from its creation time, the same
        whether it is opened read-only or not (``open`` stores it at the first writable opening).
        """
        stored = self.get_meta("project_id")
        if stored:
            return stored
        return str(uuid.uuid5(_PROJECT_NAMESPACE, self.get_meta("created") or str(self.path or "")))

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.atomic():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

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
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for summary in self._summaries(f"WHERE d.id IN ({', '.join('?' * len(chunk))})", chunk):
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

    # ---------------------------------------------------------- annotators
    def annotators(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM annotators ORDER BY name").fetchall()]

    def layers(self) -> list[str]:
        """Every layer that holds annotations, in name order."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT layer FROM spans UNION SELECT layer FROM links ORDER BY 1"
            ).fetchall()
        ]

    def has_annotator(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM annotators WHERE name = ?", [name]).fetchone() is not None

    def ensure_annotator(self, name: str) -> None:
        with self.atomic():
            self.db.execute(
                "INSERT INTO annotators (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                [name, now()],
            )

    # -------------------------------------------------------------------- spans
    @staticmethod
    def _span_values(span: Span) -> list[Any]:
        """The row of ``span`` in ``SPANS`` column order, with the defaults a stored span gets."""
        created = span.created or now()
        return SPANS.values(span, layer=span.layer or span.annotator, created=created,
                            modified=span.modified or created)

    def add_span(self, span: Span) -> Changes:
        """Insert ``span`` exactly as given (its id, quote and times are kept, so undo/redo is exact)."""
        check_range(self.text(span.document_id), span.start, span.end)
        with self.atomic():
            self.ensure_annotator(span.annotator)
            self.db.execute(SPANS.insert(), self._span_values(span))
        return Changes(documents={span.document_id}, spans={span.id})

    def add_spans(self, spans: Iterable[Span]) -> Changes:
        """Insert many spans in one transaction (imports, merges)."""
        changes = Changes()
        rows = []
        for span in spans:
            check_range(self.text(span.document_id), span.start, span.end)
            rows.append(self._span_values(span))
            changes.documents.add(span.document_id)
            changes.spans.add(span.id)
        with self.atomic():
            for annotator in {r[SPANS.index("annotator")] for r in rows}:
                self.ensure_annotator(annotator)
            self.db.conn.executemany(SPANS.insert(), rows)
        return changes

    def update_span(self, span: Span) -> Changes:
        """Replace the stored row of ``span.id`` by ``span`` (its modified time included)."""
        check_range(self.text(span.document_id), span.start, span.end)
        with self.atomic():
            self.ensure_annotator(span.annotator)
            cursor = self.db.execute(SPANS.update(), self._span_values(span)[1:] + [span.id])
            if cursor.rowcount != 1:
                raise KeyError(f"no span {span.id!r} in the project")
        return Changes(documents={span.document_id}, spans={span.id})

    def delete_span(self, span_id: str) -> Changes:
        """Delete a span that has no links left (links are removed first, explicitly)."""
        span = self.span(span_id)
        with self.atomic():
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        return Changes(documents={span.document_id}, spans={span_id})

    def span(self, span_id: str) -> Span:
        row = self.db.execute(f"SELECT {SPANS.select()} FROM spans WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id!r} in the project")
        return SPANS.read(row)

    def has_span(self, span_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM spans WHERE id = ?", [span_id]).fetchone() is not None

    def spans(
        self,
        document_id: str | None = None,
        *,
        layers: Iterable[str] | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> list[Span]:
        """Spans in position order; optionally of one document, some layers, overlapping [start, end)."""
        where: list[str] = []
        params: list[Any] = []
        if document_id is not None:
            where.append("document_id = ?")
            params.append(document_id)
        if layers is not None:
            layers = list(layers)
            where.append(f"layer IN ({placeholders(len(layers))})")
            params.extend(layers)
        if start is not None and end is not None:
            where.append("char_start < ? AND char_end > ?")
            params.extend([end, start])
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        cursor = self.db.execute(
            f"SELECT {SPANS.select()} FROM spans {clause} ORDER BY document_id, char_start, char_end, id",
            params,
        )
        return [SPANS.read(r) for r in cursor.fetchall()]

    def span_positions(self, document_id: str) -> list[tuple[str, int, int, str]]:
        """(id, start, end, layer) of a document's spans in position order: what a list needs to order rows."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT id, char_start, char_end, layer FROM spans WHERE document_id = ? "
                "ORDER BY char_start, char_end, id",
                [document_id],
            ).fetchall()
        ]

    def link_counts(self, article_id: str) -> dict[str, int]:
        """How many links each span of ``article_id`` has (spans without links are left out)."""
        return {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT l.span_id, count(*) FROM links l JOIN spans s ON s.id = l.span_id "
                "WHERE s.document_id = ? GROUP BY l.span_id",
                [article_id],
            ).fetchall()
        }

    def count_spans(self, document_id: str | None = None) -> int:
        if document_id is None:
            return self.db.execute("SELECT count(*) FROM spans").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM spans WHERE document_id = ?", [document_id]).fetchone()[0]

    # -------------------------------------------------------------------- links
    @staticmethod
    def _link_values(link: Link) -> list[Any]:
        """The row of ``link`` in ``LINKS`` column order, with the defaults a stored link gets."""
        created = link.created or now()
        return LINKS.values(link, layer=link.layer or link.annotator, created=created,
                            modified=link.modified or created)

    def add_link(self, link: Link) -> Changes:
        return self.add_links([link])

    def add_links(self, links: Iterable[Link]) -> Changes:
        changes = Changes()
        rows = []
        for link in links:
            check_range(self.text(link.target_document_id), link.target_start, link.target_end)
            rows.append(self._link_values(link))
            changes.links.add(link.id)
            changes.spans.add(link.span_id)
            changes.documents.add(link.target_document_id)
        with self.atomic():
            for annotator in {r[LINKS.index("annotator")] for r in rows}:
                self.ensure_annotator(annotator)
            self.db.conn.executemany(LINKS.insert(), rows)
            # The documents of the linked spans, a query per 500 spans rather than one per link.
            for chunk in chunked(sorted(changes.spans)):
                changes.documents.update(r[0] for r in self.db.execute(
                    f"SELECT DISTINCT document_id FROM spans WHERE id IN ({placeholders(len(chunk))})", list(chunk)
                ).fetchall())
        return changes

    def update_link(self, link: Link) -> Changes:
        check_range(self.text(link.target_document_id), link.target_start, link.target_end)
        with self.atomic():
            cursor = self.db.execute(LINKS.update(), self._link_values(link)[1:] + [link.id])
            if cursor.rowcount != 1:
                raise KeyError(f"no link {link.id!r} in the project")
        return Changes(links={link.id}, spans={link.span_id},
                       documents={link.target_document_id, self.span(link.span_id).document_id})

    def delete_link(self, link_id: str) -> Changes:
        link = self.link(link_id)
        with self.atomic():
            self.db.execute("DELETE FROM links WHERE id = ?", [link_id])
        return Changes(links={link_id}, spans={link.span_id},
                       documents={link.target_document_id, self.span(link.span_id).document_id})

    def link(self, link_id: str) -> Link:
        row = self.db.execute(f"SELECT {LINKS.select()} FROM links WHERE id = ?", [link_id]).fetchone()
        if row is None:
            raise KeyError(f"no link {link_id!r} in the project")
        return LINKS.read(row)

    def links_for_span(self, span_id: str) -> list[Link]:
        cursor = self.db.execute(
            f"SELECT {LINKS.select()} FROM links WHERE span_id = ? ORDER BY char_start, id", [span_id]
        )
        return [LINKS.read(r) for r in cursor.fetchall()]

    def links(
        self,
        *,
        article_id: str | None = None,
        target_id: str | None = None,
        layers: Iterable[str] | None = None,
    ) -> list[Link]:
        """Links, optionally those from one article's spans and/or into one transcript."""
        where, params = [], []
        if article_id is not None:
            where.append("s.document_id = ?")
            params.append(article_id)
        if target_id is not None:
            where.append("k.target_document_id = ?")
            params.append(target_id)
        if layers is not None:
            layers = list(layers)
            where.append(f"k.layer IN ({placeholders(len(layers))})")
            params.extend(layers)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        cursor = self.db.execute(
            f"SELECT {LINKS.select('k')} FROM links k JOIN spans s ON s.id = k.span_id {clause} "
            "ORDER BY s.document_id, s.char_start, k.char_start, k.id",
            params,
        )
        return [LINKS.read(r) for r in cursor.fetchall()]

    def coverage(self, transcript_id: str, layers: Iterable[str] | None = None) -> dict[int, list[tuple[str, str, str]]]:
        """For each source line of a transcript: (article id, outlet, link id) of every link reaching it."""
        params: list[Any] = [self._longest_line(transcript_id), transcript_id]
        layer_clause = ""
        if layers is not None:
            layers = list(layers)
            layer_clause = f"AND k.layer IN ({placeholders(len(layers))})"
            params.extend(layers)
        cursor = self.db.execute(
            "SELECT l.number, s.document_id, d.outlet, k.id FROM links k "
            "JOIN spans s ON s.id = k.span_id JOIN documents d ON d.id = s.document_id "
            "JOIN source_lines l ON l.document_id = k.target_document_id "
            "AND l.char_start < k.char_end AND l.char_end > k.char_start "
            # No line is longer than the longest, so one reaching the link begins at most that far
            # before it. Without this bound each link scans half the transcript's lines.
            "AND l.char_start >= k.char_start - ? "
            f"WHERE k.target_document_id = ? {layer_clause} ORDER BY l.number, d.outlet",
            params,
        )
        result: dict[int, list[tuple[str, str, str]]] = {}
        for number, article, outlet, link_id in cursor.fetchall():
            result.setdefault(number, []).append((article, outlet, link_id))
        return result
