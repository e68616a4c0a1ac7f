"""Listing and searching a large corpus without reading its texts: each document's stored
length (schema 4), the indexes the listing and the search walk, the upgrade of an older
project, and a search that reads only as far as the hits it returns."""

from __future__ import annotations

import hashlib
import sqlite3

from cisannotate.core.model import TRANSCRIPT, Document, Link, SourceLine, Span
from cisannotate.search import concordance
from cisannotate.storage import Store
from cisannotate.storage.backup import BEFORE_UPGRADE, list_backups, read_backup
from cisannotate.storage.schema import APPLICATION_ID, migrations


def _doc(text: str, *, kind: str = "article", title: str = "", event: str = "e", date: str = "") -> Document:
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(id=sha[:16], kind=kind, title=title or sha[:8], text=text, sha256=sha, event=event,
                    date=date, language="en", created="2026-01-01T00:00:00.000Z")


def _fill(store: Store) -> dict[str, Document]:
    transcript = _doc("The harbour will reopen on Monday.\nThe customs post stays shut.", kind=TRANSCRIPT,
                      title="Harbour briefing")
    store.add_document(transcript, [SourceLine(transcript.id, 1, 0, 34, 0), SourceLine(transcript.id, 2, 35, 63, 1)])
    article = _doc("Ships 🚢 return: the harbour will reopen on Monday, officials said.", title="Ships return")
    other = _doc("Nothing about the port here.", title="Elsewhere", event="f")
    store.add_document(article)
    store.add_document(other)
    store.ensure_annotator("ana")
    start = article.text.index("the harbour")
    span = Span(id="s1", document_id=article.id, start=start, end=start + 35, layer="ana", annotator="ana")
    store.add_span(span)
    store.add_link(Link(id="k1", span_id="s1", target_document_id=transcript.id, target_start=0, target_end=34,
                        relation="verbatim", layer="ana", annotator="ana"))
    return {"t": transcript, "a": article, "o": other}


def test_lengths_are_stored_in_code_points_and_the_listing_matches_each_document(store):
    docs = _fill(store)
    stored = dict(store.db.execute("SELECT id, length FROM documents").fetchall())
    assert stored == {d.id: len(d.text) for d in docs.values()}  # the emoji counts as one
    listing = store.documents()
    assert [d.id for d in listing] == [docs["t"].id, docs["a"].id, docs["o"].id]  # event, transcript first
    one_by_one = store.documents_by_id(d.id for d in listing)
    assert listing == [one_by_one[d.id] for d in listing]
    summary = {d.id: d for d in listing}
    assert (summary[docs["t"].id].source_lines, summary[docs["a"].id].annotations, summary[docs["a"].id].links) == (
        2, 1, 1)
    assert summary[docs["a"].id].length == len(docs["a"].text)


def test_the_listing_and_the_search_order_come_from_indexes_not_the_texts(store):
    _fill(store)

    def plan(sql: str) -> str:
        return " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql))

    listing = ("SELECT d.id, d.kind, d.title, d.outlet, d.date, d.event, d.language, d.source_file, d.sha256, "
               "d.length FROM documents d ORDER BY d.event, d.kind DESC, d.date, d.title, d.id")
    assert "COVERING INDEX documents_listing" in plan(listing)
    search = "SELECT rowid, id, language FROM documents ORDER BY kind DESC, date, title, id"
    assert "COVERING INDEX documents_order" in plan(search)


def _version_3_project(path) -> dict[str, str]:
    """A project as schema 3 left it (no stored lengths), with two documents in it."""
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    from sqlite_utils import Database

    db = Database(conn, strict=True)
    with db.atomic():
        migrations.apply(db, stop_before="m004_document_listing")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 3")
    texts = {"a1": "An old article 🙂 about the harbour.", "t1": "An old transcript.\nSecond line."}
    with db.atomic():
        conn.execute("INSERT INTO meta (key, value) VALUES ('created', '2025-01-01T00:00:00.000Z')")
        for doc_id, text in texts.items():
            kind = TRANSCRIPT if doc_id.startswith("t") else "article"
            conn.execute("INSERT INTO documents (id, kind, title, event, language, sha256, text, created) "
                         "VALUES (?, ?, ?, 'e', 'en', ?, ?, '2025-01-01T00:00:00.000Z')",
                         [doc_id, kind, doc_id, hashlib.sha256(text.encode("utf-8")).hexdigest(), text])
            conn.execute("INSERT INTO documents_fts (rowid, title, text) SELECT rowid, title, text FROM documents "
                         "WHERE id = ?", [doc_id])
    conn.close()
    return texts


def test_a_version_3_project_reads_as_it_is_read_only_and_is_upgraded_after_a_backup(tmp_path):
    path = tmp_path / "old.cisannotate"
    texts = _version_3_project(path)
    before = path.read_bytes()
    read_only = Store.open(path, read_only=True)
    assert not read_only.stored_lengths
    assert {d.id: d.length for d in read_only.documents()} == {k: len(v) for k, v in texts.items()}
    read_only.close()
    assert path.read_bytes() == before and list_backups(path) == []

    store = Store.open(path)
    assert store.stored_lengths
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == 4
    assert dict(store.db.execute("SELECT id, length FROM documents").fetchall()) == {
        k: len(v) for k, v in texts.items()}
    assert {d.id: d.length for d in store.documents()} == {k: len(v) for k, v in texts.items()}
    store.close()
    backups = [b for b in list_backups(path) if b.reason == BEFORE_UPGRADE]
    assert len(backups) == 1 and read_backup(backups[0].path).schema_version == 3  # taken before the upgrade
    # The upgraded file passes the schema check of every later opening.
    again = Store.open(path)
    assert len(again.documents()) == 2
    again.close()


def test_a_search_reads_only_the_documents_up_to_the_hits_it_returns(store):
    for n in range(1000):
        store.add_document(_doc(f"Report {n}: the border stays open, the border guards said.", date=f"2020-{n:04d}"))
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    result = concordance(store, "border", limit=10)
    store.db.conn.set_trace_callback(None)
    assert len(result.lines) == 10 and result.truncated
    assert [ln.title for ln in result.lines][:2] == [result.lines[0].title] * 2  # two hits a document
    texts_read = [s for s in statements if "SELECT rowid, text FROM documents" in s]
    assert len(texts_read) == 1  # one batch of texts, not the thousand documents
    # The search order: by date, so the first hits are in the first documents.
    first = store.search("border", limit=4)
    assert [store.text(d)[s:e] for d, s, e in first] == ["border"] * 4
    assert len({d for d, _s, _e in first}) == 2


def test_a_phrase_is_narrowed_by_the_index_to_documents_with_the_words_in_order(store):
    together = store.add_document(_doc("They spoke of joint training at the border.", title="together"))
    apart = store.add_document(_doc("Training was joint, they said; joint exercises, training again.",
                                    title="apart"))
    assert together and apart
    hits = concordance(store, '"joint training"')
    assert [ln.title for ln in hits.lines] == ["together"]
    assert [ln.keyword for ln in hits.lines] == ["joint training"]
    # NEAR with three words: the index narrows no tighter than the words' distance allows.
    # "guards" is 7 words after "border": within 5 of each other's neighbour, as find() counts it,
    # while FTS5 counts the 6 words between the first and the last.
    store.add_document(_doc("border one two three services four five guards", title="near"))
    assert len(concordance(store, "NEAR(border services guards, 5)").lines) == 1
    assert len(concordance(store, "NEAR(border services guards, 4)").lines) == 0


def test_the_corpus_wide_lookups_agree_with_the_listing(store):
    docs = _fill(store)
    listing = store.documents()
    assert store.document_order() == [d.id for d in listing]
    assert store.titles() == {d.id: d.title for d in listing}
    assert store.lengths() == {d.id: d.length for d in listing}
    assert store.lengths([docs["a"].id, "not-a-document", docs["a"].id]) == {docs["a"].id: len(docs["a"].text)}
    assert store.titles([docs["o"].id]) == {docs["o"].id: "Elsewhere"}
