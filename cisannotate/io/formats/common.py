"""What every format of another tool shares: the project read as plain records, and the way back in.

Writers start from the native export with texts (``native_export(store,
with_text=True)``): one dict holding documents, codebook, spans and links, the
same records ``cisannotate export --format json`` writes. Readers build that
same dict with a ``NativeBuilder`` and hand it to the merge, so an import of
any format is checked whole before anything is written, is written in one
transaction, matches documents by their text, and changes nothing the second
time.

Offsets in the records are Unicode code points, end exclusive. A format that
counts otherwise (UTF-16 code units, bytes) converts in its own module.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ...core.model import KINDS, MODES, RELATIONS, TRANSCRIPT
from ...core.segment import segment_transcript
from ...core.text import CONTEXT_CHARS, sha256_text

# A foreign file larger than this is refused before it is read.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Stands for "the file gives no time"; replaced before the merge (see ``fill_times``).
UNKNOWN_TIME = "\0unknown-time"
# Marks a record whose times are the file's best guess (Label Studio keeps one time per layer and text, not per
# span): the project's own times for the same id are kept instead. Removed before the merge.
APPROXIMATE_TIME = "\0approximate-time"
# Colours for categories that a file names without one (the codebook's own palette is kept for known names).
PALETTE = ("#f4a6a6", "#f9d28b", "#b5e3a1", "#a6d8f4", "#d3b5f0", "#f4b6de", "#c8d0d8", "#e7e3a1")
# Names of the GUID namespace used to turn ids into UUIDs where a format wants them.
_UUID_NAMESPACE = uuid.UUID("6f1c1b8e-6a43-4f8e-9a3c-5a0c7d2f1e90")


class FormatError(Exception):
    """A file cannot be read as the format it claims to be; the message says where and why."""


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need besides the bytes."""

    name: str  # the file's name, for messages and as the default layer
    annotator: str | None = None  # the layer to put annotations in when the file names none (or to override)
    offsets: str = "auto"  # Label Studio: "auto", "codepoints" or "utf16"


def stable_id(*parts: Any) -> str:
    """An id derived from its parts: the same annotation read twice gets the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return "x" + digest[:31]


def as_uuid(ident: str) -> str:
    """``ident`` when it already is a UUID (as read back from a format that needs them), else one derived from it."""
    try:
        return str(uuid.UUID(ident))
    except ValueError:
        return str(uuid.uuid5(_UUID_NAMESPACE, ident))


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (a file's optional parts)."""
    return value if isinstance(value, dict) else {}


def slug(value: str) -> str:
    """A name as a token with no spaces (brat types and attribute values, XML-safe names)."""
    out = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in value.strip())
    return out or "_"


def file_names(documents: list[dict[str, Any]]) -> dict[str, str]:
    """A unique file stem for each document: its source file's name, else its title, else its id."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for doc in documents:
        stem = PurePosixPath(doc["source_file"]).stem if doc["source_file"] else doc["title"][:40]
        stem = slug(stem) if stem else doc["id"]
        if stem.lower() in used:
            stem = f"{stem}-{doc['id'][:8]}"
        used.add(stem.lower())
        names[doc["id"]] = stem
    return names


class NativeBuilder:
    """Collects what a reader finds and returns it as a native export (format version 1, with texts).

    Every method checks what it is given and raises FormatError with ``where``
    (a place in the foreign file) on the first problem.
    """

    def __init__(self, default_layer: str) -> None:
        self.default_layer = default_layer
        self._documents: dict[str, dict[str, Any]] = {}  # by sha256
        self._texts: dict[str, str] = {}  # by id
        self._categories: dict[str, dict[str, Any]] = {}  # by name
        self._speakers: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._spans: dict[str, dict[str, Any]] = {}
        self._links: dict[str, dict[str, Any]] = {}
        self._annotators: set[str] = set()

    # ---------------------------------------------------------- documents
    def document(
        self, text: str, *, where: str, kind: str = "article", title: str = "", meta: dict[str, Any] | None = None,
        source_lines: list[dict[str, Any]] | None = None,
    ) -> str:
        """Add a text (or find it, when the file holds it twice); its id in the built records."""
        if not isinstance(text, str):
            raise FormatError(f"{where}: the text is not a string")
        sha = sha256_text(text)
        if sha in self._documents:
            return self._documents[sha]["id"]
        meta = dict(meta or {})
        kind = (kind or "article").strip().lower()
        if kind not in KINDS:
            raise FormatError(f"{where}: unknown kind {kind!r} (expected article or transcript)")
        if source_lines is None and kind == TRANSCRIPT:
            source_lines = [
                {"number": s.number, "start": s.start, "end": s.end, "paragraph": s.paragraph, "speaker": s.speaker}
                for s in segment_transcript(text, str(meta.get("language") or ""))
            ]
        extra = meta.get("extra")
        record: dict[str, Any] = {
            "id": sha[:16],
            "sha256": sha,
            "kind": kind,
            "title": str(title or ""),
            "outlet": str(meta.get("outlet") or ""),
            "date": str(meta.get("date") or ""),
            "event": str(meta.get("event") or ""),
            "language": str(meta.get("language") or ""),
            "url": str(meta.get("url") or ""),
            "source_file": str(meta.get("source_file") or ""),
            "notes": str(meta.get("notes") or ""),
            "extra": as_dict(extra),
            "length": len(text),
            "source_lines": list(source_lines or []),
            "text": text,
        }
        self._documents[sha] = record
        self._texts[record["id"]] = text
        return record["id"]

    def text_of(self, document_id: str) -> str:
        return self._texts[document_id]

    # ----------------------------------------------------------- codebook
    def category(self, name: str, *, where: str, color: str = "", description: str = "", shortcut: str = "") -> str:
        name = _clean_name(name, where, "category")
        if name not in self._categories:
            position = len(self._categories)
            self._categories[name] = {
                "id": stable_id("category", name)[:17], "name": name,
                "color": color if _is_color(color) else PALETTE[position % len(PALETTE)],
                "shortcut": shortcut if len(shortcut) <= 1 else "", "description": description, "position": position,
            }
        return self._categories[name]["id"]

    def speaker(self, name: str, *, where: str, role: str = "") -> str:
        name = _clean_name(name, where, "speaker")
        if name not in self._speakers:
            self._speakers[name] = {"id": stable_id("speaker", name)[:17], "name": name, "role": role}
        elif role and not self._speakers[name]["role"]:
            self._speakers[name]["role"] = role
        return self._speakers[name]["id"]

    def channel(self, name: str, *, where: str) -> str:
        name = _clean_name(name, where, "channel")
        if name not in self._channels:
            self._channels[name] = {"id": stable_id("channel", name)[:17], "name": name}
        return self._channels[name]["id"]

    # -------------------------------------------------------- annotations
    def span(
        self, document_id: str, start: Any, end: Any, *, where: str, id: str | None = None,
        layer: str | None = None, annotator: str | None = None, category: str | None = None,
        speaker: str | None = None, mode: str | None = None, channel: str | None = None, note: str = "",
        no_source: bool = False, created: str | None = None, modified: str | None = None,
        approximate_time: bool = False,
    ) -> str:
        """Add a span; its id (``id`` when given, else one derived from what it is)."""
        text = self.text_of(document_id)
        start, end = _range(start, end, len(text), where)
        if mode is not None and mode not in MODES:
            raise FormatError(f"{where}: unknown attribution mode {mode!r} (expected one of {', '.join(MODES)})")
        layer = layer or self.default_layer
        ident = id or stable_id("span", layer, document_id, start, end, category or "")
        if ident in self._spans:
            raise FormatError(f"{where}: the id {ident!r} is used twice")
        self._annotators.add(annotator or layer)
        self._spans[ident] = {
            "id": ident, "document_id": document_id, "start": start, "end": end,
            **_context(text, start, end, ""),
            "category_id": self.category(category, where=where) if category else None,
            "speaker_id": self.speaker(speaker, where=where) if speaker else None,
            "mode": mode,
            "channel_id": self.channel(channel, where=where) if channel else None,
            "note": note or "", "no_source": bool(no_source), "layer": layer, "annotator": annotator or layer,
            "created": created or UNKNOWN_TIME, "modified": modified or created or UNKNOWN_TIME,
        }
        if approximate_time:
            self._spans[ident][APPROXIMATE_TIME] = True
        return ident

    def has_span(self, span_id: str) -> bool:
        return span_id in self._spans

    def span_record(self, span_id: str) -> dict[str, Any]:
        return self._spans[span_id]

    def link(
        self, span_id: str, target_document_id: str, start: Any, end: Any, relation: str, *, where: str,
        id: str | None = None, note: str = "", layer: str | None = None, annotator: str | None = None,
        created: str | None = None, modified: str | None = None,
    ) -> str:
        if span_id not in self._spans:
            raise FormatError(f"{where}: refers to an annotation {span_id!r} that the file does not hold")
        if relation not in RELATIONS:
            raise FormatError(f"{where}: unknown relation {relation!r} (expected one of {', '.join(RELATIONS)})")
        text = self.text_of(target_document_id)
        start, end = _range(start, end, len(text), where)
        span = self._spans[span_id]
        layer = layer or span["layer"]
        ident = id or stable_id("link", span_id, target_document_id, start, end)
        if ident in self._links:
            raise FormatError(f"{where}: the id {ident!r} is used twice")
        self._annotators.add(annotator or span["annotator"])
        self._links[ident] = {
            "id": ident, "span_id": span_id, "target_document_id": target_document_id,
            "target_start": start, "target_end": end, **_context(text, start, end, "target_"),
            "relation": relation, "note": note or "", "layer": layer, "annotator": annotator or span["annotator"],
            "created": created or span["created"], "modified": modified or created or span["modified"],
        }
        if span.get(APPROXIMATE_TIME) and not created:
            self._links[ident][APPROXIMATE_TIME] = True
        return ident

    def build(self) -> dict[str, Any]:
        return {
            "format": "cisannotate",
            "version": 1,
            "scope": {"annotator": None, "with_text": True},
            "documents": list(self._documents.values()),
            "categories": list(self._categories.values()),
            "speakers": list(self._speakers.values()),
            "channels": list(self._channels.values()),
            "annotators": sorted(self._annotators),
            "spans": list(self._spans.values()),
            "links": list(self._links.values()),
            "reviews": [],
            "comments": [],
        }


def by_key(records: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Records grouped by one field, each group in the records' order (one pass, for writers)."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record[key], []).append(record)
    return groups


def _clean_name(name: Any, where: str, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise FormatError(f"{where}: the {what} has no name")
    return name.strip()


def _is_color(value: str) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[0] == "#" and all(
        c in "0123456789abcdefABCDEF" for c in value[1:]
    )


def _range(start: Any, end: Any, length: int, where: str) -> tuple[int, int]:
    if type(start) is not int or type(end) is not int:
        raise FormatError(f"{where}: offsets must be whole numbers (found {start!r} and {end!r})")
    if not 0 <= start <= end <= length:
        raise FormatError(f"{where}: offsets {start}-{end} lie outside the text ({length} characters)")
    return start, end


def _context(text: str, start: int, end: int, prefix_key: str) -> dict[str, str]:
    return {
        f"{prefix_key}quote": text[start:end],
        f"{prefix_key}prefix": text[max(0, start - CONTEXT_CHARS) : start],
        f"{prefix_key}suffix": text[end : end + CONTEXT_CHARS],
    }


def fill_times(native: dict[str, Any], existing: dict[str, tuple[str, str]], when: str) -> None:
    """Give records without a time the one the project already holds for their id, else ``when``.

    A format without times (brat, doccano) would otherwise make a second import
    of the same file disagree with the first on the time alone.
    """
    for key in ("spans", "links"):
        for record in native[key]:
            known = existing.get(record["id"])
            if record.pop(APPROXIMATE_TIME, False) and known:
                record["created"], record["modified"] = known
            if record["created"] == UNKNOWN_TIME:
                record["created"] = known[0] if known else when
            if record["modified"] == UNKNOWN_TIME:
                record["modified"] = known[1] if known else record["created"]


# ------------------------------------------------------------------ files
def write_bytes_atomic(path: Path, data: bytes, *, protect: Iterable[Path] = ()) -> None:
    """Write ``data`` to ``path`` complete or not at all, never over the project (``protect``),
    a database, a link or a device: the one atomic write, ``storage.atomic.write_atomic``."""
    from ...storage.atomic import write_atomic

    write_atomic(Path(path), data, protect=protect)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` (name -> content) with fixed times, so the same export gives the same bytes."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return out.getvalue()


def read_zip(data: bytes, name: str, *, max_members: int = 100_000) -> dict[str, bytes]:
    """The members of a zip (name -> content), or FormatError naming the file."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            if len(infos) > max_members:
                raise FormatError(f"{name}: holds {len(infos)} files, more than {max_members}")
            total = sum(i.file_size for i in infos)
            if total > MAX_FILE_BYTES:
                raise FormatError(f"{name}: unpacks to {total / 2**20:.0f} MB, more than the limit")
            return {i.filename: archive.read(i) for i in infos}
    except zipfile.BadZipFile as exc:
        raise FormatError(f"{name}: not a readable zip file ({exc})") from exc


def decode_utf8(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{where}: not UTF-8 text (byte {exc.start})") from exc
    return text[1:] if text.startswith("\ufeff") else text
