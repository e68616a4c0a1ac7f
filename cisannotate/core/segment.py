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

The rules depend on the document's ``language`` (an ISO 639-1 code): Russian has
its own abbreviations ("т. д.", "стр. 5", "3 окт. 2022 г."), initials before
surnames ("В. В. Путин"), speaker labels with lowercase role words ("Министр
иностранных дел С. Лавров:") and direct speech opened by a dash; German numbers
with a full stop are ordinals ("Am 3. Okt. 2022"). Every language shares the
sentence marks of other scripts (the Arabic question mark, the CJK full stop),
the closing „low-high“ quotes and the dash rule; a document in English, or
without a language, keeps exactly the English rules, unless its text is mostly
Cyrillic (then the Russian rules apply).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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

# Latin marks, the Arabic question mark and full stop, the Devanagari danda, the
# Armenian full stop, the Ethiopic full stop, the CJK full stop and full-width marks.
_TERMINATORS = ".!?\u2026\u203c\u203d\u2047\u2048\u2049\u061f\u06d4\u0964\u0589\u1362\u3002\uff01\uff1f"
_QUESTION_MARKS = "!?\u061f\uff01\uff1f\u203c\u203d\u2047\u2048\u2049"
# Marks after which the next sentence follows without a space (Chinese, Japanese).
_WIDE_TERMINATORS = "\u3002\uff01\uff1f"
_FULL_STOPS = "\u06d4\u0964\u0589\u1362\u3002"
_QUESTION_SET = frozenset(_QUESTION_MARKS)
_WIDE_SET = frozenset(_WIDE_TERMINATORS)
_CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]}"
_OPENERS = "\"'\u201c\u2018\u00ab\u2039\u201e\u201a([{\u00bf\u00a1"
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
    editor editors summary key
    уважаемые уважаемый уважаемая дорогие дорогой дорогая друзья коллеги товарищи фото
    источник теги темы дата время место опубликовано читайте смотрите поделиться
    примечание редактор""".split()
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
        "события",
        "темы",
        "персоны",
        "лица",
        "теги",
        "география",
        "документы",
        "текстовая версия",
        "версия для печати",
        "читайте также",
        "смотрите также",
        "по теме",
        "материалы по теме",
        "фото",
        "видео",
        "статус публикации",
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


# --- rules by language ------------------------------------------------------------
# Closing quotes in the German and Russian style: „so“ (a high 6 closes a low 9).
_CLOSERS_LOW_HIGH = _CLOSERS + "\u201c"
_DASHES = "\u2014\u2013"


@dataclass(frozen=True)
class _Rules:
    titles: frozenset[str]
    inline: frozenset[str]
    before_number: frozenset[str]
    starters: frozenset[str]
    closers: str = _CLOSERS
    # "т. д.", "и др.": abbreviations that end the sentence before a capital.
    endable: frozenset[str] = frozenset()
    # Abbreviations after a number that may end a sentence ("2022 г.").
    after_number: frozenset[str] = frozenset()
    # Words that come before an ordinal number ("am 3. Oktober").
    ordinal_before: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()
    # Lowercase words a speaker label may hold ("Министр иностранных дел С. Лавров").
    label_words: frozenset[str] = frozenset()
    roles: frozenset[str] = _ROLE_WORDS
    date_words: frozenset[str] = _DATE_WORDS


_ENGLISH = _Rules(_TITLES, _INLINE, _BEFORE_NUMBER, _STARTERS)

_RU_MONTHS = frozenset(
    """янв фев февр мар апр май июн июл авг сен сент окт ноя нояб дек""".split()
)
_RUSSIAN = _Rules(
    # Before a name or a place: "г. Москва", "ул. Ильинка", "им. Ломоносова", "акад. Иванов".
    titles=frozenset(
        """г гор ул пр просп пл пер наб обл р-н пос с дер им акад проф доц канд
        гг тов г-н г-жа св""".split()
    )
    | _TITLES,
    inline=frozenset(
        """т.е т.к т.н т.ч т.о т.е см ср напр наз т е к н ч о ок прим
        e.g i.e cf vs""".split()
    ),
    before_number=_RU_MONTHS
    | frozenset("""стр с ст п пп рис табл гл ч т вып разд №  д кв корп оф тел""".split())
    | _BEFORE_NUMBER,
    starters=frozenset(
        """в во на по с со к ко и а но или да же не ни он она оно они мы я вы ты его её ее
        их это этот эта эти тот та те то так как что когда где если после перед при до
        для за из от однако также кроме ранее позднее тогда теперь сейчас сегодня вчера
        завтра вместе между об о у все всё каждый многие некоторые здесь там вот поэтому
        потому впрочем напомним между тем причем причём между кстати итак наконец""".split()
    ),
    closers=_CLOSERS_LOW_HIGH,
    endable=frozenset("т.д т.п др пр проч".split()),
    after_number=frozenset("г гг в вв млн млрд тыс руб долл коп".split()),
    months=_RU_MONTHS,
    label_words=frozenset(
        """иностранных дел обороны внутренних экономического развития финансов юстиции
        здравоохранения образования и науки промышленности торговли энергетики
        транспорта культуры по вопросам делам при в на российской федерации республики
        области края города генеральный первый заместитель помощник председатель
        председателя министр министра президент президента правительства
        пресс-секретарь секретарь совета безопасности администрации главы глава
        вице-премьер премьер-министр губернатор мэр посол директор ведущий вопрос
        корреспондент журналист""".split()
    ),
    roles=frozenset(
        """президент премьер-министр вице-премьер министр председатель заместитель
        пресс-секретарь секретарь глава губернатор мэр посол директор помощник ведущий
        корреспондент журналист генеральный первый""".split()
    )
    | _ROLE_WORDS,
    date_words=_DATE_WORDS
    | _RU_MONTHS
    | frozenset(
        """января февраля марта апреля мая июня июля августа сентября октября ноября
        декабря январь февраль март апрель июнь июль август сентябрь октябрь ноябрь
        декабрь года год г понедельник вторник среда среду четверг пятница пятницу
        суббота субботу воскресенье пн вт ср чт пт сб вс мск в""".split()
    ),
)

_DE_MONTHS = frozenset(
    """jan januar feb februar mär märz apr april mai jun juni jul juli aug august sep
    sept september okt oktober nov november dez dezember""".split()
)
_GERMAN = _Rules(
    titles=frozenset("hr herr fr frau dr prof st sen".split()),
    inline=frozenset("z.b d.h u.a u.ä o.ä bzw ca vgl evtl ggf sog usw.".split()),
    before_number=_DE_MONTHS | frozenset("nr s abs art bd kap tel".split()),
    starters=frozenset(
        """der die das ein eine es er sie wir ich ihr man in im am an auf aus bei mit nach
        von vor zu zum zur aber und oder doch dann denn so als wenn wie was wer wo
        dies diese dieser dieses heute gestern morgen jetzt nun""".split()
    ),
    closers=_CLOSERS_LOW_HIGH,
    endable=frozenset("usw etc u.a".split()),
    ordinal_before=frozenset(
        """am im vom zum beim bis ab seit der die das dem den des am ihr sein seinem
        ihrem jeder""".split()
    ),
    months=_DE_MONTHS,
)

# Languages without rules of their own: the English lists (which many texts mix in)
# and the low-high quotes that central and eastern European languages use.
_DEFAULT = _Rules(_TITLES, _INLINE, _BEFORE_NUMBER, _STARTERS, closers=_CLOSERS_LOW_HIGH)

_BY_LANGUAGE = {"en": _ENGLISH, "": _ENGLISH, "ru": _RUSSIAN, "de": _GERMAN}
# Other Cyrillic languages share the Russian abbreviations closely enough.
_BY_LANGUAGE.update({code: _RUSSIAN for code in ("uk", "be", "bg", "kk", "ky", "tg", "mn")})


def _rules_for(language: str, text: str = "") -> _Rules:
    """The rules of ``language``; without one, Russian for a mostly Cyrillic text."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    if not code and _mostly_cyrillic(text):
        return _RUSSIAN
    return _BY_LANGUAGE.get(code, _DEFAULT)


def _mostly_cyrillic(text: str, sample: int = 4000) -> bool:
    letters = [ch for ch in text[:sample] if ch.isalpha()]
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    return bool(letters) and cyrillic * 2 > len(letters)



def segment_sentences(text: str, language: str = "") -> list[Segment]:
    """Split an article (or any text) into sentences, keeping every one of them.

    Paragraphs are runs of text between line breaks; a blank line and a single
    newline both separate paragraphs, except that a line which cannot start a
    sentence (it opens with a comma or a lowercase letter) continues the one above.
    ``language`` (an ISO 639-1 code, "" for English) chooses the abbreviations and
    quotation rules.
    """
    rules = _rules_for(language, text)
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
    rules = _rules_for(language, text)
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
            if body.rstrip(":").strip().lower() in _HEADINGS:
                in_list = True
                continue
            if in_list and words <= _LIST_ITEM_MAX_WORDS:
                continue
            in_list = False
            if _COUNTER_RE.fullmatch(body):
                caption_next = True
                continue
            if _is_dateish(body, rules) or (
                not _ends_sentence(text, start, end, rules.closers)
                and words <= _UNTERMINATED_MAX_WORDS
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


def _blocks(text: str, rules: _Rules = _ENGLISH) -> list[tuple[int, int]]:
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
        if blocks and _continues(text, blocks[-1], previous_end, start, rules.closers):
            blocks[-1][1] = end
        else:
            blocks.append([start, end])
        previous_end = end
    return [(s, e) for s, e in blocks]


def _continues(text: str, block: list[int], previous_end: int, start: int,
               closers: str = _CLOSERS) -> bool:
    first = text[start]
    if first in _CONTINUATION:
        return not _ends_sentence(text, block[0], block[1], closers)
    if not first.islower() or text[block[1] - 1] == ":":
        return False
    gap = text[previous_end:start].replace("\r\n", "\n")
    single_break = sum(ch in _BREAKS for ch in gap) == 1
    return single_break and not _ends_sentence(text, block[0], block[1], closers)


def _ends_sentence(text: str, start: int, end: int, closers: str = _CLOSERS) -> bool:
    """Whether text[start:end] ends like a sentence (closing quotes and brackets aside).

    Looks back from the end only, so mending a long run of wrapped lines stays linear.
    """
    i = end
    while i > start and (text[i - 1] in closers or text[i - 1] in " \t"):
        i -= 1
    return i > start and text[i - 1] in _TERMINATORS


def _is_dateish(body: str, rules: _Rules = _ENGLISH) -> bool:
    """Dates, times and datelines such as "September 29, 2022", "17:35", "Thu 29.09.2022"."""
    if len(body) > _DATE_MAX_CHARS or not _DIGIT_RE.search(body):
        return False
    tokens = [t for t in _DATE_SPLIT_RE.split(body.rstrip(_TERMINATORS).lower()) if t]
    return all(t in rules.date_words or _DATE_TOKEN_RE.fullmatch(t) for t in tokens)


def _has_word(text: str, start: int, end: int) -> bool:
    return _WORD_CHAR_RE.search(text, start, end) is not None


def _split_block(text: str, start: int, end: int, rules: _Rules = _ENGLISH) -> list[tuple[int, int]]:
    """Sentence ranges inside one paragraph."""
    ranges: list[tuple[int, int]] = []
    sentence_start = start
    for match in _end_re(rules.closers).finditer(text, start, end):
        following = match.end()
        if following == match.end(1) and _WIDE_SET.isdisjoint(match.group(1)):
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
    marks, closing = re.escape(_TERMINATORS), re.escape(closers)
    return re.compile(f"([{marks}]+[{closing}]*)\\s*")


def _is_boundary(text: str, sentence_start: int, match: re.Match[str], following: int,
                 rules: _Rules = _ENGLISH) -> bool:
    """Whether the terminator in ``match`` ends a sentence, given what follows it."""
    nxt = text[following]
    if nxt.islower() or nxt in _NOT_AFTER_END:
        return False  # "/ТАСС/" after a dateline belongs to it
    if nxt in _DASHES:
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
    if not _QUESTION_SET.isdisjoint(mark):
        return not (closed and _is_attribution(text, following))
    if not mark.strip(_FULL_STOPS):
        return True  # the Arabic, Devanagari, Armenian, Ethiopic or CJK full stop
    # an ellipsis ends a sentence only before a capital or a quote
    return nxt.isupper() or nxt in _OPENERS


_NOT_AFTER_END = _CONTINUATION | {"/"}
_LETTER_RE = re.compile(r"[^\W\d_]")


def _is_attribution(text: str, following: int) -> bool:
    """Whether a quoted question or exclamation is followed by "Name said" and the like."""
    match = _ATTRIBUTION_RE.match(text, following)
    return match is not None and match.group().split()[0].lower() not in _STARTERS


def _is_abbreviation(text: str, sentence_start: int, dot: int, following: int,
                     rules: _Rules = _ENGLISH) -> bool:
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
    if rules is not _ENGLISH:
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
    if _AMBIGUOUS_RE.fullmatch(token):
        word = re.match(r"[\w'\u2019]+", text[following : following + 40])
        return word is None or word.group().lower() not in rules.starters
    return False


def _language_abbreviation(text: str, sentence_start: int, token_start: int, token: str,
                           following: int, rules: _Rules) -> bool | None:
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
    if lower in rules.titles and rules is _RUSSIAN:
        return True  # "г. Москва", "ул. Ильинка": lowercase in Russian
    if len(token) == 1 and token.isupper() and _INITIAL_RE.match(text, following):
        return True  # "В. В. Путин"
    return None


_INITIAL_RE = re.compile(r"[^\W\d_]\.")


def _speaker_label(text: str, start: int, end: int, rules: _Rules = _ENGLISH) -> tuple[str, int] | None:
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
        if word not in _CONNECTORS and not word[0].isupper() and word not in rules.label_words:
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


def _speaker_name(label: str, rules: _Rules = _ENGLISH) -> str:
    """The person in a label: "President of Russia Vladimir Putin" -> "Vladimir Putin".

    The name is what follows the last role word or connector; after "of <Place>"
    the place is dropped (one word, or all but the last two after "of the").
    """
    words = label.split()
    last_role = -1
    for i, word in enumerate(words):
        if word.lower().strip(".") in rules.roles or word in _CONNECTORS:
            last_role = i
    rest = words[last_role + 1 :]
    if not rest or last_role < 0:
        return label
    if rules is _RUSSIAN:
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
