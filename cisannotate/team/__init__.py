"""Working as a team: a project tied to a shared git repository (see ``sync``)."""

from .codebook import Conflict
from .gitrepo import GitError
from .config import TeamConfig, TeamError, config, conflicts
from .joining import init_team, join_team
from .sync import SyncReport, settle, sync

__all__ = ["Conflict", "GitError", "SyncReport", "TeamConfig", "TeamError", "config", "conflicts", "init_team",
           "join_team", "settle", "sync"]
