"""Turning files on disk into documents ready for the store (no writes here).

``prepare_imports`` reads, decodes, segments and describes every file first;
only when a file is entirely readable does it become a ``PreparedDocument``.
The caller then writes each one in its own transaction, so a bad file is
reported by name and leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import ARTICLE, KINDS, TRANSCRIPT, Document, SourceLine
from ..core.segment import segment_transcript
from ..core.text import sha256_text
from .folders import unimported_files
from .formats import refusal
from .textfile import ImportProblem, read_document_file, read_manifest

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


def find_files(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """The files to import, folders searched recursively, in a stable order.

    Each comes with whether it was named explicitly (True) or found in a folder.
    """
    found: list[tuple[Path, bool]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(
                (p, False)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES and not p.name.startswith(".")
            )
        else:
            found.append((path, True))
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
    rows = read_manifest(manifest) if manifest else {}
    paths = [Path(p) for p in paths]
    files = find_files(paths)
    plan.skipped.extend(unimported_files(paths, IMPORTABLE_SUFFIXES, manifest))
    for index, (path, explicit) in enumerate(files):
        if progress is not None and progress(index, len(files), path) is False:
            plan.prepared.clear()
            plan.problems.append("import cancelled: nothing was imported")
            return plan
        if not path.exists():
            plan.problems.append(f"{path}: no such file or folder")
            continue
        if rows and path.name not in rows:
            # A manifest describes the corpus: files it does not list are not guessed at.
            message = f"{path.name}: not listed in {manifest.name if manifest else 'the manifest'}; skipped"
            (plan.problems if explicit else plan.skipped).append(message)
            continue
        try:
            plan.prepared.append(
                prepare_document(path, kind=kind, encoding=encoding, metadata=rows.get(path.name),
                                 whole_page=whole_page)
            )
        except ImportProblem as exc:
            plan.problems.append(str(exc))
        except OSError as exc:
            plan.problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
    return plan
