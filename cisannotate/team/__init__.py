"""Working as a team: a project tied to a shared git repository (see ``sync``)."""

from ..team_settings import TeamConfig, TeamError, config
from .codebook import Conflict
from .gitrepo import GitError
from .joining import init_team, join_team
from .sync import SyncReport, conflicts, settle, sync

__all__ = ["Conflict", "GitError", "SyncReport", "TeamConfig", "TeamError", "config", "conflicts", "init_team",
           "join_team", "settle", "sync"]
