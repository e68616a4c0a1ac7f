"""Source-line suggestions over a project's transcripts (used by the window and the CLI).

The index over every transcript's source lines is built on first use and
rebuilt only when the corpus changes; scope "event" restricts a query to the
transcripts of the article's event, scope "all" searches every transcript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .core.segment import segment_sentences
from .core.suggest import Candidate, LineRef, SourceIndex, is_no_source
from .storage import Store

SCOPES = ("event", "all")


@dataclass(frozen=True)
class Suggestion:
    candidates: tuple[Candidate, ...]
    no_source: bool

    def to_json(self) -> dict:
        return {
            "candidates": [
                {"document": c.document_id, "line": c.line, "start": c.start, "end": c.end,
                 "text": c.text, "score": round(c.score, 4)}
                for c in self.candidates
            ],
            "no_source": self.no_source,
        }


class Suggester:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: SourceIndex | None = None

    def invalidate(self) -> None:
        self._index = None

    @property
    def index(self) -> SourceIndex:
        if self._index is None:
            refs = []
            for transcript in self.store.transcripts():
                text = self.store.text(transcript.id)
                refs.extend(
                    LineRef(transcript.id, ln.number, ln.start, ln.end, text[ln.start:ln.end])
                    for ln in self.store.source_lines(transcript.id)
                )
            self._index = SourceIndex(refs)
        return self._index

    def scope_documents(self, document_id: str, scope: str) -> list[str] | None:
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r} (expected event or all)")
        if scope == "all":
            return None
        return [t.id for t in self.store.transcripts_for(document_id)]

    def suggest_text(self, text: str, document_id: str, *, top: int = 5, scope: str = "event") -> Suggestion:
        documents = self.scope_documents(document_id, scope)
        if documents == []:
            return Suggestion((), True)
        candidates = tuple(self.index.query(text, top=top, documents=documents))
        return Suggestion(candidates, is_no_source(candidates))

    def suggest(self, document_id: str, start: int, end: int, *, top: int = 5, scope: str = "event") -> Suggestion:
        text = self.store.text(document_id)
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"range {start}-{end} lies outside the document (length {len(text)})")
        return self.suggest_text(text[start:end], document_id, top=top, scope=scope)

    def article_sentences(self, document_id: str) -> list[tuple[int, int, str]]:
        text = self.store.text(document_id)
        return [(s.start, s.end, text[s.start:s.end]) for s in segment_sentences(text, self.store.document(document_id).language)]

    def rank_article(self, document_id: str, *, top: int = 5, scope: str = "event") -> list[tuple[tuple[int, int, str], Suggestion]]:
        """Every sentence of an article with its suggestions, for the align walk-through."""
        result = []
        for sentence in self.article_sentences(document_id):
            result.append((sentence, self.suggest_text(sentence[2], document_id, top=top, scope=scope)))
        return result


def batch(suggester: Suggester, requests: Sequence[dict], *, top: int, scope: str) -> list[Suggestion]:
    return [
        suggester.suggest(r["document"], int(r["start"]), int(r["end"]), top=top, scope=scope) for r in requests
    ]
