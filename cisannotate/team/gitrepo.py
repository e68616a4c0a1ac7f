"""The team repository through the ``git`` command line.

The command line rather than a library: it is the git the researcher already
uses, so SSH agents, credential helpers, proxies and the university's GitLab
settings work exactly as they do in a terminal, and cisannotate never sees or
stores a credential. It adds no dependency to the install (GitPython also runs
the command; libgit2 bindings bring their own credential handling).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BRANCH = "main"

# Runs a git command: (argv, cwd, env) -> CompletedProcess. The window passes one
# that keeps the interface responsive and can be cancelled.
Runner = Callable[[Sequence[str], Path, dict[str, str]], subprocess.CompletedProcess]


class GitError(Exception):
    """git failed or is missing; the message says what to do."""


def run_blocking(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL)


def git_executable() -> str:
    found = shutil.which("git")
    if found is None:
        raise GitError("git is not installed: install git (https://git-scm.com) to work as a team")
    return found


def _reason(result: subprocess.CompletedProcess) -> str:
    """git's own words for a failure: its fatal and error lines, else its last line."""
    lines = [ln.strip() for ln in ((result.stderr or "") + (result.stdout or "")).splitlines() if ln.strip()]
    told = [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith(("fatal:", "error:"))]
    if told:
        return "; ".join(told)
    return lines[-1] if lines else f"exit status {result.returncode}"


class Repo:
    """A working clone that only cisannotate uses (one per project)."""

    def __init__(self, folder: Path, runner: Runner = run_blocking, *, prompt: bool = False) -> None:
        self.folder = folder
        self.runner = runner
        self.env = dict(os.environ)
        self.env["GIT_TERMINAL_PROMPT"] = "1" if prompt else "0"
        # Our clone keeps texts byte for byte on every platform.
        self.env["GIT_CONFIG_PARAMETERS"] = "'core.autocrlf'='false' 'core.quotepath'='false'"

    # ---------------------------------------------------------------- plumbing
    def git(self, *args: str, check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess:
        argv = [git_executable(), *args]
        result = self.runner(argv, cwd or self.folder, self.env)
        if check and result.returncode != 0:
            raise GitError(f"git {args[0]} failed: {_reason(result)}")
        return result

    def out(self, *args: str) -> str:
        return self.git(*args).stdout.strip()

    # ---------------------------------------------------------------- set-up
    def is_clone(self) -> bool:
        if not (self.folder / ".git").is_dir():
            return False
        return self.git("rev-parse", "--git-dir", check=False).returncode == 0

    def clone(self, url: str) -> None:
        """A fresh clone of ``url`` in ``folder`` (whatever half-made clone was there goes)."""
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self.folder.mkdir()
        self.git("init", "-q")
        self.git("symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
        self.git("remote", "add", "origin", url)

    def clear_stale_locks(self, patience: float = 10.0) -> None:
        """Remove lock files a killed git left behind (only cisannotate uses this clone).

        When cisannotate is killed, a git command it started may still be finishing; a lock
        touched within the last ``patience`` seconds is given that long to go away first.
        """
        git_dir = self.folder / ".git"
        deadline = time.monotonic() + patience
        for lock in [git_dir / "index.lock", git_dir / "HEAD.lock", *git_dir.glob("refs/**/*.lock")]:
            while lock.exists() and time.monotonic() < deadline:
                try:
                    if time.time() - lock.stat().st_mtime > patience:
                        break
                except FileNotFoundError:
                    break
                time.sleep(0.1)
            lock.unlink(missing_ok=True)

    # ---------------------------------------------------------------- sync steps
    def fetch(self) -> str | None:
        """Fetch the team branch; its commit, or None while the repository is empty."""
        self.git("fetch", "-q", "--prune", "origin")
        result = self.git("rev-parse", "--verify", "-q", f"refs/remotes/origin/{BRANCH}", check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def start_from(self, commit: str | None) -> None:
        """Make the work tree exactly ``commit`` (or empty), dropping any unpushed attempt."""
        if commit is not None:
            self.git("checkout", "-q", "-f", "-B", BRANCH, commit)
        else:
            self.git("symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
            self.git("update-ref", "-d", f"refs/heads/{BRANCH}", check=False)
            self.git("read-tree", "--empty")
        self.git("clean", "-q", "-f", "-d", "-x")

    def head(self) -> str | None:
        result = self.git("rev-parse", "--verify", "-q", "HEAD", check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def commit_all(self, message: str, author: str) -> bool:
        """Commit every change of the work tree; False when there was none."""
        self.git("add", "-A")
        if self.git("diff", "--cached", "--quiet", check=False).returncode == 0 and self.head() is not None:
            return False
        identity = []
        if not self.git("config", "user.email", check=False).stdout.strip():
            identity = ["-c", f"user.name={author}", "-c", "user.email=team@cisannotate.invalid"]
        self.git(*identity, "commit", "-q", "--allow-empty", "-m", message)
        return True

    def push(self) -> bool:
        """Push the branch; False when the remote moved on meanwhile (fetch and try again)."""
        result = self.git("push", "-q", "origin", f"{BRANCH}:{BRANCH}", check=False)
        if result.returncode == 0:
            return True
        text = (result.stderr or "") + (result.stdout or "")
        if "rejected" in text or "fetch first" in text or "non-fast-forward" in text:
            return False
        raise GitError(f"git push failed: {_reason(result)}")

    def blob(self, sha: str) -> bytes | None:
        """The content of blob ``sha``, or None when the clone does not have it."""
        result = subprocess.run([git_executable(), "cat-file", "blob", sha], cwd=self.folder, env=self.env,
                                capture_output=True, stdin=subprocess.DEVNULL)
        return result.stdout if result.returncode == 0 else None

    def blob_ids(self, folder: str) -> dict[str, str]:
        """File name -> blob id of every file in ``folder`` of HEAD."""
        if self.head() is None:
            return {}
        listing = self.out("ls-tree", "-z", "HEAD", f"{folder}/")
        found: dict[str, str] = {}
        for entry in filter(None, listing.split("\0")):
            meta, name = entry.split("\t", 1)
            found[name.rsplit("/", 1)[-1]] = meta.split()[2]
        return found
