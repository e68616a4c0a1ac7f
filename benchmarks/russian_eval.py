"""Source-line suggestions within Russian, held out across the Russian events.

A developer's tool, not part of the application. The events are fictional texts
written for the purpose (``tests/data/ru``), each a transcript in the style of the
Kremlin's and Russian reports of it, with hand-made gold:

* **supply** (``gold.json``): a meeting on the northern supply run; a news agency's
  close report and a regional paper's freer retelling (26 sourced, 6 no-source spans;
  the English article of the same gold file is left to ``core/crosslang.py``).
* **wildfires** (``gold_2.json``): a meeting on the wildfire season; a wire report
  in the TASS style and an agency item in the Interfax style (24 sourced, 8 no-source
  spans), written and annotated before anything was measured on it.

As in the window, both transcripts are indexed together, each with its event and
date, and every query carries its article's event and date (the priors); scope
"event" (the window's default) searches the article's event's transcript, scope
"all" both.

The ranking and the calibrated score are the shipped English model's: nothing in
them is fitted on Russian. What can be fitted is the no-source threshold, and it is
fitted **inside the loop**: for each event, on the other event's spans only (leave one
event out), the threshold on the top score that maximises the balanced accuracy
(the mean of no-source accuracy and kept), taken midway between neighbouring scores.

Run ``python benchmarks/russian_eval.py [--spans]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cisannotate.core.language import no_source_threshold  # noqa: E402
from cisannotate.core.segment import segment_transcript  # noqa: E402
from cisannotate.core.suggest_context import InArticle  # noqa: E402
from cisannotate.core.suggest import (  # noqa: E402
    NO_SOURCE_THRESHOLD,
    Candidate,
    Context,
    IndexedLine,
    SourceIndex,
    Speech,
)

FOLDER = ROOT / "tests" / "data" / "ru"
# gold file -> (event name, date of the meeting and its reports)
SHIPPED = no_source_threshold("ru") or NO_SOURCE_THRESHOLD
EVENTS = {"gold.json": ("supply", "2025-03-14"), "gold_2.json": ("wildfires", "2025-04-22")}


@dataclass
class Span:
    event: str
    article: str
    text: str
    sources: set[int]
    candidates: list[Candidate]

    @property
    def sourced(self) -> bool:
        return bool(self.sources)

    @property
    def top(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0

    def rank(self) -> int | None:
        for k, c in enumerate(self.candidates, start=1):
            if set(c.lines) & self.sources:
                return k
        return None


def load(scope: str) -> list[Span]:
    """Every Russian-language gold span with its candidates (top 10)."""
    golds = {name: json.loads((FOLDER / name).read_text(encoding="utf-8")) for name in EVENTS}
    refs: list[IndexedLine] = []
    speeches = {}
    for name, gold in golds.items():
        event, date = EVENTS[name]
        text = (FOLDER / gold["transcript"]).read_text(encoding="utf-8")
        refs.extend(IndexedLine(event, s.number, s.start, s.end, text[s.start:s.end], s.speaker)
                    for s in segment_transcript(text, "ru"))
        speeches[event] = Speech(event, date)
    index = SourceIndex(refs, speeches=speeches)
    spans = []
    for name, gold in golds.items():
        event, date = EVENTS[name]
        for g in gold["spans"]:
            if g["language"] != "ru":
                continue
            article = (FOLDER / g["article"]).read_text(encoding="utf-8")
            quote = article[g["start"]:g["end"]]
            if hashlib.sha1(quote.encode("utf-8")).hexdigest()[:12] != g["sha1"]:
                raise SystemExit(f"{name}: gold span {g['start']}-{g['end']} of {g['article']} has moved")
            found = index.query(quote, top=10, documents=[event] if scope == "event" else None,
                                context=Context(event, date),
                                where=InArticle(article, g["start"], g["end"], "ru"))
            spans.append(Span(event, g["article"], quote, {s["line"] for s in g["sources"]}, found))
    return spans


def fit_threshold(spans: list[Span]) -> float:
    """The top-score threshold with the best balanced accuracy on ``spans``."""
    scores = sorted({s.top for s in spans})
    cuts = [0.0] + [(a + b) / 2 for a, b in zip(scores, scores[1:], strict=False)] + [1.0]
    sourced = [s for s in spans if s.sourced]
    none = [s for s in spans if not s.sourced]

    def balanced(cut: float) -> float:
        kept = sum(s.top >= cut for s in sourced) / len(sourced)
        flagged = sum(s.top < cut for s in none) / len(none)
        return (kept + flagged) / 2

    best = max(balanced(c) for c in cuts)
    # Of equally good cuts, the one nearest the calibrated 0.5.
    return min((c for c in cuts if balanced(c) == best), key=lambda c: abs(c - NO_SOURCE_THRESHOLD))


def shipped_fit() -> float:
    """The threshold fitted on every Russian span (scope "event"), as core/language.py ships it."""
    return round(fit_threshold(load("event")), 3)


def measure(spans: list[Span], threshold: dict[str, float] | float) -> dict:
    def cut(s: Span) -> float:
        return threshold[s.event] if isinstance(threshold, dict) else threshold

    sourced = [s for s in spans if s.sourced]
    none = [s for s in spans if not s.sourced]
    ranks = [s.rank() for s in sourced]
    return {
        "sourced": len(sourced), "none": len(none),
        "top1": sum(r == 1 for r in ranks), "top5": sum(r is not None and r <= 5 for r in ranks),
        "mrr": sum(1 / r for r in ranks if r) / len(sourced) if sourced else 0.0,
        "flagged": sum(s.top < cut(s) for s in none),
        "kept": sum(s.top >= cut(s) for s in sourced),
    }


def row(label: str, m: dict) -> str:
    n, k = m["sourced"], m["none"]
    return (f"{label:34} {n:3d} / {k:<3d} {m['top1'] / n:9.3f} {m['top5'] / n:9.3f} {m['mrr']:7.3f}"
            f" {m['flagged'] / k if k else 0:9.3f} ({m['flagged']}/{k}) {m['kept'] / n:7.3f} ({m['kept']}/{n})"
            f" {(m['flagged'] + m['kept']) / (n + k):9.3f}")


def report(scope: str, show_spans: bool = False) -> None:
    spans = load(scope)
    events = list(dict.fromkeys(s.event for s in spans))
    print(f"\nscope {scope!r}: both Russian transcripts indexed, article's event and date as context")
    print(f"{'':34} sourced/none  recall@1  recall@5     MRR   no-src acc          kept          decision")
    fitted = {e: fit_threshold([s for s in spans if s.event != e]) for e in events}
    for e in events:
        mine = [s for s in spans if s.event == e]
        print(row(f"{e}, threshold 0.5", measure(mine, NO_SOURCE_THRESHOLD)))
        print(row(f"{e}, threshold {fitted[e]:.3f} (other event)", measure(mine, fitted)))
    print(row("pooled, threshold 0.5", measure(spans, NO_SOURCE_THRESHOLD)))
    print(row("pooled, threshold fitted held out", measure(spans, fitted)))
    print(row(f"in sample, threshold {fit_threshold(spans):.3f}", measure(spans, fit_threshold(spans))))
    print(row(f"shipped threshold {SHIPPED:.3f} (in sample)", measure(spans, SHIPPED)))
    if show_spans:
        for s in spans:
            r = s.rank()
            mark = "ok " if (r == 1 if s.sourced else s.top < NO_SOURCE_THRESHOLD) else "MISS"
            best = s.candidates[0].lines if s.candidates else ()
            print(f"{mark} {s.event:9} top {s.top:.2f} rank {r} best {best} gold {sorted(s.sources)} | {s.text[:90]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", action="store_true", help="list every span with its rank and top score")
    parser.add_argument("--fit", action="store_true",
                        help="print the Russian no-source threshold fitted on all Russian spans (the shipped one)")
    args = parser.parse_args(argv)
    if args.fit:
        print(f"NO_SOURCE_THRESHOLDS['ru'] = {shipped_fit():.3f}  (core/language.py)")
        return
    for scope in ("event", "all"):
        report(scope, args.spans)


if __name__ == "__main__":
    main()
