"""The formats of other tools (Label Studio, doccano, brat, INCEpTION/WebAnno, REFI-QDA), both ways.

Each format round-trips the sample project: the export is pinned by a golden
file, importing it into an empty project gives the same claims, tags and links
(compared by text, offsets and names, not ids), exporting that project again
gives the same bytes, and importing twice adds nothing. A small project with
characters outside the BMP checks the offsets where they cross each format.

After an intended change to a format, regenerate the golden files and review the diff:

    CISANNOTATE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_formats.py -k golden
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.core.model import Document, Link, Span
from cisannotate.core.segment import segment_transcript
from cisannotate.core.text import Utf16Map, sha256_text
from cisannotate.io.formats import (
    FORMAT_NAMES,
    SUFFIXES,
    FormatError,
    detect,
    import_annotations,
    read_native,
    refusal,
    render_format,
)
from cisannotate.io.importer import prepare_document
from cisannotate.io.textfile import ImportProblem
from cisannotate.sample import create_sample_project
from cisannotate.storage import Store

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "data" / "golden"
XSD = REPO / "tests" / "data" / "refi-qda-project-subset.xsd"
UPDATE = bool(os.environ.get("CISANNOTATE_UPDATE_GOLDEN"))
ZIPPED = {"brat", "webanno", "qdpx"}


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.cisannotate"
    create_sample_project(path).close()
    return path


@pytest.fixture
def sample(sample_path):
    store = Store.open(sample_path, create=False, read_only=True)
    yield store
    store.close()


def empty_project(tmp_path: Path, name: str = "empty.cisannotate") -> Store:
    return Store.open(tmp_path / name)


def content(store: Store) -> set[tuple]:
    """Everything a user made, by text and names rather than ids."""
    categories = {c.id: c.name for c in store.categories()}
    speakers = {s.id: (s.name, s.role) for s in store.speakers()}
    channels = {c.id: c.name for c in store.channels()}
    docs = {d.id: d.sha256 for d in store.documents()}
    spans = {s.id: s for s in store.spans()}
    out: set[tuple] = set()
    for s in spans.values():
        out.add(("span", docs[s.document_id], s.start, s.end, categories.get(s.category_id),
                 speakers.get(s.speaker_id), s.mode, channels.get(s.channel_id), s.note, s.no_source, s.layer))
    for k in store.links():
        s = spans[k.span_id]
        out.add(("link", docs[s.document_id], s.start, s.end, s.layer, docs[k.target_document_id],
                 k.target_start, k.target_end, k.relation, k.note))
    return out


def members_text(body: bytes, fmt: str) -> str:
    """A format's output as text: the file itself, or each member of the zip under its name."""
    if fmt not in ZIPPED:
        return body.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "".join(f"=== {name}\n{archive.read(name).decode('utf-8')}\n" for name in sorted(archive.namelist()))


# -------------------------------------------------------------- round trips
@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_golden_exports_of_the_sample(sample, fmt):
    body, counts = render_format(sample, fmt)
    assert counts == {"documents": 6, "spans": 86, "links": 69}
    golden = GOLDEN / f"sample.{fmt}.txt"
    if UPDATE:
        golden.write_text(members_text(body, fmt), encoding="utf-8")
    assert members_text(body, fmt) == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_the_sample_round_trips(sample, tmp_path, fmt):
    body, _ = render_format(sample, fmt)
    path = tmp_path / f"sample{SUFFIXES[fmt]}"
    path.write_bytes(body)
    target = empty_project(tmp_path)
    report = import_annotations(target, path, fmt)
    assert report.added["documents"] == 6 and report.added["spans"] == 86 and report.added["links"] == 69
    assert content(target) == content(sample)
    assert len(content(sample)) == 86 + 69
    # Metadata comes back with the texts.
    assert {(d.kind, d.title, d.outlet, d.event) for d in target.documents()} == {
        (d.kind, d.title, d.outlet, d.event) for d in sample.documents()
    }
    again, _ = render_format(target, fmt)
    assert members_text(again, fmt) == members_text(body, fmt)
    second = import_annotations(target, path, fmt)
    assert not second.changed and not second.conflicts
    assert second.skipped["spans"] == 86


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_one_layer(sample, tmp_path, fmt):
    body, counts = render_format(sample, fmt, annotator="jonas")
    path = tmp_path / f"jonas{SUFFIXES[fmt]}"
    path.write_bytes(body)
    target = empty_project(tmp_path)
    import_annotations(target, path, fmt)
    assert {s.layer for s in target.spans()} == {"jonas"}
    assert content(target) == {c for c in content(sample) if c[0] == "span" and c[-1] == "jonas"
                               or c[0] == "link" and c[4] == "jonas"}


# ------------------------------------------------------ outside the BMP
ARTICLE = "Intro 😀 line.\nThe minister 🇪🇺 said: “we will act 🚀 now”.\nSecond line, after 𝔘𝔫𝔦𝔠𝔬𝔡𝔢."
TRANSCRIPT = "Speaker: Thank you. 😀 We will act 🚀 now. Nothing else 🎉 today."


@pytest.fixture
def astral(tmp_path) -> Store:
    """Two texts with emoji before, inside and after spans; a span over a line break; a note and a link."""
    store = Store.open(tmp_path / "astral.cisannotate")
    with store.atomic():
        ids = {}
        for kind, text, title in (("article", ARTICLE, "Emoji report"), ("transcript", TRANSCRIPT, "Emoji speech")):
            sha = sha256_text(text)
            ids[kind] = sha[:16]
            lines = [(s.number, s.start, s.end, s.paragraph, s.speaker) for s in segment_transcript(text)] \
                if kind == "transcript" else []
            from cisannotate.core.model import SourceLine

            store.add_document(Document(id=sha[:16], kind=kind, title=title, text=text, sha256=sha,
                                        outlet="Wire" if kind == "article" else "", event="e1",
                                        source_file=f"{kind}.txt"),
                               [SourceLine(sha[:16], *line) for line in lines])
        category = store.categories()[0]
        from cisannotate.core.model import Channel, Speaker

        store.add_speaker(Speaker(id="sp1", name="Ada Quill", role="Minister"))
        store.add_channel(Channel(id="ch1", name="Radio 🛰 One"))
        quote = ARTICLE.index("we will act")
        t = "2026-03-01T10:00:00.000Z"
        spans = [
            Span(id="s-quote", document_id=ids["article"], start=quote, end=ARTICLE.index("”."), annotator="amira",
                 layer="amira", category_id=category.id, speaker_id="sp1", mode="direct quote", channel_id="ch1",
                 note="first line\nsecond 🎯 line", created=t, modified=t),
            Span(id="s-emoji", document_id=ids["article"], start=ARTICLE.index("🇪🇺"),
                 end=ARTICLE.index("🇪🇺") + 2, annotator="amira", layer="amira", no_source=True,
                 created=t, modified=t),
            Span(id="s-multi", document_id=ids["article"], start=ARTICLE.index("line."),
                 end=ARTICLE.index("minister") + 8, annotator="jonas", layer="jonas", category_id=category.id,
                 created=t, modified=t),
            Span(id="s-last", document_id=ids["article"], start=ARTICLE.index("𝔘"), end=len(ARTICLE) - 1,
                 annotator="jonas", layer="jonas", mode="paraphrase", created=t, modified=t),
        ]
        for span in spans:
            store.add_span(span)
        target = TRANSCRIPT.index("We will")
        store.add_link(Link(id="l1", span_id="s-quote", target_document_id=ids["transcript"], target_start=target,
                            target_end=TRANSCRIPT.index("now.") + 4, relation="close paraphrase", annotator="amira",
                            layer="amira", note="the 🚀 is kept", created=t, modified=t))
    return store


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_offsets_outside_the_bmp_round_trip(astral, tmp_path, fmt):
    body, _ = render_format(astral, fmt)
    path = tmp_path / f"astral{SUFFIXES[fmt]}"
    path.write_bytes(body)
    target = empty_project(tmp_path)
    import_annotations(target, path, fmt)
    expected = content(astral)
    if fmt == "brat":  # brat keeps a link's note on one line
        expected = {c[:-1] + ("the 🚀 is kept",) if c[0] == "link" else c for c in expected}
    assert content(target) == expected
    quotes = {target.text(s.document_id)[s.start:s.end] for s in target.spans()}
    assert "🇪🇺" in quotes and any(q.startswith("we will act 🚀") for q in quotes)


def test_label_studio_counts_code_points_or_utf16_units_and_reads_either(astral, tmp_path):
    quote_start = ARTICLE.index("we will act")
    utf16 = Utf16Map(ARTICLE).to_utf16(quote_start)
    assert utf16 == quote_start + 3  # three astral characters before it (😀 and the two flag letters)
    for offsets, expected in (("codepoints", quote_start), ("utf16", utf16)):
        body, _ = render_format(astral, "labelstudio", offsets=offsets)
        tasks = json.loads(body)
        region = next(r for t in tasks for a in t["annotations"] for r in a["result"] if r["id"] == "s-quote")
        assert region["value"]["start"] == expected
        path = tmp_path / f"ls-{offsets}.json"
        path.write_bytes(body)
        target = empty_project(tmp_path, f"{offsets}.cisannotate")
        import_annotations(target, path, "labelstudio")  # recognised region by region
        assert content(target) == content(astral)
    # Told the wrong way, the import says which region does not fit and writes nothing.
    target = empty_project(tmp_path, "wrong.cisannotate")
    with pytest.raises(FormatError, match=r"ls-utf16\.json: task \d, annotation \d, result \d: .* is not at \d+-\d+ counted in code points"):
        import_annotations(target, tmp_path / "ls-utf16.json", "labelstudio", offsets="codepoints")
    assert target.documents() == [] and target.spans() == []


def test_webanno_xmi_counts_utf16_units_and_qdpx_brat_code_points(astral):
    quote_start = ARTICLE.index("we will act")
    body, _ = render_format(astral, "webanno")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        xmi = archive.read("article.xmi").decode("utf-8")
        assert "TypeSystem.xml" in archive.namelist()
    assert f'begin="{quote_start + 3}"' in xmi and 'claimId="s-quote"' in xmi
    body, _ = render_format(astral, "qdpx")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert f'startPosition="{quote_start}"' in archive.read("project.qde").decode("utf-8")
    body, _ = render_format(astral, "brat")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        ann = archive.read("amira/article.ann").decode("utf-8")
        jonas = archive.read("jonas/article.ann").decode("utf-8")
        links = archive.read("amira/links.tsv").decode("utf-8")
    assert f"Accusation {quote_start} " in ann and "Speaker T" in ann and "Ada_Quill" in ann and "NoSource" in ann
    assert "AnnotatorNotes" in ann and "first line second 🎯 line" in ann
    # A span over a line break is written as two fragments.
    multi = ARTICLE.index("line.")
    assert f"{multi} {ARTICLE.index(chr(10))};{ARTICLE.index(chr(10)) + 1} {ARTICLE.index('minister') + 8}" in jonas
    assert "close paraphrase" in links and "transcript" in links


def test_qdpx_validates_against_the_refi_qda_schema(sample, astral):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    for store in (sample, astral):
        body, _ = render_format(store, "qdpx")
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            project = etree.fromstring(archive.read("project.qde"))
            names = archive.namelist()
        assert schema.validate(project), schema.error_log
        ns = {"q": "urn:QDA-XML:project:1.0"}
        for source in project.iterfind(".//q:TextSource", ns):
            assert source.get("plainTextPath").removeprefix("internal://") in {n.removeprefix("sources/") for n in names}
        codes = [c.get("name") for c in project.iterfind(".//q:CodeBook/q:Codes/q:Code", ns)]
        assert {"Speaker", "Attribution mode", "Channel", "No source"} <= set(codes)
    notes = project.findall(".//q:Notes/q:Note", ns)
    assert {n.findtext("q:PlainTextContent", namespaces=ns) for n in notes} == {
        "first line\nsecond 🎯 line", "the 🚀 is kept"}
    assert [k.get("name") for k in project.iterfind(".//q:Links/q:Link", ns)] == ["close paraphrase"]


# ------------------------------------------------------- other tools' files
def test_brat_collection_without_the_companion_file(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    text = "The minister said we will act 🚀 now.\nNext line."
    (folder / "doc1.txt").write_text(text, encoding="utf-8")
    start = text.index("we will")
    (folder / "doc1.ann").write_text(
        f"T1\tCall_to_action {start} {start + 11}\twe will act\n"
        f"A1\tSpeaker T1 Ada_Quill\nA2\tMode T1 direct_quote\n#1\tAnnotatorNotes T1\tchecked\n"
        f"T2\tPerson 4 12;13 17\tminister said\nR1\tRel Arg1:T1 Arg2:T2\n",
        encoding="utf-8",
    )
    target = empty_project(tmp_path)
    report = import_annotations(target, folder, "brat")
    assert report.added["spans"] == 2
    spans = sorted(target.spans(), key=lambda s: s.start)
    categories = {c.id: c.name for c in target.categories()}
    assert [(s.start, s.end, categories.get(s.category_id)) for s in spans] == [
        (4, 17, "Person"), (start, start + 11, "Call to action")]
    assert spans[1].mode == "direct quote" and spans[1].note == "checked"
    assert {s.layer for s in spans} == {"collection"}  # the folder's name, when nothing else names the layer
    assert [s.name for s in target.speakers()] == ["Ada Quill"]
    # One document's .ann, named directly, works too; the layer can be given.
    other = empty_project(tmp_path, "other.cisannotate")
    import_annotations(other, folder / "doc1.ann", "brat", annotator="rosa")
    assert {s.layer for s in other.spans()} == {"rosa"}
    again = import_annotations(other, folder / "doc1.ann", "brat", annotator="rosa")
    assert not again.changed and not again.conflicts


def test_doccano_files_of_doccano(tmp_path):
    path = tmp_path / "admin.jsonl"
    lines = [
        {"id": 7, "text": "Ministers 🎉 met in Veland.", "label": [[12, 18, "LOC"], [0, 9, "PER"]], "Comments": []},
        {"id": 8, "text": "Another text.", "entities": [{"id": 1, "label": "ORG", "start_offset": 0,
                                                             "end_offset": 7}], "relations": []},
        {"id": 9, "text": "Classified whole.", "label": ["positive"]},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    assert detect(path) == "doccano"
    target = empty_project(tmp_path)
    report = import_annotations(target, path, "doccano")
    assert report.added["documents"] == 3 and report.added["spans"] == 3
    quotes = {target.text(s.document_id)[s.start:s.end] for s in target.spans()}
    assert quotes == {"Ministers", "met in", "Another"}
    assert {s.layer for s in target.spans()} == {"admin"}  # doccano names each user's file after the user
    again = import_annotations(target, path, "doccano")  # no times in the file: the first import's are kept
    assert not again.changed and not again.conflicts and again.skipped["spans"] == 3


def test_label_studio_file_of_label_studio(tmp_path):
    text = "Wir 🙂 handeln jetzt."
    tasks = [{
        "id": 1, "data": {"text": text},
        "annotations": [{"id": 3, "completed_by": 1, "created_username": "lena@example.org, 1",
                         "result": [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                                     "value": {"start": 7, "end": 14, "text": "handeln", "labels": ["Claim"]}}],
                         "created_at": "2024-01-02T10:00:00.000000Z", "updated_at": "2024-01-02T10:00:00.000000Z"}],
    }]
    path = tmp_path / "project-1.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    target = empty_project(tmp_path)
    import_annotations(target, path, "labelstudio")
    [span] = target.spans()
    assert text[span.start:span.end] == "handeln" and span.layer == "lena@example.org"
    assert span.start == 6  # written as UTF-16 (7), read as the code point 6


@pytest.mark.parametrize("fmt,data,message", [
    ("labelstudio", b"[{\"data\": {\"text\": \"abc\"}, \"annotations\": [{\"result\": [{\"id\": \"x\", "
                    b"\"type\": \"labels\", \"value\": {\"start\": 2, \"end\": 9, \"labels\": [\"A\"]}}]}]}]",
     r"bad\.json: task 1, annotation 1, result 1: offsets 2-9 lie outside the text \(3 characters\)"),
    ("labelstudio", b"[{\"data\": {\"html\": \"<p>x</p>\"}, \"annotations\": []}]", "data.text is missing"),
    ("labelstudio", b"{not json", r"bad\.json: not a JSON file"),
    ("doccano", b"{\"text\": \"abc\", \"label\": [[0, 2]]}\n", r"bad\.json: line 1: label\[0\] is not \[start, end, label\]"),
    ("doccano", b"{\"text\": \"abc\", \"label\": [[0, 2, \"A\"]]}\n{oops\n", r"bad\.json: line 2: not JSON"),
    ("doccano", b"\xff\xfe", "not UTF-8"),
    ("brat", b"not a zip", "not a readable zip file"),
    ("webanno", b"not a zip", "not a readable zip file"),
    ("webanno", b"<xmi:XMI broken", r"bad\.json: not a UIMA CAS XMI file"),
    ("qdpx", b"not a zip", "not a readable zip file"),
])
def test_bad_files_are_named_with_their_problem_and_nothing_is_written(tmp_path, fmt, data, message):
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    target = empty_project(tmp_path)
    with pytest.raises(FormatError, match=message):
        import_annotations(target, path, fmt)
    assert target.documents() == [] and target.spans() == []


def test_a_bad_record_late_in_a_file_leaves_nothing_of_the_earlier_ones(sample, tmp_path):
    body, _ = render_format(sample, "doccano")
    lines = body.decode("utf-8").splitlines()
    record = json.loads(lines[-1])
    record["cisannotate"][-1]["links"] = [{"document_id": "nowhere", "start": 0, "end": 1, "relation": "verbatim"}] \
        if record["cisannotate"] else []
    record["label"].append([0, 10**6, "Other"])
    lines[-1] = json.dumps(record, ensure_ascii=False)
    path = tmp_path / "late.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = empty_project(tmp_path)
    with pytest.raises(FormatError, match=rf"late\.jsonl: line {len(lines)}"):
        import_annotations(target, path, "doccano")
    assert target.documents() == [] and target.spans() == [] and target.links() == []


def test_a_broken_qdpx_names_the_part(tmp_path, sample):
    body, _ = render_format(sample, "qdpx")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    qde = members["project.qde"].decode("utf-8")
    members["project.qde"] = qde.replace('startPosition="', 'startPosition="9', 1).encode("utf-8")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path = tmp_path / "broken.qdpx"
    path.write_bytes(broken.getvalue())
    target = empty_project(tmp_path)
    with pytest.raises(FormatError, match=r"broken\.qdpx: project\.qde: TextSource .*PlainTextSelection .*outside"):
        import_annotations(target, path, "qdpx")
    assert target.spans() == []


# --------------------------------------------------------- recognising files
@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_import_as_a_document_is_refused_with_the_way_in(sample, tmp_path, fmt):
    body, _ = render_format(sample, fmt)
    path = tmp_path / f"work{SUFFIXES[fmt]}"
    path.write_bytes(body)
    assert detect(path) == fmt
    with pytest.raises(ImportProblem, match=rf"work.*not a document.*import-annotations PROJECT .* --format {fmt}"):
        prepare_document(path)


def test_own_exports_and_brat_texts_are_recognised(sample, tmp_path):
    from cisannotate.io.exchange import ExportOptions, render

    for fmt, name in (("json", "mine.json"), ("w3c", "mine.jsonld")):
        body, _ = render(sample, ExportOptions(fmt))
        (tmp_path / name).write_text(body, encoding="utf-8")
    assert detect(tmp_path / "mine.json") == "cisannotate"
    assert "cisannotate merge PROJECT mine.json" in refusal(tmp_path / "mine.json")
    assert detect(tmp_path / "mine.jsonld") == "w3c"
    (tmp_path / "story.txt").write_text("A story.\n", encoding="utf-8")
    assert detect(tmp_path / "story.txt") is None and refusal(tmp_path / "story.txt") is None
    (tmp_path / "story.ann").write_text("T1\tClaim 0 1\tA\n", encoding="utf-8")
    assert detect(tmp_path / "story.txt") == "brat"
    (tmp_path / "list.json").write_text('{"a": 1}', encoding="utf-8")
    assert detect(tmp_path / "list.json") is None


def test_cli_import_refuses_an_annotation_file_and_import_annotations_takes_it(sample, tmp_path, capsys):
    body, _ = render_format(sample, "doccano")
    path = tmp_path / "admin.jsonl"
    path.write_bytes(body)
    project = tmp_path / "p.cisannotate"
    assert run(["new", str(project)]) == 0
    assert run(["import", str(project), str(path)]) == 1
    assert "admin.jsonl: this is an annotation file (doccano JSONL), not a document" in capsys.readouterr().err
    assert run(["import-annotations", str(project), str(path)]) == 0  # the format is recognised
    out = capsys.readouterr().out
    assert "imported" in out and "(doccano)" in out and "86 spans, 69 links" in out
    assert run(["import-annotations", str(project), str(path), "--format", "doccano"]) == 0
    assert "added: nothing" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_cli_export_each_format(sample_path, tmp_path, capsys, fmt):
    out = tmp_path / f"x{SUFFIXES[fmt]}"
    assert run(["export", str(sample_path), "-o", str(out), "--format", fmt]) == 0
    assert f"wrote {out}: 6 documents, 86 annotations, 69 links ({fmt})" in capsys.readouterr().out
    assert detect(out) == fmt


@pytest.mark.parametrize("args,message", [
    (["--format", "doccano", "--offsets", "utf16"], "--offsets applies only to --format labelstudio"),
    (["--format", "brat", "--with-text"], "--with-text applies only to --format json"),
    (["--format", "qdpx", "--annotator", "nobody"], "no annotations in layer 'nobody'"),
])
def test_cli_export_refusals(sample_path, tmp_path, capsys, args, message):
    assert run(["export", str(sample_path), "-o", str(tmp_path / "x.out"), *args]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.out").exists()


def test_cli_import_annotations_refusals(tmp_path, capsys):
    project = tmp_path / "p.cisannotate"
    run(["new", str(project)])
    capsys.readouterr()
    plain = tmp_path / "plain.txt"
    plain.write_text("just text", encoding="utf-8")
    assert run(["import-annotations", str(project), str(plain)]) == 1
    assert "not a file of a known annotation format" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "abc", "label": [[0, 9, "A"]]}\n', encoding="utf-8")
    assert run(["import-annotations", str(project), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.jsonl: line 1: label[0]: offsets 0-9 lie outside the text (3 characters); nothing was imported" in err


def test_the_real_corpus_round_trips(corpus, tmp_path):
    """The shared corpus (real typography, long texts) with a claim and a link on each article."""
    from cisannotate.io.importer import prepare_imports
    from cisannotate.services.importing import import_plan

    store = empty_project(tmp_path, "corpus.cisannotate")
    import_plan(store, prepare_imports([corpus], manifest=corpus / "manifest.csv"))
    documents = [store.document(d.id) for d in store.documents()]
    transcript = next(d for d in documents if d.kind == "transcript")
    line = store.source_lines(transcript.id)[3]
    category = store.categories()[0]
    for n, doc in enumerate(d for d in documents if d.kind == "article"):
        start = doc.text.index(" ", len(doc.text) // 2) + 1
        store.add_span(Span(id=f"c{n}", document_id=doc.id, start=start, end=start + 40, annotator="amira",
                            layer="amira", category_id=category.id, created="2026-01-01T00:00:00.000Z",
                            modified="2026-01-01T00:00:00.000Z"))
        store.add_link(Link(id=f"l{n}", span_id=f"c{n}", target_document_id=transcript.id, target_start=line.start,
                            target_end=line.end, relation="loose paraphrase", annotator="amira", layer="amira",
                            created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z"))
    for fmt in FORMAT_NAMES:
        body, _ = render_format(store, fmt)
        path = tmp_path / f"corpus{SUFFIXES[fmt]}"
        path.write_bytes(body)
        native = read_native(path, fmt)
        assert len(native["documents"]) == len(documents)
        target = empty_project(tmp_path, f"{fmt}.cisannotate")
        import_annotations(target, path, fmt)
        assert content(target) == content(store), fmt


def test_a_qdpx_as_a_qda_program_writes_it(tmp_path):
    """Text inline (PlainTextContent), nested codes, a memo on a segment, no users, a code-to-code link."""
    text = "Interview 3 🎙\nThe mayor promised a new bridge by spring.\nResidents doubt it."
    start = text.index("promised")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Bridges" origin="Some QDA program 2024">
  <CodeBook><Codes>
    <Code guid="11111111-1111-4111-8111-111111111111" name="Promises" isCodable="true" color="#FF0000">
      <Code guid="22222222-2222-4222-8222-222222222222" name="Infrastructure" isCodable="true"/>
    </Code>
    <Code guid="33333333-3333-4333-8333-333333333333" name="Doubt" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="44444444-4444-4444-8444-444444444444" name="Interview 3">
      <PlainTextContent>{text}</PlainTextContent>
      <PlainTextSelection guid="55555555-5555-4555-8555-555555555555" startPosition="{start}"
                          endPosition="{start + 31}">
        <Coding guid="66666666-6666-4666-8666-666666666666">
          <CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/>
        </Coding>
        <NoteRef targetGUID="77777777-7777-4777-8777-777777777777"/>
      </PlainTextSelection>
      <PlainTextSelection guid="88888888-8888-4888-8888-888888888888" startPosition="{text.index('Residents')}"
                          endPosition="{len(text) - 1}">
        <Coding guid="99999999-9999-4999-8999-999999999999">
          <CodeRef targetGUID="33333333-3333-4333-8333-333333333333"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="77777777-7777-4777-8777-777777777777" name="Memo">
      <PlainTextContent>Check the council minutes.</PlainTextContent>
    </Note>
  </Notes>
  <Links>
    <Link guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" name="contradicts" direction="Associative"
          originGUID="11111111-1111-4111-8111-111111111111" targetGUID="33333333-3333-4333-8333-333333333333"/>
  </Links>
</Project>
"""
    path = tmp_path / "bridges.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    assert detect(path) == "qdpx"
    target = empty_project(tmp_path)
    report = import_annotations(target, path, "qdpx")
    assert report.added["spans"] == 2 and report.added["links"] == 0
    categories = {c.id: c.name for c in target.categories()}
    found = sorted((target.text(s.document_id)[s.start:s.end], categories.get(s.category_id), s.note, s.layer)
                   for s in target.spans())
    assert found == [("Residents doubt it", "Doubt", "", "bridges"),
                     ("promised a new bridge by spring", "Infrastructure", "Check the council minutes.", "bridges")]
    assert "Promises" in categories.values()  # the parent code is kept in the codebook
    assert [d.title for d in target.documents()] == ["Interview 3"]
