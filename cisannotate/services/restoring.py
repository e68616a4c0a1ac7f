"""Restoring a project from one of its backups, and listing them with what each holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..storage.backup import Backup, BackupContents, list_backups, read_backup, restore_backup
from ..storage.errors import ProjectError
from .common import ServiceError


@dataclass(frozen=True)
class BackupEntry:
    backup: Backup
    contents: BackupContents | None  # None when the copy cannot be read
    problem: str = ""  # why it cannot be read


def backups(project: Path) -> list[BackupEntry]:
    """The backups of ``project``, newest first, each with its counts or the reason it is unreadable."""
    entries = []
    for backup in list_backups(Path(project)):
        try:
            entries.append(BackupEntry(backup, read_backup(backup.path)))
        except ProjectError as exc:
            entries.append(BackupEntry(backup, None, str(exc)))
    return entries


def restore(backup: Path, project: Path) -> Path:
    """Replace ``project`` by ``backup`` (the current state is backed up first); ServiceError if nothing changed.

    The project must not be open for editing.
    """
    try:
        return restore_backup(Path(backup), Path(project))
    except ProjectError as exc:
        raise ServiceError(str(exc)) from exc
    except OSError as exc:
        raise ServiceError(f"{project}: the backup could not be restored ({exc.strerror or exc})") from exc
