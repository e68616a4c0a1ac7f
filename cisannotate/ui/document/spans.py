"""Spans as a text view holds them: how each is drawn, boxes for review, and an index by position (no widget)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QColor, QTextCharFormat

from ...core.model import Span

# Underline styles that distinguish categories without colour.
UNDERLINES = (
    QTextCharFormat.UnderlineStyle.SingleUnderline,
    QTextCharFormat.UnderlineStyle.DashUnderline,
    QTextCharFormat.UnderlineStyle.DotLine,
    QTextCharFormat.UnderlineStyle.DashDotLine,
    QTextCharFormat.UnderlineStyle.DashDotDotLine,
    QTextCharFormat.UnderlineStyle.WaveUnderline,
)


@dataclass(frozen=True)
class SpanStyle:
    """How one span is drawn: a background and, as a second cue, an underline."""

    background: QColor
    underline: QTextCharFormat.UnderlineStyle | None = None
    underline_color: QColor | None = None
    overline: bool = False
    bold: bool = False


@dataclass(frozen=True)
class Outline:
    """A box drawn around a stretch of text, over its highlight: how review shows where two layers differ.

    Side "a" is boxed just outside the text with a solid pen, side "b" just
    inside it with a dashed pen, so two spans over the same characters still
    show as two boxes, told apart by line as well as by colour.
    """

    start: int
    end: int
    color: QColor
    side: str  # "a" or "b"
    layer: str = ""


class SpanIndex:
    """Spans of one document sorted by start, for quick lookups of what is visible."""

    def __init__(self, spans: Sequence[Span] = ()) -> None:
        self.by_id: dict[str, Span] = {s.id: s for s in spans}
        self._rebuild()

    @staticmethod
    def _key(span: Span) -> tuple[int, int, str]:
        return (span.start, -span.end, span.id)

    def _rebuild(self) -> None:
        self.ordered = sorted(self.by_id.values(), key=self._key)
        self.keys = [self._key(s) for s in self.ordered]
        self.starts = [s.start for s in self.ordered]
        self.longest = max((s.end - s.start for s in self.ordered), default=0)

    def upsert(self, spans: Sequence[Span], removed: Sequence[str]) -> None:
        """Add, replace and remove spans; a few changes are placed by bisection, not a full sort."""
        spans = list({s.id: s for s in spans}.values())
        ids = dict.fromkeys([*removed, *(s.id for s in spans)])
        changed = [self.by_id[i] for i in ids if i in self.by_id]
        if len(changed) + len(spans) > 64:
            for span_id in removed:
                self.by_id.pop(span_id, None)
            for span in spans:
                self.by_id[span.id] = span
            self._rebuild()
            return
        for old in changed:
            at = bisect_left(self.keys, self._key(old))
            del self.ordered[at], self.keys[at], self.starts[at]
            del self.by_id[old.id]
        shortened = any(old.end - old.start == self.longest for old in changed)
        for span in spans:
            key = self._key(span)
            at = bisect_left(self.keys, key)
            self.ordered.insert(at, span)
            self.keys.insert(at, key)
            self.starts.insert(at, span.start)
            self.by_id[span.id] = span
        if shortened:
            self.longest = max((s.end - s.start for s in self.ordered), default=0)
        else:
            self.longest = max([self.longest, *(s.end - s.start for s in spans)])

    def count(self) -> int:
        return len(self.by_id)

    def ranges(self, span_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(start, end) of those of ``span_ids`` that are in the index."""
        by_id = self.by_id
        return {i: (by_id[i].start, by_id[i].end) for i in span_ids if i in by_id}

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans that overlap [start, end), without scanning the whole document."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [s for s in self.ordered[lo:hi] if s.end > start]

    def at(self, offset: int) -> list[Span]:
        """Spans containing ``offset``, innermost (shortest) first."""
        found = [s for s in self.overlapping(offset, offset + 1)]
        return sorted(found, key=lambda s: s.end - s.start)
