"""Pre-annotation: who speaks. Persons, roles, media and outlets named in an article, and
the resolution of a frame's subject (a name, a pronoun, a role) to a speaker or channel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .propose_rules import (
    _ACRONYM_RE, _Context, _MEDIA, _MEDIA_BACK, _NAME_WORD, _NOT_NAMES, _ORG_WORDS, _PLATFORMS,
    _NAMED_ROLES, _PAST_RE, _PRONOUNS, _RAISING_RE, _strip_between, _unnamed_head, _without_age, _ROLE_ACRONYMS, _ROLE_WORDS, _TITLES, _VERB_RE,
)


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
            if (alone or _VERB_RE.match(tail.strip(" ,")) or _PAST_RE.match(tail)
                    or any(t in head.split()[-3:] for t in ("minister", "president", "prime",
                                                           "director", "chief", "leader"))
                    or len(m.group(1).split()) > len(words)
                    or (head.rstrip().endswith(",") and tail.startswith(","))
                    or re.match(r",\s+(?:who|whose)\b", tail)  # "Mira Tolland, who …": a person
                    or re.match(r",\s+\d{1,3},", tail)  # "Edith Marlowe, 83, …": a person's age
                    or re.match(r"\s+(?:of\s+the|was|is|has|had|did|will|would|who)\b", tail)
                    or re.search(r"\b(?:said|says|added|told)\s+$", head)
                    or re.match(r",\s+(?:the\s+|a\s+)?(?:[\w\u2019'\-]+\s+){0,3}?(?:"
                                + "|".join([*_ROLE_WORDS, *_NAMED_ROLES]) + r")\b", tail)):
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
            # Words of this sentence only: "…, the bridge inspector, spoke first. Jonas Brel"
            # gives Brel no role.
            window = re.split(r"[.!?;:\n\u201d\"]\s", text[max(0, m.start() - 40):m.start()])[-1]
            before = re.findall(r"[\w\-]+", window.lower())[-3:]
            after = re.match(r",\s+(?:the\s+|a\s+)?([^,.]{0,60})", text[m.end():])
            words = before + (re.findall(r"[\w\-]+", after.group(1).lower())[:4] if after else [])
            words = ["doctor" if w == "dr" else w for w in words]
            for k, w in enumerate(words):
                for part in w.split("-"):
                    if part in _ROLE_WORDS or part in _NAMED_ROLES:
                        modifier = words[k - 1] if k else ""
                        key = f"{modifier} {part}" if modifier in _ROLE_MODIFIERS else part
                        found.setdefault(key, set()).add(name)
    return {role: next(iter(names)) for role, names in found.items() if len(names) == 1}


_QUOTED_RE = re.compile(r"[\u201c\"][^\u201d\"\n]*[\u201d\"]")
_HEARER_RE = re.compile(r"\b(?:asked|told|urged|pressed|reminded|assured|informed|warned|thanked|"
                        r"accused|congratulated|called on)\s+(?:him|her)\b[^.!?\n]*")
_HE_RE = re.compile(r"\b(?:he|him|his)\b", re.I)
_SHE_RE = re.compile(r"\b(?:she|her|hers)\b", re.I)


def _genders(text: str, persons: Sequence[str]) -> dict[str, str]:
    """"he" or "she" for the persons the article refers to so: the pronouns in the rest
    of the sentence that names a person, and the next one, when they name nobody else
    (quotations left out)."""
    surnames = {name: name.split()[-1] for name in persons if name.split()}
    out: dict[str, str] = {}
    for name, surname in surnames.items():
        he = she = 0
        for m in re.finditer(rf"\b{re.escape(surname)}\b", text):
            stop = m.end()
            for _ in range(2):  # to the end of this sentence and of the next
                found = re.search(r"[.!?](?:\s|$)|\n", text[stop:])
                stop = stop + found.end() if found else len(text)
            if re.search(r"\b(?:in|of|to|with|from|by|for|about|against|at)\s+(?:\w+\s+){0,2}$",
                         text[max(0, m.start() - 30):m.start()]):
                continue  # "a motion of no confidence in Quist next week, he told …": not the subject
            span = _QUOTED_RE.sub(" ", text[m.end():stop])
            # "Quist, who followed Keppler into the room, said she …": the relative clause
            # is an aside.
            span = re.sub(r"^\s*,\s+(?:who|whose|which)\b[^,]*,", " ", span)
            # "asked her directly whether she had read …": the hearer answers; what
            # follows, in this sentence and the next, is someone else's.
            hearer = _HEARER_RE.search(span)
            if hearer:
                span = span[:hearer.start()]
            others = [o.start() for n, other in surnames.items() if n != name
                      for o in re.finditer(rf"\b{re.escape(other)}\b", span)]
            if others:
                span = span[:min(others)]  # up to the next person named
            he += len(_HE_RE.findall(span))
            she += len(_SHE_RE.findall(span))
        if he != she:
            out[name] = "he" if he > she else "she"
    return out


def _agreeing(speaker: str, pronoun: str, text: str, before: int, ctx: _Context) -> str:
    """The speaker a pronoun stands for: who spoke last when the article does not show
    another gender for them, else the person named most recently before ``before`` whom
    the article refers to by that pronoun ("Voss … Brel … she said": Voss)."""
    if pronoun not in ("he", "she") or ctx.genders.get(speaker, pronoun) == pronoun:
        return speaker
    latest = -1
    chosen = speaker
    for name in ctx.persons:
        if ctx.genders.get(name) != pronoun:
            continue
        at = max((m.start() for m in re.finditer(rf"\b{re.escape(name.split()[-1])}\b", text[:before])), default=-1)
        if at > latest:
            latest, chosen = at, name
    return chosen


def _person_roles(roles_found: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for role, name in roles_found.items():
        out.setdefault(name, set()).add(role)
    return out


# Heads of an organisation ("the head of …", "the director of …"): a person.
_HEADS = frozenset("head director chief boss chairman chairwoman chair president leader".split())

_GATHERINGS = frozenset(
    "conference briefing meeting forum summit session committee parliament reporters "
    "journalists correspondents audience lawmakers delegates".split())


def _resolve(phrase: str, ctx: _Context) -> tuple[str, str, bool]:
    """(speaker, channel, is_pronoun_or_role) for the noun phrase before a verb."""
    if _unnamed_head(phrase):
        return "", "", False  # "A source close to the minister", "one aide"
    if re.fullmatch(r"[A-Z][a-z\-]*(?:\s+[a-z\-]+){0,2}", phrase.strip()) and \
            phrase.split()[-1].lower() in _NAMED_ROLES and phrase.split()[0].lower() not in ("a", "an"):
        phrase = "the " + phrase.strip().lower()  # a headline's "Bridge inspector tells inquiry …"
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
    elif role_of and role_of.group(1).split()[0].lower() == "the" and \
            role_of.group(1).split()[-1].lower() in _HEADS:
        # "The head of Tirrane's health data agency", "the director of the agency": a
        # person the article speaks of, as "the minister" is.
        key = role_of.group(1).split()[-1].lower()
        return ctx.roles.get(key, ""), "", key not in ctx.roles
    programme = re.match(rf"\s*(?:the\s+)?((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})[\u2019']s\s+"
                         r"(?:[\w\-]+\s+){0,2}(?:programme|program|show|bulletin|podcast|broadcast|newscast)\s*$", phrase)
    if programme and (_is_medium(programme.group(1).split())
                      or programme.group(1).split()[-1] in ctx.outlets):
        return "", programme.group(1), False  # "told VBC's morning programme": VBC
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
        medium = _medium_name(" ".join(caps_tail))
        return "", ctx.outlet_names.get(medium, medium), False  # "told Avisen", "told Nordlight"
    if lowered[-1] in _MEDIA_BACK:
        if any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and lowered[0] != "the"):
            return "", _medium_name(phrase), False
        return "", ctx.last_channel, False
    if any(w in _MEDIA for w in lowered[-3:]) and not caps_tail and \
            not (lowered[-1] in _HEADS or lowered[-1] in _ROLE_WORDS):
        # (A headline's "Tirrane health agency chief admits" is a person, not the agency.)
        return "", _medium_name(phrase), False
    cleaned = _clean_name(caps_tail)
    if cleaned:
        name = _person_words(cleaned)
        if not name or (len(name) == 1 and not _known_surname(name[0], ctx)):
            # An organisation, a country or a place ("Ildra says"), not a person.
            return "", "", False
        return _full_name(name, ctx), "", False
    if lowered[-1] in _NAMED_ROLES and lowered[-1] not in _ROLE_WORDS:
        # "the inspector": the one person the article calls so, else nobody named.
        named = ctx.roles.get(lowered[-1], "")
        # "the inspector", or a headline's "Bridge inspector tells inquiry …"; never "an inspector".
        return (named, "", False) if named and lowered[0] not in ("a", "an", "one", "another") \
            else ("", "", False)
    if lowered[-1] in _ROLE_WORDS or lowered[-1] in ("pm",):
        key = f"{lowered[-2]} {lowered[-1]}" if len(lowered) > 1 and lowered[-2] in _ROLE_MODIFIERS \
            else lowered[-1]
        # "the minister"; "regional public health officer" (an appositive's words after its "the").
        if key in ctx.roles and (lowered[0] in ("the", "a", "its", "her", "his", "their")
                                 or (lowered[0] not in ("an", "one", "another", "some", "several", "two", "three")
                                     and not any(w in _PRONOUNS or _VERB_RE.fullmatch(w) for w in lowered))):
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


def _outlet_names(text: str) -> dict[str, str]:
    """The byline's outlet by its last word ("Echo": "Rudmere Echo"), so that "told the
    Echo" names the outlet in full."""
    out: dict[str, str] = {}
    for m in re.finditer(rf"^\s*By\s+(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD}\s*(?:,[^\n]{{0,40}})?(?:,|\n)\s*(?:The\s+)?"
                         rf"((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})\s*(?:,[^\n]{{0,40}})?$", text[:800], re.M):
        words = m.group(1).split()
        out[words[-1]] = " ".join(words)
    return out


def _outlets(text: str, wire: str) -> frozenset[str]:
    """The names of the article's own outlet (its byline's "By Karin Ek, Varnby Avisen")
    and its wire agency (the dateline's "(Nordlight)"): a frame that names them names a
    medium, not a person."""
    names: set[str] = set()
    for m in re.finditer(rf"^\s*By\s+(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD}\s*,\s*"
                         rf"((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})\s*$", text[:600], re.M):
        names.add(m.group(1).split()[-1])
    # A byline over two lines ("By Fiona Hartigan" / "Rudmere Echo, Thursday 11 June" or
    # "The Vassa Monitor"): the line after it names the outlet.
    for m in re.finditer(rf"^\s*By\s+(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD}\s*(?:,[^\n]{{0,40}})?\n\s*(?:The\s+)?"
                         rf"((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})\s*(?:,[^\n]{{0,40}})?$", text[:800], re.M):
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
    head = _RAISING_RE.sub("", sentence[:verb_at].rstrip())  # "X went on to (say)"
    for _ in range(3):
        head = re.sub(r"\b(?:also|reportedly|later|then|again|further|had|has|have|would|will|"
                      r"did|does|once|repeatedly|previously|publicly|privately)\s*$", "", head.rstrip())
    head = _strip_between(head)  # "flatly denied", "has long argued"
    head = re.sub(r"\s*\([A-Z]{2,6}\)\s*$", "", head)
    # "Calvane's water minister on Wednesday urged": the day is not the subject.
    head = re.sub(r"\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today)$",
                  "", head.rstrip())
    head = _without_age(head.rstrip()).rstrip(" ,")
    # Cut at the last clause boundary, a closing quotation mark or the start.
    cut = max(head.rfind(p) for p in (",", ":", ";", "\u201d", '"', "(", ")", " that ",
                                      " and ", " but ", " — ", " - ", " – "))
    closing = [k for k in range(len(head) - 1) if head[k] == "\u2019" and head[k + 1] == " "
               and k and head[k - 1] != "s"]  # a closing single mark, not "supporters’ "
    cut = max([cut, *closing])
    phrase = head[cut + 1:] if cut >= 0 else head
    region = cut + 1 if cut >= 0 else 0
    if cut > 0 and head[cut] == "," and re.match(r"\s*(?:in|at|on|during|after|before|speaking|writing|who|whose|"
                                                 r"quoted|cited|interviewed|asked|pressed|responding|"
                                                 r"reacting|replying|answering|addressing|appearing)\s",
                                                 phrase) and sentence[:verb_at].rstrip().endswith(","):
        # "Minister Elsa Berg, in an interview with DR, said", "Sven Dahl, who will lead
        # the review, said": the name before the aside.
        inner, inner_region = _subject_before(sentence, cut)
        if inner and inner[:1].isupper() and inner.split()[0].lower() not in _NOT_NAMES:
            return inner, inner_region
    if cut > 0 and head[cut] == "," and re.match(r"\s*(?:the|a|an)\s", phrase) and \
            sentence[:verb_at].rstrip().endswith(","):
        # "Dr Omar Feld, the county's chief medical officer, told": an appositive after a
        # name (every word of it capitalised) leaves the name the subject.
        inner, inner_region = _subject_before(sentence, cut)
        words = inner.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and words[0].lower() not in _NOT_NAMES:
            return inner, inner_region
    head_of = re.search(r"\b(?:the|The)\s+(?:" + "|".join(_HEADS) + r")\s+of\s+[^,]{2,60}$", phrase)
    if head_of:
        return head_of.group(0), region + head_of.start()  # "the director of the national agency"
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
