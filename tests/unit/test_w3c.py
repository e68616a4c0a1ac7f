"""The W3C Web Annotation export read as a JSON-LD processor reads it.

Every export is expanded with pyld. Nothing is fetched: a local document loader answers
for the Web Annotation context with the term-to-IRI mappings of the model's vocabulary
that the export uses (written here from the Web Annotation Vocabulary), and refuses any
other address. The checks then run on the expanded graph, where only what the vocabulary
defines survives: a property the context does not map is dropped by the expansion.
"""

from __future__ import annotations

import functools
import json

import pytest
from pyld import jsonld
from sqlite_utils import Database

from cisannotate.core.model import RELATIONS, Comment, Document, Link, Review, Span
from cisannotate.core.text import sha256_text
from cisannotate.io import exchange, w3c
from cisannotate.io.exchange import W3C_CONTEXT, ExportOptions, render, w3c_export
from cisannotate.sample import build_sample
from cisannotate.storage import Store

OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "@type"

# The Web Annotation context's mappings for the terms the export uses.
ANNO_CONTEXT = {
    "@context": {
        "oa": OA, "dc": DC, "dcterms": DCTERMS, "dctypes": "http://purl.org/dc/dcmitype/",
        "foaf": FOAF, "rdf": RDF, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": XSD, "as": AS,
        "id": {"@id": "@id", "@type": "@id"},
        "type": {"@id": "@type", "@type": "@id"},
        "Annotation": "oa:Annotation",
        "Text": "dctypes:Text",
        "TextualBody": "oa:TextualBody",
        "SpecificResource": "oa:SpecificResource",
        "TextQuoteSelector": "oa:TextQuoteSelector",
        "TextPositionSelector": "oa:TextPositionSelector",
        "Person": "foaf:Person",
        "AnnotationCollection": "as:OrderedCollection",
        "AnnotationPage": "as:OrderedCollectionPage",
        "assessing": "oa:assessing",
        "classifying": "oa:classifying",
        "commenting": "oa:commenting",
        "highlighting": "oa:highlighting",
        "linking": "oa:linking",
        "replying": "oa:replying",
        "tagging": "oa:tagging",
        "ltr": "oa:ltrDirection",
        "rtl": "oa:rtlDirection",
        "body": {"@type": "@id", "@id": "oa:hasBody"},
        "target": {"@type": "@id", "@id": "oa:hasTarget"},
        "source": {"@type": "@id", "@id": "oa:hasSource"},
        "selector": {"@type": "@id", "@id": "oa:hasSelector"},
        "creator": {"@type": "@id", "@id": "dcterms:creator"},
        "items": {"@type": "@id", "@id": "as:items", "@container": "@list"},
        "partOf": {"@type": "@id", "@id": "as:partOf"},
        "first": {"@type": "@id", "@id": "as:first"},
        "motivation": {"@type": "@vocab", "@id": "oa:motivatedBy"},
        "purpose": {"@type": "@vocab", "@id": "oa:hasPurpose"},
        "textDirection": {"@type": "@vocab", "@id": "oa:textDirection"},
        "format": "dc:format",
        "language": "dc:language",
        "value": "rdf:value",
        "exact": "oa:exact",
        "prefix": "oa:prefix",
        "suffix": "oa:suffix",
        "name": "foaf:name",
        "label": "rdfs:label",
        "created": {"@id": "dcterms:created", "@type": "xsd:dateTime"},
        "modified": {"@id": "dcterms:modified", "@type": "xsd:dateTime"},
        "start": {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
        "end": {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"},
        "total": {"@id": "as:totalItems", "@type": "xsd:nonNegativeInteger"},
        "startIndex": {"@id": "as:startIndex", "@type": "xsd:nonNegativeInteger"},
    }
}


@functools.lru_cache(maxsize=1)
def _sample() -> Store:
    store = Store.memory()
    build_sample(store)
    return store


def sample_store() -> Store:
    db = Database(memory=True, strict=True)
    _sample().db.conn.backup(db.conn)
    db.conn.isolation_level = None
    db.execute("PRAGMA foreign_keys = ON")
    return Store(db)


@pytest.fixture
def reviewed_store() -> Store:
    """The sample with a decision settled into the reviewed layer and two comments."""
    store = sample_store()
    a, b = store.spans()[:2]
    store.add_span(a.with_changes(id="rev-span-1", layer="reviewed", annotator="rosa", note="agreed on A"))
    store.add_review(Review(id="rev-1", item_a=a.id, item_b=b.id, decision="accept_a", reviewer="rosa",
                            result_id="rev-span-1", comment="A is closer", created="2026-03-03T10:00:00.000Z"))
    store.add_comment(Comment(id="com-1", target_id=a.id, author="rosa", text="Why?",
                              created="2026-03-03T10:01:00.000Z"))
    store.add_comment(Comment(id="com-2", target_id=store.links()[0].id, author="jonas", text="ok",
                              created="2026-03-03T10:02:00.000Z"))
    return store


def _loader(url, options=None):
    if url.rstrip("/") != W3C_CONTEXT:
        raise AssertionError(f"the export made the processor fetch {url}")
    return {"contextUrl": None, "documentUrl": url, "document": ANNO_CONTEXT}


def expand(data: dict) -> dict:
    """The export's graph: every node by id (after expansion, then flattening)."""
    flat = jsonld.flatten(json.loads(json.dumps(data)), None, {"documentLoader": _loader})
    return {node["@id"]: node for node in flat}


def one(node: dict, prop: str):
    values = node.get(prop, [])
    assert len(values) == 1, (prop, values)
    return values[0]


def ids(node: dict, prop: str) -> list[str]:
    return [v["@id"] for v in node.get(prop, [])]


def literal(node: dict, prop: str):
    return one(node, prop)["@value"]


def text_of(graph: dict, source: str, store: Store) -> str:
    digest = literal(graph[source], DCTERMS + "identifier").removeprefix("urn:sha256:")
    doc = next(d for d in store.documents() if d.sha256 == digest)
    return store.text(doc.id)


def check_collection(data: dict, store: Store) -> dict:
    """The constraints of the model on the expanded export; returns the graph."""
    graph = expand(data)
    collection = graph[data["id"]]
    assert collection[TYPE] == [AS + "OrderedCollection"]
    total = literal(collection, AS + "totalItems")
    if total == 0:
        assert AS + "first" not in collection
        return graph
    page = graph[one(collection, AS + "first")["@id"]]  # exactly one first page
    assert page[TYPE] == [AS + "OrderedCollectionPage"]
    assert ids(page, AS + "partOf") == [data["id"]]
    items = [entry["@id"] for entry in one(page, AS + "items")["@list"]]
    assert len(items) == total == len(set(items))
    assert AS + "items" not in collection  # the items sit on the page, not on the collection
    for ident in items:
        item = graph[ident]
        assert item[TYPE] == [OA + "Annotation"]
        assert ident.startswith(f"urn:cisannotate:{store.project_id()}:")
        assert graph[one(item, DCTERMS + "creator")["@id"]][TYPE] == [FOAF + "Person"]
        assert one(item, DCTERMS + "created")["@type"] == XSD + "dateTime"
        motivation = one(item, OA + "motivatedBy")["@id"]
        assert motivation.startswith(OA)
        for target in ids(item, OA + "hasTarget"):
            if graph[target][TYPE] == [OA + "Annotation"]:
                continue  # a reply or a review decision is about another annotation
            check_text_resource(graph, graph[target], store)
        if motivation == OA + "linking":
            check_link(graph, item, store)
    return graph


def check_text_resource(graph: dict, resource: dict, store: Store) -> str:
    """A SpecificResource on a document's text: both selectors agree with the text; returns the quote."""
    assert resource[TYPE] == [OA + "SpecificResource"]
    source = graph[one(resource, OA + "hasSource")["@id"]]
    assert source[TYPE] == [DCTERMS.replace("terms/", "dcmitype/") + "Text"]
    assert literal(source, DCTERMS + "title")
    assert one(source, OA + "textDirection")["@id"] in (OA + "ltrDirection", OA + "rtlDirection")
    text = text_of(graph, source["@id"], store)
    selectors = [graph[s] for s in ids(resource, OA + "hasSelector")]
    kinds = {s[TYPE][0]: s for s in selectors}
    assert set(kinds) == {OA + "TextQuoteSelector", OA + "TextPositionSelector"}
    position = kinds[OA + "TextPositionSelector"]
    start, end = int(literal(position, OA + "start")), int(literal(position, OA + "end"))
    exact = literal(kinds[OA + "TextQuoteSelector"], OA + "exact")
    assert text[start:end] == exact
    assert text[:start].endswith(literal(kinds[OA + "TextQuoteSelector"], OA + "prefix"))
    assert text[end:].startswith(literal(kinds[OA + "TextQuoteSelector"], OA + "suffix"))
    return exact


def check_link(graph: dict, item: dict, store: Store) -> None:
    """The model's linking shape: the article span as target, the transcript range and the relation as bodies."""
    (target,) = ids(item, OA + "hasTarget")
    bodies = [graph[b] for b in ids(item, OA + "hasBody")]
    by_purpose: dict[str, list[dict]] = {}
    for body in bodies:
        by_purpose.setdefault(one(body, OA + "hasPurpose")["@id"], []).append(body)
    (linked,) = by_purpose[OA + "linking"]
    assert linked[TYPE] == [OA + "SpecificResource"]
    (relation,) = by_purpose[OA + "classifying"]
    assert relation[TYPE] == [OA + "TextualBody"]
    assert literal(relation, RDF + "value") in RELATIONS
    # The target is the claim's own target resource: the link says which claim it joins.
    assert target.endswith("#target")
    claim = graph[target.removesuffix("#target")]
    assert ids(claim, OA + "hasTarget") == [target]


@pytest.mark.parametrize("options", [ExportOptions("w3c"), ExportOptions("w3c", annotator="jonas"),
                                     ExportOptions("w3c", annotator="reviewed")])
def test_every_export_of_the_sample_expands_and_meets_the_model(options):
    store = sample_store()
    body, _ = render(store, options)
    data = json.loads(body)
    graph = check_collection(data, store)
    if options.annotator is None:
        motivations = {one(n, OA + "motivatedBy")["@id"] for n in graph.values() if OA + "motivatedBy" in n}
        assert {OA + "classifying", OA + "linking"} <= motivations


def test_an_empty_project_exports_a_collection_without_pages():
    store = Store.memory()
    data = w3c_export(store)
    assert "first" not in data and data["total"] == 0
    check_collection(data, store)


def test_review_decisions_comments_and_layers_survive_expansion(reviewed_store):
    store = reviewed_store
    data = w3c_export(store)
    graph = check_collection(data, store)
    iri = w3c._Iris(store.project_id())
    layer = exchange.W3C_VOCAB + "layer"
    reviewed = graph[iri("span", "rev-span-1")]
    assert literal(reviewed, layer) == "reviewed"
    assert literal(graph[iri("span", "sample-span-001")], layer) == "amira"
    review = graph[iri("review", "rev-1")]
    assert one(review, OA + "motivatedBy")["@id"] == OA + "assessing"
    decision = next(r for r in store.reviews() if r.id == "rev-1")
    assert set(ids(review, OA + "hasTarget")) == {iri("span", decision.item_a), iri("span", decision.item_b)}
    assert ids(review, exchange.W3C_VOCAB + "itemA") == [iri("span", decision.item_a)]
    assert ids(review, exchange.W3C_VOCAB + "itemB") == [iri("span", decision.item_b)]
    assert ids(review, exchange.W3C_VOCAB + "result") == [iri("span", "rev-span-1")]
    decisions = {literal(graph[b], RDF + "value"): one(graph[b], OA + "hasPurpose")["@id"]
                 for b in ids(review, OA + "hasBody")}
    assert decisions == {"accept_a": OA + "assessing", "A is closer": OA + "commenting"}
    reply = graph[iri("comment", "com-2")]
    assert ids(reply, OA + "hasTarget") == [iri("link", store.links()[0].id)]
    assert one(reply, OA + "motivatedBy")["@id"] == OA + "replying"


def _project_with_an_emoji_at_the_borders() -> Store:
    """An article whose claim starts and ends beside characters outside the BMP, with a URL and an RTL transcript."""
    store = Store.memory()
    article = "😀“We will act”😀 said the minister. 𝔄 second sentence."
    transcript = "נאמר: We will act tonight.\nAnd more."
    docs = {}
    for kind, text, extra in (("article", article, {"url": "https://news.example.org/story?id=7&lang=en",
                                                      "language": "en", "title": "Story"}),
                              ("transcript", transcript, {"language": "he", "title": "Speech"})):
        sha = sha256_text(text)
        docs[kind] = Document(id=sha[:16], kind=kind, text=text, sha256=sha, **extra)
        store.add_document(docs[kind])
    start = article.index("“")
    end = article.index("😀", 1)
    store.add_span(Span(id="s1", document_id=docs["article"].id, start=start, end=end, annotator="amira",
                        layer="amira", category_id=store.categories()[0].id))
    t_start = transcript.index("We")
    store.add_link(Link(id="k1", span_id="s1", target_document_id=docs["transcript"].id, target_start=t_start,
                        target_end=transcript.index("\n"), relation="close paraphrase", annotator="amira", layer="amira"))
    store.add_review(Review(id="r1", item_a="s1", item_b="", decision="reject", reviewer="rosa"))
    return store


def test_offsets_urls_and_direction_across_characters_outside_the_bmp():
    store = _project_with_an_emoji_at_the_borders()
    data = w3c_export(store)
    graph = check_collection(data, store)
    iri = w3c._Iris(store.project_id())
    claim = graph[iri("span", "s1")]
    target = graph[one(claim, OA + "hasTarget")["@id"]]
    assert check_text_resource(graph, target, store) == "“We will act”"
    source = graph[one(target, OA + "hasSource")["@id"]]
    assert source["@id"] == "https://news.example.org/story?id=7&lang=en"
    assert literal(source, DCTERMS + "identifier").startswith("urn:sha256:")
    assert literal(source, DC + "language") == "en"
    position = next(graph[s] for s in ids(target, OA + "hasSelector")
                    if graph[s][TYPE] == [OA + "TextPositionSelector"])
    assert (int(literal(position, OA + "start")), int(literal(position, OA + "end"))) == (1, 14)  # code points
    link = graph[iri("link", "k1")]
    linked = next(graph[b] for b in ids(link, OA + "hasBody") if OA + "hasSource" in graph[b])
    transcript = graph[one(linked, OA + "hasSource")["@id"]]
    assert transcript["@id"].startswith("urn:sha256:")  # no URL: the hash names it
    assert one(transcript, OA + "textDirection")["@id"] == OA + "rtlDirection"
    assert literal(transcript, DC + "format") == "text/plain"
    review = graph[iri("review", "r1")]
    assert ids(review, OA + "hasTarget") == [iri("span", "s1")] and exchange.W3C_VOCAB + "result" not in review


def test_two_projects_never_share_an_id():
    first, second = _project_with_an_emoji_at_the_borders(), _project_with_an_emoji_at_the_borders()
    assert first.project_id() != second.project_id()
    a, b = expand(w3c_export(first)), expand(w3c_export(second))
    shared = {i for i in set(a) & set(b) if not i.startswith("_:")}
    # Only the documents (the same texts, named by URL or hash) and the people may coincide.
    assert shared and all(i.startswith(("https://", "urn:sha256:")) for i in shared)


def test_a_project_keeps_its_id_and_one_from_before_ids_gets_one_derived_once(tmp_path):
    path = tmp_path / "p.cisannotate"
    store = Store.open(path)
    ident = store.project_id()
    store.db.execute("DELETE FROM meta WHERE key = 'project_id'")  # as a project made before ids
    store.close()
    old = Store.open(path, read_only=True)
    derived = old.project_id()
    assert derived != ident
    old.close()
    again = Store.open(path)
    assert again.get_meta("project_id") == derived == again.project_id()
    again.close()
