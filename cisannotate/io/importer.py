"""Turning files on disk into documents ready for the store (no writes here).

``prepare_imports`` reads, decodes, segments and describes every file first;
only when a file is entirely readable does it become a ``PreparedDocument``.
The caller then writes each one in its own transaction, so a bad file is
reported by name and leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ..core.model import ARTICLE, KINDS, TRANSCRIPT, Document, SourceLine
from ..core.segment import segment_transcript
from ..core.text import sha256_text
from .folders import unimported_files
from .formats import refusal
from .textfile import ImportProblem, check_regular_file, read_document_file, read_manifest_rows

# Files a folder import picks up; a file named explicitly is read whatever its suffix.
IMPORTABLE_SUFFIXES = {".txt", ".text", ".html", ".htm"}
MANIFEST_FIELDS = ("kind", "title", "outlet", "date", "event", "language", "notes", "url")


@dataclass(frozen=True)
class PreparedDocument:
    document: Document
    lines: tuple[SourceLine, ...]
    path: Path
    notes: tuple[str, ...] = ()  # for the import report: e.g. what of an HTML page was left out


@dataclass
class ImportPlan:
    prepared: list[PreparedDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one message per file that cannot be imported
    skipped: list[str] = field(default_factory=list)  # files of a folder that the manifest does not list


@dataclass(frozen=True)
class FoundFile:
    """A file to import: where it is, the folder it was found in (None: named explicitly),
    and its path relative to that folder (the key a manifest row names it by)."""

    path: Path
    folder: Path | None
    relative: str

    @property
    def explicit(self) -> bool:
        return self.folder is None


def find_files(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """The files to import, folders searched recursively, in a stable order.

    Each comes with whether it was named explicitly (True) or found in a folder.
    """
    return [(f.path, f.explicit) for f in find_import_files(paths)]


def find_import_files(paths: Iterable[Path], *, manifest: Path | None = None) -> list[FoundFile]:
    """The files to import (folders searched recursively, in a stable order; hidden files and
    the manifest in use left out), each with its path relative to the folder it was found in.
    What a folder holds besides them is reported by ``folders.unimported_files``."""
    found: list[FoundFile] = []
    manifest_id = _file_id(manifest) if manifest is not None else None
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in p.relative_to(path).parts):
                    continue
                if not p.is_file() or (manifest_id is not None and _file_id(p) == manifest_id):
                    continue
                if p.suffix.lower() in IMPORTABLE_SUFFIXES:
                    found.append(FoundFile(p, path, p.relative_to(path).as_posix()))
        else:
            found.append(FoundFile(path, None, path.name))
    return found


def _file_id(path: Path) -> tuple[int, int] | None:
    """What tells one file from another (device and inode, as ``Path.samefile`` compares)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _manifest_key(found: FoundFile, manifest: Path, resolved: dict[str, str] | None = None) -> str:
    """The manifest row a file answers to: its path relative to the manifest's folder when it
    lies under it, else relative to the folder it was found in (a file named alone: its name).

    ``resolved`` caches resolved folders across the files of one import, so each folder
    is resolved once rather than once per file (an archive's thousands of files).
    """
    cache = {} if resolved is None else resolved
    root = cache.get(os.fspath(manifest)) or cache.setdefault(
        os.fspath(manifest), os.path.dirname(os.path.realpath(manifest)))  # the manifest may be a link
    path = os.fspath(found.path)
    name = os.path.basename(path)
    if name in ("", ".", "..") or os.path.islink(path):
        full = os.path.realpath(path)
    else:
        full = os.path.join(_resolved_folder(os.path.dirname(os.path.abspath(path)), cache), name)
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not full.startswith(prefix):
        return found.relative
    return PurePath(full[len(prefix):]).as_posix()


def _resolved_folder(folder: str, cache: dict[str, str]) -> str:
    found = cache.get(folder)
    if found is None:
        found = cache[folder] = os.path.realpath(folder)
    return found


def default_title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 120 else line[:117].rstrip() + "…"
    return fallback


def prepare_document(
    path: Path,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    metadata: dict[str, str] | None = None,
    whole_page: bool = False,
) -> PreparedDocument:
    """Read one file into a document (and source lines for a transcript). Raises ImportProblem.

    Of an HTML page, the article is kept unless ``whole_page``.
    """
    metadata = dict(metadata or {})
    check_regular_file(path)  # before anything opens it: a FIFO would block, /dev/zero never end
    if (refused := refusal(path)) is not None:  # an annotation file of a known format, not a document
        raise ImportProblem(refused)
    notes: list[str] = []
    text = read_document_file(path, encoding=encoding, whole_page=whole_page, notes=notes)
    kind = (metadata.pop("kind", "") or kind or ARTICLE).strip().lower()
    if kind not in KINDS:
        raise ImportProblem(f"{path.name}: unknown kind {kind!r} (expected article or transcript)")
    sha = sha256_text(text)
    fields = {name: (metadata.pop(name, "") or "").strip() for name in MANIFEST_FIELDS if name != "kind"}
    metadata.pop("file", None)
    extra = {k: v for k, v in metadata.items() if k and v not in (None, "")}
    document = Document(
        id=sha[:16],
        kind=kind,
        title=fields["title"] or default_title(text, path.stem),
        text=text,
        sha256=sha,
        outlet=fields["outlet"],
        date=fields["date"],
        event=fields["event"],
        language=fields["language"],
        url=fields["url"],
        source_file=path.name,
        notes=fields["notes"],
        extra=extra,
    )
    lines: tuple[SourceLine, ...] = ()
    if kind == TRANSCRIPT:
        lines = tuple(
            SourceLine(document.id, s.number, s.start, s.end, s.paragraph, s.speaker)
            for s in segment_transcript(text, document.language)
        )
        if not lines:
            raise ImportProblem(f"{path.name}: no sentences found in this transcript")
    return PreparedDocument(document, lines, path, tuple(notes))


def prepare_imports(
    paths: Iterable[Path],
    *,
    manifest: Path | None = None,
    kind: str | None = None,
    encoding: str | None = None,
    progress: Callable[[int, int, Path], bool] | None = None,
    whole_page: bool = False,
) -> ImportPlan:
    """Read every file; collect problems instead of stopping at the first.

    ``progress(done, total, path)`` is called before each file; returning False
    cancels (nothing has been written, so cancelling leaves no half result).
    """
    plan = ImportPlan()
    rows = read_manifest_rows(manifest) if manifest else {}
    paths = [Path(p) for p in paths]
    files = find_import_files(paths, manifest=manifest)
    plan.skipped.extend(unimported_files(paths, IMPORTABLE_SUFFIXES, manifest))
    matched: set[str] = set()
    resolved: dict[str, str] = {}
    for index, found in enumerate(files):
        path, explicit = found.path, found.explicit
        if progress is not None and progress(index, len(files), path) is False:
            plan.prepared.clear()
            plan.problems.append("import cancelled: nothing was imported")
            return plan
        if not path.exists():
            plan.problems.append(f"{path}: no such file or folder")
            continue
        key = _manifest_key(found, manifest, resolved) if manifest else found.relative
        if rows and key not in rows:
            # A manifest describes the corpus: files it does not list are not guessed at,
            # and a file in a subfolder never takes the row of a namesake elsewhere.
            message = f"{found.relative}: not listed in {manifest.name if manifest else 'the manifest'}; skipped"
            (plan.problems if explicit else plan.skipped).append(message)
            continue
        matched.add(key)
        try:
            plan.prepared.append(
                prepare_document(path, kind=kind, encoding=encoding, metadata=rows[key][1] if rows else None,
                                 whole_page=whole_page)
            )
        except ImportProblem as exc:
            plan.problems.append(str(exc))
        except OSError as exc:
            plan.problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
    for key, (number, _row) in rows.items():
        if key not in matched:
            plan.skipped.append(f"{manifest.name if manifest else 'the manifest'} row {number}: {key!r} matches no imported file")
    return plan
