"""Variants of the suggestion model that were tried, measured like the shipped one.

Run ``.venv/bin/python benchmarks/suggest_trials.py [--semantic]``. Each variant is
measured leave one event out (``suggest_eval.held_out``), so its figures compare with
the shipped model's held-out row:

* **no priors**: the article's event and date are not given to the index (every line
  counts as the article's event, as in scope "event");
* **no merged candidates**: consecutive lines are never offered as one candidate;
* **semantic hybrid** (``--semantic``, needs ``pip install "wordllama==0.4.*"``): the
  lexical features plus the cosine of wordllama's 256-dimension static embeddings of
  the span and the line, loaded from the installed package with downloads disabled;
  also timed at 10,000 synthetic lines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import suggest_eval as ev  # noqa: E402

from cisannotate.core import suggest  # noqa: E402
from cisannotate.core.suggest import Embedder, SourceIndex  # noqa: E402


class WordLlamaEmbedder(Embedder):
    """wordllama's bundled model, read from the installed package; nothing is downloaded."""

    def __init__(self) -> None:
        import wordllama  # noqa: PLC0415 - an optional, heavy import
        from wordllama import WordLlama

        self.model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent,
                                    disable_download=True)

    def embed(self, texts):
        return np.asarray(self.model.embed(list(texts), norm=True), np.float32)


def _row(name: str, outcome: dict) -> tuple[str, dict]:
    return (name, outcome["pooled"])


def no_priors(collection: ev.Collection) -> dict:
    original = ev.Collection.context
    ev.Collection.context = lambda self, span: None
    try:
        return ev.held_out(collection)
    finally:
        ev.Collection.context = original


def no_merging(collection: ev.Collection) -> dict:
    original = suggest.MERGE_GAIN
    suggest.MERGE_GAIN = 2.0  # never reached: a share is at most 1
    try:
        return ev.held_out(collection)
    finally:
        suggest.MERGE_GAIN = original


def semantic(collection: ev.Collection, embedder: Embedder) -> dict:
    features = suggest.FEATURES + ("meaning",)
    saved = (ev.Collection.index, ev.NEUTRAL_WEIGHTS)

    def index(self, weights=None, bias=None, lines=None):
        return SourceIndex(self.lines() if lines is None else lines, weights, bias,
                           self.speeches(), embedder=embedder)

    ev.Collection.index = index
    ev.NEUTRAL_WEIGHTS = (1.0,) * len(features)
    try:
        return ev.held_out(collection)
    finally:
        ev.Collection.index, ev.NEUTRAL_WEIGHTS = saved


def semantic_timing(embedder: Embedder) -> str:
    from suggest_bench import synthetic_queries, synthetic_transcript

    refs = synthetic_transcript()
    queries = synthetic_queries(refs)
    lines = []
    for name, make in (("lexical", lambda: SourceIndex(refs)),
                       ("semantic hybrid", lambda: SourceIndex(
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
        lines.append(f"{name:<16} build {build:.2f} s; query median {statistics.median(times):.1f} ms,"
                     f" worst {max(times):.1f} ms ({len(refs):,} lines)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semantic", action="store_true", help="also try the wordllama hybrid")
    args = parser.parse_args()
    collection = ev.load_all()
    rows = [_row("shipped (held out)", ev.held_out(collection)),
            _row("no priors", no_priors(collection)),
            _row("no merged candidates", no_merging(collection))]
    timing = ""
    if args.semantic:
        start = time.perf_counter()
        embedder = WordLlamaEmbedder()
        loaded = time.perf_counter() - start
        rows.append(_row("semantic hybrid", semantic(collection, embedder)))
        timing = f"wordllama import and load: {loaded:.2f} s\n" + semantic_timing(embedder)
    print("pooled over the events, each held out (scope all transcripts)")
    print(ev.format_table(rows))
    if timing:
        print(timing)


if __name__ == "__main__":
    main()
