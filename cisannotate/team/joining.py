"""Tying a project to a team: starting a team from a project, or joining one."""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from pathlib import Path

from ..core.model import REVIEWED_LAYER
from ..storage import Store
from ..team_settings import META_BASE, TeamConfig, TeamError, config, save_config
from . import codebook as cb
from .apply import apply_codebook
from .gitrepo import GitError, Repo, Runner, run_blocking
from .layout import check_team_file, members, read_codebook
from .sync import StepMessage, SyncReport, sync


def _remote(remote: str) -> str:
    """A folder given by a relative path is named absolutely (git runs in the working copy)."""
    path = Path(remote).expanduser()
    if "://" not in remote and path.exists():
        return str(path.resolve())
    return remote


@contextmanager
def _git_errors(remote: str):
    try:
        yield
    except GitError as exc:
        raise TeamError(f"{remote}: {exc}") from exc


def _tie(store: Store, remote: str, member: str, reviewer: bool, runner: Runner,
         prompt: bool) -> tuple[TeamConfig, Repo, str | None]:
    """The checks both ways into a team share, a fresh working copy, and the team's commit (None: empty)."""
    _check_member(member)
    if (current := config(store)) is not None:
        raise TeamError(f"{store.path}: already works with the team at {current.remote}")
    remote = _remote(remote)
    team = TeamConfig(remote, member, _layers_of(member, reviewer), uuid.uuid4().hex)
    repo = Repo(team.clone_dir, runner, prompt=prompt)
    with _git_errors(remote):
        repo.clone(remote)
        return team, repo, repo.fetch()


def init_team(store: Store, remote: str, member: str, *, reviewer: bool = False,
              progress: StepMessage | None = None, runner: Runner = run_blocking, prompt: bool = False) -> SyncReport:
    """Start a team in the (empty) repository ``remote`` from this project."""
    team, repo, head = _tie(store, remote, member, reviewer, runner, prompt)
    remote = team.remote
    if head is not None:
        raise TeamError(f"{remote} already holds work; to work with it, use: cisannotate team join {remote} PROJECT")
    save_config(store, team)
    return sync(store, progress=progress, runner=runner, prompt=prompt)


def join_team(store: Store, remote: str, member: str, *, reviewer: bool = False,
              progress: StepMessage | None = None, runner: Runner = run_blocking, prompt: bool = False) -> SyncReport:
    """Join the team at ``remote`` with this project, taking the corpus, codebook and every layer."""
    team, repo, head = _tie(store, remote, member, reviewer, runner, prompt)
    remote = team.remote
    if head is None:
        raise TeamError(f"{remote} is empty; start the team with: cisannotate team init PROJECT {remote}")
    with _git_errors(remote):
        repo.start_from(head)
    check_team_file(repo.folder)
    for owner, layers in members(repo.folder).items():
        if owner != member and set(layers) & set(team.layers):
            taken = ", ".join(sorted(set(layers) & set(team.layers)))
            raise TeamError(f"{owner} already writes the layer {taken} in this team; choose another name")
    with store.atomic():
        save_config(store, team)
        if not store.count_spans():
            # A project without annotations takes the team's codebook as it is, so that every
            # member's entries carry the same ids. One with annotations merges its codebook
            # with the team's at the first sync (entries of the same name become one).
            shared = read_codebook(repo.folder)
            for category in store.categories():
                store.delete_category(category.id)
            apply_codebook(store, cb.Merged(shared, shared), [])
            store.set_meta(META_BASE, json.dumps(shared, sort_keys=True))
    return sync(store, progress=progress, runner=runner, prompt=prompt, first=True)


def _check_member(member: str) -> None:
    if not member.strip() or member != member.strip():
        raise TeamError("give your name as the team will see it (--as NAME), without spaces around it")
    if member == REVIEWED_LAYER:
        raise TeamError(f"“{REVIEWED_LAYER}” is the reviewed layer's name; a member needs a name of their own")


def _layers_of(member: str, reviewer: bool) -> tuple[str, ...]:
    return (member, REVIEWED_LAYER) if reviewer else (member,)
