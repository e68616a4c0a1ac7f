"""Adjudication of two annotators' layers: what is compared, and what each decision writes.

A reviewer settles each matched item (a pair of spans, or a span only one side
marked) by accepting A's version, B's version, a version to be edited, or
neither. Every decision is a list of store operations, so the session runs it
as one undoable action: the accepted span and its links are copied into the
reviewed layer and a review row records who decided what.

A decision on an item already settled replaces the earlier one: its operations
first remove the earlier result span (with its links) and review row, so undo
brings the earlier decision back exactly.

Nothing here imports Qt; the window's review feature calls these functions and
hands the operations to the session. The agreement report over the same layers
(``compute_report``) is gathered here too, for the window and the command line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .commands.ops import AddLink, AddReview, AddSpan, DeleteLink, DeleteReview, DeleteSpan, Op
from .core.compare import AGREED, LineRef, LinkRelations, LinkTargets, SpanMatch, match_document, span_relation
from .core.model import DECISIONS, REVIEWED_LAYER, Link, Review, Span, new_id, now
from .storage import Store

if TYPE_CHECKING:
    # The agreement figures are imported by compute_report: the window's review imports this
    # module at start and computes a report only when asked.
    from .core.agreement import AgreementReport

ACCEPT_A, ACCEPT_B, EDIT, REJECT = DECISIONS
SIDE_A = "a"
SIDE_B = "b"

# What a decision is called in labels and lists (A and B are the sides compared).
DECISION_NAMES = {ACCEPT_A: "accepted A", ACCEPT_B: "accepted B", EDIT: "edited", REJECT: "rejected"}

_SWAPPED = {ACCEPT_A: ACCEPT_B, ACCEPT_B: ACCEPT_A}


def item_key(item_a: str, item_b: str) -> frozenset[str]:
    """The item a review settles, whichever side each span was on when it was decided.

    Reviewers may compare the same two layers either way round; a decision made
    with amira as A and jonas as B must still settle the item when the sides are
    swapped, and must not be recorded twice.
    """
    return frozenset(span_id for span_id in (item_a, item_b) if span_id)


@dataclass(frozen=True)
class ReviewItem:
    """One matched item of a comparison and the review that settles it, if any."""

    match: SpanMatch
    review: Review | None = None

    @property
    def a(self) -> Span | None:
        return self.match.a

    @property
    def b(self) -> Span | None:
        return self.match.b

    @property
    def status(self) -> str:
        return self.match.status

    @property
    def document_id(self) -> str:
        return self.match.document_id

    @property
    def ids(self) -> tuple[str, str]:
        """(A's span id, B's span id), empty for a missing side: the review row's item_a and item_b."""
        return (self.a.id if self.a else "", self.b.id if self.b else "")

    @property
    def key(self) -> frozenset[str]:
        return item_key(*self.ids)

    @property
    def disagreement(self) -> bool:
        return self.status != AGREED

    @property
    def settled(self) -> bool:
        return self.review is not None

    @property
    def decision(self) -> str | None:
        """The settling decision as seen from this comparison's sides (A and B swapped when needed)."""
        if self.review is None:
            return None
        if self.review.item_a == self.ids[0]:
            return self.review.decision
        return _SWAPPED.get(self.review.decision, self.review.decision)

    def side(self, side: str) -> Span | None:
        return self.a if side == SIDE_A else self.b


@dataclass(frozen=True)
class ReviewProgress:
    """How far the review of a comparison has come; disagreements are the work, agreed items the rest."""

    disagreements: int
    settled_disagreements: int
    agreed: int
    settled_agreed: int

    @property
    def text(self) -> str:
        return (
            f"Disagreements: {self.settled_disagreements} of {self.disagreements} settled"
            f" · agreed: {self.settled_agreed} of {self.agreed} settled"
        )


class SourceLines:
    """Which source lines each link reaches, remembered per transcript range.

    A transcript's text and lines never change once imported, so the answer
    for a range stays valid and a refresh asks the store only about new links.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lines: dict[tuple[str, int, int], tuple[int, ...]] = {}

    def of_link(self, link: Link) -> tuple[int, ...]:
        key = (link.target_document_id, link.target_start, link.target_end)
        if key not in self._lines:
            self._lines[key] = tuple(self.store.lines_in_range(*key))
        return self._lines[key]

    def targets(self, links: Iterable[Link]) -> dict[str, frozenset[LineRef]]:
        """For each linked span, the (transcript id, source line number) pairs its links reach."""
        found: dict[str, set[LineRef]] = defaultdict(set)
        for link in links:
            found[link.span_id].update((link.target_document_id, number) for number in self.of_link(link))
        return {span_id: frozenset(lines) for span_id, lines in found.items()}


def link_relations(links: Iterable[Link]) -> dict[str, str]:
    """For each linked span, the relation of its links (the least faithful one when they differ)."""
    found: dict[str, list[str]] = defaultdict(list)
    for link in links:
        found[link.span_id].append(link.relation)
    return {span_id: relation for span_id, relations in found.items() if (relation := span_relation(relations))}


def _links_of(store: Store, spans: Sequence[Span]) -> list[Link]:
    wanted = {span.id for span in spans}
    documents = {span.document_id for span in spans}
    return [link for doc in sorted(documents) for link in store.links(article_id=doc) if link.span_id in wanted]


def link_targets(store: Store, spans: Sequence[Span], lines: SourceLines | None = None) -> LinkTargets:
    """Source lines of the given spans' links, as core.compare and core.agreement expect them."""
    return link_data(store, spans, lines)[0]


def link_data(
    store: Store, spans: Sequence[Span], lines: SourceLines | None = None
) -> tuple[LinkTargets, LinkRelations]:
    """Source lines and relation of the given spans' links, as core.compare and core.agreement expect them."""
    lines = lines or SourceLines(store)
    links = _links_of(store, spans)
    return lines.targets(links), link_relations(links)


def compute_report(
    store: Store,
    annotators: Sequence[str],
    lines: SourceLines | None = None,
    *,
    document_id: str | None = None,
    bootstrap: int | None = None,
) -> AgreementReport:
    """The agreement report of ``annotators`` over the whole project, or over one document
    (``bootstrap`` resamples for the intervals: ``core.agreement.BOOTSTRAP_RESAMPLES`` if None)."""
    from .core.agreement import BOOTSTRAP_RESAMPLES, agreement_report

    if bootstrap is None:
        bootstrap = BOOTSTRAP_RESAMPLES
    return agreement_report(**report_inputs(store, annotators, lines, document_id=document_id), bootstrap=bootstrap)


def report_inputs(
    store: Store, annotators: Sequence[str], lines: SourceLines | None = None, *, document_id: str | None = None
) -> dict[str, Any]:
    """What core.agreement.agreement_report needs, read from the store (keyword arguments).

    Reading is quick and needs the store; the computation that follows needs
    neither, so the window can run it off the GUI thread.
    """
    spans = store.spans(document_id, layers=list(annotators))
    targets, relations = link_data(store, spans, lines)
    lengths = store.lengths({span.document_id for span in spans})  # of the documents annotated only
    return {
        "spans": spans, "link_targets": targets, "annotators": list(annotators), "document_id": document_id,
        "relations": relations, "document_lengths": lengths,
    }


def value_names(store: Store) -> dict[str, dict[str, str]]:
    """Codebook names of the ids the per-value figures are keyed by (categories, speakers, channels)."""
    return {
        "category": {c.id: c.name for c in store.categories()},
        "speaker": {s.id: s.name for s in store.speakers()},
        "channel": {c.id: c.name for c in store.channels()},
    }


def report_data(
    report: AgreementReport, titles: Mapping[str, str], names: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, Any]:
    """The report as a JSON-ready dict, with the titles of the documents it names (the report keys them by id)
    and the codebook names of the values its per-value figures name."""
    data = report.to_dict()
    data["document_titles"] = {doc: titles.get(doc, doc) for doc in sorted(report.documents)}
    if names is not None:
        data["value_names"] = {
            label: {value: names.get(label, {}).get(value, value) for value in sorted(values)}
            for label, values in report.overall.per_value.items()
            if label in names
        }
    return data


class LayerReview:
    """The comparison of layer A with layer B over some documents (None: the whole corpus).

    Matches are kept per document, so a change reloads only the documents it
    touched; reviews are few and are re-read whole.
    """

    def __init__(
        self,
        store: Store,
        layer_a: str,
        layer_b: str,
        document_ids: Iterable[str] | None = None,
        lines: SourceLines | None = None,
    ) -> None:
        if layer_a == layer_b:
            raise ValueError(f"compare two different layers, not {layer_a!r} with itself")
        self.store = store
        self.layer_a = layer_a
        self.layer_b = layer_b
        self.document_ids = None if document_ids is None else set(document_ids)
        self.lines = lines or SourceLines(store)
        self._matches: dict[str, list[SpanMatch]] = {}
        self._targets: dict[str, LinkTargets] = {}
        self._relations: dict[str, LinkRelations] = {}
        self._reviews: dict[frozenset[str], Review] = {}
        self._order: dict[str, int] = {}
        self._items: list[ReviewItem] | None = None
        self.reload()

    @property
    def layers(self) -> tuple[str, str]:
        return (self.layer_a, self.layer_b)

    def reload(self, document_ids: Iterable[str] | None = None) -> None:
        """Re-read the spans and links of some documents (all in scope when None), then the reviews."""
        self._order = {doc_id: i for i, doc_id in enumerate(self.store.document_order())}
        if document_ids is None:
            wanted = set(self._order) if self.document_ids is None else set(self.document_ids)
            self._matches = {}
            self._targets = {}
            self._relations = {}
        else:
            wanted = set(document_ids) if self.document_ids is None else set(document_ids) & self.document_ids
        wanted &= set(self._order)
        for doc in wanted:
            self._matches.pop(doc, None)
            self._targets.pop(doc, None)
            self._relations.pop(doc, None)
        if wanted:
            self._load(wanted)
        self.reload_reviews()

    def _load(self, documents: set[str]) -> None:
        if documents == set(self._order):
            spans = self.store.spans(layers=self.layers)
        else:
            spans = [span for doc in sorted(documents) for span in self.store.spans(doc, layers=self.layers)]
        targets, relations = link_data(self.store, spans, self.lines)
        by_document: dict[str, tuple[list[Span], list[Span]]] = defaultdict(lambda: ([], []))
        for span in spans:
            by_document[span.document_id][0 if span.layer == self.layer_a else 1].append(span)
        for doc, (side_a, side_b) in by_document.items():
            rows = match_document(side_a, side_b, link_targets=targets, relations=relations)
            rows.sort(key=_position)
            self._matches[doc] = rows
            self._targets[doc] = {span.id: targets[span.id] for span in side_a + side_b if span.id in targets}
            self._relations[doc] = {span.id: relations[span.id] for span in side_a + side_b if span.id in relations}

    def reload_reviews(self) -> None:
        """Re-read the review rows; the latest row for an item settles it."""
        self._reviews = {}
        for review in self.store.reviews():
            self._reviews[item_key(review.item_a, review.item_b)] = review
        self._items = None

    @property
    def targets(self) -> dict[str, frozenset[LineRef]]:
        """The source lines each compared span links to (spans without links are absent)."""
        return {span_id: lines for targets in self._targets.values() for span_id, lines in targets.items()}

    @property
    def relations(self) -> dict[str, str]:
        """The relation of each compared span's links (spans without links are absent)."""
        return {span_id: relation for found in self._relations.values() for span_id, relation in found.items()}

    @property
    def items(self) -> list[ReviewItem]:
        """Every matched item in scope, in corpus order, then by position in the document."""
        if self._items is None:
            documents = sorted(self._matches, key=lambda doc: (self._order.get(doc, len(self._order)), doc))
            self._items = [
                ReviewItem(match, self._reviews.get(item_key(*_ids(match))))
                for doc in documents
                for match in self._matches[doc]
            ]
        return self._items

    def progress(self) -> ReviewProgress:
        items = self.items
        disagreements = [item for item in items if item.disagreement]
        agreed = [item for item in items if not item.disagreement]
        return ReviewProgress(
            disagreements=len(disagreements),
            settled_disagreements=sum(item.settled for item in disagreements),
            agreed=len(agreed),
            settled_agreed=sum(item.settled for item in agreed),
        )


def _ids(match: SpanMatch) -> tuple[str, str]:
    return (match.a.id if match.a else "", match.b.id if match.b else "")


def _position(match: SpanMatch) -> tuple[int, int, str, str]:
    sides = [span for span in (match.a, match.b) if span is not None]
    return (min(s.start for s in sides), max(s.end for s in sides), *_ids(match))


@dataclass(frozen=True)
class Decision:
    """What one decision writes: ``ops`` then the ``review`` row (Session.record_review adds it last)."""

    review: Review
    ops: list[Op]
    label: str
    result: Span | None

    @property
    def all_ops(self) -> list[Op]:
        return [*self.ops, AddReview(self.review)]


def copy_to_reviewed(span: Span, links: Sequence[Link], reviewer: str, stamp: str) -> tuple[Span, list[Link]]:
    """A copy of ``span`` and its links in the reviewed layer, under new ids, made by ``reviewer``.

    The copy keeps every label and the note; new ids keep the annotators'
    layers untouched, so the comparison and its figures stay reproducible.
    """
    copy = span.with_changes(id=new_id(), annotator=reviewer, layer=REVIEWED_LAYER, created=stamp, modified=stamp)
    copied_links = [
        link.with_changes(id=new_id(), span_id=copy.id, annotator=reviewer, layer=REVIEWED_LAYER,
                          created=stamp, modified=stamp)
        for link in links
    ]
    return copy, copied_links


def withdraw(store: Store, reviews: Sequence[Review]) -> list[Op]:
    """Operations that take back earlier decisions: their result spans (links first) and review rows."""
    ops: list[Op] = []
    for review in reviews:
        ops.append(DeleteReview(review))
        if review.result_id and store.has_span(review.result_id):
            ops.extend(DeleteLink(link) for link in store.links_for_span(review.result_id))
            ops.append(DeleteSpan(store.span(review.result_id)))
    return ops


def reviews_of(store: Store, item: ReviewItem) -> list[Review]:
    """Every stored review row of ``item`` (normally none or one)."""
    return [review for review in store.reviews() if item_key(review.item_a, review.item_b) == item.key]


def decide(
    store: Store,
    item: ReviewItem,
    decision: str,
    reviewer: str,
    *,
    comment: str = "",
    edit_from: str = SIDE_A,
    layers: tuple[str, str] = ("A", "B"),
    earlier: Sequence[Review] | None = None,
) -> Decision:
    """The operations of ``decision`` on ``item``; ``earlier`` reviews (read from the store when None) are replaced.

    "edit" copies the side ``edit_from`` names (the other side when that one is
    missing), for the reviewer to change afterwards. ``layers`` names the sides
    in the undo label. Raises ValueError for a decision the item cannot take.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    if decision == ACCEPT_A:
        side = SIDE_A
    elif decision == ACCEPT_B:
        side = SIDE_B
    elif decision == EDIT:
        side = edit_from if item.side(edit_from) is not None else (SIDE_B if edit_from == SIDE_A else SIDE_A)
    else:
        side = ""
    source = item.side(side) if side else None
    if side and source is None:
        raise ValueError(f"{layers[0 if side == SIDE_A else 1]} has no annotation here to accept")
    stamp = now()
    ops = withdraw(store, reviews_of(store, item) if earlier is None else earlier)
    result = None
    if source is not None:
        result, links = copy_to_reviewed(source, store.links_for_span(source.id), reviewer, stamp)
        ops.append(AddSpan(result))
        ops.extend(AddLink(link) for link in links)
    item_a, item_b = item.ids
    review = Review(
        id=new_id(), item_a=item_a, item_b=item_b, decision=decision, reviewer=reviewer,
        result_id=result.id if result else "", comment=comment.strip(), created=stamp,
    )
    name = layers[0 if side == SIDE_A else 1] if side else ""
    label = {
        ACCEPT_A: f"Review: accept {name}'s annotation",
        ACCEPT_B: f"Review: accept {name}'s annotation",
        EDIT: f"Review: edit {name}'s annotation",
        REJECT: "Review: reject the annotation" + ("s" if item.a and item.b else ""),
    }[decision]
    return Decision(review, ops, label, result)


def accept_agreed(store: Store, items: Iterable[ReviewItem], reviewer: str) -> list[Op]:
    """One list of operations accepting every unsettled agreed item (A's copy; both sides are equal)."""
    ops: list[Op] = []
    for item in items:
        if item.disagreement or item.settled:
            continue
        ops.extend(decide(store, item, ACCEPT_A, reviewer, earlier=()).all_ops)
    return ops
