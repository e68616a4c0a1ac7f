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


def normalize_text(text: str) -> str:
    """Line ends to LF and no BOM or NUL, and nothing else changed: the one normalisation
    of every text that enters a project (import, merge, anything else).

    The stored text is what the user sees and what offsets count, so spacing,
    quotes and dashes are kept exactly. U+2028/U+2029 become "\\n" because Qt uses
    U+2029 for its own paragraph breaks and would otherwise confuse the two.
    """
    return normalize_with_offsets(text)[0]


def is_normalized(text: str) -> bool:
    """Whether ``normalize_text`` would leave ``text`` as it is (a quick check, no copy)."""
    return not text.startswith("\ufeff") and not any(ch in text for ch in ("\r", "\x00", "\u2028", "\u2029"))


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize_text(text)`` and, for every offset 0..len(text) of ``text``, its offset in the result.

    Normalising only drops characters (a leading BOM, the CR of CRLF, NUL) or
    replaces one by one (CR, U+2028, U+2029 by LF), so offsets map monotonically;
    an offset inside a dropped CRLF's CR maps to the LF's position.
    """
    if text.isascii() and "\r" not in text and "\x00" not in text:
        return text, list(range(len(text) + 1))
    out: list[str] = []
    mapping: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        mapping.append(len(out))
        if ch == "\ufeff" and i == 0:
            continue
        if ch == "\x00":
            continue
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                continue
            out.append("\n")
        elif ch in "\u2028\u2029":
            out.append("\n")
        else:
            out.append(ch)
    mapping.append(len(out))
    return "".join(out), mapping


class OffsetError(ValueError):
    pass


def check_range(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise OffsetError(f"range {start}-{end} lies outside the text (length {len(text)})")


def anchor_quote(text: str, quote: Quote, hint: int | None = None) -> tuple[int, int] | None:
    """Find ``quote`` in ``text``; None when it cannot be placed honestly.

    An occurrence counts only where the quote's context still holds: its whole
    prefix or its whole suffix is found beside it, and at least the nearer half
    of the other (prefix and suffix as the W3C TextQuoteSelector means them; at
    the start or end of the text the context is shorter). The same words
    elsewhere, in a sentence that was reworded, are not the quote,
    so a reworded quote is reported by the caller rather than moved. Among
    occurrences that hold, the one whose context matches best wins; a tie is
    broken by closeness to ``hint`` (the old offset), and without a hint it
    makes the quote ambiguous (None).
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

    def context(pos: int) -> tuple[int, int]:
        before = text[max(0, pos - len(quote.prefix)) : pos]
        after = text[pos + len(quote.exact) : pos + len(quote.exact) + len(quote.suffix)]
        return _common_suffix(before, quote.prefix), _common_prefix(after, quote.suffix)

    def holds(pos: int) -> bool:
        # One side whole and at least the nearer half of the other: a phrase repeated
        # elsewhere (a headline in the body, a formula used twice) shares one side at most.
        # Near an end of this text the other side can only be as long as the text allows
        # (a correction line added above the quote in the colleague's copy, for instance);
        # the whole side must really be whole.
        before, after = context(pos)
        prefix, suffix = len(quote.prefix), len(quote.suffix)
        room_before, room_after = min(prefix, pos), min(suffix, len(text) - pos - len(quote.exact))
        return (before == prefix and 2 * after >= room_after) or (after == suffix and 2 * before >= room_before)

    positions = [p for p in positions if holds(p)]
    if not positions:
        return None

    def context_score(pos: int) -> int:
        return sum(context(pos))

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
