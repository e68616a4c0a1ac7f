"""One writer per project: a lock file beside the project, held while it is open for editing.

SQLite already keeps two writers from corrupting the file, but two windows
editing the same project would each keep their own undo history and their own
picture of the annotations, and undoing in one would silently revert the
other's work. So a project open for editing holds an exclusive lock on
``PROJECT.lock``; a second attempt, from another process or from this one, is
refused with ``ProjectLocked`` and may open the project read-only instead.

The lock is an operating-system lock (``flock`` on POSIX, ``msvcrt.locking`` on
Windows), not the mere presence of the file: it disappears with the process
that held it, so a crash or a power cut never leaves a project locked. On
POSIX the file is removed on release; the holder then re-checks, after
locking, that it locked the file that is still at that path, so two processes
can never each hold a lock on a different copy.
"""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

from .errors import ProjectLocked

if os.name == "nt":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# Filesystems that cannot lock at all (some network shares): the project still
# opens, guarded only within this process, rather than not opening anywhere.
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS}

# Projects this process holds, so a second Store in the same process is refused
# even where the filesystem's locks are per process (NFS emulates flock so).
_held: set[str] = set()


def lock_path(project: Path) -> Path:
    """``PROJECT.lock`` beside the project file."""
    return project.with_name(project.name + ".lock")


class ProjectLock:
    """The held lock of one project; ``release`` is safe to call more than once."""

    def __init__(self, project: Path, key: str, fd: int | None) -> None:
        self.path = lock_path(project)
        self._key = key
        self._fd = fd  # None where the filesystem cannot lock: only this process is guarded
        self._holding = True

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        if self._fd is not None:
            fd, self._fd = self._fd, None
            if os.name != "nt":
                # Removed while still locked, so nobody can lock this file afterwards
                # believing it is the current one (acquire re-checks the path).
                try:
                    self.path.unlink()
                except OSError:
                    pass
            else:
                _unlock(fd)
            os.close(fd)
        _held.discard(self._key)

    def __del__(self) -> None:
        self.release()


def _holder(fd: int) -> str:
    """Who holds the lock, as written by ``acquire``: " (process 123 on host)", or ""."""
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        words = os.read(fd, 200).decode("utf-8", "replace").split()
    except OSError:
        return ""
    if len(words) >= 2 and words[0].isdigit():
        return f" (process {words[0]} on {words[1]})"
    return ""


def _locked(project: Path, holder: str) -> ProjectLocked:
    return ProjectLocked(
        f"{project}: already open for editing in another cisannotate window{holder}. "
        "Close it there first, or open it read-only here."
    )


def acquire(project: Path) -> ProjectLock:
    """Lock ``project`` for writing.

    Raises ProjectLocked if it is held elsewhere, and OSError (EROFS, EACCES...)
    if no lock file can be made beside it: the caller then opens read-only.
    """
    project = Path(project)
    key = os.path.realpath(project)
    if key in _held:
        raise _locked(project, f" (process {os.getpid()} on {socket.gethostname()})")
    path = lock_path(project)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            acquired = _try_lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in _NO_LOCKING:
                raise
            _held.add(key)
            return ProjectLock(project, key, None)
        if not acquired:
            holder = _holder(fd)
            os.close(fd)
            raise _locked(project, holder)
        try:
            current = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            current = False
        if current:
            break
        # The previous holder removed this file between our open and our lock.
        os.close(fd)
    # Byte 0 is the locked byte (Windows forbids reading it); who holds it follows.
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f" {os.getpid()} {socket.gethostname()}\n".encode())
    _held.add(key)
    return ProjectLock(project, key, fd)
