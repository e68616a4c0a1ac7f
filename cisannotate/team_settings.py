"""A project's team settings, read without the team package (exchange, merge, git).

The window asks at start whether the project belongs to a team and has codebook
conflicts to settle; that needs these few rows of the project's metadata, not the
modules a sync imports. ``cisannotate.team.sync`` re-exports everything here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths

if TYPE_CHECKING:
    from .storage import Store

# Keys of the project's meta table.
META_REMOTE = "team.remote"
META_MEMBER = "team.member"
META_LAYERS = "team.owns"
META_ID = "team.id"
META_BASE = "team.base_codebook"
META_SEEN = "team.layers_seen"
META_CONFLICTS = "team.conflicts"
META_SYNCED = "team.synced"


class TeamError(Exception):
    """A team operation could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class TeamConfig:
    remote: str
    member: str
    layers: tuple[str, ...]
    team_id: str

    @property
    def clone_dir(self) -> Path:
        return paths.data_dir() / "team" / self.team_id


def config(store: Store) -> TeamConfig | None:
    """The project's team settings, or None when it is not tied to a team."""
    remote = store.get_meta(META_REMOTE)
    if not remote:
        return None
    return TeamConfig(remote, store.get_meta(META_MEMBER) or "", tuple(json.loads(store.get_meta(META_LAYERS) or "[]")),
                      store.get_meta(META_ID) or "")


def has_conflicts(store: Store) -> bool:
    """Whether codebook conflicts of a sync wait to be settled (``sync.conflicts`` lists them)."""
    return bool(json.loads(store.get_meta(META_CONFLICTS) or "[]"))


def save_config(store: Store, team: TeamConfig) -> None:
    """Tie the project to ``team`` (starting or joining it writes these rows)."""
    with store.atomic():
        store.set_meta(META_REMOTE, team.remote)
        store.set_meta(META_MEMBER, team.member)
        store.set_meta(META_LAYERS, json.dumps(list(team.layers)))
        store.set_meta(META_ID, team.team_id)
