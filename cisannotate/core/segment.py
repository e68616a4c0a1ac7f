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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Segment", "segment_sentences", "segment_transcript"]


@dataclass(frozen=True)
class Segment:
    """One sentence: its 1-based number, its range and the paragraph it sits in."""

    number: int
    start: int
    end: int
    paragraph: int
    speaker: str = ""


# Characters that end a line (the same set str.splitlines() honours, minus the
# rare file/group/record separators).
_LINE_RE = re.compile(r"[^\n\r\x0b\x0c\x85\u2028\u2029]+")
_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")

_TERMINATORS = ".!?\u2026\u203c\u203d\u2047\u2048\u2049"
_CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]}"
_OPENERS = "\"'\u201c\u2018\u00ab\u2039\u201e\u201a([{\u00bf\u00a1"
# A run of sentence-final punctuation with the closing quotes/brackets glued to it,
# then the whitespace before whatever comes next.
_END_RE = re.compile(f"([{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*)\\s+")
_WORD_CHAR_RE = re.compile(r"[^\W_]")
_DIGIT_RE = re.compile(r"\d")
_DATE_MAX_CHARS = 60
# A character that cannot start a sentence, so a terminator before it is internal.
_CONTINUATION = frozenset(",;:%)]}\u00bb\u201d\u2019\u203a")

# Titles stand before a name and never end a sentence ("Mr. Putin", "St. Petersburg").
_TITLES = frozenset(
    """mr mrs ms mx messrs mme mlle dr prof st gen col maj capt cpt lt sgt cpl adm cmdr
    sen rep gov pres rev hon fr msgr amb supt insp det""".split()
)
# Abbreviations always followed by more of the same sentence.
_INLINE = frozenset("e.g i.e cf vs viz approx ca incl esp resp".split())
# Abbreviations that are internal when a number follows ("No. 5", "Sept. 29", "p. 12").
_BEFORE_NUMBER = frozenset(
    """no nos nr vol vols p pp art arts fig figs eq ch chap para paras sec sect tel ext op
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# After an initial ("V. Putin"), a dotted acronym ("U.S."), "et al." or a company
# suffix the sentence goes on unless the next word typically opens a sentence.
_AMBIGUOUS_RE = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]|al|inc|ltd|co|corp|bros|jr|sr", re.IGNORECASE)
_STARTERS = frozenset(
    """the a an this that these those it its he she they we i you there here his her their
    our my your but and or so yet however in on at as if when while after before since
    although though because what why how who where which not no yes also then now for with
    by from to all some many most one each every such only still even thus therefore
    meanwhile moreover furthermore indeed nevertheless instead today yesterday tomorrow""".split()
)
# "Why?" Putin asked.  -- a question or exclamation quoted before its attribution.
_ATTRIBUTION_RE = re.compile(
    r"(?:[^\W\d_][\w'\u2019.\-]*\s+){1,4}(?:said|says|asked|asks|added|adds|noted|notes|"
    r"replied|replies|stressed|stresses|stated|states|told|wrote|writes|continued|explained|"
    r"exclaimed|shouted|insisted|recalled|remarked|declared|emphasized|emphasised|concluded|"
    r"answered|commented|warned|cried)\b"
)
_ENUMERATOR_RE = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[IVXivx]{1,5})")

# Speaker labels: "President of Russia Vladimir Putin:", "Vladimir Putin:", "Q:".
_CONNECTORS = frozenset(
    "of the and for to on de da di del der den van von bin ibn al el la le du y".split()
)
_ROLE_WORDS = (
    frozenset(
        """president vice prime minister foreign defence defense first deputy acting chairman
    chairwoman chairperson chair director secretary general head chief governor mayor
    speaker ambassador envoy spokesman spokeswoman spokesperson representative
    commander king queen prince princess chancellor premier leader press special
    moderator host correspondent journalist reporter presenter anchor""".split()
    )
    | _TITLES
)
# First words that make "X Y:" a greeting or a caption, not a speaker.
_NOT_SPEAKERS = frozenset(
    """dear ladies gentlemen friends colleagues comrades note notes source sources update
    updated photo photos photograph picture image video caption credit credits tags topics
    date time location published keywords subject read see related share from to cc re
    editor editors summary key""".split()
)
_LABEL_PUNCT = frozenset(',;!?"\u201c\u201d\u00ab\u00bb()[]{}<>/\\|=+*#@&%$')
_LABEL_SEARCH = 120

# Furniture.
_HEADINGS = frozenset(
    {
        "events",
        "topics",
        "persons",
        "people",
        "tags",
        "related",
        "related articles",
        "related news",
        "related stories",
        "see also",
        "read more",
        "read also",
        "more on this topic",
        "publication status",
        "keywords",
        "categories",
        "sections",
        "geography",
        "documents",
        "attachments",
        "comments",
        "share",
        "most read",
        "latest news",
        "popular",
        "follow us",
        "text version",
        "print version",
        "photos",
        "videos",
        "gallery",
        "contents",
        "menu",
        "advertisement",
        "subscribe",
    }
)
_DATE_WORDS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thur thurs fri sat sun am pm a.m p.m gmt utc msk cet
    cest est edt at of on the""".split()
)
_DATE_SPLIT_RE = re.compile(r"[\s,/:\-\u2013\u2014]+|\.(?=\d|\s|$)")
_DATE_TOKEN_RE = re.compile(r"\d+(?:st|nd|rd|th|h)?", re.IGNORECASE)
_COUNTER_RE = re.compile(r"\d+\s*(?:of|/)\s*\d+")
_LIST_ITEM_MAX_WORDS = 12
_UNTERMINATED_MAX_WORDS = 40


def segment_sentences(text: str) -> list[Segment]:
    """Split an article (or any text) into sentences, keeping every one of them.

    Paragraphs are runs of text between line breaks; a blank line and a single
    newline both separate paragraphs, except that a line which cannot start a
    sentence (it opens with a comma or a lowercase letter) continues the one above.
    """
    segments: list[Segment] = []
    paragraph = 0
    for start, end in _blocks(text):
        ranges = _split_block(text, start, end)
        if ranges:
            paragraph += 1
            base = len(segments) + 1
            segments.extend(Segment(base + i, s, e, paragraph) for i, (s, e) in enumerate(ranges))
    return segments


def segment_transcript(text: str) -> list[Segment]:
    """Split a transcript into source lines: the sentences of the speech, one each.

    Speaker labels ("Vladimir Putin: ...") are not part of any line; they set the
    ``speaker`` of the lines that follow. When the text has labels, everything
    before the first one is taken as the page's header. Furniture is recognised by
    its shape, not by its words: short lines without sentence-final punctuation,
    date/time lines, "2 of 3" gallery counters and the caption after them, and the
    short list lines after a section heading such as "Topics".
    """
    blocks = _blocks(text)
    labels = [_speaker_label(text, s, e) for s, e in blocks]
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
            speaker = _speaker_name(label[0])
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
            if body.rstrip(":").strip().lower() in _HEADINGS:
                in_list = True
                continue
            if in_list and words <= _LIST_ITEM_MAX_WORDS:
                continue
            in_list = False
            if _COUNTER_RE.fullmatch(body):
                caption_next = True
                continue
            if _is_dateish(body) or (
                not _ends_sentence(text, start, end) and words <= _UNTERMINATED_MAX_WORDS
            ):
                continue
        ranges = [r for r in _split_block(text, start, end) if _has_word(text, *r)]
        if ranges:
            paragraph += 1
            base = len(segments) + 1
            segments.extend(
                Segment(base + i, s, e, paragraph, speaker) for i, (s, e) in enumerate(ranges)
            )
    return segments


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph ranges (whitespace-trimmed), with stray line breaks mended.

    A line opening with punctuation that cannot start a sentence, or with a
    lowercase letter right after an unfinished line, is the rest of the previous
    line's sentence ("Mr Naryshkin\\n, colleagues.").
    """
    blocks: list[list[int]] = []
    previous_end = 0
    for match in _LINE_RE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.start() + len(line.rstrip())
        if blocks and _continues(text, blocks[-1], previous_end, start):
            blocks[-1][1] = end
        else:
            blocks.append([start, end])
        previous_end = end
    return [(s, e) for s, e in blocks]


def _continues(text: str, block: list[int], previous_end: int, start: int) -> bool:
    first = text[start]
    if first in _CONTINUATION:
        return not _ends_sentence(text, *block)
    if not first.islower() or text[block[1] - 1] == ":":
        return False
    gap = text[previous_end:start].replace("\r\n", "\n")
    single_break = sum(ch in _BREAKS for ch in gap) == 1
    return single_break and not _ends_sentence(text, *block)


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends like a sentence (closing quotes and brackets aside).

    Looks back from the end only, so mending a long run of wrapped lines stays linear.
    """
    i = end
    while i > start and (text[i - 1] in _CLOSERS or text[i - 1] in " \t"):
        i -= 1
    return i > start and text[i - 1] in _TERMINATORS


def _is_dateish(body: str) -> bool:
    """Dates, times and datelines such as "September 29, 2022", "17:35", "Thu 29.09.2022"."""
    if len(body) > _DATE_MAX_CHARS or not _DIGIT_RE.search(body):
        return False
    tokens = [t for t in _DATE_SPLIT_RE.split(body.rstrip(_TERMINATORS).lower()) if t]
    return all(t in _DATE_WORDS or _DATE_TOKEN_RE.fullmatch(t) for t in tokens)


def _has_word(text: str, start: int, end: int) -> bool:
    return _WORD_CHAR_RE.search(text, start, end) is not None


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence ranges inside one paragraph."""
    ranges: list[tuple[int, int]] = []
    sentence_start = start
    for match in _END_RE.finditer(text, start, end):
        following = match.end()
        if following < end and _is_boundary(text, sentence_start, match, following):
            ranges.append((sentence_start, match.end(1)))
            sentence_start = following
    if sentence_start < end:
        ranges.append((sentence_start, end))
    return ranges


def _is_boundary(text: str, sentence_start: int, match: re.Match[str], following: int) -> bool:
    """Whether the terminator in ``match`` ends a sentence, given what follows it."""
    nxt = text[following]
    if nxt.islower() or nxt in _CONTINUATION:
        return False
    punctuation = match.group(1)
    mark = punctuation.rstrip(_CLOSERS)
    closed = len(mark) < len(punctuation)
    if "!" in mark or "?" in mark:
        return not (closed and _is_attribution(text, following))
    if mark != ".":  # an ellipsis ends a sentence only before a capital or a quote
        return nxt.isupper() or nxt in _OPENERS
    if closed:
        return True
    return not _is_abbreviation(text, sentence_start, match.start(), following)


def _is_attribution(text: str, following: int) -> bool:
    """Whether a quoted question or exclamation is followed by "Name said" and the like."""
    match = _ATTRIBUTION_RE.match(text, following)
    return match is not None and match.group().split()[0].lower() not in _STARTERS


def _is_abbreviation(text: str, sentence_start: int, dot: int, following: int) -> bool:
    """Whether the period at ``dot`` closes an abbreviation inside the sentence."""
    token_start = dot
    while token_start > sentence_start and not text[token_start - 1].isspace():
        token_start -= 1
    token = text[token_start:dot].lstrip(_OPENERS)
    if not token:
        return False
    if token_start == sentence_start and _ENUMERATOR_RE.fullmatch(token):
        return True  # "1. First point", "b) ..."
    lower = token.lower()
    if lower in _TITLES and token[0].isupper():
        return True
    if lower in _INLINE:
        return True
    nxt = text[following]
    if lower in _BEFORE_NUMBER and nxt.isdigit():
        return True
    if _AMBIGUOUS_RE.fullmatch(token):
        word = re.match(r"[\w'\u2019]+", text[following : following + 40])
        return word is None or word.group().lower() not in _STARTERS
    return False


def _speaker_label(text: str, start: int, end: int) -> tuple[str, int] | None:
    """A speaker label opening the paragraph: (label, offset where the speech starts)."""
    colon = text.find(":", start, min(end, start + _LABEL_SEARCH))
    if colon <= start:
        return None
    if colon + 1 < end and not text[colon + 1].isspace():
        return None
    label = text[start:colon].strip()
    words = label.split()
    if not 1 <= len(words) <= 10 or "\n" in label:
        return None
    if words[0].lower().strip(".") in _NOT_SPEAKERS or label.lower() in _HEADINGS:
        return None
    for word in words:
        if any(ch in _LABEL_PUNCT or ch.isdigit() for ch in word):
            return None
        if word not in _CONNECTORS and not word[0].isupper():
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


def _speaker_name(label: str) -> str:
    """The person in a label: "President of Russia Vladimir Putin" -> "Vladimir Putin".

    The name is what follows the last role word or connector; after "of <Place>"
    the place is dropped (one word, or all but the last two after "of the").
    """
    words = label.split()
    last_role = -1
    for i, word in enumerate(words):
        if word.lower().strip(".") in _ROLE_WORDS or word in _CONNECTORS:
            last_role = i
    rest = words[last_role + 1 :]
    if not rest or last_role < 0:
        return label
    connector = words[last_role]
    if connector == "the" and len(rest) >= 3:
        rest = rest[-2:]
    elif connector == "of" and len(rest) >= 3:
        rest = rest[1:]
    return " ".join(rest)
