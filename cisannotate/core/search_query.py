"""Corpus search queries: what a researcher types, and where it matches in a text.

The query language, in the spirit of concordancers and SQLite FTS5:

- ``colour revolution``: the words as a phrase, in order, in any inflected form
  (each document's words are compared by their stems, in the document's language);
  line breaks and punctuation between the words do not matter.
- ``"colour revolution"``: the same (quotes only group).
- ``revolution*``: any word beginning so (``revolutions``, ``revolutionary``).
- ``NEAR(west provocations, 10)``: all the words within 10 words of each other, in any
  order (10 when the number is left out).
- ``A OR B``: either (each side a phrase or a NEAR group).
- a regular expression, when the caller asks for one (Python's syntax, case-insensitive).

Everything here is plain Python: the storage layer uses ``fts_terms`` to let SQLite
narrow the documents down, and ``find`` places the hits exactly, in code points.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .language import language_name, snowball

# Letters and digits, as SQLite's unicode61 tokenizer counts a word.
WORD = re.compile(r"[^\W_]+")
NEAR_DEFAULT = 10


class QueryError(ValueError):
    """The query cannot be read; the message says where."""


# ------------------------------------------------------------------ words and stems
def fold(word: str) -> str:
    """A word as compared: case folded, Latin diacritics removed (as SQLite's index does)."""
    word = word.casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(
        c for c in decomposed if not (unicodedata.combining(c) and _latin_before(decomposed, c))))


def _latin_before(text: str, mark: str) -> bool:
    # Only Latin letters lose their marks (й and ё keep theirs, as in the index).
    i = text.index(mark)
    while i > 0 and unicodedata.combining(text[i - 1]):
        i -= 1
    return i > 0 and "LATIN" in unicodedata.name(text[i - 1], "")


_WORD_CACHE = 200_000  # words remembered per language's stemmer


@lru_cache(maxsize=64)
def stemmer_for(language: str) -> Callable[[str], str]:
    """word -> stem for a document language (the folded word itself where no stemmer exists).

    One per language, so its word cache serves every document of a search, not only one.
    """
    name = language_name(language)
    if name is None:
        return fold
    stem = snowball(name).stemWord
    cache: dict[str, str] = {}

    def stemmed(word: str) -> str:
        folded = word.casefold()
        found = cache.get(folded)
        if found is None:
            if len(cache) >= _WORD_CACHE:
                cache.clear()  # bounded: a corpus's vocabulary can be large
            found = cache[folded] = fold(stem(folded))
        return found

    return stemmed


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of every word of ``text``, in code points."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), match.group()


@lru_cache(maxsize=64)
def _stems_by_form(language: str) -> dict[str, str]:
    """word as written -> its stem, for one language, shared by every document indexed."""
    return {}


def stems_of(text: str, language: str) -> str:
    """The text's words as stems, space separated: what the stem index holds for a document."""
    words = WORD.findall(text)
    known = _stems_by_form(language)
    new = set(words).difference(known)  # each word form stemmed once per import (archives repeat them)
    if new:
        if len(known) + len(new) > _WORD_CACHE:
            known.clear()  # bounded: a corpus's vocabulary can be large
            new = set(words)
        stem = stemmer_for(language)
        known.update({word: stem(word) for word in new})
    return " ".join(map(known.__getitem__, words))


# ------------------------------------------------------------------ parsing
@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool = False  # "revolution*"

    def matcher(self, stem: Callable[[str], str]) -> Callable[[str], bool]:
        if self.prefix:
            start = fold(self.word)
            return lambda token: fold(token).startswith(start)
        wanted = stem(self.word)
        return lambda token: stem(token) == wanted


@dataclass(frozen=True)
class Phrase:
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Near:
    terms: tuple[Term, ...]
    distance: int


Group = Phrase | Near


@dataclass(frozen=True)
class Query:
    groups: tuple[Group, ...]  # any of them (OR)
    text: str


_NEAR = re.compile(r"^NEAR\((?P<body>[^()]*?)(?:,\s*(?P<n>\d+))?\s*\)$")


def parse(text: str) -> Query:
    """Read a query; QueryError says what is wrong with it."""
    text = text.strip()
    if not text:
        raise QueryError("the query is empty")
    groups: list[Group] = []
    for part in re.split(r"(?:^|\s+)OR(?:\s+|$)", text):
        part = part.strip()
        if not part or part == "OR":
            raise QueryError("OR needs something on both sides")
        near = _NEAR.match(part)
        if near:
            terms = _terms(near.group("body"))
            if len(terms) < 2:
                raise QueryError("NEAR( ) needs at least two words, e.g. NEAR(west provocations, 10)")
            groups.append(Near(terms, int(near.group("n") or NEAR_DEFAULT)))
        elif part.startswith("NEAR("):
            raise QueryError("write NEAR as NEAR(word word, N), e.g. NEAR(west provocations, 10)")
        else:
            if part.count('"') % 2:
                raise QueryError("a quotation mark is not closed")
            groups.append(Phrase(_terms(part)))
    return Query(tuple(groups), text)


def _terms(text: str) -> tuple[Term, ...]:
    terms = []
    for raw in re.findall(r"[^\s\"]+", text):
        prefix = raw.endswith("*")
        words = WORD.findall(raw)
        if not words:
            continue
        for i, word in enumerate(words):
            terms.append(Term(word, prefix and i == len(words) - 1))
    if not terms:
        raise QueryError("the query has no words to look for")
    return tuple(terms)


def fts_terms(query: Query, languages: set[str]) -> list[list[tuple[str, str]]]:
    """For each group, what a document must contain for it to match, as SQLite can look it up.

    Each item is ``("stem", STEM)`` (in the stem index: any of the languages' stems) or
    ``("prefix", WORD)`` (in the word index). A document that matches the query has all
    the items of one group; ``find`` then checks order and distance.
    """
    stemmers = [stemmer_for(lang) for lang in (languages or {""})]
    out = []
    for group in query.groups:
        items = []
        for term in group.terms:
            if term.prefix:
                items.append(("prefix", fold(term.word)))
            else:
                items.append(("stem", " ".join(sorted({stem(term.word) for stem in stemmers}))))
        out.append(items)
    return out


# ------------------------------------------------------------------ finding
class Finder:
    """A query prepared for many documents: where it matches in each, in code points.

    A document's words are compared with the query's terms by their distinct forms,
    and each form's verdict is kept for the rest of the search: across an archive the
    same few thousand words recur, so most documents need no stemming at all.
    """

    def __init__(self, query: Query) -> None:
        self.query = query
        # (group, term, language) -> (forms that match, forms already judged)
        self._judged: dict[tuple[int, int, str], tuple[set[str], set[str]]] = {}

    def _forms(self, group: int, number: int, term: Term, words: set[str], language: str) -> set[str]:
        """The forms among ``words`` that ``term`` matches in a text of ``language``."""
        key = (group, number, language)
        judged = self._judged.get(key)
        if judged is None:
            judged = self._judged[key] = (set(), set())
        matching, seen = judged
        unseen = words - seen
        if unseen:
            matches = term.matcher(stemmer_for(language))
            matching.update(w for w in unseen if matches(w))
            seen |= unseen
        return words & matching

    def find(self, text: str, language: str) -> list[tuple[int, int]]:
        """Every hit in ``text`` (start, end in code points), in order, without overlaps."""
        # The distinct words, from the distinct runs between spaces (no word holds a space, so
        # these are the same words; a long text repeats most of its runs).
        distinct = set(WORD.findall(" ".join(set(text.split()))))
        words: list[str] | None = None  # every word in order: for NEAR only
        found: set[tuple[int, int]] = set()
        for g, group in enumerate(self.query.groups):
            forms = [self._forms(g, t, term, distinct, language) for t, term in enumerate(group.terms)]
            if not all(forms):
                continue  # a word of the group is nowhere in the text
            if isinstance(group, Phrase):
                found.update(_phrases(text, forms))
            else:
                # The k-th word of ``words`` among a term's forms is the k-th place of those forms.
                if words is None:
                    words = WORD.findall(text)
                positions = [[i for i, w in enumerate(words) if w in f] for f in forms]
                places = [[m.span() for m in _occurrences(text, f)] for f in forms]
                for (a, ta), (b, tb) in _near(positions, group.distance):
                    found.add((places[ta][bisect_left(positions[ta], a)][0], places[tb][bisect_left(positions[tb], b)][1]))
        hits: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if hits and start < hits[-1][1]:
                continue
            hits.append((start, end))
        return hits


def _occurrences(text: str, forms: set[str]) -> Iterator[re.Match[str]]:
    """Where any of ``forms`` stands as a whole word (as ``WORD`` splits a text)."""
    pattern = _ending_words("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
    for match in pattern.finditer(text):
        start = match.start()
        if start == 0 or not WORD.match(text, start - 1):  # not the end of a longer word
            yield match


@lru_cache(maxsize=4096)
def _ending_words(alternatives: str) -> re.Pattern[str]:
    # The words, then no letter or digit after them. (A pattern that begins with a literal is
    # searched for quickly; one that begins with a look-behind is tried at every position.)
    return re.compile(r"(?:" + alternatives + r")(?![^\W_])")


def _phrases(text: str, forms: list[set[str]]) -> Iterator[tuple[int, int]]:
    """Each place where the words follow each other, one of each term's forms each."""
    following = forms[1:]
    for match in _occurrences(text, forms[0]):
        end = match.end()
        for wanted in following:
            word = WORD.search(text, end)  # the next word: nothing but separators lies between
            if word is None or word.group() not in wanted:
                break
            end = word.end()
        else:
            yield match.start(), end


def find(query: Query, text: str, language: str) -> list[tuple[int, int]]:
    """Every hit of ``query`` in ``text`` (start, end in code points), in order, without overlaps."""
    return Finder(query).find(text, language)


def _near(positions: list[list[int]], distance: int) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """The first and the last word, each as (word number, term), of each place where every
    term is within ``distance`` words of the others."""
    width = distance + len(positions) - 1
    for anchor in positions[0]:
        chosen = [(anchor, 0)]
        for term, others in enumerate(positions[1:], start=1):
            best = min(others, key=lambda i: abs(i - anchor))
            chosen.append((best, term))
        numbers = [n for n, _t in chosen]
        if len(set(numbers)) == len(numbers) and max(numbers) - min(numbers) <= width:
            yield min(chosen), max(chosen)


def find_regex(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


def compile_regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text, re.IGNORECASE | re.MULTILINE)
    except re.error as exc:
        raise QueryError(f"not a regular expression: {exc}") from exc
