"""Word-level comparison of an article span with the source text it reports.

What a reader of the article misses (left out), what the article adds, and
what it substitutes, word by word. Words are compared case-insensitively and
without their surrounding punctuation, so a changed comma or capital is not a
difference; the pieces keep the original spelling for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_WORD = re.compile(r"\S+")
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "left_out", "added", "substituted"
    source: str  # words of the source ("" for added)
    article: str  # words of the article ("" for left_out)


@dataclass(frozen=True)
class Comparison:
    pieces: tuple[Piece, ...]
    same_words: int
    source_words: int
    article_words: int

    @property
    def left_out(self) -> list[str]:
        return [p.source for p in self.pieces if p.kind == "left_out"]

    @property
    def added(self) -> list[str]:
        return [p.article for p in self.pieces if p.kind == "added"]

    @property
    def substituted(self) -> list[tuple[str, str]]:
        return [(p.source, p.article) for p in self.pieces if p.kind == "substituted"]

    @property
    def overlap(self) -> float:
        """Share of the source's words that the article keeps (0 to 1)."""
        return self.same_words / self.source_words if self.source_words else 0.0


def _key(word: str) -> str:
    return _EDGE_PUNCT.sub("", word).casefold().replace("’", "'")


def compare(source: str, article: str) -> Comparison:
    """Compare ``article`` (the span) against ``source`` (the linked source text)."""
    source_words = _WORD.findall(source)
    article_words = _WORD.findall(article)
    source_keys = [_key(w) for w in source_words]
    article_keys = [_key(w) for w in article_words]
    matcher = SequenceMatcher(a=source_keys, b=article_keys, autojunk=False)
    pieces: list[Piece] = []
    same = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        src = " ".join(source_words[i1:i2])
        art = " ".join(article_words[j1:j2])
        if tag == "equal":
            same += i2 - i1
            pieces.append(Piece("same", src, art))
        elif tag == "delete":
            pieces.append(Piece("left_out", src, ""))
        elif tag == "insert":
            pieces.append(Piece("added", "", art))
        else:
            pieces.append(Piece("substituted", src, art))
    return Comparison(tuple(pieces), same, len(source_words), len(article_words))


def suggest_relation(comparison: Comparison) -> str:
    """A first guess at the relation, for the user to confirm or change.

    Verbatim when every article word is in the source in order; close when most
    of the article's words come from the source; loose otherwise. Distortion is
    a judgement of meaning and is never guessed.
    """
    if comparison.article_words and comparison.same_words == comparison.article_words:
        return "verbatim"
    if comparison.article_words and comparison.same_words / comparison.article_words >= 0.5:
        return "close paraphrase"
    return "loose paraphrase"
