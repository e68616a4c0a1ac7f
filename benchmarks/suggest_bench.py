"""Quality and latency of source-line suggestions (and of pre-annotation).

Run ``.venv/bin/python benchmarks/suggest_bench.py`` (``make bench`` prints the same
quality tables after its timing table). Quality: leave one event out over the real
corpus beside the checkout (if found), two fictional events and the bundled sample,
every query searching all transcripts (``suggest_eval``); the in-sample row, with the
shipped coefficients fitted on every event, stands beside, labelled. Latency: one
query against a synthetic transcript of 10,000 lines (about 1 MB), made
deterministically by recombining a small built-in vocabulary, so no corpus text is
needed or shipped for the timing.

Goals (held out): recall@1 0.95, recall@5 0.99, no-source accuracy 0.9; under 50 ms a
query at 10,000 lines.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cisannotate.core.suggest import IndexedLine, SourceIndex  # noqa: E402
from cisannotate.core.suggest_context import InArticle  # noqa: E402

# Content words of speeches on security cooperation, plus function words; the
# synthetic transcript draws from them and from made-up rare words (a Zipf tail).
_COMMON = """
the of and to in a that is for on with as by it this are we our be at from not all
have has will which their they more an also must its can but or these new other
""".split()
_CONTENT = """
security intelligence services agencies cooperation threats terrorism extremism border
borders countries commonwealth stability peace development integration economy trade
investment sanctions pressure blackmail region regional international national sovereignty
partnership strategic collective information exchange operations training personnel
experience results effective resources potential risks challenges conflicts crisis
revolution destabilisation hegemony order world process west western policy culture
sports relations problems interests barrier support action measures infrastructure
cyberattacks critical attacks groups militants cells weapons drugs crime criminal
transnational illegal armed circulation situation attention protection internal external
conditions growth markets competitive positions session meeting colleagues work success
benefit peoples specialists monitoring analysis vector scale nature neutralisation
priority priorities focus coordination coherence role goals missions forefront fight
dangerous embassy citizens victims recruitment accomplices arms attempts centre space
countermeasures specialised indicators production satellites resource economies
""".split()


def synthetic_transcript(n_lines: int = 10_000, seed: int = 7) -> list[IndexedLine]:
    """Deterministic sentences of 8–28 words: common words, topic words and a rare tail."""
    rng = np.random.default_rng(seed)
    rare = ["".join(rng.choice(list("abcdefghiklmnoprstuvy"), size=rng.integers(5, 11)))
            for _ in range(20_000)]
    rare_p = 1.0 / np.arange(1, len(rare) + 1) ** 0.7
    rare_p /= rare_p.sum()
    content_p = 1.0 / np.arange(1, len(_CONTENT) + 1) ** 0.6
    content_p /= content_p.sum()
    refs, offset = [], 0
    for number in range(1, n_lines + 1):
        words = []
        for _ in range(int(rng.integers(8, 29))):
            kind = rng.random()
            if kind < 0.45:
                words.append(_COMMON[int(rng.integers(len(_COMMON)))])
            elif kind < 0.85:
                words.append(_CONTENT[int(rng.choice(len(_CONTENT), p=content_p))])
            else:
                words.append(rare[int(rng.choice(len(rare), p=rare_p))])
        text = " ".join(words).capitalize() + "."
        refs.append(IndexedLine("synthetic", number, offset, offset + len(text), text))
        offset += len(text) + 1
    return refs


def synthetic_queries(refs: list[IndexedLine], n: int = 30, seed: int = 11) -> list[str]:
    """Paraphrase-like queries: one to three consecutive lines, a third of words dropped."""
    rng = np.random.default_rng(seed)
    queries = []
    for k in range(n):
        first = int(rng.integers(len(refs) - 3))
        text = " ".join(r.text for r in refs[first:first + 1 + k % 3])
        words = [w for w in text.split() if rng.random() > 0.33]
        queries.append(" ".join(words))
    return queries


def synthetic_article(refs: list[IndexedLine], n: int = 20, seed: int = 13) -> tuple[str, list[tuple[int, int]]]:
    """A report of a stretch of the speech in its order: ``n`` sentences, each one line with
    a third of its words dropped, and each sentence's range."""
    rng = np.random.default_rng(seed)
    first = int(rng.integers(len(refs) - 3 * n))
    parts, spans, offset = [], [], 0
    for k in range(n):
        words = [w for w in refs[first + 3 * k].text.rstrip(".").split() if rng.random() > 0.33]
        sentence = " ".join(words).capitalize() + "."
        parts.append(sentence)
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence) + 1
    return " ".join(parts), spans


def placed_timings(index: SourceIndex, refs: list[IndexedLine]) -> tuple[float, list[float]]:
    """The first query of a span in an article of 20 sentences (which reads the article:
    every sentence ranked once, for the ``order`` feature), and each later query of one of
    its sentences, in ms."""
    text, spans = synthetic_article(refs)
    start = time.perf_counter()
    index.query(text[spans[0][0]:spans[0][1]], top=5, where=InArticle(text, *spans[0]))
    first = (time.perf_counter() - start) * 1000
    timings = []
    for low, high in spans[1:]:
        start = time.perf_counter()
        index.query(text[low:high], top=5, where=InArticle(text, low, high))
        timings.append((time.perf_counter() - start) * 1000)
    return first, timings


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def quality_report() -> str:
    """The held-out quality tables of suggestions and pre-annotation."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import propose_eval
    import suggest_eval

    return suggest_eval.report(suggest_eval.load_all()) + "\n\n" + propose_eval.report()


def timing_rows() -> list[tuple[str, str, str]]:
    refs = synthetic_transcript()
    size = sum(len(r.text.encode("utf-8")) + 1 for r in refs)
    start = time.perf_counter()
    index = SourceIndex(refs)
    build = time.perf_counter() - start
    queries = synthetic_queries(refs)
    index.query(queries[0])  # warm the word caches, as any session after its first query
    timings = []
    for query in queries:
        start = time.perf_counter()
        index.query(query, top=5)
        timings.append((time.perf_counter() - start) * 1000)
    # A whole article selected at once: 30 sentences, each also scored alone.
    long_query = " ".join(r.text for r in refs[500:530])
    start = time.perf_counter()
    index.query(long_query)
    long_ms = (time.perf_counter() - start) * 1000
    first_placed, placed = placed_timings(index, refs)
    return [
        (f"index build, {len(refs):,} lines ({size / 1e6:.2f} MB)", f"{build:.2f} s", "< 2 s"),
        (f"query latency median ({len(queries)} queries)",
         f"{statistics.median(timings):.1f} ms", "< 50 ms"),
        ("query latency worst", f"{max(timings):.1f} ms", "< 50 ms"),
        (f"one query of 30 sentences ({len(long_query):,} chars)", f"{long_ms:.1f} ms", ""),
        (f"query in its article, median ({len(placed)} queries)", f"{statistics.median(placed):.1f} ms",
         "< 50 ms"),
        ("query in its article, worst", f"{max(placed):.1f} ms", "< 50 ms"),
        ("first query of an article (reads its 20 sentences)", f"{first_placed:.1f} ms", ""),
    ]


def main() -> None:
    print(f"machine: {platform.platform()}; {cpu_name()} ({os.cpu_count()} cores); "
          f"Python {platform.python_version()}")
    rows = timing_rows()
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  goal")
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:>10}  {goal}")
    print()
    print(quality_report())


if __name__ == "__main__":
    main()
