"""The one JSON layout of every export: sorted keys, one record a line, written by the C encoder."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any

# One encoder for every record: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _c_encoder() -> Callable[[Any], str] | None:
    """The C encoder behind ``_ENCODER.encode``, called directly, or None where there is none.

    ``JSONEncoder.encode`` builds a new C encoder on every call; on 150,000 records that set-up
    was a fifth of the encoding time. Same options, so the same text; checked once here.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    try:
        # No circular-reference markers: records are built from rows and json.loads, never cyclic.
        encode = make(None, _ENCODER.default, json.encoder.encode_basestring, None,
                      _ENCODER.key_separator, _ENCODER.item_separator, True, False, True)

        def compact(value: Any) -> str:
            return "".join(encode(value, 0))

        probe = {"b": [1, 2.5, None, True, "é\n\"\u2028"], "a": {"z": "", "y": -3}}
        return compact if compact(probe) == _ENCODER.encode(probe) else None
    except Exception:  # another Python's private API: fall back to the public one
        return None


# One record (any JSON value) as compact text with sorted keys.
encode_record: Callable[[Any], str] = _c_encoder() or _ENCODER.encode


def dumps(value: dict[str, Any]) -> str:
    """The one JSON layout of every export: a top-level object with sorted keys, one record a line.

    Each top-level list puts one record on a line (indented by four spaces),
    so a diff of two exports shows which annotations changed, and the record
    is written by the json module's C encoder (an indented dump runs the
    pure-Python encoder, several times slower on 100,000 annotations).
    Non-ASCII text is written as UTF-8, not escaped; the file ends with a newline.
    """
    compact = encode_record
    parts = ["{\n"]
    for n, key in enumerate(sorted(value)):
        item = value[key]
        parts.append(f",\n  {compact(key)}: " if n else f"  {compact(key)}: ")
        if isinstance(item, EncodedRecords):
            parts.append("[\n    " + ",\n    ".join(item) + "\n  ]" if item else "[]")
        elif isinstance(item, list) and item:
            parts.append("[\n    ")
            parts.append(",\n    ".join([compact(record) for record in item]))
            parts.append("\n  ]")
        else:
            parts.append(compact(item))
    parts.append("\n}\n")
    return "".join(parts)


class EncodedRecords(list[str]):
    """A top-level list whose records are already text (``encode_columns``): ``dumps`` writes
    them as they are, one a line, as it writes the records of a list."""


_encode_string = json.encoder.encode_basestring  # the C function the encoder uses for a str
_BOOLEANS = ("false", "true")


def _encode_column(values: Sequence[Any]) -> list[str]:
    """Each value as ``encode_record`` writes it: strings, integers and booleans a column at a
    time by the functions the C encoder itself calls for them, anything else one by one."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return list(map(_encode_string, values))
    if kinds <= {int}:
        return list(map(int.__repr__, values))
    if kinds <= {bool}:
        return [_BOOLEANS[v] for v in values]
    if kinds <= {str, type(None)}:
        return ["null" if v is None else _encode_string(v) for v in values]
    return list(map(encode_record, values))


def encode_columns(columns: dict[str, Sequence[Any]]) -> list[str]:
    """The records whose fields are ``columns`` (name: the values of every record, in order),
    each as ``encode_record`` writes a dict of them: the same text, built a column at a time.

    Encoding 10,000 records as dicts was most of an export; here each column is encoded by one
    call over all its values, and each record is joined from its encoded values and the text
    between them (the keys and separators, the same for every record), in one C-level pass.
    """
    keys = sorted(columns)
    if not keys:
        return []
    pieces: list[Iterable[str]] = []
    for n, key in enumerate(keys):
        pieces.append(repeat(("{" if n == 0 else ", ") + encode_record(key) + ": "))
        pieces.append(_encode_column(columns[key]))
    pieces.append(repeat("}"))
    return list(map("".join, zip(*pieces)))
