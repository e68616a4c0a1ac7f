"""Variants of the suggestion model that were tried, measured like the shipped one.

Run ``.venv/bin/python benchmarks/suggest_trials.py [--semantic]``. Each variant is
measured leave one event out (``suggest_eval.held_out``: weights, bias and Platt scaling
fitted on the other events only), so its figures compare with the shipped model's
held-out row:

* **no article order**: the ``order`` feature off (no span is placed in its article);
* **order: nearest anchors**: the first design of ``order``: the nearest confident
  sentence before and after the span, of whichever transcript, without the share;
* **lead and short line**: an extra feature ``lead_short``, 1 for a line of at most
  four content words offered for a span of the article's first two sentences
  (headlines and leads summarise, as signpost lines do);
* **order: two passes**: the article read twice, the second time ranking each sentence
  with ``order`` from the first reading;
* **signpost lines** / **short lines**: an extra feature ``signpost``, 1 for a line of
  at most four content words that opens like a signpost ("Second, ...", "Let me turn
  to ...", "Thank you ..."), or for any line of at most four content words;
* **no priors**: the article's event and date are not given to the index (every line
  counts as the article's event, as in scope "event");
* **no merged candidates**: consecutive lines are never offered as one candidate;
* **names matched as words**: the speaker rule off (a speaker's name in a span is
  matched like any word, and the ``speaker`` feature stays 0);
* **numbers not folded**: "eleven per cent" and "11 percent" do not meet;
* **clauses as parts**: each sentence of a span is also matched clause by clause
  (split at commas, colons, semicolons, dashes and "and", "but", "while", "as",
  "after", "because"; clauses of two content words or more), as headlines and
  summaries join several lines' content in one sentence;
* **frames stripped**: a span is matched without its attribution frame, as
  pre-annotation (``core/propose.py``) finds it ("X told students at Y on Friday that
  ..."), when it finds one;
* **listwise fit**: the ranking's weights fitted by a conditional logit over each span's
  candidates (the share of a softmax going to the correct ones) instead of a logistic
  regression over candidates one by one;
* with ``--semantic`` (needs ``pip install "wordllama==0.4.*"``; nothing is downloaded,
  the model is read from the installed package): **sentence embedding**, the cosine of
  wordllama's 256-dimension static embeddings of the span and of every line, as a
  feature; **word alignment**, each content word of the span matched to its nearest
  word of the line by the same embeddings (idf-weighted mean of the best cosines, 1 for
  the same stem), on the re-ranked lines only; both also timed at 10,000 synthetic lines.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import suggest_eval as ev  # noqa: E402

from cisannotate.core import suggest, suggest_text  # noqa: E402
from cisannotate.core.segment import segment_sentences  # noqa: E402
from cisannotate.core.suggest import Embedder, SourceIndex  # noqa: E402
from cisannotate.core.suggest_context import InArticle, reading  # noqa: E402


class WordLlamaEmbedder(Embedder):
    """wordllama's bundled model, read from the installed package; nothing is downloaded."""

    def __init__(self) -> None:
        import wordllama  # noqa: PLC0415 - an optional, heavy import
        from wordllama import WordLlama

        self.model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent,
                                    disable_download=True)

    def embed(self, texts):
        return np.asarray(self.model.embed(list(texts), norm=True), np.float32)


# ------------------------------------------------------------------ index variants

class NamesAsWords(SourceIndex):
    def _named(self, text):
        return set()


_CLAUSE = re.compile(r"[,;:\u2014\u2013]\s+|\s+(?:and|but|while|as|after|because)\s+")


class ClauseParts(SourceIndex):
    def _query_parts(self, text, sentences, named):
        parts = super()._query_parts(text, sentences, named)
        for sentence in sentences:
            pieces = [p for p in _CLAUSE.split(sentence) if len(self._query_words(p, named)) >= 2]
            if len(pieces) > 1:
                parts.extend(pieces)
        return parts


class FramesStripped(SourceIndex):
    def explain(self, text, top=5, documents=None, context=None, where=None):
        from cisannotate.core.propose import propose

        found = propose(text)
        self._frame_names = super()._named(text)  # the frame names the speaker
        stripped = " ".join(text[p.start:p.end] for p in found) if found else text
        return super().explain(stripped, top, documents, context, where)

    def _named(self, text):
        return getattr(self, "_frame_names", set()) | super()._named(text)


class NearestAnchors(SourceIndex):
    """The first design of ``order``: the nearest anchor before and after the span, of
    whatever transcript, and no share (a line of another transcript gets 0)."""

    def order_feature(self, where, documents=None, context=None):
        order = np.zeros(len(self.lines))
        if where is None:
            return order
        anchors = self.read_article(where, documents, context).anchors
        near = [a for a in anchors if a.end <= where.start][-1:] + [a for a in anchors if a.start >= where.end][:1]
        for document in dict.fromkeys(a.document_id for a in near):
            numbers = [a.line for a in near if a.document_id == document]
            mine = self._doc == self._doc_codes[document]
            apart = np.maximum(np.maximum(min(numbers) - self._number, self._number - max(numbers)), 0)
            order[mine] = np.exp(-apart / suggest.ORDER_SCALE)[mine]
        return order


LEAD_SENTENCES = 2  # the headline and the lead sentence (or a standfirst)
SHORT_LINE_WORDS = 4  # a signpost line: "Second, fishing in the Vell estuary."


class LeadShort(SourceIndex):
    """The shipped features plus ``lead_short``: 1 for a line of at most four content words
    offered for a span in the article's first two sentences (headlines and leads
    summarise, as signpost lines do), else 0."""

    def __init__(self, lines, weights=None, bias=None, speeches=None):
        full = list(suggest.WEIGHTS) + [0.0] if weights is None else list(weights)
        super().__init__(lines, full[:-1], bias, speeches)
        self.features = self.features + ("lead_short",)
        self.weights = np.asarray(full, np.float64)
        self._short = np.asarray([len(suggest._content(suggest._words(r.text))) <= SHORT_LINE_WORDS
                                  for r in self.lines], np.float64)
        self._lead = None

    def explain(self, text, top=5, documents=None, context=None, where=None):
        self._lead = where
        return super().explain(text, top, documents, context, where)

    def _pool_features(self, content, pool):
        where = self._lead
        lead = False
        if where is not None:
            sentences = segment_sentences(where.text, where.language)
            lead = bool(sentences) and where.start < sentences[min(LEAD_SENTENCES, len(sentences)) - 1].end
        return {"lead_short": self._short[pool] if lead else np.zeros(len(pool))}

    def _merged(self, rows, *args, **kwargs):
        merged = super()._merged(rows, *args, **kwargs)
        for _, _, feats in merged:
            feats[-1] = 0.0  # two lines joined are not a short line
        return merged


class TwoPasses(SourceIndex):
    """``order`` from anchors that were themselves ranked with ``order`` (from the first
    reading): the article read twice."""

    _inner = False

    def read_article(self, where, documents=None, context=None):
        if self._inner:
            return super().read_article(where, documents, context)
        cache = self.__dict__.setdefault("_second", {})
        key = (where.text, where.language, None if documents is None else tuple(sorted(documents)), context)
        if key not in cache:
            self._inner = True
            try:
                spans = [(s.start, s.end) for s in segment_sentences(where.text, where.language)]
                firsts = []
                for low, high in spans:
                    best = self.query(where.text[low:high], 1, documents, context,
                                      InArticle(where.text, low, high, where.language))
                    firsts.append((best[0].document_id, best[0].line, best[0].score) if best else None)
            finally:
                self._inner = False
            cache[key] = reading(spans, firsts)
        return cache[key]


_SIGNPOST = re.compile(r"^(?:first|second|third|fourth|fifth|finally|next|now|let me|turning to|"
                       r"i turn to|thank you|thanks)\b", re.IGNORECASE)


class Signposts(SourceIndex):
    """The shipped features plus ``signpost``: 1 for a line of at most four content words
    that opens like a signpost ("Second, fishing in the Vell estuary.", "Let me turn to
    trade.", "Thank you, Minister."); with ``short`` set, for any line of at most four."""

    short = False

    def __init__(self, lines, weights=None, bias=None, speeches=None):
        full = list(suggest.WEIGHTS) + [0.0] if weights is None else list(weights)
        super().__init__(lines, full[:-1], bias, speeches)
        self.features = self.features + ("signpost",)
        self.weights = np.asarray(full, np.float64)
        self._signpost = np.asarray([
            len(suggest._content(suggest._words(r.text))) <= SHORT_LINE_WORDS
            and (self.short or bool(_SIGNPOST.match(r.text.strip()))) for r in self.lines], np.float64)

    def _pool_features(self, content, pool):
        return {"signpost": self._signpost[pool]}

    def _merged(self, rows, *args, **kwargs):
        merged = super()._merged(rows, *args, **kwargs)
        for _, _, feats in merged:
            feats[-1] = 0.0  # two lines joined are not a signpost
        return merged


class ShortLines(Signposts):
    short = True


class WordAlignment(SourceIndex):
    """The shipped features plus ``soft``: idf-weighted best word-to-word cosines."""

    def __init__(self, lines, weights=None, bias=None, speeches=None, *, embedder: Embedder):
        full = list(suggest.WEIGHTS) + [0.0] if weights is None else list(weights)
        super().__init__(lines, full[:-1], bias, speeches)
        self.features = self.features + ("soft",)
        self.weights = np.asarray(full, np.float64)
        self._model = embedder
        self._vectors_by_word: dict[str, np.ndarray] = {}

    def _vectors_of(self, words: Sequence[str]) -> np.ndarray:
        missing = [w for w in dict.fromkeys(words) if w not in self._vectors_by_word]
        if missing:
            self._vectors_by_word.update(zip(missing, self._model.embed(missing)))
        return np.asarray([self._vectors_by_word[w] for w in words])

    def _pool_features(self, content, pool):
        words = list(dict.fromkeys(content))
        out = np.zeros(len(pool))
        if not words:
            return {"soft": out}
        stems = self._stems
        stem = suggest._stem
        weight = np.asarray([stems.idf[stems.vocab[stem(w)]] if stem(w) in stems.vocab
                             else stems.unknown_idf for w in words])
        query = self._vectors_of(words)
        for k, i in enumerate(pool):
            line_words = list(dict.fromkeys(suggest._content(suggest._words(self.lines[i].text))))
            if not line_words:
                continue
            sims = np.clip(query @ self._vectors_of(line_words).T, 0, 1)
            same = np.asarray([[stem(a) == stem(b) for b in line_words] for a in words])
            out[k] = float(weight @ np.where(same, 1.0, sims).max(axis=1) / weight.sum())
        return {"soft": out}


# ------------------------------------------------------------------------ trials

def with_index(collection: ev.Collection, make, n_features: int | None = None) -> dict:
    """Held out, with every index of the fit and the measure built by ``make``."""
    saved = (ev.Collection.index, ev.NEUTRAL_WEIGHTS)

    def index(self, weights=None, bias=None, lines=None):
        return make(self.lines() if lines is None else lines, weights, bias, self.speeches())

    ev.Collection.index = index
    if n_features is not None:
        ev.NEUTRAL_WEIGHTS = (1.0,) * n_features
    try:
        return ev.held_out(collection)
    finally:
        ev.Collection.index, ev.NEUTRAL_WEIGHTS = saved


def no_priors(collection: ev.Collection) -> dict:
    original = ev.Collection.context
    ev.Collection.context = lambda self, span: None
    try:
        return ev.held_out(collection)
    finally:
        ev.Collection.context = original


def no_article(collection: ev.Collection) -> dict:
    original = ev.Collection.where
    ev.Collection.where = lambda self, span: None
    try:
        return ev.held_out(collection)
    finally:
        ev.Collection.where = original


def no_merging(collection: ev.Collection) -> dict:
    original = suggest.MERGE_GAIN
    suggest.MERGE_GAIN = 2.0  # never reached: a share is at most 1
    try:
        return ev.held_out(collection)
    finally:
        suggest.MERGE_GAIN = original


def numbers_not_folded(collection: ev.Collection) -> dict:
    saved = (suggest_text.fold_numbers, suggest_text.ungroup_digits)
    suggest_text.fold_numbers, suggest_text.ungroup_digits = list, (lambda text: text)
    suggest._stem_text.cache_clear()
    try:
        return ev.held_out(collection)
    finally:
        suggest_text.fold_numbers, suggest_text.ungroup_digits = saved
        suggest._stem_text.cache_clear()


def fit_listwise(x: np.ndarray, y: np.ndarray, firsts: Sequence[int], l2: float = 1.0,
                 iterations: int = 100) -> np.ndarray:
    """Conditional logit over each span's candidates: the weights that give the candidates
    overlapping a gold source the largest share of a softmax over the span's candidates
    (spans with no correct candidate are left out); L2-penalised, fitted by Newton's
    method."""
    bounds = list(zip(firsts, list(firsts[1:]) + [len(x)]))
    groups = [(a, b) for a, b in bounds if b > a and y[a:b].any()]
    beta = np.zeros(x.shape[1])
    for _ in range(iterations):
        gradient = l2 * beta
        hessian = np.diag(np.full(x.shape[1], l2))
        for a, b in groups:
            xs, ys = x[a:b], y[a:b]
            z = xs @ beta
            p = np.exp(z - z.max())
            p /= p.sum()
            q = p * ys
            q /= q.sum()
            mean_p, mean_q = p @ xs, q @ xs
            gradient += mean_p - mean_q
            cov_p = (xs * p[:, None]).T @ xs - np.outer(mean_p, mean_p)
            cov_q = (xs * q[:, None]).T @ xs - np.outer(mean_q, mean_q)
            hessian += cov_p - cov_q
        # the objective is not convex in general (several correct candidates): keep the
        # Newton step only when its matrix is positive definite, else a gradient step
        try:
            np.linalg.cholesky(hessian)
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            step = 0.1 * gradient
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta


def listwise(collection: ev.Collection) -> dict:
    original = ev.fit_direction
    ev.fit_direction = fit_listwise
    try:
        return ev.held_out(collection)
    finally:
        ev.fit_direction = original


def sentence_embedding(collection: ev.Collection, embedder: Embedder) -> dict:
    return with_index(collection, lambda lines, w, b, s: SourceIndex(lines, w, b, s, embedder=embedder),
                      len(suggest.FEATURES) + 1)


def word_alignment(collection: ev.Collection, embedder: Embedder) -> dict:
    return with_index(collection, lambda lines, w, b, s: WordAlignment(lines, w, b, s, embedder=embedder),
                      len(suggest.FEATURES) + 1)


def semantic_timing(embedder: Embedder) -> str:
    from suggest_bench import synthetic_queries, synthetic_transcript

    refs = synthetic_transcript()
    queries = synthetic_queries(refs)
    lines = []
    for name, make in (("lexical (shipped)", lambda: SourceIndex(refs)),
                       ("sentence embedding", lambda: SourceIndex(
                           refs, list(suggest.WEIGHTS) + [3.0], None, embedder=embedder)),
                       ("word alignment", lambda: WordAlignment(
                           refs, list(suggest.WEIGHTS) + [3.0], None, embedder=embedder))):
        start = time.perf_counter()
        index = make()
        build = time.perf_counter() - start
        index.query(queries[0])
        times = []
        for query in queries:
            start = time.perf_counter()
            index.query(query)
            times.append((time.perf_counter() - start) * 1000)
        lines.append(f"{name:<20} build {build:.2f} s; query median {statistics.median(times):.1f} ms,"
                     f" worst {max(times):.1f} ms ({len(refs):,} lines)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semantic", action="store_true", help="also try the wordllama variants")
    args = parser.parse_args()
    collection = ev.load_all()
    rows = [("shipped (held out)", ev.held_out(collection)),
            ("no article order", no_article(collection)),
            ("order: nearest anchors", with_index(collection, NearestAnchors)),
            ("order: two passes", with_index(collection, TwoPasses)),
            ("lead and short line", with_index(collection, LeadShort, len(suggest.FEATURES) + 1)),
            ("signpost lines", with_index(collection, Signposts, len(suggest.FEATURES) + 1)),
            ("short lines", with_index(collection, ShortLines, len(suggest.FEATURES) + 1)),
            ("no priors", no_priors(collection)),
            ("no merged candidates", no_merging(collection)),
            ("names matched as words", with_index(collection, NamesAsWords)),
            ("numbers not folded", numbers_not_folded(collection)),
            ("clauses as parts", with_index(collection, ClauseParts)),
            ("frames stripped", with_index(collection, FramesStripped)),
            ("listwise fit", listwise(collection))]
    timing = ""
    if args.semantic:
        start = time.perf_counter()
        embedder = WordLlamaEmbedder()
        loaded = time.perf_counter() - start
        rows.append(("sentence embedding", sentence_embedding(collection, embedder)))
        rows.append(("word alignment", word_alignment(collection, embedder)))
        timing = f"wordllama import and load: {loaded:.2f} s\n" + semantic_timing(embedder)
    print("pooled over the events, each held out (scope all transcripts)")
    print(ev.format_table([(name, outcome["pooled"]) for name, outcome in rows]))
    if timing:
        print(timing)


if __name__ == "__main__":
    main()
