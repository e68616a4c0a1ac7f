"""Suggest the transcript source lines an article span most likely comes from.

The articles quote the speech through a *different* English translation than the
transcript, so exact matching finds little. Ranking is lexical, offline and fast:

* two TF-IDF fields per line, compared by cosine: word stems (Snowball English,
  stop words and news-reporting verbs dropped, British spellings folded to
  American) and character 4-grams of the content words, which still match when
  the translations pick different forms of one word ("integration ties" /
  "integrated relations", "destabilisation" / "destabilization");
* a query of several sentences is also scored sentence by sentence, and every
  line is also scored as part of a window with its neighbour, so a quote that
  merges two or three transcript sentences still ranks each of them high;
* the best few dozen lines are re-ranked with a fuzzy token match (rapidfuzz),
  which rewards shared word order in near-verbatim quotes;
* priors a researcher would apply: in scope "all" the lines of the article's own
  event come first, then those of transcripts close to the article's date;
* a span that quotes across two consecutive lines also gets them as one merged
  candidate, so a link can go to both at once;
* a speaker the span names ("Lott said …") favours that speaker's lines and is not
  matched as a word (lines that *address* the person, "Thank you, Dr Varga", no
  longer win); numbers written in words meet the same numbers in digits;
* a span selected in an article is placed by the article's other sentences: where
  their confident suggestions point (``suggest_context``), lines rank higher.

The features are combined by a logistic function whose coefficients were fitted
on the hand-made gold sets of several events (refit with
``python benchmarks/suggest_eval.py --fit``; measured there leaving one event out),
so ``Candidate.score`` is an estimated probability that the candidate is a source of
the span, and one threshold, ``NO_SOURCE_THRESHOLD``, tells "probably the source"
from "no source here".

Lexical matching cannot bridge pure synonyms ("provoke" / "incite"); such
paraphrases still rank first when a few content words are shared, but their
scores are low and may fall under the threshold.

Lines are held in inverted indexes (numpy arrays in CSR layout), so a query costs
a few array gathers and one ``bincount`` over the lines, never a Python loop
over all lines.

Beside this module: ``suggest_text`` (word tokens, stems, n-grams) and ``suggest_field``
(one TF-IDF field: its postings and per-line scores).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING

from .lazy import lazy_import
from .rank_features import capitalised_words, name_words
from .segment import segment_sentences
from .suggest_context import ORDER_SCALE, ArticleReading, InArticle, reading
from .suggest_field import _TOKEN_CHUNK, _Field
from .suggest_text import _STOP, _content, _ngrams, _stem, _stem_text, _words

if TYPE_CHECKING:
    import numpy as np
    import rapidfuzz as _rapidfuzz
else:
    np = lazy_import("numpy")  # loaded with the first index built, not with this module
    _rapidfuzz = lazy_import("rapidfuzz")


@dataclass(frozen=True, slots=True)  # slots: an archive's index holds 150,000 of them (40 MB less)
class IndexedLine:
    """A transcript source line handed to the index."""

    document_id: str
    number: int
    start: int
    end: int
    text: str
    speaker: str = ""  # the speaker label's name, when the transcript has labels


@dataclass(frozen=True)
class Speech:
    """What the index knows of a transcript besides its lines: its event and date."""

    event: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD); empty when unknown


@dataclass(frozen=True)
class Context:
    """The article a query comes from: its event and date, for the priors."""

    event: str = ""
    date: str = ""


@dataclass(frozen=True)
class Candidate:
    """A suggested source; ``score`` is a calibrated probability in [0, 1].

    Usually one line. A *merged* candidate joins consecutive lines of one
    transcript that a span quotes across: ``line``/``start`` are its first line's,
    ``end`` its last line's, ``text`` the lines joined, and ``parts`` holds each
    line as ``(number, start, end)`` so a link can go to all of them at once.
    """

    document_id: str
    line: int
    start: int
    end: int
    text: str
    score: float
    parts: tuple[tuple[int, int, int], ...] = field(default=(), compare=False)

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(p[0] for p in self.parts) if self.parts else (self.line,)

    @property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        """The transcript ranges a link to this candidate covers, one per line."""
        return tuple((p[1], p[2]) for p in self.parts) if self.parts else ((self.start, self.end),)

    @property
    def merged(self) -> bool:
        return len(self.parts) > 1


# The raw features of a (query, line) pair, each in [0, 1]:
#   word   - cosine of the stem TF-IDF vectors (best over the whole query and its sentences);
#   char   - cosine of the character 4-gram TF-IDF vectors (likewise);
#   window - best cosine of the query with the line joined to its previous or next line;
#   fuzzy  - rapidfuzz token_set_ratio of the stem strings, best over the query's sentences;
#   cover  - share of the query's stem weight (squared) on stems the line contains;
#   event  - 1 when the line's transcript belongs to the article's event, else 0;
#   near   - 1 for the article's event, else exp(-days apart / DATE_SCALE_DAYS);
#   speaker - 1 when the query names the line's speaker (a word of the speaker label's
#            name, written with a capital), else 0. Those name words are left out of
#            the words matched by the other features (``rank_features``);
#   order  - where the confident first suggestions of the article's other sentences
#            point: the share of them in the line's transcript times exp(-lines apart /
#            ORDER_SCALE) from the nearest of them before and after the span (0 without
#            an article; ``suggest_context``).
# score = 1 / (1 + exp(-(BIAS + sum(WEIGHTS * features)))). The coefficients come from
# ``benchmarks/suggest_eval.py --fit`` on all 236 spans of the five events of the
# evaluation (the real corpus, three fictional events, the bundled sample) with every
# transcript indexed together (scope "all"): a logistic regression on the 20 best
# candidates of every gold span (positive when it overlaps a gold source) gives the
# direction, and Platt scaling of the best line's
# combined score against "the best line is a source" gives the scale, so a top score
# reads as the probability that the first suggestion is right. The Platt scaling
# weighs sourced and no-source spans equally (how many spans of an article have a
# source depends on the article, from none to nine in ten) and penalises its slope, so
# the score is that probability for even prior odds, and it carries over to articles
# not fitted on (see docs/suggestions.md, "Score and calibration" and "Figures").
FEATURES = ("word", "char", "window", "fuzzy", "cover", "event", "near", "speaker", "order")
WEIGHTS = (3.89, 3.111, 2.365, 1.244, 2.206, 1.544, 1.32, 0.657, 0.854)
BIAS = -8.281

# Below this top score the span probably has no source among the indexed lines:
# "more likely wrong than right" at even prior odds. Not tuned: with calibrations
# fitted on other events only (leave one event out) it flags 63 of the 66 no-source
# spans and keeps 142 of the 170 sourced ones (docs/suggestions.md).
NO_SOURCE_THRESHOLD = 0.5

# How many lines (best by the index features) get the fuzzy re-ranking.
RERANK_POOL = 40


# The date prior: a transcript d days from the article's date gets exp(-d / scale).
# Fixed a priori (a month), not fitted; its weight in WEIGHTS is fitted.
DATE_SCALE_DAYS = 30.0

# How many of the best single lines are tried with their neighbours as merged candidates.
MERGE_TRIES = 8
# ... and merged when the pair covers at least this much more of the span's (squared)
# stem weight than its better line alone, with at least two more of its stems: a
# fifth, fixed a priori, not fitted.
MERGE_GAIN = 0.2


def _split_sentences(text: str) -> list[str]:
    """The sentences of a query that have content words (the article segmenter's split)."""
    parts = [text[s.start:s.end] for s in segment_sentences(text)]
    return [p for p in parts if _content(_words(p))]


def _day(value: str) -> float:
    """Days since 1970 of an ISO date (a year-month counts from its 15th), or NaN."""
    try:
        if len(value) == 7:
            value = value + "-15"
        return float(date.fromisoformat(value[:10]).toordinal())
    except (TypeError, ValueError):
        return math.nan


class IndexCancelled(Exception):
    """The ``cancelled`` callable of a ``SourceIndex`` being built said stop."""


class SourceIndex:
    """Inverted indexes over the source lines of one or more transcripts.

    Build it once per set of transcripts; queries only read it, so one index
    serves any number of queries.

    ``speeches`` gives each transcript's event and date (``Speech``) for the
    priors: a query's ``Context`` (the article's event and date) favours the lines
    of the article's own event, then of transcripts close in date.

    ``weights`` (one per name in ``FEATURES``) and ``bias`` replace the shipped
    calibration ``WEIGHTS``/``BIAS`` for this index only; the held-out evaluation
    uses them to score with coefficients fitted on part of the gold set.

    ``cancelled`` is asked now and then while the index is built (from another thread,
    say); when it answers True the build stops with ``IndexCancelled``.
    """

    def __init__(self, lines: Iterable[IndexedLine], weights: Sequence[float] | None = None,
                 bias: float | None = None, speeches: Mapping[str, Speech] | None = None,
                 embedder: "Embedder | None" = None, cancelled: Callable[[], bool] | None = None) -> None:
        self._cancelled = cancelled
        self.weights = np.asarray(WEIGHTS if weights is None else weights, dtype=np.float64)
        self.features = FEATURES + (("meaning",) if embedder is not None else ())
        if self.weights.shape != (len(self.features),):
            raise ValueError(f"need one weight for each of {self.features}")
        self._embedder = embedder
        self.bias = float(BIAS if bias is None else bias)
        self.lines: list[IndexedLine] = list(lines)
        n = len(self.lines)
        doc_codes: dict[str, int] = {}
        self._doc = np.asarray(
            [doc_codes.setdefault(r.document_id, len(doc_codes)) for r in self.lines], np.int32
        )
        self._doc_codes = doc_codes
        self._next = self._next_lines()
        self._previous = np.full(n, -1, np.int64)
        self._previous[self._next[self._next >= 0]] = np.nonzero(self._next >= 0)[0]

        # Priors: each document's event (as a string) and day number (NaN when unknown).
        speeches = speeches or {}
        self._doc_event = [speeches.get(d, Speech()).event for d in doc_codes]
        self._doc_day = np.asarray([_day(speeches.get(d, Speech()).date) for d in doc_codes])

        # Speakers: each line's speaker (a code, -1 for none) and the words of the
        # speakers' names (word -> codes), for the ``speaker`` feature.
        speaker_codes: dict[str, int] = {}
        self._line_speaker = np.asarray(
            [speaker_codes.setdefault(r.speaker, len(speaker_codes)) if r.speaker else -1
             for r in self.lines], np.int64)
        self._names: dict[str, set[int]] = {}  # by stem, so "Путина" finds "Путин"
        for speaker, code in speaker_codes.items():
            for word in name_words(speaker):
                self._names.setdefault(_stem(word), set()).add(code)

        # Tokens as two parallel arrays (line, word type), so every later step is numpy.
        t_line, t_word, types = self._tokens()
        self._check_cancelled()
        # For the ``order`` feature: each line's number, and the articles read so far.
        self._number = np.fromiter((ref.number for ref in self.lines), np.int64, n)
        self._readings: dict[tuple, ArticleReading] = {}
        self._line_stems: dict[int, frozenset[int]] = {}

        stem_vocab: dict[str, int] = {}
        stem_of = np.asarray(
            [stem_vocab.setdefault(_stem(w), len(stem_vocab)) for w in types], np.int64
        )
        stride = max(n, 1)
        keys = stem_of[t_word] * stride
        keys += t_line
        box = [keys]
        del keys  # the field takes the only reference, and frees the keys once read
        self._stems = _Field(n, box, stem_vocab, self._next)
        self._check_cancelled()

        # Each token expands to its word type's n-grams: gather from a flat array.
        gram_vocab: dict[str, int] = {}
        per_type = [[gram_vocab.setdefault(g, len(gram_vocab)) for g in _ngrams(w)] for w in types]
        counts = np.asarray([len(g) for g in per_type], np.int64)
        flat = np.asarray([g for grams in per_type for g in grams], np.int64)
        del per_type
        first = np.cumsum(counts) - counts
        keys = np.empty(int(counts[t_word].sum()), np.int64)
        filled = 0
        # A slice of the tokens at a time: no one numpy call runs long (some hold the GIL,
        # and the window's thread waits for it), and the temporaries stay small.
        for low in range(0, len(t_word), _TOKEN_CHUNK):
            self._check_cancelled()
            words = t_word[low:low + _TOKEN_CHUNK]
            token_counts = counts[words]
            gather = np.repeat(first[words] - np.cumsum(token_counts) + token_counts, token_counts)
            gather += np.arange(len(gather))
            part = keys[filled:filled + len(gather)]
            np.take(flat, gather, out=part)
            part *= stride
            part += np.repeat(t_line[low:low + _TOKEN_CHUNK], token_counts)
            filled += len(gather)
        del t_line, t_word
        box = [keys]
        del keys
        self._grams = _Field(n, box, gram_vocab, self._next)
        self._vectors = (embedder.embed([r.text for r in self.lines])
                         if embedder is not None and n else None)

    def _tokens(self, chunk: int = 4096) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """The content words of every line: (line, word type) per token, and the word types
        in order of first appearance. Lines are read in chunks, so only one chunk's words
        are held as strings at a time."""
        ids_of: dict[str, int] = {}  # word -> its type number; -1 for a stop word
        types: list[str] = []
        line_parts: list[np.ndarray] = []
        word_parts: list[np.ndarray] = []
        for low in range(0, len(self.lines), chunk):
            self._check_cancelled()
            words = [_words(ref.text) for ref in self.lines[low:low + chunk]]
            flat = list(chain.from_iterable(words))
            for word in dict.fromkeys(flat):
                if word not in ids_of:
                    if word in _STOP:
                        ids_of[word] = -1
                    else:
                        ids_of[word] = len(types)
                        types.append(word)
            ids = np.fromiter(map(ids_of.__getitem__, flat), np.int32, len(flat))
            lines = np.repeat(np.arange(low, low + len(words), dtype=np.int32),
                              np.fromiter(map(len, words), np.int64, len(words)))
            keep = ids >= 0
            word_parts.append(ids[keep])
            line_parts.append(lines[keep])
        if not word_parts:
            return np.empty(0, np.int32), np.empty(0, np.int32), types
        return np.concatenate(line_parts), np.concatenate(word_parts), types

    def _check_cancelled(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise IndexCancelled()

    def _next_lines(self) -> np.ndarray:
        """For each line, the next line of the same document by number, or -1."""
        following = np.full(len(self.lines), -1, np.int64)
        numbers = np.fromiter((ref.number for ref in self.lines), np.int64, len(self.lines))
        order = np.lexsort((numbers, self._doc))  # stable: by document, then number
        same = self._doc[order[:-1]] == self._doc[order[1:]]
        following[order[:-1][same]] = order[1:][same]
        return following

    def __len__(self) -> int:
        return len(self.lines)

    def priors(self, context: Context | None) -> tuple[np.ndarray, np.ndarray]:
        """The ``event`` and ``near`` features of every line for a query's context.

        event: 1 for the lines of the article's own event, else 0; near: 1 for the
        own event, else exp(-days apart / DATE_SCALE_DAYS) (0 when a date is
        unknown). Without a context (no article known) every line counts as the
        article's own event, which is what scope "event" means.
        """
        if context is None:
            ones = np.ones(len(self.lines))
            return ones, ones
        same = np.asarray([bool(context.event) and e == context.event for e in self._doc_event],
                          np.float64)
        apart = np.abs(self._doc_day - _day(context.date))
        near = np.where(same > 0, 1.0, np.nan_to_num(np.exp(-apart / DATE_SCALE_DAYS), nan=0.0))
        return same[self._doc], near[self._doc]

    def query(self, text: str, top: int = 5, documents: Collection[str] | None = None,
              context: Context | None = None, where: InArticle | None = None) -> list[Candidate]:
        """The ``top`` most likely sources of ``text``, best first.

        ``documents`` restricts the search to those transcript ids (scope
        "event"); None searches every indexed line (scope "all"). ``context`` (the
        article's event and date) sets the priors. ``where`` (the article's text and
        the span's range in it) sets the ``order`` feature (``suggest_context``);
        without it the feature is 0. A query without content words, or
        sharing nothing with any line, has no candidates.
        """
        return [candidate for candidate, _ in self.explain(text, top, documents, context, where)]

    def read_article(self, where: InArticle, documents: Collection[str] | None = None,
                     context: Context | None = None) -> ArticleReading:
        """The anchors of an article: each of its sentences ranked alone (without the
        article-context features), kept when its first suggestion is confident. Cached
        per article, scope and context for the index's life (an index is rebuilt when
        the transcripts change)."""
        key = self._reading_key(where, documents, context)
        found = self._readings.get(key)
        if found is None:
            spans = [(s.start, s.end) for s in segment_sentences(where.text, where.language)]
            firsts = []
            for start, end in spans:
                best = self.query(where.text[start:end], 1, documents, context)
                firsts.append((best[0].document_id, best[0].line, best[0].score) if best else None)
            found = reading(spans, firsts)
            if len(self._readings) >= 64:
                self._readings.pop(next(iter(self._readings)))
            self._readings[key] = found
        return found

    @staticmethod
    def _reading_key(where: InArticle, documents: Collection[str] | None, context: Context | None) -> tuple:
        return (where.text, where.language, None if documents is None else tuple(sorted(documents)), context)

    def has_read(self, where: InArticle, documents: Collection[str] | None = None,
                 context: Context | None = None) -> bool:
        """Whether ``read_article`` has this article's reading at hand (a query needs no reading first)."""
        return self._reading_key(where, documents, context) in self._readings

    def order_feature(self, where: InArticle | None, documents: Collection[str] | None = None,
                      context: Context | None = None) -> np.ndarray:
        """The ``order`` feature of every line for a span in its article (all 0 without one):
        ``suggest_context.order_value`` for every line at once."""
        order = np.zeros(len(self.lines))
        if where is None:
            return order
        pointers = self.read_article(where, documents, context).pointers(where.start, where.end)
        for document, pointer in pointers.items():
            code = self._doc_codes.get(document)
            if code is None:
                continue
            mine = self._doc == code
            numbers = self._number[mine]
            apart = np.maximum(np.maximum(pointer.low - numbers, numbers - pointer.high), 0)
            order[mine] = pointer.share * np.exp(-apart / ORDER_SCALE)
        return order

    def explain(self, text: str, top: int = 5, documents: Collection[str] | None = None,
                context: Context | None = None,
                where: InArticle | None = None) -> list[tuple[Candidate, dict[str, float]]]:
        """Like ``query``, with the raw features behind each score (for review and refitting)."""
        named = self._named(text)
        sentences = _split_sentences(text)
        if top <= 0 or not self.lines or not sentences:
            return []
        n = len(self.lines)
        word, char, window, cover, pair_word, pair_char = (np.zeros(n) for _ in range(6))
        # Each line keeps its best match with the whole text or any one sentence.
        sentence_best: set[int] = set()  # the best line of each sentence, when several
        parts = self._query_parts(text, sentences, named)
        for k, part in enumerate(parts):
            content = self._query_words(part, named)
            stem_query = self._stems.query_vector([_stem(t) for t in content])
            gram_query = self._grams.query_vector([g for t in content for g in _ngrams(t)])
            w = self._stems.cosine(*stem_query)
            c = self._grams.cosine(*gram_query)
            np.maximum(word, w, out=word)
            np.maximum(char, c, out=char)
            if 0 < k <= len(sentences) and len(sentences) > 1:
                sentence_best.add(int(np.argmax(w + c)))
            np.maximum(cover, self._stems.coverage(*stem_query), out=cover)
            pw, pc = self._stems.pair(w), self._grams.pair(c)
            np.maximum(pair_word, pw, out=pair_word)
            np.maximum(pair_char, pc, out=pair_char)
            np.maximum(window, self._stems.window(pw), out=window)
            np.maximum(window, self._grams.window(pc), out=window)
        event, near = self.priors(context)
        columns = {"word": word, "char": char, "window": window, "cover": cover,
                   "event": event, "near": near, "speaker": self._speaker_feature(named),
                   "order": self.order_feature(where, documents, context)}
        meaning = None
        if self._vectors is not None and self._embedder is not None:
            wanted = [text, *sentences] if len(sentences) > 1 else sentences
            meaning = np.clip((self._vectors @ self._embedder.embed(wanted).T).max(axis=1), 0, 1)
            columns["meaning"] = meaning

        weights = self.weights
        # Every feature but ``fuzzy`` is known for every line: their sum picks the pool.
        cheap = [k for k, name in enumerate(self.features) if name in columns]
        lexical = np.stack([columns[self.features[k]] for k in cheap], axis=1) @ weights[cheap]
        candidates = ((word > 0) | (char > 0) | (meaning is not None)) & self._allowed(documents)
        n_pool = min(max(RERANK_POOL, top), int(candidates.sum()))
        if n_pool == 0:
            return []
        lexical = np.where(candidates, lexical, -np.inf)
        pool = np.argpartition(-lexical, n_pool - 1)[:n_pool]

        for name, values in self._pool_features(self._query_words(text, named), pool).items():
            columns[name] = np.zeros(n)
            columns[name][pool] = values
        query_stems = [" ".join(_stem(w) for w in self._query_words(s, named)) for s in sentences]
        fuzzy = _rapidfuzz.process.cdist(query_stems, [_stem_text(self.lines[i].text) for i in pool],
                                         scorer=_rapidfuzz.fuzz.token_set_ratio,
                                         dtype=np.float64).max(axis=0) / 100.0
        features = np.stack([fuzzy if name == "fuzzy" else columns[name][pool]
                             for name in self.features], axis=1)
        z = self.bias + features @ weights
        rows: list[tuple[float, tuple[int, ...], np.ndarray]] = [
            (float(z[k]), (int(pool[k]),), features[k]) for k in range(len(pool))]
        rows.extend(self._merged(rows, self._query_words(text, named), query_stems, pair_word,
                                 pair_char, columns, candidates, sentence_best))
        rows.sort(key=self._rank_key)
        result = []
        for score_z, members, feats in rows[:top]:
            result.append((self._candidate(members, 1.0 / (1.0 + math.exp(-score_z))),
                           dict(zip(self.features, map(float, feats)))))
        return result

    def _rank_key(self, row: tuple[float, tuple[int, ...], np.ndarray]) -> tuple:
        """Best score first; equal scores in transcript order (line number, then document),
        so that a tie is broken the same way whatever order the lines were indexed in."""
        first = self.lines[row[1][0]]
        return (-row[0], first.number, len(row[1]), first.document_id)

    def _merged(self, rows: list, content: list[str], query_stems: list[str], pair_word: np.ndarray,
                pair_char: np.ndarray, columns: Mapping[str, np.ndarray], allowed: np.ndarray,
                sentence_best: Collection[int] = frozenset()) -> list[tuple[float, tuple[int, ...], np.ndarray]]:
        """Merged candidates: one of the best lines joined with its neighbour, when the
        neighbour covers at least ``MERGE_GAIN`` more of the span's stem weight than
        the better line alone, or when two sentences of the span each match one of the
        two lines best (a span that quotes across both lines).

        A merged candidate scores as its better line plus the ``cover`` weight times
        the extra share of the span it covers, so it ranks above its lines exactly
        when it adds to them.
        """
        ids, weights = self._stems.query_vector([_stem(t) for t in content])
        if not len(ids):
            return []
        share = dict(zip(ids.tolist(), (weights * weights).tolist()))

        def found(members: Iterable[int]) -> set[int]:
            stems: set[int] = set()
            for i in members:
                stems.update(self._stem_ids(i))
            return stems & share.keys()

        def covered(members: Iterable[int]) -> float:
            return sum(share[k] for k in found(members))

        best = {members[0]: (score, feats) for score, members, feats in rows}
        tried: set[int] = set()
        merged: list[tuple[float, tuple[int, ...], np.ndarray]] = []
        for _, (i,), _ in sorted(rows, key=self._rank_key)[:MERGE_TRIES]:
            for first in (int(self._previous[i]), i):
                second = int(self._next[first]) if first >= 0 else -1
                if first < 0 or second < 0 or first in tried or not allowed[second]:
                    continue
                tried.add(first)
                better = max((first, second), key=lambda k: covered([k]))
                gain = covered([first, second]) - covered([better])
                added = len(found([first, second]) - found([better]))
                # One shared word is weak evidence: the other line must add two stems.
                if (gain < MERGE_GAIN or added < 2) and not (first in sentence_best
                                                              and second in sentence_best):
                    continue
                options = [best[k] for k in (first, second) if k in best]
                if not options:
                    continue
                z_best, feats = max(options, key=lambda item: item[0])
                joined = _stem_text(self.lines[first].text) + " " + _stem_text(self.lines[second].text)
                fuzzy = max(_rapidfuzz.fuzz.token_set_ratio(q, joined) for q in query_stems) / 100.0
                values = {"word": pair_word[first], "char": pair_char[first],
                          "window": max(pair_word[first], pair_char[first]), "fuzzy": fuzzy,
                          "cover": min(1.0, feats[self.features.index("cover")] + gain)}
                merged_feats = np.asarray([
                    values[name] if name in values
                    else max(float(columns[name][first]), float(columns[name][second]))
                    for name in self.features])
                merged.append((z_best + self.weights[self.features.index("cover")] * gain,
                               (first, second), merged_feats))
        return merged

    def _query_parts(self, text: str, sentences: list[str], named: Collection[str]) -> list[str]:
        """What a query is matched as: the whole text, then each of its sentences (the text
        alone when it is one sentence). A hook for the trials in ``benchmarks/``."""
        return [text, *sentences] if len(sentences) > 1 else list(sentences)

    def _pool_features(self, content: list[str], pool: np.ndarray) -> dict[str, np.ndarray]:
        """Extra features known only for the re-ranked lines (``pool``), by name: none in
        the shipped model; a hook for the trials in ``benchmarks/``."""
        return {}

    def _named(self, text: str) -> set[str]:
        """The stems of the words of speakers' names that a query writes with a capital."""
        if not self._names:
            return set()
        return {_stem(w) for w in capitalised_words(text)} & self._names.keys()

    def _query_words(self, text: str, named: Collection[str]) -> list[str]:
        """A query's content words, without the names of the speakers it names: those tell
        who spoke (the ``speaker`` feature), not what was said."""
        words = _content(_words(text))
        return [w for w in words if _stem(w) not in named] if named else words

    def _speaker_feature(self, named: Collection[str]) -> np.ndarray:
        """1 for the lines of a speaker the query names, else 0."""
        codes = sorted(set().union(*(self._names[name] for name in named)))
        if not codes:
            return np.zeros(len(self.lines))
        return np.isin(self._line_speaker, np.asarray(codes, np.int64)).astype(np.float64)

    def _stem_ids(self, line: int) -> frozenset[int]:
        """The stem ids of a line's content words (kept once computed: the merged candidates
        ask for the same best lines again and again)."""
        found = self._line_stems.get(line)
        if found is None:
            vocab = self._stems.vocab
            found = frozenset(vocab[t] for t in (_stem(w) for w in _content(_words(self.lines[line].text)))
                              if t in vocab)
            self._line_stems[line] = found
        return found

    def _candidate(self, members: tuple[int, ...], score: float) -> Candidate:
        refs = [self.lines[i] for i in members]
        head = refs[0]
        if len(refs) == 1:
            return Candidate(head.document_id, head.number, head.start, head.end, head.text, score)
        return Candidate(head.document_id, head.number, head.start, refs[-1].end,
                         " ".join(r.text for r in refs), score,
                         tuple((r.number, r.start, r.end) for r in refs))

    def _allowed(self, documents: Collection[str] | None) -> np.ndarray:
        if documents is None:
            return np.ones(len(self.lines), bool)
        codes = [self._doc_codes[d] for d in documents if d in self._doc_codes]
        return np.isin(self._doc, np.asarray(codes, np.int32))


class Embedder:
    """A sentence embedding: ``embed(texts)`` gives one unit-length row per text."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


def is_no_source(candidates: Sequence[Candidate], threshold: float = NO_SOURCE_THRESHOLD) -> bool:
    """True when the best candidate is too weak to be the span's source."""
    return not candidates or candidates[0].score < threshold


def rank_sentences(index: SourceIndex, sentences: Sequence[tuple[int, int, str]], top: int = 5,
                   documents: Collection[str] | None = None,
                   context: Context | None = None) -> list[list[Candidate]]:
    """Candidates for each ``(start, end, text)`` sentence of an article, in order.

    Used to align a whole article with its transcript in one pass.
    """
    return [index.query(text, top, documents, context) for _, _, text in sentences]
