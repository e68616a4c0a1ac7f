"""Corpus search as a concordance: the one operation behind ``cisannotate search`` and the Search panel."""

from __future__ import annotations

from dataclasses import dataclass

from .core import kwic
from .core.search_query import QueryError
from .storage import Store
from .storage.fulltext import find_hits

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
    """Every hit of ``query`` (at most ``limit``) as concordance lines; QueryError for a bad query."""
    wanted = store.document_ids(kind) if kind else None
    hits, truncated = find_hits(store, query, regex=regex, limit=limit, document_ids=wanted)
    # Only the documents hit are read, each once (an archive has tens of thousands).
    documents = store.documents_by_id(doc_id for doc_id, _start, _end in hits)
    texts: dict[str, str] = {}
    lines = []
    for doc_id, start, end in hits:
        text = texts.get(doc_id)
        if text is None:
            text = texts[doc_id] = store.text(doc_id)
        lines.append(kwic.line(documents[doc_id], text, start, end, context))
    return Concordance(query, regex, lines, truncated)
