"""The first step of a merge: parse the file and check it on its own, before the project is read.

JSON syntax, format and version, every field's type, ids that refer to
nothing, offsets outside a text, quotes that are not the text they claim to
quote. The first problem ends the merge with a MergeError naming its place
(``spans[12].start``), before anything is written.

Every record is checked against ``resources/schema/cisannotate-export-1.schema.json``,
compiled once by jsonschema-rs (and by fastjsonschema, which words the problem
when the first finds one): the schema is the one description of the
format, for colleagues' tools and for this check alike. A refusal names the
place and says what is wrong in words (``spans[12].start: expected an
integer, found a string``). What a schema cannot say is checked after it:
whole numbers where offsets go (JSON Schema counts 10.0 as an integer), text
without half of a surrogate pair, metadata JSON can write back, unique ids,
references that resolve, offsets inside their text, quotes that match it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..core.text import sha256_text
from ..paths import resources_dir
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
SCHEMA_FILE = "cisannotate-export-1.schema.json"


@functools.cache
def schema() -> dict[str, Any]:
    """The export format's JSON Schema: ``resources/schema/``, the one description of the records."""
    return json.loads((resources_dir() / "schema" / SCHEMA_FILE).read_text(encoding="utf-8"))


@functools.cache
def _schema_check() -> Callable[[Any], Any]:
    """The schema compiled to Python once (fastjsonschema: about 0.1 s, imported only for a merge)."""
    import fastjsonschema

    return fastjsonschema.compile(schema())


@functools.cache
def _schema_is_valid() -> Callable[[Any], bool] | None:
    """The schema compiled by jsonschema-rs, whose check of a valid file is some 20 times faster
    than fastjsonschema's (0.05 s against 1 s for 100,000 annotations); None without it."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(schema()).is_valid


def _passes_schema(data: Any) -> bool:
    """True when jsonschema-rs finds ``data`` valid. False when it does not, or cannot say: then
    fastjsonschema checks the file again and words its first problem (or passes it, as before)."""
    is_valid = _schema_is_valid()
    if is_valid is None:
        return False
    try:
        return bool(is_valid(data))
    except Exception:  # a value it cannot read (an integer beyond 64 bits, say): fastjsonschema decides
        return False


def _records() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, str]]:
    spec = schema()
    definitions: dict[str, dict[str, Any]] = {"scope": spec["properties"]["scope"]}
    definitions.update((kind, d) for kind, d in spec["$defs"].items() if d.get("type") == "object")
    required = {kind: tuple(d["required"]) for kind, d in definitions.items()}
    optional = {
        kind: extra
        for kind, d in definitions.items()
        if (extra := tuple(name for name in d["properties"] if name not in d["required"]))
    }
    lists = {
        key: prop["items"]["$ref"].rsplit("/", 1)[1]
        for key, prop in spec["properties"].items()
        if prop.get("type") == "array" and prop["items"].get("$ref", "").startswith("#/$defs/")
        and prop["items"]["$ref"].rsplit("/", 1)[1] in definitions
    }
    return required, optional, lists


# The fields of each record (all required) and those a record may leave out, and the top-level
# lists with the kind of their items: read from the schema.
RECORD_FIELDS, OPTIONAL_FIELDS, TOP_LISTS = _records()
TOP_FIELDS = tuple(schema()["required"])
# Fields that hold whole numbers: JSON Schema counts 10.0 as an integer, a text offset cannot be one.
_INTEGER_FIELDS = {
    kind: tuple(
        name for name, prop in schema()["$defs"][kind]["properties"].items()
        if prop.get("type") == "integer" or prop.get("$ref") in ("#/$defs/offset", "#/$defs/count")
    )
    for kind in RECORD_FIELDS if kind != "scope"
}


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


_TYPE_WORDS = {
    "integer": "an integer", "number": "a number", "string": "a string", "array": "an array",
    "object": "an object", "boolean": "true or false", "null": "null",
}


def _place(path: Sequence[Any]) -> str:
    """``spans[12].start`` for the path ("spans", 12, "start")."""
    out = ""
    for part in path:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _kind_at(path: Sequence[Any]) -> str:
    """The kind of record at ``path`` (a list item of the file, a source line, the scope)."""
    names = [p for p in path if isinstance(p, str) and not p.isdigit()]
    if names and names[-1] == "source_lines":
        return "source_line"
    if names and names[-1] == "scope":
        return "scope"
    return TOP_LISTS.get(names[-1], names[-1]) if names else "file"


def _schema_problem(exc: Any, data: Any) -> str:
    """The schema's refusal as the place and the problem in words, e.g. ``spans[12].start: expected ...``."""
    path: list[Any] = list(exc.path[1:])  # without fastjsonschema's leading "data"
    value, rule, definition = exc.value, exc.rule, exc.definition
    where = _place(path)
    if rule == "required":
        missing = next(name for name in exc.rule_definition if name not in value)
        return f"{_place([*path, missing])}: missing"
    if rule == "additionalProperties":
        extra = next(name for name in value if name not in definition.get("properties", {}))
        if not path:
            return f"{extra}: not a field of format version {FORMAT_VERSION}"
        return f"{_place([*path, extra])}: not a field of a {_kind_at(path)} in format version {FORMAT_VERSION}"
    if rule == "type":
        types = exc.rule_definition if isinstance(exc.rule_definition, list) else [exc.rule_definition]
        return f"{where}: {_expected(_TYPE_WORDS.get(str(types[0]), str(types[0])), value)}"
    if rule == "enum":
        shown = ", ".join("null" if v is None else json.dumps(v) for v in exc.rule_definition)
        found = json.dumps(value)[:40] if isinstance(value, str) else _describe(value)
        return f"{where}: expected one of {shown}; found {found}"
    if rule in ("minimum", "maximum"):
        shown = str(value) if abs(value) < 10**15 else "a number that large"
        return f"{where}: {shown} is outside {definition.get('minimum', '')}..{definition.get('maximum', '')}"
    if rule == "minLength":
        return f"{where}: must not be empty"
    if rule == "maxLength":
        return f"{where}: an id of {len(value)} characters (at most {definition['maxLength']})"
    if rule == "pattern":
        what = definition.get("description") or f"text matching {definition['pattern']}"
        return f"{where}: expected {what}, found {json.dumps(value)[:80]}"
    if rule == "uniqueItems":
        # Checked before the items themselves: an item that is no name is the problem to name first.
        for i, item in enumerate(value):
            if type(item) is not str:
                return f"{where}[{i}]: {_expected('a string', item)}"
        _unique([{"name": item} for item in value], "name", where, "name")
    return f"{where}: {exc.message.removeprefix('data.' + where).strip() or rule}"


# ------------------------------------------------- what a schema cannot say
def _unpaired_surrogate(value: str) -> str | None:
    """SQLite and UTF-8 cannot store half of a surrogate pair, which JSON escapes can produce."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains an unpaired surrogate (character {exc.start}), which is not text"
    return None


def _surrogate_problem(data: Any) -> str | None:
    """The first string (or key) holding half of a surrogate pair, as place and problem; None if none."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if type(value) is str:
            problem = _unpaired_surrogate(value)
            if problem is not None:
                return f"{_place(path)}: {problem}"
        elif type(value) is dict:
            for key, child in value.items():
                problem = _unpaired_surrogate(key)
                if problem is not None:
                    return f"{_place(path)}: a key {problem}"
                stack.append((child, (*path, key)))
        elif type(value) is list:
            stack.extend((child, (*path, i)) for i, child in reversed(list(enumerate(value))))
    return None


# A JSON escape of a surrogate code point; raw text without one cannot hold an unpaired surrogate.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _metadata_problem(value: Any, depth: int) -> str | None:
    if depth > MAX_EXTRA_DEPTH:
        return f"nested more than {MAX_EXTRA_DEPTH} levels deep"
    if isinstance(value, float) and not math.isfinite(value):
        # 1e999 parses as infinity, which JSON cannot write back.
        return "holds a number too large for JSON"
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        problem = _metadata_problem(child, depth + 1)
        if problem is not None:
            return problem
    return None


def _whole_numbers(record: dict[str, Any], kind: str, where: str) -> None:
    for name in _INTEGER_FIELDS[kind]:
        value = record[name]
        if type(value) is not int:
            raise MergeError(f"{where}.{name}: {_expected('an integer', value)}")


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


def _validate(data: Any, steps: Steps, *, may_hold_surrogates: bool = True) -> dict[str, Any]:
    """The schema first (compiled), then what it cannot say.

    ``may_hold_surrogates`` False: the raw file had no surrogate escape, so the walk over every string
    looking for half of a surrogate pair is skipped.
    """
    _check_header(data)
    records = sum(len(data[k]) for k in TOP_LISTS if isinstance(data.get(k), list))
    steps.phase(0, 3, records)
    if not _passes_schema(data):
        import fastjsonschema

        try:
            _schema_check()(data)
        except fastjsonschema.JsonSchemaValueException as exc:
            raise MergeError(_schema_problem(exc, data)) from None
    steps.step()
    if may_hold_surrogates:
        problem = _surrogate_problem(data)
        if problem is not None:
            raise MergeError(problem)
    steps.step()
    for i, doc in enumerate(data["documents"]):
        problem = _metadata_problem(doc["extra"], 0)
        if problem is not None:
            raise MergeError(f"documents[{i}].extra: {problem}")
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
        _whole_numbers(doc, "document", where)
        numbers: set[int] = set()
        for j, line in enumerate(doc["source_lines"]):
            line_where = f"{where}.source_lines[{j}]"
            _whole_numbers(line, "source_line", line_where)
            _check_range(line["start"], line["end"], doc["length"], doc["title"], line_where, ("start", "end"))
            if line["number"] in numbers:
                raise MergeError(f"{line_where}.number: line {line['number']} appears twice")
            numbers.add(line["number"])
        docs[doc["id"]] = doc

    for i, category in enumerate(data["categories"]):
        _whole_numbers(category, "category", f"categories[{i}]")
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
        _whole_numbers(span, "span", where)
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
        _whole_numbers(link, "link", where)
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
