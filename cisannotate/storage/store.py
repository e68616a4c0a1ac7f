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
        self.closed = False  # views that read as they draw stop reading once it is closed

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
        self.closed = True
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
        # The spans' layers by stepping through their index from one layer to the next (a few
        # lookups, where a scan reads 10,000 entries); the list asks after every edit.
        return [
            r[0]
            for r in self.db.execute(
                "WITH RECURSIVE span_layers(layer) AS ("
                "SELECT min(layer) FROM spans UNION ALL "
                "SELECT (SELECT min(layer) FROM spans WHERE layer > span_layers.layer) FROM span_layers "
                "WHERE span_layers.layer IS NOT NULL) "
                "SELECT layer FROM span_layers WHERE layer IS NOT NULL UNION SELECT layer FROM links ORDER BY 1"
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
        return Changes(documents={span.document_id}, spans={span.id}, places={span.id: None})

    def add_spans(self, spans: Iterable[Span]) -> Changes:
        """Insert many spans in one transaction (imports, merges)."""
        changes = Changes()
        rows = []
        for span in spans:
            check_range(self.text(span.document_id), span.start, span.end)
            rows.append(self._span_values(span))
            changes.documents.add(span.document_id)
            changes.spans.add(span.id)
            changes.places[span.id] = None
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
            was = self.db.execute(
                "SELECT document_id, char_start, char_end FROM spans WHERE id = ?", [span.id]
            ).fetchone()
            cursor = self.db.execute(SPANS.update(), self._span_values(span)[1:] + [span.id])
            if cursor.rowcount != 1:
                raise KeyError(f"no span {span.id!r} in the project")
        return Changes(documents={span.document_id}, spans={span.id}, places={span.id: tuple(was)})

    def delete_span(self, span_id: str) -> Changes:
        """Delete a span that has no links left (links are removed first, explicitly)."""
        span = self.span(span_id)
        with self.atomic():
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        return Changes(documents={span.document_id}, spans={span_id},
                       places={span_id: (span.document_id, span.start, span.end)})

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

    def span_extent(self, document_id: str) -> tuple[int, int]:
        """How many spans a document has, and the length of its longest (0 when none)."""
        row = self.db.execute(
            "SELECT count(*), max(char_end - char_start) FROM spans WHERE document_id = ?", [document_id]
        ).fetchone()
        return row[0], row[1] or 0

    def spans_overlapping(self, document_id: str, start: int, end: int, longest: int) -> list[Span]:
        """A document's spans that overlap [start, end), ordered by start, longer first, then id.

        ``longest`` is at least the length of the document's longest span: a span reaching
        ``start`` begins at most that far before it, so the index on (document, start) is read
        over ``[start - longest, end)`` only, wherever the range lies in a long document.
        """
        cursor = self.db.execute(
            f"SELECT {SPANS.select()} FROM spans WHERE document_id = ? AND char_start < ? AND char_start >= ? "
            "AND char_end > ? ORDER BY char_start, char_end DESC, id",
            [document_id, end, start - longest, start],
        )
        return [SPANS.read(r) for r in cursor.fetchall()]

    def span_in(self, document_id: str, span_id: str) -> Span | None:
        """The span ``span_id`` if the document has it, else None."""
        row = self.db.execute(
            f"SELECT {SPANS.select()} FROM spans WHERE id = ? AND document_id = ?", [span_id, document_id]
        ).fetchone()
        return None if row is None else SPANS.read(row)

    def span_ranges(self, document_id: str, span_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(start, end) of each of these spans that the document has."""
        ids = list(dict.fromkeys(span_ids))
        ranges: dict[str, tuple[int, int]] = {}
        for chunk in chunked(ids):
            for span_id, start, end in self.db.execute(
                f"SELECT id, char_start, char_end FROM spans WHERE document_id = ? AND id IN "
                f"({placeholders(len(chunk))})",
                [document_id, *chunk],
            ):
                ranges[span_id] = (start, end)
        return ranges

    def span_page(self, document_id: str, offset: int, limit: int) -> list[Span]:
        """``limit`` spans of a document from the ``offset``-th on, in reading order (start, end, id)."""
        # Skipping ``offset`` rows in full order would read each skipped row for its end and id:
        # the start of the offset-th is found in the (document, start) index alone, and the
        # rows are read from the first with that start.
        row = self.db.execute(
            "SELECT char_start FROM spans WHERE document_id = ? ORDER BY char_start LIMIT 1 OFFSET ?",
            [document_id, offset],
        ).fetchone()
        if row is None:
            return []
        start = row[0]
        skip = offset - self.db.execute(
            "SELECT count(*) FROM spans WHERE document_id = ? AND char_start < ?", [document_id, start]
        ).fetchone()[0]
        cursor = self.db.execute(
            f"SELECT {SPANS.select()} FROM spans WHERE document_id = ? AND char_start >= ? "
            "ORDER BY char_start, char_end, id LIMIT ?",
            [document_id, start, skip + limit],
        )
        return [SPANS.read(r) for r in cursor.fetchall()[skip:]]

    def span_rank(self, document_id: str, start: int, end: int, span_id: str) -> int:
        """How many of a document's spans come before (start, end, span_id) in reading order."""
        # Those starting earlier are counted in the (document, start) index alone; only the few
        # starting at the same place are read to compare their ends and ids.
        return self.db.execute(
            "SELECT (SELECT count(*) FROM spans WHERE document_id = ? AND char_start < ?) + "
            "(SELECT count(*) FROM spans WHERE document_id = ? AND char_start = ? AND (char_end, id) < (?, ?))",
            [document_id, start, document_id, start, end, span_id],
        ).fetchone()[0]

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
            # The documents and places of the linked spans (which links do not move), a query per
            # 500 spans rather than one per link.
            for chunk in chunked(sorted(changes.spans)):
                for span_id, document_id, start, end in self.db.execute(
                    f"SELECT id, document_id, char_start, char_end FROM spans WHERE id IN ({placeholders(len(chunk))})",
                    list(chunk),
                ).fetchall():
                    changes.documents.add(document_id)
                    changes.places[span_id] = (document_id, start, end)
        return changes

    def update_link(self, link: Link) -> Changes:
        check_range(self.text(link.target_document_id), link.target_start, link.target_end)
        with self.atomic():
            cursor = self.db.execute(LINKS.update(), self._link_values(link)[1:] + [link.id])
            if cursor.rowcount != 1:
                raise KeyError(f"no link {link.id!r} in the project")
        span = self.span(link.span_id)
        return Changes(links={link.id}, spans={link.span_id}, documents={link.target_document_id, span.document_id},
                       places={span.id: (span.document_id, span.start, span.end)})

    def delete_link(self, link_id: str) -> Changes:
        link = self.link(link_id)
        with self.atomic():
            self.db.execute("DELETE FROM links WHERE id = ?", [link_id])
        span = self.span(link.span_id)
        return Changes(links={link_id}, spans={link.span_id}, documents={link.target_document_id, span.document_id},
                       places={span.id: (span.document_id, span.start, span.end)})

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

    def longest_link(self, transcript_id: str) -> int:
        """The length of the longest link into a transcript (0 when none)."""
        row = self.db.execute(
            "SELECT max(char_end - char_start) FROM links WHERE target_document_id = ?", [transcript_id]
        ).fetchone()
        return row[0] or 0

    def coverage(self, transcript_id: str, layers: Iterable[str] | None = None, *,
                 lines: tuple[int, int, int] | None = None) -> dict[int, list[tuple[str, str, str]]]:
        """For each source line of a transcript: (article id, outlet, link id) of every link reaching it,
        by outlet then link id. ``lines``: (first, last, longest) to read the lines numbered first to
        last only, where ``longest`` is at least the length of the longest link into the transcript
        (``longest_link``): the lines are read first, and the links near each by their index."""
        layer_clause = ""
        layer_params: list[Any] = []
        if layers is not None:
            layer_params = list(layers)
            layer_clause = f"AND k.layer IN ({placeholders(len(layer_params))})"
        if lines is not None:
            first, last, longest = lines
            cursor = self.db.execute(
                "SELECT l.number, s.document_id, d.outlet, k.id FROM source_lines l "
                "JOIN links k ON k.target_document_id = l.document_id "
                "AND k.char_start < l.char_end AND k.char_end > l.char_start AND k.char_start >= l.char_start - ? "
                "JOIN spans s ON s.id = k.span_id JOIN documents d ON d.id = s.document_id "
                f"WHERE l.document_id = ? AND l.number BETWEEN ? AND ? {layer_clause} "
                "ORDER BY l.number, d.outlet, k.id",
                [longest, transcript_id, first, last, *layer_params],
            )
        else:
            cursor = self.db.execute(
                "SELECT l.number, s.document_id, d.outlet, k.id FROM links k "
                "JOIN spans s ON s.id = k.span_id JOIN documents d ON d.id = s.document_id "
                "JOIN source_lines l ON l.document_id = k.target_document_id "
                "AND l.char_start < k.char_end AND l.char_end > k.char_start "
                # No line is longer than the longest, so one reaching the link begins at most that far
                # before it. Without this bound each link scans half the transcript's lines.
                "AND l.char_start >= k.char_start - ? "
                f"WHERE k.target_document_id = ? {layer_clause} ORDER BY l.number, d.outlet, k.id",
                [self._longest_line(transcript_id), transcript_id, *layer_params],
            )
        result: dict[int, list[tuple[str, str, str]]] = {}
        for number, article, outlet, link_id in cursor.fetchall():
            result.setdefault(number, []).append((article, outlet, link_id))
        return result
