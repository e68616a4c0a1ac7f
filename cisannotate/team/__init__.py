"""Working as a team: a project tied to a shared git repository (see ``sync``)."""

from .codebook import Conflict
from .gitrepo import GitError
from .sync import SyncReport, TeamConfig, TeamError, config, conflicts, init_team, join_team, settle, sync

__all__ = ["Conflict", "GitError", "SyncReport", "TeamConfig", "TeamError", "config", "conflicts", "init_team",
           "join_team", "settle", "sync"]
