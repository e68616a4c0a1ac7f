"""Measure pre-annotation (proposed quotations and reported speech) against hand-made gold.

A developer's tool, not part of the application. Gold: ``tests/data/propose_gold.json``
(offsets and SHA-1 prefixes into the real articles 000-002 of ``../shared/corpus`` and
into the fictional articles of ``tests/data/events``; its description gives the
conventions). A proposal matches a gold unit when their ranges overlap by at least half
of their union (Jaccard >= 0.5), one to one, best overlap first.

Measures: precision and recall of spans; among matched spans, the share with the
right speaker (same surname), mode and channel (same words, case and "the"/"'s"
ignored; both empty counts as right).

Held out: the rules were written while reading the real and fictional articles, so
their figures are in sample. The sample project's reports (``resources/sample``) were
not read while writing them: their annotations (one annotator's spans with a mode of
direct quote, partial quote or indirect speech) are the held-out check. They are not
exhaustive (an annotator marks what the study needs), so only recall and the attribute
accuracies are measured there.

Run ``python benchmarks/propose_eval.py [--failures] [CORPUS_DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cisannotate.core.propose import Proposal, propose  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "tests" / "data" / "propose_gold.json"
EVENTS_DIR = ROOT / "tests" / "data" / "events"
SAMPLE_DIR = ROOT / "resources" / "sample"
SAMPLE_ANNOTATOR = "amira"
MODES = ("direct quote", "partial quote", "indirect speech")


@dataclass(frozen=True)
class Unit:
    article: str
    start: int
    end: int
    speaker: str
    mode: str
    channel: str


def load_gold(corpus_dir: Path = CORPUS, gold_path: Path = GOLD
              ) -> dict[str, tuple[str, list[Unit]]]:
    """{article: (its text, gold units)}; real articles only when the corpus is found."""
    data = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    out: dict[str, tuple[str, list[Unit]]] = {}
    for u in data["units"]:
        folder = Path(corpus_dir) if u["corpus"] == "shared" else EVENTS_DIR
        path = folder / u["article"]
        if not path.exists():
            continue
        if u["article"] not in out:
            out[u["article"]] = (path.read_text(encoding="utf-8"), [])
        text, units = out[u["article"]]
        if hashlib.sha1(text[u["start"]:u["end"]].encode()).hexdigest()[:12] != u["sha1"]:
            raise ValueError(f"{gold_path}: {u['article']} {u['start']}-{u['end']}: text changed")
        units.append(Unit(u["article"], u["start"], u["end"], u["speaker"], u["mode"], u["channel"]))
    return out


def load_sample(folder: Path = SAMPLE_DIR) -> dict[str, tuple[str, list[Unit]]]:
    spec = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    channels = spec.get("channels", [])
    out: dict[str, tuple[str, list[Unit]]] = {}
    for item in spec["annotations"]:
        if item["annotator"] != SAMPLE_ANNOTATOR or item.get("mode") not in MODES:
            continue
        if not item["document"].startswith("report_"):
            continue
        text = (folder / item["document"]).read_text(encoding="utf-8")
        at = -1
        for _ in range(item.get("occurrence", 1)):
            at = text.find(item["quote"], at + 1)
        units = out.setdefault(item["document"], (text, []))[1]
        channel = item.get("channel", "")
        units.append(Unit(item["document"], at, at + len(item["quote"]), item.get("speaker", ""),
                          item["mode"], channel if channel in channels or channel else ""))
    return out


def _norm(name: str) -> str:
    words = re.findall(r"\w+", re.sub(r"[\u2019']s\b", "", name.lower()))
    return " ".join(w for w in words if w not in ("the", "official"))


def same_speaker(a: str, b: str) -> bool:
    return bool(a and b) and _norm(a).split()[-1:] == _norm(b).split()[-1:]


def same_channel(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return a == b or (bool(a) and bool(b) and (a in b or b in a))


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(1, max(a[1], b[1]) - min(a[0], b[0]))


def match(proposals: Sequence[Proposal], units: Sequence[Unit]) -> list[tuple[Proposal, Unit]]:
    pairs = sorted(((jaccard((p.start, p.end), (u.start, u.end)), i, j)
                    for i, p in enumerate(proposals) for j, u in enumerate(units)), reverse=True)
    used_p, used_u, out = set(), set(), []
    for score, i, j in pairs:
        if score < 0.5:
            break
        if i in used_p or j in used_u:
            continue
        used_p.add(i)
        used_u.add(j)
        out.append((proposals[i], units[j]))
    return out


def measure(gold: dict[str, tuple[str, list[Unit]]], speakers: Sequence[str] = ()) -> dict:
    n_prop = n_gold = 0
    matched: list[tuple[Proposal, Unit]] = []
    misses: list[tuple[str, str, object]] = []
    for article, (text, units) in gold.items():
        proposals = propose(text, speakers)
        pairs = match(proposals, units)
        matched.extend(pairs)
        n_prop += len(proposals)
        n_gold += len(units)
        hit_p = {id(p) for p, _ in pairs}
        hit_u = {id(u) for _, u in pairs}
        misses += [("extra", article, p) for p in proposals if id(p) not in hit_p]
        misses += [("missed", article, u) for u in units if id(u) not in hit_u]
        misses += [("wrong", article, (p, u)) for p, u in pairs
                   if not (same_speaker(p.speaker, u.speaker) and p.mode == u.mode
                           and same_channel(p.channel, u.channel))]

    def share(k: int, n: int) -> float:
        return k / n if n else float("nan")

    m = len(matched)
    return {
        "gold": n_gold, "proposed": n_prop, "matched": m,
        "precision": share(m, n_prop), "recall": share(m, n_gold),
        "speaker": share(sum(same_speaker(p.speaker, u.speaker) for p, u in matched), m),
        "mode": share(sum(p.mode == u.mode for p, u in matched), m),
        "channel": share(sum(same_channel(p.channel, u.channel) for p, u in matched), m),
        "misses": misses,
    }


def report(corpus_dir: Path = CORPUS) -> str:
    gold = load_gold(corpus_dir)
    real = {k: v for k, v in gold.items() if k[:3].isdigit()}
    fiction = {k: v for k, v in gold.items() if not k[:3].isdigit()}
    rows = []
    if real:
        rows.append(("real 000-002 (in sample)", measure(real)))
    rows.append(("fictional events (in sample)", measure(fiction)))
    sample = load_sample()
    rows.append(("sample reports (held out)", measure(sample)))
    lines = ["pre-annotation: proposals against hand-made gold (match = Jaccard >= 0.5); "
             "the sample's annotations are not exhaustive, so precision there is not measured",
             f"{'set':<30} {'gold':>5} {'proposed':>9} {'precision':>10} {'recall':>7} "
             f"{'speaker':>8} {'mode':>6} {'channel':>8}"]
    for name, r in rows:
        precision = "" if name.startswith("sample") else f"{r['precision']:.3f}"
        lines.append(f"{name:<30} {r['gold']:>5} {r['proposed']:>9} {precision:>10} "
                     f"{r['recall']:>7.3f} {r['speaker']:>8.3f} {r['mode']:>6.3f} "
                     f"{r['channel']:>8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=CORPUS)
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--sample", action="store_true", help="list the sample's failures too")
    args = parser.parse_args(argv)
    print(report(args.corpus))
    if args.failures:
        gold = load_gold(args.corpus)
        if args.sample:
            gold = load_sample()
        for kind, article, item in measure(gold)["misses"]:
            text = gold[article][0]
            if kind == "wrong":
                p, u = item
                print(f"wrong  {article[:14]} {text[u.start:u.end][:60]!r}\n"
                      f"       got {p.speaker!r}/{p.mode}/{p.channel!r} want {u.speaker!r}/{u.mode}/{u.channel!r}")
            else:
                print(f"{kind:<6} {article[:14]} {text[item.start:item.end][:80]!r}"
                      + (f" [{item.speaker}/{item.mode}]" if kind == "extra" else ""))


if __name__ == "__main__":
    main()
