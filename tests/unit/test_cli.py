"""The ``suggest`` and ``agreement`` commands, run in-process through cli.run.

Projects are the bundled sample (two annotators, amira and jonas, whose
links name the transcript lines their spans report) and the shared corpus
imported with its manifest (its spans and sources come from the hand-made
gold set in tests/data/suggest_gold.json). Expected values are read from the
stored annotations or computed with the core functions, independently of the
command line.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.core.agreement import agreement_report
from cisannotate.core.model import REVIEWED_LAYER
from cisannotate.adjudication import copy_to_reviewed
from cisannotate.storage import Store
from cisannotate.suggestions import Suggester

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "suggest_gold.json"


@dataclass(frozen=True)
class _Source:
    file: str
    start: int
    end: int


@dataclass(frozen=True)
class _Span:
    article: str
    start: int
    end: int
    sha1: str
    sources: tuple[_Source, ...]


def load_gold(path: Path) -> list[_Span]:
    """The real corpus's gold spans (tests/data/suggest_gold.json: offsets, no text)."""
    return [_Span(s["article"], s["start"], s["end"], s["sha1"],
                  tuple(_Source(g["file"], g["start"], g["end"]) for g in s["sources"]))
            for s in json.loads(path.read_text(encoding="utf-8"))["spans"]]


def span_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

# Sample spans (by id in the sample project) and what their annotators linked them to.
PATIENCE = "sample-span-063"  # report_meridian: "Nobody should mistake our patience for ignorance" -> line 25
CARGO = "sample-span-038"  # report_gazette: "The August attack froze the port's cargo systems ..." -> line 16
PASSWORD = "sample-span-085"  # report_other_event: its event has no transcript
EXPERTS = "sample-span-065"  # report_meridian: the experts' view, marked no_source by both annotators


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def sample(tmp_path, capsys) -> Path:
    path = tmp_path / "sample.cisannotate"
    assert run(["new", str(path), "--sample"]) == 0
    capsys.readouterr()
    return path


@pytest.fixture
def corpus_project(tmp_path, corpus, capsys) -> Path:
    path = tmp_path / "corpus.cisannotate"
    assert run(["import", str(path), str(corpus), "--manifest", str(corpus / "manifest.csv")]) == 0
    assert "5 imported, 0 already present, 0 failed" in capsys.readouterr().out
    return path


def linked_lines(store: Store, span_id: str) -> set[tuple[str, int]]:
    """The (transcript id, line number) pairs the span's links reach."""
    return {
        (link.target_document_id, number)
        for link in store.links_for_span(span_id)
        for number in store.lines_in_range(link.target_document_id, link.target_start, link.target_end)
    }


def span_request(store: Store, span_id: str) -> dict:
    span = store.span(span_id)
    return {"document": span.document_id, "start": span.start, "end": span.end}


# ------------------------------------------------------------------ suggest
@pytest.mark.parametrize("span_id, line", [(PATIENCE, 25), (CARGO, 16)])
def test_suggest_puts_the_linked_source_line_first(sample, capsys, span_id, line):
    store = Store.open(sample, read_only=True)
    request = span_request(store, span_id)
    briefing = store.resolve_document("briefing.txt").id
    assert linked_lines(store, span_id) == {(briefing, line)}
    direct = Suggester(store).suggest(request["document"], request["start"], request["end"]).to_json()
    store.close()

    code, out, err = cli(capsys, "suggest", sample, "--document", request["document"],
                         "--start", request["start"], "--end", request["end"], "--json")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 1
    answer = json.loads(out)
    assert answer == direct
    best = answer["candidates"][0]
    assert (best["document"], best["line"], answer["no_source"]) == (briefing, line, False)
    assert len(answer["candidates"]) == 5
    scores = [c["score"] for c in answer["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_suggest_table_and_top(sample, capsys):
    store = Store.open(sample, read_only=True)
    request = span_request(store, PATIENCE)
    title = store.resolve_document("briefing.txt").title
    store.close()
    code, out, err = cli(capsys, "suggest", sample, "--document", "report_meridian.txt",
                         "--start", request["start"], "--end", request["end"], "--top", "2")
    assert (code, err) == (0, "")
    header, rule, first, second = out.splitlines()
    assert header.split() == ["rank", "score", "speech", "line", "text"]
    assert set(rule.replace(" ", "")) == {"-"}
    rank, score, speech = first.split()[:3]
    assert (rank, speech) == ("1", title.split()[0]) and float(score) >= 0.99
    assert " 25 " in first and "nobody should mistake our patience" in first
    assert second.startswith("2 ")
    assert all(len(line) < 150 for line in out.splitlines())


def test_suggest_without_a_source(sample, capsys):
    store = Store.open(sample, read_only=True)
    password, experts = span_request(store, PASSWORD), span_request(store, EXPERTS)
    assert store.transcripts_for(password["document"]) == []
    assert store.span(EXPERTS).no_source and linked_lines(store, EXPERTS) == set()
    store.close()

    def suggest(request: dict, *options: str) -> dict:
        code, out, err = cli(capsys, "suggest", sample, "--document", request["document"],
                             "--start", request["start"], "--end", request["end"], "--json", *options)
        assert (code, err) == (0, "")
        return json.loads(out)

    assert suggest(password) == {"candidates": [], "no_source": True}
    wider = suggest(password, "--scope", "all")
    assert len(wider["candidates"]) == 5 and wider["no_source"] is True
    experts_answer = suggest(experts)
    assert experts_answer["no_source"] is True and experts_answer["candidates"]

    code, out, err = cli(capsys, "suggest", sample, "--document", password["document"],
                         "--start", password["start"], "--end", password["end"])
    assert code == 0 and "no candidates" in out and "--scope all" in out


def test_suggest_batch_answers_in_order(sample, tmp_path, capsys, monkeypatch):
    store = Store.open(sample, read_only=True)
    ids = [CARGO, PASSWORD, PATIENCE, EXPERTS, CARGO]
    requests = [span_request(store, span_id) for span_id in ids]
    suggester = Suggester(store)
    expected = [suggester.suggest(r["document"], r["start"], r["end"], top=3).to_json() for r in requests]
    briefing = store.resolve_document("briefing.txt").id
    store.close()

    batch = tmp_path / "spans.jsonl"
    batch.write_text("\n".join(json.dumps(r) for r in requests[:2]) + "\n\n" +
                     "\n".join(json.dumps(r) for r in requests[2:]) + "\n", encoding="utf-8")
    before = sample.read_bytes()
    code, out, err = cli(capsys, "suggest", sample, "--batch", batch, "--top", "3")
    assert (code, err) == (0, "")
    answers = json_lines(out)
    assert answers == expected
    assert [(a["candidates"][0]["line"] if a["candidates"] else None) for a in answers] == [16, None, 25, 23, 16]
    assert answers[0]["candidates"][0]["document"] == briefing
    assert [a["no_source"] for a in answers] == [False, True, False, True, False]
    assert sample.read_bytes() == before  # opened read-only

    monkeypatch.setattr(sys, "stdin", io.StringIO(batch.read_text(encoding="utf-8")))
    code, out, err = cli(capsys, "suggest", sample, "--batch", "-", "--top", "3", "--json")
    assert (code, err) == (0, "")
    assert json_lines(out) == expected


@pytest.mark.parametrize("args, message", [
    (["--document", "nowhere.txt", "--start", "0", "--end", "10"], "no document 'nowhere.txt'"),
    (["--document", "report_meridian.txt", "--start", "959", "--end", "99999"],
     "range 959-99999 lies outside report_meridian.txt"),
    (["--document", "report_meridian.txt", "--start", "50", "--end", "50"], "range 50-50 is empty"),
    (["--document", "report_meridian.txt", "--start", "959", "--end", "1007", "--scope", "world"],
     "unknown scope 'world'"),
    (["--document", "report_meridian.txt", "--start", "959"], "--document needs --start and --end"),
    (["--document", "report_meridian.txt", "--start", "959", "--end", "1007", "--top", "0"], "--top 0"),
])
def test_suggest_errors(sample, capsys, args, message):
    code, out, err = cli(capsys, "suggest", sample, *args)
    assert code == 1 and out == ""
    assert err.startswith("cisannotate suggest: ") and message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("line, message", [
    ("not json", "not a JSON object"),
    ('["report_meridian.txt", 0, 10]', 'expected {"document"'),
    ('{"document": "report_meridian.txt", "start": 0}', 'expected {"document"'),
    ('{"document": "report_meridian.txt", "start": "0", "end": 10}', "'start' must be a whole number"),
    ('{"document": "nowhere", "start": 0, "end": 10}', "no document 'nowhere'"),
    ('{"document": "report_meridian.txt", "start": 10, "end": 2}', "range 10-2 is empty or negative"),
    ('{"document": "report_meridian.txt", "start": 0, "end": 99999}',
     "range 0-99999 lies outside report_meridian.txt"),
])
def test_suggest_batch_errors_name_the_file_and_line(sample, tmp_path, capsys, line, message):
    good = json.dumps({"document": "report_meridian.txt", "start": 959, "end": 1007})
    batch = tmp_path / "spans.jsonl"
    batch.write_text(f"{good}\n\n{line}\n{good}\n", encoding="utf-8")
    code, out, err = cli(capsys, "suggest", sample, "--batch", batch, "--json")
    assert code == 1 and out == ""  # checked whole before anything is answered
    assert f"{batch}, line 3: {message}" in err


def test_suggest_batch_file_missing_and_usage(sample, tmp_path, capsys):
    code, out, err = cli(capsys, "suggest", sample, "--batch", tmp_path / "none.jsonl")
    assert code == 1 and "none.jsonl: cannot be read" in err
    code, out, err = cli(capsys, "suggest", sample, "--batch", tmp_path / "none.jsonl", "--start", "1")
    assert code == 1 and "--start and --end go with --document" in err
    with pytest.raises(SystemExit) as usage:
        run(["suggest", str(sample)])
    assert usage.value.code == 2 and "--document" in capsys.readouterr().err


def test_suggest_on_the_corpus_finds_the_gold_sources(corpus_project, capsys, tmp_path):
    """Every gold span of the corpus in one batch: answers in order, as the suggester gives them."""
    store = Store.open(corpus_project, read_only=True)
    by_file = {d.source_file: d for d in store.documents()}
    gold = load_gold(GOLD)
    requests, expected_lines = [], []
    for span in gold:
        doc = by_file[span.article]
        assert span_sha1(store.text(doc.id)[span.start:span.end]) == span.sha1
        requests.append({"document": doc.id, "start": span.start, "end": span.end})
        expected_lines.append({
            (by_file[source.file].id, number)
            for source in span.sources
            for number in store.lines_in_range(by_file[source.file].id, source.start, source.end)
        })
    suggester = Suggester(store)
    expected = [suggester.suggest(r["document"], r["start"], r["end"]).to_json() for r in requests]
    store.close()

    batch = tmp_path / "gold.jsonl"
    batch.write_text("".join(json.dumps(r) + "\n" for r in requests), encoding="utf-8")
    code, out, err = cli(capsys, "suggest", corpus_project, "--batch", batch)
    assert (code, err) == (0, "")
    answers = json_lines(out)
    assert answers == expected and len(answers) == len(gold)

    # The first gold span (article 001's headline) reports transcript 003's line 20.
    first = answers[0]["candidates"][0]
    assert (first["document"], first["line"]) == (by_file["003_c41939edc97d5a2e.txt"].id, 20)
    sourced = [(a, lines) for a, lines in zip(answers, expected_lines) if lines]
    hits = sum(
        bool(a["candidates"]) and (a["candidates"][0]["document"], a["candidates"][0]["line"]) in lines
        for a, lines in sourced
    )
    # All of them today; test_suggest.py holds the quality thresholds, this only checks the wiring.
    assert hits >= 0.9 * len(sourced)
    # Article 000 reports a meeting whose transcript is not in the corpus.
    for span, answer in zip(gold, answers):
        if span.article.startswith("000_"):
            assert answer == {"candidates": [], "no_source": True}


def test_suggest_end_to_end_in_a_subprocess(sample, tmp_path):
    store = Store.open(sample, read_only=True)
    request = span_request(store, PATIENCE)
    briefing = store.resolve_document("briefing.txt").id
    store.close()
    result = subprocess.run(
        [sys.executable, "-m", "cisannotate", "suggest", str(sample), "--document", request["document"],
         "--start", str(request["start"]), "--end", str(request["end"]), "--json"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    answer = json.loads(line)
    assert (answer["candidates"][0]["document"], answer["candidates"][0]["line"]) == (briefing, 25)
    assert answer["no_source"] is False


# ---------------------------------------------------------------- agreement
def independent_report(store: Store, annotators: list[str], document_id: str | None = None):
    """The core report, with link targets, relations and lengths gathered here rather than by cisannotate.adjudication."""
    spans = store.spans(layers=annotators)
    targets = defaultdict(set)
    relations = defaultdict(set)
    ids = {span.id for span in spans}
    for link in store.links():
        if link.span_id in ids:
            relations[link.span_id].add(link.relation)
            for number in store.lines_in_range(link.target_document_id, link.target_start, link.target_end):
                targets[link.span_id].add((link.target_document_id, number))
    targets = {span_id: frozenset(lines) for span_id, lines in targets.items()}
    # A claim's relation is its least faithful link's.
    scale = ["verbatim", "close paraphrase", "loose paraphrase", "distortion"]
    relations = {span_id: max(found, key=scale.index) for span_id, found in relations.items()}
    lengths = {d.id: len(store.document(d.id).text) for d in store.documents()}
    return agreement_report(spans, targets, annotators=annotators, document_id=document_id,
                            relations=relations, document_lengths=lengths)


def test_agreement_json_matches_the_core_and_is_stable(sample, capsys):
    code, first, err = cli(capsys, "agreement", sample, "--json")
    assert (code, err) == (0, "")
    code, second, _ = cli(capsys, "agreement", sample, "--annotators", "amira", "jonas", "--json")
    assert code == 0 and first == second

    store = Store.open(sample, read_only=True)
    expected = independent_report(store, ["amira", "jonas"])
    titles = {d.id: d.title for d in store.documents()}
    data = json.loads(first)
    titles_in_report = data.pop("document_titles")
    names = data.pop("value_names")
    assert names["category"] == {c.id: c.name for c in store.categories()
                                 if c.id in data["overall"]["per_value"]["category"]}
    store.close()
    assert data == json.loads(json.dumps(expected.to_dict()))
    assert titles_in_report == {doc: titles[doc] for doc in expected.documents}
    assert data["annotators"] == ["amira", "jonas"]

    overall = data["overall"]["pairs"]["amira|jonas"]
    assert overall["category_kappa"]["n"] == 38 and round(overall["category_kappa"]["value"], 3) == 0.968
    assert overall["span_exact_f1"]["n"] == 86  # every span of the two layers
    # The relation differs on two of the sample's matched claims: below 1, but not by much.
    assert overall["relation_kappa"]["n"] == 33 and 0.8 < overall["relation_kappa"]["value"] < 1
    for figures in [data["overall"]["all"], *(scope["all"] for scope in data["documents"].values())]:
        assert set(figures) == {"category_alpha", "speaker_alpha", "mode_alpha", "channel_alpha", "relation_alpha",
                                "relation_ordinal_alpha", "link_alpha", "boundary_alpha"}
        # Every figure carries value, n, its 95% interval and a flag for fewer than ten items.
        assert all(set(figure) == {"value", "n", "low", "high", "flag"} for figure in figures.values())
        assert all(figure["flag"] == ("n < 10" if figure["n"] < 10 else None) for figure in figures.values())
        assert all(figure["value"] is None or figure["low"] <= figure["value"] <= figure["high"]
                   for figure in figures.values() if figure["low"] is not None)


def test_agreement_table(sample, capsys):
    code, out, err = cli(capsys, "agreement", sample)
    assert (code, err) == (0, "")
    store = Store.open(sample, read_only=True)
    expected = independent_report(store, ["amira", "jonas"])
    titles = {d.id: d.title for d in store.documents()}
    names = {
        "category": {c.id: c.name for c in store.categories()},
        "speaker": {s.id: s.name for s in store.speakers()},
        "channel": {c.id: c.name for c in store.channels()},
    }
    store.close()
    assert out == expected.format_table(titles, names) + "\n"
    lines = out.splitlines()
    assert lines[0].startswith("Annotators: amira, jonas")
    kappa = next(line for line in lines if "category, Cohen's kappa" in line)
    value, low, high, n = kappa.split()[-4:]
    assert (value, n) == ("0.968", "38") and low.startswith("[0.") and high == "1.000]"
    assert "category = Accusation, one vs rest, kappa" in out
    for doc, title in titles.items():
        assert (f"Document {title}" in out) == (doc in expected.documents)


def test_agreement_of_one_document(sample, capsys):
    store = Store.open(sample, read_only=True)
    doc = store.resolve_document("report_gazette.txt").id
    expected = independent_report(store, ["amira", "jonas"])
    store.close()
    code, out, err = cli(capsys, "agreement", sample, "--document", "report_gazette.txt", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data["documents"]) == [doc]
    whole = json.loads(json.dumps(expected.documents[doc].to_dict()))
    assert data["documents"][doc] == whole and data["overall"] == whole
    assert data["overall"]["pairs"]["amira|jonas"]["span_exact_f1"]["n"] == 24


def test_agreement_leaves_the_reviewed_layer_out_unless_named(sample, capsys):
    store = Store.open(sample)
    amira_spans = len(store.spans(layers=["amira"]))
    span = store.span(PATIENCE)
    copy, links = copy_to_reviewed(span, store.links_for_span(span.id), "rita", "2026-03-03T10:00:00.000Z")
    with store.atomic():
        store.add_span(copy)
        store.add_links(links)
    store.close()

    code, out, _ = cli(capsys, "agreement", sample, "--json")
    assert code == 0 and json.loads(out)["annotators"] == ["amira", "jonas"]
    code, out, _ = cli(capsys, "agreement", sample, "--annotators", "amira", REVIEWED_LAYER, "--json")
    data = json.loads(out)
    assert code == 0 and data["annotators"] == ["amira", REVIEWED_LAYER]
    pair = data["overall"]["pairs"][f"amira|{REVIEWED_LAYER}"]
    assert pair["span_exact_f1"]["n"] == amira_spans + 1
    assert pair["link_f1"] == {"n": 2, "value": 1.0, "low": 1.0, "high": 1.0, "flag": "n < 10"}  # the copy's one link


@pytest.mark.parametrize("args, message", [
    (["--annotators", "amira"], "at least two annotators; --annotators names only 'amira'"),
    (["--annotators", "amira", "bob"], "no annotations in layer 'bob' (layers: amira, jonas)"),
    (["--annotators", "amira", "jonas", "amira"], "names 'amira' twice"),
    (["--document", "nowhere.txt"], "no document 'nowhere.txt'"),
])
def test_agreement_errors(sample, capsys, args, message):
    code, out, err = cli(capsys, "agreement", sample, *args)
    assert code == 1 and out == ""
    assert err.startswith("cisannotate agreement: ") and message in err


def test_agreement_needs_two_annotators(corpus_project, capsys):
    code, out, err = cli(capsys, "agreement", corpus_project, "--json")
    assert code == 1 and out == "" and "at least two annotators; no annotator has annotations" in err


def test_commands_on_a_missing_project(tmp_path, capsys):
    missing = tmp_path / "none.cisannotate"
    for args in (["agreement", missing], ["suggest", missing, "--document", "x", "--start", "0", "--end", "1"]):
        code, out, err = cli(capsys, *args)
        assert code == 1 and "none.cisannotate" in err
    assert not missing.exists()


# ------------------------------------------------------------------- import
def test_import_refuses_a_bad_corpus_manifest_and_writes_nothing(corpus, tmp_path, capsys):
    rows = (corpus / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    rows[3] = rows[3].replace(",article,", ",report,", 1)
    manifest = tmp_path / "bad-manifest.csv"
    manifest.write_text("".join(rows), encoding="utf-8")
    project = tmp_path / "p.cisannotate"
    code, out, err = cli(capsys, "import", project, corpus, "--manifest", manifest)
    assert code == 1 and out == ""
    assert "bad-manifest.csv: row 4 has kind 'report'" in err and "nothing was imported" in err
    assert list(tmp_path.iterdir()) == [manifest]
