"""Pre-annotation: propose an article's quotations and reported speech as claims.

Rule-based and offline. The proposals a researcher accepts or rejects one at a time:

* **direct quote**: a quotation in quotation marks (curly or straight, double, or
  single when they clearly open and close a quotation) that is a whole reported
  sentence or clause; the span is the text inside the marks. A quotation may run over
  several sentences; one left open at the end of a paragraph (the news convention for
  a quote that goes on in the next paragraph) ends with its paragraph.
* **partial quote**: a reported clause with a quoted fragment in it ("Kerrel said the
  promise "has not been kept""); the span is the clause.
* **indirect speech**: a clause reported through a speech verb or an attribution
  frame ("X said (that) …", "…, X told Y", "according to X, …", "Y reports that X …",
  "…, saying/adding/noting that …"); the span is the clause without the frame.

Each proposal names its speaker (a person: a name, or a pronoun or role such as "the
minister" resolved to the last speaker named before it), its mode, and the channel
that carries it when the sentence names one ("according to TASS", "RIA Novosti
reports that", "he told the station" after a broadcaster was named).

Offsets are code points into the article, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .segment import segment_sentences

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


@dataclass(frozen=True)
class Proposal:
    """A proposed claim: its range, mode, speaker and channel (names; "" when unknown)."""

    start: int
    end: int
    mode: str
    speaker: str
    channel: str
    text: str
    frame: str = ""  # the words that attribute it, for the reader

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "mode": self.mode, "speaker": self.speaker,
                "channel": self.channel, "text": self.text, "frame": self.frame}


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

def _clean_name(words: Sequence[str]) -> list[str]:
    """Drop titles and possessors from a capitalised run ("Turkiye's Anadolu Agency")."""
    out = [w.rstrip(",") for w in words]
    for k, w in enumerate(out):
        if (w.endswith("\u2019s") or w.endswith("'s")) and k + 1 < len(out):
            out = out[k + 1:]
            break
    while out and out[0].lower() in _TITLES:
        out = out[1:]
    return out


def _person_words(words: Sequence[str]) -> list[str]:
    """The person's name at the end of a capitalised run: at most three words, none a
    title or an organisation's word ("Union Secretary-General Pieter Aalst": "Pieter
    Aalst"); none when the run ends in one ("Compact Cyber Coordination Centre")."""
    out: list[str] = []
    for w in reversed(words):
        bare = re.sub(r"[\u2019']s$", "", w).lower()
        parts = set(bare.split("-"))
        if bare in _ORG_WORDS or (parts & _ORG_WORDS):
            if not out:
                return []
            break
        if bare in _TITLES or (len(parts) > 1 and parts & (_TITLES | _ROLE_WORDS)) or \
                bare in _ROLE_WORDS or bare in _MEDIA or bare in _NOT_NAMES:
            break
        out.insert(0, w)
        if len(out) == 3:
            break
    return out


def _known_surname(word: str, ctx: _Context) -> bool:
    surname = re.sub(r"[\u2019']s$", "", word)
    return any(name.split()[-1] == surname for name in [*ctx.known_speakers, *ctx.persons]
               if name.split())


def _is_medium(words: Sequence[str]) -> bool:
    lowered = [re.sub(r"[\u2019']s$", "", w.lower()) for w in words]
    return any(w in _MEDIA for w in lowered) or (len(words) == 1 and bool(_ACRONYM_RE.match(words[0])))


def _medium_name(phrase: str) -> str:
    words = re.findall(r"[\w\u2019'\-]+", phrase)
    words = [w for w in words if w.lower() not in ("the", "official", "public", "state")]
    caps = [w for w in words if w[:1].isupper()]
    base = [re.sub(r"[\u2019']s$", "", w) for w in caps]
    if any(w.lower() in ("website", "site") for w in words):
        return " ".join(base + ["website"])
    base = [w for w in _clean_name(caps) if w != "(AA)"]
    return " ".join(base) or phrase.strip()


def _persons(text: str, known: Sequence[str]) -> list[str]:
    """Full names in the article: known speakers found in it, and runs of two or three
    capitalised words after a title or before a speech verb."""
    names = [k for k in known if k and (k in text or k.split()[-1] in text)]
    for m in re.finditer(rf"((?:{_NAME_WORD}[ \t]+){{1,5}}{_NAME_WORD})", text):
        words = _person_words(_clean_name(m.group(1).split()))
        if 2 <= len(words) <= 3 and not _is_medium(words) and all(w[:1].isupper() for w in words):
            tail = text[m.end():m.end() + 40]
            head = text[max(0, m.start() - 40):m.start()].lower()
            if m.group(1).startswith("By ") or re.search(r"\bBy\s+[^\n,]{2,40},\s*$", text[:m.start()]) or \
                    re.search(r"(?:^|\n|\()\s*(?:reporting\s+|editing\s+)?by\s+$", head) or \
                    (m.start() < 40 and re.fullmatch(r"\s*by\s+", head)):
                continue  # a byline or a credit ("By Sofie Tarn")
            alone = len(re.findall(rf"\b{re.escape(words[-1])}\b", text)) > 1
            if (alone or _VERB_RE.match(tail.strip(" ,")) or re.match(r"\s*(?:also |reportedly )?\w+ed\b", tail)
                    or any(t in head.split()[-3:] for t in ("minister", "president", "prime",
                                                           "director", "chief", "leader"))
                    or len(m.group(1).split()) > len(words)
                    or (head.rstrip().endswith(",") and tail.startswith(","))
                    or re.match(r"\s+(?:of\s+the|was|is|has|had|did|will|would|who)\b", tail)
                    or re.search(r"\b(?:said|says|added|told)\s+$", head)
                    or re.match(r",\s+(?:the\s+|a\s+)?(?:[\w\u2019'\-]+\s+){0,3}?(?:"
                                + "|".join(_ROLE_WORDS) + r")\b", tail)):
                name = " ".join(words)
                if name not in names:
                    names.append(name)
    return names


_ROLE_MODIFIERS = frozenset("deputy vice assistant former acting junior".split())


def _roles(text: str, persons: Sequence[str]) -> dict[str, str]:
    """Role words the article gives exactly one person ("Interior Minister Ilse Marrow",
    "Anneli Varga, director of …"), so "the minister" is Marrow even after Varga spoke."""
    found: dict[str, set[str]] = {}
    for name in persons:
        for m in re.finditer(re.escape(name), text):
            before = re.findall(r"[\w\-]+", text[max(0, m.start() - 40):m.start()].lower())[-3:]
            after = re.match(r",\s+(?:the\s+|a\s+)?([^,.]{0,60})", text[m.end():])
            words = before + (re.findall(r"[\w\-]+", after.group(1).lower())[:4] if after else [])
            words = ["doctor" if w == "dr" else w for w in words]
            for k, w in enumerate(words):
                for part in w.split("-"):
                    if part in _ROLE_WORDS:
                        modifier = words[k - 1] if k else ""
                        key = f"{modifier} {part}" if modifier in _ROLE_MODIFIERS else part
                        found.setdefault(key, set()).add(name)
    return {role: next(iter(names)) for role, names in found.items() if len(names) == 1}


def _person_roles(roles_found: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for role, name in roles_found.items():
        out.setdefault(name, set()).add(role)
    return out


_GATHERINGS = frozenset(
    "conference briefing meeting forum summit session committee parliament reporters "
    "journalists correspondents audience lawmakers delegates".split())


def _resolve(phrase: str, ctx: _Context) -> tuple[str, str, bool]:
    """(speaker, channel, is_pronoun_or_role) for the noun phrase before a verb."""
    if (re.findall(r"\w+", phrase.lower()) or [""])[-1] in _GATHERINGS:
        return "", "", False  # "a news conference", "reporters"
    named_medium = re.search(r"\b(?:newspaper|paper|agency|broadcaster|station|channel|daily|weekly|"
                             rf"magazine|website)\s+((?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD})", phrase)
    if named_medium:  # "the Ildran newspaper Dagsposten"
        return "", named_medium.group(1), False
    of_org = re.match(rf"\s*((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})\s+of\s+(?:the\s+)?[A-Z]", phrase)
    if of_org:  # "Lena Strand of the Bay Trust"
        phrase = of_org.group(1)
    role_of = re.match(r"\s*((?:the|The|a|A)\s+(?:[\w\-]+\s+){0,2}[\w\-]+)\s+of\s", phrase)
    if role_of and role_of.group(1).split()[-1].lower() in _ROLE_WORDS:
        phrase = role_of.group(1)  # "The governor of the Bank of Lunmark"
    words = re.findall(r"[\w\u2019'\-]+", phrase)
    if not words:
        return "", "", False
    lowered = [w.lower() for w in words]
    if lowered[-1] in _PRONOUNS and (len(words) <= 2 or lowered[-2] not in ("and", "but", "or")):
        return "", "", True
    if words[-1] in _ROLE_ACRONYMS:
        return "", "", True
    caps_tail: list[str] = []
    for w in reversed(words):
        if w[:1].isupper():
            caps_tail.insert(0, w)
        else:
            break
    if caps_tail and _is_medium(caps_tail + ([words[-1]] if not caps_tail else [])):
        return "", _medium_name(" ".join(words)), False
    if len(caps_tail) == 1 and caps_tail[0] in _PLATFORMS:
        return "", caps_tail[0], False  # "wrote on X"
    if caps_tail and re.sub(r"[\u2019']s$", "", caps_tail[-1]) in ctx.outlets:
        return "", _medium_name(" ".join(caps_tail)), False  # "told Avisen", "told Nordlight"
    if lowered[-1] in _MEDIA_BACK:
        if any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and lowered[0] != "the"):
            return "", _medium_name(phrase), False
        return "", ctx.last_channel, False
    if any(w in _MEDIA for w in lowered[-3:]) and not caps_tail:
        return "", _medium_name(phrase), False
    cleaned = _clean_name(caps_tail)
    if cleaned:
        name = _person_words(cleaned)
        if not name or (len(name) == 1 and not _known_surname(name[0], ctx)):
            # An organisation, a country or a place ("Ildra says"), not a person.
            return "", "", False
        return _full_name(name, ctx), "", False
    if lowered[-1] in _ROLE_WORDS or lowered[-1] in ("pm",):
        key = f"{lowered[-2]} {lowered[-1]}" if len(lowered) > 1 and lowered[-2] in _ROLE_MODIFIERS \
            else lowered[-1]
        if key in ctx.roles and lowered[0] in ("the", "a", "its", "her", "his", "their"):
            return ctx.roles[key], "", False
        if lowered[0] in ("a", "an") or (len(lowered) > 1 and lowered[-2] in ("senior", "unnamed")):
            return "", "", False  # "a senior official": someone the article does not name
        known = ctx.person_roles.get(ctx.last_speaker, set())
        if known and key not in known and lowered[0] == "the":
            # "The minister said" after the opposition leader spoke: not him, but the
            # first person named whom the article gives no other role.
            other = next((n for n in ctx.persons if n != ctx.last_speaker
                          and (not ctx.person_roles.get(n) or key in ctx.person_roles[n])), "")
            if other:
                return other, "", False
        return "", "", True
    return "", "", False


def _outlets(text: str, wire: str) -> frozenset[str]:
    """The names of the article's own outlet (its byline's "By Karin Ek, Varnby Avisen")
    and its wire agency (the dateline's "(Nordlight)"): a frame that names them names a
    medium, not a person."""
    names: set[str] = set()
    for m in re.finditer(rf"^\s*By\s+(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD}\s*,\s*"
                         rf"((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})\s*$", text[:600], re.M):
        names.add(m.group(1).split()[-1])
    names.update(re.findall(_NAME_WORD, wire)[-1:])
    return frozenset(w for w in names if w.lower() not in _NOT_NAMES)


def _full_name(words: Sequence[str], ctx: _Context) -> str:
    surname = re.sub(r"[\u2019']s$", "", words[-1])
    for name in [*ctx.known_speakers, *ctx.persons]:
        if name.split() and name.split()[-1] == surname:
            return name
    return " ".join([*words[:-1], surname])


# ------------------------------------------------------------------------ frames

_SUBJECT_RE = re.compile(
    r"((?:(?:the|The)\s+)?(?:[\w\u2019'\-]+\s+){0,4}?[\w\u2019'\-]+)\s*,?\s+"
    r"(?:(?:also|reportedly|later|then|again|further|once more)\s+)?$"
)


def _subject_before(sentence: str, verb_at: int) -> tuple[str, int]:
    """The noun phrase ending right before a verb (within the sentence), and where the
    stretch it was taken from begins (after the last clause boundary)."""
    head = sentence[:verb_at]
    for _ in range(3):
        head = re.sub(r"\b(?:also|reportedly|later|then|again|further|had|has|have|would|will|"
                      r"did|does|once|repeatedly|previously|publicly|privately)\s*$", "", head.rstrip())
    head = re.sub(r"\s*\([A-Z]{2,6}\)\s*$", "", head)
    # "Calvane's water minister on Wednesday urged": the day is not the subject.
    head = re.sub(r"\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today)$",
                  "", head.rstrip())
    head = head.rstrip(" ,")
    # Cut at the last clause boundary, a closing quotation mark or the start.
    cut = max(head.rfind(p) for p in (",", ":", ";", "\u201d", '"', "(", ")", " that ",
                                      " and ", " but ", " — ", " - ", " – "))
    closing = [k for k in range(len(head) - 1) if head[k] == "\u2019" and head[k + 1] == " "
               and k and head[k - 1] != "s"]  # a closing single mark, not "supporters’ "
    cut = max([cut, *closing])
    phrase = head[cut + 1:] if cut >= 0 else head
    region = cut + 1 if cut >= 0 else 0
    if cut > 0 and head[cut] == "," and re.match(r"\s*(?:in|at|on|during|after|before|speaking|writing|who|whose)\s",
                                                 phrase) and sentence[:verb_at].rstrip().endswith(","):
        # "Minister Elsa Berg, in an interview with DR, said", "Sven Dahl, who will lead
        # the review, said": the name before the aside.
        inner, inner_region = _subject_before(sentence, cut)
        if inner and inner[:1].isupper() and inner.split()[0].lower() not in _NOT_NAMES:
            return inner, inner_region
    of_group = re.search(rf"((?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD})\s+of\s+(?:the\s+)?[^,]{{2,50}}$", phrase)
    if of_group and not of_group.group(0).split(" of ")[-1][:1].isupper():
        return of_group.group(1), region  # "Ivo Kask of the supporters' association"
    words = phrase.split()
    # Keep a run of capitalised words (a name with its titles), or the last 4 words.
    caps: list[str] = []
    for w in reversed(words):
        if w[:1].isupper() or w.lower() in ("of", "the"):
            caps.insert(0, w)
        else:
            break
    while caps and caps[0].lower() in ("of", "the"):
        caps = caps[1:]
    if caps:
        role = re.search(r"((?:the|The|a|A)\s+(?:[\w\-]+\s+){0,2}[\w\-]+\s+of\s+(?:the\s+)?)"
                         + re.escape(" ".join(caps)) + "$", phrase)
        if role and role.group(1).split()[-2 if role.group(1).split()[-1] == "of" else -3].lower() \
                in _ROLE_WORDS:
            return role.group(0), region  # "The governor of the Bank of Lunmark"
        return " ".join(caps), region
    return " ".join(words[-4:]), region


def _frames(text: str, start: int, end: int, ctx: _Context,
            quoted: Sequence[tuple[int, int]] = ()) -> list[_Frame]:
    """The attribution frames of one sentence, each with its reported clause.

    Frames whose verb lies inside a quotation (``quoted``, article ranges) are the
    speaker's own words, not the article's attribution, and are left out."""
    sentence = text[start:end]
    frames: list[_Frame] = []
    body_end = len(sentence.rstrip().rstrip(".!?\u201d\"'\u2019").rstrip())

    def inside_quote(at: int) -> bool:
        return any(q0 <= start + at < q1 for q0, q1 in quoted)

    # "according to X, CLAUSE" / "CLAUSE, according to X."
    for m in _ACCORDING_RE.finditer(sentence):
        if inside_quote(m.start()):
            continue
        rest = sentence[m.end():]
        stop = re.search(r"[,:.]", rest)
        who = rest[:stop.start()] if stop else rest
        # "according to the station's translation": the station.
        speaker, channel, pronoun = _resolve(re.sub(r"[\u2019']s\s+(?:translation|transcript|account)\s*$",
                                                    "", who), ctx)
        if not (speaker or channel or pronoun):
            continue  # "according to figures released by the ministry"
        if m.start() <= 1:
            according = (m.end() + len(who) + 1, body_end)
        else:
            according = (0, m.start())
        frames.append(_Frame(speaker, pronoun, channel, _trim(sentence, according, start),
                             start + m.start(), sentence[m.start():m.end() + len(who)],
                             start + m.start(), start + m.end() + len(who)))

    handled: list[tuple[int, int]] = []
    # "X was quoted by Y as saying (that) CLAUSE"
    for m in re.finditer(r"\b(?:was|were|is|has been) (?:quoted|cited)(?: (?:by|in) ((?:the\s+)?[^,.]{2,60}?))?"
                         r" as saying(?: that)?\s+", sentence):
        if inside_quote(m.start()):
            continue
        subject, _ = _subject_before(sentence, m.start())
        speaker, _, pronoun = _resolve(subject, ctx)
        if not speaker and not pronoun:
            speaker = _appositive_speaker(sentence[:m.start()], ctx)
        _, channel, _ = _resolve(m.group(1) or "", ctx)
        handled.append((m.start(), m.end()))
        if speaker or pronoun:
            frames.append(_Frame(speaker, pronoun and not speaker, channel,
                                 _trim(sentence, (m.end(), body_end), start), start + m.start(),
                                 sentence[m.start():m.end()]))
    # "Dornian state radio quoted Varro as saying (on his return) that CLAUSE"
    for m in re.finditer(r"\b(?:quoted|cited) ((?:[\w\u2019'\-]+\s+){0,4}?[\w\u2019'\-]+) as saying"
                         r"(?:[^,.\u201c\"]{0,40}?\bthat)?\s+", sentence):
        if inside_quote(m.start()) or any(a <= m.start() < b for a, b in handled):
            continue
        speaker, _, pronoun = _resolve(m.group(1), ctx)
        subject, _ = _subject_before(sentence, m.start())
        _, channel, _ = _resolve(subject, ctx)
        handled.append((m.start(), m.end()))
        if speaker or pronoun:
            frames.append(_Frame(speaker, pronoun and not speaker, channel,
                                 _trim(sentence, (m.end(), body_end), start), start + m.start(),
                                 sentence[m.start():m.end()]))
    # "…, as cited by Radio Estra": the channel of the sentence's quotation.
    for m in re.finditer(r"\b(?:as )?(?:cited|quoted) by ((?:the\s+)?[^,.]{2,60}?)\s*(?=[,.]|$)", sentence):
        if inside_quote(m.start()) or any(a <= m.start() < b for a, b in handled):
            continue
        _, channel, _ = _resolve(m.group(1), ctx)
        handled.append((m.start(), m.end()))
        if channel:
            frames.append(_Frame("", False, channel, None, start + m.start(), ""))

    for m in _VERB_RE.finditer(sentence):
        if inside_quote(m.start()):
            continue
        verb = m.group(1) or m.group(2)
        if m.group(2):  # ", saying (that) …": the sentence's speaker goes on
            after = sentence[m.end():]
            that = re.match(r"[^,\u201c\"]{0,60}?\bthat\s+", after)
            participle = (m.end() + (that.end() if that else 0), body_end)
            if verb == "calling":  # ", calling the change “painful but unavoidable”"
                quote = next(((a, b) for a, b in quoted if start + m.end() < a <= min(start + m.end() + 40, end)),
                             None)
                if quote is None:
                    continue
                participle = (m.end(), quote[1] - start)
            # It ends the clause before it ("…, saying the buildings are too old").
            frames.append(_Frame("", True, "", _trim(sentence, participle, start), start + m.start(), verb,
                                 start + m.start()))
            continue
        if any(a <= m.start() < b for a, b in handled):
            continue
        if verb == "asked" and not re.match(r"\s+(?!whether|if|how|what|why|when|who|where|about|for\b)"
                                            r"(?:[\w\u2019'\-]+\s+){1,6}?to\s+[a-z]", sentence[m.end():]):
            continue  # "asked whether …" is a question; "asked the people of Brunn to save …" a request
        if verb == "posted" and not re.match(r"[^.]{0,60}?(?:\bthat\s|[:\u201c\"])", sentence[m.end():]):
            continue  # "copied … and posted on a student forum": no speech
        subject, region = _subject_before(sentence, m.start())
        speaker, channel, pronoun = _resolve(subject, ctx)
        after = sentence[m.end():]
        head = sentence[:m.start()].rstrip()
        elided = False
        opened = False  # the subject is the sentence's opening words
        if speaker and subject and re.search(r"\bof\s+(?:the\s+)?" + re.escape(subject) + r"\s*,?\s*$", head):
            speaker = ""  # "Henrik Moe, chief executive of Holmstad Gas, told …"
        if not (speaker or channel or pronoun):
            speaker = _appositive_speaker(sentence[:m.start()], ctx)
        if not (speaker or channel or pronoun) and verb in ("reported", "reports") and \
                re.fullmatch(_NAME_WORD, subject or "") and not _known_surname(subject, ctx):
            channel = subject  # "…, Nordlight reported."
        if not (speaker or channel or pronoun) and re.search(r",\s+who\s*$", head):
            # "…, according to Kerrel, who called …": the name before "who".
            speaker, channel, pronoun = _resolve(re.sub(r",\s+who\s*$", "", head).split(",")[-1], ctx)
            elided = True  # what follows the verb is what was said
        if not (speaker or channel or pronoun) and re.search(r"\s(?:and|but)$", subject or ""):
            # "he smiled and said …": the subject of the first verb.
            first = re.match(rf"((?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD}|he|she)\b", subject)
            if first:
                speaker, channel, pronoun = _resolve(first.group(1), ctx)
            else:  # "Minister Leo Sand thanked Brenner for his service and said …"
                opening = re.match(rf"\s*(?:{_NAME_WORD}[ \t]+){{0,4}}{_NAME_WORD}", sentence)
                speaker = _resolve(opening.group(0), ctx)[0] if opening else ""
                opener = re.match(r"\s*(?:He|She)\b", sentence)
                # "The water minister ruled out a tax and promised …": a role opens it.
                role_opener = re.match(r"\s*(?:The|Her|His)\s+(?:[a-z\-]+\s+){0,2}(?:"
                                       + "|".join(_ROLE_WORDS) + r")\s+[a-z]+(?:ed|ld|id)\b", sentence)
                if not speaker and role_opener:
                    speaker, _, role_pronoun = _resolve(" ".join(role_opener.group(0).split()[:-1]), ctx)
                    opener = opener or (role_opener if role_pronoun else None)
                pronoun = not speaker and bool(opener)
                opened = bool(speaker or pronoun)
            elided = bool(speaker or pronoun)
        if not (speaker or channel or pronoun):
            # "“…,” said Maja Olsen, chief economist at …": the name after the verb.
            inverted = re.match(rf"\s+((?:{_NAME_WORD}[ \t]+){{0,4}}{_NAME_WORD})", after)
            if inverted and re.search(r"[,?!][\u201d\"\u2019']?$", head):
                speaker, channel, pronoun = _resolve(inverted.group(1), ctx)
                if speaker or channel:
                    before = _trim(sentence, (0, len(head)), start)
                    frames.append(_Frame(speaker, False, channel, before, start + m.start(),
                                         sentence[m.start():m.end() + inverted.end()],
                                         start + m.start()))
                continue
            # "…, and said the clinics would …": the sentence's subject goes on.
            opener_frame = next((f for f in frames if f.speaker and 0 <= f.begin - start <= 60
                                 and "," not in sentence[:f.begin - start]), None)
            if re.search(r"(?:,|\band|\bbut)\s*$", head) and (not subject or subject in ("and", "but")) \
                    and any(f.speaker or f.pronoun for f in frames):
                pronoun = elided = True
            elif (verb in _ACTS or verb in ("demanded", "urged")) and re.search(r"\band\s*$", head) \
                    and opener_frame is not None:
                # "Ola Berge said his members could not wait and demanded an allowance": a
                # request or demand after "and" is the opening subject's own act.
                speaker, elided, subject = opener_frame.speaker, True, "and"
            else:
                continue
        subject_at = sentence.rfind(subject, 0, m.start()) if subject else m.start()
        if verb == "blamed":
            # "blamed “years of rumours” for the fall": the words after the verb.
            quote = next(((a, b) for a, b in quoted if start + m.end() < a <= min(start + m.end() + 30, end)),
                         None)
            if quote is None:
                continue
            frames.append(_Frame(speaker, pronoun and not speaker, channel,
                                 _trim(sentence, (m.end(), body_end), start),
                                 start + m.start(), sentence[subject_at:m.end()], start + subject_at))
            continue
        if verb == "called":
            # "called the scheme “a gift to investors”": the object and the quotation.
            quote = next(((a, b) for a, b in quoted if start + m.end() < a <= min(start + m.end() + 60, end)),
                         None)
            if quote is None:
                continue
            frames.append(_Frame(speaker, pronoun and not speaker, channel,
                                 _trim(sentence, (m.end(), quote[1] - start), start),
                                 start + m.start(), sentence[subject_at:m.end()], start + subject_at))
            continue
        before_text = sentence[:region].rstrip()
        intro = _introductory(before_text) or (bool(re.match(r"(?:In an? (?:interview|conversation)|Speaking|Writing)\b",
                                                            before_text)) and bool(_intro_channel(before_text, ctx)))
        conjoined = bool(re.match(r"(?:and|but)\s", sentence[region:]))
        following = sentence[m.end():].split(",")[0]
        clause_after = bool(re.match(r"[^,\u201c\"]{0,40}?\bthat\s", sentence[m.end():])) or bool(re.search(
            r"\b(?:will|would|is|are|was|were|has|have|had|can|could|should|must|may|might)\b", following))
        postposed = not intro and not elided and not conjoined and not head.endswith(",") and (
            bool(re.search(r"[,?!][\u201d\"\u2019']$", before_text))
            or (before_text.endswith(",") and len(before_text.split()) >= 3 and not clause_after))
        intro_channel = _intro_channel(before_text, ctx) if intro or _INTRO_RE.match(before_text) else ""
        if not intro_channel:  # "Name, in an interview with the Danish broadcaster DR, said"
            intro_channel = _intro_channel(sentence[region:m.start()], ctx)
        obj_channel = ""
        skip = 0
        if verb in ("told", "tells", "tell", "quoted", "quotes"):
            # A short noun phrase, else a name ("told Coastal Times the study …").
            obj = re.match(r"\s+((?:the\s+)?(?:[\w\u2019'\-]+\s+){0,4}?[\w\u2019'\-]+?)"
                           r"(?=\s+(?:that|on|in|at|when|of|after|via|afterwards|later|yesterday|today)\b"
                           r"|[,.:;]|\s*$)", after)
            if obj is None or len(obj.group(1).split()) > 5:
                obj = re.match(rf"\s+((?:the\s+)?(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})(?=[\s,.:;]|$)",
                               after) or obj
            if obj is None or len(obj.group(1).split()) > 5:
                obj = re.match(r"\s+((?:the\s+)?[\w\u2019'\-]+)", after)
            if obj:
                words = obj.group(1)
                if verb in ("quoted", "quotes"):
                    possessor = re.match(rf"((?:{_NAME_WORD}[ \t]+)*{_NAME_WORD})[\u2019']s\b", words)
                    sp, _, _ = _resolve(possessor.group(1) if possessor else words, ctx)
                    if channel and not speaker:
                        speaker = sp
                else:
                    _, oc, _ = _resolve(words, ctx)
                    if not oc and re.fullmatch(rf"The[ \t]+(?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD}", words):
                        oc = words  # "told The Islander": a title
                    obj_channel = oc
                skip = obj.end()
        rest_at = m.end() + skip
        adverbial = re.match(r"(?:\s+(?:on|in|at|via|during|by)\s+(?:the\s+)?"
                             r"[\w\u2019'\-]+(?:\s+[A-Z][\w\u2019'\-]*)*|\s+yesterday|\s+today"
                             r"|\s+earlier|\s+also)*", sentence[rest_at:])
        on_medium = re.match(rf"\s+(?:in an? (?:interview|conversation) with|on|to|in)\s+"
                             rf"((?:the\s+)?(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})",
                             sentence[m.end():])
        if on_medium and not obj_channel:  # "said on Quarr TV that …"
            obj_channel = _resolve(on_medium.group(1), ctx)[1]
        broadcast = re.match(r"\s+in (?:remarks|comments|an address|a speech|an interview) "
                             r"(?:broadcast|carried|aired|published|quoted) (?:by|on|in)\s+([^,]{2,60}?)(?=\s+that\b|[,.]|$)",
                             sentence[m.end():])
        if broadcast and not obj_channel:  # "said in remarks broadcast by Valmark state television that"
            obj_channel = _resolve(broadcast.group(1), ctx)[1]
            skip = max(skip, broadcast.end())
        unnamed_medium = re.match(r"\s+(?:on|to)\s+((?:the\s+)?(?:state|public|national)\s+"
                                  r"(?:radio|television|tv|broadcaster))\b", sentence[m.end():])
        if unnamed_medium and not obj_channel:  # "said on state radio"
            obj_channel = re.sub(r"^the\s+", "", unnamed_medium.group(1))
        rest_at += adverbial.end() if adverbial else 0
        near_that = re.match(r"[^,\u201c\"]{0,40}?\bthat(?:\s+|,\s*)", sentence[rest_at:])
        if near_that and re.search(r"\b(?:he|she|they|it|we|I|had|has|have|was|were|is|are|would|will|"
                                   r"could|found|saw|knew|no)\b", near_that.group(0)[:-5]):
            near_that = None  # "said she had found no evidence that …": the clause starts earlier
        if near_that and re.match(r"(?:was|is|were|are|would|will|could|should|had|has|must)\b",
                                  sentence[rest_at + near_that.end():]):
            near_that = None  # "said that was a question …": "that" is what was said of
        tail = sentence[rest_at:body_end].strip(" ,")
        # "…, she said, speaking at …" is the frame's; "said dredging would not …" is not.
        trailing = re.match(r"(?:when|after|as|before|while|of|about|in|at|on|according|"
                            r"\w+ing)\b", tail) and not re.search(
            r"\b(?:would|will|had|has|have|was|were|is|are|could|should|must|can|may|might|"
            r"did|does)\b", tail)
        if verb in _PROMISES and not (postposed or near_that) and (
                re.search(r"\bthat\s*$", sentence[:region]) or (subject or "").startswith("that ")):
            continue  # "did not deny that she had promised in May to …": the writer's, not a claim
        if (verb in _ACTS or verb in _PROMISES) and not (postposed or near_that):
            # "Per Alm promised chartered ships within three days": the whole sentence;
            # "…, and called for Voigt’s deputy to step aside": from the verb on, ending
            # the clause before it.
            conjoined_act = bool(re.match(r"(?:and|but)\s", sentence[subject_at:m.start()]))
            if opened and re.search(r"\band$", head) and any(
                    f.clause and f.at < start + m.start() and f.clause[0] <= start + m.start() < f.clause[1]
                    for f in frames):
                # "Piet Morrow said his crews could not wait and demanded a pier": the
                # opening subject's second act ends the clause it said.
                conjoined_act, subject_at = True, head.rfind("and")
            frames.append(_Frame(speaker, pronoun and not speaker, channel or intro_channel,
                                 _trim(sentence, (m.start() if conjoined_act else 0 if opened else subject_at,
                                                  body_end), start),
                                 start + m.start(), sentence[subject_at:m.end()],
                                 start + subject_at if conjoined_act else -1))
            continue
        if re.match(r"(?:what|how|why|whether|where|when)\s", tail) and not near_that:
            continue  # "told the inquiry what he had seen": what was said is not given
        if verb in ("denied", "denies", "confirmed", "confirms") and \
                re.match(r"(?:this|it|them)\b(?!\s+(?:was|is|were|are|would|will|had|has)\b)"
                         r"|that(?=\s*[,.;]|\s+(?:in|on|at|during)\b)", tail):
            continue  # "denied this in a written statement": no clause
        clause: tuple[int, int] | None
        if re.match(r"(?:is|was|are|were|will|would|has|have|had|can|could|should|must)\b", tail):
            colon = sentence.rfind(": ", 0, region)
            clause = (colon + 2 if colon >= 0 else 0, body_end)  # "The aim, he said, is …"
            if re.search(r"\b(?:who|which|whom)\s*,?$", sentence[:region].rstrip().rstrip(",")):
                clause = (rest_at, body_end)  # "a mechanic who, she said, had waited …"
            elif re.match(r"\s*(?:which|who|that)\s", sentence[region:m.start()]):
                # "The plan, which the minister said would cost 14 billion, also …"
                comma = sentence.find(",", rest_at, body_end)
                clause = (rest_at, comma if comma > 0 else body_end)
        elif postposed:
            # "CLAUSE, X told the bloc's chiefs on Thursday." The frame's own words run to
            # the next comma; "…, but …", "…, if …" or a quotation after it go on with the
            # clause ("…, she said, “not the ones it likes”").
            before_clause = sentence[:region].rstrip().rstrip(",").rstrip()
            clause = (0, len(before_clause))
            comma = sentence.find(",", m.end(), body_end)
            if comma >= 0:
                rest = sentence[comma + 1:body_end].lstrip()
                if not re.match(r"(?:\w+ing|who|which|whose|where|when|the|a|an|his|her|its|their|"
                                r"according|as|after|amid|despite|[A-Z]\w*)\b", rest) \
                        and not re.match(r"(?:and|but)\s+(?:said|added|told|says)\b", rest) \
                        and not re.search(r"[,?!][\u201d\"\u2019']$", before_text):
                    clause = (0, body_end)
        elif verb not in ("quoted", "quotes") and (
                near_that or ((not trailing or head.endswith(",")) and len(tail.split()) >= 3)):
            begin = rest_at + (near_that.end() if near_that else 0)
            clause = (begin, body_end)
        else:
            before_clause = sentence[:region].rstrip().rstrip(",").rstrip()
            clause = (0, len(before_clause)) if before_clause else None
        if channel and not speaker and clause is not None:
            # "Y reports that X VERB…": the person is the subject of the clause.
            inner = sentence[clause[0]:clause[1]].lstrip(" ,")
            subject_match = re.match(rf"((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})\s+"
                                     r"(?:also\s+|reportedly\s+)?[a-z]+(?:ed|id|ld|ote)\b", inner)
            if subject_match:
                speaker, _, _ = _resolve(subject_match.group(1), ctx)
            if not speaker:
                frames.append(_Frame("", False, channel, None, start + m.start(), "",
                                     start + subject_at))
                continue
        frames.append(_Frame(speaker, pronoun and not speaker, channel or obj_channel or intro_channel,
                             _trim(sentence, clause, start) if clause else None,
                             start + m.start(), sentence[subject_at:m.end()], start + subject_at))
    # A headline's "“Quote”: Name does something" names the speaker after the colon.
    headline = re.match(r"\s*[\u201c\"\u2018'].+?[\u201d\"\u2019']\s*:\s*((?:[\w\u2019'\-]+\s+){0,2})",
                        sentence)
    interviewee = re.match(rf"\s*[\u201c\"\u2018'].+?[\u201d\"\u2019']\s*:\s*an? (?:interview|conversation) with "
                           rf"((?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD})\s*$", sentence)
    if interviewee and not frames:  # "“…”: an interview with Erik Sandvik"
        speaker = _resolve(interviewee.group(1), ctx)[0]
        if speaker:
            frames.append(_Frame(speaker, False, "", None, start, interviewee.group(0)))
    if headline and not frames:
        head_words = headline.group(1).split()
        name = [re.sub(r"[\u2019']s$", "", w) for w in head_words if w[:1].isupper()]
        role = next((r for r in (re.sub(r"[\u2019']s$", "", w.lower()) for w in head_words)
                     if r in _ROLE_WORDS), "")
        if not name and role in _ROLE_WORDS:  # "“This was preventable”: chief doctor’s warning"
            speaker, channel, pronoun = _resolve("the " + role, ctx)
            if speaker or pronoun:
                frames.append(_Frame(speaker, pronoun and not speaker, "", None, start,
                                     headline.group(1).strip()))
        if name:
            speaker, channel, pronoun = _resolve(" ".join(name[:1] if name[0] in _ROLE_ACRONYMS
                                                          else name), ctx)
            if speaker or pronoun:
                frames.append(_Frame(speaker, pronoun and not speaker, "", None, start,
                                     headline.group(1).strip()))
    # A headline's "Name: what she said" (a line of its own without a full stop).
    named = re.match(rf"\s*((?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD})\s*:\s+(?=\S)", sentence)
    line_start = start == 0 or text[start - 1] == "\n"
    line_end = end >= len(text) or text[end:end + 1] == "\n" or not text[end:].split("\n", 1)[0].strip()
    if named and not frames and line_start and line_end and not sentence.rstrip().endswith((".", "?")):
        speaker, channel, pronoun = _resolve(named.group(1), ctx)
        if speaker:
            frames.append(_Frame(speaker, False, "", _trim(sentence, (named.end(), body_end), start),
                                 start, named.group(1)))
    role_named = re.match(rf"\s*(?:{_NAME_WORD}[ \t]+){{0,2}}([a-z]+)\s*:\s+(?=\S)", sentence)
    if role_named and role_named.group(1) in _ROLE_WORDS and not frames and line_start and line_end \
            and not sentence.rstrip().endswith("."):
        # A headline "Kelda minister: talks …": the person the article gives that role.
        speaker = _resolve("the " + role_named.group(1), ctx)[0] or ctx.main_person
        if speaker:
            frames.append(_Frame(speaker, False, "", _trim(sentence, (role_named.end(), _closing_mark(sentence, body_end)), start),
                                 start, role_named.group(0).strip(" :")))
    named_quote = re.match(rf"\s*((?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD})\b[^:\n\u201c\"]{{0,60}}:\s*[\u201c\"]",
                           sentence)
    line_rest = text[start + (named_quote.end() - 1 if named_quote else 0):].split("\n", 1)[0].rstrip()
    turn = named_quote is not None and line_start and not line_end and line_rest[-1:] in "\u201d\"" and \
        named_quote.group(0).rstrip(" \u201c\"").endswith(named_quote.group(1) + ":")
    if named_quote and not frames and line_start and (line_end or turn):
        speaker, _, _ = _resolve(named_quote.group(1), ctx)
        if speaker:  # a headline: "Aune gambles on pensions: “Somebody has to say it”"
            # or an interview's turn, "Erik Sandvik: “Probably. But …”" (a quotation to
            # the paragraph's end, attributed where it opens)
            frames.append(_Frame(speaker, False, "", None if turn else
                                 _trim(sentence, (named_quote.end() - 1, body_end + 1), start),
                                 start, named_quote.group(1)))
    expressed = _EXPRESSED_RE.search(sentence)
    if expressed and not inside_quote(expressed.start()):
        subject, _ = _subject_before(sentence, expressed.start())
        speaker, channel, pronoun = _resolve(subject, ctx)
        if speaker or pronoun:
            frames.append(_Frame(speaker, pronoun and not speaker, channel,
                                 _trim(sentence, (expressed.end(), body_end), start),
                                 start + expressed.start(), expressed.group(0)))
    # A clause ends where another frame's words begin after its verb ("Varga said the
    # attacks had doubled, the broadcaster added"; "KTV reported that Tessaly warned …").
    for f in list(frames):
        if f.clause is None:
            continue
        cutter = min((g for g in frames if g is not f and g.begin > f.at and g.at > f.at
                      and f.clause[0] <= g.begin < f.clause[1]), key=lambda g: g.begin, default=None)
        if cutter is not None and len(re.findall(r"\w+", text[f.clause[0]:cutter.begin])) < 3 \
                and cutter.words.split()[-1:] == ["told"] and cutter.clause is not None:
            # "Egger said his manager, Paul Brenner, had told him the repairs were …": the
            # nested report is the outer speaker's claim, whole.
            cutter.clause = None
            continue
        if cutter is not None:
            end_before = f.clause[1]
            piece = re.sub(r"(?:[\s,;]*\b(?:and|but|while))+\s*$", "", text[f.clause[0]:cutter.begin])
            f.clause = _trim(sentence, (f.clause[0] - start, f.clause[0] - start + len(piece)), start)
            more = re.match(r"\s*,?\s*and that\s+", text[cutter.stop:end_before]) if cutter.stop > 0 else None
            if more:  # "X said A, according to Y, and that B": B is X's too
                frames.append(_Frame(f.speaker, f.pronoun, f.channel or cutter.channel,
                                     _trim(sentence, (cutter.stop + more.end() - start, end_before - start), start),
                                     cutter.stop, f.words))
    # "…, in the clearest signal yet that …" is the writer's comment, not the clause.
    for f in frames:
        if f.clause is not None:
            comment = re.search(r",\s+in (?:what|the|a|an)\s+(?:\w+\s+){0,2}?(?:sign|signal|indication|"
                                r"move|step|hint|reference|nod|rebuke|swipe|apparent)\b", text[f.clause[0]:f.clause[1]])
            if comment:
                f.clause = _trim(sentence, (f.clause[0] - start, f.clause[0] - start + comment.start()), start)
    return frames


_INTRO_RE = re.compile(
    r"(?:In|On|At|During|After|Before|Speaking|Asked|Addressing|Responding|Answering|Writing|"
    r"Opening|Closing|Interviewed|Later|Earlier|Meanwhile|However|But|And|Separately|Also|"
    r"Yesterday|Today|Last|Then|Still|Instead|Elsewhere|Pressed|Questioned|Replying|Reacting|"
    r"Commenting|Echoing|Visiting|Briefing|Appearing|Testifying|When|As|While|Once|With|"
    r"Earlier|Shortly|According)\b")


def _introductory(before: str) -> bool:
    """"Speaking to Radio North after the news conference," before a frame's subject: an
    opening phrase of the sentence, not the reported clause."""
    if re.match(r"(?:But|And|However|Meanwhile|Still|Then|Also|Instead)\b", before) and len(before.split()) > 2:
        return False  # "But the records had been incomplete, she added": a clause
    return bool(_INTRO_RE.match(before)) and before.rstrip(",").count(",") == 0 and \
        not re.search(r"[\u201c\u201d\"]", before)


def _intro_channel(before: str, ctx: _Context) -> str:
    """The medium an opening phrase names ("Speaking to Radio North", "In an interview
    with the Courier")."""
    m = re.search(r"(?:[Ss]peaking (?:to|on)|interview with|[Ii]nterviewed by|[Ww]riting (?:in|on)|[Pp]osting on|"
                  r"[Ii]n an? (?:post|message|video|letter|column|op-ed) (?:posted |published )?(?:on|in|to)|"
                  rf"[Aa]ppearing on)\s+((?:the\s+)?(?:[a-z]+[ \t]+)?(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})", before)
    if not m:
        return ""
    words = m.group(1).split()
    channel = ""
    for k in range(len(words), 0, -1):  # "In a post on Telegram Mayor Lena Ortis wrote"
        channel = _resolve(" ".join(words[:k]), ctx)[1]
        if channel:
            break
    if not channel:  # "in an interview with the Danish broadcaster DR"
        longer = re.search(r"(?:interview with|[Ss]peaking (?:to|on))\s+([^,]{2,60})", before)
        channel = _resolve(longer.group(1), ctx)[1] if longer else ""
    return channel


def _appositive_speaker(head: str, ctx: _Context) -> str:
    """"X, Director of …, also stated": the name before an appositive."""
    m = re.search(rf"((?:{_NAME_WORD}[ \t]+){{0,2}}{_NAME_WORD}),\s+[^,]{{2,90}},\s*(?:also\s+)?$",
                  head)
    if not m:
        return ""
    speaker, channel, _ = _resolve(m.group(1), ctx)
    return "" if channel else speaker


def _trim(sentence: str, clause: tuple[int, int], offset: int) -> tuple[int, int] | None:
    s, e = max(0, clause[0]), min(len(sentence), clause[1])
    while s < e and sentence[s] in " ,:;-\u2014\u2013":
        s += 1
    while e > s and sentence[e - 1] in " ,:;":
        e -= 1
    if e - s < 3:
        return None
    return offset + s, offset + e


# ------------------------------------------------------------------------ proposals

def propose(text: str, speakers: Iterable[str] = (), channels: Iterable[str] = ()) -> list[Proposal]:
    """The quotations and reported clauses of an article, in text order.

    ``speakers`` and ``channels`` are the project's names: a surname in the article
    resolves to the known full name.
    """
    known_speakers = [s for s in speakers if s]
    ctx = _Context([], known_speakers, [c for c in channels if c])
    wire = re.search(r"^[A-Z][A-Z .'\-]{2,},[^\n(]{0,40}\(([^)\n]{2,60})\)\s*(?:[\u2013\u2014]|-{1,2})", text, re.M)
    ctx.outlets = _outlets(text, wire.group(1) if wire else "")
    # "told Sennet Avis": the outlet of the byline is no person.
    ctx.persons = [n for n in _persons(text, known_speakers) if n.split()[-1] not in ctx.outlets]
    ctx.roles = _roles(text, ctx.persons)
    ctx.person_roles = _person_roles(ctx.roles)
    # Before anyone has spoken (a headline's "minister"), the article's main figure.
    mentions = {n: len(re.findall(rf"\b{re.escape(n.split()[-1])}\b", text)) for n in ctx.persons if n.split()}
    ctx.main_person = max(ctx.persons, key=lambda n: mentions.get(n, 0), default="")
    if wire:  # "HALVIK, May 14 (Basin Wire) -": "told the agency" means Basin Wire
        ctx.last_channel = _resolve(wire.group(1), ctx)[1] or wire.group(1)
    sentences = [(s.start, s.end) for s in segment_sentences(text)]
    quotes = [_Quote(s, e, c) for s, e, c in find_quotations(text)]
    quoted = [(q.start - 1, q.end + 1) for q in quotes]
    proposals: list[Proposal] = []
    # Frameless quotations waiting for the next speaker, with who spoke just before them
    # (theirs if no frame comes: a quotation going on from the paragraph before).
    waiting: list[tuple[int, int, str]] = []
    done: set[int] = set()
    previous_had_speech = False

    sentences = [(_after_dateline(text, a, b), b) for a, b in sentences]
    for k, (s_start, s_end) in enumerate(sentences):
        here = [q for q in quotes if s_start <= q.start - 1 < s_end and id(q) not in done]
        last_end = max([s_end] + [q.end for q in here])
        frames = _frames(text, s_start, s_end, ctx, quoted)
        # A quotation that runs over several sentences is attributed where it ends.
        for a, b in sentences[k + 1:]:
            if a < last_end:
                frames += _frames(text, a, b, ctx, quoted)
        speaker = next((f.speaker for f in frames if f.speaker), "")
        if not speaker and any(f.pronoun and f.words in _PARTICIPLES for f in frames):
            # "Voss also rejected calls …, saying she …": the sentence's subject speaks.
            speaker = _sentence_subject(text, s_start, s_end, ctx)
        if not speaker and any(f.pronoun for f in frames):
            # "Marc Duval … was less impressed: the EU, he said, …": the sentence's subject,
            # else who spoke last.
            first = min(f.at for f in frames if f.pronoun)
            colon = text.rfind(": ", s_start, first)
            speaker = (_sentence_subject(text, s_start, colon, ctx) if colon > 0 else "") or \
                ctx.last_speaker or ctx.main_person
        channel = next((f.channel for f in frames if f.channel), "")
        if channel:
            ctx.last_channel = channel
        units: list[tuple[int, int, str]] = []
        answered = False
        for quote in here:
            done.add(id(quote))
            q = (quote.start, _strip_end(text, quote.start, quote.end))
            host = min((f.clause for f in frames if f.clause and f.clause[0] <= q[0] + 1
                        and q[1] <= f.clause[1] + 2), key=lambda c: c[1] - c[0], default=None)
            if host is not None:
                outside = (text[host[0]:q[0]] + " " + text[q[1]:host[1]])
                lead = text[host[0]:q[0]].rstrip(" \u201c\"'\u2018")
                if lead.endswith(":") and len(lead.split()) >= 2:
                    units.append((host[0], host[0] + len(lead) - 1, INDIRECT))
                    units.append((q[0], q[1], DIRECT))
                elif len(re.findall(r"\w+", outside)) >= 1:
                    units.append((host[0], _closing_mark(text, host[1]), PARTIAL))
                else:
                    units.append((q[0], q[1], DIRECT))
            elif not frames:
                if not _starts_clause(text, q[0], s_start):
                    continue  # a fragment in the author's sentence ("warns against “…”")
                if quote.closed and _answers_question(text, s_start) and (ctx.last_speaker or ctx.main_person):
                    answered = True  # an interview's answer: the person interviewed
                    units.append((q[0], q[1], DIRECT))
                    continue
                if not quote.closed or not (previous_had_speech and ctx.last_speaker):
                    before = ctx.last_speaker if previous_had_speech or waiting else ""
                    waiting.append((q[0], q[1], before))
                    continue
                units.append((q[0], q[1], DIRECT))
            elif _starts_clause(text, q[0], s_start) or _after_frame(text, q[0], frames, quoted):
                units.append((q[0], q[1], DIRECT))
            # else: a fragment in the author's own sentence, not attributed; left out
        if not frames and here and not speaker and (previous_had_speech or answered):
            speaker = ctx.last_speaker or ctx.main_person
        covered = [(u[0], u[1]) for u in units]
        for frame in sorted(frames, key=lambda f: f.at):
            clause = frame.clause
            if clause is None or clause[0] < s_start or clause[1] > s_end:
                continue
            if any(_overlap(clause, c) > 0 for c in covered):
                continue
            inside = sum(_overlap(clause, q) for q in quoted)
            if inside > (clause[1] - clause[0]) / 2:
                continue
            who = frame.speaker or (speaker if frame.pronoun else "")
            if not who:
                continue
            units.append((clause[0], clause[1], INDIRECT))
            covered.append(clause)
        words = next((f.words for f in frames if f.words), "")
        for u_start, u_end, mode in units:
            proposals.append(Proposal(u_start, u_end, mode, speaker, channel,
                                      text[u_start:u_end], words))
        if speaker:
            for w_start, w_end, _ in waiting:
                proposals.append(Proposal(w_start, w_end, DIRECT, speaker, "", text[w_start:w_end], ""))
            waiting = []
            ctx.last_speaker = speaker
        elif waiting and not here:
            for w_start, w_end, before in waiting:
                proposals.append(Proposal(w_start, w_end, DIRECT, before, "", text[w_start:w_end], ""))
            waiting = []
        if not frames and not here:
            # "The dockworkers' leader, Bo Hallin, was pleased. …, he said": a person who
            # is the subject of a sentence without speech is who "he" or "she" is next.
            ctx.last_speaker = _sentence_subject(text, s_start, s_end, ctx) or ctx.last_speaker
        # A sentence that ends a quotation begun before it had speech too.
        continued = any(p.end > s_start and p.start < s_end for p in proposals[-3:])
        previous_had_speech = (bool(units) or continued) and bool(speaker or ctx.last_speaker)
    for w_start, w_end, before in waiting:
        proposals.append(Proposal(w_start, w_end, DIRECT, before, "", text[w_start:w_end], ""))
    proposals = [p for p in proposals if p.speaker]
    proposals.sort(key=lambda p: (p.start, p.end))
    unique: list[Proposal] = []
    for p in proposals:
        if unique and unique[-1].start == p.start and unique[-1].end == p.end:
            continue
        unique.append(p)
    return unique


_DATELINE_RE = re.compile(r"[A-Z][A-Z .'\-]{2,}(?:,[^\n\u2013\u2014(]{0,40}?)?(?:\s*\([^)\n]{1,60}\))?"
                          r"\s*(?:[\u2013\u2014]|-{1,2})\s+")


def _after_dateline(text: str, start: int, end: int) -> int:
    """Where a sentence begins after a wire dateline ("TARSK, Oct 17 (Nordlight) – ")."""
    m = _DATELINE_RE.match(text, start, end)
    return m.end() if m else start


def _sentence_subject(text: str, start: int, end: int, ctx: _Context) -> str:
    """The person named near a sentence's start, not as the object of a preposition nor
    inside a quotation."""
    head = text[start:min(end, start + 80)]
    if head.lstrip()[:1] in "\u201c\"\u2018":
        return ""
    best: tuple[int, str] | None = None
    for name in [*ctx.known_speakers, *ctx.persons]:
        for m in re.finditer(rf"\b(?:{re.escape(name)}|{re.escape(name.split()[-1])})\b", head):
            if re.search(r"\b(?:to|with|from|by|for|of|about|against|on|at|in)\s+(?:\w+\s+){0,2}$",
                         head[:m.start()]):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), name)
            break
    return best[1] if best else ""


def _closing_mark(text: str, end: int) -> int:
    """A partial quote's clause ends with its quotation's closing mark (and the full stop
    inside it): 'the plan had "no chance."'."""
    m = re.match(r"[.!?]?[\u201d\"\u2019]", text[end:end + 2])
    return end + m.end() if m else end


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;:":
        end -= 1
    return end


def _after_frame(text: str, quote_start: int, frames: Sequence[_Frame],
                 quoted: Sequence[tuple[int, int]]) -> bool:
    """A quotation that goes on right after its frame: "“Nobody is excluded,” Holm said,
    “and nobody gets a guarantee either.”"."""
    previous = max((b for a, b in quoted if b <= quote_start), default=-1)
    gap = text[previous:quote_start - 1] if previous >= 0 else ""
    return 0 < len(gap) <= 80 and gap.rstrip().endswith(",") and \
        any(previous <= f.at < quote_start for f in frames)


def _answers_question(text: str, start: int) -> bool:
    """A paragraph that opens with a quotation right after a paragraph that is a question
    alone ("Why now?"): an interview's answer."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip() or text[start:start + 1] not in "\u201c\"\u2018'":
        return False
    previous = text[:line_start].rstrip().rsplit("\n", 1)[-1].strip()
    return previous.endswith("?") and len(previous.split()) <= 30 and \
        not re.search(r"[\u201c\u201d\"]", previous)


def _starts_clause(text: str, quote_start: int, sentence_start: int) -> bool:
    """A quotation that opens its sentence (or follows a colon) is a sentence of its own."""
    before = text[sentence_start:quote_start - 1].strip()
    # After a full stop the sentence splitter kept ("she wrote on X. “If …”"): a new one.
    return not before or before.endswith(":") or (before.endswith(".") and len(before.split()) >= 3)


def _share(clause: tuple[int, int], part: tuple[int, int]) -> float:
    return (part[1] - part[0]) / max(1, clause[1] - clause[0])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
