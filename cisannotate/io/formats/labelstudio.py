"""Label Studio: the JSON list of tasks that Label Studio exports and imports.

One task per document (its text in ``data.text``, its metadata beside it), one
annotation per layer (``completed_by`` names the annotator), and in each
annotation one region per span: a ``labels`` result for the category, and
per-region results with the same region id for the speaker and channel
(``textarea``), the attribution mode (``choices``), the note (``textarea``),
and the links (``textarea`` "source", one line per link: ``DOCUMENT-ID
START-END RELATION``, then a tab and the link's note on one line, if any). Label Studio's relations join regions of one task only,
so links to another document are written as those per-region lines; the
labelling configuration in docs/formats.md shows the project set-up that
displays all of it.

Offsets: older Label Studio versions counted UTF-16 code units (JavaScript
string positions); current versions count code points. ``offsets="utf16"`` writes the
old way; reading detects which one a file uses, region by region, by checking
the region's ``text`` against the document.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...core.text import Utf16Map
from .common import FormatError, NativeBuilder, ReadOptions, by_key, as_dict

NAME = "labelstudio"
SUFFIX = ".json"
LABEL = "Label Studio JSON"
OFFSET_CHOICES = ("codepoints", "utf16")
TO_NAME = "text"
_SOURCE_LINE = re.compile(r"^\s*(\S+)\s+(\d+)-(\d+)\s+([^\t]+?)\s*(?:\t(.*))?$")


def write(project: dict[str, Any], *, offsets: str = "codepoints") -> bytes:
    if offsets not in OFFSET_CHOICES:
        raise ValueError(f"offsets must be one of {', '.join(OFFSET_CHOICES)}")
    categories = {c["id"]: c["name"] for c in project["categories"]}
    speakers = {s["id"]: s["name"] for s in project["speakers"]}
    roles = {s["name"]: s["role"] for s in project["speakers"] if s["role"]}
    channels = {c["id"]: c["name"] for c in project["channels"]}
    links_by_span: dict[str, list[dict[str, Any]]] = {}
    for link in project["links"]:
        links_by_span.setdefault(link["span_id"], []).append(link)

    spans_by_doc = by_key(project["spans"], "document_id")
    tasks = []
    for number, doc in enumerate(project["documents"], start=1):
        text = doc["text"]
        convert = Utf16Map(text).to_utf16 if offsets == "utf16" else (lambda n: n)
        layers = by_key(spans_by_doc.get(doc["id"], []), "layer")
        annotations: list[dict[str, Any]] = []
        for layer, spans in sorted(layers.items()):
            results: list[dict[str, Any]] = []
            for span in spans:
                value = {"start": convert(span["start"]), "end": convert(span["end"]), "text": span["quote"]}

                def region(from_name: str, kind: str, extra: dict[str, Any], span=span, value=value) -> None:
                    results.append({"id": span["id"], "from_name": from_name, "to_name": TO_NAME, "type": kind,
                                    "origin": "manual", "value": {**value, **extra}})

                region("category", "labels",
                       {"labels": [categories[span["category_id"]]] if span["category_id"] else []})
                if span["speaker_id"]:
                    region("speaker", "textarea", {"text": [speakers[span["speaker_id"]]]})
                if span["mode"]:
                    region("mode", "choices", {"choices": [span["mode"]]})
                if span["channel_id"]:
                    region("channel", "textarea", {"text": [channels[span["channel_id"]]]})
                if span["no_source"]:
                    region("no_source", "choices", {"choices": ["no source"]})
                if span["note"]:
                    region("note", "textarea", {"text": [span["note"]]})
                links = links_by_span.get(span["id"], [])
                if links:
                    region("source", "textarea", {"text": [
                        f"{k['target_document_id']} {k['target_start']}-{k['target_end']} {k['relation']}"
                        + (f"\t{' '.join(k['note'].split())}" if k["note"] else "")
                        for k in links
                    ]})
            created = min(s["created"] for s in spans)
            updated = max(s["modified"] for s in spans)
            annotations.append({"id": len(annotations) + 1, "completed_by": {"email": layer},
                                "created_username": layer, "created_at": created, "updated_at": updated,
                                "result": results, "was_cancelled": False, "ground_truth": False})
        data = {"text": text, "title": doc["title"], "kind": doc["kind"], "document_id": doc["id"]}
        data.update({k: doc[k] for k in ("outlet", "date", "event", "language", "url", "source_file", "notes") if doc[k]})
        named = {speakers[s["speaker_id"]] for s in spans_by_doc.get(doc["id"], []) if s["speaker_id"]}
        if named & roles.keys():
            data["speaker_roles"] = {name: roles[name] for name in sorted(named & roles.keys())}
        tasks.append({"id": number, "data": data, "annotations": annotations, "predictions": [],
                      "meta": {"offsets": offsets}})
    return (json.dumps(tasks, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def looks_like(data: Any) -> bool:
    return (
        isinstance(data, list) and bool(data) and isinstance(data[0], dict)
        and isinstance(data[0].get("data"), dict)
        and any(k in data[0] for k in ("annotations", "completions", "predictions"))
    )


def _annotator(annotation: dict[str, Any], fallback: str) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        for key in ("email", "username", "first_name"):
            if isinstance(who.get(key), str) and who[key].strip():
                return who[key].strip()
    if isinstance(annotation.get("created_username"), str) and annotation["created_username"].strip():
        # "name, 3" in some versions: the name before the user number
        return annotation["created_username"].split(",")[0].strip() or fallback
    if isinstance(who, str) and who.strip():
        return who.strip()
    return fallback


def _locate(text: str, utf16: Utf16Map, value: dict[str, Any], offsets: str, where: str) -> tuple[int, int]:
    start, end = value.get("start"), value.get("end")
    if type(start) is not int or type(end) is not int:
        raise FormatError(f"{where}: value.start and value.end must be whole numbers")
    quote = value.get("text")
    as_points = (start, end)
    as_units = (utf16.from_utf16(start), utf16.from_utf16(end))
    candidates = {"codepoints": [as_points], "utf16": [as_units]}.get(offsets, [as_points, as_units])
    if not isinstance(quote, str):
        return candidates[0]
    for first, last in candidates:
        if 0 <= first <= last <= len(text) and text[first:last] == quote:
            return first, last
    counted = {"codepoints": "in code points", "utf16": "in UTF-16 units"}.get(
        offsets, "either in code points or in UTF-16 units")
    raise FormatError(
        f"{where}: the region's text {json.dumps(quote[:60], ensure_ascii=False)} is not at {start}-{end} "
        f"counted {counted}"
    )


def read(data: bytes, options: ReadOptions) -> dict[str, Any]:
    name = options.name
    try:
        tasks = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"{name}: not a JSON file ({exc})") from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise FormatError(f"{name}: expected a list of Label Studio tasks")
    builder = NativeBuilder(options.annotator or _stem(name))
    pending_links: list[tuple[str, str, str]] = []  # (span id, source line, where)
    doc_refs: dict[str, str] = {}  # a document's id in the file (data.document_id) or here -> its id here
    for i, task in enumerate(tasks):
        where = f"{name}: task {i + 1}"
        payload = task.get("data")
        if not isinstance(payload, dict):
            raise FormatError(f"{where}: has no data object")
        text = payload.get("text")
        if not isinstance(text, str):
            strings = [k for k, v in payload.items() if isinstance(v, str)]
            raise FormatError(f"{where}: data.text is missing (the task's text fields are {', '.join(strings) or 'none'})")
        meta = {k: payload.get(k) for k in ("outlet", "date", "event", "language", "url", "source_file", "notes")}
        doc_id = builder.document(text, where=where, kind=str(payload.get("kind") or "article"),
                                  title=str(payload.get("title") or ""), meta=meta)
        doc_refs[doc_id] = doc_id
        roles = as_dict(payload.get("speaker_roles"))
        for speaker, role in roles.items():
            if isinstance(speaker, str) and isinstance(role, str):
                builder.speaker(speaker, where=where, role=role)
        if isinstance(payload.get("document_id"), str):
            doc_refs[payload["document_id"]] = doc_id
        utf16 = Utf16Map(text)
        annotations = task.get("annotations", task.get("completions", []))
        if not isinstance(annotations, list):
            raise FormatError(f"{where}: annotations is not a list")
        for j, annotation in enumerate(annotations):
            if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
                continue
            layer = options.annotator or _annotator(annotation, builder.default_layer)
            created = annotation.get("created_at") if isinstance(annotation.get("created_at"), str) else None
            modified = annotation.get("updated_at") if isinstance(annotation.get("updated_at"), str) else None
            regions: dict[str, dict[str, Any]] = {}
            results = annotation.get("result", [])
            if not isinstance(results, list):
                raise FormatError(f"{where}, annotation {j + 1}: result is not a list")
            for k, result in enumerate(results):
                rwhere = f"{where}, annotation {j + 1}, result {k + 1}"
                if not isinstance(result, dict) or result.get("type") == "relation":
                    continue
                value = result.get("value")
                if not isinstance(value, dict) or "start" not in value:
                    continue  # a whole-task choice: nothing to place
                start, end = _locate(text, utf16, value, options.offsets, rwhere)
                rid = str(result.get("id") or f"{i}.{j}.{k}")
                region = regions.setdefault(rid, {"start": start, "end": end, "where": rwhere})
                kind = result.get("type")
                field = str(result.get("from_name") or "")
                if kind in ("labels", "hypertextlabels") or field == "category":
                    labels = value.get("labels") or value.get(kind) or []
                    if labels:
                        region["category"] = str(labels[0])
                elif kind == "choices":
                    choices = value.get("choices") or []
                    if field == "mode" and choices:
                        region["mode"] = str(choices[0])
                    elif field == "no_source" and choices:
                        region["no_source"] = True
                elif kind == "textarea":
                    lines = [str(t) for t in value.get("text") or []]
                    if field in ("speaker", "channel") and lines:
                        region[field] = lines[0]
                    elif field == "note":
                        region["note"] = "\n".join(lines)
                    elif field == "source":
                        region["source"] = lines
            for rid, region in regions.items():
                ident = rid if not builder.has_span(rid) else None
                span_id = builder.span(
                    doc_id, region["start"], region["end"], where=region["where"], id=ident, layer=layer,
                    category=region.get("category"), speaker=region.get("speaker"), mode=region.get("mode"),
                    channel=region.get("channel"), note=region.get("note", ""),
                    no_source=region.get("no_source", False), created=created, modified=modified,
                    approximate_time=True,
                )
                pending_links.extend((span_id, line, region["where"]) for line in region.get("source", []))
    for span_id, line, where in pending_links:
        match = _SOURCE_LINE.match(line)
        if match is None or match.group(1) not in doc_refs:
            raise FormatError(f"{where}: source {line!r} is not DOCUMENT-ID START-END RELATION "
                              "naming a document of the file")
        builder.link(span_id, doc_refs[match.group(1)], int(match.group(2)), int(match.group(3)), match.group(4),
                     where=where, note=match.group(5) or "")
    return builder.build()


def _stem(name: str) -> str:
    from pathlib import Path

    return Path(name).stem or "imported"
