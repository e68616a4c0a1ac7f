"""The Store: every read and write of a project, with typed methods.

This module and ``schema.py`` are the only places SQL appears. Methods take and
return the dataclasses of ``cisannotate.core.model``. Each public write runs in
``db.atomic()`` (nested calls become savepoints), so a failure leaves nothing
half-written and each committed call is on disk: the project file is the save
file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.changes import Changes
from ..core.codebook import default_categories
from ..core.model import (
    Link,
    Span,
    now,
)
from ..core.text import check_range
from .codebook_rows import CodebookRows
from .connection import ProjectDatabase
from .columns import LINKS, SPANS, chunked, placeholders
from .document_rows import DocumentRows, document_from_row  # noqa: F401 (re-exported)
from .project import ProjectError, is_read_only, open_database, open_reader

# Namespace of the ids derived for projects made before ids were stored.
_PROJECT_NAMESPACE = "6b0f7a52-31d4-4c8e-9d3e-2f1c5a9e7b40"  # uuid is imported where an id is made


class ReadOnlyError(ProjectError):
    pass


class Store(CodebookRows, DocumentRows):
    """A project's rows; the codebook and the review threads are in codebook_rows.py, the
    documents and their queries in document_rows.py."""

    def __init__(self, db: ProjectDatabase, path: Path | None = None, read_only: bool = False) -> None:
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

        conn = sqlite3.connect(":memory:")
        conn.isolation_level = None
        db = ProjectDatabase(conn)
        db.execute("PRAGMA foreign_keys = ON")
        utils = db.utils
        with db.atomic():
            migrations.apply(utils)
        store = cls(db)
        store.initialise()
        return store

    def initialise(self) -> None:
        """Give a new project its default codebook."""
        with self.atomic():
            self.set_meta("created", now())
            import uuid

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
        import uuid

        return str(uuid.uuid5(uuid.UUID(_PROJECT_NAMESPACE), self.get_meta("created") or str(self.path or "")))

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
