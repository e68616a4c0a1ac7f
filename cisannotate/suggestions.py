"""Source-line suggestions over a project's transcripts (used by the window and the CLI).

The index over every transcript's source lines is built on first use and
rebuilt only when the corpus changes; scope "event" restricts a query to the
transcripts of the article's event, scope "all" searches every transcript, the
article's own event first, then transcripts close to the article's date. The window
and ``cisannotate suggest`` both go through ``Suggester``, so they rank alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .core import crosslang
from .core.language import no_source_threshold, text_language
from .core.segment import segment_sentences
from .core.suggest import (
    NO_SOURCE_THRESHOLD,
    Candidate,
    Context,
    IndexCancelled,
    IndexedLine,
    SourceIndex,
    Speech,
    is_no_source,
)
from .core.suggest_context import InArticle
from .storage import Store

SCOPES = ("event", "all")


@dataclass(frozen=True)
class Suggestion:
    candidates: tuple[Candidate, ...]
    no_source: bool
    # Which speech each candidate's transcript is: document id -> "title, date".
    speeches: dict[str, str] = field(default_factory=dict, compare=False)
    # The top score under which the span probably has no source (by the article's language).
    threshold: float = field(default=NO_SOURCE_THRESHOLD, compare=False)
    # Candidates of another language's version reached through the bridge (core/crosslang.py).
    via: dict[Candidate, crosslang.Bridged] = field(default_factory=dict, compare=False)

    def speech(self, candidate: Candidate) -> str:
        return self.speeches.get(candidate.document_id, candidate.document_id)

    def via_text(self, candidate: Candidate) -> str:
        """"via the English version" for a candidate reached through the bridge, else ""."""
        bridged = self.via.get(candidate)
        return f"via the {crosslang.version_name(bridged.language)} version" if bridged else ""

    def to_json(self) -> dict:
        return {
            "candidates": [
                {"document": c.document_id, "speech": self.speech(c), "line": c.line,
                 "lines": list(c.lines), "start": c.start, "end": c.end,
                 "ranges": [list(r) for r in c.ranges], "text": c.text,
                 "score": round(c.score, 4),
                 **({"via": {"document": self.via[c].version.document_id, "lines": list(self.via[c].version.lines),
                             "language": self.via[c].language}} if c in self.via else {})}
                for c in self.candidates
            ],
            "no_source": self.no_source,
        }


def speech_label(title: str, date: str) -> str:
    """How the candidate list names a transcript: its title and date."""
    title = title if len(title) <= 48 else title[:47] + "…"
    return f"{title}, {date}" if date else title


Built = tuple[SourceIndex, dict[str, str], dict[str, crosslang.Version]]


def build_index(store: Store, *, cancelled: Callable[[], bool] | None = None) -> Built:
    """The index over every transcript of ``store``, each transcript's label ("title, date"),
    and the transcripts that are versions of one speech in two languages, aligned line by
    line (``crosslang.pair_versions``: the bridge).

    ``cancelled`` is asked now and then; True stops the build with ``IndexCancelled``. The window
    runs this in a worker thread on a reader of the project (``Store.reader``).
    """
    refs = []
    speeches = {}
    labels = {}
    versions = []
    for transcript in store.transcripts():
        if cancelled is not None and cancelled():
            raise IndexCancelled()
        text = store.text(transcript.id)
        lines = store.source_lines(transcript.id)
        mine = [IndexedLine(transcript.id, ln.number, ln.start, ln.end, text[ln.start:ln.end], ln.speaker or "")
                for ln in lines]
        refs.extend(mine)
        versions.append((transcript.id, transcript.event, text_language(transcript.language, text), mine, lines))
        speeches[transcript.id] = Speech(transcript.event, transcript.date)
        labels[transcript.id] = speech_label(transcript.title, transcript.date)
    return SourceIndex(refs, speeches=speeches, cancelled=cancelled), labels, crosslang.pair_versions(versions)


class Suggester:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: SourceIndex | None = None
        self._speeches: dict[str, str] = {}
        self._versions: dict[str, crosslang.Version] = {}
        self.generation = 0  # counts the changes of the corpus: an index built before one is stale

    def invalidate(self) -> None:
        self._index = None
        self.generation += 1

    @property
    def ready(self) -> bool:
        """Whether the index is built (a query will not have to build it first)."""
        return self._index is not None

    def install(self, built: Built, generation: int) -> bool:
        """Take an index built elsewhere (``build_index`` in a worker) while the corpus was at
        ``generation``; refused (False) when the corpus has changed since."""
        if generation != self.generation:
            return False
        self._index, self._speeches, self._versions = built
        return True

    @property
    def index(self) -> SourceIndex:
        if self._index is None:
            self._index, self._speeches, self._versions = build_index(self.store)
        return self._index

    def version_text(self, article_id: str, target_id: str, start: int, end: int,
                     numbers: Sequence[int]) -> str | None:
        """The text of lines ``numbers`` in the article's language, when ``start``-``end``
        covers exactly those whole lines of ``target_id``, one version of an aligned pair
        whose other version is in that language (what a link made through the bridge is
        compared with); else None, also while the index (which pairs the versions) is not built."""
        version = self._versions.get(target_id) if self.ready else None
        language = text_language(self.store.document(article_id).language, self.store.text(article_id))
        if version is None or version.counterpart_language != language or not numbers:
            return None
        own = self._versions[version.counterpart].lines  # target_id's own lines
        if any(n not in version.lines or n not in own for n in numbers):
            return None
        if (own[numbers[0]].start, own[numbers[-1]].end) != (start, end):
            return None
        return " ".join(version.lines[n].text for n in numbers)

    def context(self, document_id: str) -> Context:
        """The priors' view of an article: its event and date."""
        doc = self.store.document(document_id)
        return Context(doc.event, doc.date)

    def scope_documents(self, document_id: str, scope: str) -> list[str] | None:
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r} (expected event or all)")
        if scope == "all":
            return None
        return [t.id for t in self.store.transcripts_for(document_id)]

    def _bridge(self, documents: list[str] | None, language: str) -> tuple[list[str] | None, dict]:
        """The transcripts a query in ``language`` searches among ``documents`` (None: all),
        and the versions the bridge offers through them."""
        # The bridge: a transcript in the article's language with an aligned version in
        # another language is matched; the other version is offered through it, not matched.
        through = {d: v for d, v in self._versions.items()
                   if v.language == language and language in crosslang.BRIDGE_FROM}
        hidden = {v.counterpart for v in through.values()}
        if hidden:
            documents = [d for d in (documents if documents is not None else self._speeches) if d not in hidden]
        return documents, through

    def suggest_text(self, text: str, document_id: str, *, top: int = 5, scope: str = "event",
                     span: tuple[int, int] | None = None) -> Suggestion:
        """Suggestions for ``text`` of article ``document_id``; ``span``, the text's range in
        the article, lets the article's other sentences inform the ranking (``order``)."""
        language = text_language(self.store.document(document_id).language, self.store.text(document_id))
        threshold = no_source_threshold(language) or NO_SOURCE_THRESHOLD
        documents = self.scope_documents(document_id, scope)
        if documents == []:
            return Suggestion((), True, threshold=threshold)
        index = self.index
        documents, through = self._bridge(documents, language)
        where = None
        if span is not None:
            article = self.store.document(document_id)
            where = InArticle(self.store.text(document_id), span[0], span[1], article.language)
        found = index.query(text, top=top, documents=documents, context=self.context(document_id),
                            where=where)
        candidates, via = crosslang.bridge(found, through, language, top)
        return Suggestion(tuple(candidates), is_no_source(candidates, threshold), self._speeches, threshold, via)

    def article_reading(self, document_id: str, scope: str = "event") -> Callable[[], object] | None:
        """The work of reading an article for the ``order`` feature (each sentence ranked
        alone), as a call that touches only the built index, not the project, so that it
        may run in another thread; None when the index is not built, the article has no
        transcript in scope, or its reading is already at hand."""
        documents = self.scope_documents(document_id, scope)
        if not self.ready or documents == []:
            return None
        article = self.store.document(document_id)
        text = self.store.text(document_id)
        documents, _ = self._bridge(documents, text_language(article.language, text))
        where = InArticle(text, 0, 0, article.language)
        context = self.context(document_id)
        index = self.index
        if index.has_read(where, documents, context):
            return None
        return lambda: index.read_article(where, documents, context)

    def suggest(self, document_id: str, start: int, end: int, *, top: int = 5, scope: str = "event") -> Suggestion:
        text = self.store.text(document_id)
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"range {start}-{end} lies outside the document (length {len(text)})")
        return self.suggest_text(text[start:end], document_id, top=top, scope=scope, span=(start, end))

    def article_sentences(self, document_id: str) -> list[tuple[int, int, str]]:
        text = self.store.text(document_id)
        return [(s.start, s.end, text[s.start:s.end]) for s in segment_sentences(text, self.store.document(document_id).language)]

    def rank_article(self, document_id: str, *, top: int = 5, scope: str = "event") -> list[tuple[tuple[int, int, str], Suggestion]]:
        """Every sentence of an article with its suggestions, for the align walk-through."""
        result = []
        for sentence in self.article_sentences(document_id):
            result.append((sentence, self.suggest_text(sentence[2], document_id, top=top, scope=scope,
                                                       span=sentence[:2])))
        return result


def batch(suggester: Suggester, requests: Sequence[dict], *, top: int, scope: str) -> list[Suggestion]:
    return [
        suggester.suggest(r["document"], int(r["start"]), int(r["end"]), top=top, scope=scope) for r in requests
    ]
