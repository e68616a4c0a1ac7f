"""The corpus listing read a part at a time (storage/listing.py): the same documents, order and
matches as reading every summary, from grouped queries and index seeks."""

from __future__ import annotations

import random

import pytest

from cisannotate.core.model import TRANSCRIPT, Document, Span
from cisannotate.core.text import sha256_text
from cisannotate.storage.listing import CorpusListing

_TITLES = ("Ports reopen", "Straße gesperrt", "Пресс-конференция", "50% turnout", "a_b rule", "", "Quiet week",
           "PORTS", "Budget 🚢 talks")
_OUTLETS = ("Coastal Times", "", "Вечерние вести", "Wire")


def _fill(store, seed: int = 7, n: int = 80) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        text = f"Document {i} text."
        sha = sha256_text(text)
        kind = TRANSCRIPT if rng.random() < 0.2 else "article"
        doc = Document(id=f"{rng.randrange(16**8):08x}{i:04d}", kind=kind, text=text, sha256=sha,
                       title=rng.choice(_TITLES), outlet=rng.choice(_OUTLETS), event=rng.choice(("", "b", "a", "B2")),
                       date=rng.choice(("", "2024-01-02", "2023-12-31")), source_file=rng.choice(("", f"f{i}.txt")))
        docs.append(doc)
    store.add_documents([(d, []) for d in docs])
    return docs


def test_stepping_walks_the_document_order_both_ways_and_round(store):
    _fill(store)
    listing = CorpusListing(store)
    order = store.document_order()
    walked = [listing.step(None, 1)]
    while len(walked) < len(order) + 1:
        walked.append(listing.step(walked[-1], 1))
    assert walked == order + order[:1]
    back = [listing.step(None, -1)]
    while len(back) < len(order):
        back.append(listing.step(back[-1], -1))
    assert back == order[::-1]
    assert listing.step("not-a-document", 1) == order[0]


def test_events_and_their_counts_are_those_of_every_summary(store):
    docs = _fill(store)
    store.ensure_annotator("ana")
    store.add_spans(Span(id=f"s{n}", document_id=docs[n % 7].id, start=0, end=1, annotator="ana", layer="ana")
                    for n in range(20))
    summaries = store.documents()
    listing = CorpusListing(store)
    counted = {c.event: (c.documents, c.transcripts, c.annotations) for c in listing.events()}
    expected: dict[str, list[int]] = {}
    for s in summaries:
        row = expected.setdefault(s.event, [0, 0, 0])
        row[0] += 1
        row[1] += s.kind == TRANSCRIPT
        row[2] += s.annotations
    assert counted == {event: tuple(row) for event, row in expected.items()}
    assert listing.annotations_of_events(["a", "b", "nowhere"]) == {
        "a": expected.get("a", [0, 0, 0])[2], "b": expected.get("b", [0, 0, 0])[2], "nowhere": 0}
    for event in counted:
        assert [d.id for d in listing.event_documents(event)] == [s.id for s in summaries if s.event == event]
    assert listing.existing([docs[0].id, "nope"]) == {docs[0].id}
    assert listing.event_of(docs[3].id) == docs[3].event and listing.event_of("nope") is None


@pytest.mark.parametrize("needle", ["ports", "strasse", "пресс", "вечерние", "50%", "a_b", "%", "_", "f1", "2023",
                                    "🚢", "wire", "zzz"])
def test_the_events_a_filter_finds_are_those_pythons_case_folding_finds(store, needle):
    _fill(store)
    summaries = store.documents()
    listing = CorpusListing(store)

    def fields(d) -> str:
        return f"{d.title or d.source_file or d.id}\n{d.outlet}\n{d.date}".casefold()

    events = sorted({s.event for s in summaries})
    expected = {s.event for s in summaries if needle.casefold() in fields(s)}
    assert listing.events_matching(needle.casefold(), events) == expected
    assert listing.events_matching(needle.casefold(), ["a"]) == expected & {"a"}  # narrowed to some events
    transcripts = {s.event for s in summaries if s.kind == TRANSCRIPT}
    assert listing.events_matching(needle.casefold(), events, [TRANSCRIPT]) == expected | transcripts


def test_an_ascii_corpus_is_filtered_by_sqlite_alone_and_the_first_documents_are_found(store):
    for i, (kind, event) in enumerate([("article", "b"), (TRANSCRIPT, "b"), ("article", "a"), ("article", "")]):
        text = f"Plain {i}."
        store.add_document(Document(id=f"d{i}", kind=kind, text=text, sha256=sha256_text(text), title=f"Plain {i}",
                                    event=event))
    listing = CorpusListing(store)
    assert listing.events_matching("plain 1", ["a", "b", ""]) == {"b"}
    assert listing._unfolded is False  # no Python function was needed
    assert listing.first_document() == "d3"  # no event sorts first in the store's order
    assert listing.first_document(article=True) == "d3"
    assert listing.first_document(article_with_transcript=True) == "d0"
    assert listing.widest("outlet") == [""] and listing.annotation_counts() == {0}


def test_a_search_with_few_candidates_reads_them_alone_with_the_hits_of_the_walk(store, monkeypatch):
    from cisannotate.search import concordance
    from cisannotate.storage import fulltext

    rng = random.Random(3)
    batch = []
    for n in range(600):
        rare = " The harbour pilots struck." if n % 97 == 5 else ""
        text = f"Report {n}: the border stays open.{rare}"
        batch.append((Document(id=f"r{n:04d}", kind=TRANSCRIPT if n % 50 == 0 else "article", text=text,
                               sha256=sha256_text(text), title=f"Report {rng.randrange(40)}",
                               date=f"2020-{rng.randrange(12) + 1:02d}"), []))
    store.add_documents(batch)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    few = [(ln.document_id, ln.start, ln.end) for ln in concordance(store, "harbour pilots").lines]
    store.db.conn.set_trace_callback(None)
    assert len(few) == 7
    assert not any("ORDER BY kind DESC, date, title, id" in s and "json_each" not in s for s in statements)
    monkeypatch.setattr(fulltext, "_FEW_CANDIDATES", 0)  # the walk of the whole corpus in search order
    walked = [(ln.document_id, ln.start, ln.end) for ln in concordance(store, "harbour pilots").lines]
    assert few == walked
    assert store.search("border", limit=5000) == store.search("border", limit=5000)  # many candidates: the walk


def test_a_concordance_of_one_kind_takes_that_kind_from_the_index_with_the_same_lines(store, monkeypatch):
    from cisannotate.search import concordance

    docs = _fill(store, n=60)
    texts = {d.id: d for d in docs}
    monkeypatch.setattr(store, "document_ids", lambda kind=None: pytest.fail("every id was read"))
    for kind in ("article", TRANSCRIPT):
        lines = concordance(store, "document", kind=kind).lines
        assert lines and all(texts[ln.document_id].kind == kind for ln in lines)
        everything = [ln for ln in concordance(store, "document").lines if texts[ln.document_id].kind == kind]
        assert [(ln.document_id, ln.start) for ln in lines] == [(ln.document_id, ln.start) for ln in everything]
