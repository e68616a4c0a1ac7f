"""The first step of a merge: parse the file and check it on its own, before the project is read.

JSON syntax, format and version, every field's type, ids that refer to
nothing, offsets outside a text, quotes that are not the text they claim to
quote. The first problem ends the merge with a MergeError naming its place
(``spans[12].start``), before anything is written.

The per-field checks mirror ``resources/schema/cisannotate-export-1.schema.json``
(the tests hold the two together) and add what a schema cannot say: text
without unpaired surrogates, numbers JSON can write back, unique ids,
references that resolve, offsets inside their text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..core.model import DECISIONS, KINDS, MODES, RELATIONS
from ..core.text import sha256_text
from .exchange import FORMAT_NAME, FORMAT_VERSION
from .merge_report import MergeError, Steps, _shorten

# Larger files are refused before they are read: a colleague's export of
# 100,000 annotations with all texts is well under a tenth of this.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Free-form document metadata ("extra") is never deeper than a few levels.
MAX_EXTRA_DEPTH = 32
MAX_ID_LENGTH = 200
MAX_INT = 2**31 - 1


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
    return _validate(data, Steps(None))


def _validate(data: Any, steps: Steps) -> dict[str, Any]:
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
