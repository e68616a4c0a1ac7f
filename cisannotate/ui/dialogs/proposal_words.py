"""A proposed claim in the interface language, for the lists of the two walk-throughs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..common.i18n import tr, trf

if TYPE_CHECKING:
    from ...proposals import Proposed


def describe(item: "Proposed") -> str:
    """Mode, speaker and channel on one line, as ``Proposed.describe`` says them in English."""
    proposal = item.proposal
    who = proposal.speaker or tr("unknown speaker")
    if item.new_speaker:
        who = trf("%1 (new)", who)
    text = f"{tr(item.mode)} · {who}"
    if proposal.channel:
        channel = trf("%1 (new)", proposal.channel) if item.new_channel else proposal.channel
        text += " " + trf("via %1", channel)
    return text
