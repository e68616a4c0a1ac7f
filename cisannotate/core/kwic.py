"""Keyword in context: concordance lines of search hits, their orders, counts and CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .search_query import WORD

CONTEXT = 60  # characters shown either side of the keyword
SORTS = ("corpus", "left", "keyword", "right", "document")


@dataclass(frozen=True)
class Line:
    document_id: str
    title: str
    outlet: str
    kind: str
    date: str
    start: int
    end: int
    left: str
    keyword: str
    right: str

    def sort_key(self, order: str) -> tuple:
        words_left = WORD.findall(self.left.casefold())
        words_right = WORD.findall(self.right.casefold())
        if order == "left":  # by the word just before the keyword, then the one before that...
            return (tuple(reversed(words_left[-3:])), self.keyword.casefold())
        if order == "right":
            return (tuple(words_right[:3]), self.keyword.casefold())
        if order == "keyword":
            return (self.keyword.casefold(), tuple(words_right[:3]))
        if order == "document":
            return (self.title.casefold(), self.start)
        return ()  # corpus order: as found


def _one_line(text: str) -> str:
    return " ".join(text.split())


def line(document, text: str, start: int, end: int, context: int = CONTEXT) -> Line:
    """The concordance line of the hit ``start``-``end`` of ``document`` (a DocumentSummary)."""
    left = _one_line(text[max(0, start - context * 2):start])[-context:]
    right = _one_line(text[end:end + context * 2])[:context]
    return Line(document.id, document.title or document.source_file or document.id, document.outlet or "",
                document.kind, document.date or "", start, end, left, _one_line(text[start:end]), right)


def ordered(lines: list[Line], order: str) -> list[Line]:
    if order not in SORTS:
        raise ValueError(f"unknown order {order!r} (expected one of {', '.join(SORTS)})")
    return lines if order == "corpus" else sorted(lines, key=lambda ln: ln.sort_key(order))


@dataclass(frozen=True)
class Counts:
    hits: int
    documents: int
    by_outlet: list[tuple[str, int]]  # most hits first
    by_kind: list[tuple[str, int]]

    def words(self) -> str:
        outlets = ", ".join(f"{name} {n}" for name, n in self.by_outlet)
        kinds = ", ".join(f"{n} in {kind}s" for kind, n in self.by_kind)
        return f"{self.hits} hits in {self.documents} documents ({kinds}); by outlet: {outlets}"


NO_OUTLET = "(no outlet)"


def counts(lines: Iterable[Line]) -> Counts:
    lines = list(lines)
    outlets = Counter(ln.outlet or NO_OUTLET for ln in lines)
    kinds = Counter(ln.kind for ln in lines)
    return Counts(len(lines), len({ln.document_id for ln in lines}),
                  sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])),
                  sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


CSV_COLUMNS = ("document_id", "title", "outlet", "kind", "date", "start", "end", "left", "keyword", "right")


def to_csv(lines: Iterable[Line], *, excel: bool = False) -> str:
    """The concordance as CSV (offsets in code points, end exclusive), one row per hit.

    ``excel`` starts it with a byte-order mark, without which Excel reads UTF-8 as
    the system's code page and Cyrillic turns to mojibake.
    """
    out = io.StringIO()
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for ln in lines:
        writer.writerow([getattr(ln, c) for c in CSV_COLUMNS])
    return out.getvalue()
