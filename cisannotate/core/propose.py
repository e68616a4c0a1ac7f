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

The rules live beside this module: ``propose_lexicon`` (reporting verbs by class, with
their inflections), ``propose_rules`` (word lists, patterns, shared records), ``propose_quotes`` (quotation marks), ``propose_speakers`` (who speaks),
``propose_frames`` (attribution frames and their clauses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .propose_frames import _frames
from .propose_interview import interview_turns
from .propose_quotes import _closing_mark, find_quotations
from .propose_rules import DIRECT, INDIRECT, PARTIAL, _Context, _Frame, _Quote, _is_participle, _is_question, _speakers_of_repeated, _unnamed_frame
from .propose_speakers import _outlet_names, _agreeing, _genders, _outlets, _person_roles, _persons, _resolve, _roles
from .segment import segment_sentences


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
    ctx.outlet_names = _outlet_names(text)
    # "told Sennet Avis": the outlet of the byline is no person.
    ctx.persons = [n for n in _persons(text, known_speakers) if n.split()[-1] not in ctx.outlets]
    ctx.roles = _roles(text, ctx.persons)
    ctx.person_roles = _person_roles(ctx.roles)
    ctx.genders = _genders(text, ctx.persons)
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
    tail_channel, tail_at = "", -1  # the channel of a frame that ends its sentence after a quotation

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
        if not speaker and any(f.pronoun and _is_participle(f.words) for f in frames):
            # "Voss also rejected calls …, saying she …": the sentence's subject speaks.
            speaker = _sentence_subject(text, s_start, s_end, ctx)
        if not speaker and any(f.pronoun for f in frames):
            # "Marc Duval … was less impressed: the EU, he said, …": the sentence's subject,
            # else who spoke last.
            first = min(f.at for f in frames if f.pronoun)
            colon = text.rfind(": ", s_start, first)
            speaker = (_sentence_subject(text, s_start, colon, ctx) if colon > 0 else "") or \
                ctx.last_speaker or ctx.main_person
            said_by = next((f.words.split()[0].lower() for f in frames if f.pronoun and f.words.split()), "")
            # "she" after a paragraph about a man: the last woman named, if the article
            # shows whom it calls "she".
            speaker = _agreeing(speaker, said_by, text, s_start, ctx)
        channel = next((f.channel for f in frames if f.channel), "")
        channel = ctx.outlet_names.get(channel, channel)  # "told the Echo": the byline's "Rudmere Echo"
        if here and tail_channel and not re.search(r"\S", text[tail_at:here[0].start - 1]) and \
                not frames:
            # "“…,” she told VBC News. “…”": a quotation that goes on right after its
            # frame keeps the frame's channel.
            channel = tail_channel
        if here or s_start >= tail_at:
            tail_channel, tail_at = "", -1
        if channel and here:
            quote_end = max(q.end for q in here)
            frame_end = next((b for a, b in sentences[k:] if b >= quote_end), s_end)
            after = text[quote_end + 1:frame_end]
            if len(after.split()) <= 30 and not re.search("[\u201c\"]", after):
                tail_channel, tail_at = channel, frame_end
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
                if _unnamed_frame(text, q[0], quote.end, s_start, s_end):
                    continue
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
        if not frames and not here and ctx.last_speaker:
            # "Asked whether she would drink it, she paused. “…”": the person who spoke
            # last is still the subject, so a quotation on its own next is theirs.
            topic = re.match(r"(?:[^,\u201c\"]{0,80},\s+)?(he|she)\s+[a-z]+", text[s_start:s_end], re.I)
            if topic and ctx.genders.get(ctx.last_speaker, topic.group(1).lower()) == topic.group(1).lower():
                previous_had_speech = True
    for w_start, w_end, before in waiting:
        proposals.append(Proposal(w_start, w_end, DIRECT, before, "", text[w_start:w_end], ""))
    turns = interview_turns(text, [*known_speakers, *ctx.persons])
    if turns:
        # An interview's unquoted answers are the person's words; frames inside them
        # ("I told her that …") are the speaker's own, not the article's.
        proposals = [p for p in proposals if not any(a <= p.start < b for a, b, _, _ in turns)]
        proposals += [Proposal(a, b, DIRECT, who, "", text[a:b], label) for a, b, who, label in turns]
    proposals = [p for p in _speakers_of_repeated(proposals, text)
                 if p.speaker and not (p.mode == DIRECT and _is_question(p.text))]
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
    head = text[start:min(end, start + 160)]
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
