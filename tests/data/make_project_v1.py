"""Make ``project_v1.cisannotate``: a small project exactly as schema version 1 wrote it.

The upgrade test opens a copy of that file and checks that every row survives
the later migrations. Only the first migration is applied here, so running
this script again after new migrations have been added still gives a version-1
file. Ids and times are fixed, so the content is the same on every run.

Run from the repository root: ``.venv/bin/python tests/data/make_project_v1.py``.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from sqlite_utils import Database

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cisannotate.core.model import (  # noqa: E402
    Channel,
    Comment,
    Document,
    Link,
    Review,
    SourceLine,
    Span,
    Speaker,
)
from cisannotate.core.text import sha256_text  # noqa: E402
from cisannotate.storage import Store  # noqa: E402
from cisannotate.storage.schema import APPLICATION_ID, migrations  # noqa: E402

OUT = Path(__file__).with_name("project_v1.cisannotate")
STAMP = "2026-03-02T09:00:00.000Z"
TRANSCRIPT = (
    "MINISTER: Good morning. The border will stay closed until Friday.\n\n"
    "We will act against anyone who smuggles fuel. Questions, please."
)
ARTICLE_A = "The minister said the border would remain shut until Friday. He threatened smugglers."
ARTICLE_B = "Officials promised tough action on fuel smuggling, the ministry said."


def document(text: str, kind: str, title: str, outlet: str = "") -> Document:
    sha = sha256_text(text)
    return Document(
        id=sha[:16], kind=kind, title=title, text=text, sha256=sha, outlet=outlet, date="2026-03-02",
        event="briefing-1", language="en", source_file=f"{title.lower().replace(' ', '-')}.txt", created=STAMP,
    )


def span(span_id: str, doc: Document, quote: str, annotator: str, **fields) -> Span:
    start = doc.text.index(quote)
    return Span(
        id=span_id, document_id=doc.id, start=start, end=start + len(quote), quote=quote, annotator=annotator,
        layer=annotator, created=STAMP, modified=STAMP, **fields,
    )


def link(link_id: str, source: Span, transcript: Document, target: str, relation: str) -> Link:
    start = transcript.text.index(target)
    return Link(
        id=link_id, span_id=source.id, target_document_id=transcript.id, target_start=start,
        target_end=start + len(target), relation=relation, annotator=source.annotator, layer=source.layer,
        created=STAMP, modified=STAMP,
    )


def make(path: Path) -> None:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn, strict=True)
    with db.atomic():
        migrations.apply(db, stop_before="m002_lookup_indexes")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
    store = Store(db, path)
    store.initialise()  # the default codebook, as every new project gets
    store.set_meta("created", STAMP)

    transcript = document(TRANSCRIPT, "transcript", "Briefing transcript")
    lines_text = ["MINISTER: Good morning.", "The border will stay closed until Friday.",
                  "We will act against anyone who smuggles fuel.", "Questions, please."]
    lines = []
    for number, text in enumerate(lines_text, start=1):
        start = TRANSCRIPT.index(text)
        lines.append(SourceLine(transcript.id, number, start, start + len(text), 1 if number < 3 else 2, "MINISTER"))
    store.add_document(transcript, lines)
    article_a = document(ARTICLE_A, "article", "Border shut", outlet="Daily Post")
    article_b = document(ARTICLE_B, "article", "Tough action", outlet="Evening News")
    store.add_document(article_a)
    store.add_document(article_b)

    store.add_speaker(Speaker(id="spk-1", name="The minister", role="Minister of the Interior"))
    store.add_channel(Channel(id="chn-1", name="Press briefing"))
    categories = [c.id for c in store.categories()]
    spans = [
        span("span-1", article_a, "the border would remain shut until Friday", "anna",
             category_id=categories[0], speaker_id="spk-1", mode="indirect speech", channel_id="chn-1"),
        span("span-2", article_a, "He threatened smugglers", "anna", category_id=categories[1],
             speaker_id="spk-1", mode="paraphrase", note="strong reading"),
        span("span-3", article_b, "Officials promised tough action on fuel smuggling", "ben",
             category_id=categories[1], mode="paraphrase"),
        span("span-4", article_b, "the ministry said", "ben", no_source=True),
    ]
    store.add_spans(spans)
    store.add_links([
        link("link-1", spans[0], transcript, "The border will stay closed until Friday.", "close paraphrase"),
        link("link-2", spans[1], transcript, "We will act against anyone who smuggles fuel.", "distortion"),
        link("link-3", spans[2], transcript, "We will act against anyone who smuggles fuel.", "loose paraphrase"),
    ])
    store.add_comment(Comment(id="cmt-1", target_id="span-2", author="ben", text="Is this a threat?", created=STAMP))
    store.add_review(Review(id="rev-1", item_a="span-2", item_b="span-3", decision="accept_a", reviewer="ben",
                            result_id="span-2", comment="anna's reading", created=STAMP))
    # A rollback-journal file, unlike a WAL one, can be read without SQLite
    # creating -wal and -shm files beside it in the repository.
    store.db.execute("VACUUM")
    store.close()


if __name__ == "__main__":
    make(OUT)
    print(f"wrote {OUT}")
