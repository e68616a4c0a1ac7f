"""The bundled sample project (resources/sample) is self-consistent.

Checks the files against the sample's own format with the standard library
only, so a broken sample is caught before any project code reads it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"

HEADER = ["file", "kind", "title", "outlet", "date", "event", "language", "notes"]
KINDS = {"article", "transcript"}
CATEGORIES = {
    "Accusation",
    "Threat",
    "Call to action",
    "Success claim",
    "Partnership",
    "Factual report",
    "Other",
}
MODES = {"direct quote", "partial quote", "indirect speech", "paraphrase", "unattributed"}
RELATIONS = {"verbatim", "close paraphrase", "loose paraphrase", "distortion"}
ANNOTATORS = ("amira", "jonas")
ANNOTATION_KEYS = {
    "annotator",
    "document",
    "quote",
    "occurrence",
    "category",
    "speaker",
    "mode",
    "channel",
    "note",
    "no_source",
    "links",
}
COMPARED = ("category", "speaker", "mode", "channel")

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[“\"‘(]?[A-Z0-9])")


def read_text(name: str) -> str:
    raw = (SAMPLE / name).read_bytes()
    text = raw.decode("utf-8")  # raises if not UTF-8
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} starts with a byte-order mark"
    assert "\r" not in text, f"{name} has CR line endings"
    assert text.endswith("\n"), f"{name} does not end with a newline"
    return text


def count_sentences(text: str) -> int:
    return sum(
        len([part for part in _SENTENCE_BREAK.split(line.strip()) if part.strip()])
        for line in text.splitlines()
        if line.strip()
    )


def find_nth(haystack: str, needle: str, n: int) -> int:
    """Start of the n-th (1-based) occurrence of needle, or -1."""
    pos = -1
    for _ in range(n):
        pos = haystack.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(read_text("manifest.csv"))))
    header = rows[0]
    assert header[: len(HEADER)] == HEADER
    assert header[len(HEADER) :] in ([], ["url"])
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert body, "the manifest lists no files"
    return body


@pytest.fixture(scope="module")
def texts(manifest) -> dict[str, str]:
    return {row["file"]: read_text(row["file"]) for row in manifest}


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(read_text("annotations.json"))


@pytest.fixture(scope="module")
def transcript_of(manifest) -> dict[str, str]:
    """Event key -> file name of its transcript."""
    out: dict[str, str] = {}
    for row in manifest:
        if row["kind"] == "transcript":
            assert row["event"] not in out, f"two transcripts for event {row['event']}"
            out[row["event"]] = row["file"]
    return out


@pytest.fixture(scope="module")
def located(data, texts) -> list[tuple[dict, int, int]]:
    """Each annotation with its (start, end) in its document."""
    out = []
    for ann in data["annotations"]:
        text = texts[ann["document"]]
        n = ann.get("occurrence", 1)
        start = find_nth(text, ann["quote"], n)
        assert start >= 0, f"{ann['quote']!r} does not occur {n} time(s) in {ann['document']}"
        out.append((ann, start, start + len(ann["quote"])))
    return out


# ---------------------------------------------------------------------------
# Files


def test_every_manifest_file_exists_as_utf8_with_lf(manifest, texts):
    names = [row["file"] for row in manifest]
    assert len(names) == len(set(names)), "a file is listed twice"
    for row in manifest:
        assert (SAMPLE / row["file"]).is_file(), row["file"]
        assert row["kind"] in KINDS, row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]), row
        assert row["event"] and row["language"] == "en", row
        if row.get("url"):
            assert row["url"].startswith("https://example.org/"), row
    for name in ("README.md", "annotations.json"):
        read_text(name)


def test_every_text_says_it_is_fictional(texts):
    for name, text in texts.items():
        head = "\n".join(text.splitlines()[:3]).lower()
        assert "fictional" in head, f"{name} does not say it is fictional near the top"


def test_shape_of_the_sample(manifest, texts, transcript_of):
    transcripts = [row for row in manifest if row["kind"] == "transcript"]
    articles = [row for row in manifest if row["kind"] == "article"]
    assert [row["file"] for row in transcripts] == ["briefing.txt"]
    event = transcripts[0]["event"]
    reports = [row["file"] for row in articles if row["event"] == event]
    others = [row for row in articles if row["event"] != event]
    assert len(reports) == 4
    assert len(others) == 1 and others[0]["event"] not in transcript_of
    assert 60 <= count_sentences(texts["briefing.txt"]) <= 90
    for name in reports:
        assert 10 <= count_sentences(texts[name]) <= 25, name
    assert any(ord(ch) > 0xFFFF for name in reports for ch in texts[name]), (
        "no character outside the Basic Multilingual Plane in the reports"
    )


def test_transcript_has_two_speaker_labels(texts):
    briefing = texts["briefing.txt"]
    assert "Minister of Interior Ilse Marrow: Dear colleagues," in briefing
    assert re.search(r"^Director of .* Dr Anneli Varga: ", briefing, re.M)
    assert any(line.startswith("  ") for line in briefing.splitlines())
    for ch in "“”’—–":
        assert ch in briefing, ch


# ---------------------------------------------------------------------------
# Annotations


def test_declarations(data):
    assert set(data) == {"speakers", "channels", "annotations"}
    names = [s["name"] for s in data["speakers"]]
    assert len(names) == len(set(names))
    assert all(set(s) <= {"name", "role"} and s["name"].strip() for s in data["speakers"])
    assert len(data["channels"]) == len(set(data["channels"]))


def test_annotation_values_are_known(data, texts):
    speakers = {s["name"] for s in data["speakers"]}
    channels = set(data["channels"])
    for ann in data["annotations"]:
        assert set(ann) <= ANNOTATION_KEYS, ann
        assert ann["annotator"] in ANNOTATORS, ann
        assert ann["document"] in texts, ann
        assert ann["quote"] and ann["quote"] == ann["quote"].strip(), ann
        assert isinstance(ann.get("occurrence", 1), int) and ann.get("occurrence", 1) >= 1
        assert ann.get("category", "Other") in CATEGORIES, ann
        assert ann.get("mode", "unattributed") in MODES, ann
        if "speaker" in ann:
            assert ann["speaker"] in speakers, ann
        if "channel" in ann:
            assert ann["channel"] in channels, ann
        assert isinstance(ann.get("no_source", False), bool)
        for link in ann.get("links", []):
            assert set(link) == {"quote", "relation"}, link
            assert link["relation"] in RELATIONS, link


def test_quotes_occur_in_their_documents(located):
    assert located  # the fixture asserts each quote's occurrence


def test_link_quotes_occur_once_in_the_event_transcript(data, manifest, texts, transcript_of):
    event_of = {row["file"]: row["event"] for row in manifest}
    for ann in data["annotations"]:
        links = ann.get("links", [])
        if not links:
            continue
        assert not ann.get("no_source"), f"a no_source claim has links: {ann}"
        target = transcript_of.get(event_of[ann["document"]])
        assert target == "briefing.txt", f"links from {ann['document']} have no transcript"
        assert ann["document"] != target, "a transcript span links to its own transcript"
        for link in links:
            assert texts[target].count(link["quote"]) == 1, link["quote"]


def test_coverage_of_the_examples(data, located):
    anns = data["annotations"]
    per_annotator = Counter(a["annotator"] for a in anns)
    assert set(per_annotator) == set(ANNOTATORS)
    for name in ANNOTATORS:
        assert 30 <= per_annotator[name] <= 45, per_annotator

    assert {a["mode"] for a in anns if "mode" in a} == MODES
    assert {link["relation"] for a in anns for link in a.get("links", [])} == RELATIONS
    assert {a["category"] for a in anns if "category" in a} <= CATEGORIES
    assert any(a.get("no_source") for a in anns)
    assert any(len(a.get("links", [])) >= 2 for a in anns)
    assert any("speaker" in a and "category" not in a for a in anns), "no bare speaker tag"
    assert any("category" in a and "speaker" not in a for a in anns), "no claim without speaker"
    assert any(a["document"] == "briefing.txt" and "category" in a for a in anns)

    # A claim nested in a longer speaker-tagged span by the same annotator.
    def nested(x, y):
        (ax, s1, e1), (ay, s2, e2) = x, y
        return (
            ax["annotator"] == ay["annotator"]
            and ax["document"] == ay["document"]
            and s1 <= s2
            and e2 <= e1
            and (s1, e1) != (s2, e2)
        )

    assert any(nested(x, y) for x in located for y in located)


def test_some_transcript_sentences_are_reported_by_no_article(data, texts):
    linked = {link["quote"] for a in data["annotations"] for link in a.get("links", [])}
    briefing = texts["briefing.txt"]
    speech = briefing[briefing.index("Dear colleagues,") : briefing.index("\nTopics\n")]
    sentences = [
        s
        for line in speech.splitlines()
        for s in _SENTENCE_BREAK.split(line.strip())
        if len(s) > 30
    ]
    unreported = [s for s in sentences if not any(q in s or s in q for q in linked)]
    assert len(unreported) >= 5


# ---------------------------------------------------------------------------
# Agreement between the two annotators


def _signature(ann: dict) -> tuple:
    links = frozenset((link["quote"], link["relation"]) for link in ann.get("links", []))
    return tuple(ann.get(key) for key in COMPARED) + (bool(ann.get("no_source")), links)


def disagreement_share(located) -> tuple[float, int, int]:
    """Share of compared items on which the two annotators differ.

    On each document, spans of "amira" and "jonas" that overlap are paired
    greedily, best overlap (intersection over union) first. A pair agrees when
    both spans have the same boundaries and the same category, speaker, mode,
    channel, no_source flag and links; an unpaired span is a disagreement.
    """
    a_side = [x for x in located if x[0]["annotator"] == ANNOTATORS[0]]
    b_side = [x for x in located if x[0]["annotator"] == ANNOTATORS[1]]
    candidates = []
    for i, (aa, s1, e1) in enumerate(a_side):
        for j, (bb, s2, e2) in enumerate(b_side):
            if aa["document"] != bb["document"]:
                continue
            inter = min(e1, e2) - max(s1, s2)
            if inter > 0:
                candidates.append((inter / (max(e1, e2) - min(s1, s2)), i, j))
    candidates.sort(reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    agree = differ = 0
    for _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        (aa, s1, e1), (bb, s2, e2) = a_side[i], b_side[j]
        if (s1, e1) == (s2, e2) and _signature(aa) == _signature(bb):
            agree += 1
        else:
            differ += 1
    differ += (len(a_side) - len(used_a)) + (len(b_side) - len(used_b))
    total = agree + differ
    return differ / total, differ, total


def test_annotators_mostly_agree(located):
    share, differ, total = disagreement_share(located)
    assert 0.15 <= share <= 0.35, f"{differ} of {total} items differ ({share:.0%})"
