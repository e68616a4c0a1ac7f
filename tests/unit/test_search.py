"""Corpus search like a linguist: inflected forms, prefixes, phrases over line breaks, NEAR, regular
expressions, a keyword-in-context concordance; checked on the real corpus and on fictional texts."""

from __future__ import annotations

import csv
import io

import pytest

from cisannotate.core import kwic
from cisannotate.core.model import Document
from cisannotate.core.search_query import QueryError, find, parse
from cisannotate.search import concordance
from cisannotate.storage import Store
from cisannotate.services.importing import import_files


@pytest.fixture
def corpus_store(tmp_path, corpus):
    store = Store.open(tmp_path / "corpus.cisannotate")
    report = import_files(store, [corpus], manifest=corpus / "manifest.csv")
    assert not report.problems
    yield store
    store.close()


def _add(store: Store, text: str, *, language: str = "en", kind: str = "article", outlet: str = "",
         title: str = "") -> str:
    import hashlib

    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    store.add_document(Document(id=sha[:16], kind=kind, title=title or sha[:8], text=text, sha256=sha,
                                outlet=outlet, language=language, created="2026-01-01T00:00:00.000Z"))
    return sha[:16]


def _words(store: Store, result) -> list[str]:
    return [store.text(ln.document_id)[ln.start:ln.end] for ln in result.lines]


def test_inflected_forms_and_prefixes_on_the_real_corpus(corpus_store):
    transcript = corpus_store.resolve_document("003_c41939edc97d5a2e.txt").id
    for query in ("colour revolution", '"colour revolution"', "Colour Revolutions"):
        result = concordance(corpus_store, query)
        assert [(ln.document_id, w) for ln, w in zip(result.lines, _words(corpus_store, result))] == [
            (transcript, "colour revolutions")], query
    hits = _words(corpus_store, concordance(corpus_store, "revolution*"))
    assert hits and all(w.lower().startswith("revolution") for w in hits)
    assert "revolutions" in hits
    # Exact counts, computed here independently from the texts.
    texts = [corpus_store.text(d.id) for d in corpus_store.documents()]
    import re

    expected = sum(len(re.findall(r"(?i)\bterror(?:s|ism|ist|ists)?\b", t)) for t in texts)
    assert len(concordance(corpus_store, "terrorist OR terrorism").lines) == expected > 0


def test_a_phrase_crosses_a_line_break_and_punctuation(store):
    doc = _add(store, "They warned of colour\nrevolutions. And of colour, revolution again.")
    result = concordance(store, "colour revolution")
    assert _words(store, result) == ["colour\nrevolutions", "colour, revolution"]
    assert result.lines[0].keyword == "colour revolutions"  # one line in the concordance
    assert store.search("colour revolution") == [(doc, 15, 33), (doc, 42, 60)]


def test_near_finds_words_within_a_distance_in_any_order(store):
    _add(store, "The West keeps staging provocations. Provocations, he said, come from the West far later "
                "than anyone expected in this region.")
    assert len(concordance(store, "NEAR(west provocations, 3)").lines) == 1
    assert len(concordance(store, "NEAR(west provocations, 6)").lines) == 2  # "Provocations … the West"
    assert len(concordance(store, "NEAR(west region, 3)").lines) == 0
    assert len(concordance(store, "NEAR(west region)").lines) == 1  # within 10 words by default


def test_regular_expressions(store):
    _add(store, "Meeting on 29 September 2022; follow-up on 26 October 2022.")
    result = concordance(store, r"\d+ (September|October) \d{4}", regex=True)
    assert _words(store, result) == ["29 September 2022", "26 October 2022"]
    with pytest.raises(QueryError, match="not a regular expression"):
        concordance(store, "(unclosed", regex=True)


def test_russian_inflection_is_found_by_the_documents_language(store):
    ru = _add(store, "Президент заявил о попытках устроить «цветные революции» в странах Содружества.\n"
                     "Революция, по его словам, не пройдёт.", language="ru")
    _add(store, "The word революции in an English text is not stemmed as Russian.", language="en")
    result = concordance(store, "цветная революция")
    assert [(ln.document_id, w) for ln, w in zip(result.lines, _words(store, result))] == [
        (ru, "цветные революции")]
    assert sorted(_words(store, concordance(store, "революция OR революции"))) == sorted(
        ["революции", "Революция", "революции"])
    assert "попытках" in _words(store, concordance(store, "попытка"))


def test_non_bmp_text_keeps_code_point_offsets(store):
    text = "🙂 Colour revolutions 🙂 and more colour revolutions."
    doc = _add(store, text)
    hits = store.search("colour revolution")
    assert [text[s:e] for _d, s, e in hits] == ["Colour revolutions", "colour revolutions"]
    assert hits[0] == (doc, 2, 20)


def test_kwic_lines_sort_count_and_export(store):
    _add(store, "Analysts doubt the threat. Officials repeat the threat daily.", outlet="Wire B", title="b")
    _add(store, "A new threat emerges, and a greater threat follows.", outlet="Wire A", title="a")
    _add(store, "The threat is real.", kind="transcript", title="t")
    result = concordance(store, "threat")
    assert len(result.lines) == 5
    counts = result.counts
    assert (counts.hits, counts.documents) == (5, 3)
    assert counts.by_outlet == [("Wire A", 2), ("Wire B", 2), (kwic.NO_OUTLET, 1)]
    assert counts.by_kind == [("article", 4), ("transcript", 1)]
    from cisannotate.core.search_query import WORD

    by_left = [WORD.findall(ln.left)[-1].casefold() for ln in kwic.ordered(result.lines, "left")]
    assert by_left == sorted(by_left) == ["greater", "new", "the", "the", "the"]
    by_right = [(WORD.findall(ln.right) or [""])[0].casefold() for ln in kwic.ordered(result.lines, "right")]
    assert by_right == sorted(by_right)
    rows = list(csv.DictReader(io.StringIO(kwic.to_csv(result.lines))))
    assert len(rows) == 5 and {r["keyword"] for r in rows} == {"threat"}
    assert all(store.text(r["document_id"])[int(r["start"]):int(r["end"])] == "threat" for r in rows)
    transcripts = concordance(store, "threat", kind="transcript")
    assert [ln.kind for ln in transcripts.lines] == ["transcript"]


def test_limits_and_bad_queries(store):
    _add(store, " ".join(["threat"] * 50))
    result = concordance(store, "threat", limit=10)
    assert len(result.lines) == 10 and result.truncated
    for query, message in (("", "empty"), ("NEAR(threat)", "at least two"), ('"threat', "not closed"),
                           ("threat OR", "both sides"), ("NEAR threat", None)):
        if message is None:
            parse(query)
            continue
        with pytest.raises(QueryError, match=message):
            concordance(store, query)


def test_find_matches_only_whole_words():
    query = parse("west")
    assert find(query, "Western and west, WEST.", "en") == [(12, 16), (18, 22)]


def test_the_command_lines_csv_file_opens_in_excel_with_cyrillic_intact(tmp_path, capsys):
    from cisannotate.cli import run

    path = tmp_path / "ru.cisannotate"
    store = Store.open(path)
    _add(store, "Президент заявил о попытках устроить «цветные революции».", language="ru")
    store.close()
    out = tmp_path / "hits.csv"
    assert run(["search", str(path), "революция", "--csv", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["keyword"] for r in rows] == ["революции"]
    capsys.readouterr()
    assert run(["search", str(path), "революция", "--csv", "-"]) == 0
    assert not capsys.readouterr().out.startswith("\ufeff")  # a pipe gets plain UTF-8
