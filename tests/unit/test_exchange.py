"""Exports: native JSON (against its schema) and W3C Web Annotation, pinned as golden files.

(The tidy tables are tested in test_tables.py, the W3C export's graph in test_w3c.py.)

The golden files under tests/data/golden/ are the sample project's exports. After an intended
change to the sample or to a format, regenerate them with

    CISANNOTATE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_exchange.py -k golden

and review the diff (one record a line) before committing it.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import jsonschema
import pytest
from sqlite_utils import Database

from cisannotate.cli import run
from cisannotate.core.model import Comment, Document, Review, Span
from cisannotate.core.text import sha256_text
from cisannotate.io import exchange
from cisannotate.io.exchange import (
    W3C_CONTEXT,
    ExportOptions,
    export_project,
    native_export,
    render,
    w3c_export,
    write_atomic,
)
from cisannotate.io.merge import OPTIONAL_FIELDS, RECORD_FIELDS, TOP_FIELDS, TOP_LISTS
from cisannotate.sample import build_sample, create_sample_project
from cisannotate.storage import Store

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "resources" / "schema" / "cisannotate-export-1.schema.json"
GOLDEN = REPO / "tests" / "data" / "golden"
GOLDEN_FILES = {"json": "sample.json", "w3c": "sample.w3c.jsonld"}
UPDATE = bool(os.environ.get("CISANNOTATE_UPDATE_GOLDEN"))


@functools.lru_cache(maxsize=1)
def _sample() -> Store:
    store = Store.memory()
    build_sample(store)
    return store


def sample_store() -> Store:
    """A fresh in-memory copy of the sample project (SQLite's backup API, not a rebuild)."""
    db = Database(memory=True, strict=True)
    _sample().db.conn.backup(db.conn)
    db.conn.isolation_level = None
    db.execute("PRAGMA foreign_keys = ON")
    return Store(db)


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator():
    spec = schema()
    jsonschema.Draft202012Validator.check_schema(spec)
    return jsonschema.Draft202012Validator(spec)


@pytest.fixture
def reviewed_store():
    """The sample plus a reviewed span, a review, comments and a text outside the BMP."""
    store = sample_store()
    spans = store.spans()
    a, b = spans[0], spans[1]
    result = a.with_changes(id="rev-span-1", layer="reviewed", annotator="rosa", note="agreed on A")
    store.add_span(result)
    store.add_review(Review(id="rev-1", item_a=a.id, item_b=b.id, decision="accept_a", reviewer="rosa",
                            result_id=result.id, comment="A is closer", created="2026-03-03T10:00:00.000Z"))
    store.add_comment(Comment(id="com-1", target_id=a.id, author="rosa", text="Why “Other”?",
                              created="2026-03-03T10:01:00.000Z"))
    store.add_comment(Comment(id="com-2", target_id=store.links()[0].id, author="jonas", text="ok",
                              created="2026-03-03T10:02:00.000Z"))
    text = "Emoji 😀 before: the minister said “we will act”."
    sha = sha256_text(text)
    store.add_document(Document(id=sha[:16], kind="article", title="Astral", text=text, sha256=sha,
                                extra={"wave": 2, "tags": ["x"]}))
    start = text.index("we will act")
    store.add_span(Span(id="astral-1", document_id=sha[:16], start=start, end=start + 11, annotator="amira",
                        layer="amira", created="2026-03-03T11:00:00.000Z", modified="2026-03-03T11:00:00.000Z"))
    return store


# --------------------------------------------------------------- golden
@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_golden_exports_of_the_sample(fmt):
    body, _ = render(sample_store(), ExportOptions(fmt))
    path = GOLDEN / GOLDEN_FILES[fmt]
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode("utf-8"))
        pytest.skip(f"regenerated {path.name}")
    assert body.encode("utf-8") == path.read_bytes(), (
        f"{path.name} differs from the export; if the change is intended, regenerate (see module docstring)"
    )


@pytest.mark.parametrize("options", [
    ExportOptions("json"), ExportOptions("json", with_text=True), ExportOptions("json", annotator="jonas"),
    ExportOptions("w3c"), ExportOptions("tables"), ExportOptions("tables", excel=True),
])
def test_two_exports_of_the_same_project_are_byte_identical(tmp_path, options):
    first, second = Store.memory(), Store.memory()
    build_sample(first)
    build_sample(second)
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_project(first, a, options)
    export_project(second, b, options)
    assert a.read_bytes() == b.read_bytes()
    if options.format == "tables":
        return  # the files inside are checked in test_tables.py
    body = a.read_bytes()
    assert body.endswith(b"\n") and not body.startswith(b"\xef\xbb\xbf")
    body.decode("utf-8")


# --------------------------------------------------------------- native
def test_native_exports_validate_against_the_schema(validator, reviewed_store):
    for kwargs in ({}, {"with_text": True}, {"annotator": "jonas"}, {"annotator": "reviewed"}):
        data = json.loads(exchange.dumps(native_export(reviewed_store, **kwargs)))
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, errors[0]


def test_native_export_contents(reviewed_store):
    data = native_export(reviewed_store, with_text=True)
    assert data["format"] == "cisannotate" and data["version"] == 1
    docs = {d["id"]: d for d in data["documents"]}
    for span in data["spans"]:
        text = docs[span["document_id"]]["text"]
        assert span["quote"] == text[span["start"]:span["end"]]
        assert text[:span["start"]].endswith(span["prefix"]) and text[span["end"]:].startswith(span["suffix"])
    for link in data["links"]:
        text = docs[link["target_document_id"]]["text"]
        assert link["target_quote"] == text[link["target_start"]:link["target_end"]]
    astral = next(s for s in data["spans"] if s["id"] == "astral-1")
    # Code points: the emoji counts once (Qt and JavaScript would count it twice).
    assert astral["quote"] == "we will act" and astral["start"] == len("Emoji 😀 before: the minister said “")
    assert next(d for d in data["documents"] if d["title"] == "Astral")["extra"] == {"tags": ["x"], "wave": 2}
    transcript = next(d for d in data["documents"] if d["kind"] == "transcript")
    assert transcript["source_lines"][0]["number"] == 1
    assert {r["id"] for r in data["reviews"]} == {"rev-1"} and len(data["comments"]) == 2
    assert "text" not in native_export(reviewed_store)["documents"][0]


def test_annotator_limits_spans_links_and_their_reviews_and_comments(reviewed_store):
    data = native_export(reviewed_store, annotator="jonas")
    assert data["scope"] == {"annotator": "jonas", "with_text": False}
    assert data["spans"] and {s["layer"] for s in data["spans"]} == {"jonas"}
    assert data["links"] and {k["layer"] for k in data["links"]} == {"jonas"}
    assert data["reviews"] == [] and [c["id"] for c in data["comments"]] == ["com-2"]
    assert data["annotators"] == ["jonas"]
    reviewed = native_export(reviewed_store, annotator="reviewed")
    assert [s["id"] for s in reviewed["spans"]] == ["rev-span-1"]
    assert [r["id"] for r in reviewed["reviews"]] == ["rev-1"]


def test_schema_and_the_runtime_checks_describe_the_same_records():
    spec = schema()
    assert set(spec["required"]) == set(spec["properties"]) == set(TOP_FIELDS)
    for key, kind in TOP_LISTS.items():
        assert spec["properties"][key]["items"] == {"$ref": f"#/$defs/{kind}"}
    for kind, fields in RECORD_FIELDS.items():
        definition = spec["$defs"][kind] if kind != "scope" else spec["properties"]["scope"]
        assert set(definition["required"]) == set(fields), kind
        assert set(definition["properties"]) == set(fields) | set(OPTIONAL_FIELDS.get(kind, {})), kind
        assert definition["additionalProperties"] is False


# ------------------------------------------------------------------ W3C
def test_w3c_collection_has_the_context_and_both_selectors_per_target(reviewed_store):
    data = json.loads(exchange.dumps_w3c(w3c_export(reviewed_store)))
    assert data["@context"][0] == W3C_CONTEXT and data["type"] == "AnnotationCollection"
    assert "items" not in data and data["first"]["type"] == "AnnotationPage"
    items = data["first"]["items"]
    assert data["total"] == len(items)
    shas = {d.sha256 for d in reviewed_store.documents()}
    base = f"urn:cisannotate:{reviewed_store.project_id()}:"
    motivations = set()
    for item in items:
        assert item["type"] == "Annotation" and item["id"].startswith(base)
        assert item["creator"]["type"] == "Person" and item["created"]
        motivations.add(item["motivation"])
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        for target in targets:
            if isinstance(target, str):  # a reply or a decision targets the annotation it is about
                continue
            assert target["source"]["dcterms:identifier"].removeprefix("urn:sha256:") in shas
            kinds = [s["type"] for s in target["selector"]]
            assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
            quote, position = target["selector"]
            assert len(quote["exact"]) == position["end"] - position["start"]
            assert {"prefix", "suffix"} <= set(quote)
    assert {"classifying", "tagging", "linking", "replying", "assessing"} <= motivations
    link = next(i for i in items if i["motivation"] == "linking")
    assert isinstance(link["target"], dict)
    assert [b["purpose"] for b in link["body"][:2]] == ["linking", "classifying"]
    span_item = next(i for i in items if i["id"] == base + "span:sample-span-001")
    purposes = {b["purpose"] for b in span_item["body"]}
    assert purposes >= {"classifying", "tagging"}
    noted = next(i for i in items if i["id"] == base + "span:rev-span-1")
    assert noted["layer"] == "reviewed"
    assert {"purpose": "commenting", "type": "TextualBody", "value": "agreed on A", "format": "text/plain"} \
        in noted["body"]


# -------------------------------------------------------------- writing
def test_cancelled_export_leaves_no_file_and_keeps_an_old_one(tmp_path):
    store = sample_store()
    seen = []

    def cancel_midway(done, total):
        seen.append((done, total))
        return len(seen) < 2

    out = tmp_path / "new.json"
    assert export_project(store, out, ExportOptions("json"), cancel_midway) is None
    assert not out.exists() and list(tmp_path.iterdir()) == []
    old = tmp_path / "old.zip"
    old.write_text("previous")
    assert export_project(store, old, ExportOptions("tables"), lambda d, t: False) is None
    assert old.read_text() == "previous" and list(tmp_path.iterdir()) == [old]


@pytest.mark.parametrize("fmt", ["json", "w3c", "tables"])
def test_progress_reaches_the_total(tmp_path, fmt):
    calls = []
    summary = export_project(sample_store(), tmp_path / "x", ExportOptions(fmt),
                             lambda d, t: calls.append((d, t)) or True)
    assert summary is not None and summary.spans == 86 and summary.links == 69
    assert len({t for _, t in calls}) == 1 and calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "x.json"
    path.write_text("old")
    path.chmod(0o640)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exchange.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, "new")
    assert path.read_text() == "old" and list(tmp_path.iterdir()) == [path]
    monkeypatch.undo()
    write_atomic(path, "new")
    assert path.read_text() == "new" and path.stat().st_mode & 0o777 == 0o640


# ------------------------------------------------------------------ CLI
@pytest.fixture
def project_file(tmp_path) -> Path:
    path = tmp_path / "p.cisannotate"
    create_sample_project(path).close()
    return path


def test_cli_export_formats(project_file, tmp_path, capsys):
    for fmt in ("json", "w3c"):
        out = tmp_path / f"out.{fmt}"
        assert run(["export", str(project_file), "-o", str(out), "--format", fmt]) == 0
        assert out.read_bytes() == (GOLDEN / GOLDEN_FILES[fmt]).read_bytes()
    assert "86 annotations, 69 links" in capsys.readouterr().out
    assert run(["export", str(project_file), "-o", "-", "--annotator", "amira", "--with-text"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["layer"] for s in data["spans"]} == {"amira"} and "text" in data["documents"][0]


@pytest.mark.parametrize("args, message", [
    (["--format", "csv", "--with-text"], "--with-text applies only to --format json"),
    (["--format", "w3c", "--excel"], "--excel and --formula-cells apply only to --format tables"),
    (["--annotator", "nobody"], "no annotations in layer 'nobody' (layers: amira, jonas)"),
])
def test_cli_export_refuses_with_a_message(project_file, tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert run(["export", str(project_file), "-o", str(out), *args]) == 1
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == "" and not out.exists()


def test_cli_export_of_a_missing_project(tmp_path, capsys):
    assert run(["export", str(tmp_path / "none.cisannotate"), "-o", str(tmp_path / "x.json")]) == 1
    assert "none.cisannotate" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
