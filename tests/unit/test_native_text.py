"""The native JSON written a column at a time (io/native_text.py, what ``cisannotate export``
writes) is byte for byte the dict export's ``dumps`` (``native_export``, pinned by the golden
file), on the sample and on projects holding every kind of value; and the export command
imports nothing it does not need."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from cisannotate.core.model import Comment, Document, Link, Review, SourceLine, Span, Speaker
from cisannotate.core.text import normalize_text, sha256_text
from cisannotate.io.exchange import ExportOptions, _native, native_export, render
from cisannotate.io.jsonlayout import dumps, encode_columns, encode_record
from cisannotate.io.selection import ProgressCounter, select
from cisannotate.sample import build_sample
from cisannotate.storage import Store

# Characters that JSON escapes or that cross an offset boundary: quotes, backslash, every
# control character, the line separators JavaScript treats apart, a character outside the
# BMP, DEL, a non-character.
TRICKY = '"\\/' + "".join(map(chr, range(32))) + "\u2028\u2029😀\x7f\ufffféЖ%s"


def _dict_text(store: Store, *, with_text: bool = False, annotator: str | None = None) -> str:
    sel = select(store, annotator, rows=True)
    return dumps(_native(store, sel, with_text, annotator, ProgressCounter(1, None)))


def _both(store: Store, **kwargs) -> tuple[str, str]:
    body, _ = render(store, ExportOptions("json", **kwargs))
    return body, _dict_text(store, **kwargs)


def tricky_project() -> Store:
    """Documents, lines, spans, links, reviews and comments with every kind of value: None
    and set fields, no_source both ways, escapes and a character outside the BMP at every border."""
    store = Store.memory()
    rng = random.Random(20)
    words = ["minister", "“we", "act”", "😀", "Ж", "said", "\\", '"', "\t", "\u2028", "%s", "%%", "a"]
    docs = []
    for n in range(3):
        text = normalize_text(" ".join(rng.choice(words) for _ in range(300)) + " 😀")
        sha = sha256_text(text)
        kind = "transcript" if n else "article"
        doc = Document(id=sha[:16], kind=kind, title=f"Doc {n} {TRICKY}", text=text, sha256=sha,
                       notes=TRICKY if n == 1 else "", extra={"source_lines": None, "n": n, "f": 0.5,
                                                             "nested": {"b": [1, "😀"], "a": TRICKY}})
        lines = []
        if kind == "transcript":
            at, number = 0, 1
            while at < len(text) - 2:
                end = min(len(text), at + rng.randint(5, 40))
                lines.append(SourceLine(doc.id, number, at, end, 1 + number // 4, TRICKY[: number % 7]))
                at, number = end + 1, number + 1
        store.add_document(doc, lines)
        docs.append(doc)
    categories = [c.id for c in store.categories()]
    store.add_speaker(Speaker(id="sp-1", name="Speaker " + TRICKY, role=TRICKY))
    speaker_id = "sp-1"
    spans = []
    for i in range(120):
        doc = docs[i % 3]
        start = rng.randrange(0, len(doc.text) - 2)
        end = min(len(doc.text), start + rng.randint(1, 30))
        annotator = rng.choice(["amira", "jonas", "Жанна"])
        span = Span(id=f"s{i:03d}", document_id=doc.id, start=start, end=end, annotator=annotator,
                    category_id=rng.choice([None, *categories]), speaker_id=rng.choice([None, speaker_id]),
                    mode=rng.choice([None, "paraphrase", "direct quote"]), note=rng.choice(["", TRICKY]),
                    no_source=rng.random() < 0.3, layer=annotator,
                    created="2026-03-02T09:00:00.000Z", modified=f"2026-03-02T09:00:{i % 60:02d}.000Z")
        store.add_span(span)
        spans.append(span)
    for i, span in enumerate([s for s in spans if s.document_id == docs[0].id][:30] * 2):
        target = docs[1 + i % 2]
        start = rng.randrange(0, len(target.text) - 2)
        store.add_link(Link(id=f"k{i:03d}", span_id=span.id, target_document_id=target.id, target_start=start,
                            target_end=min(len(target.text), start + rng.randint(1, 50)),
                            relation=rng.choice(["verbatim", "close paraphrase", "distortion"]),
                            annotator=span.annotator, note=rng.choice(["", TRICKY]), layer=span.layer,
                            created="2026-03-02T10:00:00.000Z", modified="2026-03-02T10:00:00.000Z"))
    store.add_review(Review(id="rev-1", item_a=spans[0].id, item_b=spans[1].id, decision="accept_a",
                            reviewer="rosa", result_id=spans[0].id, comment=TRICKY, created="2026-03-03T10:00:00.000Z"))
    store.add_comment(Comment(id="com-1", target_id=spans[2].id, author="rosa", text=TRICKY,
                              created="2026-03-03T10:01:00.000Z"))
    return store


@pytest.fixture(scope="module")
def tricky():
    return tricky_project()


@pytest.mark.parametrize("kwargs", [{}, {"with_text": True}, {"annotator": "jonas"}, {"annotator": "Жанна"},
                                    {"annotator": "rosa"}])
def test_the_column_export_is_the_dict_export_byte_for_byte(tricky, kwargs):
    fast, slow = _both(tricky, **kwargs)
    assert fast == slow
    data = json.loads(fast)
    assert data == json.loads(dumps(native_export(tricky, **kwargs)))
    if not kwargs:
        assert len(data["spans"]) == 120 and len(data["links"]) == 60
        assert any(s["no_source"] for s in data["spans"]) and any(s["category_id"] is None for s in data["spans"])
        assert any(s["note"] == TRICKY for s in data["spans"]) and any(k["note"] == TRICKY for k in data["links"])
        assert any("😀" in s["quote"] for s in data["spans"]) and any("\t" in s["suffix"] and "\\" in s["prefix"] for s in data["spans"])
        assert data["documents"][1]["extra"]["source_lines"] is None  # a field of that name inside extra


@pytest.mark.parametrize("kwargs", [{}, {"with_text": True}, {"annotator": "jonas"}, {"annotator": "reviewed"}])
def test_the_sample_exports_the_same_both_ways(kwargs):
    store = Store.memory()
    build_sample(store)
    fast, slow = _both(store, **kwargs)
    assert fast == slow


def test_an_empty_project_exports_the_same_both_ways():
    store = Store.memory()
    fast, slow = _both(store)
    assert fast == slow
    assert json.loads(fast)["spans"] == [] and '"spans": []' in fast


def test_a_span_at_the_borders_of_a_text_outside_the_bmp():
    """Offsets are code points: a quote, prefix and suffix around and beside an emoji."""
    store = Store.memory()
    text = "😀ab😀cd😀"
    sha = sha256_text(text)
    store.add_document(Document(id=sha[:16], kind="article", title="t", text=text, sha256=sha))
    store.add_span(Span(id="e1", document_id=sha[:16], start=0, end=1, annotator="a", layer="a"))
    store.add_span(Span(id="e2", document_id=sha[:16], start=3, end=7, annotator="a", layer="a"))
    fast, slow = _both(store)
    assert fast == slow
    spans = json.loads(fast)["spans"]
    assert [(s["prefix"], s["quote"], s["suffix"]) for s in spans] == [("", "😀", "ab😀cd😀"), ("😀ab", "😀cd😀", "")]


def test_encode_columns_writes_each_record_as_the_encoder_does():
    rng = random.Random(7)
    pool = [None, True, False, 0, -3, 2**70, 1.5, float("inf"), "", TRICKY, "😀", [1, "x"], {"k": None, "a": [True]}]
    for kinds in ([str], [int], [bool], [str, None], pool):
        columns = {f"k{n}" + TRICKY[n % 5]: [rng.choice(kinds) if kinds is pool else
                                            rng.choice({str: ["a", TRICKY, ""], int: [0, 7, -2**65],
                                                        bool: [True, False], None: [None]}[rng.choice(kinds)])
                                            for _ in range(40)]
                   for n in range(6)}
        records = [dict(zip(columns, values)) for values in zip(*columns.values())]
        assert encode_columns(columns) == [encode_record(r) for r in records]
    assert encode_columns({}) == [] and encode_columns({"a": []}) == []


# ------------------------------------------------------------ imports
# What an export of the native JSON has no use for: Qt, numpy, the suggestion model, the merge
# and its schema checks, the other tools' formats, the tables, sqlite-utils (a project is read
# through the sqlite3 connection) and the schema's migrations.
NOT_FOR_EXPORT = ("PySide6", "shiboken6", "numpy", "pandas", "matplotlib", "rapidfuzz", "snowballstemmer",
                  "sqlite_utils", "cisannotate.storage.schema",
                  "jsonschema", "fastjsonschema", "jsonschema_rs", "orjson", "cisannotate.ui", "cisannotate.app",
                  "cisannotate.core.suggest", "cisannotate.suggestions", "cisannotate.io.merge",
                  "cisannotate.io.merge_check", "cisannotate.io.formats", "cisannotate.io.tables",
                  "cisannotate.io.importer", "cisannotate.services.merging", "cisannotate.services.importing",
                  "cisannotate.team", "cisannotate.report", "cisannotate.charts", "zipfile",
                  "dateutil.parser._parser", "dateutil.tz")


def test_the_export_command_imports_nothing_it_does_not_need(tmp_path):
    path = tmp_path / "p.cisannotate"
    store = Store.open(path)
    build_sample(store)
    store.close()
    out = tmp_path / "out.json"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "cisannotate", "export", str(path), "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
             if line.startswith("import time:") and "|" in line} - {"imported package"}
    assert "cisannotate.io.native_text" in names, "the import log was not read"
    assert sorted(n for n in names if any(n == m or n.startswith(m + ".") for m in NOT_FOR_EXPORT)) == []
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "cisannotate"


def test_the_parser_names_the_formats_io_formats_has():
    from cisannotate.cli import formats as cli_formats
    from cisannotate.cli import main
    from cisannotate.io import formats

    assert cli_formats.FORMAT_NAMES == main.FOREIGN_FORMATS == formats.FORMAT_NAMES
