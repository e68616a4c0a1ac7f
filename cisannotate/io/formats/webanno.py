"""INCEpTION / WebAnno: UIMA CAS XMI, one ``.xmi`` per document and ``TypeSystem.xml``, zipped.

Written with dkpro-cassis (the UIMA CAS library of the INCEpTION project), so
the XMI is what INCEpTION's "UIMA CAS XMI (XML 1.0)" import reads; cassis also
converts between our code-point offsets and the UTF-16 offsets of UIMA's XMI.

The layers (declare them in the INCEpTION project as custom layers with these
names and features to see and edit them there):

- ``webanno.custom.Claim``, a span layer: every span, with the features
  ``category``, ``speaker``, ``speakerRole``, ``mode``, ``channel``,
  ``note``, ``noSource`` and, to bring it back unchanged, ``claimId``,
  ``layer``, ``annotator``, ``created``, ``modified``;
- ``webanno.custom.Source``, a span layer on the transcript: every link's
  source range, with ``relation``, ``claimId`` (the claim it is the source
  of, in another document), ``claimDocument``, ``note``, ``linkId``,
  ``layer``, ``annotator``, ``created``, ``modified``. INCEpTION's relations
  join two annotations of one document, and a link joins an article to a
  transcript, so the link is these features, not a relation;
- ``webanno.custom.DocumentInfo``, a document metadata layer: kind, title,
  outlet, date, event, language, URL, file name, notes.

All annotators' layers are in one CAS per document (the ``layer`` feature
tells them apart); INCEpTION keeps one CAS per user, so import the file as the
documents of a project and split by ``layer`` there if needed.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from .common import FormatError, NativeBuilder, ReadOptions, by_key, decode_utf8, read_zip, file_names, zip_bytes

NAME = "webanno"
SUFFIX = ".zip"
LABEL = "INCEpTION / WebAnno (UIMA CAS XMI)"
CLAIM = "webanno.custom.Claim"
SOURCE = "webanno.custom.Source"
INFO = "webanno.custom.DocumentInfo"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
TYPESYSTEM = "TypeSystem.xml"
CLAIM_FEATURES = ("category", "speaker", "speakerRole", "mode", "channel", "note", "claimId", "layer", "annotator",
                  "created", "modified")
SOURCE_FEATURES = ("relation", "claimId", "claimDocument", "note", "linkId", "layer", "annotator", "created",
                   "modified")
INFO_FEATURES = ("kind", "title", "outlet", "date", "event", "language", "url", "sourceFile", "notes", "documentId")


def typesystem() -> Any:
    from cassis import TypeSystem

    ts = TypeSystem()
    meta = ts.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(meta, name, "uima.cas.String")
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    claim = ts.create_type(CLAIM, supertypeName="uima.tcas.Annotation", description="A claim or speaker tag")
    for name in CLAIM_FEATURES:
        ts.create_feature(claim, name, "uima.cas.String")
    ts.create_feature(claim, "noSource", "uima.cas.Boolean")
    source = ts.create_type(SOURCE, supertypeName="uima.tcas.Annotation",
                            description="The source range of a link from a claim in another document")
    for name in SOURCE_FEATURES:
        ts.create_feature(source, name, "uima.cas.String")
    info = ts.create_type(INFO, supertypeName="uima.cas.AnnotationBase", description="The document's metadata")
    for name in INFO_FEATURES:
        ts.create_feature(info, name, "uima.cas.String")
    return ts


def write(project: dict[str, Any]) -> bytes:
    from cassis import Cas

    ts = typesystem()
    Claim, Source, Info, Meta = (ts.get_type(n) for n in (CLAIM, SOURCE, INFO, METADATA))
    categories = {c["id"]: c["name"] for c in project["categories"]}
    speakers = {s["id"]: s for s in project["speakers"]}
    channels = {c["id"]: c["name"] for c in project["channels"]}
    spans_by_id = {s["id"]: s for s in project["spans"]}
    names = file_names(project["documents"])
    spans_by_doc = by_key(project["spans"], "document_id")
    links_by_doc = by_key(project["links"], "target_document_id")
    members: dict[str, bytes] = {TYPESYSTEM: ts.to_xml().encode("utf-8")}
    for doc in project["documents"]:
        cas = Cas(typesystem=ts, document_language=doc["language"] or None)
        cas.sofa_string = doc["text"]
        cas.add(Meta(begin=0, end=len(doc["text"]), documentTitle=doc["title"], documentId=names[doc["id"]]))
        cas.add(Info(kind=doc["kind"], title=doc["title"], outlet=doc["outlet"], date=doc["date"], event=doc["event"],
                     language=doc["language"], url=doc["url"], sourceFile=doc["source_file"], notes=doc["notes"],
                     documentId=doc["id"]))
        for span in sorted(spans_by_doc.get(doc["id"], []),
                           key=lambda s: (s["start"], s["end"], s["id"])):
            speaker = speakers.get(span["speaker_id"]) if span["speaker_id"] else None
            cas.add(Claim(
                begin=span["start"], end=span["end"],
                category=categories[span["category_id"]] if span["category_id"] else None,
                speaker=speaker["name"] if speaker else None, speakerRole=(speaker["role"] or None) if speaker else None,
                mode=span["mode"], channel=channels[span["channel_id"]] if span["channel_id"] else None,
                note=span["note"] or None, noSource=span["no_source"], claimId=span["id"], layer=span["layer"],
                annotator=span["annotator"], created=span["created"], modified=span["modified"],
            ))
        for link in sorted(links_by_doc.get(doc["id"], []),
                           key=lambda k: (k["target_start"], k["target_end"], k["id"])):
            claim = spans_by_id.get(link["span_id"])
            cas.add(Source(
                begin=link["target_start"], end=link["target_end"], relation=link["relation"],
                claimId=link["span_id"], claimDocument=names.get(claim["document_id"]) if claim else None,
                note=link["note"] or None, linkId=link["id"], layer=link["layer"], annotator=link["annotator"],
                created=link["created"], modified=link["modified"],
            ))
        members[f"{names[doc['id']]}.xmi"] = cas.to_xmi(pretty_print=True).encode("utf-8")
    return zip_bytes(members)


# ---------------------------------------------------------------- reading
def read(data: bytes, options: ReadOptions) -> dict[str, Any]:
    name = options.name
    if data.lstrip()[:1] == b"<":  # a single .xmi file, read with our type system
        return read_members({PurePosixPath(name).stem + ".xmi": data}, options, single=True)
    return read_members(read_zip(data, name), options)


def read_members(members: dict[str, bytes], options: ReadOptions, *, single: bool = False) -> dict[str, Any]:
    from cassis import load_cas_from_xmi, load_typesystem

    name = options.name
    xmis = sorted(m for m in members if m.lower().endswith(".xmi"))
    if not xmis:
        raise FormatError(f"{name}: holds no .xmi file")
    ts_member = next((m for m in members if PurePosixPath(m).name.lower() == TYPESYSTEM.lower()), None)
    try:
        ts = load_typesystem(members[ts_member].decode("utf-8")) if ts_member else typesystem()
    except Exception as exc:  # cassis raises plain exceptions of several kinds on a bad type system
        raise FormatError(f"{name}: {ts_member} is not a UIMA type system ({exc})") from exc
    builder = NativeBuilder(options.annotator or PurePosixPath(name).stem or "imported")
    doc_refs: dict[str, str] = {}
    sources: list[tuple[str, Any, str]] = []
    for member in xmis:
        where = name if single else f"{name}: {member}"
        try:
            cas = load_cas_from_xmi(decode_utf8(members[member], where), typesystem=ts, lenient=True)
        except FormatError:
            raise
        except Exception as exc:
            raise FormatError(f"{where}: not a UIMA CAS XMI file ({exc})") from exc
        text = cas.sofa_string
        if text is None:
            raise FormatError(f"{where}: holds no document text (sofaString)")
        info = _first(cas, INFO)
        meta = {k: _feature(info, k) for k in INFO_FEATURES} if info is not None else {}
        meta["source_file"] = meta.pop("sourceFile", None)
        title = meta.get("title") or ""
        if not title:
            metadata = _first(cas, METADATA)
            title = (_feature(metadata, "documentTitle") if metadata is not None else None) or PurePosixPath(member).stem
        doc_id = builder.document(text, where=where, kind=meta.get("kind") or "article", title=title, meta=meta)
        doc_refs[PurePosixPath(member).stem] = doc_id
        for n, claim in enumerate(_select(cas, CLAIM), start=1):
            cwhere = f"{where}: Claim {n} ({claim.begin}-{claim.end})"
            ident = _feature(claim, "claimId")
            builder.span(
                doc_id, claim.begin, claim.end, where=cwhere,
                id=ident if ident and not builder.has_span(ident) else None,
                layer=options.annotator or _feature(claim, "layer"),
                annotator=None if options.annotator else _feature(claim, "annotator"),
                category=_feature(claim, "category"), speaker=_speaker(builder, claim, cwhere),
                mode=_feature(claim, "mode"), channel=_feature(claim, "channel"), note=_feature(claim, "note") or "",
                no_source=bool(getattr(claim, "noSource", False)), created=_feature(claim, "created"),
                modified=_feature(claim, "modified"),
            )
        for n, source in enumerate(_select(cas, SOURCE), start=1):
            sources.append((doc_id, source, f"{where}: Source {n} ({source.begin}-{source.end})"))
    for doc_id, source, where in sources:
        claim_id = _feature(source, "claimId")
        if not claim_id or not builder.has_span(claim_id):
            raise FormatError(f"{where}: its claimId {claim_id!r} names no claim of the file")
        builder.link(claim_id, doc_id, source.begin, source.end, _feature(source, "relation") or "", where=where,
                     id=_feature(source, "linkId"), note=_feature(source, "note") or "",
                     layer=options.annotator or _feature(source, "layer"),
                     annotator=None if options.annotator else _feature(source, "annotator"),
                     created=_feature(source, "created"), modified=_feature(source, "modified"))
    return builder.build()


def _select(cas: Any, type_name: str) -> list[Any]:
    try:
        return list(cas.select(type_name))
    except Exception:  # the file's type system does not declare the type: nothing of it
        return []


def _first(cas: Any, type_name: str) -> Any:
    found = _select(cas, type_name)
    return found[0] if found else None


def _feature(annotation: Any, name: str) -> str | None:
    value = getattr(annotation, name, None)
    return value if isinstance(value, str) and value else None


def _speaker(builder: NativeBuilder, claim: Any, where: str) -> str | None:
    name = _feature(claim, "speaker")
    if name:
        builder.speaker(name, where=where, role=_feature(claim, "speakerRole") or "")
    return name
