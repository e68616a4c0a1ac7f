"""The corpus search indexes: SQLite FTS5 over the words, and over their stems.

``documents_fts`` (the words, case and Latin diacritics folded) answers prefix
queries; ``documents_stems`` holds each document's words as stems in the
document's own language (Snowball), so "revolution" finds "revolutions" in an
English text and "революция" finds "революции" in a Russian one. Both only narrow
the documents down: ``core.search_query.find`` places every hit exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from ..core.search_query import stems_of


def index_stems(db: Database, rowid: int, text: str, language: str) -> None:
    """Add one document's stems to the stem index (inside the caller's transaction)."""
    db.execute("INSERT INTO documents_stems (rowid, stems) VALUES (?, ?)", [rowid, stems_of(text, language)])


def build_stem_index(db: Database) -> None:
    """Index every document (a project made before the stem index existed)."""
    rows = db.execute("SELECT rowid, text, language FROM documents").fetchall()
    db.conn.executemany("INSERT INTO documents_stems (rowid, stems) VALUES (?, ?)",
                        [(rowid, stems_of(text, language)) for rowid, text, language in rows])


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def candidates(db: Database, groups: Iterable[list[tuple[str, str]]]) -> set[int]:
    """The rowids of documents holding every item of at least one group (see search_query.fts_terms)."""
    found: set[int] = set()
    for items in groups:
        group: set[int] | None = None
        for kind, value in items:
            if kind == "prefix":
                sql = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?"
                match = f"text : {_quoted(value)} *"
            else:
                sql = "SELECT rowid FROM documents_stems WHERE documents_stems MATCH ?"
                match = "stems : (" + " OR ".join(_quoted(s) for s in value.split()) + ")"
            rows = {r[0] for r in db.execute(sql, [match]).fetchall()}
            group = rows if group is None else group & rows
            if not group:
                break
        found |= group or set()
    return found


def find_hits(store, query, *, regex: bool = False, limit: int = 1000,
              document_ids: set[str] | None = None) -> tuple[list[tuple[str, int, int]], bool]:
    """The hits of ``query`` (its text) across the corpus: (document id, start, end), in corpus order.

    Returns the hits (at most ``limit``) and whether more were left out. Raises
    search_query.QueryError for a query that cannot be read.
    """
    from ..core import search_query as sq

    rows = store.db.execute("SELECT rowid, id, language FROM documents ORDER BY kind DESC, date, title, id").fetchall()
    if regex:
        pattern = sq.compile_regex(query)
        wanted = [(doc_id, language) for _rowid, doc_id, language in rows]
    else:
        parsed = sq.parse(query)
        rowids = candidates(store.db, sq.fts_terms(parsed, {r[2] for r in rows}))
        wanted = [(doc_id, language) for rowid, doc_id, language in rows if rowid in rowids]
    hits: list[tuple[str, int, int]] = []
    for doc_id, language in wanted:
        if document_ids is not None and doc_id not in document_ids:
            continue
        text = store.text(doc_id)
        found = sq.find_regex(pattern, text) if regex else sq.find(parsed, text, language)
        for start, end in found:
            if len(hits) >= limit:
                return hits, True
            hits.append((doc_id, start, end))
    return hits, False
