"""Edit a project without end, reporting each edit, until killed (tests/unit/test_crash_safety.py).

Usage: ``python tests/crash_writer.py PROJECT SEED``. Prints ``ready`` once the
project is open, then for each edit ``begin {json}`` before applying it and
``done ID`` once it is committed, flushing after every line, so the killer
knows exactly which edits were committed and which one may have been under way.

An edit is one undoable action as the window makes it (through
``commands.ops.apply_all``): a new span with a link, a note changed on an
earlier span, and from time to time an old span deleted with its links.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cisannotate.commands.ops import AddLink, AddSpan, DeleteLink, DeleteSpan, Op, UpdateSpan, apply_all  # noqa: E402
from cisannotate.core.model import Document, Link, SourceLine, Span, now  # noqa: E402
from cisannotate.core.text import sha256_text  # noqa: E402
from cisannotate.storage import Store  # noqa: E402

TRANSCRIPT = "Good morning. The border is closed. We will act. Questions, please."
ARTICLE = "The minister said the border was shut and promised action against everyone. " * 4
LINES = [(0, 13), (14, 35), (36, 48), (49, 67)]


def document(text: str, kind: str) -> Document:
    sha = sha256_text(text)
    return Document(id=sha[:16], kind=kind, title=kind, text=text, sha256=sha)


def ensure_documents(store: Store) -> tuple[Document, Document]:
    """The two documents, added if a killed predecessor did not get that far."""
    transcript, article = document(TRANSCRIPT, "transcript"), document(ARTICLE, "article")
    if store.document_by_sha(transcript.sha256) is None:
        store.add_document(transcript, [SourceLine(transcript.id, i + 1, s, e, 1) for i, (s, e) in enumerate(LINES)])
    if store.document_by_sha(article.sha256) is None:
        store.add_document(article)
    return transcript, article


def next_edit(store: Store, rng: random.Random, transcript: Document, article: Document) -> tuple[dict, list[Op]]:
    edit_id = uuid.uuid4().hex[:12]
    stamp = now()
    start = rng.randrange(len(ARTICLE) - 20)
    span = Span(id=f"{edit_id}-s", document_id=article.id, start=start, end=start + rng.randint(1, 20),
                annotator="crash", created=stamp, modified=stamp)
    line_start, line_end = rng.choice(LINES)
    link = Link(id=f"{edit_id}-k", span_id=span.id, target_document_id=transcript.id, target_start=line_start,
                target_end=line_end, relation="verbatim", annotator="crash", created=stamp, modified=stamp)
    ops: list[Op] = [AddSpan(span), AddLink(link)]
    edit: dict = {"id": edit_id, "span": span.id, "link": link.id, "note": None, "delete": None}
    existing = store.spans(article.id)
    if existing:
        earlier = rng.choice(existing)
        ops.append(UpdateSpan(earlier, earlier.with_changes(note=edit_id, modified=stamp)))
        edit["note"] = [earlier.id, edit_id]
        others = [s for s in existing if s.id != earlier.id]
        if len(existing) >= 6:
            victim = rng.choice(others)
            links = store.links_for_span(victim.id)
            ops.extend(DeleteLink(k) for k in links)
            ops.append(DeleteSpan(victim))
            edit["delete"] = [victim.id, [k.id for k in links]]
    return edit, ops


def main(project: str, seed: str) -> None:
    rng = random.Random(seed)
    store = Store.open(Path(project))
    transcript, article = ensure_documents(store)
    print("ready", flush=True)
    while True:
        edit, ops = next_edit(store, rng, transcript, article)
        print("begin " + json.dumps(edit), flush=True)
        apply_all(store, ops)
        print("done " + edit["id"], flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
