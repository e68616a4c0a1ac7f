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

A project has one identity whatever it is called: the lock file sits beside
the real file (symbolic links resolved), and a second lock, named by the
file's device and inode, sits in a folder of this computer's user
(``identity_lock_dir``), so a hard link in another folder is refused with
the same message as the path itself. Two writers through two names would each
keep their own -wal log, and one log replayed over the other's work loses it.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
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
    """``PROJECT.lock`` beside the real project file (a symbolic link resolved)."""
    real = Path(os.path.realpath(project))
    return real.with_name(real.name + ".lock")


def identity_lock_dir() -> Path:
    """This user's folder of locks named by a file's identity (device and inode)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"cisannotate-locks-{uid}"


def _identity(project: Path) -> str:
    """The key of the file itself: its device and inode, or its real path while it does not exist."""
    try:
        info = os.stat(project)
    except OSError:
        return os.path.realpath(project)
    return f"{info.st_dev}-{info.st_ino}"


def _identity_lock_path(key: str) -> Path | None:
    """Where the identity lock of ``key`` lives; None when there is no safe folder for it."""
    if not key[0].isdigit():
        return None
    folder = identity_lock_dir()
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != owner:
        return None  # not ours (someone else's folder, or a link planted in a shared /tmp)
    return folder / f"{key}.lock"


class ProjectLock:
    """The held lock of one project; ``release`` is safe to call more than once."""

    def __init__(self, project: Path, key: str, fds: list[tuple[Path, int]] | None) -> None:
        self.path = lock_path(project)
        self._key = key
        # (lock file, descriptor) pairs; None where the filesystem cannot lock: only this process is guarded
        self._fds = fds
        self._holding = True

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        fds, self._fds = self._fds or [], None
        for path, fd in reversed(fds):
            if os.name != "nt":
                # Removed while still locked, so nobody can lock this file afterwards
                # believing it is the current one (acquire re-checks the path).
                try:
                    path.unlink()
                except OSError:
                    pass
            else:
                _unlock(fd)
            os.close(fd)
        _held.discard(self._key)

    def identify(self, project: Path) -> None:
        """Once a new project exists, hold its identity lock too (a hard link made later is refused)."""
        key = _identity(project)
        if key == self._key or self._fds is None:
            return
        identity = _identity_lock_path(key)
        if identity is not None:
            try:
                fd = _lock_file(identity, project)
            except OSError:
                fd = None
            if fd is not None:
                self._fds.append((identity, fd))
        _held.discard(self._key)
        self._key = key
        _held.add(key)

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


def _lock_file(path: Path, project: Path) -> int | None:
    """Lock ``path`` (created if needed); its descriptor, or None where locks do not work.

    Raises ProjectLocked when another holds it.
    """
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
        try:
            acquired = _try_lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in _NO_LOCKING:
                raise
            return None
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
    os.write(fd, f" {os.getpid()} {_host_name()}\n".encode())
    return fd


def _host_name() -> str:
    """This computer's name as ``socket.gethostname()`` gives it; read from ``os.uname()`` where
    there is one, so opening a project does not import ``socket`` for it."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return uname().nodename
    import socket

    return socket.gethostname()


def acquire(project: Path) -> ProjectLock:
    """Lock ``project`` (the file, under whatever name it is given) for writing.

    Raises ProjectLocked if it is held elsewhere, through this name or any
    other, and OSError (EROFS, EACCES...) if no lock file can be made beside
    it: the caller then opens read-only.
    """
    project = Path(project)
    key = _identity(project)
    if key in _held:
        raise _locked(project, f" (process {os.getpid()} on {_host_name()})")
    held: list[tuple[Path, int]] = []
    try:
        beside = lock_path(project)
        fd = _lock_file(beside, project)
        if fd is None:
            _held.add(key)
            return ProjectLock(project, key, None)
        held.append((beside, fd))
        identity = _identity_lock_path(key)
        if identity is not None:
            try:
                fd = _lock_file(identity, project)
            except ProjectLocked:
                raise
            except OSError:
                fd = None  # no identity lock here: the lock beside the file still guards its real path
            if fd is not None:
                held.append((identity, fd))
    except BaseException:
        ProjectLock(project, key, held).release()
        raise
    _held.add(key)
    return ProjectLock(project, key, held)
