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
    "asserted asserts confirmed confirms replied replies"
).split()
_PARTICIPLES = "saying adding noting stressing warning insisting arguing explaining".split()
_VERB_RE = re.compile(r"\b(" + "|".join(_VERBS) + r")\b|(?<=, )(" + "|".join(_PARTICIPLES) + r")\b")
_EXPRESSED_RE = re.compile(r"\bexpressed (?:confidence|hope|the hope|concern|regret) that\b")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\s+")

# Words that stand for a person already named.
_PRONOUNS = frozenset("he she they".split())
_ROLE_WORDS = frozenset(
    """minister president premier prime leader chief director head spokesman spokeswoman
    spokesperson secretary chancellor mayor governor official envoy ambassador chairman
    chair pm general commander""".split()
)
# Capitalised words that are titles, not names ("Prime Minister Helga Voss").
_TITLES = frozenset(
    """prime minister president premier russian interior water foreign finance deputy
    director chief head secretary general mr mrs ms dr sir madam chancellor mayor
    governor senator leader former the public broadcaster state""".split()
)
# Words that make a name a medium rather than a person.
_MEDIA = frozenset(
    """agency news novosti radio tv television press post times herald gazette website
    site broadcaster channel newspaper daily wire service station journal tribune
    reuters interfax xinhua tass bbc cnn afp ap""".split()
)
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


@dataclass
class _Context:
    names: list[str]
    known_speakers: Sequence[str]
    known_channels: Sequence[str]
    last_speaker: str = ""
    last_channel: str = ""
    persons: list[str] = field(default_factory=list)


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
                text[j - 1] not in " s":
            return j
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
    for m in re.finditer(rf"((?:{_NAME_WORD}\s+){{1,5}}{_NAME_WORD})", text):
        words = _clean_name(m.group(1).split())
        if 2 <= len(words) <= 3 and not _is_medium(words) and all(w[:1].isupper() for w in words):
            tail = text[m.end():m.end() + 40]
            head = text[max(0, m.start() - 40):m.start()].lower()
            alone = len(re.findall(rf"\b{re.escape(words[-1])}\b", text)) > 1
            if (alone or _VERB_RE.match(tail.strip(" ,")) or re.match(r"\s*(?:also |reportedly )?\w+ed\b", tail)
                    or any(t in head.split()[-3:] for t in ("minister", "president", "prime",
                                                           "director", "chief", "leader"))
                    or len(m.group(1).split()) > len(words)):
                name = " ".join(words)
                if name not in names:
                    names.append(name)
    return names


def _resolve(phrase: str, ctx: _Context) -> tuple[str, str, bool]:
    """(speaker, channel, is_pronoun_or_role) for the noun phrase before a verb."""
    words = re.findall(r"[\w\u2019'\-]+", phrase)
    if not words:
        return "", "", False
    lowered = [w.lower() for w in words]
    if lowered[-1] in _PRONOUNS and len(words) <= 2:
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
    if lowered[-1] in _MEDIA_BACK:
        if any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and lowered[0] != "the"):
            return "", _medium_name(phrase), False
        return "", ctx.last_channel, False
    if any(w in _MEDIA for w in lowered[-3:]) and not caps_tail:
        return "", _medium_name(phrase), False
    cleaned = _clean_name(caps_tail)
    if cleaned:
        return _full_name(cleaned, ctx), "", False
    if lowered[-1] in _ROLE_WORDS or lowered[-1] in ("pm",):
        return "", "", True
    return "", "", False


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
    head = re.sub(r"\b(?:also|reportedly|later|then|again|further)\s*$", "", head.rstrip())
    head = re.sub(r"\s*\([A-Z]{2,6}\)\s*$", "", head)
    head = head.rstrip(" ,")
    # Cut at the last clause boundary, a closing quotation mark or the start.
    cut = max(head.rfind(p) for p in (",", ":", ";", "\u201d", '"', "\u2019 ", "(", ")", " that ",
                                      " and ", " but ", " — ", " - ", " – "))
    phrase = head[cut + 1:] if cut >= 0 else head
    region = cut + 1 if cut >= 0 else 0
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
        speaker, channel, pronoun = _resolve(who, ctx)
        if m.start() <= 1:
            according = (m.end() + len(who) + 1, body_end)
        else:
            according = (0, m.start())
        frames.append(_Frame(speaker, pronoun, channel, _trim(sentence, according, start),
                             start + m.start(), sentence[m.start():m.end() + len(who)]))

    for m in _VERB_RE.finditer(sentence):
        if inside_quote(m.start()):
            continue
        verb = m.group(1) or m.group(2)
        if m.group(2):  # ", saying (that) …": the sentence's speaker goes on
            after = sentence[m.end():]
            that = re.match(r"\s+that\s+", after)
            participle = (m.end() + (that.end() if that else 0), body_end)
            frames.append(_Frame("", True, "", _trim(sentence, participle, start), start + m.start(), verb))
            continue
        subject, region = _subject_before(sentence, m.start())
        speaker, channel, pronoun = _resolve(subject, ctx)
        if not (speaker or channel or pronoun):
            speaker = _appositive_speaker(sentence[:m.start()], ctx)
            if not speaker:
                continue
        subject_at = sentence.rfind(subject, 0, m.start()) if subject else m.start()
        after = sentence[m.end():]
        obj_channel = ""
        skip = 0
        if verb in ("told", "tells", "tell", "quoted", "quotes"):
            obj = re.match(r"\s+((?:the\s+)?(?:[\w\u2019'\-]+\s+){0,4}?[\w\u2019'\-]+?)"
                           r"(?=\s+(?:that|on|in|at|when|of|after|via)\b|[,.:;]|\s*$)", after)
            if obj is None or len(obj.group(1).split()) > 5:
                obj = re.match(r"\s+((?:the\s+)?[\w\u2019'\-]+)", after)
            if obj:
                words = obj.group(1)
                if verb in ("quoted", "quotes"):
                    possessor = re.match(rf"((?:{_NAME_WORD}\s+)*{_NAME_WORD})[\u2019']s\b", words)
                    sp, _, _ = _resolve(possessor.group(1) if possessor else words, ctx)
                    if channel and not speaker:
                        speaker = sp
                else:
                    _, oc, _ = _resolve(words, ctx)
                    obj_channel = oc
                skip = obj.end()
        rest_at = m.end() + skip
        adverbial = re.match(r"(?:\s+(?:on|in|at|via|during|by)\s+(?:the\s+)?"
                             r"[\w\u2019'\-]+(?:\s+[A-Z][\w\u2019'\-]*)*|\s+yesterday|\s+today"
                             r"|\s+earlier|\s+also)*", sentence[rest_at:])
        rest_at += adverbial.end() if adverbial else 0
        near_that = re.match(r"[^,\u201c\"]{0,40}?\bthat\s+", sentence[rest_at:])
        tail = sentence[rest_at:body_end].strip(" ,")
        trailing = re.match(r"(?:when|after|as|before|while|of|about|in|at|on|according|"
                            r"\w+ing)\b", tail)
        clause: tuple[int, int] | None
        if re.match(r"(?:is|was|are|were|will|would|has|have|had|can|could|should|must)\b", tail):
            clause = (0, body_end)  # "The aim, he said, is …"
        elif verb not in ("quoted", "quotes") and not trailing and (
                near_that or len(tail.split()) >= 3):
            begin = rest_at + (near_that.end() if near_that else 0)
            clause = (begin, body_end)
        else:
            before = sentence[:region].rstrip().rstrip(",").rstrip()
            clause = (0, len(before)) if before else None
        if channel and not speaker and clause is not None:
            # "Y reports that X VERB…": the person is the subject of the clause.
            inner = sentence[clause[0]:clause[1]].lstrip(" ,")
            subject_match = re.match(rf"((?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})\s+"
                                     r"(?:also\s+|reportedly\s+)?[a-z]+(?:ed|id|ld|ote)\b", inner)
            if subject_match:
                speaker, _, _ = _resolve(subject_match.group(1), ctx)
            if not speaker:
                frames.append(_Frame("", False, channel, None, start + m.start(), ""))
                continue
        frames.append(_Frame(speaker, pronoun and not speaker, channel or obj_channel,
                             _trim(sentence, clause, start) if clause else None,
                             start + m.start(), sentence[subject_at:m.end()]))
    # A headline's "“Quote”: Name does something" names the speaker after the colon.
    headline = re.match(r"\s*[\u201c\"\u2018'].+?[\u201d\"\u2019']\s*:\s*((?:[\w\u2019'\-]+\s+){0,2})",
                        sentence)
    if headline and not frames:
        first = headline.group(1).split()
        name = [re.sub(r"[\u2019']s$", "", w) for w in first if w[:1].isupper()]
        if name:
            speaker, channel, pronoun = _resolve(" ".join(name[:1] if name[0] in _ROLE_ACRONYMS
                                                          else name), ctx)
            if speaker or pronoun:
                frames.append(_Frame(speaker, pronoun and not speaker, "", None, start,
                                     headline.group(1).strip()))
    expressed = _EXPRESSED_RE.search(sentence)
    if expressed and not inside_quote(expressed.start()):
        subject, _ = _subject_before(sentence, expressed.start())
        speaker, channel, pronoun = _resolve(subject, ctx)
        if speaker or pronoun:
            frames.append(_Frame(speaker, pronoun and not speaker, channel,
                                 _trim(sentence, (expressed.end(), body_end), start),
                                 start + expressed.start(), expressed.group(0)))
    return frames


def _appositive_speaker(head: str, ctx: _Context) -> str:
    """"X, Director of …, also stated": the name before an appositive."""
    m = re.search(rf"((?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD}),\s+[^,]{{2,90}},\s*(?:also\s+)?$",
                  head)
    if not m:
        return ""
    speaker, channel, _ = _resolve(m.group(1), ctx)
    return "" if channel else speaker


def _trim(sentence: str, clause: tuple[int, int], offset: int) -> tuple[int, int] | None:
    s, e = clause
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
    ctx.persons = _persons(text, known_speakers)
    sentences = [(s.start, s.end) for s in segment_sentences(text)]
    quotes = [_Quote(s, e, c) for s, e, c in find_quotations(text)]
    quoted = [(q.start - 1, q.end + 1) for q in quotes]
    proposals: list[Proposal] = []
    waiting: list[tuple[int, int]] = []  # frameless quotes waiting for the next speaker
    done: set[int] = set()
    previous_had_speech = False

    for k, (s_start, s_end) in enumerate(sentences):
        here = [q for q in quotes if s_start <= q.start - 1 < s_end and id(q) not in done]
        last_end = max([s_end] + [q.end for q in here])
        frames = _frames(text, s_start, s_end, ctx, quoted)
        # A quotation that runs over several sentences is attributed where it ends.
        for a, b in sentences[k + 1:]:
            if a < last_end:
                frames += _frames(text, a, b, ctx, quoted)
        speaker = next((f.speaker for f in frames if f.speaker), "")
        if not speaker and any(f.pronoun for f in frames):
            speaker = ctx.last_speaker or (ctx.persons[0] if ctx.persons else "")
        channel = next((f.channel for f in frames if f.channel), "")
        if channel:
            ctx.last_channel = channel
        units: list[tuple[int, int, str]] = []
        for quote in here:
            done.add(id(quote))
            q = (quote.start, _strip_end(text, quote.start, quote.end))
            host = next((f.clause for f in frames if f.clause and f.clause[0] <= q[0] + 1
                         and q[1] <= f.clause[1] + 2), None)
            if host is not None:
                outside = (text[host[0]:q[0]] + " " + text[q[1]:host[1]])
                lead = text[host[0]:q[0]].rstrip(" \u201c\"'\u2018")
                if lead.endswith(":") and len(lead.split()) >= 2:
                    units.append((host[0], host[0] + len(lead) - 1, INDIRECT))
                    units.append((q[0], q[1], DIRECT))
                elif len(re.findall(r"\w+", outside)) >= 2:
                    units.append((host[0], host[1], PARTIAL))
                else:
                    units.append((q[0], q[1], DIRECT))
            elif not frames:
                if not quote.closed or not (previous_had_speech and ctx.last_speaker):
                    waiting.append(q)
                    continue
                units.append((q[0], q[1], DIRECT))
            elif _starts_clause(text, q[0], s_start):
                units.append((q[0], q[1], DIRECT))
            # else: a fragment in the author's own sentence, not attributed; left out
        if not frames and here and not speaker and previous_had_speech:
            speaker = ctx.last_speaker
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
            for w_start, w_end in waiting:
                proposals.append(Proposal(w_start, w_end, DIRECT, speaker, "", text[w_start:w_end], ""))
            waiting = []
            ctx.last_speaker = speaker
        elif waiting and not here:
            waiting = []
        previous_had_speech = bool(units) and bool(speaker)
    proposals = [p for p in proposals if p.speaker]
    proposals.sort(key=lambda p: (p.start, p.end))
    unique: list[Proposal] = []
    for p in proposals:
        if unique and unique[-1].start == p.start and unique[-1].end == p.end:
            continue
        unique.append(p)
    return unique


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;:":
        end -= 1
    return end


def _starts_clause(text: str, quote_start: int, sentence_start: int) -> bool:
    """A quotation that opens its sentence (or follows a colon) is a sentence of its own."""
    before = text[sentence_start:quote_start - 1].strip()
    return not before or before.endswith(":")


def _share(clause: tuple[int, int], part: tuple[int, int]) -> float:
    return (part[1] - part[0]) / max(1, clause[1] - clause[0])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
