"""Time of exporting and merging a large project.

Run ``.venv/bin/python benchmarks/exchange_bench.py [SPANS]``. Builds a
synthetic project in a temporary folder (one transcript, 200 articles, SPANS
spans, default 100,000, and a link for every second span), then times: the
native JSON export with texts, a merge of that file into an empty project
file (everything added), a second merge of the same file (everything
skipped), and the W3C export and the tables.

Goal: a merge of 100,000 annotations in under 10 s.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cisannotate.core.model import Document, Link, SourceLine, Span  # noqa: E402
from cisannotate.core.text import quote_at, sha256_text  # noqa: E402
from cisannotate.io.exchange import ExportOptions, export_project  # noqa: E402
from cisannotate.io.merge import merge_file  # noqa: E402
from cisannotate.storage import Store  # noqa: E402

_WORDS = "the minister said that border security cooperation must improve before winter and agencies agreed".split()


def _text(seed: int, sentences: int) -> str:
    out = []
    for i in range(sentences):
        words = [_WORDS[(seed * 7 + i * 3 + k * 5) % len(_WORDS)] for k in range(12)]
        out.append(" ".join(words).capitalize() + f" ({seed}-{i}).")
    return " ".join(out)


def build(store: Store, n_spans: int) -> None:
    transcript_text = _text(0, 2000)
    transcript = Document(id=sha256_text(transcript_text)[:16], kind="transcript", title="Briefing",
                          text=transcript_text, sha256=sha256_text(transcript_text), event="e")
    lines, at = [], 0
    for number, sentence in enumerate(transcript_text.split(". "), start=1):
        end = min(at + len(sentence) + 1, len(transcript_text))
        lines.append(SourceLine(transcript.id, number, at, end, 1))
        at = end + 1
        if at >= len(transcript_text):
            break
    store.add_document(transcript, lines)
    articles = []
    for a in range(200):
        text = _text(a + 1, 400)
        doc = Document(id=sha256_text(text)[:16], kind="article", title=f"Report {a}", text=text,
                       sha256=sha256_text(text), outlet=f"Outlet {a % 9}", event="e")
        store.add_document(doc)
        articles.append(doc)
    categories = [c.id for c in store.categories()]
    spans, links = [], []
    for i in range(n_spans):
        doc = articles[i % len(articles)]
        start = (i // len(articles)) * 47 % (len(doc.text) - 80)
        quote = quote_at(doc.text, start, start + 40)
        layer = ("amira", "jonas")[i % 2]
        span = Span(id=f"s{i:07d}", document_id=doc.id, start=start, end=start + 40, annotator=layer, layer=layer,
                    quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix,
                    category_id=categories[i % len(categories)], mode="paraphrase",
                    created="2026-03-02T09:00:00.000Z", modified="2026-03-02T09:00:00.000Z")
        spans.append(span)
        if i % 2 == 0:
            t = (i * 13) % (len(transcript_text) - 60)
            links.append(Link(id=f"k{i:07d}", span_id=span.id, target_document_id=transcript.id,
                              target_start=t, target_end=t + 50, relation="close paraphrase",
                              annotator=layer, layer=layer, created=span.created, modified=span.modified))
    with store.atomic():
        store.add_spans(spans)
        store.add_links(links)


def timed(label: str, fn):
    """Run ``fn``; print wall-clock and CPU time (the latter is steadier on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(f"{label:<42} {time.perf_counter() - wall:6.2f} s  (CPU {time.process_time() - cpu:5.2f} s)")
    return result


def main() -> None:
    n_spans = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"Python {platform.python_version()} on {platform.machine()}; {n_spans:,} spans, {n_spans // 2:,} links")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = Store.open(folder / "source.cisannotate")
        timed("build the synthetic project", lambda: build(source, n_spans))
        out = folder / "export.json"
        timed("export native JSON (with texts)",
              lambda: export_project(source, out, ExportOptions("json", with_text=True)))
        print(f"{'':<42} {out.stat().st_size / 2**20:6.1f} MB")
        timed("export W3C", lambda: export_project(source, folder / "export.jsonld", ExportOptions("w3c")))
        timed("export tables", lambda: export_project(source, folder / "tables.zip", ExportOptions("tables")))
        target = Store.open(folder / "target.cisannotate")
        report = timed("merge into an empty project", lambda: merge_file(target, out))
        print(f"{'':<42} added {report.added['spans']:,} spans, {report.added['links']:,} links")
        report = timed("merge the same file again", lambda: merge_file(target, out))
        print(f"{'':<42} skipped {report.skipped['spans']:,} spans, {report.skipped['links']:,} links")


if __name__ == "__main__":
    main()
