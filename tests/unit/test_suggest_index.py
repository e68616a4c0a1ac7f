"""Building the suggestion index: the same index whatever order the lines come in, a build
that stops when told to, and an index built on a reader of the project (as the window does
in a worker thread) taken only while the corpus is unchanged."""

from __future__ import annotations

import random
import threading

import pytest

from cisannotate.core.model import Document, SourceLine
from cisannotate.core.suggest import IndexCancelled, IndexedLine, SourceIndex
from cisannotate.core.text import sha256_text
from cisannotate.storage import Store
from cisannotate.suggestions import Suggester, build_index

# Two made-up speeches; the second repeats words of the first on neighbouring lines, so
# lines share terms with their next line (the window feature) in both.
HARBOUR = [
    "The harbour of Lenmouth will get two new cranes before winter.",
    "Cranes and quays are the first step; the railway to the harbour comes next.",
    "We thank the dock workers for their patience during the repairs 🚢.",
    "The railway will carry grain from the northern farms to the quays.",
]
FARMS = [
    "Grain prices rose sharply after the dry summer in the northern farms.",
    "The ministry will buy grain to keep bread prices stable through the winter.",
    "Farmers asked for cheaper fuel; the ministry will answer in a week.",
]
QUERIES = [
    "new cranes for the harbour before the winter",
    "the state buys grain so that bread stays cheap",
    "a railway will bring the grain of the north to the quays",
    "fuel for farmers",
]


def refs(document_id: str, sentences: list[str]) -> list[IndexedLine]:
    out, offset = [], 0
    for number, sentence in enumerate(sentences, 1):
        out.append(IndexedLine(document_id, number, offset, offset + len(sentence), sentence))
        offset += len(sentence) + 1
    return out


def ranked(index: SourceIndex, query: str) -> list[tuple[tuple[str, tuple[int, ...]], float, dict]]:
    return [((c.document_id, c.lines), c.score, f) for c, f in index.explain(query, top=5)]


def test_lines_in_any_order_give_the_same_index():
    lines = refs("t-harbour", HARBOUR) + refs("t-farms", FARMS)
    shuffled = list(lines)
    random.Random(7).shuffle(shuffled)
    in_order, mixed = SourceIndex(lines), SourceIndex(shuffled)
    for query in QUERIES:
        a, b = ranked(in_order, query), ranked(mixed, query)
        assert [k for k, _s, _f in a] == [k for k, _s, _f in b]
        for (_k, score_a, feats_a), (_k2, score_b, feats_b) in zip(a, b):
            assert score_a == pytest.approx(score_b, abs=1e-12)
            assert feats_a == pytest.approx(feats_b, abs=1e-12)
    for index in (in_order, mixed):
        assert [(c.document_id, c.line) for c in index.query(QUERIES[0], top=1)] == [("t-harbour", 1)]
        assert [(c.document_id, c.line) for c in index.query(QUERIES[1], top=1)] == [("t-farms", 2)]


def test_lines_without_content_words_and_an_empty_index():
    index = SourceIndex(refs("t", ["And so on.", "We will, we will.", *FARMS]))
    assert index.query("grain prices after the dry summer", top=1)[0].line == 3
    empty = SourceIndex([])
    assert len(empty) == 0 and empty.query("grain", top=3) == []


def test_a_build_stops_when_told():
    lines = refs("t", HARBOUR * 50)
    with pytest.raises(IndexCancelled):
        SourceIndex(lines, cancelled=lambda: True)
    asked = []

    def later() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(IndexCancelled):
        SourceIndex(lines, cancelled=later)
    assert SourceIndex(lines, cancelled=lambda: False).query("two new cranes", top=1)[0].line == 1


def _project(path) -> tuple[Store, str, str]:
    store = Store.open(path)
    ids = []
    for title, sentences in (("Harbour briefing", HARBOUR), ("Farm briefing", FARMS)):
        text = " ".join(sentences)
        doc = Document(id=sha256_text(text)[:16], kind="transcript", title=title, text=text,
                       sha256=sha256_text(text), event="e1", date="2025-03-01")
        lines, offset = [], 0
        for number, sentence in enumerate(sentences, 1):
            lines.append(SourceLine(doc.id, number, offset, offset + len(sentence), 1))
            offset += len(sentence) + 1
        store.add_document(doc, lines)
        ids.append(doc.id)
    article = "Lenmouth gets new cranes. Bread prices will stay stable, the ministry says."
    store.add_document(Document(id=sha256_text(article)[:16], kind="article", title="Report", text=article,
                                sha256=sha256_text(article), event="e1", date="2025-03-02"))
    return store, ids[0], sha256_text(article)[:16]


def test_an_index_built_in_another_thread_on_a_reader(tmp_path):
    store, harbour, article = _project(tmp_path / "p.cisannotate")
    suggester = Suggester(store)
    assert not suggester.ready
    generation = suggester.generation
    built: list = []

    def work() -> None:
        reader = store.reader()
        try:
            built.append(build_index(reader))
        finally:
            reader.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert suggester.install(built[0], generation) and suggester.ready
    suggestion = suggester.suggest(article, 0, len("Lenmouth gets new cranes."), scope="all")
    assert suggestion.candidates[0].document_id == harbour and suggestion.candidates[0].line == 1
    assert suggestion.speech(suggestion.candidates[0]) == "Harbour briefing, 2025-03-01"

    # The corpus changed while a build ran: its index is refused, the next query builds anew.
    suggester.invalidate()
    assert not suggester.install(built[0], generation) and not suggester.ready
    assert suggester.suggest(article, 0, 25, scope="all").candidates[0].line == 1
    store.close()


def test_a_reader_needs_a_project_file():
    store = Store.memory()
    with pytest.raises(Exception, match="in-memory"):
        store.reader()
    with pytest.raises(IndexCancelled):
        build_index(store, cancelled=lambda: True)
