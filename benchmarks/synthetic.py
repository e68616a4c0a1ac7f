"""Deterministic synthetic corpora for ``benchmarks/run.py``.

Sentences are built from small word lists by a few templates, so they read
like the opening remarks of a security meeting and the news reports about it
("The heads of the border services agreed to expand joint training across the
region in 2024.") without any corpus text being shipped. Every builder takes a
seed; the same seed gives byte-identical texts, so figures from two machines
are measured on the same data.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from cisannotate.core.model import Document, Link, SourceLine, Span
from cisannotate.core.text import quote_at, sha256_text
from cisannotate.storage import Store

_SUBJECTS = (
    "The minister", "Our partners", "The heads of the border services", "The security council",
    "Western governments", "The intelligence agencies", "Our colleagues from the region", "The delegation",
    "The president", "The committee on cooperation", "Several member states", "The working group",
    "Law enforcement bodies", "The customs service", "The secretariat", "The armed forces",
    "Experts from the interior ministry", "The national guard", "The cyber defence centre", "Regional leaders",
)
_VERBS = (
    "must strengthen", "have agreed to expand", "will continue to support", "are deeply concerned about",
    "discussed", "reported progress on", "called for", "proposed to review", "intend to finance",
    "cannot accept", "have doubled", "warned against", "praised", "promised to improve", "will coordinate",
    "rejected", "are preparing", "have completed", "welcomed", "need to modernise",
)
_ADJECTIVES = (
    "closer", "joint", "regional", "international", "effective", "strategic", "collective", "national",
    "reliable", "modern", "illegal", "transnational", "critical", "common", "external", "lasting",
)
_NOUNS = (
    "cooperation", "exchange of information", "border controls", "training of personnel", "cyber defence",
    "operations against trafficking", "protection of infrastructure", "monitoring of threats",
    "sanctions", "investment in equipment", "counter-terrorism measures", "integration", "partnership",
    "coordination of agencies", "response to crises", "stability", "security of elections",
    "fight against extremism", "data sharing", "emergency planning",
)
_COMPLEMENTS = (
    "in the coming year", "across the region", "despite external pressure", "before the winter session",
    "with our neighbours", "within the Commonwealth", "by the end of the decade", "at every level",
    "on both sides of the border", "in close contact with the ministries", "without further delay",
    "as agreed last spring", "under the new agreement", "for the benefit of our citizens",
)
_CLAUSES = (
    "and the results are already visible", "because the threats are growing", "although much remains to be done",
    "which our experts confirmed", "as the figures show", "so that no one is left unprotected",
    "while respecting national sovereignty", "and we will report on it next year",
)
_OUTLETS = ("Nordlight", "The Ambry Gazette", "Meridian Post", "Radio Estra", "Ostmark Today", "Harbour Daily",
            "Compact Wire", "Evening Ledger", "Valley Courier")


def sentence(rng: random.Random) -> str:
    """One sentence of 60 to 200 characters."""
    words = [rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_ADJECTIVES), rng.choice(_NOUNS)]
    roll = rng.random()
    if roll < 0.7:
        words.append(rng.choice(_COMPLEMENTS))
    if roll < 0.3:
        words[-1] += ","
        words.append(rng.choice(_CLAUSES))
    elif roll > 0.85:
        words.append(f"by {rng.randint(3, 60)} percent in {rng.randint(2015, 2025)}")
    return " ".join(words) + "."


@dataclass
class Text:
    text: str
    lines: list[tuple[int, int, int]]  # (start, end, paragraph) of each sentence


def text_of(rng: random.Random, sentences: int, per_paragraph: tuple[int, int] = (3, 7),
            title: str | None = None) -> Text:
    """Paragraphs of sentences (blank line between), with each sentence's offsets."""
    parts: list[str] = []
    lines: list[tuple[int, int, int]] = []
    at = 0
    if title:
        parts.append(title + "\n\n")
        at = len(parts[0])
    paragraph, left = 1, rng.randint(*per_paragraph)
    for i in range(sentences):
        s = sentence(rng)
        lines.append((at, at + len(s), paragraph))
        left -= 1
        last = i == sentences - 1
        sep = "" if last else (" " if left else "\n\n")
        parts.append(s + sep)
        at += len(s) + len(sep)
        if not left:
            paragraph, left = paragraph + 1, rng.randint(*per_paragraph)
    return Text("".join(parts) + "\n", lines)


def _document(doc_id_seed: str, kind: str, title: str, text: str, **fields) -> Document:
    sha = sha256_text(text)
    return Document(id=sha[:16], kind=kind, title=title, text=text, sha256=sha, **fields)


def _span(i: int, doc: Document, start: int, end: int, layer: str, **fields) -> Span:
    quote = quote_at(doc.text, start, end)
    stamp = "2026-03-02T09:00:00.000Z"
    return Span(id=f"{doc.id[:6]}-s{i:06d}", document_id=doc.id, start=start, end=end, annotator=layer,
                layer=layer, quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix,
                created=stamp, modified=stamp, **fields)


def _link(i: int, span: Span, target: Document, start: int, end: int, relation: str) -> Link:
    return Link(id=f"{span.id}-k{i}", span_id=span.id, target_document_id=target.id, target_start=start,
                target_end=end, relation=relation, annotator=span.annotator, layer=span.layer,
                created=span.created, modified=span.created)


RELATIONS = ("verbatim", "close paraphrase", "loose paraphrase", "distortion")
LAYERS = ("amira", "jonas")


@dataclass
class BigProject:
    path: Path
    transcript_id: str
    article_id: str
    transcript_bytes: int
    transcript_lines: int
    transcript_spans: int
    links: int


def build_big_project(path: Path, *, lines: int = 10_500, spans: int = 10_000, links: int = 2_000,
                      seed: int = 1) -> BigProject:
    """A 1 MB transcript holding ``spans`` annotations, an article with ``links`` links into it.

    A small article and transcript of another event come first in the corpus,
    so the window opens on them and opening the big pair is a step of its own.
    """
    rng = random.Random(seed)
    store = Store.open(path)
    categories = [c.id for c in store.categories()]
    with store.atomic():
        small = text_of(rng, 40)
        small_t = _document("", "transcript", "Short briefing", small.text, event="aaa-small",
                            date="2024-01-10", outlet="Ministry")
        store.add_document(small_t, [SourceLine(small_t.id, n, s, e, p) for n, (s, e, p) in
                                     enumerate(small.lines, start=1)])
        small_a = text_of(rng, 12, title="Ministry holds short briefing")
        store.add_document(_document("", "article", "Ministry holds short briefing", small_a.text,
                                     event="aaa-small", date="2024-01-10", outlet="Nordlight"))

        big = text_of(rng, lines)
        transcript = _document("", "transcript", "Annual meeting of the heads of security services", big.text,
                               event="big-meeting", date="2024-10-17", outlet="Ministry of Interior")
        store.add_document(transcript, [SourceLine(transcript.id, n, s, e, p)
                                        for n, (s, e, p) in enumerate(big.lines, start=1)])
        article_text = text_of(rng, links, title="Security chiefs agree on closer cooperation")
        article = _document("", "article", "Security chiefs agree on closer cooperation", article_text.text,
                            event="big-meeting", date="2024-10-18", outlet="Meridian Post")
        store.add_document(article)

        # The transcript's own annotations: about one per sentence, alternating layers;
        # claims on most, speaker-less highlights of part of a sentence on the rest.
        t_spans = []
        for i in range(spans):
            s, e, _p = big.lines[(i * len(big.lines)) // spans]
            cut = s + max(10, (e - s) * rng.randint(40, 100) // 100)
            t_spans.append(_span(i, transcript, s, min(cut, e), LAYERS[i % 2],
                                 category_id=categories[i % len(categories)]))
        # The article: one claim per sentence, each linked to the sentence it reports.
        a_spans, a_links = [], []
        for i, (s, e, _p) in enumerate(article_text.lines):
            span = _span(i, article, s, e, LAYERS[i % 2], category_id=categories[(i * 3) % len(categories)],
                         mode="paraphrase")
            a_spans.append(span)
            ts, te, _ = big.lines[min(len(big.lines) - 1, i * len(big.lines) // links + rng.randint(0, 3))]
            a_links.append(_link(0, span, transcript, ts, te, RELATIONS[i % len(RELATIONS)]))
        store.add_spans(t_spans + a_spans)
        store.add_links(a_links)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return BigProject(path, transcript.id, article.id, len(big.text.encode("utf-8")), len(big.lines),
                      len(t_spans), len(a_links))


def build_corpus_project(path: Path, *, documents: int = 2_000, events: int = 20, seed: int = 2) -> int:
    """A project of ``documents`` documents: per event a transcript of 300 sentences and ~3 KB articles.

    Each article has ten claims, five of them linked to its transcript.
    """
    rng = random.Random(seed)
    store = Store.open(path)
    categories = [c.id for c in store.categories()]
    per_event = documents // events
    spans, links = [], []
    count = 0
    with store.atomic():
        for ev in range(events):
            event = f"meeting-{ev:03d}"
            date = f"2024-{1 + ev % 12:02d}-{1 + ev % 27:02d}"
            tt = text_of(rng, 300)
            transcript = _document("", "transcript", f"Meeting {ev} of the security council", tt.text,
                                   event=event, date=date, outlet="Ministry")
            store.add_document(transcript, [SourceLine(transcript.id, n, s, e, p)
                                            for n, (s, e, p) in enumerate(tt.lines, start=1)])
            count += 1
            for a in range(per_event - 1):
                title = f"Report {ev}-{a}: " + sentence(rng)[:60].rstrip(" ,.")
                at = text_of(rng, 30, title=title)
                article = _document("", "article", title, at.text, event=event, date=date,
                                    outlet=_OUTLETS[a % len(_OUTLETS)])
                store.add_document(article)
                count += 1
                for j in range(10):
                    s, e, _p = at.lines[j * 3]
                    span = _span(j, article, s, e, LAYERS[j % 2], category_id=categories[j % len(categories)])
                    spans.append(span)
                    if j % 2 == 0:
                        ts, te, _ = tt.lines[rng.randrange(len(tt.lines))]
                        links.append(_link(0, span, transcript, ts, te, RELATIONS[j % 4]))
        store.add_spans(spans)
        store.add_links(links)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return count


def write_article_files(folder: Path, *, count: int = 2_000, seed: int = 3) -> int:
    """``count`` article files of about 3 KB and their manifest.csv; returns the total bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "kind", "title", "outlet", "date", "event", "language"])
        for i in range(count):
            title = f"Report {i}: " + sentence(rng)[:60].rstrip(" ,.")
            text = text_of(rng, 31, title=title).text
            name = f"article_{i:05d}.txt"
            (folder / name).write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
            writer.writerow([name, "article", title, _OUTLETS[i % len(_OUTLETS)],
                             f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", f"meeting-{i % 20:03d}", "en"])
    return total
