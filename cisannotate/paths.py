"""Where cisannotate keeps its files.

This is the only module that asks platformdirs for folders. The data folder can
be moved with ``--data-dir`` or the ``CISANNOTATE_DATA_DIR`` environment
variable, so tests and scripted runs never touch a real user's data.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "cisannotate"
ENV_DATA_DIR = "CISANNOTATE_DATA_DIR"
DEFAULT_PROJECT_NAME = "project.cisannotate"
PROJECT_SUFFIX = ".cisannotate"

_data_dir_override: Path | None = None


def set_data_dir(path: Path | str | None) -> None:
    """Use ``path`` instead of the platform folder for the rest of this process."""
    global _data_dir_override
    _data_dir_override = Path(path).expanduser().resolve() if path else None


def data_dir_override() -> Path | None:
    """The folder set with set_data_dir, or None."""
    return _data_dir_override


def data_dir() -> Path:
    if _data_dir_override is not None:
        folder = _data_dir_override
    elif os.environ.get(ENV_DATA_DIR):
        folder = Path(os.environ[ENV_DATA_DIR]).expanduser().resolve()
    else:
        folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_project_path() -> Path:
    return data_dir() / DEFAULT_PROJECT_NAME


def settings_path() -> Path:
    """The INI file behind every QSettings of the application."""
    return data_dir() / "settings.ini"


def backup_dir(project: Path) -> Path:
    """Backups of ``project`` live beside the data, one folder per project file.

    The folder is named by the file's stem and a short hash of its full path, so
    two projects of the same name in different folders never share, or prune,
    each other's backups.
    """
    resolved = os.path.normcase(str(Path(project).expanduser().resolve()))
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:10]
    return data_dir() / "backups" / f"{Path(project).stem}-{digest}"


def resources_dir() -> Path:
    """The shipped ``resources/`` folder: beside the package, or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
