"""Pre-annotation: interviews in question-and-answer form whose turns are not quoted.

    Monitor: You walked out, then you saved her. Which is it?
    Castellane: Both, and I don't see a contradiction. …

A paragraph that opens with a label and a colon is a turn when the article has at least
two such paragraphs under at least two labels. A turn of a person the article names (the
label is their name or surname) is that person's words: a direct quote, the paragraph
after the label. A turn of anyone else (the outlet, "Q") and a turn that is only a
question are no claim. A turn that opens with a quotation mark is left to the quotation
rules ("Erik Sandvik: “Probably, yes.”").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TURN_RE = re.compile(r"^[ \t]*((?:[A-Z][\w\u2019'\-]*)(?:[ \t]+[A-Z][\w\u2019'\-]*){0,2}):[ \t]+(\S[^\n]*?)\s*$",
                      re.M)


def interview_turns(text: str, persons: Sequence[str]) -> list[tuple[int, int, str, str]]:
    """(start, end, speaker, label) of the unquoted answers of a question-and-answer
    interview; empty when the article has none."""
    found = list(_TURN_RE.finditer(text))
    labels = {m.group(1) for m in found}
    if len(found) < 2 or len(labels) < 2:
        return []
    by_surname = {name.split()[-1]: name for name in persons if name.split()}
    out: list[tuple[int, int, str, str]] = []
    for m in found:
        label, body = m.group(1), m.group(2)
        speaker = label if label in persons else by_surname.get(label.split()[-1], "")
        if not speaker or label.split()[-1] != speaker.split()[-1]:
            continue  # the interviewer ("Monitor", "Q"), or a heading ("Update: …")
        if body[:1] in "\u201c\"\u2018'" or body.endswith("?"):
            continue  # a quoted turn (the quotation rules take it), or a question
        if len(body.split()) < 3:
            continue
        out.append((m.start(2), m.start(2) + len(body), speaker, label))
    # A single person's label over one paragraph is a heading, not an interview.
    return out if out and len(found) - len(out) >= 1 else []
