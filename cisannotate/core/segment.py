"""Splitting texts into numbered sentences: transcript source lines and article sentences.

A transcript's source lines are what article spans get linked to, so each line must
be exactly one sentence of the speech and nothing else: page furniture (headings,
dates, captions, "Topics" blocks) and speaker labels are left out, because a
researcher should never be offered "17:35" or "Persons" as something an official
said. Articles are split with the same sentence rules but keep everything.

The splitter is rule-based rather than a library: the candidates on PyPI either
cost seconds per megabyte (pysbd), or never split inside quotation marks
(sentencex), so one unbalanced quote would swallow the rest of a paragraph; and
none of them knows about speaker labels, stray line breaks or page furniture.

All offsets are code points into the given text, end exclusive, with whitespace
trimmed from both ends of every range.

The rules depend on the document's ``language`` (an ISO 639-1 code): Russian,
German and English have rules of their own. The rules (sentence marks, quotes,
abbreviations, speaker labels, page furniture, the word lists of each language)
live in core.segment_rules; the splitting is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .segment_rules import (
    AMBIGUOUS_RE,
    ATTRIBUTION_RE,
    BREAKS,
    CLOSERS,
    CONNECTORS,
    CONTINUATION,
    COUNTER_RE,
    DASHES,
    DATE_MAX_CHARS,
    DATE_SPLIT_RE,
    DATE_TOKEN_RE,
    DIGIT_RE,
    ENGLISH,
    ENUMERATOR_RE,
    FULL_STOPS,
    HEADINGS,
    LABEL_PUNCT,
    LABEL_SEARCH,
    LINE_RE,
    LIST_ITEM_MAX_WORDS,
    NOT_SPEAKERS,
    OPENERS,
    QUESTION_SET,
    RUSSIAN,
    STARTERS,
    TERMINATORS,
    UNTERMINATED_MAX_WORDS,
    WIDE_SET,
    WORD_CHAR_RE,
    Rules,
    rules_for,
)

__all__ = ["Segment", "segment_sentences", "segment_transcript"]


@dataclass(frozen=True)
class Segment:
    """One sentence: its 1-based number, its range and the paragraph it sits in."""

    number: int
    start: int
    end: int
    paragraph: int
    speaker: str = ""


def segment_sentences(text: str, language: str = "") -> list[Segment]:
    """Split an article (or any text) into sentences, keeping every one of them.

    Paragraphs are runs of text between line breaks; a blank line and a single
    newline both separate paragraphs, except that a line which cannot start a
    sentence (it opens with a comma or a lowercase letter) continues the one above.
    ``language`` (an ISO 639-1 code, "" for English) chooses the abbreviations and
    quotation rules.
    """
    rules = rules_for(language, text)
    segments: list[Segment] = []
    paragraph = 0
    for start, end in _blocks(text, rules):
        ranges = _split_block(text, start, end, rules)
        if ranges:
            paragraph += 1
            base = len(segments) + 1
            segments.extend(Segment(base + i, s, e, paragraph) for i, (s, e) in enumerate(ranges))
    return segments


def segment_transcript(text: str, language: str = "") -> list[Segment]:
    """Split a transcript into source lines: the sentences of the speech, one each.

    Speaker labels ("Vladimir Putin: ...") are not part of any line; they set the
    ``speaker`` of the lines that follow. When the text has labels, everything
    before the first one is taken as the page's header. Furniture is recognised by
    its shape, not by its words: short lines without sentence-final punctuation,
    date/time lines, "2 of 3" gallery counters and the caption after them, and the
    short list lines after a section heading such as "Topics".
    """
    rules = rules_for(language, text)
    blocks = _blocks(text, rules)
    labels = [_speaker_label(text, s, e, rules) for s, e in blocks]
    single_word = _dialogue_single_word_labels(labels)
    labels = [
        label if label is not None and (" " in label[0] or label[0] in single_word) else None
        for label in labels
    ]
    seen_label = not any(labels)

    segments: list[Segment] = []
    paragraph = 0
    speaker = ""
    in_list = False
    caption_next = False
    for (start, end), label in zip(blocks, labels, strict=True):
        if label is not None:
            seen_label = True
            in_list = caption_next = False
            speaker = _speaker_name(label[0], rules)
            start = label[1]
            if start >= end:
                continue
        elif not seen_label:
            continue
        else:
            body = text[start:end]
            words = len(body.split())
            if caption_next:
                caption_next = False
                continue
            if body.rstrip(":").strip().lower() in HEADINGS:
                in_list = True
                continue
            if in_list and words <= LIST_ITEM_MAX_WORDS:
                continue
            in_list = False
            if COUNTER_RE.fullmatch(body):
                caption_next = True
                continue
            if _is_dateish(body, rules) or (
                not _ends_sentence(text, start, end, rules.closers)
                and words <= UNTERMINATED_MAX_WORDS
            ):
                continue
        ranges = [r for r in _split_block(text, start, end, rules) if _has_word(text, *r)]
        if ranges:
            paragraph += 1
            base = len(segments) + 1
            segments.extend(
                Segment(base + i, s, e, paragraph, speaker) for i, (s, e) in enumerate(ranges)
            )
    return segments


def _blocks(text: str, rules: Rules = ENGLISH) -> list[tuple[int, int]]:
    """Paragraph ranges (whitespace-trimmed), with stray line breaks mended.

    A line opening with punctuation that cannot start a sentence, or with a
    lowercase letter right after an unfinished line, is the rest of the previous
    line's sentence ("Mr Naryshkin\\n, colleagues.").
    """
    blocks: list[list[int]] = []
    previous_end = 0
    for match in LINE_RE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.start() + len(line.rstrip())
        if blocks and _continues(text, blocks[-1], previous_end, start, rules.closers):
            blocks[-1][1] = end
        else:
            blocks.append([start, end])
        previous_end = end
    return [(s, e) for s, e in blocks]


def _continues(text: str, block: list[int], previous_end: int, start: int,
               closers: str = CLOSERS) -> bool:
    first = text[start]
    if first in CONTINUATION:
        return not _ends_sentence(text, block[0], block[1], closers)
    if not first.islower() or text[block[1] - 1] == ":":
        return False
    gap = text[previous_end:start].replace("\r\n", "\n")
    single_break = sum(ch in BREAKS for ch in gap) == 1
    return single_break and not _ends_sentence(text, block[0], block[1], closers)


def _ends_sentence(text: str, start: int, end: int, closers: str = CLOSERS) -> bool:
    """Whether text[start:end] ends like a sentence (closing quotes and brackets aside).

    Looks back from the end only, so mending a long run of wrapped lines stays linear.
    """
    i = end
    while i > start and (text[i - 1] in closers or text[i - 1] in " \t"):
        i -= 1
    return i > start and text[i - 1] in TERMINATORS


def _is_dateish(body: str, rules: Rules = ENGLISH) -> bool:
    """Dates, times and datelines such as "September 29, 2022", "17:35", "Thu 29.09.2022"."""
    if len(body) > DATE_MAX_CHARS or not DIGIT_RE.search(body):
        return False
    tokens = [t for t in DATE_SPLIT_RE.split(body.rstrip(TERMINATORS).lower()) if t]
    return all(t in rules.date_words or DATE_TOKEN_RE.fullmatch(t) for t in tokens)


def _has_word(text: str, start: int, end: int) -> bool:
    return WORD_CHAR_RE.search(text, start, end) is not None


def _split_block(text: str, start: int, end: int, rules: Rules = ENGLISH) -> list[tuple[int, int]]:
    """Sentence ranges inside one paragraph."""
    ranges: list[tuple[int, int]] = []
    sentence_start = start
    for match in _end_re(rules.closers).finditer(text, start, end):
        following = match.end()
        if following == match.end(1) and WIDE_SET.isdisjoint(match.group(1)):
            continue  # no space after the mark ("3.5", "example.com"), except in CJK
        if following < end and _is_boundary(text, sentence_start, match, following, rules):
            ranges.append((sentence_start, match.end(1)))
            sentence_start = following
    if sentence_start < end:
        ranges.append((sentence_start, end))
    return ranges


@lru_cache(maxsize=8)
def _end_re(closers: str) -> re.Pattern[str]:
    """A run of sentence-final marks with the closing quotes/brackets glued to it, then
    the whitespace before whatever comes next (none after a CJK full stop). The
    pattern opens with a character class, so the engine skips ahead to the marks."""
    marks, closing = re.escape(TERMINATORS), re.escape(closers)
    return re.compile(f"([{marks}]+[{closing}]*)\\s*")


def _is_boundary(text: str, sentence_start: int, match: re.Match[str], following: int,
                 rules: Rules = ENGLISH) -> bool:
    """Whether the terminator in ``match`` ends a sentence, given what follows it."""
    nxt = text[following]
    if nxt.islower() or nxt in _NOT_AFTER_END:
        return False  # "/ТАСС/" after a dateline belongs to it
    if nxt in DASHES:
        # "«Когда?» — спросил он." goes on; "— Да. — Но не сейчас." opens a new one.
        letter = _LETTER_RE.search(text, following + 1, following + 12)
        if letter is not None and letter.group().islower():
            return False
    punctuation = match.group(1)
    mark = punctuation.rstrip(rules.closers)
    if mark == ".":
        return len(mark) < len(punctuation) or not _is_abbreviation(
            text, sentence_start, match.start(), following, rules)
    closed = len(mark) < len(punctuation)
    if not QUESTION_SET.isdisjoint(mark):
        return not (closed and _is_attribution(text, following))
    if not mark.strip(FULL_STOPS):
        return True  # the Arabic, Devanagari, Armenian, Ethiopic or CJK full stop
    # an ellipsis ends a sentence only before a capital or a quote
    return nxt.isupper() or nxt in OPENERS


_NOT_AFTER_END = CONTINUATION | {"/"}
_LETTER_RE = re.compile(r"[^\W\d_]")


def _is_attribution(text: str, following: int) -> bool:
    """Whether a quoted question or exclamation is followed by "Name said" and the like."""
    match = ATTRIBUTION_RE.match(text, following)
    return match is not None and match.group().split()[0].lower() not in STARTERS


def _is_abbreviation(text: str, sentence_start: int, dot: int, following: int,
                     rules: Rules = ENGLISH) -> bool:
    """Whether the period at ``dot`` closes an abbreviation inside the sentence."""
    token_start = dot
    while token_start > sentence_start and not text[token_start - 1].isspace():
        token_start -= 1
    token = text[token_start:dot].lstrip(OPENERS)
    if not token:
        return False
    if token_start == sentence_start and ENUMERATOR_RE.fullmatch(token):
        return True  # "1. First point", "b) ..."
    lower = token.lower()
    if rules is not ENGLISH:
        decided = _language_abbreviation(text, sentence_start, token_start, token, following, rules)
        if decided is not None:
            return decided
    if lower in rules.titles and token[0].isupper():
        return True
    if lower in rules.inline:
        return True
    nxt = text[following]
    if lower in rules.before_number and nxt.isdigit():
        return True
    if AMBIGUOUS_RE.fullmatch(token):
        word = re.match(r"[\w'\u2019]+", text[following : following + 40])
        return word is None or word.group().lower() not in rules.starters
    return False


def _language_abbreviation(text: str, sentence_start: int, token_start: int, token: str,
                           following: int, rules: Rules) -> bool | None:
    """The rules of languages other than English: True for an abbreviation, False for
    the end of the sentence, None when they do not decide."""
    lower = token.lower()
    word = re.match(r"[\w'\u2019]+", text[following : following + 40])
    next_word = word.group().lower() if word else ""
    previous = text[sentence_start:token_start].split()
    before = previous[-1].lower() if previous else ""
    # "т. д. Конец" ends; "т. е. это", "т. к. он" go on.
    if f"{before}{lower}" in rules.endable or lower in rules.endable:
        return False
    pair = f"{lower}.{next_word}"
    if (pair in rules.inline or pair in rules.endable) and text.startswith(
        ".", following + len(next_word)
    ):
        return True
    if lower in rules.after_number and before[:1].isdigit():
        # "в 2022 г. Президент" ends, unless the sentence so far is "В 2022 г." alone.
        return len(previous) <= 4 and previous[0].lower() in rules.starters
    if token.isdigit() and len(token) <= 3 and rules.ordinal_before and (
        next_word in rules.months or before in rules.ordinal_before
    ):
        return True  # a German ordinal: "am 3. Oktober", "im 20. Jahrhundert"
    if lower in rules.titles and rules is RUSSIAN:
        return True  # "г. Москва", "ул. Ильинка": lowercase in Russian
    if len(token) == 1 and token.isupper() and _INITIAL_RE.match(text, following):
        return True  # "В. В. Путин"
    return None


_INITIAL_RE = re.compile(r"[^\W\d_]\.")


def _speaker_label(text: str, start: int, end: int, rules: Rules = ENGLISH) -> tuple[str, int] | None:
    """A speaker label opening the paragraph: (label, offset where the speech starts)."""
    colon = text.find(":", start, min(end, start + LABEL_SEARCH))
    if colon <= start:
        return None
    if colon + 1 < end and not text[colon + 1].isspace():
        return None
    label = text[start:colon].strip()
    words = label.split()
    if not 1 <= len(words) <= 10 or "\n" in label:
        return None
    if words[0].lower().strip(".") in NOT_SPEAKERS or label.lower() in HEADINGS:
        return None
    for word in words:
        if any(ch in LABEL_PUNCT or ch.isdigit() for ch in word):
            return None
        if word not in CONNECTORS and not word[0].isupper() and word not in rules.label_words:
            return None
    if not words[0][0].isupper():
        return None
    speech = colon + 1
    while speech < end and text[speech].isspace():
        speech += 1
    return label, speech


def _dialogue_single_word_labels(labels: list[tuple[str, int] | None]) -> set[str]:
    """One-word labels ("Question:", "Putin:") count only in a dialogue.

    A single capitalised word before a colon is as often a dateline or a caption
    ("Moscow: ...") as a speaker; a dialogue shows itself by repeating a label.
    """
    words = [label[0] for label in labels if label is not None and " " not in label[0]]
    return set(words) if len(set(words)) < len(words) else set()


def _speaker_name(label: str, rules: Rules = ENGLISH) -> str:
    """The person in a label: "President of Russia Vladimir Putin" -> "Vladimir Putin".

    The name is what follows the last role word or connector; after "of <Place>"
    the place is dropped (one word, or all but the last two after "of the").
    """
    words = label.split()
    last_role = -1
    for i, word in enumerate(words):
        if word.lower().strip(".") in rules.roles or word in CONNECTORS:
            last_role = i
    rest = words[last_role + 1 :]
    if not rest or last_role < 0:
        return label
    if rules is RUSSIAN:
        # "Президент России В. Путин" -> "В. Путин"; "... Дмитрий Песков" -> the last two.
        initials = [i for i, w in enumerate(rest) if _INITIAL_RE.fullmatch(w)]
        if initials:
            return " ".join(rest[initials[0] :])
        return " ".join(rest[-2:])
    connector = words[last_role]
    if connector == "the" and len(rest) >= 3:
        rest = rest[-2:]
    elif connector == "of" and len(rest) >= 3:
        rest = rest[1:]
    return " ".join(rest)
