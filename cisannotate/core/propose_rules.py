"""Pre-annotation's word lists and patterns (speech verbs, roles, titles, media), and the
working records the rules share: a quotation, an attribution frame, the article's context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field


DIRECT, PARTIAL, INDIRECT = "direct quote", "partial quote", "indirect speech"

# Verbs that report speech. Past, present and base forms; a frame's verb is one of them.
_VERBS = (
    "said says say told tells tell added adds noted notes stated states warned warns "
    "announced announces conceded concedes insisted insists admitted admits complained "
    "complains emphasized emphasised emphasizes emphasises stressed stresses explained "
    "explains argued argues claimed claims declared declares acknowledged acknowledges "
    "remarked observed believes believed reported reports quoted quotes "
    "asserted asserts confirmed confirms replied replies answered answers boasted boasts "
    "predicted predicts revealed reveals suggested suggests cautioned cautions maintained "
    "maintains repeated repeats reiterated reiterates indicated indicates assured assures "
    "denied denies wrote writes hinted hints estimated estimates "
    "tweeted posted testified disclosed responded concluded countered recounted lamented "
    "quipped joked"
).split()
_PARTICIPLES = ("saying adding noting stressing warning insisting arguing explaining telling "
                "writing claiming").split() + ["pointing out"]
# Verbs of promise: a frame only after the clause ("…, Marrow has promised") or before
# "that"; "Voss promised union members a seat" names no reported clause.
_PROMISES = ("promised", "pledged", "vowed", "urged", "demanded")
# Verbs whose object is what was said ("Marrow proposed a common response centre …",
# "She accused foreign agencies of …"): the whole sentence is the claim.
_ACTS = ("proposed", "accused", "called on", "called for", "asked")
_VERB_RE = re.compile(r"\b(" + "|".join(["called on", "called for", "made clear", "made it clear", "pointed out",
                                          *_VERBS, "called", "blamed", *_PROMISES, *_ACTS])
                      + r")\b|(?:(?<=, )|(?<=\bby ))(" + "|".join([*_PARTICIPLES, "calling"]) + r")\b")
_EXPRESSED_RE = re.compile(r"\bexpressed (?:confidence|hope|the hope|concern|regret) that\b")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\s+")

# Words that stand for a person already named.
_PRONOUNS = frozenset("he she".split())
_ROLE_WORDS = frozenset(
    """minister president premier prime leader chief director head spokesman spokeswoman
    spokesperson secretary chancellor mayor governor official envoy ambassador chairman
    chair pm general commander officer doctor""".split()
)
# Capitalised words that are titles, not names ("Prime Minister Helga Voss").
_TITLES = frozenset(
    """prime minister president premier russian interior water foreign finance deputy
    director chief head secretary general mr mrs ms dr sir madam chancellor mayor
    governor senator leader former the public broadcaster state""".split()
)
# Words that make a capitalised run an organisation or a place, not a person.
_ORG_WORDS = frozenset(
    """centre center compact union ministry council association party bank agency office
    committee assembly parliament government court commission federation institute
    university company group police army service board authority department league
    alliance coalition organisation organization fund forum senate congress cabinet
    navy ministries states republic kingdom city port house hospital trust foundation
    society institution club fc""".split()
)
# Capitalised words that begin sentences and phrases, never a name ("In Rovna").
_NOT_NAMES = frozenset(
    """in on at the a an but and when after before for with from by as if this that its his
    her their our we it they he she speaking asked opening addressing according while
    during under over since until""".split()
)
# Words that make a name a medium rather than a person.
_MEDIA = frozenset(
    """agency news novosti radio tv television press post times herald gazette website
    site broadcaster channel newspaper daily wire station journal tribune
    reuters interfax xinhua tass bbc cnn afp ap courier standard observer chronicle
    telegraph mail express ledger weekly monitor dispatch bulletin review magazine
    magasin avisen posten tidende kurier zeitung dagblad""".split()
)
# Platforms where people post what they say ("wrote on X", "Writing on Facebook").
_PLATFORMS = frozenset("X Facebook Telegram Instagram YouTube TikTok Twitter Threads Bluesky "
                       "LinkedIn Mastodon VKontakte".split())
_MEDIA_BACK = frozenset("station agency broadcaster newspaper paper website channel".split())
_ACRONYM_RE = re.compile(r"^[A-Z]{2,6}$")
_ROLE_ACRONYMS = frozenset(("PM", "MP", "MPs", "FM"))

_OPEN_DOUBLE = "\u201c\u201e\u00ab"
_CLOSE_DOUBLE = "\u201d\u00bb"
_NAME_WORD = r"[A-Z][\w\u2019'\-]*"

@dataclass
class _Quote:
    start: int  # inside the marks
    end: int
    closed: bool


@dataclass
class _Frame:
    speaker: str  # resolved name, or "" for a pronoun/role still to resolve
    pronoun: bool
    channel: str
    clause: tuple[int, int] | None  # the reported clause, article offsets
    at: int  # where the frame's verb is (article offset)
    words: str = ""
    begin: int = -1  # where the frame's words begin, when they may end another frame's clause
    stop: int = -1  # where they end, when a clause may go on after them


@dataclass
class _Context:
    names: list[str]
    known_speakers: Sequence[str]
    known_channels: Sequence[str]
    last_speaker: str = ""
    last_channel: str = ""
    persons: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # "minister": the one person called so
    person_roles: dict[str, set[str]] = field(default_factory=dict)  # and the other way round
    main_person: str = ""  # the person the article names most often
    outlets: frozenset[str] = frozenset()  # the article's own outlet and wire ("Avisen", "Nordlight")
