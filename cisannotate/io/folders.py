"""What a folder given to an import holds besides its documents.

The command line and the window follow the same two rules, from here:
a folder's ``manifest.csv`` describes the import when no manifest is named,
and every file of a folder that is not imported is named in the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

MANIFEST_NAME = "manifest.csv"


def folder_manifest(paths: Iterable[Path]) -> Path | None:
    """The ``manifest.csv`` of the first folder among ``paths`` that has one, else None."""
    for path in paths:
        path = Path(path)
        candidate = path / MANIFEST_NAME
        if path.is_dir() and candidate.is_file():
            return candidate
    return None


def unimported_files(paths: Iterable[Path], importable: set[str], manifest: Path | None) -> list[str]:
    """One message per file in the folders of ``paths`` that an import leaves alone.

    Hidden files (and those in hidden folders) are not mentioned; the manifest in use is not
    a skipped file either.
    """
    used = manifest.resolve() if manifest is not None else None
    messages = []
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            continue
        for file in sorted(path.rglob("*")):
            if not file.is_file() or any(part.startswith(".") for part in file.relative_to(path).parts):
                continue
            if file.suffix.lower() in importable or (used is not None and file.resolve() == used):
                continue
            messages.append(f"{file.name}: not a text or HTML file; skipped")
    return messages
