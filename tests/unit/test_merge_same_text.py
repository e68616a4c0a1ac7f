"""Which project text a colleague's document is, and where its annotations go.

* "Another version of our text" is decided by how similar the texts are, never
  by a shared file name or title: an unrelated article called ``report.txt``
  is added as a new document carrying its own annotations.
* A quote whose surroundings (W3C TextQuoteSelector prefix and suffix) no
  longer match is listed as not placed, never moved to another sentence that
  happens to hold the same words.
* Text arriving by merge is normalised exactly as import normalises it (BOM,
  CRLF, CR), with every offset carried over, so stored offsets match the text.

All texts here are fictional and written for these tests.
"""

from __future__ import annotations

import json

import pytest

from cisannotate.core.model import Document, Span
from cisannotate.core.text import Quote, anchor_quote, quote_at, sha256_text
from cisannotate.io.exchange import native_export
from cisannotate.io.merge import merge_data
from cisannotate.io.textfile import normalize_text
from cisannotate.storage import Store

OURS = (
    "Harbour council approves new ferry timetable\n\n"
    "The harbour council voted on Tuesday to extend the evening ferry service to the outer islands. "
    "Councillor Maren Holt said the change would help shift workers get home before midnight. "
    "The port authority expects the first late crossing to sail in early spring. "
    "Critics warned that the fuel budget had not been settled.\n"
)
# A different article on another subject that a colleague also saved as report.txt.
THEIRS_UNRELATED = (
    "Library opens a reading room for night students\n\n"
    "The city library will keep its east reading room open until two in the morning from next month. "
    "The chief librarian, Tomas Ek, said students had asked for a quiet place after evening classes. "
    "Heating costs for the extra hours will be shared with the technical college.\n"
)


def add(store: Store, text: str, *, title: str, source_file: str, doc_id: str) -> str:
    store.add_document(Document(id=doc_id, kind="article", title=title, text=text, sha256=sha256_text(text),
                                source_file=source_file))
    return doc_id


def mark(store: Store, doc_id: str, words: str, span_id: str, annotator: str, occurrence: int = 0) -> Span:
    text = store.text(doc_id)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    q = quote_at(text, start, start + len(words))
    span = Span(id=span_id, document_id=doc_id, start=start, end=start + len(words), annotator=annotator,
                quote=q.exact, prefix=q.prefix, suffix=q.suffix, layer=annotator)
    store.add_span(span)
    return span


def colleague_export(text: str, marks: list[tuple[str, str]], *, title: str, source_file: str) -> dict:
    theirs = Store.memory()
    doc_id = add(theirs, text, title=title, source_file=source_file, doc_id="theirs-doc")
    for span_id, words in marks:
        mark(theirs, doc_id, words, span_id, "jonas")
    data = json.loads(json.dumps(native_export(theirs, with_text=True)))
    theirs.close()
    return data


@pytest.fixture
def ours() -> Store:
    store = Store.memory()
    add(store, OURS, title="Harbour council approves new ferry timetable", source_file="report.txt", doc_id="ours")
    mark(store, "ours", "help shift workers get home", "our-span", "amira")
    yield store
    store.close()


# ------------------------------------------------------------------ same name, other text
def test_an_unrelated_text_sharing_file_name_and_title_is_added_as_a_new_document(ours):
    data = colleague_export(
        THEIRS_UNRELATED, [("their-span", "a quiet place after evening classes")],
        title="Harbour council approves new ferry timetable", source_file="report.txt",
    )
    report = merge_data(ours, data)
    assert report.added["documents"] == 1
    assert not any("another version" in note for note in report.notes)
    assert report.reanchored == 0 and not report.unplaceable
    new = [d for d in ours.documents() if d.id != "ours"]
    assert len(new) == 1 and ours.text(new[0].id) == THEIRS_UNRELATED
    theirs = ours.span("their-span")
    assert theirs.document_id == new[0].id
    assert THEIRS_UNRELATED[theirs.start:theirs.end] == "a quiet place after evening classes"
    assert [s.id for s in ours.spans() if s.document_id == "ours"] == ["our-span"]


def test_a_corrected_version_under_another_name_is_recognised_by_its_text(ours):
    corrected = OURS.replace("on Tuesday", "on Wednesday").replace("midnight", "eleven at night")
    data = colleague_export(
        corrected, [("their-span", "the first late crossing")],
        title="Ferry timetable (corrected)", source_file="ferry-v2.txt",
    )
    report = merge_data(ours, data)
    assert report.added["documents"] == 0
    assert any("another version" in note for note in report.notes)
    span = ours.span("their-span")
    assert span.document_id == "ours" and OURS[span.start:span.end] == "the first late crossing"


def test_a_quote_whose_near_surroundings_were_corrected_is_listed_not_guessed(ours):
    corrected = OURS.replace("to sail in early spring", "to sail in late spring")
    data = colleague_export(corrected, [("near-edit", "the first late crossing")], title="v2", source_file="v2.txt")
    report = merge_data(ours, data)
    assert any("another version" in note for note in report.notes)
    assert not ours.has_span("near-edit")
    assert [u.id for u in report.unplaceable] == ["near-edit"] and "surroundings" in report.unplaceable[0].reason


def test_on_the_corpus_different_texts_stay_apart_and_corrected_versions_are_recognised(corpus):
    """Held-out data (the threshold was set on the reasoning in merge_text, not on these texts):
    no two different corpus texts reach the threshold; each text with a sentence reworded and
    a correction line added does."""
    from cisannotate.io.merge_text import SAME_TEXT_THRESHOLD, similarity
    from cisannotate.io.textfile import read_document_file

    texts = [read_document_file(p) for p in sorted(corpus.glob("*.txt"))]
    assert len(texts) >= 2
    highest = max(similarity(a, b) for i, a in enumerate(texts) for b in texts[i + 1:])
    assert highest < SAME_TEXT_THRESHOLD
    for text in texts:
        middle = len(text) // 2
        cut = text.index(". ", middle) + 2
        end = text.index(".", cut)
        corrected = "Correction: an earlier version misstated a date.\n" + text[:cut] + (
            "This sentence was reworded by the editors. " ) + text[end + 1:]
        assert similarity(text, corrected) >= SAME_TEXT_THRESHOLD


# ------------------------------------------------------------------ re-anchoring
def test_a_reworded_sentence_is_not_placed_on_another_sentence_with_the_same_words():
    text = (
        "The minister said the budget was balanced. Later that day the opposition said the budget was a fiction."
    )
    old = Quote("the budget", "The minister said ", " was balanced. Later")
    reworded = (
        "The minister praised the finance team. Later that day the opposition said the budget was a fiction."
    )
    assert anchor_quote(text, old, hint=18) == (18, 28)
    assert anchor_quote(reworded, old, hint=18) is None


def test_a_quote_found_where_its_context_still_matches_on_one_side_is_placed():
    text = "Alpha beta. The council voted to extend the ferry service. Gamma delta."
    quote = quote_at(text, text.index("extend"), text.index("extend") + len("extend the ferry"))
    changed = text.replace("Alpha beta.", "Entirely new opening words here.")
    start = changed.index("extend")
    assert anchor_quote(changed, quote, hint=0) == (start, start + len("extend the ferry"))


def test_merge_lists_a_quote_whose_sentence_was_reworded_instead_of_moving_it(ours):
    reworded = OURS.replace(
        "Councillor Maren Holt said the change would help shift workers get home before midnight.",
        "Councillor Maren Holt said the change would let night staff reach home by midnight.",
    ) + "Unions said it would help shift workers get home, at last.\n"
    # The colleague annotated the original sentence; the project holds the reworded text.
    project = Store.memory()
    add(project, reworded, title="Harbour", source_file="report.txt", doc_id="reworded")
    data = colleague_export(OURS, [("moved?", "help shift workers get home")], title="x", source_file="y.txt")
    report = merge_data(project, data)
    assert any("another version" in note for note in report.notes)
    assert not project.has_span("moved?")
    assert [(u.kind, u.id) for u in report.unplaceable] == [("span", "moved?")]
    assert "not placed" in report.unplaceable[0].reason or "no longer" in report.unplaceable[0].reason
    assert report.reanchored == 0


# ------------------------------------------------------------------ normalisation
@pytest.mark.parametrize("raw", [
    "\ufeff" + OURS.replace("\n", "\r\n"),
    OURS.replace("\n", "\r"),
    "\ufeff" + OURS,
    OURS.replace("\n", "\r\n") + "An emoji 🚢 closes\r\nthe piece.\r\n",
])
def test_merged_text_is_normalised_like_import_with_offsets_carried_over(raw):
    words = "help shift workers get home"
    data = colleague_export(OURS, [("s1", words)], title="t", source_file="report.txt")
    doc = data["documents"][0]
    # The colleague's tool stored the text with a BOM and other line ends; offsets count in that text.
    span = data["spans"][0]
    start = raw.index(words)
    q = quote_at(raw, start, start + len(words))
    span.update(start=start, end=start + len(words), quote=q.exact, prefix=q.prefix, suffix=q.suffix)
    doc.update(text=raw, sha256=sha256_text(raw), length=len(raw))
    project = Store.memory()
    report = merge_data(project, data)
    assert report.added["documents"] == 1 and not report.unplaceable
    stored = project.text(project.documents()[0].id)
    assert stored == normalize_text(raw)
    assert "\r" not in stored and not stored.startswith("\ufeff")
    placed = project.span("s1")
    assert stored[placed.start:placed.end] == words
    assert project.documents()[0].sha256 == sha256_text(stored)


def test_a_crlf_copy_of_our_own_text_is_recognised_as_the_same_text(ours):
    raw = OURS.replace("\n", "\r\n")
    data = colleague_export(OURS, [("s1", "the fuel budget")], title="t", source_file="r.txt")
    span = data["spans"][0]
    start = raw.index("the fuel budget")
    q = quote_at(raw, start, start + len("the fuel budget"))
    span.update(start=start, end=start + 15, quote=q.exact, prefix=q.prefix, suffix=q.suffix)
    data["documents"][0].update(text=raw, sha256=sha256_text(raw), length=len(raw))
    report = merge_data(ours, data)
    assert report.added["documents"] == 0 and report.skipped["documents"] == 1
    assert ours.span("s1").document_id == "ours"


def test_the_store_refuses_a_text_that_was_not_normalised():
    store = Store.memory()
    for raw in ("\ufeffBOM first", "two\r\nlines", "old\rmac", "nul\x00byte"):
        with pytest.raises(ValueError, match="not normalised"):
            add(store, raw, title="t", source_file="raw.txt", doc_id=sha256_text(raw)[:8])
    assert store.documents() == []


def test_a_phrase_repeated_elsewhere_does_not_take_a_reworded_quote():
    """Found by the adversarial pass on the corpus: the same words with the same text on one side."""
    original = ("Despite pressure, blackmail and illegal sanctions by the bloc, trade grew. "
                "Officials said pressure, blackmail and illegal sanctions from abroad had failed.")
    start = original.index("sanctions")
    quote = quote_at(original, start, start + len("sanctions"))
    reworded = original.replace("illegal sanctions by the bloc, trade grew", "xxxxxxx sanctions yyyyyyyyyyyyyyyyyyyyy")
    assert anchor_quote(reworded, quote, hint=start) is None


def test_a_quote_near_the_start_is_placed_when_the_colleagues_copy_has_a_line_above_it():
    """Found by the adversarial pass: the colleague's prefix reaches into a correction line
    that our text does not have; all the context our text has before the quote matches."""
    ours = "Russian leader spoke on Tuesday about the harbour and its ferries, at length.\n"
    theirs = "CORRECTION: an earlier version gave a wrong date.\n" + ours
    start = theirs.index("leader spoke")
    quote = quote_at(theirs, start, start + len("leader spoke on Tuesday"))
    at = ours.index("leader spoke")
    assert anchor_quote(ours, quote, hint=start) == (at, at + len("leader spoke on Tuesday"))
