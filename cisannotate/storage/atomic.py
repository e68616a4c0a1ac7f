"""Writing files so that a crash, a full disk or a kill never leaves half of one.

Every file cisannotate writes outside a project's own SQLite transactions (an
export, a screenshot, a report, a backup copy, a new project) goes through
here: the content is written to a hidden temporary file in the same folder,
flushed to the disk, and only then renamed over the target, and the folder is
flushed so the rename itself survives a power cut. A reader of the target sees
the old file or the new one, never a mixture.

Before anything is opened, ``check_output_path`` refuses targets whose
replacement would lose work: a project (or any SQLite database), another name
of a file we must not touch (a symlink or a hard link to it, compared by
device and inode), the -wal/-shm/-journal/.lock files beside a project, and
anything that is not a regular file (a folder, a FIFO, a device node, a
symlink).

A temporary file is held locked while it is written. Temporaries left behind
by a killed writer (``.NAME.xxxxxxxx.part``) are removed by the next write to
the same target, but only those no living writer holds.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

__all__ = [
    "OutputPathError",
    "atomic_output",
    "check_output_path",
    "fsync_file",
    "fsync_folder",
    "remove_stale_parts",
    "replace_durably",
    "same_file",
    "write_atomic",
]

_SQLITE_HEADER = b"SQLite format 3\x00"
_WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
_SIDECARS = ("-wal", "-shm", "-journal", ".lock")
_PART = ".part"

if os.name == "nt":  # pragma: no cover - exercised on Windows only

    def _try_lock(fd: int) -> bool:
        # Windows cannot remove a file another program has open, which protects a
        # living writer's temporary just as well as a lock.
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


class OutputPathError(OSError):
    """A target that must not be written; the message names it and says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# ------------------------------------------------------------------ durability
def fsync_file(path: Path) -> None:
    """Flush ``path``'s content to the disk."""
    fd = os.open(path, os.O_RDONLY if os.name != "nt" else os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` durable (POSIX; Windows has no folder handle)."""
    if os.name == "nt":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(temporary: Path, target: Path) -> None:
    """Flush ``temporary``, rename it over ``target`` and flush the folder."""
    fsync_file(temporary)
    os.replace(temporary, target)
    fsync_folder(Path(target).parent)


# ------------------------------------------------------------------ identity
def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """Whether two stat results are one file (the same device and inode), whatever its names."""
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _sqlite_kind(path: Path) -> str:
    """"a project" / "an SQLite database" / "an SQLite log" when ``path`` is one, else ""."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return ""
    if header.startswith(_SQLITE_HEADER):
        from .schema_version import APPLICATION_ID

        if len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID:
            return "a cisannotate project"
        return "an SQLite database"
    if header[:4] in _WAL_MAGIC:
        return "an SQLite write-ahead log"
    return ""


def check_output_path(path: Path, *, protect: Iterable[Path] = ()) -> None:
    """Refuse ``path`` as a target for a new file unless it is a new name or a plain regular file.

    ``protect`` names files that must survive whatever the target is (the open
    project): any name of one of them is refused. Raises OutputPathError.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputPathError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    parent = path.parent
    if not parent.is_dir():
        raise OutputPathError(f"{path}: the folder {parent} does not exist")
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputPathError(
                f"{path}: is a symbolic link; name the file itself, not a link to it"
            )
        if stat.S_ISDIR(info.st_mode):
            raise OutputPathError(f"{path}: is a folder; name a file inside it")
        if not stat.S_ISREG(info.st_mode):
            raise OutputPathError(
                f"{path}: is not a regular file (a pipe, a device or a socket); name a file"
            )
    for protected in protect:
        protected_info = _stat(Path(protected))
        if protected_info is not None and info is not None and same_file(info, protected_info):
            raise OutputPathError(
                f"{path}: is the open project {Path(protected).name} (or another name of it); "
                "writing there would destroy it. Choose another file name"
            )
        for end in _SIDECARS:
            if os.path.abspath(path) == os.path.abspath(str(protected) + end):
                raise OutputPathError(f"{path}: belongs to the open project {Path(protected).name}; choose another name")
    if info is not None:
        kind = _sqlite_kind(path)
        if kind:
            raise OutputPathError(
                f"{path}: is {kind}; it is not replaced by an export or a picture. Choose another file name"
            )
    name = path.name
    for end in _SIDECARS:
        if name.endswith(end) and len(name) > len(end):
            owner = path.with_name(name[: -len(end)])
            if _sqlite_kind(owner):
                raise OutputPathError(
                    f"{path}: belongs to {owner.name}, an SQLite database beside it; choose another name"
                )


# ------------------------------------------------------------------ leftovers
def _part_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{target.name}.") + r"[A-Za-z0-9_]{8}" + re.escape(_PART) + r"\Z")


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove the temporaries of earlier, killed writes to ``target``; the removed ones.

    Only regular files of our naming pattern that no living writer holds locked
    are removed, so a concurrent write to the same target is never disturbed.
    """
    target = Path(target)
    pattern = _part_pattern(target)
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if not pattern.match(name):
            continue
        candidate = target.parent / name
        try:
            fd = os.open(candidate, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode) or not _try_lock(fd):
                continue
            # Still the file we locked (not renamed into place meanwhile)?
            current = _stat(candidate)
            if current is not None and same_file(current, os.fstat(fd)):
                os.unlink(candidate)
                removed.append(candidate)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


# ------------------------------------------------------------------ writing
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path, *, protect: Iterable[Path] = ()) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; renamed over ``path`` on success.

    The target is checked (``check_output_path``) before anything is created and
    again just before the rename. On an exception the temporary is removed and
    ``path`` is untouched.
    """
    path = Path(path)
    protect = tuple(protect)
    check_output_path(path, protect=protect)
    remove_stale_parts(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_PART)
    temporary = Path(name)
    try:
        # Held until the rename, so ``remove_stale_parts`` elsewhere leaves it alone.
        _try_lock(fd)
        yield temporary
        check_output_path(path, protect=protect)
        existing = _stat(path)
        # mkstemp's file is private (0600); give the result the mode a new file would get.
        os.chmod(temporary, existing.st_mode & 0o777 if existing is not None else 0o666 & ~_umask())
        replace_durably(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    finally:
        os.close(fd)


def write_atomic(
    path: Path,
    content: bytes | str | Callable[[Path], None],
    *,
    protect: Iterable[Path] = (),
) -> Path:
    """Write ``content`` (bytes, text as UTF-8, or a function that writes the given path) to ``path`` whole.

    Raises OutputPathError for a refused target and OSError when the disk
    refuses; either way ``path`` keeps its previous content.
    """
    path = Path(path)
    with atomic_output(path, protect=protect) as temporary:
        if callable(content):
            content(temporary)
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            with open(temporary, "wb") as handle:
                handle.write(data)
    return path
