"""A project's tie to its team: the settings kept in the project's meta table.

``config`` reads them (None: the project works alone), ``conflicts`` the codebook
conflicts the last sync left to settle.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..storage import Store
from . import codebook as cb

# Keys of the project's meta table.
META_REMOTE = "team.remote"
META_MEMBER = "team.member"
META_LAYERS = "team.owns"
META_ID = "team.id"
META_BASE = "team.base_codebook"
META_SEEN = "team.layers_seen"
META_CONFLICTS = "team.conflicts"
META_SYNCED = "team.synced"

# A step of the sync, in words, for a progress display.
StepMessage = Callable[[str], None]  # one line of what a sync is doing


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


def conflicts(store: Store) -> list[cb.Conflict]:
    return [cb.Conflict.from_json(c) for c in json.loads(store.get_meta(META_CONFLICTS) or "[]")]


def save_config(store: Store, team: TeamConfig) -> None:
    with store.atomic():
        store.set_meta(META_REMOTE, team.remote)
        store.set_meta(META_MEMBER, team.member)
        store.set_meta(META_LAYERS, json.dumps(list(team.layers)))
        store.set_meta(META_ID, team.team_id)
