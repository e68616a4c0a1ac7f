"""A document's spans read from the project as the text view needs them, not all at once.

A transcript can carry 10,000 spans; the view draws the few dozen near what is on
screen. ``StoredSpans`` answers the questions ``SpanIndex`` answers (what overlaps a
range, what lies under a point, is this span here, how many are there) by reading
the project: one indexed query for a range, kept as a window so a scroll or a
hover inside it reads nothing. Every change to the document's spans reaches the
view as ``upsert`` (through ``Session.changed``), which forgets what was read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

from ...core.model import Span


class SpanSource(Protocol):
    """What ``StoredSpans`` reads (the project's ``Store``)."""

    def span_extent(self, document_id: str) -> tuple[int, int]: ...

    def count_spans(self, document_id: str | None = None) -> int: ...

    def spans_overlapping(self, document_id: str, start: int, end: int, longest: int) -> list[Span]: ...

    def span_in(self, document_id: str, span_id: str) -> Span | None: ...

    def span_ranges(self, document_id: str, span_ids: Iterable[str]) -> dict[str, tuple[int, int]]: ...

    def spans(self, document_id: str | None = None) -> list[Span]: ...


def _key(span: Span) -> tuple[int, int, str]:
    return (span.start, -span.end, span.id)


class _ById(Mapping[str, Span]):
    """``by_id`` of a ``StoredSpans``: membership and lookup by span id read when asked; iterating
    reads every span of the document."""

    def __init__(self, owner: StoredSpans) -> None:
        self._owner = owner

    def get(self, span_id: str, default: Span | None = None) -> Span | None:
        span = self._owner._lookup(span_id)
        return default if span is None else span

    def __contains__(self, span_id: object) -> bool:
        return isinstance(span_id, str) and self._owner._lookup(span_id) is not None

    def __getitem__(self, span_id: str) -> Span:
        span = self._owner._lookup(span_id)
        if span is None:
            raise KeyError(span_id)
        return span

    def __len__(self) -> int:
        return self._owner.count()

    def __iter__(self) -> Iterator[str]:
        return iter([s.id for s in self._owner.ordered])



class StoredSpans:
    """The spans of one stored document, with the interface of ``SpanIndex``.

    ``overlapping`` reads the asked range and as much again on each side in one query and
    keeps it; ranges inside it are answered from memory. ``ordered`` (every span, for
    stepping from one to the next) reads the whole document once until the next change.
    """

    def __init__(self, source: SpanSource, document_id: str) -> None:
        self._source = source
        self.document_id = document_id
        self.by_id = _ById(self)
        # Both read when first needed: a window at the top of the text needs no bound.
        self._count: int | None = None
        self._longest: int | None = None
        self._window: tuple[int, int] = (0, 0)
        self._window_spans: list[Span] = []
        self._window_ids: dict[str, Span] = {}
        self._has_window = False
        self._looked_up: dict[str, Span | None] = {}
        self._ordered: list[Span] | None = None

    # ------------------------------------------------------------------ reading
    @property
    def longest(self) -> int:
        """At least the length of the document's longest span (read once, then only grown)."""
        if self._longest is None:
            if getattr(self._source, "closed", False):
                return 0
            count, self._longest = self._source.span_extent(self.document_id)
            self._count = count if self._count is None else self._count
        return self._longest

    def count(self) -> int:
        if self._count is None:
            if getattr(self._source, "closed", False):
                return 0
            self._count = self._source.count_spans(self.document_id)
        return self._count

    @property
    def ordered(self) -> list[Span]:
        if getattr(self._source, "closed", False):
            return []
        if self._ordered is None:
            self._ordered = sorted(self._source.spans(self.document_id), key=_key)
        return self._ordered

    @property
    def starts(self) -> list[int]:
        return [s.start for s in self.ordered]

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans that overlap [start, end), by start, longer first (as ``SpanIndex`` orders them)."""
        lo, hi = self._window
        if getattr(self._source, "closed", False):
            return []  # the project was closed under a pending paint: nothing to draw
        if not (self._has_window and lo <= start and end <= hi):
            reach = max(end - start, 0)
            lo, hi = max(0, start - reach), end + reach
            spans = self._source.spans_overlapping(self.document_id, lo, hi, self.longest if lo > 0 else 0)
            self._window = (lo, hi)
            self._window_spans = spans
            self._window_ids = {s.id: s for s in spans}
            self._has_window = True
        if (start, end) == (lo, hi):
            return list(self._window_spans)
        return [s for s in self._window_spans if s.start < end and s.end > start]

    def at(self, offset: int) -> list[Span]:
        """Spans containing ``offset``, innermost (shortest) first."""
        return sorted(self.overlapping(offset, offset + 1), key=lambda s: s.end - s.start)

    def ranges(self, span_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(start, end) of those of ``span_ids`` that are spans of this document."""
        ids = list(span_ids)
        if self._ordered is not None:
            known = {s.id: (s.start, s.end) for s in self._ordered}
            return {i: known[i] for i in ids if i in known}
        return self._source.span_ranges(self.document_id, ids)

    def _lookup(self, span_id: str) -> Span | None:
        span = self._window_ids.get(span_id)
        if span is not None:
            return span
        if getattr(self._source, "closed", False):
            return None
        if span_id not in self._looked_up:
            if len(self._looked_up) > 512:
                self._looked_up.clear()
            self._looked_up[span_id] = self._source.span_in(self.document_id, span_id)
        return self._looked_up[span_id]

    # ----------------------------------------------------------------- changes
    def upsert(self, spans: Sequence[Span], removed: Sequence[str]) -> None:
        """Spans of this document were added, changed or removed (the project holds them already).

        The window read last is brought up to date in place (a span that now overlaps it is
        put in its place, one that left it or went is dropped), so adding a claim reads
        nothing again. The longest length only grows here: a bound too long costs a slightly
        longer index read, never a missed span.
        """
        if self._longest is not None:
            self._longest = max([self._longest, *(s.end - s.start for s in spans)])
        self._count = None
        self._ordered = None
        changed = {*removed, *(s.id for s in spans)}
        for span_id in changed:
            self._looked_up.pop(span_id, None)
        if not self._has_window:
            return
        lo, hi = self._window
        kept = [s for s in self._window_spans if s.id not in changed]
        keys = [_key(s) for s in kept]
        for span in spans:
            if span.start < hi and span.end > lo:
                at = bisect_left(keys, _key(span))
                kept.insert(at, span)
                keys.insert(at, _key(span))
        self._window_spans = kept
        self._window_ids = {s.id: s for s in kept}
