"""A transcript's source lines as its text view asks for them: near the screen, or by number.

A transcript can have 10,000 source lines; the gutter and the line-start marks need
the twenty or so in view. ``StoredLines`` reads a run of consecutive lines around the
asked range in one indexed query and keeps it, so the paints of one screen, and the
scrolls that stay near it, read nothing. ``LineList`` answers the same questions from a
list held in memory. Lines never change once stored.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

from ...core.model import SourceLine


class LineIndex:
    """Source lines ordered by number (and so by start). Subclasses supply ``_run``."""

    def __len__(self) -> int:
        raise NotImplementedError

    def __bool__(self) -> bool:
        return len(self) > 0

    @property
    def last_number(self) -> int:
        raise NotImplementedError

    def _run(self, start: int, end: int) -> tuple[Sequence[SourceLine], list[int]]:
        """Consecutive lines, with their starts, from the last starting at or before ``start``
        (or the first line) to the first starting after ``end`` (or the last line)."""
        raise NotImplementedError

    def from_line_at(self, start: int, end: int) -> Sequence[SourceLine]:
        """The line where ``start`` falls (the last one starting at or before it), then every line
        starting up to ``end``: what the gutter shows for a visible range."""
        lines, starts = self._run(start, end)
        lo = max(0, bisect_right(starts, start) - 1)
        hi = bisect_left(starts, end + 1)
        return lines[lo:hi]

    def starting_in(self, start: int, end: int) -> Sequence[SourceLine]:
        """Lines whose start is in [start, end)."""
        lines, starts = self._run(start, end)
        return lines[bisect_left(starts, start) : bisect_left(starts, end)]

    def at(self, offset: int) -> SourceLine | None:
        """The line containing ``offset``, or None (between lines, or past the last)."""
        lines, starts = self._run(offset, offset)
        i = bisect_right(starts, offset) - 1
        if i >= 0 and lines[i].start <= offset < lines[i].end:
            return lines[i]
        return None

    def numbered(self, number: int) -> SourceLine | None:
        raise NotImplementedError


class LineList(LineIndex):
    """Lines held in a list (given, not read)."""

    def __init__(self, lines: Sequence[SourceLine] = ()) -> None:
        self.lines = list(lines)
        self.starts = [ln.start for ln in self.lines]

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        return iter(self.lines)

    @property
    def last_number(self) -> int:
        return self.lines[-1].number if self.lines else 0

    def _run(self, start: int, end: int) -> tuple[Sequence[SourceLine], list[int]]:
        return self.lines, self.starts

    def numbered(self, number: int) -> SourceLine | None:
        i = number - 1
        if 0 <= i < len(self.lines) and self.lines[i].number == number:
            return self.lines[i]
        return next((ln for ln in self.lines if ln.number == number), None)


class LineSource(Protocol):
    """What ``StoredLines`` reads (the project's ``Store``)."""

    def line_extent(self, document_id: str) -> tuple[int, int]: ...

    def last_line_number(self, document_id: str) -> int: ...

    def source_lines_around(self, document_id: str, start: int, end: int) -> tuple[list[SourceLine], bool, bool]: ...

    def source_line(self, document_id: str, number: int) -> SourceLine | None: ...


class StoredLines(LineIndex):
    """The source lines of one stored document, read a run at a time.

    A run is read for the asked range and as much again on each side; a range inside the
    run (with its first line starting at or before the range, its last after it, or the
    run reaching the document's ends) is answered from it.
    """

    def __init__(self, source: LineSource, document_id: str) -> None:
        self._source = source
        self.document_id = document_id
        self._count: int | None = None  # counted when asked (the gutter needs the last number only)
        self._last = source.last_line_number(document_id)
        self._lines: list[SourceLine] = []
        self._starts: list[int] = []
        self._from_first = self._to_last = False
        self._read = False

    def __len__(self) -> int:
        if self._count is None:
            self._count = 0 if getattr(self._source, "closed", False) else self._source.line_extent(self.document_id)[0]
        return self._count

    def __bool__(self) -> bool:
        return self._last > 0

    @property
    def last_number(self) -> int:
        return self._last

    def _covers(self, start: int, end: int) -> bool:
        if not self._read:
            return False
        if not self._lines:
            return self._from_first and self._to_last
        low = self._from_first or self._starts[0] <= start
        high = self._to_last or self._starts[-1] > end
        return low and high

    def _run(self, start: int, end: int) -> tuple[Sequence[SourceLine], list[int]]:
        if getattr(self._source, "closed", False):
            return [], []  # the project was closed under a pending paint: nothing to draw
        if not self._covers(start, end):
            reach = max(end - start, 0)
            lines, first, last = self._source.source_lines_around(
                self.document_id, max(0, start - reach), end + reach)
            self._lines, self._from_first, self._to_last = lines, first, last
            self._starts = [ln.start for ln in lines]
            self._read = True
        return self._lines, self._starts

    def numbered(self, number: int) -> SourceLine | None:
        if self._lines and self._lines[0].number <= number <= self._lines[-1].number:
            line = self._lines[number - self._lines[0].number]
            if line.number == number:
                return line
        if getattr(self._source, "closed", False):
            return None
        return self._source.source_line(self.document_id, number)


class CoverageSource(Protocol):
    """What ``StoredCoverage`` reads (the project's ``Store``)."""

    def longest_link(self, transcript_id: str) -> int: ...

    def coverage(self, transcript_id: str, layers: Iterable[str] | None = None, *,
                 lines: tuple[int, int, int] | None = None) -> dict[int, list[tuple[str, str, str]]]: ...


class StoredCoverage(Mapping[int, list[tuple[str, str, str]]]):
    """Which articles report each source line of a transcript (``Store.coverage``), read a run
    of lines at a time: the gutter asks for the lines in view. Iterating reads every line's.
    Made again when links change (``Workspace.refresh_coverage``)."""

    RUN = 400

    def __init__(self, source: CoverageSource, transcript_id: str, layers: Iterable[str] | None) -> None:
        self._source = source
        self.transcript_id = transcript_id
        self._layers = None if layers is None else sorted(layers)
        self._longest = source.longest_link(transcript_id)
        self._run: tuple[int, int] = (0, -1)
        self._part: dict[int, list[tuple[str, str, str]]] = {}
        self._all: dict[int, list[tuple[str, str, str]]] | None = None

    def __getitem__(self, number: int) -> list[tuple[str, str, str]]:
        if self._all is not None:
            return self._all[number]
        if getattr(self._source, "closed", False):
            raise KeyError(number)
        first, last = self._run
        if not first <= number <= last:
            first = max(1, number - self.RUN // 2)
            last = first + self.RUN - 1
            self._part = self._source.coverage(self.transcript_id, self._layers, lines=(first, last, self._longest))
            self._run = (first, last)
        return self._part[number]

    def _everything(self) -> dict[int, list[tuple[str, str, str]]]:
        if self._all is None:
            self._all = self._source.coverage(self.transcript_id, self._layers)
        return self._all

    def __iter__(self) -> Iterator[int]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())
