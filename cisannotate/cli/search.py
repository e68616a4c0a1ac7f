"""``cisannotate search``: the corpus search of the window's Search panel, as a concordance."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "search the corpus: inflected forms, prefix*, phrases, NEAR(a b, N), OR, --regex; a concordance"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help=HELP, description=HELP + ". See the README for the query language.")
    p.add_argument("project")
    p.add_argument("query", help='e.g. "colour revolution", revolution*, "NEAR(west provocations, 10)"')
    p.add_argument("--regex", action="store_true", help="the query is a regular expression (case-insensitive)")
    p.add_argument("--kind", choices=["article", "transcript"], help="only this kind of document")
    p.add_argument("--sort", choices=["corpus", "left", "keyword", "right", "document"], default="corpus",
                   help="order of the lines (default: as in the corpus)")
    p.add_argument("--limit", type=int, default=2000, metavar="N", help="at most N hits (default 2000)")
    p.add_argument("--context", type=int, default=40, metavar="N", help="characters of context each side")
    p.add_argument("--json", action="store_true", help="the hits and counts as JSON")
    p.add_argument("--csv", metavar="FILE", help="write the concordance as CSV (- for stdout)")


def cmd_search(args: argparse.Namespace) -> int:
    from .common import CommandError
    from .common import open_store as _open
    from .common import shorten as _shorten
    from ..core import kwic
    from ..search import QueryError, concordance

    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    store = _open(args.project, read_only=True)
    try:
        result = concordance(store, args.query, regex=args.regex, limit=args.limit, kind=args.kind,
                             context=max(1, args.context))
    except QueryError as exc:
        raise CommandError(f"{args.query!r}: {exc}") from exc
    finally:
        store.close()
    lines = kwic.ordered(result.lines, args.sort)
    counts = result.counts
    if args.csv:
        if args.csv == "-":
            sys.stdout.write(kwic.to_csv(lines))  # for a pipe: no byte-order mark
            return 0
        # A file is for Excel too: with a byte-order mark, so Cyrillic is not read as the system's code page.
        body = kwic.to_csv(lines, excel=True)
        from ..io.exchange import write_atomic

        try:
            write_atomic(Path(args.csv), body)
        except OSError as exc:
            raise CommandError(f"{args.csv}: cannot write ({exc.strerror or exc})") from exc
    if args.json:
        json.dump({
            "query": args.query, "regex": args.regex, "truncated": result.truncated,
            "counts": {"hits": counts.hits, "documents": counts.documents, "by_outlet": dict(counts.by_outlet),
                       "by_kind": dict(counts.by_kind)},
            "hits": [{"document": ln.document_id, "title": ln.title, "outlet": ln.outlet, "kind": ln.kind,
                      "start": ln.start, "end": ln.end, "left": ln.left, "keyword": ln.keyword, "right": ln.right}
                     for ln in lines],
        }, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(1, args.context)
    for ln in lines:
        print(f"{ln.left[-width:]:>{width}} [{ln.keyword}] {ln.right[:width]:<{width}}  {_shorten(ln.title, 40)}")
    if not lines:
        print("no hits")
        return 0
    more = f" (the first {args.limit}; there are more)" if result.truncated else ""
    print(counts.words() + more)
    if args.csv:
        print(f"wrote {args.csv}")
    return 0
