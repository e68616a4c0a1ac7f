"""Merging colleagues' exports: round trip, idempotence, re-anchoring on corrected texts,
conflicts, refusals that name the place, and all-or-nothing writes (also under fuzzing)."""

from __future__ import annotations

import copy
import functools
import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from cisannotate.cli import run
from cisannotate.core.model import Comment, Review, Speaker
from cisannotate.core.text import CONTEXT_CHARS, quote_at, sha256_text
from cisannotate.io import merge as merge_module
from cisannotate.io.exchange import ExportOptions, dumps, export_project, native_export, render
from cisannotate.io.merge import MergeCancelled, MergeError, merge_bytes, merge_data, merge_file, validate
from cisannotate.sample import build_sample, create_sample_project
from cisannotate.storage import Store

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "resources" / "schema" / "cisannotate-export-1.schema.json"


# ------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=1)
def _sample() -> Store:
    store = Store.memory()
    build_sample(store)
    return store


@functools.lru_cache(maxsize=1)
def _empty() -> Store:
    return Store.memory()


def clone(store: Store) -> Store:
    """An independent in-memory copy (SQLite's backup API: milliseconds, where a rebuild takes a second)."""
    db = Database(memory=True, strict=True)
    store.db.conn.backup(db.conn)
    db.conn.isolation_level = None
    db.execute("PRAGMA foreign_keys = ON")
    return Store(db)


def sample_store() -> Store:
    return clone(_sample())


def empty_store() -> Store:
    return clone(_empty())


@functools.lru_cache(maxsize=2)
def _export(with_text: bool) -> str:
    return json.dumps(native_export(_sample(), with_text=with_text))


def sample_export(with_text: bool = True) -> dict:
    """The sample's native export as a fresh dict, safe to change."""
    return json.loads(_export(with_text))


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order: equal snapshots mean nothing was written."""
    tables = [
        row[0]
        for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'documents_fts%' ORDER BY name"
        ).fetchall()
    ]
    return {t: sorted(map(tuple, store.db.execute(f"SELECT * FROM {t}").fetchall()), key=repr) for t in tables}


def encode(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------- round trip
@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_export_merge_into_an_empty_project_export_again_is_identical(fmt):
    store = empty_store()
    report = merge_data(store, sample_export(with_text=True))
    assert report.added["documents"] == 6 and report.added["spans"] == 86 and report.added["links"] == 69
    assert not report.conflicts and not report.unplaceable
    # W3C ids carry the project's own id; given the sample's, the rest of the export must be the same.
    assert store.project_id() != _sample().project_id()
    store.set_meta("project_id", _sample().project_id())
    for options in (ExportOptions(fmt), ExportOptions(fmt, with_text=fmt == "json")):
        assert render(store, options)[0] == render(_sample(), options)[0]
    assert [d.source_lines for d in store.documents()] == [d.source_lines for d in _sample().documents()]
    assert store.search("Compact cyber")  # the merged texts are in the full-text index


def test_merging_the_same_file_twice_changes_nothing():
    store = empty_store()
    data = sample_export()
    merge_data(store, data)
    before = snapshot(store)
    report = merge_data(store, data)
    assert snapshot(store) == before
    assert not report.changed and not report.conflicts and not report.unplaceable
    assert report.skipped["spans"] == 86 and report.skipped["links"] == 69 and report.skipped["documents"] == 6
    assert report.lines()[0] == "added: nothing"


def test_reviews_and_comments_travel_and_merge_once():
    source = sample_store()
    spans = source.spans()
    result = spans[0].with_changes(id="rev-span", layer="reviewed", annotator="rosa")
    source.add_span(result)
    source.add_review(Review("rev-1", spans[0].id, spans[1].id, "accept_a", "rosa", result.id, "closer",
                             "2026-03-03T10:00:00.000Z"))
    source.add_comment(Comment("com-1", spans[0].id, "rosa", "Why?", "2026-03-03T10:01:00.000Z"))
    data = json.loads(dumps(native_export(source, with_text=True)))
    data["comments"].append({"id": "com-2", "target_id": "nowhere", "author": "rosa", "text": "lost",
                             "created": "2026-03-03T10:02:00.000Z"})
    store = empty_store()
    report = merge_data(store, data)
    assert report.added["reviews"] == 1 and report.added["comments"] == 1
    assert [(u.kind, u.id) for u in report.unplaceable] == [("comment", "com-2")]
    assert "neither in the file nor in the project" in report.unplaceable[0].reason
    assert store.reviews() == source.reviews() and store.comments() == source.comments()
    assert "rosa" in store.annotators() and store.span("rev-span").layer == "reviewed"
    again = merge_data(store, data)
    assert not again.changed and again.skipped["reviews"] == 1 and again.skipped["comments"] == 1


# -------------------------------------------------------- placing work
def test_without_texts_annotations_on_unknown_documents_are_listed_not_dropped():
    store = empty_store()
    report = merge_data(store, sample_export(with_text=False))
    assert report.added["documents"] == 0 and report.added["spans"] == 0
    assert len(report.unplaceable) == 86 + 69
    assert all("--with-text" in u.reason or "span could not be placed" in u.reason for u in report.unplaceable)
    assert store.count_spans() == 0
    text = "\n".join(report.lines())
    assert "not placed (155; not merged)" in text and "sample-span-001" in text


def test_colleagues_codebook_is_matched_by_name_and_new_entries_are_added():
    store = empty_store()
    store.add_speaker(Speaker("local-ilse", "Ilse Marrow", "Minister"))
    data = sample_export()
    renamed = {"cat-2": "their-threat", "cat-3": "their-call"}
    for category in data["categories"]:
        category["id"] = renamed.get(category["id"], category["id"])
    for span in data["spans"]:
        span["category_id"] = renamed.get(span["category_id"], span["category_id"])
    data["categories"].append({"id": "cat-3", "name": "Irony", "color": "#123456", "shortcut": "t",
                               "description": "", "position": 0})
    report = merge_data(store, data)
    categories = {c.name: c for c in store.categories()}
    assert categories["Threat"].id == "cat-2" and categories["Call to action"].id == "cat-3"
    irony = categories["Irony"]
    assert irony.id != "cat-3" and irony.shortcut == "" and irony.position == 7
    assert any("Irony" in note and "'t'" in note for note in report.notes)
    threat_spans = [s["id"] for s in data["spans"] if s["category_id"] == "their-threat"]
    assert threat_spans and all(store.span(i).category_id == "cat-2" for i in threat_spans)
    ilse = [s["id"] for s in data["spans"] if s["speaker_id"] == "spk-1"]
    assert ilse and all(store.span(i).speaker_id == "local-ilse" for i in ilse)
    assert report.added["speakers"] == 2 and report.added["categories"] == 1


def test_documents_are_matched_by_their_text_not_their_id():
    store = sample_store()
    data = sample_export(with_text=False)
    renamed = {d["id"]: f"their-doc-{i}" for i, d in enumerate(data["documents"])}
    for doc in data["documents"]:
        doc["id"] = renamed[doc["id"]]
    for span in data["spans"]:
        span["document_id"] = renamed[span["document_id"]]
    for link in data["links"]:
        link["target_document_id"] = renamed[link["target_document_id"]]
    before = snapshot(store)
    report = merge_data(store, data)
    assert snapshot(store) == before and not report.conflicts and not report.unplaceable
    assert report.skipped["spans"] == 86 and report.skipped["links"] == 69


def test_an_existing_id_with_other_content_is_a_conflict_and_the_project_keeps_its_version():
    store = sample_store()
    data = sample_export()
    data["spans"][3]["note"] = "their note"
    data["links"][0]["relation"] = "distortion"
    before = snapshot(store)
    report = merge_data(store, data)
    assert snapshot(store) == before
    assert [(c.kind, c.id, c.fields) for c in report.conflicts] == [
        ("span", data["spans"][3]["id"], ("note",)),
        ("link", data["links"][0]["id"], ("relation",)),
    ]
    assert store.span(data["spans"][3]["id"]).note == ""
    assert "differs in note" in "\n".join(report.lines())


def test_a_link_to_a_span_nowhere_is_listed():
    store = sample_store()
    data = sample_export()
    link = dict(data["links"][0], id="orphan-link", span_id="no-such-span")
    data["links"] = [link]
    report = merge_data(store, data)
    assert [(u.kind, u.id) for u in report.unplaceable] == [("link", "orphan-link")]
    assert "neither in the file nor in the project" in report.unplaceable[0].reason


def _corrected_nordlight() -> tuple[dict, str, list[str]]:
    """The sample's export as a colleague made it on a corrected Nordlight text.

    The correction inserts words at the start and rewrites one sentence that
    two spans quote. Returns the export, the original text, and the ids of
    the spans whose words, or whose near surroundings, were rewritten.
    """
    data = sample_export(with_text=True)
    doc = next(d for d in data["documents"] if d["source_file"] == "report_nordlight.txt")
    original = doc["text"]
    spans = [s for s in data["spans"] if s["document_id"] == doc["id"]]
    gone = max(spans, key=lambda s: s["start"])  # the last claim's words are rewritten
    inserted = "UPDATED 18 October, with a correction. "
    rewritten = "".join("x" if ch.isalpha() else ch for ch in gone["quote"])
    corrected = inserted + original[: gone["start"]] + rewritten + original[gone["end"]:]
    sha = sha256_text(corrected)
    old_id = doc["id"]
    doc.update(id=sha[:16], sha256=sha, text=corrected, length=len(corrected))
    vanished = []
    for span in spans:
        span["document_id"] = doc["id"]
        start, end = span["start"] + len(inserted), span["end"] + len(inserted)
        quote = quote_at(corrected, start, end)
        span.update(start=start, end=end, quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix)
        # Its words rewritten, or its surroundings: a span whose nearer half of context
        # (CONTEXT_CHARS // 2 characters) reaches the rewritten words cannot be told apart
        # from the same words elsewhere, so it is listed rather than placed.
        near = CONTEXT_CHARS // 2
        if span["start"] < gone["end"] + len(inserted) + near and span["end"] > gone["start"] + len(inserted) - near:
            vanished.append(span["id"])
    assert old_id not in {s["document_id"] for s in data["spans"]}
    return data, original, vanished


def test_annotations_on_a_corrected_text_are_reanchored_by_their_quotes():
    data, original, vanished = _corrected_nordlight()
    assert 1 <= len(vanished) < 10
    store = empty_store()
    bare = sample_export(with_text=True)
    bare["spans"], bare["links"] = [], []
    merge_data(store, bare)  # the project holds the original texts, no annotations

    report = merge_data(store, data)
    assert any("another version" in note for note in report.notes)
    assert report.added["documents"] == 0
    placed = {s.id: s for s in store.spans()}
    expected = {s.id: s for s in _sample().spans()}
    corrected_id = next(d["id"] for d in data["documents"] if d["source_file"] == "report_nordlight.txt")
    nordlight = [s for s in data["spans"] if s["document_id"] == corrected_id]
    moved = [s for s in nordlight if s["id"] not in vanished]
    assert moved
    for record in moved:
        span = placed[record["id"]]
        assert (span.start, span.end) == (expected[span.id].start, expected[span.id].end)
        assert original[span.start:span.end] == record["quote"]
    assert {u.id for u in report.unplaceable if u.kind == "span"} == set(vanished)
    assert all("no longer occurs" in u.reason or "surroundings" in u.reason
               for u in report.unplaceable if u.kind == "span")
    lost_links = {k["id"] for k in data["links"] if k["span_id"] in vanished}
    assert {u.id for u in report.unplaceable if u.kind == "link"} == lost_links
    assert report.reanchored == len(moved)
    assert store.count_spans() == 86 - len(vanished)

    before = snapshot(store)
    again = merge_data(store, data)
    assert snapshot(store) == before and not again.changed and not again.conflicts


# ------------------------------------------------------------- refusals
def _mutated(change) -> dict:
    data = sample_export(with_text=False)
    change(data)
    return data


def _set(path: str, value):
    def change(data):
        *parents, last = path.replace("]", "").replace("[", ".").split(".")
        node = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value
    return change


def _delete(path: str):
    def change(data):
        *parents, last = path.replace("]", "").replace("[", ".").split(".")
        node = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]
    return change


BAD_FILES = {
    "empty": (b"", "the file is empty"),
    "not utf-8": (b'{"format": "cisannotate\xff"}', "not UTF-8"),
    "truncated": (encode(sample_export())[:5000], "the file looks truncated"),
    "syntax": (b'{"format": "cisannotate",, }', "not valid JSON: Expecting property name"),
    "NaN": (b'{"format": NaN}', "NaN is not a JSON value"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "array": (b"[1, 2]", "not a cisannotate export: the file holds an array"),
    "foreign": (b'{"hello": 1}', 'not a cisannotate export: it has no "format"'),
    "w3c": (None, "a W3C Web Annotation file"),
    "other format": (encode({"format": "tei", "version": 1}), 'format: expected "cisannotate"'),
    "newer": (encode(_mutated(_set("version", 2))), "format version 2, newer than this cisannotate reads"),
    "version type": (encode(_mutated(_set("version", "1"))), "version: expected an integer, found a string"),
    "offset type": (encode(_mutated(_set("spans[12].start", "12"))),
                    "spans[12].start: expected an integer, found a string"),
    "offset float": (encode(_mutated(_set("spans[0].end", 10.5))), "spans[0].end: expected an integer"),
    "out of range": (encode(_mutated(_set("spans[3].end", 10**6))), "spans[3].end: 1000000 lies outside the text"),
    "negative": (encode(_mutated(_set("links[2].target_start", -1))), "links[2].target_start: -1 is outside"),
    "reversed": (encode(_mutated(_set("spans[0].start", 10**4))), "spans[0].end"),
    "missing": (encode(_mutated(_delete("links[0].relation"))), "links[0].relation: missing"),
    "unknown field": (encode(_mutated(_set("spans[1].colour", "red"))), "spans[1].colour: not a field"),
    "bool as int": (encode(_mutated(_set("documents[0].length", True))), "documents[0].length: expected an integer"),
    "enum": (encode(_mutated(_set("spans[0].mode", "shouted"))), 'spans[0].mode: expected one of "direct quote"'),
    "null name": (encode(_mutated(_set("speakers[1].name", None))), "speakers[1].name: expected a string, found null"),
    "list type": (encode(_mutated(_set("links", {}))), "links: expected an array, found an object"),
    "dangling category": (encode(_mutated(_set("spans[5].category_id", "cat-99"))),
                          'spans[5].category_id: no category "cat-99" in the file'),
    "dangling document": (encode(_mutated(_set("links[4].target_document_id", "nope"))),
                          'links[4].target_document_id: no document "nope" in the file'),
    "duplicate id": (None, "spans[1].id: the id"),
    "quote": (encode(_mutated(_set("spans[2].quote", "x"))), "spans[2].quote:"),
    "surrogate note": (None, "spans[0].note: contains an unpaired surrogate"),
    "infinite extra": (None, "documents[0].extra: holds a number too large"),
    "text changed": (None, "documents[0].text: its SHA-256 is not the sha256 given"),
    "source line": (encode(_mutated(_set("documents[1].source_lines[0].end", 10**6))),
                    "documents[1].source_lines[0].end: 1000000 lies outside the text"),
}


def _special(name: str) -> bytes:
    if name == "w3c":
        return render(_sample(), ExportOptions("w3c"))[0].encode("utf-8")
    if name == "duplicate id":
        data = sample_export(with_text=False)
        data["spans"][1]["id"] = data["spans"][0]["id"]
        return encode(data)
    if name == "surrogate note":
        data = sample_export(with_text=False)
        data["spans"][0]["note"] = "@@SURROGATE@@"
        return encode(data).replace(b"@@SURROGATE@@", b"\\ud800")
    if name == "infinite extra":
        data = sample_export(with_text=False)
        data["documents"][0]["extra"] = {"big": "@@BIG@@"}
        return encode(data).replace(b'"@@BIG@@"', b"1e999")
    if name == "text changed":
        data = sample_export(with_text=True)
        data["documents"][0]["text"] = data["documents"][0]["text"].replace("a", "e", 1)
        return encode(data)
    raise KeyError(name)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_its_place_and_nothing_is_written(name, tmp_path):
    content, message = BAD_FILES[name]
    if content is None:
        content = _special(name)
    path = tmp_path / "colleague.json"
    path.write_bytes(content)
    for store in (empty_store(), sample_store()):
        before = snapshot(store)
        with pytest.raises(MergeError) as caught:
            merge_file(store, path)
        assert message in str(caught.value)
        assert snapshot(store) == before


def test_a_quote_that_does_not_match_the_projects_copy_of_the_text_is_refused():
    store = sample_store()
    data = sample_export(with_text=False)
    data["spans"][0]["quote"] = "y" * len(data["spans"][0]["quote"])
    before = snapshot(store)
    with pytest.raises(MergeError, match=r"spans\[0\]\.quote: .* is not the text at"):
        merge_data(store, data)
    assert snapshot(store) == before


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    store = empty_store()
    before = snapshot(store)

    def broken(self, links):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "add_links", broken)
    with pytest.raises(MergeError, match="disk I/O error.*nothing was merged"):
        merge_data(store, sample_export())
    assert snapshot(store) == before
    assert store.documents() == []


def test_cancelling_at_any_point_writes_nothing():
    calls = []
    merge_data(empty_store(), sample_export(), lambda done, total: calls.append((done, total)) or True)
    assert len(calls) >= 4 and len({t for _, t in calls}) == 1  # one scale for the whole merge
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and calls[-1][0] == calls[-1][1]
    for stop_at in range(1, len(calls) + 1):
        store = empty_store()
        before = snapshot(store)
        allowed = iter(range(stop_at - 1))  # the callback says yes stop_at - 1 times, then no
        with pytest.raises(MergeCancelled):
            merge_data(store, sample_export(), lambda done, total, allowed=allowed: next(allowed, None) is not None)
        assert snapshot(store) == before, stop_at


def test_too_large_a_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(merge_module, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 101)
    with pytest.raises(MergeError, match="too large"):
        merge_file(empty_store(), path)
    with pytest.raises(MergeError, match="cannot read the file"):
        merge_file(empty_store(), tmp_path / "missing.json")


# -------------------------------------------------------------- fuzzing
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _inlined(schema: dict) -> dict:
    """The schema with each local ``{"$ref": "#/$defs/..."}`` replaced by its definition.

    The same rules (the schema has no recursive definitions), checked without a reference
    lookup per value: validation takes less than half the time, and the fuzz tests
    validate every example.
    """
    defs = schema.get("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
                return walk(defs[ref[len("#/$defs/"):]])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    return walk(schema)


_VALIDATOR = jsonschema.Draft202012Validator(_inlined(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))))


def _merge_or_refuse(store: Store, run_merge) -> None:
    """The property: a clean refusal that writes nothing, or a merge that a second run leaves alone."""
    before = snapshot(store)
    try:
        run_merge()
    except MergeError as exc:
        assert str(exc)
        assert snapshot(store) == before
        return
    after = snapshot(store)
    report = run_merge()
    assert not report.changed and snapshot(store) == after
    # What was merged exports again as a valid file.
    exported = json.loads(render(store, ExportOptions("json", with_text=True))[0])
    assert not any(True for _ in _VALIDATOR.iter_errors(exported))


@FUZZ
@given(value=JSON)
def test_fuzz_random_json_values(value):
    store = empty_store()
    _merge_or_refuse(store, lambda: merge_bytes(store, encode(value)))


@FUZZ
@given(content=st.binary(max_size=200))
def test_fuzz_random_bytes(content):
    store = empty_store()
    _merge_or_refuse(store, lambda: merge_bytes(store, content))


@FUZZ
@given(rest=st.dictionaries(st.sampled_from(list(merge_module.TOP_FIELDS)), JSON, max_size=12))
def test_fuzz_random_files_in_our_format(rest):
    store = empty_store()
    data = {**rest, "format": "cisannotate", "version": 1}
    _merge_or_refuse(store, lambda: merge_data(store, data))


def _paths(value, prefix=()):
    """Every place in ``value`` (lists sampled at their first two and last items, to stay small)."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index in sorted({0, 1, len(value) - 1} & set(range(len(value)))):
            yield from _paths(value[index], (*prefix, index))


_SPECIAL_VALUES = st.sampled_from([
    None, 0, -1, 1, 2**31, 10**30, 1.5, "", "\ud800", "x" * 300, [], {}, True, "cat-1", "spk-1", "amira",
    "sample-span-001", "c5c22f7ebd9b76a3",
])


@st.composite
def mutated_exports(draw):
    data = sample_export(with_text=draw(st.booleans()))  # a fresh dict each time
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "special", "delete", "duplicate", "nudge"]))
        if action == "delete":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif action == "nudge" and type(parent[key]) is int:
            parent[key] += draw(st.integers(-40, 40))
        elif action == "special":
            parent[key] = draw(_SPECIAL_VALUES)
        else:
            parent[key] = draw(JSON)
    return data


@FUZZ
@given(data=mutated_exports(), into_sample=st.booleans())
def test_fuzz_mutated_exports(data, into_sample):
    store = sample_store() if into_sample else empty_store()
    _merge_or_refuse(store, lambda: merge_data(store, data))
    # Whatever the schema rejects, the merge's own checks reject too.
    if any(True for _ in _VALIDATOR.iter_errors(data)):
        with pytest.raises(MergeError):
            validate(data)


@FUZZ
@given(data=mutated_exports())
def test_fuzz_the_fast_schema_check_passes_nothing_the_worded_one_refuses(data):
    """jsonschema-rs answers first; what it passes, fastjsonschema (which words problems) passes too,
    so a merge refuses exactly what it refused with fastjsonschema alone."""
    import fastjsonschema

    from cisannotate.io import merge_check

    fast = merge_check._passes_schema(data)
    try:
        merge_check._schema_check()(data)
        worded = True
    except fastjsonschema.JsonSchemaValueException:
        worded = False
    assert not fast or worded
    assert merge_check._passes_schema(sample_export(with_text=True))


# ------------------------------------------------------------------ CLI
def test_cli_merge_prints_the_report_and_is_idempotent(tmp_path, capsys):
    source, target = tmp_path / "a.cisannotate", tmp_path / "b.cisannotate"
    create_sample_project(source).close()
    assert run(["new", str(target)]) == 0
    export = tmp_path / "a.json"
    assert run(["export", str(source), "-o", str(export), "--with-text"]) == 0
    capsys.readouterr()
    assert run(["merge", str(target), str(export)]) == 0
    out = capsys.readouterr().out
    assert "added: 6 documents, 3 speakers, 3 channels, 2 annotators, 86 spans, 69 links" in out
    assert run(["merge", str(target), str(export)]) == 0
    assert "added: nothing" in capsys.readouterr().out
    again = tmp_path / "b.json"
    assert run(["export", str(target), "-o", str(again), "--with-text"]) == 0
    assert again.read_bytes() == export.read_bytes()


def test_cli_merge_refuses_a_bad_file_on_stderr(tmp_path, capsys):
    project = tmp_path / "p.cisannotate"
    create_sample_project(project).close()
    store = Store.open(project, read_only=True)
    before = snapshot(store)
    store.close()
    bad = tmp_path / "bad.json"
    bad.write_bytes(encode(_mutated(_set("spans[12].start", "twelve"))))
    assert run(["merge", str(project), str(bad)]) == 1
    captured = capsys.readouterr()
    assert "spans[12].start: expected an integer, found a string" in captured.err
    assert "nothing was merged" in captured.err and captured.out == ""
    assert run(["merge", str(project), str(tmp_path / "missing.json")]) == 1
    assert "cannot read the file" in capsys.readouterr().err
    store = Store.open(project, read_only=True)
    assert snapshot(store) == before
    store.close()


def test_export_file_merges_like_its_dict(tmp_path):
    path = tmp_path / "sample.json"
    export_project(_sample(), path, ExportOptions("json", with_text=True))
    store = empty_store()
    report = merge_file(store, path)
    assert report.added["spans"] == 86
    assert render(store, ExportOptions("json"))[0] == render(_sample(), ExportOptions("json"))[0]
