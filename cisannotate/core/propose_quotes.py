"""Pre-annotation: the quotations of an article, paragraph by paragraph.

Offsets are code points into the article, end exclusive.
"""

from __future__ import annotations

import re

from .propose_rules import _CLOSE_DOUBLE, _OPEN_DOUBLE


# ------------------------------------------------------------------------ quotations

def find_quotations(text: str) -> list[tuple[int, int, bool]]:
    """Quotations as (start, end, closed): the range inside the marks, paragraph by
    paragraph. Curly double marks pair by direction; straight double marks alternate;
    single marks count only when they open after a space or a line start and close
    before a non-letter, so apostrophes ("PM's", "drivers' pay") are left alone."""
    quotes: list[tuple[int, int, bool]] = []
    for match in re.finditer(r"[^\n]+", text):
        quotes.extend(_paragraph_quotes(text, match.start(), match.end()))
    return quotes


def _paragraph_quotes(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    found = []
    opened: int | None = None
    i = start
    while i < end:
        ch = text[i]
        if opened is None:
            if ch in _OPEN_DOUBLE or (ch == '"' and _opens(text, i, start)):
                opened = i + 1
            elif ch in "\u2018'" and _opens(text, i, start) and _single_closes_later(text, i, end):
                close = _single_close(text, i, end)
                found.append((i + 1, close, True))
                i = close + 1
                continue
        elif ch in _CLOSE_DOUBLE or ch == '"':
            found.append((opened, i, True))
            opened = None
        i += 1
    if opened is not None:
        found.append((opened, end, False))
    return [(s, e, closed) for s, e, closed in found if text[s:e].strip()]


def _opens(text: str, i: int, line_start: int) -> bool:
    before = text[i - 1] if i > line_start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _single_close(text: str, i: int, end: int) -> int:
    for j in range(i + 2, end):
        if text[j] in "\u2019'" and (j + 1 >= end or not text[j + 1].isalpha()) and \
                text[j - 1] != " " and (text[j - 1] != "s" or j + 1 >= end or text[j + 1] in ",.:;!?"):
            return j  # "drivers' pay" is no close; "‘Soldiers are not nurses’:" is
    return -1


def _single_closes_later(text: str, i: int, end: int) -> bool:
    close = _single_close(text, i, end)
    return close > i + 1 and len(text[i + 1:close].split()) >= 3


# ------------------------------------------------------------------------ names


def _closing_mark(text: str, end: int) -> int:
    """A partial quote's clause ends with its quotation's closing mark (and the full stop
    inside it): 'the plan had "no chance."'."""
    m = re.match(r"[.!?]?[\u201d\"\u2019]", text[end:end + 2])
    return end + m.end() if m else end
