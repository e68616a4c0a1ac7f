"""Pre-annotation's word lists and patterns (speech verbs, roles, titles, media), and the
working records the rules share: a quotation, an attribution frame, the article's context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .propose_lexicon import (
    BASE, COMMIT_FINITE, FINITE, MANNER_FINITE, NOUN_OBJECT_FINITE, PARTICIPLE_ANY, PARTICIPLES_THAT, TELL_FINITE, word_regex,
)


DIRECT, PARTIAL, INDIRECT = "direct quote", "partial quote", "indirect speech"

# Verbs that report speech. Past, present and base forms; a frame's verb is one of them.
# These verbs take a reported clause after them whatever follows; the lexicon's other
# verbs (``propose_lexicon``) need a clause that looks like one ("that", or a modal).
_CORE_VERBS = (
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
_VERBS = list(dict.fromkeys([*_CORE_VERBS, *FINITE, *sorted(MANNER_FINITE)]))
_LEXICON_ONLY = (frozenset(_VERBS) | frozenset(BASE)) - frozenset(_CORE_VERBS)
_MANNER = MANNER_FINITE
_TELL = TELL_FINITE
# -ing forms that end the clause before them and go on with its speaker (", saying …");
# the lexicon's others only before "that" (", conceding that …").
_PARTICIPLES = list(PARTICIPLE_ANY) + ["pointing out"]
_PARTICIPLES_THAT = frozenset(PARTICIPLES_THAT)
# Verbs of promise: a frame only after the clause ("…, Marrow has promised") or before
# "that"; "Voss promised union members a seat" names no reported clause.
_PROMISES = tuple(dict.fromkeys(("promised", "pledged", "vowed", "urged", "demanded",
                                 *(w for w in COMMIT_FINITE if w.endswith("ed") or w == "besought"))))
# Verbs whose object is what was said ("Marrow proposed a common response centre …",
# "She accused foreign agencies of …"): the whole sentence is the claim.
_ACTS = ("proposed", "accused", "called on", "called for", "asked", "announced")
# Verbs that name what something is in the speaker's words ("called the scheme “a gift to
# investors”", "branded the plan “theft”", ", describing the cut as “overdue”"): a frame
# only with a quotation right after them.
_NAMING = ("called", "described", "labelled", "labeled", "branded", "dubbed", "termed",
           "calls", "describes", "brands", "dubs")  # present, as features write ("calls the review “a fig leaf”")
_NAMING_ING = ("calling", "describing", "labelling", "labeling", "branding", "dubbing", "terming")
# "Tolland went on to stress that …", "was quick to point out that …": a verb of the
# lexicon after "to" is a frame when what comes before "to" only qualifies the speaking
# (``_RAISING_RE``); "declined to confirm", "has yet to say" are left out by their subject.
_RAISING_RE = re.compile(r"\b(?:went on|sought|tried|moved|hastened|rushed|took care|used the occasion|"
                         r"took the opportunity|wanted|continued|went so far as|"
                         r"(?:was|were) (?:quick|careful|keen|eager|anxious|swift|at pains))\s+to\s*$")
# "spoke of “a betrayal”": verbs of speaking are a frame only before a quoted topic.
_VERB_RE = re.compile(r"\b(called on|called for|made clear|made it clear|pointed out|points out|"
                      r"(?:spoke|speaks|talked|talks)(?= (?:of|about) [\u201c\"])|(?<=\bto )"
                      + word_regex(BASE) + r"|"
                      + word_regex([*_VERBS, *_NAMING, "blamed", *_PROMISES, *_ACTS]) + r")\b"
                      r"|(?:(?<=, )|(?<=\bby )|(?<=\bafter )|(?<=\bwhile )|(?<=\bbefore )"
                      r"|(?<=\bafter first )|(?<=\bafter initially )|(?<=\bafter publicly ))("
                      + word_regex([*_PARTICIPLES, *_PARTICIPLES_THAT, *_NAMING_ING]) + r")\b")
# Roles that stand for a person only when the article gives exactly one person that role
# ("the inspector" after "Mira Holt, the bridge inspector, …"); else someone unnamed.
_NAMED_ROLES = frozenset(
    """inspector engineer economist analyst lawyer attorney prosecutor judge councillor
    councilor negotiator diplomat adviser advisor regulator auditor ombudsman surgeon nurse
    teacher principal coach captain manager executive ceo founder owner chairwoman
    superintendent commissioner sheriff rector dean professor researcher scientist
    investigator curator treasurer architect pilot inspector-general""".split()
)
# A verb in the past after a name makes it a person's ("Mira Tolland spoke first"):
# regular, or one of the common irregular ones.
_PAST_RE = re.compile(
    r"\s*(?:also |reportedly |then |later )?(?:\w+ed|spoke|went|took|made|gave|came|left|met|ran|won|lost|"
    r"sat|stood|held|kept|led|sent|spent|rose|fell|began|became|brought|built|caught|chose|drew|drove|"
    r"felt|found|fought|flew|got|grew|heard|knew|meant|paid|saw|sold|shook|swore|taught|thought|"
    r"threw|understood|wrote|wore|broke|stole|struck|told|said|read|quit|set|put|cut|hit)\b")


# "said in an address to the closed session of parliament on Friday that …": prepositional
# phrases between the verb and "that", however many words the frame's setting takes.
_PP_THAT_RE = re.compile(
    r"(?:\s*,?\s+(?:on|in|at|to|before|during|after|via|with|by|from|for|of|under|outside|inside)\s+"
    r"(?:the\s+|a\s+|an\s+|his\s+|her\s+|its\s+|their\s+)?(?:[\w\u2019'\-]+\s+){0,2}[\w\u2019'\-]+){1,6}"
    r"\s*,?\s+that(?:\s+|,\s*)")


def _pp_that(rest: str) -> re.Match | None:
    """"that" after the frame's setting (see ``_PP_THAT_RE``), none when a clause has begun
    before it ("said in May the plan was dead, so that …")."""
    m = _PP_THAT_RE.match(rest)
    if m and re.search(r"\b(?:he|she|they|it|we|I|had|has|have|was|were|is|are|would|will|could|should|"
                       r"must|said|says)\b", m.group(0)[:-5]):
        return None
    return m


_FINITE_RE = re.compile(r"\b(?:is|are|was|were|will|would|had|has|have|could|can|should|must|might|may)\b")


def _has_finite_verb(words: str) -> bool:
    """An auxiliary or modal in a phrase taken for a hearer makes it a clause."""
    return bool(_FINITE_RE.search(words))


def _words_of(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _speakers_of_repeated(proposals: list, text: str) -> list:
    """A quotation without a frame that the article quotes again where someone is named
    (a headline's “Nobody called me back” and, further down, "“… Nobody called me back,”
    she said") is that person's; not one its own line gives to someone unnamed
    ("“…,” say residents")."""
    from dataclasses import replace

    said = [(_words_of(p.text), p.speaker) for p in proposals if p.speaker]
    out = []
    for p in proposals:
        key = _words_of(p.text)
        line = text[text.rfind("\n", 0, p.start) + 1:p.start] + " " + text[p.end:].split("\n", 1)[0]
        if not p.speaker and len(key.split()) >= 3 and not _VERB_RE.search(line):
            speaker = next((who for words, who in said if f" {key} " in f" {words} "), "")
            if speaker:
                p = replace(p, speaker=speaker)
        out.append(p)
    return out


# Frames that are no verb: "In her view, …", "in Brel's words", "As Tolland put it, …".
_VIEW_RE = re.compile(
    r"\b(?:[Ii]n (his|her|(?:[A-Z][\w\-]*[ \t]+){0,2}[A-Z][\w\-]*[\u2019']s) (?:own )?"
    r"(?:view|opinion|words|estimation|judgement|judgment|account|reading)"
    r"|[Aa]s ((?:[A-Z][\w\-]*[ \t]+){0,2}[A-Z][\w\-]*|he|she) (?:put it|sees it|tells it|has put it|"
    r"once put it))\b\s*,?\s*")


# "Tolland's reply was blunt: …", "Tolland put it plainly: …", "Tolland was adamant that …":
# a person's stance or words named by a noun or an adjective; the clause follows.
_STANCE_RE = re.compile(
    r"((?:[A-Z][\w\-]*[ \t]+){0,2}[A-Z][\w\-]*|[Hh]e|[Ss]he)(?:"
    r"[\u2019']s (?:reply|answer|response|message|verdict|warning|advice|retort|argument|explanation|"
    r"position|promise|pledge)\b[^:.\u201c\"]{0,50}?\b(?:was|is|came|remained|remains)\b[^:.\u201c\"]{0,30}:"
    r"|[\u2019']s (?:letter|statement|post|message|note|tweet|email|speech)\b[^:.\u201c\"]{0,50}?\b(?:reads|read)\s*:"
    r"| put it(?: (?:[a-z]+ly|simply|this way|like this))?(?: to [^:.]{2,40})?:"
    r"| (?:was|is|were|remained|remains) (?:adamant|insistent|emphatic|categorical|unequivocal|firm|"
    r"explicit|clear) (?:that\b|:))\s*")


def _view_frames(sentence: str, start: int, body_end: int, ctx, resolve, trim, inside_quote) -> list:
    """The frames of ``_VIEW_RE`` with their clauses: what follows when they open the
    sentence, the whole sentence when they stand inside it ("The authority, in her view,
    had done nothing wrong"), what comes before when they close it."""
    out = []
    for m in _VIEW_RE.finditer(sentence):
        if inside_quote(m.start()):
            continue
        who = re.sub(r"[\u2019']s$", "", m.group(1) or m.group(2) or "")
        speaker, channel, pronoun = resolve(who, ctx)
        if who.lower() in ("his", "her", "he", "she"):
            speaker, pronoun = "", True
        if not speaker and not pronoun:
            continue
        head = sentence[:m.start()].rstrip()
        if not head or head[-1:] in "\u201c\"":
            clause = (m.end(), body_end)
        elif head.endswith(",") and re.match(r"[a-z]", sentence[m.end():]):
            clause = (0, body_end)
        else:
            clause = (0, len(head))
        out.append(_Frame(speaker, pronoun, channel, trim(sentence, clause, start), start + m.start(),
                          m.group(0).strip(" ,"), start + m.start(), start + m.end()))
    for m in _STANCE_RE.finditer(sentence):
        if inside_quote(m.start()) or (m.start() and sentence[m.start() - 1].isalnum()):
            continue
        speaker, channel, pronoun = resolve(m.group(1), ctx)
        if m.group(1).lower() in ("he", "she"):
            speaker, pronoun = "", True
        if not speaker and not pronoun:
            continue
        out.append(_Frame(speaker, pronoun, channel, trim(sentence, (m.end(), body_end + 1 if sentence[
            body_end:body_end + 1] in "\u201d\"" else body_end), start), start + m.start(),
                          m.group(0).strip(" :"), start + m.start(), start + m.end()))
    return out


# Words between a subject and its verb: adverbs ("flatly denied", "has long argued"),
# auxiliaries and reflexives ("herself admitted"); "-ly" nouns stay ("the daily reported"),
# and so does "never" ("he has never conceded one" is no claim).
_BETWEEN_RE = re.compile(r"\b(?:[a-z]+ly|long|always|often|still|already|even|just|again|also|now|"
                         r"once|first|too|had|has|have|would|will|did|does|himself|herself|themselves|"
                         r"itself)\s*$")
_LY_KEPT = frozenset("""daily weekly monthly quarterly family ally assembly supply rally
monopoly tally reply anomaly italy lily folly belly bully jelly homily hardly barely scarcely
rarely seldom""".split())  # nouns, and adverbs that negate


def _strip_between(head: str) -> str:
    """``head`` without the adverbs, auxiliaries and reflexives that end it."""
    for _ in range(4):
        m = _BETWEEN_RE.search(head.rstrip())
        if not m or m.group(0).strip() in _LY_KEPT:
            break
        head = head.rstrip()[:m.start()]
    return head


def _quoted_topic(tail: str) -> bool:
    """"warned of “chaos” if …", "spoke about “a betrayal”": what follows the verb is a
    quoted topic, the claim itself."""
    return bool(re.match(r"(?:of|about|against)\s+(?:what\s+(?:he|she|they)\s+(?:calls|called|describes as|"
                         r"described as)\s+)?[\u201c\"]", tail))


def _parenthetical(tail: str) -> bool:
    """"The ferries, Tolland promised, will run": the frame stands inside its clause."""
    return bool(re.match(r"(?:is|was|are|were|will|would|has|have|had|can|could|should|must)\b", tail))


def _without_age(head: str) -> str:
    """"Tolland, 54," before a verb: the name without the age."""
    return re.sub(r",\s*(?:aged\s+)?\d{1,3}\s*,?\s*$", "", head)


def _unnamed_frame(text: str, q_start: int, q_end: int, s_start: int, s_end: int) -> bool:
    """A quotation whose own frame names nobody ("“…,” one wrote", "residents said:
    “…”"): no one's claim, not even the next speaker's."""
    lead_in = re.match(r"[,?!.]?\s*[\u201d\"\u2019']?\s*", text[q_end:s_end])
    at = q_end + (lead_in.end() if lead_in else 0)
    for word in re.finditer(r"[\w\u2019'\-]+", text[at:min(s_end, at + 60)]):
        if text[at:at + word.start()].strip(" ") and not re.fullmatch(r"[\w\u2019'\-\s]+", text[at:at + word.start()]):
            break  # past a comma: no longer the quotation's frame
        verb = _VERB_RE.match(text, at + word.start(), s_end)
        if verb:
            subject = text[at:at + word.start()].strip()
            if not subject:  # "“…,” said one resident"
                subject = re.split(r"[,.;:!?]", text[verb.end():s_end], maxsplit=1)[0].strip()
            # "“…,” one wrote", "“…,” residents said"; not "“…,” Lind said" nor "“…,” she said"
            return bool(subject) and not re.search(r"[A-Z]", subject) and \
                not re.fullmatch(r"(?:he|she|they)", subject)
    before = text[s_start:max(s_start, q_start - 1)].rstrip()
    lead = re.search(r"((?:[\w\u2019'\-]+\s+){1,4}?)(\S+)\s*:$", before)
    # "Residents said: “…”" (a capital only where the sentence begins)
    return bool(lead and _VERB_RE.fullmatch(lead.group(2)) and not re.search(r"(?<!^)[A-Z]", lead.group(1))
                and not re.search(r"\b(?:he|she|He|She)\b", lead.group(1)))


def _headline_role(word: str) -> bool:
    """A role a headline's "Role: what was said" may name ("Inspector: cables were worn")."""
    return word in _ROLE_WORDS or word in _NAMED_ROLES


def _is_question(quotation: str) -> bool:
    """A quotation that is one question ("Who will pay for this?") is no claim."""
    body = quotation.strip().rstrip("\u201d\"\u2019' ")
    return body.endswith("?") and not re.search(r"[.!?;:]\s", body[:-1])


def _unnamed_head(phrase: str) -> bool:
    """A noun phrase whose head is someone unnamed, whoever it is near: "A source close to
    the minister", "one of her aides", "people familiar with the talks"."""
    return bool(re.match(r"\s*(?:an?|one|two|three|several|some|many|other|sources|people|aides|allies|"
                         r"officials|diplomats|analysts|critics|residents)\b", phrase, re.I)
                or re.search(r"\b(?:close to|familiar with|loyal to|allied with|briefed on)\b", phrase))


def _is_participle(words: str) -> bool:
    """A participle frame (", saying …", ", conceding that …") whose speaker is the
    sentence's subject."""
    return words in _PARTICIPLES or words in _PARTICIPLES_THAT


def _participle_without_clause(verb: str, that: re.Match | None) -> bool:
    """", conceding defeat" reports no clause; ", conceding that …" does."""
    return verb in _PARTICIPLES_THAT and that is None


def _manner_without_quotation(verb: str, head: str) -> bool:
    """"she laughed" frames only a quotation right before it ("“…,” she laughed")."""
    return verb in _MANNER and not re.search(r"[,?!][\u201d\"\u2019']\s*(?:[\w\u2019'\-.]+\s+){0,5}$", head)


def _object_is_no_clause(verb: str, near_that: re.Match | None, clause_after: bool, tail: str) -> bool:
    """"Voss mentioned the plan in passing": the object of a lexicon verb that often takes
    a noun phrase is a clause only after "that", with a finite verb or a pronoun subject
    ("Voss underlined she would stay")."""
    return verb in _LEXICON_ONLY and verb in NOUN_OBJECT_FINITE and near_that is None and not clause_after \
        and len(tail.split()) >= 3 and not re.match(r"(?:he|she|they|it|we|I|there)\b", tail)


def _hearer(verb: str, after: str) -> re.Match | None:
    """The hearer after a verb of telling other than "told" ("assured the Courier that",
    "Kestria, he informed Dagsposten, was …"): group 1, up to "that" or a comma."""
    if verb not in _TELL or verb in ("told", "tells", "tell"):
        return None
    m = re.match(r"\s+((?!(?:that|of|about|against|on|in|to|it|this|them|him|her|us|me|you|over|for)\b)"
                 r"(?:the\s+)?(?:[\w\u2019'\-]+\s+){0,5}?[\w\u2019'\-]+?)(?=\s+that\b|\s*[,.:;])", after)
    return None if m is None or "that" in m.group(1).split() else m


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
    governor senator leader former the public broadcaster state mp mep mps meps""".split()
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
    during under over since until i now""".split()
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
    genders: dict[str, str] = field(default_factory=dict)  # "he" or "she", where the article shows it
    outlet_names: dict[str, str] = field(default_factory=dict)  # "Echo": "Rudmere Echo" (the byline's outlet)
