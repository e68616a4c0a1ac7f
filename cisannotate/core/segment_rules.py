"""The rules of the sentence splitter (core.segment): sentence marks, quotes, abbreviations,
speaker labels, page furniture, and the word lists of each language.

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

# Characters that end a line (the same set str.splitlines() honours, minus the
# rare file/group/record separators).
LINE_RE = re.compile(r"[^\n\r\x0b\x0c\x85\u2028\u2029]+")
BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")

# Latin marks, the Arabic question mark and full stop, the Devanagari danda, the
# Armenian full stop, the Ethiopic full stop, the CJK full stop and full-width marks.
TERMINATORS = ".!?\u2026\u203c\u203d\u2047\u2048\u2049\u061f\u06d4\u0964\u0589\u1362\u3002\uff01\uff1f"
_QUESTION_MARKS = "!?\u061f\uff01\uff1f\u203c\u203d\u2047\u2048\u2049"
# Marks after which the next sentence follows without a space (Chinese, Japanese).
_WIDE_TERMINATORS = "\u3002\uff01\uff1f"
FULL_STOPS = "\u06d4\u0964\u0589\u1362\u3002"
QUESTION_SET = frozenset(_QUESTION_MARKS)
WIDE_SET = frozenset(_WIDE_TERMINATORS)
CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]}"
OPENERS = "\"'\u201c\u2018\u00ab\u2039\u201e\u201a([{\u00bf\u00a1"
WORD_CHAR_RE = re.compile(r"[^\W_]")
DIGIT_RE = re.compile(r"\d")
DATE_MAX_CHARS = 60
# A character that cannot start a sentence, so a terminator before it is internal.
CONTINUATION = frozenset(",;:%)]}\u00bb\u201d\u2019\u203a")

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
AMBIGUOUS_RE = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]|al|inc|ltd|co|corp|bros|jr|sr", re.IGNORECASE)
STARTERS = frozenset(
    """the a an this that these those it its he she they we i you there here his her their
    our my your but and or so yet however in on at as if when while after before since
    although though because what why how who where which not no yes also then now for with
    by from to all some many most one each every such only still even thus therefore
    meanwhile moreover furthermore indeed nevertheless instead today yesterday tomorrow""".split()
)
# "Why?" Putin asked.  -- a question or exclamation quoted before its attribution.
ATTRIBUTION_RE = re.compile(
    r"(?:[^\W\d_][\w'\u2019.\-]*\s+){1,4}(?:said|says|asked|asks|added|adds|noted|notes|"
    r"replied|replies|stressed|stresses|stated|states|told|wrote|writes|continued|explained|"
    r"exclaimed|shouted|insisted|recalled|remarked|declared|emphasized|emphasised|concluded|"
    r"answered|commented|warned|cried)\b"
)
ENUMERATOR_RE = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[IVXivx]{1,5})")

# Speaker labels: "President of Russia Vladimir Putin:", "Vladimir Putin:", "Q:".
CONNECTORS = frozenset(
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
NOT_SPEAKERS = frozenset(
    """dear ladies gentlemen friends colleagues comrades note notes source sources update
    updated photo photos photograph picture image video caption credit credits tags topics
    date time location published keywords subject read see related share from to cc re
    editor editors summary key
    уважаемые уважаемый уважаемая дорогие дорогой дорогая друзья коллеги товарищи фото
    источник теги темы дата время место опубликовано читайте смотрите поделиться
    примечание редактор""".split()
)
LABEL_PUNCT = frozenset(',;!?"\u201c\u201d\u00ab\u00bb()[]{}<>/\\|=+*#@&%$')
LABEL_SEARCH = 120

# Furniture.
HEADINGS = frozenset(
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
DATE_SPLIT_RE = re.compile(r"[\s,/:\-\u2013\u2014]+|\.(?=\d|\s|$)")
DATE_TOKEN_RE = re.compile(r"\d+(?:st|nd|rd|th|h)?", re.IGNORECASE)
COUNTER_RE = re.compile(r"\d+\s*(?:of|/)\s*\d+")
LIST_ITEM_MAX_WORDS = 12
UNTERMINATED_MAX_WORDS = 40


# --- rules by language ------------------------------------------------------------
# Closing quotes in the German and Russian style: „so“ (a high 6 closes a low 9).
_CLOSERS_LOW_HIGH = CLOSERS + "\u201c"
DASHES = "\u2014\u2013"


@dataclass(frozen=True)
class Rules:
    titles: frozenset[str]
    inline: frozenset[str]
    before_number: frozenset[str]
    starters: frozenset[str]
    closers: str = CLOSERS
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


ENGLISH = Rules(_TITLES, _INLINE, _BEFORE_NUMBER, STARTERS)

_RU_MONTHS = frozenset(
    """янв фев февр мар апр май июн июл авг сен сент окт ноя нояб дек""".split()
)
RUSSIAN = Rules(
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
_GERMAN = Rules(
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
_DEFAULT = Rules(_TITLES, _INLINE, _BEFORE_NUMBER, STARTERS, closers=_CLOSERS_LOW_HIGH)

_BY_LANGUAGE = {"en": ENGLISH, "": ENGLISH, "ru": RUSSIAN, "de": _GERMAN}
# Other Cyrillic languages share the Russian abbreviations closely enough.
_BY_LANGUAGE.update({code: RUSSIAN for code in ("uk", "be", "bg", "kk", "ky", "tg", "mn")})


def rules_for(language: str, text: str = "") -> Rules:
    """The rules of ``language``; without one, Russian for a mostly Cyrillic text."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    if not code and _mostly_cyrillic(text):
        return RUSSIAN
    return _BY_LANGUAGE.get(code, _DEFAULT)


def _mostly_cyrillic(text: str, sample: int = 4000) -> bool:
    letters = [ch for ch in text[:sample] if ch.isalpha()]
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    return bool(letters) and cyrillic * 2 > len(letters)
