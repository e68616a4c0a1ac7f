"""Suggestions' text features: word tokens, content words, stems and character n-grams,
with British spellings folded to American ones so both translations meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

from .language import other_script, stem, stop_words
from .rank_features import fold_numbers, ungroup_digits


_NGRAM = 4
_WORD = re.compile(r"[^\W\d_]+|\d+")

# Function words, plus the verbs and adverbs with which articles attribute speech:
# the attribution frame ("he said", "according to") is never part of the source.
_STOP = stop_words("en") | stop_words("ru")

_STEMMER = snowballstemmer.stemmer("english")

# British spellings folded to American ones so both translations meet.
_SPELLING = (
    (re.compile(r"(?<=\w\w\w)is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=\w)ys(e|es|ed|ing|is)$"), r"yz\1"),
    (re.compile(r"(?<=\w[lvbnm])our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"(?<=\w\w)tre(s)?$"), r"ter\1"),
)


@lru_cache(maxsize=200_000)
def _fold(word: str) -> str:
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return stem(word) if other_script(word) else _STEMMER.stemWord(_fold(word))


@lru_cache(maxsize=200_000)
def _ngrams(word: str) -> tuple[str, ...]:
    padded = f" {_fold(word)} "
    if len(padded) <= _NGRAM:
        return (padded,)
    return tuple(padded[i : i + _NGRAM] for i in range(len(padded) - _NGRAM + 1))


def _words(text: str) -> list[str]:
    """Lower-case word tokens; typographic apostrophes split like straight ones; number
    words folded to digits ("eleven per cent" -> "11 percent", see ``rank_features``)."""
    return fold_numbers(_WORD.findall(ungroup_digits(text.lower().replace("ё", "е"))))


def _content(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in _STOP]


@lru_cache(maxsize=65_536)
def _stem_text(text: str) -> str:
    """The content-word stems of a text, in order: what the fuzzy re-ranking compares."""
    return " ".join(_stem(w) for w in _content(_words(text)))
