"""The user's work as plain values: documents, source lines, spans, links, reviews.

Everything here is Qt-free and SQL-free. Offsets are Unicode code points into a
document's stored text, end exclusive (the W3C TextPositionSelector convention).
Ids are strings made before the insert (uuid4 hex), so an undone-then-redone add
keeps its id and colleagues' layers merge without key clashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

ARTICLE = "article"
TRANSCRIPT = "transcript"
KINDS = (ARTICLE, TRANSCRIPT)

# How a span attributes what it reports.
MODES = (
    "direct quote",
    "partial quote",
    "indirect speech",
    "paraphrase",
    "unattributed",
)

# How faithful an article span is to the source line(s) it links to.
RELATIONS = (
    "verbatim",
    "close paraphrase",
    "loose paraphrase",
    "distortion",
)

# The layer that holds adjudicated (reviewed) annotations.
REVIEWED_LAYER = "reviewed"

# Review decisions on a disagreement.
DECISIONS = ("accept_a", "accept_b", "edit", "reject")


def new_id() -> str:
    import uuid  # here: opening a project for reading makes no ids (uuid imports platform)

    return uuid.uuid4().hex


def now() -> str:
    """An ISO 8601 UTC timestamp with millisecond precision."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Document:
    id: str
    kind: str
    title: str
    text: str
    sha256: str
    outlet: str = ""
    date: str = ""
    event: str = ""
    language: str = ""
    url: str = ""
    source_file: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    created: str = ""

    @property
    def is_transcript(self) -> bool:
        return self.kind == TRANSCRIPT


@dataclass(frozen=True)
class SourceLine:
    """One numbered sentence of a transcript (numbers start at 1)."""

    document_id: str
    number: int
    start: int
    end: int
    paragraph: int
    speaker: str = ""


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    color: str  # "#rrggbb"
    shortcut: str = ""  # a single key, e.g. "A"
    description: str = ""
    position: int = 0


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class Channel:
    id: str
    name: str


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of one document: a claim and/or a speaker tag.

    ``layer`` is the annotator's name for ordinary work, or REVIEWED_LAYER for
    adjudicated annotations (then ``annotator`` is the reviewer).
    """

    id: str
    document_id: str
    start: int
    end: int
    annotator: str
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    category_id: str | None = None
    speaker_id: str | None = None
    mode: str | None = None
    channel_id: str | None = None
    note: str = ""
    no_source: bool = False
    layer: str = ""
    created: str = ""
    modified: str = ""

    def with_changes(self, **changes: Any) -> "Span":
        return replace(self, **changes)


@dataclass(frozen=True)
class Link:
    """An article span linked to a stretch of a transcript (a source line or part of one)."""

    id: str
    span_id: str
    target_document_id: str
    target_start: int
    target_end: int
    relation: str
    annotator: str
    note: str = ""
    layer: str = ""
    created: str = ""
    modified: str = ""

    def with_changes(self, **changes: Any) -> "Link":
        return replace(self, **changes)


@dataclass(frozen=True)
class Review:
    """A reviewer's decision on one disagreement between two annotators.

    ``item_a``/``item_b`` are the span ids compared (either may be empty when
    only one side has an annotation); ``result_id`` is the span created in the
    reviewed layer, empty when the decision was to reject.
    """

    id: str
    item_a: str
    item_b: str
    decision: str
    reviewer: str
    result_id: str = ""
    comment: str = ""
    created: str = ""


@dataclass(frozen=True)
class Comment:
    """One entry in the review thread attached to an annotation (span or link)."""

    id: str
    target_id: str
    author: str
    text: str
    created: str = ""


@dataclass(frozen=True)
class DocumentSummary:
    """A document without its text, for lists of a whole corpus."""

    id: str
    kind: str
    title: str
    outlet: str
    date: str
    event: str
    language: str
    source_file: str
    sha256: str
    length: int
    source_lines: int
    annotations: int
    links: int
