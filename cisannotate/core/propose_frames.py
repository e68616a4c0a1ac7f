"""Pre-annotation: the attribution frames of a sentence ("X said (that) ...", "according
to X, ...", "..., saying that ..."), each with its reported clause.

Offsets are code points into the article, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .propose_quotes import _closing_mark
from .propose_rules import (
    _ACCORDING_RE, _ACTS, _Context, _EXPRESSED_RE, _Frame, _NAME_WORD, _NAMED_ROLES, _NAMING, _NAMING_ING, _PROMISES, _ROLE_ACRONYMS,
    _ROLE_WORDS, _VERB_RE, _has_finite_verb, _headline_role, _hearer, _manner_without_quotation, _strip_between, _parenthetical, _quoted_topic, _view_frames, _pp_that, _object_is_no_clause,
    _participle_without_clause,
)
from .propose_speakers import _known_surname, _resolve, _subject_before


# A sentence that opens with a role and the name in apposition ("But the party's health
# spokesman, Gideon Marr, …"): the name.
_LEAD_APPOSITIVE_RE = re.compile(
    rf"\s*(?:(?:But|And|Yet|Meanwhile),?\s+)?(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|{_NAME_WORD}[\u2019']s)\s+"
    rf"[^,.;:\u201c\"]{{2,60}},\s+((?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD}),\s")


def _without_role_lead(sentence: str, region: int, before_clause: str, named: bool) -> str:
    """"CLAUSE, the agency's director, Marius Keppler, acknowledged": the role in
    apposition before a named speaker is the frame's, not the clause's."""
    role_lead = re.search(r",\s+(?:the|its|his|her|their|[A-Z][\w\-]*[\u2019']s)\s+[^,\u201c\u201d\"]{1,50}$",
                          before_clause)
    if role_lead and named and sentence[:region].rstrip().endswith(","):
        return before_clause[:role_lead.start()]
    return before_clause


def _frames(text: str, start: int, end: int, ctx: _Context,
            quoted: Sequence[tuple[int, int]] = ()) -> list[_Frame]:
    """The attribution frames of one sentence, each with its reported clause.

    Frames whose verb lies inside a quotation (``quoted``, article ranges) are the
    speaker's own words, not the article's attribution, and are left out."""
    sentence = text[start:end]
    frames: list[_Frame] = []
    body_end = len(sentence.rstrip().rstrip(".!?\u201d\"'\u2019").rstrip())
    if sentence.lstrip().startswith("(") and sentence[:body_end + 2].rstrip().endswith(")"):
        body_end = len(sentence.rstrip().rstrip(")").rstrip(".!?").rstrip())  # "(She said she had …)"

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

    frames += _view_frames(sentence, start, body_end, ctx, _resolve, _trim, inside_quote)
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
            if _participle_without_clause(verb, that):
                continue
            participle = (m.end() + (that.end() if that else 0), body_end)
            if verb in _NAMING_ING:  # ", calling the change “painful but unavoidable”"
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
        if verb in ("calls", "describes") and re.search(r"\bwhat\s+\w+\s+$", sentence[:m.start()]):
            continue  # "against what she calls “…”": the quoted topic of the frame before
        if _manner_without_quotation(verb, sentence[:m.start()]):
            continue
        if verb == "asked" and not re.match(r"\s+(?!whether|if|how|what|why|when|who|where|about|for\b)"
                                            r"(?:[\w\u2019'\-]+\s+){1,6}?to\s+[a-z]", sentence[m.end():]):
            continue  # "asked whether …" is a question; "asked the people of Brunn to save …" a request
        if verb == "posted" and not re.match(r"[^.]{0,60}?(?:\bthat\s|[:\u201c\"])", sentence[m.end():]):
            continue  # "copied … and posted on a student forum": no speech
        if not sentence[m.end():body_end].strip() and \
                re.search(r"\b(?:before|after|until|once|since|unless)\s+(?:[\w\-]+\s+){1,5}$", sentence[:m.start()]):
            continue  # "… before an independent review had reported.": a time clause, no frame
        if (verb in _PROMISES or verb in _ACTS or verb == "requested") and \
                re.match(r"\s+(?:had|has|have|was|were|is|are|would|will)\s", sentence[m.end():]):
            continue  # "the engineers she had requested had arrived": a relative clause, no frame
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
                appositive = _LEAD_APPOSITIVE_RE.match(sentence)
                if not speaker and appositive:
                    # "But the party's health spokesman, Gideon Marr, called for … and accused …"
                    speaker = _resolve(appositive.group(1), ctx)[0]
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
        if verb in _NAMING:
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
        # "CLAUSE, the agency's director, Marius Keppler, acknowledged": a name in apposition.
        apposed = head.endswith(",") and before_text.endswith(",") and bool(re.fullmatch(
            rf"\s*(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD},", sentence[region:m.start()].rstrip())) and \
            len(_without_role_lead(sentence, region, before_text.rstrip(","), True).split()) >= 3 and \
            _without_role_lead(sentence, region, before_text.rstrip(","), True) != before_text.rstrip(",")
        postposed = not intro and not elided and not conjoined and (not head.endswith(",") or apposed) and (
            bool(re.search(r"[,?!][\u201d\"\u2019']$", before_text))
            or (before_text.endswith(",") and len(before_text.split()) >= 3 and not clause_after))
        intro_channel = _intro_channel(before_text, ctx) if intro or _INTRO_RE.match(before_text) else ""
        if not intro_channel:  # "Name, in an interview with the Danish broadcaster DR, said"
            intro_channel = _intro_channel(sentence[region:m.start()], ctx)
        obj_channel = ""
        skip = 0
        hearer = _hearer(verb, after)
        if hearer:
            obj_channel, skip = _resolve(hearer.group(1), ctx)[1], hearer.end()
        if verb in ("told", "tells", "tell", "quoted", "quotes"):
            # A short noun phrase, else a name ("told Coastal Times the study …").
            obj = re.match(r"\s+((?:the\s+)?(?:[\w\u2019'\-]+\s+){0,4}?[\w\u2019'\-]+?)"
                           r"(?=\s+(?:that|on|in|at|when|of|after|via|afterwards|later|yesterday|today)\b"
                           r"|[,.:;]|\s*$)", after)
            if obj is None or len(obj.group(1).split()) > 5:
                obj = re.match(rf"\s+((?:the\s+)?(?:{_NAME_WORD}[ \t]+){{0,3}}{_NAME_WORD})(?=[\s,.:;]|$)",
                               after) or obj
            if obj is None or len(obj.group(1).split()) > 5 or _has_finite_verb(obj.group(1)):
                # "tells inquiry the cables were worn": the hearer is one word, the rest the clause.
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
        setting = None if near_that else _pp_that(sentence[m.end() + skip:])
        if setting:  # "said in an address to the closed session on Friday that …"
            rest_at, near_that = m.end() + skip, setting
        if near_that and re.search(r"\b(?:he|she|they|it|we|I|had|has|have|was|were|is|are|would|will|"
                                   r"could|found|saw|knew|no)\b", near_that.group(0)[:-5]):
            near_that = None  # "said she had found no evidence that …": the clause starts earlier
        if near_that and re.match(r"(?:was|is|were|are|would|will|could|should|had|has|must)\b",
                                  sentence[rest_at + near_that.end():]):
            near_that = None  # "said that was a question …": "that" is what was said of
        if near_that and verb in _ACTS and re.search(r"\b(?:of|to)\s", near_that.group(0)):
            near_that = None  # "accused him of sitting on a report that …": the act's object
        tail = sentence[rest_at:body_end].strip(" ,")
        # "…, she said, speaking at …" is the frame's; "said dredging would not …" is not.
        trailing = re.match(r"(?:when|after|as|before|while|of|about|in|at|on|according|"
                            r"\w+ing)\b", tail) and not re.search(
            r"\b(?:would|will|had|has|have|was|were|is|are|could|should|must|can|may|might|"
            r"did|does)\b", tail)
        trailing = trailing and not _quoted_topic(tail)
        if verb in _PROMISES and not (postposed or near_that) and (
                re.search(r"\bthat\s*$", sentence[:region]) or (subject or "").startswith("that ")):
            continue  # "did not deny that she had promised in May to …": the writer's, not a claim
        if verb == "announced" and not (postposed or near_that) and (
                len(tail.split()) < 3 or re.match(r"(?:it|one|this|them|these|those|nothing|"
                                                  r"(?:on|in|at|last|this|yesterday)\b)", tail)):
            continue  # "On Tuesday he announced one.": what was announced is not said
        if (verb in _ACTS or verb in _PROMISES) and not (postposed or near_that or _parenthetical(tail)):
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
            lead = _LEAD_APPOSITIVE_RE.match(sentence)
            opened = opened or bool(lead and lead.start(1) == subject_at)  # "But the …, Name, called for"
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
            before_clause = _without_role_lead(sentence, region, before_clause, bool(speaker))
            clause = (0, len(before_clause))
            comma = sentence.find(",", m.end(), body_end)
            if comma >= 0:
                rest = sentence[comma + 1:body_end].lstrip()
                if not re.match(r"(?:\w+ing|who|which|whose|where|when|the|a|an|his|her|its|their|"
                                r"according|as|after|amid|despite|[A-Z]\w*)\b", rest) \
                        and not re.match(r"(?:and|but)\s+(?:said|added|told|says)\b", rest) \
                        and not re.search(r"[,?!][\u201d\"\u2019']$", before_text):
                    clause = (0, body_end)
        elif _object_is_no_clause(verb, near_that, clause_after, tail):
            continue
        elif verb not in ("quoted", "quotes") and (
                near_that or ((not trailing or head.endswith(",")) and len(tail.split()) >= 3)):
            begin = rest_at + (near_that.end() if near_that else 0)
            clause = (begin, body_end)
        else:
            before_clause = sentence[:region].rstrip().rstrip(",").rstrip()
            before_clause = _without_role_lead(sentence, region, before_clause, bool(speaker))
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
                     if r in _ROLE_WORDS or r in _NAMED_ROLES), "")
        if not name and role:  # "“This was preventable”: chief doctor’s warning"
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
    if role_named and _headline_role(role_named.group(1)) and not frames and line_start and line_end \
            and not sentence.rstrip().endswith("."):
        # A headline "Kelda minister: talks …": the person the article gives that role.
        speaker = _resolve("the " + role_named.group(1), ctx)[0] or (
            ctx.main_person if role_named.group(1) in _ROLE_WORDS else "")
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
                  r"[Ii]n an? (?:post|message|video|letter|column|op-ed) (?:posted |published )?(?:on|in|to|for)|"
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
    stripped = _strip_between(head)  # "Ekdal, a former central banker, has repeatedly warned"
    # but not "Corra, he told reporters, had promised": a frame, not an appositive
    head = stripped if not _VERB_RE.search(stripped[stripped.find(","):]) else head
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
