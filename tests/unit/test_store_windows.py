"""The store's reads for views that read as they draw: ranges, pages, ranks, layers, and
where a change's spans were (``Changes.places``)."""

from __future__ import annotations

import pytest

from cisannotate.core.model import Document, Link, SourceLine, Span, TRANSCRIPT
from cisannotate.core.text import sha256_text

TRANSCRIPT_TEXT = "Good evening. The harbour stays open. We will see."
ARTICLE_TEXT = "The mayor said the harbour would stay open 🚢 for now, and the ferries too."


def make_doc(text: str, kind: str = "article", **kw) -> Document:
    sha = sha256_text(text)
    return Document(id=sha[:16], kind=kind, title=kind, text=text, sha256=sha, event="e1", **kw)


@pytest.fixture
def docs(store):
    t = make_doc(TRANSCRIPT_TEXT, TRANSCRIPT)
    store.add_document(t, [SourceLine(t.id, 1, 0, 13, 1), SourceLine(t.id, 2, 14, 37, 1), SourceLine(t.id, 3, 38, 50, 1)])
    a = make_doc(ARTICLE_TEXT, outlet="Daily")
    store.add_document(a)
    return store, t, a


def span(doc, start, end, layer="ann", **kw):
    return Span(id=kw.pop("id", f"s{start}-{end}"), document_id=doc.id, start=start, end=end, annotator="ann",
                layer=layer, **kw)


def test_pages_ranks_and_ranges_follow_reading_order(docs):
    store, _t, a = docs
    spans = [span(a, 10, 20), span(a, 0, 5), span(a, 10, 15), span(a, 0, 5, id="s0-5b"), span(a, 3, 30)]
    store.add_spans(spans)
    order = [s.id for s in sorted(spans, key=lambda s: (s.start, s.end, s.id))]
    assert [s.id for s in store.span_page(a.id, 0, 10)] == order
    for offset in range(len(order) + 1):  # starting inside a run of equal starts, too
        for limit in (1, 2, 10):
            assert [s.id for s in store.span_page(a.id, offset, limit)] == order[offset:offset + limit]
    for rank, span_id in enumerate(order):
        s = store.span(span_id)
        assert store.span_rank(a.id, s.start, s.end, s.id) == rank
    assert store.span_extent(a.id) == (5, 27) and store.span_extent("nothing") == (0, 0)
    # Overlapping a range, by start with the longer first: as the text view orders them.
    found = store.spans_overlapping(a.id, 12, 13, longest=27)
    assert [s.id for s in found] == ["s3-30", "s10-20", "s10-15"]
    assert store.spans_overlapping(a.id, 30, 40, longest=27) == []
    assert store.span_ranges(a.id, ["s3-30", "nope"]) == {"s3-30": (3, 30)}
    assert store.span_in(a.id, "s3-30").end == 30 and store.span_in("other", "s3-30") is None


def test_source_lines_around_a_range(docs):
    store, t, _a = docs
    lines, first, last = store.source_lines_around(t.id, 20, 25)
    assert [ln.number for ln in lines] == [2, 3] and not first and not last
    lines, first, last = store.source_lines_around(t.id, 0, 0)
    assert [ln.number for ln in lines] == [1, 2] and not first and not last
    lines, first, last = store.source_lines_around(t.id, 40, 60)
    assert [ln.number for ln in lines] == [3] and not first and last
    assert store.source_lines_around(t.id, 0, 60)[0] == store.source_lines(t.id)
    assert store.source_lines_around("nothing", 0, 60) == ([], True, True)
    assert store.line_extent(t.id) == (3, 3) and store.source_line(t.id, 2).start == 14
    assert store.last_line_number(t.id) == 3 and store.last_line_number("nothing") == 0
    assert store.source_line(t.id, 9) is None


def test_document_heads(docs):
    store, t, a = docs
    assert store.document_heads([a.id, t.id, "nothing"]) == {a.id: ("article", "article"),
                                                            t.id: ("transcript", "transcript")}


def test_layers_of_spans_and_links(docs):
    store, t, a = docs
    assert store.layers() == []
    store.add_spans([span(a, 0, 5, layer="b"), span(a, 6, 9, layer="a"), span(a, 10, 12, layer="b")])
    store.add_link(Link(id="k1", span_id="s0-5", target_document_id=t.id, target_start=14, target_end=37,
                        relation="verbatim", annotator="ann", layer="c"))
    assert store.layers() == ["a", "b", "c"]


def test_changes_say_where_their_spans_were(docs):
    store, t, a = docs
    s = span(a, 4, 12)
    assert store.add_span(s).places == {s.id: None}
    moved = s.with_changes(start=2)
    assert store.update_span(moved).places == {s.id: (a.id, 4, 12)}
    link = Link(id="k1", span_id=s.id, target_document_id=t.id, target_start=14, target_end=37,
                relation="verbatim", annotator="ann")
    assert store.add_link(link).places == {s.id: (a.id, 2, 12)}
    assert store.delete_link("k1").places == {s.id: (a.id, 2, 12)}
    assert store.delete_span(s.id).places == {s.id: (a.id, 2, 12)}
    # Merged in order, the first change of a span says where it was before them all.
    first = store.add_span(s)
    assert first.merge(store.update_span(moved)).places == {s.id: None}


def test_resolving_a_document_names_it_as_the_summary_does(docs):
    store, t, a = docs
    for ref in (a.id, a.id[:6], "article"):
        assert store.resolve_document_id(ref) == a.id == store.resolve_document(ref).id
    assert store.resolve_document(t.id).source_lines == 3
    twin = make_doc("Another article about the harbour.")
    store.add_document(twin)  # titled "article" too
    with pytest.raises(KeyError, match="names 2 documents"):
        store.resolve_document_id("article")
    with pytest.raises(KeyError, match="no document"):
        store.resolve_document("nothing")
