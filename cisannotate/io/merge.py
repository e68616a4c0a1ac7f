"""Merging a colleague's exported annotations (the native JSON format) into a project.

A merge happens in three steps, and only the last one writes:

1. ``parse`` and ``validate`` check the whole file on its own: JSON syntax,
   format and version, every field's type, ids that refer to nothing, offsets
   outside a text, quotes that are not the text they claim to quote. The first
   problem ends the merge with a MergeError naming its place
   (``spans[12].start``), before anything is written.
2. ``_plan`` reads the project and decides what each record becomes: documents
   are matched by the SHA-256 of their text, categories, speakers and channels
   by name; annotations on a corrected version of a text are re-anchored by
   their quotes; ids already present are compared (identical: skipped;
   different: a conflict, and the project's version is kept). Annotations
   that cannot be placed are listed, never moved by guesswork or dropped
   silently.
3. ``_write`` applies the plan in one transaction, so a failure leaves the
   project as it was.

Merging the same file twice changes nothing the second time.

The checks here mirror ``resources/schema/cisannotate-export-1.schema.json``
(the tests hold the two together) so that the application validates without
a JSON Schema library.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.model import (
    DECISIONS,
    KINDS,
    MODES,
    RELATIONS,
    Category,
    Channel,
    Comment,
    Document,
    Link,
    Review,
    SourceLine,
    Span,
    Speaker,
    new_id,
    now,
)
from ..core.text import OffsetError, Quote, anchor_quote, quote_at, sha256_text
from ..storage import Store
from ..storage import exchange as bulk
from .exchange import FORMAT_NAME, FORMAT_VERSION

# Larger files are refused before they are read: a colleague's export of
# 100,000 annotations with all texts is well under a tenth of this.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Free-form document metadata ("extra") is never deeper than a few levels.
MAX_EXTRA_DEPTH = 32
MAX_ID_LENGTH = 200
MAX_INT = 2**31 - 1

# (done, total) -> keep going? Returning False cancels; nothing is written.
Progress = Callable[[int, int], bool]

# Record kinds, in the order a report lists them.
REPORT_KINDS = (
    "documents", "categories", "speakers", "channels", "annotators", "spans", "links", "reviews", "comments",
)


class MergeError(Exception):
    """The file cannot be merged; nothing was written. The message says where the problem is."""


class MergeCancelled(MergeError):
    """The progress callback asked to stop; nothing was written."""

    def __init__(self) -> None:
        super().__init__("cancelled; nothing was merged")


@dataclass(frozen=True)
class Unplaceable:
    """An annotation of the file that could not be put anywhere in the project."""

    kind: str  # "span", "link" or "comment"
    id: str
    document: str  # title of the document it belongs to
    quote: str
    reason: str


@dataclass(frozen=True)
class Conflict:
    """A record whose id the project already holds with different content (the project's kept)."""

    kind: str
    id: str
    fields: tuple[str, ...]  # the fields that differ


@dataclass
class MergeReport:
    """What a merge did, by record kind; the conflicts and the annotations it could not place."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_KINDS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_KINDS, 0))
    conflicts: list[Conflict] = field(default_factory=list)
    unplaceable: list[Unplaceable] = field(default_factory=list)
    reanchored: int = 0  # spans and links moved onto a corrected version of their text
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.added.values())

    def lines(self) -> list[str]:
        """The report as text, for the command line and the summary dialog."""
        out = []
        added = [f"{n} {_plural(kind, n)}" for kind, n in self.added.items() if n]
        out.append("added: " + (", ".join(added) if added else "nothing"))
        skipped = [f"{n} {_plural(kind, n)}" for kind, n in self.skipped.items() if n]
        if skipped:
            out.append("already in the project (skipped): " + ", ".join(skipped))
        if self.reanchored:
            out.append(f"re-anchored on a corrected text: {self.reanchored}")
        out.extend(self.notes)
        if self.conflicts:
            out.append(f"conflicts ({len(self.conflicts)}; the project's version was kept):")
            out.extend(f"  {c.kind} {c.id}: differs in {', '.join(c.fields)}" for c in self.conflicts)
        if self.unplaceable:
            out.append(f"not placed ({len(self.unplaceable)}; not merged):")
            out.extend(
                f"  {u.kind} {u.id}"
                + (f" in “{u.document}”" if u.document else "")
                + (f" (“{_shorten(u.quote)}”)" if u.quote else "")
                + f": {u.reason}"
                for u in self.unplaceable
            )
        return out


def _plural(kind: str, n: int) -> str:
    if n != 1:
        return kind
    return "category" if kind == "categories" else kind[:-1]


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ parsing
def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def parse(data: bytes) -> Any:
    """Decode ``data`` as UTF-8 JSON; MergeError with line and column when it is not."""
    if len(data) > MAX_FILE_BYTES:
        raise MergeError(
            f"the file is too large ({len(data) / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)"
        )
    if not data.strip():
        raise MergeError("the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MergeError(f"not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise MergeError("the JSON is nested too deeply to be a cisannotate export") from None
    except json.JSONDecodeError as exc:
        # A string left open runs to the end of the input, so it is a truncation too.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise MergeError(
                f"the JSON ends early ({exc.msg.lower()}, line {exc.lineno}, column {exc.colno}): "
                "the file looks truncated"
            ) from None
        raise MergeError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:
        raise MergeError(f"not valid JSON: {exc}") from None


# --------------------------------------------------------------- validation
# Each check returns None when the value is acceptable, else what is wrong with it.
Check = Callable[[Any], "str | None"]


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _expected(what: str, value: Any) -> str:
    return f"expected {what}, found {_describe(value)}"


def _unpaired_surrogate(value: str) -> str | None:
    """SQLite and UTF-8 cannot store half of a surrogate pair, which JSON escapes can produce."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains an unpaired surrogate (character {exc.start}), which is not text"
    return None


# The checks below run once per field of every record (millions of times in a
# large merge), so each tries the common case inline and leaves the
# explanation to a slower path.
def _string_problem(value: Any) -> str | None:
    if type(value) is not str:
        return _expected("a string", value)
    return _unpaired_surrogate(value)


def _string(value: Any) -> str | None:
    if type(value) is str and value.isascii():
        return None
    return _string_problem(value)


def _name(value: Any) -> str | None:
    if type(value) is str and value and value.isascii():
        return None
    problem = _string_problem(value)
    if problem is None and not value:
        return "must not be empty"
    return problem


def _id(value: Any) -> str | None:
    if type(value) is str and 0 < len(value) <= MAX_ID_LENGTH and value.isascii():
        return None
    problem = _name(value)
    if problem is None and len(value) > MAX_ID_LENGTH:
        return f"an id of {len(value)} characters (at most {MAX_ID_LENGTH})"
    return problem


def _optional_id(value: Any) -> str | None:
    return None if value is None else _id(value)


def _integer(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if type(value) is int and low <= value <= high:
            return None
        if type(value) is not int:
            return _expected("an integer", value)
        shown = str(value) if abs(value) < 10**15 else "a number that large"
        return f"{shown} is outside {low}..{high}"

    return check


_offset = _integer(0, MAX_INT)


def _boolean(value: Any) -> str | None:
    return None if type(value) is bool else _expected("true or false", value)


def _one_of(values: Iterable[Any]) -> Check:
    allowed = tuple(values)
    shown = ", ".join("null" if v is None else json.dumps(v) for v in allowed)

    def check(value: Any) -> str | None:
        if type(value) not in (str, type(None)) or value not in allowed:
            found = json.dumps(value)[:40] if isinstance(value, str) else _describe(value)
            return f"expected one of {shown}; found {found}"
        return None

    return check


def _pattern(regex: str, what: str) -> Check:
    compiled = re.compile(regex)

    def check(value: Any) -> str | None:
        problem = _string(value)
        if problem is None and not compiled.fullmatch(value):
            return f"expected {what}, found {json.dumps(value)[:80]}"
        return problem

    return check


def _metadata_problem(value: Any, depth: int) -> str | None:
    if depth > MAX_EXTRA_DEPTH:
        return f"nested more than {MAX_EXTRA_DEPTH} levels deep"
    if isinstance(value, float) and not math.isfinite(value):
        # 1e999 parses as infinity, which JSON cannot write back.
        return "holds a number too large for JSON"
    if isinstance(value, str):
        return _unpaired_surrogate(value)
    if isinstance(value, dict):
        for key in value:
            problem = _unpaired_surrogate(key)
            if problem is not None:
                return f"a key {problem}"
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        problem = _metadata_problem(child, depth + 1)
        if problem is not None:
            return problem
    return None


def _metadata(value: Any) -> str | None:
    if type(value) is not dict:
        return _expected("an object", value)
    return _metadata_problem(value, 0)


def _array(value: Any) -> str | None:
    return None if type(value) is list else _expected("an array", value)


_time = _name

# The fields of each record, as in the schema's $defs (all of them required).
RECORD_FIELDS: dict[str, dict[str, Check]] = {
    "document": {
        "id": _id, "sha256": _pattern("[0-9a-f]{64}", "64 lower-case hex digits"), "kind": _one_of(KINDS),
        "title": _string, "outlet": _string, "date": _string, "event": _string, "language": _string,
        "url": _string, "source_file": _string, "notes": _string, "extra": _metadata, "length": _offset,
        "source_lines": _array,
    },
    "source_line": {
        "number": _integer(1, MAX_INT), "start": _offset, "end": _offset, "paragraph": _offset, "speaker": _string,
    },
    "category": {
        "id": _id, "name": _name, "color": _pattern("#[0-9a-fA-F]{6}", "a colour like #f4a6a6"),
        "shortcut": _string, "description": _string, "position": _integer(-MAX_INT - 1, MAX_INT),
    },
    "speaker": {"id": _id, "name": _name, "role": _string},
    "channel": {"id": _id, "name": _name},
    "span": {
        "id": _id, "document_id": _id, "start": _offset, "end": _offset, "quote": _string, "prefix": _string,
        "suffix": _string, "category_id": _optional_id, "speaker_id": _optional_id,
        "mode": _one_of((*MODES, None)), "channel_id": _optional_id, "note": _string, "no_source": _boolean,
        "layer": _name, "annotator": _name, "created": _time, "modified": _time,
    },
    "link": {
        "id": _id, "span_id": _id, "target_document_id": _id, "target_start": _offset, "target_end": _offset,
        "target_quote": _string, "target_prefix": _string, "target_suffix": _string,
        "relation": _one_of(RELATIONS), "note": _string, "layer": _name, "annotator": _name,
        "created": _time, "modified": _time,
    },
    "review": {
        "id": _id, "item_a": _string, "item_b": _string, "decision": _one_of(DECISIONS), "reviewer": _name,
        "result_id": _string, "comment": _string, "created": _time,
    },
    "comment": {"id": _id, "target_id": _id, "author": _name, "text": _string, "created": _time},
    "scope": {"annotator": lambda v: None if v is None else _string(v), "with_text": _boolean},
}
# Fields a record may carry or leave out.
OPTIONAL_FIELDS: dict[str, dict[str, Check]] = {"document": {"text": _string}}

# The top-level lists and the kind of their items.
TOP_LISTS = {
    "documents": "document",
    "categories": "category",
    "speakers": "speaker",
    "channels": "channel",
    "spans": "span",
    "links": "link",
    "reviews": "review",
    "comments": "comment",
}
TOP_FIELDS = ("format", "version", "scope", *TOP_LISTS, "annotators")


def _check_record(value: Any, kind: str, where: str) -> None:
    if type(value) is not dict:
        raise MergeError(f"{where}: {_expected('an object', value)}")
    fields = RECORD_FIELDS[kind]
    optional = OPTIONAL_FIELDS.get(kind, {})
    if len(value) != len(fields) or value.keys() != fields.keys():
        for key in fields:
            if key not in value:
                raise MergeError(f"{where}.{key}: missing")
        for key in value:
            if key not in fields and key not in optional:
                raise MergeError(f"{where}.{key}: not a field of a {kind} in format version {FORMAT_VERSION}")
    for key, check in fields.items():
        problem = check(value[key])
        if problem is not None:
            raise MergeError(f"{where}.{key}: {problem}")
    for key, check in optional.items():
        if key in value:
            problem = check(value[key])
            if problem is not None:
                raise MergeError(f"{where}.{key}: {problem}")


class _Steps:
    """Progress of a whole merge on one scale: checking, planning and writing take a third each.

    The callback hears every few hundred records; a refusal becomes MergeCancelled.
    """

    EVERY = 500
    PHASES = 3

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.total = self.PHASES
        self._base = 0
        self._scale = 1.0
        self._done = 0
        self._next = 0

    def phase(self, index: int, size: int, records: int | None = None) -> None:
        """Begin phase ``index`` (0, 1, 2) of ``size`` steps; the first phase also sets the scale."""
        if records is not None:
            self.total = self.PHASES * max(records, 1)
        share = self.total // self.PHASES
        self._base = index * share
        self._scale = share / max(size, 1)
        self._done = 0
        self._next = 0
        self.step(0)

    def step(self, n: int = 1) -> None:
        self._done += n
        if self.progress is not None and self._done >= self._next:
            self._next = self._done + self.EVERY
            done = min(self._base + int(self._done * self._scale), self.total)
            if not self.progress(done, self.total):
                raise MergeCancelled()

    def finish(self) -> None:
        if self.progress is not None and not self.progress(self.total, self.total):
            raise MergeCancelled()


def _check_header(data: Any) -> None:
    if type(data) is not dict:
        raise MergeError(f"not a cisannotate export: the file holds {_describe(data)}, not an object")
    if "@context" in data or data.get("type") in ("AnnotationCollection", "AnnotationPage", "Annotation"):
        raise MergeError(
            "a W3C Web Annotation file, not a cisannotate export; merge reads only the native format "
            "(cisannotate export --format json)"
        )
    if "format" not in data:
        raise MergeError(f'not a cisannotate export: it has no "format": "{FORMAT_NAME}" field')
    if data["format"] != FORMAT_NAME:
        found = json.dumps(data["format"])[:40] if isinstance(data["format"], str) else _describe(data["format"])
        raise MergeError(f'format: expected "{FORMAT_NAME}", found {found}: not a cisannotate export')
    version = data.get("version")
    if "version" not in data:
        raise MergeError("version: missing")
    if type(version) is not int:
        raise MergeError(f"version: {_expected('an integer', version)}")
    if version > FORMAT_VERSION:
        raise MergeError(
            f"version: the file is format version {version}, newer than this cisannotate reads "
            f"(up to {FORMAT_VERSION}); update cisannotate to merge it"
        )
    if version != FORMAT_VERSION:
        raise MergeError(f"version: unknown format version {version} (this cisannotate reads {FORMAT_VERSION})")
    for key in TOP_FIELDS:
        if key not in data:
            raise MergeError(f"{key}: missing")
    for key in data:
        if key not in TOP_FIELDS:
            raise MergeError(f"{key}: not a field of format version {FORMAT_VERSION}")


def _unique(records: Sequence[dict], key: str, list_name: str, what: str = "id") -> dict[Any, int]:
    """Index ``records`` by ``key``; a repeated value is an error naming both places."""
    seen: dict[Any, int] = {}
    for i, record in enumerate(records):
        value = record[key]
        if value in seen:
            raise MergeError(
                f"{list_name}[{i}].{key}: the {what} {json.dumps(value)[:60]} is also "
                f"{list_name}[{seen[value]}].{key}"
            )
        seen[value] = i
    return seen


def _check_range(start: int, end: int, length: int, title: str, where: str, names: tuple[str, str]) -> None:
    if start >= end:
        raise MergeError(f"{where}.{names[1]}: {end} is not after {names[0]} ({start})")
    if end > length:
        raise MergeError(f"{where}.{names[1]}: {end} lies outside the text of “{title}” ({length} characters)")


def validate(data: Any) -> dict[str, Any]:
    """Check the whole file on its own; returns it unchanged, or raises MergeError naming the place."""
    return _validate(data, _Steps(None))


def _validate(data: Any, steps: _Steps) -> dict[str, Any]:
    _check_header(data)
    _check_record(data["scope"], "scope", "scope")
    for key in (*TOP_LISTS, "annotators"):
        problem = _array(data[key])
        if problem is not None:
            raise MergeError(f"{key}: {problem}")
    records = sum(len(data[k]) for k in TOP_LISTS)
    steps.phase(0, records, records)

    for key, kind in TOP_LISTS.items():
        for i, record in enumerate(data[key]):
            _check_record(record, kind, f"{key}[{i}]")
            steps.step()
    for i, name in enumerate(data["annotators"]):
        problem = _name(name)
        if problem is not None:
            raise MergeError(f"annotators[{i}]: {problem}")
    _unique([{"name": n} for n in data["annotators"]], "name", "annotators", "name")

    documents = data["documents"]
    _unique(documents, "id", "documents")
    _unique(documents, "sha256", "documents", "text (SHA-256)")
    docs = {}
    for i, doc in enumerate(documents):
        where = f"documents[{i}]"
        text = doc.get("text")
        if text is not None:
            if len(text) != doc["length"]:
                raise MergeError(f"{where}.text: has {len(text)} characters, but length says {doc['length']}")
            if sha256_text(text) != doc["sha256"]:
                raise MergeError(f"{where}.text: its SHA-256 is not the sha256 given (the text was changed)")
        numbers: set[int] = set()
        for j, line in enumerate(doc["source_lines"]):
            line_where = f"{where}.source_lines[{j}]"
            _check_record(line, "source_line", line_where)
            _check_range(line["start"], line["end"], doc["length"], doc["title"], line_where, ("start", "end"))
            if line["number"] in numbers:
                raise MergeError(f"{line_where}.number: line {line['number']} appears twice")
            numbers.add(line["number"])
        docs[doc["id"]] = doc

    for key in ("categories", "speakers", "channels"):
        _unique(data[key], "id", key)
        _unique(data[key], "name", key, "name")
    codebook = {
        key: {record["id"] for record in data[key]} for key in ("categories", "speakers", "channels")
    }

    def check_quote(doc: dict, start: int, end: int, quote: str, where: str) -> None:
        text = doc.get("text")
        actual = text[start:end] if text is not None else None
        if (actual is not None and actual != quote) or len(quote) != end - start:
            raise MergeError(
                f"{where}: {json.dumps(_shorten(quote))} is not the text at {start}-{end} of “{doc['title']}”"
                + (f" ({json.dumps(_shorten(actual))})" if actual is not None else "")
            )

    _unique(data["spans"], "id", "spans")
    for i, span in enumerate(data["spans"]):
        where = f"spans[{i}]"
        doc = docs.get(span["document_id"])
        if doc is None:
            raise MergeError(f"{where}.document_id: no document {json.dumps(span['document_id'])} in the file")
        _check_range(span["start"], span["end"], doc["length"], doc["title"], where, ("start", "end"))
        check_quote(doc, span["start"], span["end"], span["quote"], f"{where}.quote")
        for ref, key in (("category_id", "categories"), ("speaker_id", "speakers"), ("channel_id", "channels")):
            if span[ref] is not None and span[ref] not in codebook[key]:
                raise MergeError(f"{where}.{ref}: no {key[:-1] if key != 'categories' else 'category'} "
                                 f"{json.dumps(span[ref])} in the file")

    _unique(data["links"], "id", "links")
    for i, link in enumerate(data["links"]):
        where = f"links[{i}]"
        doc = docs.get(link["target_document_id"])
        if doc is None:
            raise MergeError(
                f"{where}.target_document_id: no document {json.dumps(link['target_document_id'])} in the file"
            )
        _check_range(link["target_start"], link["target_end"], doc["length"], doc["title"], where,
                     ("target_start", "target_end"))
        check_quote(doc, link["target_start"], link["target_end"], link["target_quote"], f"{where}.target_quote")
    _unique(data["reviews"], "id", "reviews")
    _unique(data["comments"], "id", "comments")
    return data


# ------------------------------------------------------------------ planning
@dataclass(frozen=True)
class _Place:
    """Where a document of the file lands in the project."""

    document_id: str | None  # None: nowhere (``reason`` says why)
    text: str
    title: str
    reanchor: bool = False  # a corrected version: place annotations by their quotes
    reason: str = ""


@dataclass
class _Plan:
    report: MergeReport = field(default_factory=MergeReport)
    documents: list[tuple[Document, list[SourceLine]]] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.documents) + len(self.spans) + len(self.links) + len(self.reviews) + len(self.comments)


def _free_document_id(sha: str, used: set[str]) -> str:
    """The project's id for a new text: its hash's first 16 digits, longer on the (unlikely) clash."""
    for length in range(16, 65, 4):
        if sha[:length] not in used:
            return sha[:length]
    raise MergeError(f"a document with the SHA-256 {sha} is already in the project")


def _corrected_version(candidates: list[Any], doc: dict) -> Any | None:
    """The one project document that ``doc`` is another version of (same file name, or same title)."""
    same_kind = [c for c in candidates if c.kind == doc["kind"]]
    for key in ("source_file", "title"):
        if doc[key]:
            found = [c for c in same_kind if getattr(c, key) == doc[key]]
            if len(found) == 1:
                return found[0]
    return None


def _plan_documents(store: Store, data: dict, plan: _Plan) -> dict[str, _Place]:
    project = store.documents()
    by_sha = {d.sha256: d for d in project}
    used_ids = {d.id for d in project}
    matched = {d["sha256"] for d in data["documents"]} & set(by_sha)
    # A project text that the file also holds unchanged is not "corrected" by another text of the file.
    candidates = [d for d in project if d.sha256 not in matched]
    places: dict[str, _Place] = {}
    for i, doc in enumerate(data["documents"]):
        title = doc["title"] or doc["source_file"] or doc["id"]
        existing = by_sha.get(doc["sha256"])
        if existing is not None:
            text = store.text(existing.id)
            if len(text) != doc["length"]:
                raise MergeError(
                    f"documents[{i}].length: the project's copy of this text has {len(text)} characters, "
                    f"not {doc['length']}"
                )
            places[doc["id"]] = _Place(existing.id, text, existing.title or title)
            plan.report.skipped["documents"] += 1
            continue
        if "text" not in doc:
            places[doc["id"]] = _Place(
                None, "", title,
                reason="its document is not in the project and the file does not carry its text "
                "(ask for an export made with --with-text)",
            )
            continue
        corrected = _corrected_version(candidates, doc)
        if corrected is not None:
            places[doc["id"]] = _Place(corrected.id, store.text(corrected.id), corrected.title or title, True)
            plan.report.notes.append(
                f"“{title}” in the file is another version of “{corrected.title}” in the project "
                f"({doc['sha256'][:12]}… vs {corrected.sha256[:12]}…): its annotations were placed by their quotes"
            )
            continue
        doc_id = _free_document_id(doc["sha256"], used_ids)
        used_ids.add(doc_id)
        document = Document(
            id=doc_id, kind=doc["kind"], title=doc["title"], text=doc["text"], sha256=doc["sha256"],
            outlet=doc["outlet"], date=doc["date"], event=doc["event"], language=doc["language"],
            url=doc["url"], source_file=doc["source_file"], notes=doc["notes"], extra=doc["extra"], created=now(),
        )
        lines = [
            SourceLine(doc_id, ln["number"], ln["start"], ln["end"], ln["paragraph"], ln["speaker"])
            for ln in doc["source_lines"]
        ]
        plan.documents.append((document, lines))
        plan.report.added["documents"] += 1
        places[doc["id"]] = _Place(doc_id, doc["text"], title)
    return places


def _plan_codebook(store: Store, data: dict, plan: _Plan) -> dict[str, dict[str, str]]:
    """Map the file's category, speaker and channel ids to the project's, matching by name."""
    maps: dict[str, dict[str, str]] = {"categories": {}, "speakers": {}, "channels": {}}
    report = plan.report

    categories = store.categories()
    by_name = {c.name: c.id for c in categories}
    used = {c.id for c in categories}
    keys = {c.shortcut.casefold() for c in categories if c.shortcut}
    position = max((c.position for c in categories), default=-1) + 1
    for record in data["categories"]:
        if record["name"] in by_name:
            maps["categories"][record["id"]] = by_name[record["name"]]
            report.skipped["categories"] += 1
            continue
        category_id = record["id"] if record["id"] not in used else new_id()
        shortcut = record["shortcut"]
        if shortcut and shortcut.casefold() in keys:
            report.notes.append(
                f"category “{record['name']}” was added without its key {shortcut!r}, which another category uses"
            )
            shortcut = ""
        keys.add(shortcut.casefold())
        plan.categories.append(Category(category_id, record["name"], record["color"], shortcut,
                                        record["description"], position))
        position += 1
        used.add(category_id)
        maps["categories"][record["id"]] = category_id
        report.added["categories"] += 1

    for key, existing_items, make in (
        ("speakers", store.speakers(), lambda r, i: Speaker(i, r["name"], r["role"])),
        ("channels", store.channels(), lambda r, i: Channel(i, r["name"])),
    ):
        by_name = {s.name: s.id for s in existing_items}
        used = {s.id for s in existing_items}
        for record in data[key]:
            if record["name"] in by_name:
                maps[key][record["id"]] = by_name[record["name"]]
                report.skipped[key] += 1
                continue
            item_id = record["id"] if record["id"] not in used else new_id()
            used.add(item_id)
            getattr(plan, key).append(make(record, item_id))
            maps[key][record["id"]] = item_id
            report.added[key] += 1
    return maps


def _differences(old: Any, new: Any, names: Iterable[str]) -> tuple[str, ...]:
    return tuple(n for n in names if getattr(old, n) != getattr(new, n))


# Fields that make two versions of an annotation different (quote and context follow from the offsets).
_SPAN_FIELDS = ("document_id", "start", "end", "category_id", "speaker_id", "mode", "channel_id", "note",
                "no_source", "layer", "annotator", "created", "modified")
_LINK_FIELDS = ("span_id", "target_document_id", "target_start", "target_end", "relation", "note", "layer",
                "annotator", "created", "modified")
_REVIEW_FIELDS = ("item_a", "item_b", "decision", "reviewer", "result_id", "comment", "created")
_COMMENT_FIELDS = ("target_id", "author", "text", "created")


def _locate(place: _Place, start: int, end: int, quote: Quote, where: str) -> tuple[int, int] | str:
    """The range an annotation takes in the project, or why it has none."""
    if place.document_id is None:
        return place.reason
    if place.reanchor:
        found = anchor_quote(place.text, quote, hint=start)
        if found is None:
            return f"its quote no longer occurs in the project's version of “{place.title}”"
        return found
    if place.text[start:end] != quote.exact:
        raise MergeError(
            f"{where}: {json.dumps(_shorten(quote.exact))} is not the text at {start}-{end} of "
            f"“{place.title}” ({json.dumps(_shorten(place.text[start:end]))})"
        )
    return start, end


def _plan(store: Store, data: dict, steps: _Steps) -> _Plan:
    plan = _Plan()
    report = plan.report
    places = _plan_documents(store, data, plan)
    maps = _plan_codebook(store, data, plan)
    steps.phase(1, len(data["spans"]) + len(data["links"]) + len(data["comments"]))

    known_annotators = set(store.annotators())
    names = list(data["annotators"])
    names += [r["annotator"] for r in data["spans"]] + [r["annotator"] for r in data["links"]]
    names += [r["reviewer"] for r in data["reviews"]] + [r["author"] for r in data["comments"]]
    for name in dict.fromkeys(names):
        if name not in known_annotators:
            plan.annotators.append(name)
            report.added["annotators"] += 1

    # Spans.
    existing_spans = bulk.spans_by_id(store, (s["id"] for s in data["spans"]))
    present_spans: set[str] = set(existing_spans)  # span ids the project holds after the merge
    for i, record in enumerate(data["spans"]):
        steps.step()
        place = places[record["document_id"]]
        quote = Quote(record["quote"], record["prefix"], record["suffix"])
        located = _locate(place, record["start"], record["end"], quote, f"spans[{i}].quote")
        span = None
        if not isinstance(located, str):
            start, end = located
            context = quote_at(place.text, start, end)
            span = Span(
                id=record["id"], document_id=place.document_id, start=start, end=end,
                annotator=record["annotator"], quote=context.exact, prefix=context.prefix, suffix=context.suffix,
                category_id=maps["categories"].get(record["category_id"]),
                speaker_id=maps["speakers"].get(record["speaker_id"]),
                mode=record["mode"], channel_id=maps["channels"].get(record["channel_id"]),
                note=record["note"], no_source=record["no_source"], layer=record["layer"],
                created=record["created"], modified=record["modified"],
            )
        old = existing_spans.get(record["id"])
        if old is not None:
            differs = _differences(old, span, _SPAN_FIELDS) if span is not None else ("document",)
            if differs:
                report.conflicts.append(Conflict("span", record["id"], differs))
            else:
                report.skipped["spans"] += 1
        elif span is not None:
            plan.spans.append(span)
            present_spans.add(span.id)
            report.added["spans"] += 1
            report.reanchored += place.reanchor
        else:
            report.unplaceable.append(Unplaceable("span", record["id"], place.title, record["quote"], located))

    # Links.
    file_spans = {s["id"] for s in data["spans"]}
    outside = {k["span_id"] for k in data["links"]} - file_spans
    present_spans |= set(bulk.spans_by_id(store, outside))
    existing_links = bulk.links_by_id(store, (k["id"] for k in data["links"]))
    present_links: set[str] = set(existing_links)
    for i, record in enumerate(data["links"]):
        steps.step()
        place = places[record["target_document_id"]]
        quote = Quote(record["target_quote"], record["target_prefix"], record["target_suffix"])
        located = _locate(place, record["target_start"], record["target_end"], quote, f"links[{i}].target_quote")
        if record["span_id"] not in present_spans:
            located = (
                "its span could not be placed" if record["span_id"] in file_spans
                else "its span is neither in the file nor in the project"
            )
        link = None
        if not isinstance(located, str):
            link = Link(
                id=record["id"], span_id=record["span_id"], target_document_id=place.document_id,
                target_start=located[0], target_end=located[1], relation=record["relation"],
                annotator=record["annotator"], note=record["note"], layer=record["layer"],
                created=record["created"], modified=record["modified"],
            )
        old = existing_links.get(record["id"])
        if old is not None:
            differs = _differences(old, link, _LINK_FIELDS) if link is not None else ("target",)
            if differs:
                report.conflicts.append(Conflict("link", record["id"], differs))
            else:
                report.skipped["links"] += 1
        elif link is not None:
            plan.links.append(link)
            present_links.add(link.id)
            report.added["links"] += 1
            report.reanchored += place.reanchor
        else:
            report.unplaceable.append(
                Unplaceable("link", record["id"], place.title, record["target_quote"], located)
            )

    # Reviews refer to spans by id only, so they need no placing.
    existing_reviews = bulk.reviews_by_id(store, (r["id"] for r in data["reviews"]))
    for record in data["reviews"]:
        review = Review(**record)
        old = existing_reviews.get(review.id)
        if old is None:
            plan.reviews.append(review)
            report.added["reviews"] += 1
        elif differs := _differences(old, review, _REVIEW_FIELDS):
            report.conflicts.append(Conflict("review", review.id, differs))
        else:
            report.skipped["reviews"] += 1

    # Comments belong to a span or link, which must be in the project after the merge.
    targets = {c["target_id"] for c in data["comments"]} - present_spans - present_links
    present_targets = set(bulk.spans_by_id(store, targets)) | set(bulk.links_by_id(store, targets))
    existing_comments = bulk.comments_by_id(store, (c["id"] for c in data["comments"]))
    file_annotations = file_spans | {k["id"] for k in data["links"]}
    for record in data["comments"]:
        steps.step()
        comment = Comment(**record)
        old = existing_comments.get(comment.id)
        if old is not None:
            if differs := _differences(old, comment, _COMMENT_FIELDS):
                report.conflicts.append(Conflict("comment", comment.id, differs))
            else:
                report.skipped["comments"] += 1
        elif comment.target_id in present_spans or comment.target_id in present_links \
                or comment.target_id in present_targets:
            plan.comments.append(comment)
            report.added["comments"] += 1
        else:
            reason = (
                "the annotation it comments on could not be placed" if comment.target_id in file_annotations
                else "the annotation it comments on is neither in the file nor in the project"
            )
            report.unplaceable.append(Unplaceable("comment", comment.id, "", comment.text, reason))
    return plan


# ------------------------------------------------------------------- writing
_WRITE_CHUNK = 5000


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for at in range(0, len(items), _WRITE_CHUNK):
        yield items[at : at + _WRITE_CHUNK]


def _write(store: Store, plan: _Plan, steps: _Steps) -> None:
    """Apply the plan in one transaction: all of it, or (on any failure or cancel) none of it."""
    steps.phase(2, plan.size)
    try:
        with store.atomic():
            for document, lines in plan.documents:
                store.add_document(document, lines)
                steps.step()
            for category in plan.categories:
                store.add_category(category)
            for speaker in plan.speakers:
                store.add_speaker(speaker)
            for channel in plan.channels:
                store.add_channel(channel)
            for name in plan.annotators:
                store.ensure_annotator(name)
            for chunk in _chunks(plan.spans):
                store.add_spans(chunk)
                steps.step(len(chunk))
            for chunk in _chunks(plan.links):
                store.add_links(chunk)
                steps.step(len(chunk))
            if plan.reviews:
                bulk.add_reviews(store, plan.reviews)
            if plan.comments:
                bulk.add_comments(store, plan.comments)
            steps.step(len(plan.reviews) + len(plan.comments))
            # The last word before the commit: a cancel here still undoes everything.
            steps.finish()
    except (sqlite3.Error, OffsetError) as exc:
        raise MergeError(f"the project could not take the merge ({exc}); nothing was merged") from exc


# --------------------------------------------------------------------- entry
def merge_data(
    store: Store, data: Any, progress: Progress | None = None, before_write: Callable[[], None] | None = None
) -> MergeReport:
    """Merge an already-parsed export into ``store``.

    ``before_write`` is called once the file is checked and the merge would change
    the project, just before the write (the services take their backup there).
    """
    steps = _Steps(progress)
    _validate(data, steps)
    plan = _plan(store, data, steps)
    if plan.report.changed:
        if before_write is not None:
            before_write()
        _write(store, plan, steps)
    else:
        steps.finish()
    return plan.report


def merge_bytes(
    store: Store, data: bytes, progress: Progress | None = None, before_write: Callable[[], None] | None = None
) -> MergeReport:
    return merge_data(store, parse(data), progress, before_write)


def merge_file(
    store: Store, path: Path | str, progress: Progress | None = None, before_write: Callable[[], None] | None = None
) -> MergeReport:
    """Merge the export at ``path`` into ``store``; MergeError (nothing written) when it cannot be."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise MergeError(
                f"the file is too large ({size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise MergeError(f"cannot read the file ({exc.strerror or exc})") from exc
    return merge_bytes(store, data, progress, before_write)
