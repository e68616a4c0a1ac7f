"""Corpus search as a concordance: the one operation behind ``cisannotate search`` and the Search panel."""

from __future__ import annotations

from dataclasses import dataclass

from .core import kwic
from .core.search_query import QueryError
from .storage import Store
from .storage.fulltext import hit_documents

__all__ = ["Concordance", "QueryError", "concordance"]

LIMIT = 2000


@dataclass(frozen=True)
class Concordance:
    query: str
    regex: bool
    lines: list[kwic.Line]
    truncated: bool  # more hits exist than ``limit``

    @property
    def counts(self) -> kwic.Counts:
        return kwic.counts(self.lines)


def concordance(store: Store, query: str, *, regex: bool = False, limit: int = LIMIT, kind: str | None = None,
                context: int = kwic.CONTEXT) -> Concordance:
    """Every hit of ``query`` (at most ``limit``) as concordance lines; QueryError for a bad query.

    The search stops at the ``limit``-th hit: only the documents up to it are read, each once.
    """
    found: list[tuple[str, str, list[tuple[int, int]]]] = []
    count, truncated = 0, False
    for doc_id, text, hits in hit_documents(store, query, regex=regex, kind=kind or None):
        if count >= limit:
            truncated = True  # a hit beyond the limit
            break
        taken = hits[:limit - count]
        found.append((doc_id, text, taken))
        count += len(taken)
        if len(taken) < len(hits):
            truncated = True
            break
    documents = store.documents_by_id(doc_id for doc_id, _text, _hits in found)
    lines = [kwic.line(documents[doc_id], text, start, end, context)
             for doc_id, text, hits in found for start, end in hits]
    return Concordance(query, regex, lines, truncated)
