"""doccano: JSON Lines for sequence labelling, one text a line.

Written: one line per document and layer, ``{"text": ..., "label": [[start,
end, "Category"], ...]}`` as doccano's sequence-labelling import expects, with
the document's metadata and the layer (``annotator``) as further keys, which
doccano keeps as the example's metadata. The labels carry categories only;
what doccano has no place for (speaker, mode, channel, note, no source, links,
spans without a category) rides along in a ``cisannotate`` key, one record per
span. Offsets are code points, as doccano counts them.

Read: the ``label`` triples (or the relation-extraction layout's ``entities``
with ``start_offset``/``end_offset``). A span of the ``cisannotate`` key
keeps its tags and links when doccano still holds its label (same offsets and
category); a label added in doccano comes in as a plain claim; a label deleted
there stays deleted. The layer is the line's ``annotator`` key, else the name
given to the import, else the file's name (doccano names each user's export
after the user).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .common import FormatError, NativeBuilder, ReadOptions, by_key

NAME = "doccano"
SUFFIX = ".jsonl"
LABEL = "doccano JSONL"
_META = ("outlet", "date", "event", "language", "url", "source_file", "notes")


def write(project: dict[str, Any]) -> bytes:
    categories = {c["id"]: c["name"] for c in project["categories"]}
    speakers = {s["id"]: s["name"] for s in project["speakers"]}
    roles = {s["id"]: s["role"] for s in project["speakers"]}
    channels = {c["id"]: c["name"] for c in project["channels"]}
    links_by_span: dict[str, list[dict[str, Any]]] = {}
    for link in project["links"]:
        links_by_span.setdefault(link["span_id"], []).append(link)
    spans_by_doc = by_key(project["spans"], "document_id")
    lines = []
    number = 0
    for doc in project["documents"]:
        layers = by_key(spans_by_doc.get(doc["id"], []), "layer")
        for layer, spans in sorted(layers.items()) or [(None, [])]:
            number += 1
            record: dict[str, Any] = {"id": number, "text": doc["text"], "document_id": doc["id"],
                                      "title": doc["title"], "kind": doc["kind"]}
            record.update({k: doc[k] for k in _META if doc[k]})
            if layer is not None:
                record["annotator"] = layer
            record["label"] = [[s["start"], s["end"], categories[s["category_id"]]]
                               for s in spans if s["category_id"]]
            record["cisannotate"] = [
                {
                    "id": s["id"], "start": s["start"], "end": s["end"],
                    "category": categories[s["category_id"]] if s["category_id"] else None,
                    "speaker": speakers[s["speaker_id"]] if s["speaker_id"] else None,
                    "speaker_role": roles[s["speaker_id"]] if s["speaker_id"] and roles[s["speaker_id"]] else None,
                    "mode": s["mode"],
                    "channel": channels[s["channel_id"]] if s["channel_id"] else None,
                    "note": s["note"], "no_source": s["no_source"], "annotator": s["annotator"],
                    "created": s["created"], "modified": s["modified"],
                    "links": [
                        {"id": k["id"], "document_id": k["target_document_id"], "start": k["target_start"],
                         "end": k["target_end"], "relation": k["relation"], "note": k["note"],
                         "created": k["created"], "modified": k["modified"]}
                        for k in links_by_span.get(s["id"], [])
                    ],
                }
                for s in spans
            ]
            lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def looks_like(record: Any) -> bool:
    return isinstance(record, dict) and isinstance(record.get("text"), str) and (
        "label" in record or "entities" in record or "labels" in record
    )


def _labels(record: dict[str, Any], where: str) -> list[tuple[Any, Any, Any]]:
    out: list[tuple[Any, Any, Any]] = []  # (start, end, label) as the file gives them; the builder checks them
    if isinstance(record.get("entities"), list):
        for k, entity in enumerate(record["entities"]):
            if not isinstance(entity, dict):
                raise FormatError(f"{where}: entities[{k}] is not an object")
            out.append((entity.get("start_offset"), entity.get("end_offset"), entity.get("label")))
        return out
    labels = record.get("label", record.get("labels", []))
    if not isinstance(labels, list):
        raise FormatError(f"{where}: label is not a list")
    for k, item in enumerate(labels):
        if isinstance(item, str):
            continue  # text classification: a label for the whole text, nothing to place
        if not isinstance(item, list) or len(item) != 3:
            raise FormatError(f"{where}: label[{k}] is not [start, end, label]")
        out.append((item[0], item[1], item[2]))
    return out


def read(data: bytes, options: ReadOptions) -> dict[str, Any]:
    name = options.name
    try:
        text_lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise FormatError(f"{name}: not UTF-8 text (byte {exc.start})") from exc
    builder = NativeBuilder(options.annotator or Path(name).stem or "imported")
    doc_refs: dict[str, str] = {}
    pending: list[tuple[str, dict[str, Any], str]] = []
    for n, raw in enumerate(text_lines, start=1):
        if not raw.strip():
            continue
        where = f"{name}: line {n}"
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from exc
        if not looks_like(record):
            raise FormatError(f"{where}: expected an object with text and label (doccano sequence labelling)")
        meta = {k: record.get(k) for k in _META}
        doc_id = builder.document(record["text"], where=where, kind=str(record.get("kind") or "article"),
                                  title=str(record.get("title") or ""), meta=meta)
        doc_refs[doc_id] = doc_id
        if isinstance(record.get("document_id"), str):
            doc_refs[record["document_id"]] = doc_id
        layer = options.annotator or (record.get("annotator") if isinstance(record.get("annotator"), str)
                                      and record["annotator"].strip() else None) or builder.default_layer
        labels = _labels(record, where)
        label_keys = {item for item in labels if all(isinstance(x, (int, str)) for x in item)}
        extras = record.get("cisannotate") if isinstance(record.get("cisannotate"), list) else []
        kept: set[tuple[Any, Any, Any]] = set()
        for k, extra in enumerate(extras):
            if not isinstance(extra, dict):
                raise FormatError(f"{where}: cisannotate[{k}] is not an object")
            key = (extra.get("start"), extra.get("end"), extra.get("category"))
            if extra.get("category") is not None and key not in label_keys:
                continue  # its label was deleted in doccano
            kept.add(key)
            if isinstance(extra.get("speaker"), str) and isinstance(extra.get("speaker_role"), str):
                builder.speaker(extra["speaker"], where=f"{where}: cisannotate[{k}]", role=extra["speaker_role"])
            span_id = builder.span(
                doc_id, extra.get("start"), extra.get("end"), where=f"{where}: cisannotate[{k}]",
                id=_text(extra.get("id")), layer=layer,
                annotator=_text(extra.get("annotator")) if not options.annotator else None,
                category=extra.get("category"), speaker=extra.get("speaker"), mode=extra.get("mode"),
                channel=extra.get("channel"), note=_text(extra.get("note")) or "",
                no_source=extra.get("no_source") is True, created=_text(extra.get("created")),
                modified=_text(extra.get("modified")),
            )
            for m, link in enumerate(extra.get("links") or []):
                pending.append((span_id, link, f"{where}: cisannotate[{k}].links[{m}]"))
        for k, (start, end, label) in enumerate(labels):
            if (start, end, label) in kept:
                continue
            builder.span(doc_id, start, end, where=f"{where}: label[{k}]", layer=layer, category=label)
    for span_id, link, where in pending:
        if not isinstance(link, dict) or link.get("document_id") not in doc_refs:
            raise FormatError(f"{where}: names no document of the file")
        relation: Any = link.get("relation")  # the builder checks it
        builder.link(span_id, doc_refs[link["document_id"]], link.get("start"), link.get("end"),
                     relation, where=where, id=_text(link.get("id")), note=_text(link.get("note")) or "",
                     created=_text(link.get("created")), modified=_text(link.get("modified")))
    return builder.build()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
