"""The one JSON layout of every export: sorted keys, one record a line, written by the C encoder."""

from __future__ import annotations

import json
from collections.abc import Callable
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
        if isinstance(item, list) and item:
            parts.append("[\n    ")
            parts.append(",\n    ".join([compact(record) for record in item]))
            parts.append("\n  ]")
        else:
            parts.append(compact(item))
    parts.append("\n}\n")
    return "".join(parts)
