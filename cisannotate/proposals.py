"""Pre-annotation in a project's terms: proposed claims with the project's speakers and
channels (used by the window, the align walk-through and ``cisannotate propose``, whose
handler is ``cli/propose.py``).

``core.propose`` finds the quotations and reported clauses; this module names their
speakers and channels with the project's codebook (a surname resolves to a known
speaker; a name not in the codebook is added when the proposal is accepted), leaves
out what the annotator has already marked, and turns an accepted proposal into the
operations of one undoable step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .commands.ops import AddSpan, SetChannel, SetSpeaker
from .core.model import Channel, Span, Speaker, new_id
from .core.propose import Proposal, propose
from .storage import Store


@dataclass(frozen=True)
class Proposed:
    """A proposal with the project's speaker and channel (ids when known, else new names)."""

    document_id: str
    proposal: Proposal
    speaker_id: str | None
    channel_id: str | None

    @property
    def start(self) -> int:
        return self.proposal.start

    @property
    def end(self) -> int:
        return self.proposal.end

    @property
    def mode(self) -> str:
        return self.proposal.mode

    @property
    def new_speaker(self) -> bool:
        return bool(self.proposal.speaker) and self.speaker_id is None

    @property
    def new_channel(self) -> bool:
        return bool(self.proposal.channel) and self.channel_id is None

    def describe(self) -> str:
        """One line for a list: mode, speaker and channel."""
        who = self.proposal.speaker or "unknown speaker"
        if self.new_speaker:
            who += " (new)"
        via = f" via {self.proposal.channel}" + (" (new)" if self.new_channel else "") \
            if self.proposal.channel else ""
        return f"{self.mode} · {who}{via}"

    def to_json(self) -> dict:
        return {**self.proposal.to_json(), "speaker_id": self.speaker_id,
                "channel_id": self.channel_id}


def _covered(proposal: tuple[int, int], marked: tuple[int, int]) -> bool:
    inside = min(proposal[1], marked[1]) - max(proposal[0], marked[0])
    return inside > 0 and inside * 2 >= proposal[1] - proposal[0]


def _same_person(known: str, found: str) -> bool:
    a, b = known.split(), found.split()
    return bool(a and b) and (known == found or a[-1] == b[-1])


def _same_channel(known: str, found: str) -> bool:
    a, b = known.lower(), found.lower()
    return a == b or (len(b) >= 3 and (b in a or a in b))


class Proposer:
    def __init__(self, store: Store) -> None:
        self.store = store

    def propose(self, document_id: str, *, layer: str | None = None) -> list[Proposed]:
        """Proposals for an article, leaving out ranges ``layer`` (or any layer, when
        None) has already marked: a proposal goes when a marked span covers at least half
        of it (an annotator's span may take in the frame, "…,” Marrow said")."""
        speakers = self.store.speakers()
        channels = self.store.channels()
        text = self.store.text(document_id)
        marked = [(s.start, s.end) for s in self.store.spans(document_id)
                  if layer is None or s.layer == layer]
        out = []
        for p in propose(text, [s.name for s in speakers], [c.name for c in channels]):
            if any(_covered((p.start, p.end), m) for m in marked):
                continue
            speaker = next((s.id for s in speakers if p.speaker and _same_person(s.name, p.speaker)),
                           None)
            channel = next((c.id for c in channels if p.channel and _same_channel(c.name, p.channel)),
                           None)
            out.append(Proposed(document_id, p, speaker, channel))
        return out


def accept_ops(item: Proposed, make_span: Callable[..., Span], store: Store) -> list:
    """The operations that accept ``item`` as one step: a new speaker or channel if the
    codebook lacks them (looked up again now: an earlier acceptance may have added
    them), then the span with its speaker, mode and channel.
    ``make_span(document_id, start, end, **fields)`` builds the span (the session's)."""
    ops: list = []
    p = item.proposal
    speaker_id = next((s.id for s in store.speakers()
                       if p.speaker and _same_person(s.name, p.speaker)), None)
    channel_id = next((c.id for c in store.channels()
                       if p.channel and _same_channel(c.name, p.channel)), None)
    if p.speaker and speaker_id is None:
        speaker = Speaker(id=new_id(), name=p.speaker)
        ops.append(SetSpeaker(None, speaker))
        speaker_id = speaker.id
    if p.channel and channel_id is None:
        channel = Channel(id=new_id(), name=p.channel)
        ops.append(SetChannel(None, channel))
        channel_id = channel.id
    ops.append(AddSpan(make_span(item.document_id, item.start, item.end, speaker_id=speaker_id,
                                 mode=item.mode, channel_id=channel_id)))
    return ops
