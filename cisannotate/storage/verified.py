"""Project files this installation has checked in full, remembered by their fingerprint.

The full check of a project (``trust.check_project_file``: every page and index,
every row, every text's SHA-256) costs more the larger the project; repeating it
each time the same, unchanged file is opened buys nothing. After a project passed
it, and again when cisannotate closes a project it had open for editing (its own
writes keep the file sound), the file's size and the SHA-256 of all its bytes are
noted in the data folder. A file with the same size and SHA-256 is the file that
was checked, whatever changed its dates; any other byte, written by any program or
flipped by a failing disk, makes it a file to check again in full. Hashing a file
reads it once at disk speed, several times faster than the check it replaces. A
known file is still compared with the schema and quick-checked on every opening.
A file with a log waiting beside it is never taken as known.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import paths

__all__ = ["identity", "is_known", "is_noted", "note", "remember"]

_FILE = "verified-projects.json"
_KEEP = 64  # the most recently checked files are remembered


def _store() -> Path:
    return paths.data_dir() / _FILE


def _log_waiting(path: Path) -> bool:
    for end in ("-wal", "-journal"):
        side = path.with_name(path.name + end)
        if side.exists() and side.stat().st_size > 0:
            return True
    return False


def identity(path: Path) -> list | None:
    """[size, SHA-256] of ``path`` as it is now; None when it cannot be read (or a log waits beside it)."""
    path = Path(path)
    try:
        if _log_waiting(path):
            return None
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    return [size, digest]


def _read() -> dict[str, list]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_noted(path: Path, now: list) -> bool:
    """Whether ``now`` (the ``identity`` of ``path``) is what was noted for it."""
    return now is not None and _read().get(str(Path(path).resolve())) == now


def note(path: Path, now: list) -> None:
    """Note ``now`` (the ``identity`` of ``path`` taken before it was checked) as checked."""
    _write(str(Path(path).resolve()), now)


def is_known(path: Path) -> bool:
    """Whether ``path`` is, byte for byte, a file that passed the full check."""
    noted = _read().get(str(Path(path).resolve()))
    if not isinstance(noted, list) or len(noted) != 2:
        return False
    try:
        if Path(path).stat().st_size != noted[0]:
            return False  # changed: no need to read it
    except OSError:
        return False
    return identity(path) == noted


def remember(path: Path) -> None:
    """Note ``path`` as it is now as checked. Never fails: a note that cannot be written is not taken."""
    now = identity(path)
    if now is None:
        return
    _write(str(Path(path).resolve()), now)


def _write(key: str, value: list) -> None:
    from .atomic import write_atomic

    data = _read()
    data.pop(key, None)
    data[key] = value  # last: the newest
    keep = dict(list(data.items())[-_KEEP:])
    try:
        _store().parent.mkdir(parents=True, exist_ok=True)
        write_atomic(_store(), json.dumps(keep))
    except OSError:
        pass
