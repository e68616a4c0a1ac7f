from __future__ import annotations

import sqlite3

import pytest

from cisannotate.core.model import Document, Link, SourceLine, Span, TRANSCRIPT
from cisannotate.core.text import OffsetError, sha256_text
from cisannotate.storage import ProjectError, ReadOnlyError, Store
from cisannotate.storage.schema import APPLICATION_ID, SCHEMA_VERSION, migrations

TRANSCRIPT_TEXT = "Good morning. The border is closed. We will act."
ARTICLE_TEXT = "The minister said the border was shut. 😀 Nothing else."


def make_doc(text: str, kind: str = "article", event: str = "e1", **kw) -> Document:
    sha = sha256_text(text)
    return Document(id=sha[:16], kind=kind, title=kw.pop("title", kind), text=text, sha256=sha, event=event, **kw)


@pytest.fixture
def corpus_store(store):
    t = make_doc(TRANSCRIPT_TEXT, TRANSCRIPT)
    store.add_document(t, [SourceLine(t.id, 1, 0, 13, 1), SourceLine(t.id, 2, 14, 35, 1), SourceLine(t.id, 3, 36, 48, 1)])
    a = make_doc(ARTICLE_TEXT, outlet="Daily")
    store.add_document(a)
    return store, t, a


def span(doc, start, end, **kw):
    return Span(id=kw.pop("id", f"s{start}-{end}"), document_id=doc.id, start=start, end=end, annotator="ann", **kw)


def test_new_project_file_says_what_it_is(tmp_path):
    path = tmp_path / "p.cisannotate"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0]: r[1] for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'")}
    for name in ("documents", "spans", "links", "source_lines", "reviews", "comments"):
        assert "STRICT" in tables[name]


def test_schema_version_counts_the_migrations():
    from sqlite_utils import Database

    assert len(migrations.pending(Database(memory=True))) == SCHEMA_VERSION


def test_foreign_keys_are_on_and_new_project_has_a_codebook(store):
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    names = [c.name for c in store.categories()]
    assert names[:3] == ["Accusation", "Threat", "Call to action"]


def test_document_round_trip_and_lines(corpus_store):
    store, t, a = corpus_store
    assert store.document(t.id).text == TRANSCRIPT_TEXT
    lines = store.source_lines(t.id)
    assert [TRANSCRIPT_TEXT[ln.start:ln.end] for ln in lines] == ["Good morning.", "The border is closed.", "We will act."]
    assert [d.id for d in store.transcripts_for(a.id)] == [t.id]
    assert store.lines_in_range(t.id, 10, 20) == [1, 2]
    summaries = {d.id: d for d in store.documents()}
    assert summaries[t.id].source_lines == 3 and summaries[a.id].source_lines == 0


def test_duplicate_text_is_refused_and_nothing_is_written(corpus_store):
    store, t, a = corpus_store
    with pytest.raises(sqlite3.IntegrityError):
        store.add_document(make_doc(ARTICLE_TEXT, title="again"))
    assert len(store.documents()) == 2


def test_lines_outside_the_text_are_refused(store):
    t = make_doc("Short.", TRANSCRIPT)
    with pytest.raises(OffsetError):
        store.add_document(t, [SourceLine(t.id, 1, 0, 99, 1)])
    assert store.documents() == []


def test_span_add_update_delete(corpus_store):
    store, t, a = corpus_store
    s = span(a, 4, 12, category_id="cat-1", mode="paraphrase")
    changes = store.add_span(s)
    assert changes.documents == {a.id} and changes.spans == {s.id}
    got = store.span(s.id)
    assert (got.start, got.end, got.category_id, got.layer) == (4, 12, "cat-1", "ann")
    store.update_span(got.with_changes(category_id="cat-2"))
    assert store.span(s.id).category_id == "cat-2"
    assert [x.id for x in store.spans(a.id, start=0, end=5)] == [s.id]
    assert store.spans(a.id, start=20, end=30) == []
    store.delete_span(s.id)
    assert not store.has_span(s.id)


def test_span_offsets_beyond_the_text_are_refused(corpus_store):
    store, t, a = corpus_store
    with pytest.raises(OffsetError):
        store.add_span(span(a, 10, 10_000))
    assert store.count_spans() == 0


def test_bad_mode_is_refused_by_the_schema(corpus_store):
    store, t, a = corpus_store
    with pytest.raises(sqlite3.IntegrityError):
        store.add_span(span(a, 0, 3, mode="hearsay"))


def test_a_span_with_links_cannot_be_deleted_alone(corpus_store):
    store, t, a = corpus_store
    s = span(a, 0, 38)
    store.add_span(s)
    store.add_link(Link(id="k1", span_id=s.id, target_document_id=t.id, target_start=14, target_end=35,
                        relation="close paraphrase", annotator="ann"))
    with pytest.raises(sqlite3.IntegrityError):
        store.delete_span(s.id)
    assert store.has_span(s.id) and store.link("k1").relation == "close paraphrase"
    cov = store.coverage(t.id)
    assert list(cov) == [2] and cov[2][0][1] == "Daily"


def test_full_text_search_gives_code_point_offsets(corpus_store):
    store, t, a = corpus_store
    hits = store.search("nothing")
    assert hits == [(a.id, ARTICLE_TEXT.index("Nothing"), ARTICLE_TEXT.index("Nothing") + 7)]
    assert store.search("   ") == []


def test_files_that_are_not_projects_are_refused_untouched(tmp_path):
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("hello, not a database")
    other = tmp_path / "other.db"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    truncated = tmp_path / "cut.cisannotate"
    Store.open(truncated).close()
    truncated.write_bytes(truncated.read_bytes()[:300])
    for path, words in ((text_file, "not an SQLite"), (other, "not a cisannotate"), (truncated, "truncated")):
        before = path.read_bytes()
        with pytest.raises(ProjectError, match=words):
            Store.open(path)
        assert path.read_bytes() == before


def test_project_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "future.cisannotate"
    Store.open(path).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    c.commit()
    c.close()
    with pytest.raises(ProjectError, match="newer version"):
        Store.open(path)


def test_read_only_store_refuses_writes(tmp_path):
    path = tmp_path / "p.cisannotate"
    Store.open(path).close()
    ro = Store.open(path, read_only=True)
    with pytest.raises(ReadOnlyError):
        ro.set_meta("x", "y")
    assert ro.categories()
