"""A Russian project end to end: import with the document language, one sentence per source
line, search by inflected forms, suggestions, and exports/merges that keep Cyrillic and
code-point offsets (also past a character outside the BMP)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from cisannotate.core.model import Link, Span, new_id
from cisannotate.core.text import quote_at
from cisannotate.io.exchange import ExportOptions, export_project, render
from cisannotate.io.merge import merge_file
from cisannotate.storage import Store
from cisannotate.suggestions import Suggester
from cisannotate.services.importing import import_files

DATA = Path(__file__).resolve().parents[1] / "data" / "ru"
# A fictional Russian note with an emoji before the quoted sentence: offsets past it
# differ between code points and UTF-16.
NOTE = "Заметка 🚢 с борта: «Два новых ледокола выйдут на трассу в июне». Ждём. ёлка 𝔘𝔫𝔦."


@pytest.fixture
def project(tmp_path: Path) -> Store:
    folder = tmp_path / "texts"
    folder.mkdir()
    for name in ("transcript_ru.txt", "report_ru_1.txt"):
        shutil.copy(DATA / name, folder / name)
    (folder / "note.txt").write_text(NOTE, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,kind,title,outlet,date,event,language\n"
        "transcript_ru.txt,transcript,Совещание о северном завозе,Кремль,2025-03-14,завоз,ru\n"
        "report_ru_1.txt,article,Субсидии для северного завоза,ТАСС,2025-03-14,завоз,ru\n"
        "note.txt,article,Заметка,Блог,2025-03-15,завоз,ru\n",
        encoding="utf-8",
    )
    store = Store.open(tmp_path / "ru.cisannotate")
    report = import_files(store, [folder], manifest=folder / "manifest.csv")
    assert not report.problems and len(report.added) == 3
    yield store
    store.close()


def by_title(store: Store, title: str):
    return next(d for d in store.documents() if d.title == title)


def add_span(store: Store, document_id: str, start: int, end: int) -> Span:
    text = store.text(document_id)
    quote = quote_at(text, start, end)
    span = Span(id=new_id(), document_id=document_id, start=start, end=end, annotator="анна",
                layer="анна", quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix,
                note="Цитата почти дословна")
    store.add_span(span)
    return span


def test_import_segments_by_language_and_search_finds_inflections(project: Store) -> None:
    transcript = by_title(project, "Совещание о северном завозе")
    assert transcript.language == "ru"
    lines = project.source_lines(transcript.id)
    text = project.text(transcript.id)
    assert len(lines) == 55
    assert text[lines[2].start:lines[2].end] == (
        "Времени до начала навигации осталось немного, т. е. около двух месяцев.")
    # "посёлков" in the query finds "посёлки", "посёлках" (stemmed in Russian).
    from cisannotate.search import concordance

    result = concordance(project, "посёлков", kind="transcript")
    found = {line.keyword.lower() for line in result.lines}
    assert {"посёлки", "посёлках", "посёлке"} <= found


def test_suggestions_for_a_russian_quote(project: Store) -> None:
    note = by_title(project, "Заметка")
    text = project.text(note.id)
    start = text.index("Два новых")
    end = text.index("»")
    suggestion = Suggester(project).suggest(note.id, start, end)
    transcript = project.text(by_title(project, "Совещание о северном завозе").id)
    best = suggestion.candidates[0]
    assert transcript[best.start:best.end] == "Два новых ледокола выйдут на трассу в июне."
    assert not suggestion.no_source


@pytest.mark.parametrize("fmt", ["json", "w3c", "tables"])
def test_exports_keep_cyrillic_and_code_point_offsets(project: Store, tmp_path: Path, fmt: str) -> None:
    note = by_title(project, "Заметка")
    transcript = by_title(project, "Совещание о северном завозе")
    text = project.text(note.id)
    start, end = text.index("Два новых"), text.index("»")
    span = add_span(project, note.id, start, end)
    line = next(ln for ln in project.source_lines(transcript.id)
                if project.text(transcript.id)[ln.start:ln.end].startswith("Два новых"))
    project.add_link(Link(id=new_id(), span_id=span.id, target_document_id=transcript.id,
                          target_start=line.start, target_end=line.end, relation="verbatim",
                          annotator="анна", layer="анна", note="Слово в слово"))
    out = tmp_path / f"export.{fmt}"
    export_project(project, out, ExportOptions(fmt, with_text=fmt == "json", excel=fmt == "tables"))
    if fmt == "tables":
        raw = "".join(f.read_bytes().decode("utf-8") for f in sorted(out.glob("*.csv")))
        assert all(f.read_bytes().startswith(b"\xef\xbb\xbf") for f in out.glob("*.csv"))  # Excel
    else:
        raw = out.read_bytes().decode("utf-8")
    assert "Два новых ледокола выйдут на трассу в июне" in raw  # not \\u-escaped
    assert "анна" in raw and "Слово в слово" in raw
    if fmt == "tables":
        claims = (out / "claims.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(claims)))
        assert [(r["start"], r["end"]) for r in rows] == [(str(start), str(end))]  # code points
    elif fmt == "json":
        data = json.loads(raw)
        spans = [s for s in data["spans"] if s["id"] == span.id]
        assert (spans[0]["start"], spans[0]["end"]) == (start, end)
        assert start == len("Заметка 🚢 с борта: «")
    else:
        positions = [sel for sel in _selectors(json.loads(raw)) if sel["type"] == "TextPositionSelector"]
        assert {"type": "TextPositionSelector", "start": start, "end": end} in positions


def _selectors(node):
    """Every selector anywhere in a W3C document."""
    if isinstance(node, dict):
        if node.get("type", "").endswith("Selector"):
            yield node
        for value in node.values():
            yield from _selectors(value)
    elif isinstance(node, list):
        for value in node:
            yield from _selectors(value)


def test_merge_of_a_russian_export_into_an_empty_project(project: Store, tmp_path: Path) -> None:
    note = by_title(project, "Заметка")
    text = project.text(note.id)
    start, end = text.index("ёлка"), len(text) - 1
    span = add_span(project, note.id, start, end)
    assert span.quote == "ёлка 𝔘𝔫𝔦"
    out = tmp_path / "ru.json"
    export_project(project, out, ExportOptions("json", with_text=True))
    other = Store.open(tmp_path / "other.cisannotate")
    try:
        report = merge_file(other, out)
        assert report.added["documents"] == 3 and report.added["spans"] == 1
        merged_note = next(d for d in other.documents() if d.title == "Заметка")
        merged_text = other.text(merged_note.id)
        assert merged_text == text
        assert render(other, ExportOptions("json"))[0] == render(project, ExportOptions("json"))[0]
        merged_span = other.spans(merged_note.id)[0]
        assert (merged_span.start, merged_span.end, merged_span.quote) == (start, end, "ёлка 𝔘𝔫𝔦")
    finally:
        other.close()


def _members(body: bytes) -> str:
    """An export's bytes as text: the file itself, or every member of its zip."""
    import zipfile

    if not body.startswith(b"PK"):
        return body.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in sorted(archive.namelist()))


@pytest.mark.parametrize("fmt", ["labelstudio", "doccano", "brat", "webanno", "qdpx"])
def test_other_tools_formats_keep_cyrillic_and_round_trip(project: Store, tmp_path: Path, fmt: str) -> None:
    from cisannotate.io.formats import SUFFIXES, import_annotations, render_format

    note = by_title(project, "Заметка")
    transcript = by_title(project, "Совещание о северном завозе")
    text = project.text(note.id)
    start, end = text.index("Два новых"), text.index("»")  # after an emoji: code points differ from UTF-16
    span = add_span(project, note.id, start, end)
    line = next(ln for ln in project.source_lines(transcript.id)
                if project.text(transcript.id)[ln.start:ln.end].startswith("Два новых"))
    project.add_link(Link(id=new_id(), span_id=span.id, target_document_id=transcript.id,
                          target_start=line.start, target_end=line.end, relation="verbatim",
                          annotator="анна", layer="анна", note="Слово в слово"))
    body, counts = render_format(project, fmt)
    assert counts["spans"] == 1 and counts["links"] == 1
    raw = _members(body)
    assert "Два новых ледокола выйдут на трассу в июне" in raw  # not escaped
    assert "Совещание о северном завозе" in raw  # the transcript's title
    path = tmp_path / f"ru{SUFFIXES[fmt]}"
    path.write_bytes(body)
    other = Store.open(tmp_path / "other.cisannotate")
    try:
        import_annotations(other, path, fmt)
        merged_note = next(d for d in other.documents() if other.text(d.id) == text)
        (merged,) = other.spans(merged_note.id)
        assert (merged.start, merged.end) == (start, end)
        assert other.text(merged_note.id)[merged.start:merged.end] == "Два новых ледокола выйдут на трассу в июне"
        (link,) = other.links()
        assert other.text(link.target_document_id)[link.target_start:link.target_end] == (
            "Два новых ледокола выйдут на трассу в июне.")
    finally:
        other.close()
