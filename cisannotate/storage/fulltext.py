"""The corpus search indexes: SQLite FTS5 over the words, and over their stems.

``documents_fts`` (the words, case and Latin diacritics folded) answers prefix
queries; ``documents_stems`` holds each document's words as stems in the
document's own language (Snowball), so "revolution" finds "revolutions" in an
English text and "революция" finds "революции" in a Russian one. Both only narrow
the documents down: ``core.search_query.find`` places every hit exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Union

    from sqlite_utils import Database as UtilsDatabase

    from .connection import ProjectDatabase

    # The project's connection, or sqlite-utils' Database a migration is given.
    Database = Union[ProjectDatabase, UtilsDatabase]


def index_stems(db: Database, rowid: int, text: str, language: str) -> None:
    """Add one document's stems to the stem index (inside the caller's transaction)."""
    from ..core.search_query import stems_of  # here: a project opens without the query language

    db.execute("INSERT INTO documents_stems (rowid, stems) VALUES (?, ?)", [rowid, stems_of(text, language)])


def build_stem_index(db: Database) -> None:
    """Index every document (a project made before the stem index existed)."""
    from ..core.search_query import stems_of

    rows = db.execute("SELECT rowid, text, language FROM documents").fetchall()
    db.conn.executemany("INSERT INTO documents_stems (rowid, stems) VALUES (?, ?)",
                        [(rowid, stems_of(text, language)) for rowid, text, language in rows])


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


_MOST_ALTERNATIVES = 16  # phrases written out per group (one per combination of the languages' stems)


def _stem_match(group, languages: set[str]) -> str | None:
    """The group as one FTS5 expression on the stem index (a phrase, or NEAR), or None when
    it cannot be one (a prefix term, or too many stems across the languages)."""
    from ..core import search_query as sq

    stemmers = [sq.stemmer_for(lang) for lang in (languages or {""})]
    alternatives: list[list[str]] = [[]]
    for term in group.terms:
        if term.prefix:
            return None
        stems = sorted({stem(term.word) for stem in stemmers})
        if not all(sq.WORD.fullmatch(s) for s in stems):
            return None  # not one token of the index
        alternatives = [a + [s] for a in alternatives for s in stems]
        if len(alternatives) > _MOST_ALTERNATIVES:
            return None
    if isinstance(group, sq.Near):
        # FTS5 counts the words between the first and the last term; find() allows
        # ``distance`` words between each: the index may only narrow more loosely.
        n = group.distance + len(group.terms) - 2
        parts = [f"NEAR({' '.join(_quoted(s) for s in a)}, {n})" for a in alternatives]
    else:
        parts = [_quoted(" ".join(a)) for a in alternatives]
    return "stems : (" + " OR ".join(parts) + ")"


def candidates(db: Database, groups: Iterable[list[tuple[str, str]]], phrases: Iterable[str | None] = ()) -> set[int]:
    """The rowids of documents holding every item of at least one group (see search_query.fts_terms).

    ``phrases``, beside the groups, may give a group's whole expression on the stem index
    (``_stem_match``): its words in order, or near each other, not only present.
    """
    found: set[int] = set()
    phrases = list(phrases)
    for number, items in enumerate(groups):
        whole = phrases[number] if number < len(phrases) else None
        if whole is not None:
            sql = "SELECT rowid FROM documents_stems WHERE documents_stems MATCH ?"
            found |= {r[0] for r in db.execute(sql, [whole]).fetchall()}
            continue
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


_BATCH = 200  # documents read at a time, in search order


# A query with at most this many candidate documents reads those only; with more, the corpus is
# walked in order (and the walk stops at the hit the caller asked for).
_FEW_CANDIDATES = 5000


def hit_documents(store, query, *, regex: bool = False, document_ids: set[str] | None = None,
                  kind: str | None = None) -> Iterator[tuple[str, str, list[tuple[int, int]]]]:
    """(document id, text, hits) of each document ``query`` matches, in corpus order, read as consumed.

    The corpus is walked in search order (transcripts first, then by date and title),
    from an index where the project has one, a batch of documents at a time; only the
    candidates' texts are read, and not kept: a consumer that stops at a page of hits
    reads only the documents up to it. With ``kind``, documents of that kind only (from
    the same index: the kind leads the search order). Raises search_query.QueryError for
    a query that cannot be read.
    """
    from ..core import search_query as sq

    db = store.db
    languages = {r[0] for r in db.execute("SELECT DISTINCT language FROM documents").fetchall()}
    if regex:
        pattern = sq.compile_regex(query)
        rowids = None
    else:
        parsed = sq.parse(query)
        finder = sq.Finder(parsed)
        rowids = candidates(db, sq.fts_terms(parsed, languages), [_stem_match(g, languages) for g in parsed.groups])
        if not rowids:
            return
    if rowids is not None and len(rowids) <= _FEW_CANDIDATES:
        # Few candidates: they alone, put in search order by SQLite, not a walk of the whole corpus.
        import json

        cursor = db.execute(
            "SELECT rowid, id, language FROM documents WHERE rowid IN (SELECT value FROM json_each(?)) "
            f"{'AND kind = ? ' if kind else ''}ORDER BY kind DESC, date, title, id",
            [json.dumps(sorted(rowids))] + ([kind] if kind else []))
    else:
        cursor = db.execute("SELECT rowid, id, language FROM documents "
                            f"{'WHERE kind = ? ' if kind else ''}ORDER BY kind DESC, date, title, id",
                            [kind] if kind else [])
    while True:
        batch = cursor.fetchmany(_BATCH)
        if not batch:
            return
        wanted = [(rowid, doc_id, language) for rowid, doc_id, language in batch
                  if (rowids is None or rowid in rowids) and (document_ids is None or doc_id in document_ids)]
        if not wanted:
            continue
        marks = ", ".join("?" * len(wanted))
        texts = dict(db.execute(f"SELECT rowid, text FROM documents WHERE rowid IN ({marks})",
                                [w[0] for w in wanted]).fetchall())
        for rowid, doc_id, language in wanted:
            text = texts[rowid]
            found = sq.find_regex(pattern, text) if regex else finder.find(text, language)
            if found:
                yield doc_id, text, found


def find_hits(store, query, *, regex: bool = False, limit: int = 1000,
              document_ids: set[str] | None = None) -> tuple[list[tuple[str, int, int]], bool]:
    """The hits of ``query`` (its text) across the corpus: (document id, start, end), in corpus order.

    Returns the hits (at most ``limit``) and whether more were left out. Raises
    search_query.QueryError for a query that cannot be read.
    """
    hits: list[tuple[str, int, int]] = []
    for doc_id, _text, found in hit_documents(store, query, regex=regex, document_ids=document_ids):
        for start, end in found:
            if len(hits) >= limit:
                return hits, True
            hits.append((doc_id, start, end))
    return hits, False
