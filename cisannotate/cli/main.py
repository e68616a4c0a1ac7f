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
from typing import TYPE_CHECKING

from .. import __version__, paths
from .common import CommandError
from .common import open_store as _open
from .common import shorten as _shorten

if TYPE_CHECKING:  # the storage (sqlite-utils) loads with the first command that opens a project
    from ..storage import Store

if TYPE_CHECKING:
    from ..io.exchange import ExportOptions


def _print_json(value: object, *, sort_keys: bool = False) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, sort_keys=sort_keys)
    sys.stdout.write("\n")


def _print_json_line(value: object) -> None:
    """One JSON value on one line (JSON lines, for pipelines)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _one_line(text: str) -> str:
    """``text`` on one terminal line: backslash, line breaks and tabs written as escapes."""
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


# ------------------------------------------------------------------ commands
def cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.project)
    if path.exists() and path.stat().st_size > 0:
        raise CommandError(f"{path}: already exists; choose another name")
    if args.sample:
        from ..sample import SampleError, create_sample_project

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
    from ..io.folders import folder_manifest
    from ..services import ServiceError, importing

    paths = [Path(p) for p in args.paths]
    # Without --manifest, a folder's manifest.csv describes it: the same rule as the window's.
    manifest = Path(args.manifest) if args.manifest else folder_manifest(paths)
    if manifest is not None and not args.manifest:
        print(f"using the manifest {manifest}")
    # Read the manifest and the files before the project is opened (or created):
    # a broken manifest must leave nothing behind.
    try:
        plan = importing.read(paths, manifest=manifest, kind=args.kind, encoding=args.encoding,
                              whole_page=args.whole_page)
    except ServiceError as exc:
        raise CommandError(f"{exc}; nothing was imported") from exc
    store = _open(args.project, create=True)
    try:
        report = importing.write(store, plan)
    except ServiceError as exc:
        raise CommandError(f"{args.project}: {exc}; nothing was imported") from exc
    finally:
        store.close()
    for message in report.added_lines() + report.notes + report.duplicates + report.skipped:
        print(message)
    for message in report.problems:
        print(message, file=sys.stderr)
    print(report.summary())
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
         d.source_file or "-", d.title if len(d.title) <= 50 else d.title[:49].rstrip() + "…")
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
            # One line per source line: a line break inside the text is shown escaped.
            print(f"{r['number']:>5}  {_one_line(r['text'])}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from ..app import check_picture_path, screenshot

    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError as exc:
        raise CommandError(f"--size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1400x860") from exc
    project = Path(args.project)
    if not project.is_file():
        raise CommandError(f"{project}: no such project")
    try:
        check_picture_path(Path(args.out), project)
    except OSError as exc:
        raise CommandError(f"{exc}; nothing was written") from exc
    try:
        out = screenshot(project, Path(args.out), document=args.document, size=(width, height),
                         appearance=args.appearance, review=args.review, findings=args.findings)
    except KeyError as exc:
        raise CommandError(f"{project}: {exc.args[0]}") from exc
    except OSError as exc:
        raise CommandError(str(exc)) from exc
    print(f"saved {out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..io.exchange import FORMAT_ALIASES, SUFFIXES, ExportOptions
    from ..services import ServiceError, exporting
    from ..storage.atomic import OutputPathError, check_output_path

    fmt = FORMAT_ALIASES.get(args.format, args.format)
    if fmt not in SUFFIXES:  # the format of another tool
        from .formats import export_command

        return export_command(args)
    if args.with_text and fmt != "json":
        raise CommandError("--with-text applies only to --format json (W3C and the tables name texts by their hash)")
    if fmt != "tables" and (args.excel or args.formula_cells):
        raise CommandError("--excel and --formula-cells apply only to --format tables")
    if fmt == "tables":
        from ..io.tables import TablesError, check_destination

        try:
            check_destination(args.out)
        except TablesError as exc:
            raise CommandError(str(exc)) from exc
    if args.out != "-" and (fmt != "tables" or str(args.out).lower().endswith(".zip")):
        out = Path(args.out)
        if out.is_dir() and not out.is_symlink():
            raise CommandError(f"{out}: is a folder; name the file, e.g. {out / ('export' + SUFFIXES[fmt])}")
        try:
            check_output_path(out, protect=[Path(args.project)])
        except OutputPathError as exc:
            raise CommandError(f"{exc}; nothing was written") from exc
    store = _open(args.project, read_only=True)
    try:
        options = ExportOptions(fmt, args.with_text, args.annotator, excel=args.excel,
                                formula_cells=args.formula_cells)
        exporting.check_options(store, options)
        if fmt == "tables":
            return _export_tables(store, Path(args.out), options)
        body, counts = exporting.render_text(store, options)
    except ServiceError as exc:
        raise CommandError(f"{args.project}: {exc}") from exc
    finally:
        store.close()
    if args.out == "-":
        sys.stdout.write(body)
        return 0
    out = Path(args.out)
    try:
        exporting.write(out, body, fmt, protect=[Path(args.project)])
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    print(
        f"wrote {out}: {counts['documents']} documents, {counts['spans']} annotations, {counts['links']} links "
        f"({fmt}{', with texts' if args.with_text else ''}"
        f"{', layer ' + args.annotator if args.annotator else ''})"
    )
    return 0


def _export_tables(store: Store, out: Path, options: "ExportOptions") -> int:
    from ..io.tables import TablesError, is_zip_path, render_tables, write_tables

    files, counts = render_tables(store, annotator=options.annotator, excel=options.excel,
                                  formula_cells=options.formula_cells)
    try:
        write_tables(out, files, protect=[store.path] if store.path is not None else [])
    except TablesError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    print(
        f"wrote {out} ({'zip' if is_zip_path(out) else 'folder'} of {', '.join(files)}): {counts['documents']} "
        f"documents, {counts['spans']} annotations, {counts['links']} links"
        f"{', for Excel' if options.excel else ''}"
        f"{', layer ' + options.annotator if options.annotator else ''}"
    )
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from ..services import ServiceError, merging

    store = _open(args.project)
    try:
        result = merging.merge(store, args.file)
    except ServiceError as exc:
        raise CommandError(f"{args.file}: {exc}; nothing was merged") from exc
    finally:
        store.close()
    print(f"merged {args.file} into {args.project}")
    if result.backup is not None:
        print(f"backup taken first: {result.backup}")
    for line in result.report.lines():
        print(line)
    return 0


def _span_document(store: Store, ref: object, start: object, end: object, lengths: dict[str, int]) -> str:
    """The id of the document ``ref`` names, once ``start``-``end`` is known to lie inside it.

    Raises ValueError with the problem; ``lengths`` remembers each document's text length.
    """
    if not isinstance(ref, str) or not ref:
        raise ValueError("'document' must be a document id, file name or title")
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{name!r} must be a whole number, not {value!r}")
    try:
        doc = store.resolve_document(ref)
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None
    if not 0 <= start < end:
        raise ValueError(f"range {start}-{end} is empty or negative (need 0 <= start < end)")
    if doc.id not in lengths:
        lengths[doc.id] = len(store.text(doc.id))
    if end > lengths[doc.id]:
        raise ValueError(
            f"range {start}-{end} lies outside {doc.source_file or doc.id} "
            f"(need 0 <= start < end <= {lengths[doc.id]})"
        )
    return doc.id


def _batch_requests(store: Store, name: str) -> list[dict]:
    """The spans of a JSON-lines batch file (- for stdin), checked; problems name the file and line."""
    where = "stdin" if name == "-" else name
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise CommandError(f"{where}: cannot be read ({reason})") from exc
    requests: list[dict] = []
    lengths: dict[str, int] = {}
    # Split on newlines only: JSON strings may hold U+2028 and other characters splitlines() breaks at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{where}, line {number}: not a JSON object ({exc.msg})") from exc
        if not isinstance(record, dict) or not {"document", "start", "end"} <= record.keys():
            raise CommandError(f'{where}, line {number}: expected {{"document": ..., "start": ..., "end": ...}}')
        try:
            document = _span_document(store, record["document"], record["start"], record["end"], lengths)
        except ValueError as exc:
            raise CommandError(f"{where}, line {number}: {exc}") from exc
        requests.append({"document": document, "start": record["start"], "end": record["end"]})
    return requests


def cmd_suggest(args: argparse.Namespace) -> int:
    from ..suggestions import SCOPES, Suggester, batch

    if args.scope not in SCOPES:
        raise CommandError(f"unknown scope {args.scope!r}; use {' or '.join(SCOPES)}")
    if args.top < 1:
        raise CommandError(f"--top {args.top}: must be at least 1")
    single = args.document is not None
    if single and (args.start is None or args.end is None):
        raise CommandError("--document needs --start and --end (character offsets of the span)")
    if not single and (args.start is not None or args.end is not None):
        raise CommandError("--start and --end go with --document; a --batch file gives them per span")
    store = _open(args.project, read_only=True)
    try:
        suggester = Suggester(store)
        if not single:
            requests = _batch_requests(store, args.batch)
            for suggestion in batch(suggester, requests, top=args.top, scope=args.scope):
                _print_json_line(suggestion.to_json())
            return 0
        try:
            document = _span_document(store, args.document, args.start, args.end, {})
        except ValueError as exc:
            raise CommandError(f"{args.project}: {exc}") from exc
        suggestion = suggester.suggest(document, args.start, args.end, top=args.top, scope=args.scope)
    finally:
        store.close()
    if args.json:
        _print_json_line(suggestion.to_json())
        return 0
    if not suggestion.candidates:
        hint = " (the article's event has none; try --scope all)" if args.scope == "event" else ""
        print(f"no candidates: no transcript in scope {args.scope!r}{hint}")
        return 0
    rows = [
        (rank, f"{c.score:.3f}", _shorten(suggestion.speech(c), 48) + (
            f", {suggestion.via_text(c)}" if suggestion.via_text(c) else ""),
         "–".join(map(str, (c.lines[0], c.lines[-1]) if c.merged else (c.line,))), _shorten(c.text, 70))
        for rank, c in enumerate(suggestion.candidates, start=1)
    ]
    print(_table(rows, ("rank", "score", "speech", "line", "text")))
    if suggestion.no_source:
        print("probably no source: no candidate scores high enough")
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from ..core.model import REVIEWED_LAYER
    from ..adjudication import compute_report, report_data, value_names

    store = _open(args.project, read_only=True)
    try:
        layers = store.layers()
        annotators = args.annotators or [layer for layer in layers if layer != REVIEWED_LAYER]
        unknown = [name for name in annotators if name not in layers]
        if unknown:
            raise CommandError(
                f"{args.project}: no annotations in layer {unknown[0]!r} (layers: {', '.join(layers) or 'none'})"
            )
        repeated = sorted({name for name in annotators if annotators.count(name) > 1})
        if repeated:
            raise CommandError(f"--annotators names {repeated[0]!r} twice")
        if len(annotators) < 2:
            if args.annotators:
                found = f"--annotators names only {annotators[0]!r}"
            else:
                found = f"only {annotators[0]!r} has annotations" if annotators else "no annotator has annotations"
            raise CommandError(f"{args.project}: agreement needs at least two annotators; {found}")
        document_id = None
        if args.document is not None:
            try:
                document_id = store.resolve_document(args.document).id
            except KeyError as exc:
                raise CommandError(f"{args.project}: {exc.args[0]}") from exc
        if args.bootstrap < 0:
            raise CommandError(f"--bootstrap must be 0 or more, not {args.bootstrap}")
        report = compute_report(store, annotators, document_id=document_id, bootstrap=args.bootstrap)
        titles = {d.id: d.title for d in store.documents()}
        names = value_names(store)
    finally:
        store.close()
    if args.json:
        _print_json(report_data(report, titles, names), sort_keys=True)
    else:
        print(report.format_table(titles, names))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import ReportError, run_report

    try:
        summary = run_report(args.project, args.out, args.layer, args.event)
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
    print(summary.line())
    return 0


def cmd_team(args: argparse.Namespace) -> int:
    from .team import cmd_team as team

    return team(args)


def cmd_search(args: argparse.Namespace) -> int:
    from .search import cmd_search as search

    return search(args)


def cmd_propose(args: argparse.Namespace) -> int:
    from .propose import cmd_propose as propose

    return propose(args)


# ------------------------------------------------------------------- parsing
FOREIGN_FORMATS = ("labelstudio", "doccano", "brat", "webanno", "qdpx")  # io/formats


def _import_annotations(args: argparse.Namespace) -> int:
    from .formats import import_command

    return import_command(args)


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "new": (cmd_new, "create a project (empty, or holding the sample with --sample)"),
    "import": (cmd_import, "import text and HTML files or folders into a project"),
    "documents": (cmd_documents, "list a project's documents"),
    "search": (cmd_search, "search the corpus (inflected forms, prefix*, phrases, NEAR, regex) as a concordance"),
    "lines": (cmd_lines, "list a transcript's numbered source lines"),
    "screenshot": (cmd_screenshot, "render the window offscreen to a PNG file"),
    "export": (cmd_export, "export annotations as JSON (to share or merge), W3C Web Annotation, CSV, "
               "or for Label Studio, doccano, brat, INCEpTION or a QDA program"),
    "merge": (cmd_merge, "merge a colleague's exported annotations (JSON) into a project"),
    "import-annotations": (_import_annotations,
                           "import annotations made in Label Studio, doccano, brat, INCEpTION or a QDA program"),
    "suggest": (cmd_suggest, "suggest the source lines an article's span reports"),
    "propose": (cmd_propose, "propose an article's quotations and reported speech as claims"),
    "agreement": (cmd_agreement, "agreement between annotators' layers, per document and overall"),
    "report": (cmd_report, "write the findings (charts, agreement, distortions) as one self-contained HTML file"),
    "team": (cmd_team, "work as a team through a shared git repository (init, join, sync, status)"),
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
    p.add_argument("--encoding", help="the encoding (e.g. cp1251) of files that do not say theirs "
                   "(a byte-order mark, valid UTF-8 or a page's charset wins)")
    p.add_argument("--whole-page", action="store_true",
                   help="of an HTML page, keep all its visible text (default: the article only, with what "
                   "was left out listed)")

    p = sub.add_parser("documents", help=COMMANDS["documents"][1])
    p.add_argument("project")
    p.add_argument("--json", action="store_true")

    from .search import add_parser as add_search_parser

    add_search_parser(sub)

    p = sub.add_parser("lines", help=COMMANDS["lines"][1])
    p.add_argument("project")
    p.add_argument("document", help="document id (or its start), source file name or title")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("screenshot", help=COMMANDS["screenshot"][1])
    p.add_argument("project")
    p.add_argument("out", metavar="OUT.png")
    p.add_argument("--document", help="document to show (id, file name or title); default: the first article with a transcript")
    p.add_argument("--size", default="1400x860", help="window size, WIDTHxHEIGHT (default 1400x860)")
    p.add_argument("--appearance", choices=("light", "dark"), default="light",
                   help="light (default) or dark appearance")
    p.add_argument("--review", action="store_true", help="show the Review panel at the first disagreement")
    p.add_argument("--findings", action="store_true", help="with the Findings view open")

    p = sub.add_parser("export", help=COMMANDS["export"][1])
    p.add_argument("project")
    p.add_argument("-o", "--out", required=True, metavar="FILE",
                   help="the file to write (- for stdout); for tables, a folder or a file ending in .zip")
    p.add_argument("--format", choices=["json", "w3c", "tables", "csv", *FOREIGN_FORMATS], default="json",
                   help="json: cisannotate's own format, for merge (default); w3c: W3C Web Annotation "
                   "(JSON-LD); tables: tidy CSV tables (documents, claims, links, lines) for pandas, R or a "
                   "spreadsheet (csv is another name for it); "
                   "labelstudio, doccano, brat, webanno (INCEpTION), qdpx (MAXQDA, ATLAS.ti, NVivo): "
                   "those tools' formats, texts included (docs/formats.md)")
    p.add_argument("--excel", action="store_true",
                   help="tables for Excel: UTF-8 with a byte-order mark, formula-like cells quoted")
    p.add_argument("--formula-cells", choices=["keep", "quote"],
                   help="tables: cells starting with = + - @ kept as they are, or quoted with an apostrophe "
                   "so a spreadsheet does not run them (default: quote with --excel, else keep)")
    p.add_argument("--offsets", choices=["codepoints", "utf16"], default="codepoints",
                   help="labelstudio: count offsets in UTF-16 units, as older Label Studio versions do")
    p.add_argument("--with-text", action="store_true",
                   help="include the documents' texts, so a project without them can take the merge")
    p.add_argument("--annotator", metavar="NAME", help="export only this annotator's layer (or 'reviewed')")

    p = sub.add_parser("merge", help=COMMANDS["merge"][1])
    p.add_argument("project")
    p.add_argument("file", metavar="FILE", help="a file written by cisannotate export --format json")

    from .formats import add_import_parser

    add_import_parser(sub, COMMANDS["import-annotations"][1])

    p = sub.add_parser("suggest", help=COMMANDS["suggest"][1])
    p.add_argument("project")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--document", metavar="ID", help="the article (id or its start, file name or title)")
    what.add_argument("--batch", metavar="FILE",
                      help='JSON lines of {"document", "start", "end"} (- for stdin); answers as JSON lines, in order')
    p.add_argument("--start", type=int, metavar="N", help="the span's first character offset")
    p.add_argument("--end", type=int, metavar="N", help="the offset just after the span's last character")
    p.add_argument("--top", type=int, default=5, metavar="K", help="number of candidates (default 5)")
    p.add_argument("--scope", default="event", metavar="SCOPE",
                   help="event: the transcripts of the article's event (default); all: every transcript")
    p.add_argument("--json", action="store_true", help="one JSON object per span, on one line")

    from .propose import add_parser as add_propose_parser

    add_propose_parser(sub, COMMANDS["propose"][1])

    p = sub.add_parser("agreement", help=COMMANDS["agreement"][1])
    p.add_argument("project")
    p.add_argument("--annotators", nargs="+", metavar="NAME",
                   help="the layers to compare (default: every layer except 'reviewed')")
    p.add_argument("--document", help="only this document (id or its start, file name or title)")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="resamples for the 95%% intervals (default 1000; 0: no intervals)")
    p.add_argument("--json", action="store_true",
                   help="the report as JSON, every figure with its value, n, 95%% interval (low, high) and flag")

    p = sub.add_parser("report", help=COMMANDS["report"][1])
    p.add_argument("project")
    p.add_argument("-o", "--out", required=True, metavar="FILE.html", help="the HTML file to write")
    p.add_argument("--layer", metavar="NAME", help="the layer to report (default: 'reviewed', else the first)")
    p.add_argument("--event", metavar="ID", help="only this event (default: the whole project)")

    from .team import add_parser as add_team_parser

    add_team_parser(sub)
    return parser


def _project_error() -> type[Exception]:
    """``ProjectError``, imported only when a command has failed (``--help`` stays light)."""
    from ..storage import ProjectError

    return ProjectError


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except (CommandError, _project_error()) as exc:
        print(f"cisannotate {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
