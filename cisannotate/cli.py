"""The headless command line: the same core as the window, for scripts and pipelines.

Every command prints its result on stdout; problems go to stderr with a
non-zero exit status (1 for a problem with the input, 2 for a usage error).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from . import __version__, paths
from .storage import ProjectError, Store


class CommandError(Exception):
    """A problem to report to the user (stderr, exit status 1)."""


def _open(path: str, *, create: bool = False, read_only: bool = False) -> Store:
    return Store.open(Path(path), create=create, read_only=read_only)


def _print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def _table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ------------------------------------------------------------------ commands
def cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.project)
    if path.exists() and path.stat().st_size > 0:
        raise CommandError(f"{path}: already exists; choose another name")
    if args.sample:
        from .sample import SampleError, create_sample_project

        try:
            store = create_sample_project(path)
        except SampleError as exc:
            raise CommandError(f"the bundled sample is damaged: {exc}") from exc
    else:
        store = _open(args.project, create=True)
    documents = store.documents()
    print(f"created {path} with {len(documents)} documents and {store.count_spans()} annotations")
    store.close()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .workflows import import_files

    manifest = Path(args.manifest) if args.manifest else None
    if manifest is not None and not manifest.is_file():
        raise CommandError(f"{manifest}: no such manifest file")
    store = _open(args.project, create=True)
    try:
        report = import_files(
            store, [Path(p) for p in args.paths], manifest=manifest, kind=args.kind, encoding=args.encoding
        )
    finally:
        store.close()
    for doc in report.added:
        print(f"imported {doc.source_file}: {doc.kind}, event {doc.event or '-'}, {doc.source_lines} source lines")
    for message in report.duplicates + report.skipped:
        print(message)
    for message in report.problems:
        print(message, file=sys.stderr)
    print(
        f"{len(report.added)} imported, {len(report.duplicates)} already present, "
        f"{len(report.problems)} failed" + (f", {len(report.skipped)} skipped" if report.skipped else "")
    )
    return 1 if report.problems else 0


def cmd_documents(args: argparse.Namespace) -> int:
    store = _open(args.project, read_only=True)
    documents = store.documents()
    store.close()
    if args.json:
        _print_json([asdict(d) for d in documents])
        return 0
    rows = [
        (d.id, d.kind, d.event or "-", d.date or "-", d.outlet or "-", d.source_lines, d.annotations,
         d.source_file or "-", d.title[:50])
        for d in documents
    ]
    print(_table(rows, ("id", "kind", "event", "date", "outlet", "lines", "annotations", "file", "title")))
    return 0


def cmd_lines(args: argparse.Namespace) -> int:
    store = _open(args.project, read_only=True)
    try:
        doc = store.resolve_document(args.document)
    except KeyError as exc:
        store.close()
        raise CommandError(f"{args.project}: {exc.args[0]}") from exc
    text = store.text(doc.id)
    lines = store.source_lines(doc.id)
    store.close()
    if not lines and doc.kind != "transcript":
        raise CommandError(f"{doc.source_file or doc.id}: an article has no source lines (only transcripts do)")
    records = [
        {"number": ln.number, "start": ln.start, "end": ln.end, "paragraph": ln.paragraph,
         "speaker": ln.speaker, "text": text[ln.start:ln.end]}
        for ln in lines
    ]
    if args.json:
        _print_json(records)
    else:
        for r in records:
            print(f"{r['number']:>5}  {r['text']}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from .app import screenshot

    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError as exc:
        raise CommandError(f"--size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1400x860") from exc
    project = Path(args.project)
    if not project.is_file():
        raise CommandError(f"{project}: no such project")
    try:
        out = screenshot(project, Path(args.out), document=args.document, size=(width, height))
    except KeyError as exc:
        raise CommandError(f"{project}: {exc.args[0]}") from exc
    except OSError as exc:
        raise CommandError(str(exc)) from exc
    print(f"saved {out}")
    return 0


# ------------------------------------------------------------------- parsing
COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "new": (cmd_new, "create a project (empty, or holding the sample with --sample)"),
    "import": (cmd_import, "import text and HTML files or folders into a project"),
    "documents": (cmd_documents, "list a project's documents"),
    "lines": (cmd_lines, "list a transcript's numbered source lines"),
    "screenshot": (cmd_screenshot, "render the window offscreen to a PNG file"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cisannotate",
        description="Annotate how news articles report official speech. "
        "Without a command, opens the window on PROJECT (or your default project).",
    )
    parser.add_argument("--version", action="version", version=f"cisannotate {__version__}")
    parser.add_argument("--data-dir", help=f"folder for the default project and settings (or ${paths.ENV_DATA_DIR})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help=COMMANDS["new"][1])
    p.add_argument("project")
    p.add_argument("--sample", action="store_true", help="fill it with the bundled sample project")

    p = sub.add_parser("import", help=COMMANDS["import"][1])
    p.add_argument("project")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--manifest", help="CSV with file,kind,title,outlet,date,event,language,notes")
    p.add_argument("--kind", choices=["article", "transcript"], help="kind of files the manifest does not describe")
    p.add_argument("--encoding", help="the files' encoding (e.g. cp1251) when it cannot be detected")

    p = sub.add_parser("documents", help=COMMANDS["documents"][1])
    p.add_argument("project")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("lines", help=COMMANDS["lines"][1])
    p.add_argument("project")
    p.add_argument("document", help="document id (or its start), source file name or title")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("screenshot", help=COMMANDS["screenshot"][1])
    p.add_argument("project")
    p.add_argument("out", metavar="OUT.png")
    p.add_argument("--document", help="document to show (id, file name or title); default: the last one shown")
    p.add_argument("--size", default="1400x860", help="window size, WIDTHxHEIGHT (default 1400x860)")
    return parser


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except (CommandError, ProjectError) as exc:
        print(f"cisannotate {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
