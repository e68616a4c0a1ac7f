"""brat standoff: a ``.txt`` and an ``.ann`` file per document, zipped.

Written: one folder per layer (a brat collection per annotator), each holding
every document as ``NAME.txt`` (the text, UTF-8) and ``NAME.ann``:

- a claim is a text-bound annotation ``T1<TAB>Category START END<TAB>text``
  whose type is the category's name with spaces as ``_`` (a span without a
  category has the type ``Tag``); a span over a line break is written as
  fragments (``START END;START END``), as brat requires;
- speaker, attribution mode and channel are attributes
  (``A1<TAB>Speaker T1 Ilse_Marrow``; values with spaces as ``_``), *no
  source* a binary attribute ``NoSource``;
- a span's note is an ``AnnotatorNotes`` comment (``#1``), on one line.

``annotation.conf`` and ``visual.conf`` at the root declare the types,
attributes and colours, so brat shows the collections as they are. brat has
no links between documents: links go to the companion file ``links.tsv`` in
each layer's folder (claim's file and T-id, source document's file, start,
end, relation, note). ``cisannotate.json`` at the root keeps what the brat
files cannot spell (names with spaces, ids, times, document metadata), so a
collection comes back unchanged; without it, names are read from the types
and values with ``_`` as spaces.

Offsets are code points, as brat (written in Python) counts them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import PurePosixPath
from typing import Any

from ...core.model import MODES
from .common import FormatError, NativeBuilder, ReadOptions, by_key, decode_utf8, read_zip, file_names, slug, zip_bytes, as_dict

NAME = "brat"
SUFFIX = ".zip"
LABEL = "brat standoff"
UNCATEGORISED = "Tag"
COMPANION = "cisannotate.json"
LINKS_FILE = "links.tsv"
LINK_COLUMNS = ("file", "claim", "source_file", "start", "end", "relation", "note")
_ATTRIBUTES = (("Speaker", "speaker_id"), ("Mode", "mode"), ("Channel", "channel_id"))


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start``-``end`` cut at line breaks (brat's text-bound annotations stay on one line each)."""
    pieces, at = [], start
    while at < end:
        stop = text.find("\n", at, end)
        stop = end if stop < 0 else stop
        if stop > at:
            pieces.append((at, stop))
        at = stop + 1
    return pieces or [(start, end)]


def write(project: dict[str, Any]) -> bytes:
    categories = {c["id"]: c for c in project["categories"]}
    values = {
        "speaker_id": {s["id"]: s["name"] for s in project["speakers"]},
        "channel_id": {c["id"]: c["name"] for c in project["channels"]},
        "mode": {m: m for m in MODES},
    }
    names = file_names(project["documents"])
    layers = sorted({s["layer"] for s in project["spans"]}) or ["documents"]
    links_by_span: dict[str, list[dict[str, Any]]] = {}
    for link in project["links"]:
        links_by_span.setdefault(link["span_id"], []).append(link)

    grouped = {key: by_key(group, "document_id") for key, group in by_key(project["spans"], "layer").items()}
    members: dict[str, bytes] = {}
    companion_spans: dict[str, dict[str, Any]] = {}
    for layer in layers:
        folder = slug(layer)
        link_rows = []
        for doc in project["documents"]:
            text = doc["text"]
            spans = sorted(grouped.get(layer, {}).get(doc["id"], []),
                           key=lambda s: (s["start"], s["end"], s["id"]))
            out: list[str] = []
            attribute = note_number = 0
            for number, span in enumerate(spans, start=1):
                tid = f"T{number}"
                kind = slug(categories[span["category_id"]]["name"]) if span["category_id"] else UNCATEGORISED
                pieces = _fragments(text, span["start"], span["end"])
                where = ";".join(f"{a} {b}" for a, b in pieces)
                out.append(f"{tid}\t{kind} {where}\t{' '.join(text[a:b] for a, b in pieces)}")
                for label, key in _ATTRIBUTES:
                    if span[key]:
                        attribute += 1
                        out.append(f"A{attribute}\t{label} {tid} {slug(values[key][span[key]])}")
                if span["no_source"]:
                    attribute += 1
                    out.append(f"A{attribute}\tNoSource {tid}")
                if span["note"]:
                    note_number += 1
                    out.append(f"#{note_number}\tAnnotatorNotes {tid}\t{_one_line(span['note'])}")
                companion_spans[f"{folder}/{names[doc['id']]}/{tid}"] = {
                    "id": span["id"], "annotator": span["annotator"], "created": span["created"],
                    "modified": span["modified"], "note": span["note"],
                }
                for link in links_by_span.get(span["id"], []):
                    link_rows.append({
                        "file": names[doc["id"]], "claim": tid, "source_file": names[link["target_document_id"]],
                        "start": link["target_start"], "end": link["target_end"], "relation": link["relation"],
                        "note": _one_line(link["note"]),
                    })
            members[f"{folder}/{names[doc['id']]}.txt"] = text.encode("utf-8")
            members[f"{folder}/{names[doc['id']]}.ann"] = ("".join(line + "\n" for line in out)).encode("utf-8")
        table = io.StringIO()
        writer = csv.DictWriter(table, fieldnames=LINK_COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(link_rows)
        members[f"{folder}/{LINKS_FILE}"] = table.getvalue().encode("utf-8")

    members["annotation.conf"] = _annotation_conf(project, values).encode("utf-8")
    members["visual.conf"] = _visual_conf(project).encode("utf-8")
    companion = {
        "format": "cisannotate-brat",
        "version": 1,
        "layers": {slug(layer): layer for layer in layers},
        "documents": {
            names[d["id"]]: {k: d[k] for k in ("id", "kind", "title", "outlet", "date", "event", "language", "url",
                                                "source_file", "notes")}
            for d in project["documents"]
        },
        "categories": {slug(c["name"]): {k: c[k] for k in ("name", "color", "description", "shortcut")}
                       for c in project["categories"]},
        "speakers": {slug(s["name"]): {"name": s["name"], "role": s["role"]} for s in project["speakers"]},
        "channels": {slug(c["name"]): c["name"] for c in project["channels"]},
        "spans": companion_spans,
    }
    members[COMPANION] = (json.dumps(companion, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    return zip_bytes(members)


def _one_line(value: str) -> str:
    return " ".join(value.replace("\t", " ").splitlines())


def _annotation_conf(project: dict[str, Any], values: dict[str, dict[str, str]]) -> str:
    types = [slug(c["name"]) for c in sorted(project["categories"], key=lambda c: c["position"])] + [UNCATEGORISED]
    lines = ["# Written by cisannotate: claim categories, and the speaker tag as attributes.", "[entities]", *types,
             "[relations]", "", "[events]", "", "[attributes]"]
    for label, key in _ATTRIBUTES:
        options = sorted({slug(v) for v in values[key].values()})
        if options:
            lines.append(f"{label}\tArg:<ENTITY>, Value:{'|'.join(options)}")
    lines.append("NoSource\tArg:<ENTITY>")
    return "\n".join(lines) + "\n"


def _visual_conf(project: dict[str, Any]) -> str:
    lines = ["[labels]"]
    lines += [f"{slug(c['name'])} | {c['name']}" for c in project["categories"]]
    lines += ["[drawing]"]
    lines += [f"{slug(c['name'])}\tbgColor:{c['color']}" for c in project["categories"]]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- reading
def read(data: bytes, options: ReadOptions) -> dict[str, Any]:
    return read_members(read_zip(data, options.name), options)


def _parse_ann(content: str, where: str) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, str | None]],
                                                    dict[str, str]]:
    """Text-bound annotations (by T-id), attributes (name, T-id, value) and notes (by T-id) of an .ann file."""
    spans: dict[str, dict[str, Any]] = {}
    attributes: list[tuple[str, str, str | None]] = []
    notes: dict[str, str] = {}
    for n, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        lwhere = f"{where}, line {n}"
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T"):
            if len(fields) < 2:
                raise FormatError(f"{lwhere}: a text-bound annotation needs TYPE START END")
            kind, _, ranges = fields[1].partition(" ")
            try:
                pieces = [tuple(int(x) for x in part.split()) for part in ranges.split(";")]
                if not pieces or any(len(p) != 2 for p in pieces):
                    raise ValueError
            except ValueError:
                raise FormatError(f"{lwhere}: {fields[1]!r} is not TYPE START END") from None
            spans[ident] = {"type": kind, "start": min(p[0] for p in pieces), "end": max(p[1] for p in pieces),
                            "where": lwhere}
        elif ident.startswith(("A", "M")):
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) < 2:
                raise FormatError(f"{lwhere}: an attribute needs NAME TARGET [VALUE]")
            attributes.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None))
        elif ident.startswith("#"):
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) >= 2 and parts[0] == "AnnotatorNotes":
                notes[parts[1]] = fields[2] if len(fields) > 2 else ""
        # relations (R), events (E), equivalences (*) and normalisations (N) have no counterpart: left out
    return spans, attributes, notes


def read_members(members: dict[str, bytes], options: ReadOptions) -> dict[str, Any]:
    name = options.name
    companion: dict[str, Any] = {}
    for member, content in members.items():
        if PurePosixPath(member).name == COMPANION:
            try:
                companion = json.loads(decode_utf8(content, f"{name}: {member}"))
            except json.JSONDecodeError as exc:
                raise FormatError(f"{name}: {member} is not JSON ({exc.msg})") from exc
            if not isinstance(companion, dict):
                raise FormatError(f"{name}: {member} is not a JSON object")
            break
    anns = sorted(m for m in members if m.endswith(".ann"))
    if not anns:
        raise FormatError(f"{name}: holds no .ann file (a brat collection has NAME.txt and NAME.ann per document)")
    builder = NativeBuilder(options.annotator or PurePosixPath(name).stem or "imported")
    c_docs = as_dict(companion.get("documents"))
    c_cats = as_dict(companion.get("categories"))
    c_speakers = as_dict(companion.get("speakers"))
    c_channels = as_dict(companion.get("channels"))
    c_layers = as_dict(companion.get("layers"))
    c_spans = as_dict(companion.get("spans"))
    for slugged, record in c_cats.items():
        if isinstance(record, dict) and isinstance(record.get("name"), str):
            builder.category(record["name"], where=f"{name}: {COMPANION}", color=str(record.get("color") or ""),
                             description=str(record.get("description") or ""),
                             shortcut=str(record.get("shortcut") or ""))
    modes = {slug(m): m for m in MODES}

    def unslug(value: str) -> str:
        return value.replace("_", " ")

    # By folder: the layer, the documents (stem -> builder id), the span ids by (stem, T-id).
    folders: dict[str, dict[str, Any]] = {}
    for member in anns:
        path = PurePosixPath(member)
        folder = str(path.parent) if str(path.parent) != "." else ""
        stem = path.stem
        where = f"{name}: {member}"
        txt_name = str(path.with_suffix(".txt"))
        if txt_name not in members:
            raise FormatError(f"{where}: no {path.with_suffix('.txt').name} beside it holds its text")
        text = decode_utf8(members[txt_name], f"{name}: {txt_name}")
        meta = as_dict(c_docs.get(stem))
        doc_id = builder.document(text, where=where, kind=str(meta.get("kind") or "article"),
                                  title=str(meta.get("title") or stem), meta=meta)
        base = PurePosixPath(folder).name if folder else ""
        layer = options.annotator or (c_layers.get(base) if isinstance(c_layers.get(base), str) else None) \
            or base or builder.default_layer
        state = folders.setdefault(folder, {"layer": layer, "documents": {}, "spans": {}})
        state["documents"][stem] = doc_id
        spans, attributes, notes = _parse_ann(decode_utf8(members[member], where), where)
        tags: dict[str, dict[str, Any]] = {tid: {} for tid in spans}
        for attr, target, value in attributes:
            if target not in tags:
                continue
            if attr == "NoSource":
                tags[target]["no_source"] = True
            elif attr == "Speaker" and value:
                record = c_speakers.get(value)
                tags[target]["speaker"] = record["name"] if isinstance(record, dict) else unslug(value)
                if isinstance(record, dict):
                    builder.speaker(record["name"], where=where, role=str(record.get("role") or ""))
            elif attr == "Mode" and value:
                if value not in modes:
                    raise FormatError(f"{where}: unknown attribution mode {value!r} "
                                      f"(expected one of {', '.join(modes)})")
                tags[target]["mode"] = modes[value]
            elif attr == "Channel" and value:
                tags[target]["channel"] = c_channels.get(value) if isinstance(c_channels.get(value), str) \
                    else unslug(value)
        for tid, span in spans.items():
            extra = c_spans.get(f"{base}/{stem}/{tid}") if base else c_spans.get(f"/{stem}/{tid}")
            extra = as_dict(extra)
            note = notes.get(tid, "")
            if extra.get("note") and _one_line(str(extra["note"])) == note:
                note = str(extra["note"])
            kind = span["type"]
            category = None
            if kind != UNCATEGORISED:
                record = c_cats.get(kind)
                category = record["name"] if isinstance(record, dict) and isinstance(record.get("name"), str) \
                    else unslug(kind)
            ident = extra.get("id") if isinstance(extra.get("id"), str) else None
            same = ident is not None and builder.has_span(ident)
            state["spans"][(stem, tid)] = builder.span(
                doc_id, span["start"], span["end"], where=span["where"], id=None if same else ident, layer=layer,
                annotator=None if options.annotator or not isinstance(extra.get("annotator"), str)
                else extra["annotator"],
                category=category, note=note, created=_str(extra.get("created")), modified=_str(extra.get("modified")),
                **tags[tid],
            )

    for folder, state in folders.items():
        member = f"{folder}/{LINKS_FILE}" if folder else LINKS_FILE
        if member not in members:
            continue
        where = f"{name}: {member}"
        rows = csv.DictReader(io.StringIO(decode_utf8(members[member], where)), delimiter="\t")
        missing = set(LINK_COLUMNS[:6]) - set(rows.fieldnames or [])
        if missing:
            raise FormatError(f"{where}: missing the columns {', '.join(sorted(missing))}")
        for n, row in enumerate(rows, start=2):
            rwhere = f"{where}, line {n}"
            span_id = state["spans"].get((row["file"], row["claim"]))
            if span_id is None:
                raise FormatError(f"{rwhere}: no annotation {row['claim']} in {row['file']}.ann")
            target = state["documents"].get(row["source_file"])
            if target is None:
                raise FormatError(f"{rwhere}: no document {row['source_file']}.txt in the collection")
            try:
                start, end = int(row["start"]), int(row["end"])
            except (TypeError, ValueError):
                raise FormatError(f"{rwhere}: start and end must be whole numbers") from None
            builder.link(span_id, target, start, end, row["relation"], where=rwhere, note=row.get("note") or "")
    return builder.build()


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
