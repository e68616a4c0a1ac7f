"""The command-line verbs of the formats of other tools (io/formats): ``export --format NAME``, ``import-annotations``.

``cli.py`` hands these over; problems come back as the command line's
CommandError (stderr, exit status 1), nothing half-written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import CommandError

# The names of io/formats' formats, for the parser: that package (and what it imports) loads
# only when a command uses a format, not to build the parser of every command (a test keeps
# the two lists equal).
FORMAT_NAMES = ("labelstudio", "doccano", "brat", "webanno", "qdpx")


def _error(message: str) -> Exception:
    return CommandError(message)


def export_command(args: argparse.Namespace) -> int:
    from ..io.formats import SUFFIXES, export_format
    from ..storage import Store

    if args.with_text:
        raise _error(f"--with-text applies only to --format json ({args.format} always carries the texts)")
    offsets = getattr(args, "offsets", None) or "codepoints"
    if offsets != "codepoints" and args.format != "labelstudio":
        raise _error("--offsets applies only to --format labelstudio")
    if args.out == "-":
        raise _error(f"--format {args.format} writes a file: name it with -o")
    out = Path(args.out)
    if out.is_dir():
        raise _error(f"{out}: is a folder; name the file, e.g. {out / ('export' + SUFFIXES[args.format])}")
    store = Store.open(Path(args.project), create=False, read_only=True)
    try:
        if args.annotator is not None and args.annotator not in store.layers():
            layers = ", ".join(store.layers()) or "none"
            raise _error(f"{args.project}: no annotations in layer {args.annotator!r} (layers: {layers})")
        summary = export_format(store, out, args.format, annotator=args.annotator, offsets=offsets)
    except OSError as exc:
        raise _error(f"{out}: cannot write ({exc.strerror or exc})") from exc
    finally:
        store.close()
    print(
        f"wrote {out}: {summary.documents} documents, {summary.spans} annotations, {summary.links} links "
        f"({args.format}{', UTF-16 offsets' if offsets == 'utf16' else ''}"
        f"{', layer ' + args.annotator if args.annotator else ''})"
    )
    return 0


def import_command(args: argparse.Namespace) -> int:
    from ..io.formats import detect
    from ..services import ServiceError, merging
    from ..storage import Store

    path = Path(args.file)
    if not path.exists():
        raise _error(f"{path}: no such file or folder")
    fmt = args.format or ("brat" if path.is_dir() else detect(path))
    if fmt is None:
        raise _error(f"{path}: not a file of a known annotation format; name it with --format "
                     f"({', '.join(('json', *FORMAT_NAMES))})")
    if fmt == "w3c":
        raise _error(f"{path}: W3C Web Annotation is written for other tools and not read back; "
                     "import cisannotate's own JSON export (--format json --with-text) instead")
    store = Store.open(Path(args.project), create=False)
    try:
        if fmt in ("json", "cisannotate"):
            if args.annotator or args.offsets != "auto":
                raise _error("--annotator and --offsets apply to the formats of other tools, not to cisannotate JSON")
            result = merging.merge(store, path)
        else:
            result = merging.merge(store, path, fmt=fmt, annotator=args.annotator, offsets=args.offsets)
    except ServiceError as exc:
        # The same backup and the same refusals as a merge in the window (services/merging.py).
        raise _error(f"{exc}; nothing was imported" if exc.names_file
                     else f"{path}: {exc}; nothing was imported") from exc
    finally:
        store.close()
    report = result.report
    print(f"imported {path} ({fmt}) into {args.project}")
    for line in report.lines():
        print(line)
    return 0


def add_import_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("import-annotations", help=help_text,
                       description="Bring in annotations made in another tool (or a cisannotate JSON export), "
                       "with their texts, as a merge: documents already in the project are matched by their text, "
                       "everything is checked before one transaction writes it, and importing the same file twice "
                       "changes nothing.")
    p.add_argument("project")
    p.add_argument("file", metavar="FILE", help="the file (or, for brat, a collection folder)")
    p.add_argument("--format", choices=["json", *FORMAT_NAMES],
                   help="the file's format (default: recognised from the file)")
    p.add_argument("--annotator", metavar="NAME",
                   help="the layer to put the annotations in (default: the annotator the file names, "
                   "else the file's name)")
    p.add_argument("--offsets", choices=["auto", "codepoints", "utf16"], default="auto",
                   help="labelstudio: how the file counts offsets (default: recognised region by region)")
