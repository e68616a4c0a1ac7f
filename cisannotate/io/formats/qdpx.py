"""REFI-QDA project exchange (``.qdpx``): the format MAXQDA, ATLAS.ti, NVivo and QualCoder share.

A ``.qdpx`` is a zip holding ``project.qde`` (XML in the namespace
``urn:QDA-XML:project:1.0``) and the texts under ``sources/``. Written:

- each document is a ``TextSource`` (its text in ``sources/GUID.txt``), its
  metadata (kind, outlet, date, event, language, URL, file) as document
  variables;
- each category is a ``Code``; speakers, attribution modes and channels are
  codes under three parent codes ("Speaker", "Attribution mode", "Channel",
  not codable themselves), *no source* a code of its own;
- each span is a ``PlainTextSelection`` (start and end in characters, end
  exclusive) with one ``Coding`` per code it carries, made by a ``User``
  named after the layer;
- each note (of a span or a link) is a ``Note`` (a memo), referred to by
  ``NoteRef``;
- each link is a ``Link`` from the claim's selection to a selection of the
  transcript range, named by its relation.

Ids become GUIDs (a UUID derived from the id; a GUID read back is kept as the
id, so a project travels through a QDA program and back unchanged). Times are
``creationDateTime`` and ``modifiedDateTime``.
"""

from __future__ import annotations

from typing import Any

from ...core.model import MODES, RELATIONS
from .common import FormatError, NativeBuilder, ReadOptions, as_uuid, decode_utf8, read_zip, zip_bytes

NAME = "qdpx"
SUFFIX = ".qdpx"
LABEL = "REFI-QDA project"
NS = "urn:QDA-XML:project:1.0"
PARENTS = {"speaker": "Speaker", "mode": "Attribution mode", "channel": "Channel"}
NO_SOURCE = "No source"
VARIABLES = ("kind", "outlet", "date", "event", "language", "url", "source_file")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _time(value: str) -> str:
    return value  # stored as ISO 8601 UTC with "Z", which is an xsd:dateTime


def write(project: dict[str, Any]) -> bytes:
    from lxml import etree

    E = lambda tag, parent=None, **attrs: (  # noqa: E731
        etree.SubElement(parent, _q(tag), {k: str(v) for k, v in attrs.items() if v is not None})
        if parent is not None else etree.Element(_q(tag), {k: str(v) for k, v in attrs.items()}, nsmap={None: NS})
    )
    root = E("Project", name="cisannotate export", origin="cisannotate")
    layers = sorted({s["layer"] for s in project["spans"]} | {k["layer"] for k in project["links"]})
    users = {layer: as_uuid(f"user:{layer}") for layer in layers}
    if users:
        users_el = E("Users", root)
        for layer, guid in users.items():
            E("User", users_el, guid=guid, name=layer)

    codes: dict[tuple[str, str], str] = {}  # (kind, id or name) -> code GUID
    codes_el = E("Codes", E("CodeBook", root))
    for category in sorted(project["categories"], key=lambda c: c["position"]):
        guid = codes[("category", category["id"])] = as_uuid(f"category:{category['name']}")
        code = E("Code", codes_el, guid=guid, name=category["name"], isCodable="true", color=category["color"].upper())
        if category["description"]:
            E("Description", code).text = category["description"]
    groups = {
        "speaker": [(s["id"], s["name"], s["role"]) for s in project["speakers"]],
        "mode": [(m, m, "") for m in MODES],
        "channel": [(c["id"], c["name"], "") for c in project["channels"]],
    }
    for kind, group in groups.items():
        parent = E("Code", codes_el, guid=as_uuid(f"group:{kind}"), name=PARENTS[kind], isCodable="false")
        for ident, name, description in group:
            guid = codes[(kind, ident)] = as_uuid(f"{kind}:{name}")
            code = E("Code", parent, guid=guid, name=name, isCodable="true")
            if description:
                E("Description", code).text = description
    codes[("no_source", "")] = as_uuid("no-source")
    E("Code", codes_el, guid=codes[("no_source", "")], name=NO_SOURCE, isCodable="true")

    variables = {name: as_uuid(f"variable:{name}") for name in VARIABLES}
    variables_el = E("Variables", root)
    for name, guid in variables.items():
        E("Variable", variables_el, guid=guid, name=name, typeOfVariable="Text")

    spans_by_doc: dict[str, list[dict[str, Any]]] = {}
    for span in project["spans"]:
        spans_by_doc.setdefault(span["document_id"], []).append(span)
    targets_by_doc: dict[str, list[dict[str, Any]]] = {}
    for link in project["links"]:
        targets_by_doc.setdefault(link["target_document_id"], []).append(link)
    notes: list[tuple[str, str, str, str, str]] = []  # (guid, name, text, layer, created)
    members: dict[str, bytes] = {}
    sources_el = E("Sources", root)
    for doc in project["documents"]:
        guid = as_uuid(f"document:{doc['sha256']}")
        members[f"sources/{guid}.txt"] = doc["text"].encode("utf-8")
        source = E("TextSource", sources_el, guid=guid, name=doc["title"] or doc["source_file"] or doc["id"],
                   plainTextPath=f"internal://{guid}.txt")
        if doc["notes"]:
            E("Description", source).text = doc["notes"]
        for span in sorted(spans_by_doc.get(doc["id"], []), key=lambda s: (s["start"], s["end"], as_uuid(s["id"]))):
            selection = E(
                "PlainTextSelection", source, guid=as_uuid(span["id"]), name=_shorten(span["quote"]),
                startPosition=span["start"], endPosition=span["end"], creatingUser=users[span["layer"]],
                creationDateTime=_time(span["created"]), modifyingUser=users[span["layer"]],
                modifiedDateTime=_time(span["modified"]),
            )
            refs = []
            if span["category_id"]:
                refs.append(codes[("category", span["category_id"])])
            for kind, key in (("speaker", "speaker_id"), ("mode", "mode"), ("channel", "channel_id")):
                if span[key]:
                    refs.append(codes[(kind, span[key])])
            if span["no_source"]:
                refs.append(codes[("no_source", "")])
            for ref in refs:
                coding = E("Coding", selection, guid=as_uuid(f"coding:{as_uuid(span['id'])}:{ref}"),
                           creatingUser=users[span["layer"]], creationDateTime=_time(span["created"]))
                E("CodeRef", coding, targetGUID=ref)
            if span["note"]:
                note_guid = as_uuid(f"note:{as_uuid(span['id'])}")
                notes.append((note_guid, f"Note on “{_shorten(span['quote'], 40)}”", span["note"], span["layer"],
                              span["created"]))
                E("NoteRef", selection, targetGUID=note_guid)
        for link in sorted(targets_by_doc.get(doc["id"], []),
                           key=lambda k: (k["target_start"], k["target_end"], as_uuid(k["id"]))):
            E("PlainTextSelection", source, guid=as_uuid(f"{as_uuid(link['id'])}:target"),
              name=_shorten(link["target_quote"]), startPosition=link["target_start"],
              endPosition=link["target_end"], creatingUser=users[link["layer"]],
              creationDateTime=_time(link["created"]), modifyingUser=users[link["layer"]],
              modifiedDateTime=_time(link["modified"]))
        for name, guid_var in variables.items():
            if doc[name]:
                value = E("VariableValue", source)
                E("VariableRef", value, targetGUID=guid_var)
                E("TextValue", value).text = doc[name]
    for link in sorted(project["links"], key=lambda k: as_uuid(k["id"])):
        if link["note"]:
            notes.append((as_uuid(f"note:{as_uuid(link['id'])}"), "Note on a link", link["note"], link["layer"],
                          link["created"]))
    if notes:
        notes_el = E("Notes", root)
        for guid, name, text, layer, created in notes:
            note = E("Note", notes_el, guid=guid, name=name, creatingUser=users[layer], creationDateTime=created)
            E("PlainTextContent", note).text = text
    if project["links"]:
        links_el = E("Links", root)
        for link in sorted(project["links"], key=lambda k: as_uuid(k["id"])):
            element = E("Link", links_el, guid=as_uuid(link["id"]), name=link["relation"], direction="OneWay",
                        originGUID=as_uuid(link["span_id"]), targetGUID=as_uuid(f"{as_uuid(link['id'])}:target"))
            if link["note"]:
                E("NoteRef", element, targetGUID=as_uuid(f"note:{as_uuid(link['id'])}"))
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return zip_bytes(members)


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- reading
def read(data: bytes, options: ReadOptions) -> dict[str, Any]:
    from lxml import etree

    name = options.name
    members = read_zip(data, name)
    if "project.qde" not in members:
        raise FormatError(f"{name}: holds no project.qde (a .qdpx is a zip with project.qde and sources/)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)
    try:
        root = etree.fromstring(members["project.qde"], parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"{name}: project.qde is not well-formed XML ({exc})") from exc
    if root.tag != _q("Project"):
        raise FormatError(f"{name}: project.qde has no Project element in {NS}")
    where = f"{name}: project.qde"
    users = {u.get("guid"): (u.get("name") or u.get("id") or u.get("guid")) for u in root.iter(_q("User"))}
    builder = NativeBuilder(options.annotator or name.rsplit(".", 1)[0] or "imported")

    # The codebook: what each code GUID means.
    meaning: dict[str, tuple[str, str]] = {}  # guid -> (kind, name)

    def walk(element: Any, group: str | None) -> None:
        for code in element.findall(_q("Code")):
            guid, label = code.get("guid"), (code.get("name") or "").strip()
            description = code.findtext(_q("Description")) or ""
            kind = next((k for k, v in PARENTS.items() if v == label), None) if group is None else None
            if kind is not None:
                walk(code, kind)
                continue
            if group is not None:
                meaning[guid] = (group, label)
                if group == "speaker" and label:
                    builder.speaker(label, where=where, role=description)
            elif label == NO_SOURCE:
                meaning[guid] = ("no_source", label)
            elif label:
                meaning[guid] = ("category", label)
                builder.category(label, where=where, color=(code.get("color") or "").lower(), description=description)
            walk(code, group)  # sub-codes of a category are categories too

    for codes in root.iter(_q("Codes")):
        walk(codes, None)
    variables = {v.get("guid"): v.get("name") for v in root.iter(_q("Variable"))}
    note_texts = {n.get("guid"): n.findtext(_q("PlainTextContent")) or "" for n in root.iter(_q("Note"))}

    selections: dict[str, tuple[Any, ...]] = {}  # guid -> (document, start, end, span id, created, modified)
    for i, source in enumerate(root.iter(_q("TextSource"))):
        swhere = f"{where}: TextSource {source.get('name') or i + 1!r}"
        text = source.findtext(_q("PlainTextContent"))
        path = source.get("plainTextPath")
        if text is None:
            if not path:
                raise FormatError(f"{swhere}: has neither PlainTextContent nor plainTextPath")
            member = "sources/" + path.removeprefix("internal://") if path.startswith("internal://") else None
            if member is None or member not in members:
                raise FormatError(f"{swhere}: its text {path} is not inside the .qdpx")
            text = decode_utf8(members[member], f"{name}: {member}")
        meta = {}
        for value in source.findall(_q("VariableValue")):
            ref = value.find(_q("VariableRef"))
            variable = variables.get(ref.get("targetGUID")) if ref is not None else None
            if variable in VARIABLES:
                meta[variable] = value.findtext(_q("TextValue")) or ""
        meta["notes"] = source.findtext(_q("Description")) or ""
        doc_id = builder.document(text, where=swhere, kind=meta.get("kind") or "article",
                                  title=source.get("name") or "", meta=meta)
        for selection in source.findall(_q("PlainTextSelection")):
            guid = selection.get("guid")
            sel_where = f"{swhere}: PlainTextSelection {guid}"
            try:
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            except (TypeError, ValueError):
                raise FormatError(f"{sel_where}: startPosition and endPosition must be whole numbers") from None
            tags: dict[str, Any] = {}
            for coding in selection.findall(_q("Coding")):
                ref = coding.find(_q("CodeRef"))
                kind, label = meaning.get(ref.get("targetGUID") if ref is not None else "", ("", ""))
                if kind == "no_source":
                    tags["no_source"] = True
                elif kind in ("category", "speaker", "mode", "channel") and kind not in tags:
                    tags[kind] = label
            notes = [note_texts.get(ref.get("targetGUID"), "") for ref in selection.findall(_q("NoteRef"))]
            span_id = None
            if tags or notes:
                user = selection.get("creatingUser")
                layer = options.annotator or users.get(user) or None
                span_id = builder.span(
                    doc_id, start, end, where=sel_where, id=guid, layer=layer, note="\n\n".join(n for n in notes if n),
                    created=selection.get("creationDateTime"), modified=selection.get("modifiedDateTime"), **tags,
                )
            selections[guid] = (doc_id, start, end, span_id, selection.get("creationDateTime"),
                                selection.get("modifiedDateTime"))

    for link in root.iter(_q("Link")):
        lwhere = f"{where}: Link {link.get('guid')}"
        relation = link.get("name") or ""
        if relation not in RELATIONS:
            continue  # a link of the QDA program's own (memo to code, ...): not a source link
        origin, target = selections.get(link.get("originGUID")), selections.get(link.get("targetGUID"))
        if origin is None or origin[3] is None or target is None:
            raise FormatError(f"{lwhere}: does not join a coded selection to a selection of a text")
        notes = [note_texts.get(ref.get("targetGUID"), "") for ref in link.findall(_q("NoteRef"))]
        builder.link(origin[3], target[0], target[1], target[2], relation, where=lwhere, id=link.get("guid"),
                     note="\n\n".join(n for n in notes if n), created=target[4], modified=target[5])
    return builder.build()
