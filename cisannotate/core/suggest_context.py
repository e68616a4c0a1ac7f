"""What the rest of an article says about where a span's source lies.

Articles report a speech roughly in the order it was given, and a report of one speech
seldom jumps to another. So the sentences of the article around a span whose first
suggestion is confident (*anchors*) point to where, in which transcript, the span's own
source is likely to be: the ``order`` feature. For a line of a transcript that the
article's anchors point to, it is

    order = share * exp(-d / ORDER_SCALE)

where ``share`` is the share of the article's anchors (those not overlapping the span)
that point to the line's transcript, and ``d`` how many lines it lies outside the range
between the nearest anchor of that transcript before the span and the nearest one after
it (0 inside; the distance to the one anchor when there is one side only). Lines of a
transcript no anchor points to get 0. The share keeps one stray anchor (a sentence of
a report that matched a neighbouring speech best) from pulling its neighbours there.

The anchors are the article's own sentences ranked *without* this feature, never the
gold or the annotator's links, so the window, ``cisannotate suggest`` and the
evaluation compute it alike; sentences that overlap the span itself are left out.

The constants were fixed beforehand, not fitted; the feature's weight is fitted with the
others (``benchmarks/suggest_eval.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# A sentence of the article is an anchor when its first suggestion scores at least this:
# the no-source threshold ("more likely right than wrong").
ANCHOR_SCORE = 0.5
# The order feature of a line d lines outside where the anchors point: exp(-d / scale).
ORDER_SCALE = 3.0


@dataclass(frozen=True)
class InArticle:
    """Where a query's span sits: its article's whole text and the span's range in it
    (code points, end exclusive), and the article's language for its sentence split."""

    text: str
    start: int
    end: int
    language: str = ""


@dataclass(frozen=True)
class Anchor:
    """A sentence of the article whose first suggestion is confident."""

    start: int
    end: int
    document_id: str
    line: int  # the line's number in its transcript (a merged candidate's first line)
    score: float


@dataclass(frozen=True)
class Pointer:
    """Where the anchors around a span point in one transcript: lines ``low`` to ``high``
    (one line when only one side has an anchor there), and the share of the article's
    anchors in that transcript."""

    low: int
    high: int
    share: float


@dataclass(frozen=True)
class ArticleReading:
    """An article's anchors, in article order."""

    anchors: tuple[Anchor, ...]

    def pointers(self, start: int, end: int) -> dict[str, Pointer]:
        """For each transcript the anchors point to, where they point for a span
        ``start``-``end`` (anchors overlapping the span are left out)."""
        others = [a for a in self.anchors if a.end <= start or a.start >= end]
        result: dict[str, Pointer] = {}
        for document in dict.fromkeys(a.document_id for a in others):
            mine = [a for a in others if a.document_id == document]
            before = [a.line for a in mine if a.end <= start][-1:]
            after = [a.line for a in mine if a.start >= end][:1]
            near = before + after
            result[document] = Pointer(min(near), max(near), len(mine) / len(others))
        return result


def reading(sentences: Sequence[tuple[int, int]],
            firsts: Sequence[tuple[str, int, float] | None]) -> ArticleReading:
    """An article's reading from its sentences' ranges and each one's first suggestion
    ``(document, line number, score)`` (None when it has none)."""
    return ArticleReading(tuple(Anchor(s, e, first[0], first[1], first[2])
                                for (s, e), first in zip(sentences, firsts)
                                if first is not None and first[2] >= ANCHOR_SCORE))


def order_value(document_id: str, number: int, pointers: dict[str, Pointer]) -> float:
    """The ``order`` feature of one line (the index computes it for all lines at once)."""
    pointer = pointers.get(document_id)
    if pointer is None:
        return 0.0
    apart = max(pointer.low - number, number - pointer.high, 0)
    return pointer.share * math.exp(-apart / ORDER_SCALE)
