"""The annotation table's columns and rows: what a row says about a span, and the facts
sorting and filtering need (no widget here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...core.model import Category, Span
from ...storage import Store


COLUMNS = ("Document", "Type", "Text", "Category", "Speaker", "Mode", "Channel", "Links", "Layer", "Modified")
(
    COL_DOCUMENT,
    COL_TYPE,
    COL_TEXT,
    COL_CATEGORY,
    COL_SPEAKER,
    COL_MODE,
    COL_CHANNEL,
    COL_LINKS,
    COL_LAYER,
    COL_MODIFIED,
) = range(len(COLUMNS))

TYPE_CLAIM = "Claim"
TYPE_SPEAKER = "Speaker tag"
TYPE_BOTH = "Claim + speaker"
TYPE_SPAN = "Span"
TYPES = (TYPE_CLAIM, TYPE_SPEAKER, TYPE_BOTH, TYPE_SPAN)

NO_SOURCE = "no source"
TEXT_LIMIT = 80
TITLE_LIMIT = 28


def span_type(span: Span) -> str:
    """What a span records: a claim (category), a speaker tag, both, or neither."""
    if span.category_id and span.speaker_id:
        return TYPE_BOTH
    if span.category_id:
        return TYPE_CLAIM
    if span.speaker_id:
        return TYPE_SPEAKER
    return TYPE_SPAN


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (runs of whitespace become one space), cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def local_time(stamp: str) -> str:
    """A stored UTC timestamp as local "YYYY-MM-DD HH:MM"; the raw text if it does not parse."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def link_counts(store: Store, article_ids: Iterable[str]) -> Counter[str]:
    """How many links each span of the given articles has, counted in SQL, one query per article."""
    counts: Counter[str] = Counter()
    for article_id in article_ids:
        counts.update(store.link_counts(article_id))
    return counts


@dataclass(frozen=True)
class AnnotationRecord:
    """Everything one row shows, read together so a row costs one store read."""

    span: Span
    type: str
    category: Category | None
    speaker: str
    channel: str

    def search_text(self) -> str:
        """The casefolded text the free-text filter looks in."""
        category = self.category.name if self.category else ""
        return "\n".join((self.span.quote, self.span.note, category, self.speaker)).casefold()


@dataclass(frozen=True)
class RowFacts:
    """What sorting and filtering need of one span: small, so kept for every row once asked for."""

    type: str
    category_id: str | None
    search: str
    keys: tuple[Any, ...]  # one sort value per column


# (document order, start, end, span id): sorts spans into reading order.
