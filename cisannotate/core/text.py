"""Offsets, quotes and hashes of stored texts.

Stored offsets are Unicode code points (Python string indices). Qt counts
UTF-16 code units; the conversion lives in ``Utf16Map`` and nowhere else, so a
character outside the Basic Multilingual Plane (an emoji, say) never shifts a
span by one.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# How much context a TextQuoteSelector keeps on each side of the quote.
CONTEXT_CHARS = 32


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str
    suffix: str


def quote_at(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Quote:
    """The W3C TextQuoteSelector of ``text[start:end]``."""
    check_range(text, start, end)
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


class OffsetError(ValueError):
    pass


def check_range(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise OffsetError(f"range {start}-{end} lies outside the text (length {len(text)})")


def anchor_quote(text: str, quote: Quote, hint: int | None = None) -> tuple[int, int] | None:
    """Find ``quote`` in ``text``; None when it cannot be placed unambiguously.

    Among several occurrences the one whose prefix and suffix match best wins;
    ties are broken by closeness to ``hint`` (the old offset). A quote that no
    longer occurs is not guessed at: the caller reports it.
    """
    if not quote.exact:
        return None
    positions = []
    at = text.find(quote.exact)
    while at != -1:
        positions.append(at)
        at = text.find(quote.exact, at + 1)
    if not positions:
        return None

    def context_score(pos: int) -> int:
        before = text[max(0, pos - len(quote.prefix)) : pos]
        after = text[pos + len(quote.exact) : pos + len(quote.exact) + len(quote.suffix)]
        return _common_suffix(before, quote.prefix) + _common_prefix(after, quote.suffix)

    best = max(
        positions,
        key=lambda p: (context_score(p), -abs(p - hint) if hint is not None else 0),
    )
    ranked = sorted((context_score(p) for p in positions), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1] and hint is None:
        return None
    return best, best + len(quote.exact)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


class Utf16Map:
    """Converts between code-point offsets and Qt's UTF-16 positions for one text.

    Only characters outside the BMP (two UTF-16 units) make the two differ, and
    they are rare, so the map stores just their code-point positions.
    """

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        # UTF-16 position of each astral character
        self._astral16 = [p + k for k, p in enumerate(self._astral)]

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, position: int) -> int:
        # Every astral character before ``position`` counted two units.
        # A position inside a surrogate pair snaps to the character's start.
        k = bisect_right(self._astral16, position - 1)
        if k and self._astral16[k - 1] == position - 1:
            return self._astral[k - 1]
        return position - k
