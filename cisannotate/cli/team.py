"""``cisannotate team ...``: work as a team through a shared git repository."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "work as a team through a shared git repository (init, join, sync, status)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("team", help=HELP, description=HELP + ". See docs/team.md.")
    verbs = p.add_subparsers(dest="team_command", metavar="VERB", required=True)

    q = verbs.add_parser("init", help="start a team in an empty git repository from this project")
    q.add_argument("project")
    q.add_argument("repo", metavar="REPO", help="the team repository: a path or any URL git accepts")
    q.add_argument("--as", dest="member", required=True, metavar="NAME", help="your name as the team sees it")
    q.add_argument("--reviewer", action="store_true", help="you also write the reviewed layer")

    q = verbs.add_parser("join", help="join a team: a new project with its corpus, codebook and layers")
    q.add_argument("repo", metavar="REPO", help="the team repository: a path or any URL git accepts")
    q.add_argument("project", nargs="?",
                   help="your project: a new one is created (default: NAME-OF-REPO.cisannotate here), or an "
                   "existing one brings its annotations to the team")
    q.add_argument("--as", dest="member", required=True, metavar="NAME", help="your name as the team sees it")
    q.add_argument("--reviewer", action="store_true", help="you also write the reviewed layer")

    q = verbs.add_parser("sync", help="send your layer and take everyone else's")
    q.add_argument("project")

    q = verbs.add_parser("status", help="the team, your layers and the codebook conflicts to settle")
    q.add_argument("project")


def _default_project(repo: str) -> Path:
    name = repo.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    name = name[:-4] if name.endswith(".git") else name
    return Path(f"{name or 'team'}.cisannotate")


def cmd_team(args: argparse.Namespace) -> int:
    from .common import CommandError
    from ..storage import Store
    from ..team import TeamError, config, conflicts, init_team, join_team, sync

    def progress(message: str) -> None:
        print(message, file=sys.stderr)

    interactive = sys.stdin is not None and sys.stdin.isatty()
    verb = args.team_command
    created = False
    if verb == "join":
        path = Path(args.project) if args.project else _default_project(args.repo)
        created = not (path.exists() and path.stat().st_size > 0)
    else:
        path = Path(args.project)
        if not path.is_file():
            raise CommandError(f"{path}: no such project")
    store = Store.open(path, create=verb == "join", read_only=verb == "status")
    try:
        if verb == "status":
            team = config(store)
            if team is None:
                print(f"{path}: works with no team")
                return 0
            print(f"team repository: {team.remote}")
            print(f"you: {team.member} (you write: {', '.join(team.layers)})")
            print(f"last sync: {store.get_meta('team.synced') or 'never'}")
            found = conflicts(store)
            print(f"codebook conflicts to settle: {len(found)}")
            for conflict in found:
                print(f"  {conflict.describe()}")
            return 0
        try:
            if verb == "init":
                report = init_team(store, args.repo, args.member, reviewer=args.reviewer, progress=progress,
                                   prompt=interactive)
            elif verb == "join":
                report = join_team(store, args.repo, args.member, reviewer=args.reviewer, progress=progress,
                                   prompt=interactive)
            else:
                report = sync(store, progress=progress, prompt=interactive)
        except TeamError as exc:
            if created:
                store.close()
                path.unlink(missing_ok=True)  # a failed join leaves no new project behind
            raise CommandError(str(exc)) from exc
    finally:
        store.close()
    if created:
        print(f"created {path}")
    for line in report.lines():
        print(line)
    return 0
