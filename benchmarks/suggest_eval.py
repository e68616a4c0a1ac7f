"""Measure source-line suggestions on several events, held out, and refit their calibration.

A developer's tool, not part of the application. The events measured:

* **real**: the sample corpus beside the checkout (``../shared/corpus``, not shipped):
  articles 001 and 002 report the September 2022 speech (transcript 003); article 000
  reports a 2024 meeting whose transcript is not in the corpus, so all its spans are
  no-source; transcript 004 is a neighbouring speech (October 2022) that no article
  reports. Gold: ``tests/data/suggest_gold.json`` (offsets and SHA-1 prefixes only).
* **calvane** and **sarn**: fictional events written for the evaluation
  (``tests/data/events``), each a speech of 40+ lines, a neighbouring speech a week
  later, two reports of the speech and one of the neighbouring speech. Gold:
  ``tests/data/suggest_gold_events.json`` (spans and sources named by their text).
* **veland**: the bundled sample project (``resources/sample``): the briefing and its
  reports; gold = one annotator's links and no-source marks in its
  ``annotations.json``, plus every sentence of the report of another event (no
  transcript), which has no source.

Every query searches **all transcripts of all events at once** (scope "all"), with the
article's event and date as context for the priors.

Held out means **leave one event out**: each event's spans are measured with weights,
bias and Platt scaling fitted on the other events' spans only; the pooled figures are
over all events, each measured once. In-sample figures use the shipped coefficients,
which were fitted on all events.

A suggestion is correct when it overlaps one of the span's gold sources (a merged
candidate when any of its lines does).

Run ``python benchmarks/suggest_eval.py [--fit] [--review] [--failures] [CORPUS_DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cisannotate.core import suggest  # noqa: E402
from cisannotate.core.segment import segment_sentences, segment_transcript  # noqa: E402
from cisannotate.core.suggest import (  # noqa: E402
    Candidate,
    Context,
    IndexedLine,
    SourceIndex,
    Speech,
    is_no_source,
)
from cisannotate.core.suggest_context import InArticle  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "tests" / "data" / "suggest_gold.json"
EVENTS_DIR = ROOT / "tests" / "data" / "events"
EVENTS_GOLD = ROOT / "tests" / "data" / "suggest_gold_events.json"
SAMPLE_DIR = ROOT / "resources" / "sample"
SAMPLE_ANNOTATOR = "amira"

# The folds of the leave-one-event-out evaluation, in report order.
EVENTS = ("real", "calvane", "sarn", "dorvik", "veland", "mossgard")

# L2 penalty of the Platt scaling (the second stage of ``fit_calibration``), on the best
# line's combined score standardised over the spans fitted on. Kept from the earlier
# three-article study, where it was chosen by held-out log loss; not retuned here.
PLATT_L2 = 0.3

# Where a held-out fit starts: the index that picks the lines a calibration is fitted on
# ranks them with coefficients too, so a held-out fit starts from equal weights (never
# from the shipped ones, fitted on the measured spans as well) and is refitted once.
NEUTRAL_WEIGHTS = (1.0,) * len(suggest.FEATURES)
NEUTRAL_BIAS = 0.0

# Bins of the reliability table and of the expected calibration error.
BINS = 10


@dataclass(frozen=True)
class Document:
    id: str  # file name
    text: str
    kind: str
    event: str
    date: str


@dataclass(frozen=True)
class GoldSource:
    file: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldSpan:
    fold: str
    article: str
    start: int
    end: int
    sources: tuple[GoldSource, ...]


@dataclass
class Collection:
    documents: dict[str, Document]
    spans: list[GoldSpan]

    def transcripts(self) -> list[Document]:
        return [d for d in self.documents.values() if d.kind == "transcript"]

    def lines(self) -> list[IndexedLine]:
        refs = []
        for doc in self.transcripts():
            refs.extend(IndexedLine(doc.id, seg.number, seg.start, seg.end, doc.text[seg.start:seg.end],
                                seg.speaker)
                        for seg in segment_transcript(doc.text))
        return refs

    def speeches(self) -> dict[str, Speech]:
        return {d.id: Speech(d.event, d.date) for d in self.transcripts()}

    def index(self, weights: Sequence[float] | None = None, bias: float | None = None,
              lines: list[IndexedLine] | None = None) -> SourceIndex:
        return SourceIndex(self.lines() if lines is None else lines, weights, bias,
                           self.speeches())

    def context(self, span: GoldSpan) -> Context:
        doc = self.documents[span.article]
        return Context(doc.event, doc.date)

    def where(self, span: GoldSpan) -> InArticle:
        """The span in its article, for the article-context features."""
        return InArticle(self.documents[span.article].text, span.start, span.end)

    def text(self, span: GoldSpan) -> str:
        return self.documents[span.article].text[span.start:span.end]


def span_sha1(text: str) -> str:
    """The gold set's fingerprint of a span: first 12 hex digits of SHA-1 of its UTF-8."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class GoldError(ValueError):
    pass


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def _documents(folder: Path, prefix: str = "") -> dict[str, Document]:
    docs = {}
    for name, row in _manifest(folder).items():
        text = (folder / name).read_text(encoding="utf-8")
        docs[prefix + name] = Document(prefix + name, text, row["kind"], row["event"], row["date"])
    return docs


def _find(text: str, fragment: str, where: str) -> int:
    at = text.find(fragment)
    if at < 0:
        raise GoldError(f"{where}: not found: {fragment[:60]!r}")
    if text.find(fragment, at + 1) >= 0:
        raise GoldError(f"{where}: found more than once: {fragment[:60]!r}")
    return at


def load_real(corpus_dir: Path = CORPUS, gold_path: Path = GOLD) -> Collection:
    """The sample corpus beside the checkout and its gold spans (fold "real")."""
    docs = _documents(Path(corpus_dir))
    spans = []
    for s in json.loads(Path(gold_path).read_text(encoding="utf-8"))["spans"]:
        text = docs[s["article"]].text[s["start"]:s["end"]]
        if span_sha1(text) != s["sha1"]:
            raise GoldError(f"{gold_path}: {s['article']} {s['start']}-{s['end']}: the text "
                            "there no longer matches the gold set's SHA-1")
        spans.append(GoldSpan("real", s["article"], s["start"], s["end"],
                              tuple(GoldSource(g["file"], g["start"], g["end"])
                                    for g in s["sources"])))
    return Collection(docs, spans)


def load_events(folder: Path = EVENTS_DIR, gold_path: Path = EVENTS_GOLD) -> Collection:
    """The fictional events and their gold spans (folds named by the file-name prefix)."""
    docs = _documents(Path(folder))
    transcripts = [d for d in docs.values() if d.kind == "transcript"]
    spans = []
    for s in json.loads(Path(gold_path).read_text(encoding="utf-8"))["spans"]:
        article = docs[s["article"]]
        start = _find(article.text, s["text"], s["article"])
        sources = []
        for fragment in s["sources"]:
            hits = [d for d in transcripts if fragment in d.text]
            if len(hits) != 1:
                raise GoldError(f"{gold_path}: source {fragment[:50]!r} is in {len(hits)} "
                                "transcripts (needs exactly one)")
            at = _find(hits[0].text, fragment, hits[0].id)
            sources.append(GoldSource(hits[0].id, at, at + len(fragment)))
        spans.append(GoldSpan(s["article"].split("_")[0], s["article"], start,
                              start + len(s["text"]), tuple(sources)))
    return Collection(docs, spans)


def load_sample(folder: Path = SAMPLE_DIR, annotator: str = SAMPLE_ANNOTATOR) -> Collection:
    """The bundled sample: one annotator's linked and no-source spans (fold "veland"),
    plus every sentence of the articles whose event has no transcript (no source)."""
    docs = _documents(Path(folder))
    spec = json.loads((Path(folder) / "annotations.json").read_text(encoding="utf-8"))
    events_with_transcript = {d.event for d in docs.values() if d.kind == "transcript"}
    spans, seen = [], set()

    def locate(text: str, quote: str, occurrence: int) -> int:
        at = -1
        for _ in range(max(1, occurrence)):
            at = text.find(quote, at + 1)
            if at < 0:
                raise GoldError(f"{folder}: quote not found: {quote[:60]!r}")
        return at

    for item in spec["annotations"]:
        doc = docs[item["document"]]
        if item["annotator"] != annotator or doc.kind != "article":
            continue
        if not item.get("links") and not item.get("no_source"):
            continue
        start = locate(doc.text, item["quote"], item.get("occurrence", 1))
        key = (doc.id, start, start + len(item["quote"]))
        if key in seen:
            continue
        seen.add(key)
        sources = []
        for link in item.get("links", []):
            target = next(d for d in docs.values() if d.kind == "transcript"
                          and link["quote"] in d.text)
            at = locate(target.text, link["quote"], link.get("occurrence", 1))
            sources.append(GoldSource(target.id, at, at + len(link["quote"])))
        spans.append(GoldSpan("veland", *key, tuple(sources)))
    for doc in docs.values():
        if doc.kind == "article" and doc.event not in events_with_transcript:
            for seg in segment_sentences(doc.text):
                spans.append(GoldSpan("veland", doc.id, seg.start, seg.end, ()))
    return Collection(docs, spans)


def load_all(corpus_dir: Path = CORPUS) -> Collection:
    """Every event whose files are found (the real corpus only when beside the checkout)."""
    parts = [load_events(), load_sample()]
    if Path(corpus_dir).is_dir():
        parts.insert(0, load_real(corpus_dir))
    documents: dict[str, Document] = {}
    spans: list[GoldSpan] = []
    for part in parts:
        clash = documents.keys() & part.documents.keys()
        if clash:
            raise GoldError(f"two events share the file name {sorted(clash)[0]}")
        documents.update(part.documents)
        spans.extend(part.spans)
    return Collection(documents, spans)


# --------------------------------------------------------------------------- measures

def _overlaps(candidate: Candidate, source: GoldSource) -> bool:
    return candidate.document_id == source.file and any(
        start < source.end and source.start < end for start, end in candidate.ranges)


@dataclass
class Record:
    span: GoldSpan
    candidates: list[Candidate]
    rank: int | None  # of the first correct candidate, or None
    covered: int  # gold sources found in the first 5

    @property
    def flagged(self) -> bool:
        return is_no_source(self.candidates)

    @property
    def top(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


def score_spans(collection: Collection, spans: Sequence[GoldSpan], index: SourceIndex,
                query: Callable[..., list[Candidate]] | None = None) -> list[Record]:
    """Each span queried in scope "all" with its article's context."""
    records = []
    for span in spans:
        text = collection.text(span)
        if query is None:
            candidates = index.query(text, top=10, context=collection.context(span),
                                     where=collection.where(span))
        else:
            candidates = query(text, collection.context(span))
        rank = next((r for r, c in enumerate(candidates, 1)
                     if any(_overlaps(c, s) for s in span.sources)), None)
        covered = sum(any(_overlaps(c, s) for c in candidates[:5]) for s in span.sources)
        records.append(Record(span, candidates, rank, covered))
    return records


def reliability(records: Sequence[Record], bins: int = BINS) -> list[dict]:
    """Per bin of the top score: spans, mean score, share whose first suggestion is right."""
    rows = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [r for r in records if low <= r.top < high or (b == bins - 1 and r.top == 1.0)]
        if inside:
            rows.append({"low": low, "high": high, "spans": len(inside),
                         "mean_score": float(np.mean([r.top for r in inside])),
                         "right": float(np.mean([r.rank == 1 for r in inside]))})
    return rows


def summarise(records: Sequence[Record]) -> dict:
    """recall@k: share of sourced spans with a correct candidate among the first k;
    mrr: mean reciprocal rank of the first correct one (0 beyond 10); coverage@5: share
    of (span, gold source) pairs found in the first 5; no_source_accuracy: share of
    no-source spans flagged; sourced_kept: share of sourced spans not flagged;
    decision_accuracy: share of all spans decided right; ece: expected calibration
    error of the top score read as the probability that the first suggestion is right
    (mean over ``BINS`` bins weighted by their spans); log_loss: of the same."""
    sourced = [r for r in records if r.span.sources]
    empty = [r for r in records if not r.span.sources]

    def share(part: float, whole: int) -> float:
        return part / whole if whole else float("nan")

    table = reliability(records)
    n = len(records)
    losses = [-math.log(min(max(r.top, 1e-6), 1 - 1e-6) if r.rank == 1
                        else 1 - min(max(r.top, 1e-6), 1 - 1e-6)) for r in records]
    return {
        "spans": n, "sourced": len(sourced), "no_source": len(empty),
        "recall_at_1": share(sum(r.rank == 1 for r in sourced), len(sourced)),
        "recall_at_5": share(sum(r.rank is not None and r.rank <= 5 for r in sourced),
                             len(sourced)),
        "mrr": share(sum(1.0 / r.rank for r in sourced if r.rank), len(sourced)),
        "coverage_at_5": share(sum(r.covered for r in sourced),
                               sum(len(r.span.sources) for r in sourced)),
        "no_source_accuracy": share(sum(r.flagged for r in empty), len(empty)),
        "sourced_kept": share(sum(not r.flagged for r in sourced), len(sourced)),
        "decision_accuracy": share(sum(r.flagged != bool(r.span.sources) for r in records), n),
        "ece": share(sum(row["spans"] * abs(row["right"] - row["mean_score"]) for row in table),
                     n),
        "log_loss": share(sum(losses), n),
        "reliability": table,
    }


def failures(records: Sequence[Record]) -> list[tuple[str, Record]]:
    out = []
    for r in records:
        if not r.span.sources and not r.flagged:
            out.append(("false source", r))
        elif r.span.sources and r.flagged:
            out.append(("missed source", r))
        if r.span.sources and r.rank != 1:
            out.append((f"rank {r.rank}", r))
    return out


# ---------------------------------------------------------------------------- fitting

def training_examples(collection: Collection, spans: Sequence[GoldSpan], index: SourceIndex,
                      depth: int = 20) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Raw features of the ``depth`` best candidates of every span, labelled 1 when the
    candidate overlaps a gold source; plus, for each span, the row of its first."""
    rows, labels, firsts = [], [], []
    for span in spans:
        firsts.append(len(rows))
        for cand, feats in index.explain(collection.text(span), top=depth,
                                         context=collection.context(span),
                                         where=collection.where(span)):
            rows.append([feats[name] for name in index.features])
            labels.append(float(any(_overlaps(cand, s) for s in span.sources)))
    return np.asarray(rows).reshape(-1, len(index.features)), np.asarray(labels), firsts


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50,
                 sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised).

    ``sample_weight`` weighs each row's log loss (default 1 each)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (weight * (p - y)) + penalty * beta
        hessian = (design * (weight * p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta[1:], float(beta[0])


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """Sample weights that give both classes of ``y`` (0/1) the same total weight."""
    positives = float(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("the spans fitted on need both sourced and no-source spans")
    return np.where(y > 0, len(y) / (2 * positives), len(y) / (2 * negatives))


def fit_direction(x: np.ndarray, y: np.ndarray, firsts: Sequence[int]) -> np.ndarray:
    """The ranking's weights: a logistic regression of "this candidate overlaps a gold
    source" on the candidates' features (``firsts``, each span's first row, unused here;
    ``suggest_trials.py`` tries a listwise fit that needs it)."""
    return fit_logistic(x, y)[0]


def fit_calibration(collection: Collection, spans: Sequence[GoldSpan],
                    index: SourceIndex) -> dict:
    """Fit WEIGHTS/BIAS on ``spans``; ``index`` picks the candidates fitted on.

    First the direction: a logistic regression of "this candidate overlaps a gold
    source" on the features of the 20 best candidates of every span (the ranking).
    Then the scale (Platt scaling): a one-feature logistic regression of "the first
    candidate is right" on its combined score, both classes weighing the same and the
    slope penalised (``PLATT_L2``), so a top score reads as the probability that the
    first suggestion is right at even prior odds and 0.5 is the natural threshold.
    """
    x, y, firsts = training_examples(collection, spans, index)
    direction = fit_direction(x, y, firsts)
    bounds = firsts[1:] + [len(x)]
    top_score, top_label = [], []
    for first, end in zip(firsts, bounds):
        if first == end:
            continue  # no candidate at all: certainly no source, nothing to fit
        best = first + int(np.argmax(x[first:end] @ direction))
        top_score.append(float(x[best] @ direction))
        top_label.append(y[best])
    score, label = np.asarray(top_score), np.asarray(top_label)
    centre, spread = float(score.mean()), float(score.std()) or 1.0
    (slope,), intercept = fit_logistic(((score - centre) / spread)[:, None], label,
                                       l2=PLATT_L2, sample_weight=balanced_weights(label))
    scale = slope / spread
    return {"weights": [round(float(w), 3) for w in scale * direction],
            "bias": round(float(intercept - scale * centre), 3)}


def fit(collection: Collection, spans: Sequence[GoldSpan],
        lines: list[IndexedLine] | None = None) -> dict:
    """A calibration fitted on ``spans`` alone: from neutral weights, refitted once."""
    lines = collection.lines() if lines is None else lines
    index = collection.index(NEUTRAL_WEIGHTS, NEUTRAL_BIAS, lines)
    for _ in range(2):
        calibration = fit_calibration(collection, spans, index)
        index = collection.index(calibration["weights"], calibration["bias"], lines)
    return calibration


def held_out(collection: Collection, events: Sequence[str] | None = None) -> dict:
    """Leave one event out: each event measured with a calibration fitted on the others.

    Returns {"folds": [{"event", "calibration", measures, "records"}], "pooled": measures
    over every measured span}.
    """
    lines = collection.lines()
    present = [e for e in (events or EVENTS) if any(s.fold == e for s in collection.spans)]
    folds, records = [], []
    for event in present:
        train = [s for s in collection.spans if s.fold != event]
        test = [s for s in collection.spans if s.fold == event]
        calibration = fit(collection, train, lines)
        index = collection.index(calibration["weights"], calibration["bias"], lines)
        scored = score_spans(collection, test, index)
        records.extend(scored)
        folds.append({"event": event, "calibration": calibration, **summarise(scored),
                      "records": scored})
    return {"folds": folds, "pooled": summarise(records), "records": records}


def in_sample(collection: Collection) -> dict:
    """The shipped coefficients measured on all spans (they were fitted on them)."""
    records = score_spans(collection, collection.spans, collection.index())
    return {**summarise(records), "records": records}


# ---------------------------------------------------------------------------- printing

COLUMNS = (("recall_at_1", "recall@1"), ("recall_at_5", "recall@5"), ("mrr", "MRR"),
           ("no_source_accuracy", "no-src acc"), ("sourced_kept", "kept"),
           ("decision_accuracy", "decision"), ("ece", "ECE"), ("log_loss", "log loss"))


def format_table(rows: Sequence[tuple[str, dict]]) -> str:
    lines = [f"{'event':<26} {'sourced/none':>12} " + " ".join(f"{t:>10}" for _, t in COLUMNS)]
    for name, row in rows:
        lines.append(f"{name:<26} {row['sourced']:>5} / {row['no_source']:<4} "
                     + " ".join(f"{row[c]:>10.3f}" for c, _ in COLUMNS))
    return "\n".join(lines)


def format_reliability(table: Sequence[dict]) -> str:
    lines = [f"{'top score':<12} {'spans':>6} {'mean score':>11} {'first right':>12}"]
    for row in table:
        lines.append(f"{row['low']:.1f}-{row['high']:.1f}     {row['spans']:>6} "
                     f"{row['mean_score']:>11.3f} {row['right']:>12.3f}")
    return "\n".join(lines)


def report(collection: Collection) -> str:
    """The held-out tables (per event and pooled), the pooled reliability table, and the
    in-sample row beside them."""
    held = held_out(collection)
    sample = in_sample(collection)
    rows = [(f"{f['event']} (held out)", f) for f in held["folds"]]
    rows += [("pooled, held out", held["pooled"]), ("in sample (fitted on all)", sample)]
    return "\n".join([
        "source-line suggestions: leave one event out, scope all transcripts "
        f"({len(collection.transcripts())} transcripts, {len(collection.lines())} lines); "
        "no-source decided at the shipped 0.5",
        format_table(rows), "",
        "reliability of the top score, pooled held out:",
        format_reliability(held["pooled"]["reliability"]),
    ])


def print_failures(collection: Collection, records: Sequence[Record]) -> None:
    for kind, r in failures(records):
        print(f"{kind}: {r.span.article[:12]} {r.span.start}-{r.span.end} "
              f"{collection.text(r.span)[:70]!r}")
        for c in r.candidates[:3]:
            print(f"    {c.score:.2f} {c.document_id[:14]}#{','.join(map(str, c.lines))} "
                  f"{c.text[:70]!r}")


def review(collection: Collection) -> None:
    """Print every gold span with its sources, for a person to check the mapping."""
    for span in collection.spans:
        print(f"[{span.fold} {span.article[:14]} {span.start}-{span.end}] {collection.text(span)}")
        for source in span.sources:
            print(f"    <- {collection.documents[source.file].text[source.start:source.end]}")
        if not span.sources:
            print("    <- (no source)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=CORPUS)
    parser.add_argument("--fit", action="store_true",
                        help="refit the shipped calibration on all events and print it")
    parser.add_argument("--review", action="store_true", help="print the gold spans")
    parser.add_argument("--failures", action="store_true",
                        help="list the held-out spans decided or ranked wrong")
    args = parser.parse_args(argv)
    collection = load_all(args.corpus)
    if args.review:
        review(collection)
    if args.fit:
        print(json.dumps(fit(collection, collection.spans)))
    print(report(collection))
    if args.failures:
        print_failures(collection, held_out(collection)["records"])


if __name__ == "__main__":
    main()
