"""Importing documents: read and segment the files, then write them in one transaction.

Reading is the long part and writes nothing, so it can be cancelled (and, on
the command line, happen before the project is even created: a broken
manifest leaves nothing behind). The write is one transaction: a failure, a
full disk or a kill part-way leaves the project as it was.

``import_plan`` and ``import_files`` are the raw steps (their errors pass
through); ``read`` and ``write`` map every failure to ``ServiceError``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import DocumentSummary
from ..io.importer import ImportPlan, prepare_imports
from ..io.textfile import ImportProblem
from ..storage import Store
from .common import Cancelled, IsCancelled, ServiceError, write_failure

OnFile = Callable[[int, int, Path], None]
"""``(done, total, path)``: called before each file is read."""


@dataclass
class ImportReport:
    added: list[DocumentSummary] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # messages: file and the document it repeats
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about documents added: e.g. what of a page was left out

    def added_lines(self) -> list[str]:
        """One line per document added: file, kind, event, and a transcript's number of source lines."""
        return [
            f"imported {d.source_file}: {d.kind}, event {d.event or '-'}"
            + (f", {d.source_lines} source lines" if d.kind == "transcript" else "")
            for d in self.added
        ]

    def summary(self) -> str:
        """The counts on one line, as the command line prints them last."""
        return (
            f"{len(self.added)} imported, {len(self.duplicates)} already present, {len(self.problems)} failed"
            + (f", {len(self.skipped)} skipped" if self.skipped else "")
        )


def import_plan(store: Store, plan: ImportPlan) -> ImportReport:
    """Write every prepared document in one transaction; skip texts already present.

    All or nothing: a failure (or a kill) part-way leaves the project as it was.
    """
    report = ImportReport(problems=list(plan.problems), skipped=list(plan.skipped))
    with store.atomic():
        # One look-up for the texts already present, one write, one read of the summaries:
        # an archive's thousands of files cost a few statements, not a few per file.
        present: dict[str, tuple[str, str]] = {
            sha: (summary.source_file or summary.title, summary.id)
            for sha, summary in store.documents_by_sha(item.document.sha256 for item in plan.prepared).items()
        }
        adding = []
        for item in plan.prepared:
            existing = present.get(item.document.sha256)
            if existing is not None:
                report.duplicates.append(
                    f"{item.path.name}: already in the project as {existing[0]!r} ({existing[1]}); nothing added"
                )
                continue
            present[item.document.sha256] = (item.document.source_file or item.document.title, item.document.id)
            adding.append(item)
        store.add_documents((item.document, item.lines) for item in adding)
        summaries = store.documents_by_id(item.document.id for item in adding)
        for item in adding:
            report.added.append(summaries[item.document.id])
            report.notes.extend(item.notes)
    return report


def import_files(
    store: Store,
    paths: Iterable[Path],
    *,
    manifest: Path | None = None,
    kind: str | None = None,
    encoding: str | None = None,
    progress: Callable[[int, int, Path], bool] | None = None,
    whole_page: bool = False,
) -> ImportReport:
    return import_plan(
        store, prepare_imports(paths, manifest=manifest, kind=kind, encoding=encoding, progress=progress,
                               whole_page=whole_page)
    )


def read(
    paths: Iterable[Path],
    *,
    manifest: Path | None = None,
    kind: str | None = None,
    encoding: str | None = None,
    whole_page: bool = False,
    on_file: OnFile | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportPlan:
    """Read and segment the files (nothing is written); ServiceError for a broken manifest, Cancelled."""
    if manifest is not None and not Path(manifest).is_file():
        raise ServiceError(f"{manifest}: no such manifest file")

    def step(done: int, total: int, path: Path) -> bool:
        if on_file is not None:
            on_file(done, total, path)
        return not (is_cancelled is not None and is_cancelled())

    try:
        plan = prepare_imports(paths, manifest=manifest, kind=kind, encoding=encoding, progress=step,
                               whole_page=whole_page)
    except ImportProblem as exc:
        raise ServiceError(str(exc)) from exc
    except OSError as exc:
        raise ServiceError(f"{exc.filename or 'a file'}: cannot be read ({exc.strerror or exc})") from exc
    if is_cancelled is not None and is_cancelled():
        raise Cancelled()
    return plan


def write(store: Store, plan: ImportPlan) -> ImportReport:
    """Write a read plan in one transaction; ServiceError (nothing written) when the project cannot take it."""
    try:
        return import_plan(store, plan)
    except (OSError, sqlite3.Error) as exc:
        raise write_failure(exc) from exc
