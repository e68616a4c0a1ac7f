"""Multi-step operations shared by the command line and the window."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .core.model import DocumentSummary
from .io.importer import ImportPlan, prepare_imports
from .storage import Store


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


def import_plan(store: Store, plan: ImportPlan) -> ImportReport:
    """Write every prepared document in one transaction; skip texts already present.

    All or nothing: a failure (or a kill) part-way leaves the project as it was.
    """
    report = ImportReport(problems=list(plan.problems), skipped=list(plan.skipped))
    with store.atomic():
        for item in plan.prepared:
            existing = store.document_by_sha(item.document.sha256)
            if existing is not None:
                report.duplicates.append(
                    f"{item.path.name}: already in the project as {existing.source_file or existing.title!r} "
                    f"({existing.id}); nothing added"
                )
                continue
            store.add_document(item.document, item.lines)
            report.added.append(store.resolve_document(item.document.id))
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
