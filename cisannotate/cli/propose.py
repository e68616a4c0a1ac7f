"""``cisannotate propose PROJECT DOCUMENT [--json]``: an article's proposed quotations and
reported speech, listed without writing anything (accept them in the window)."""

from __future__ import annotations

import argparse
import json
import sys

from .common import CommandError, open_store, shorten


def cmd_propose(args: argparse.Namespace) -> int:
    from ..proposals import Proposer

    store = open_store(args.project, read_only=True)
    try:
        try:
            doc = store.resolve_document(args.document)
        except KeyError as exc:
            raise CommandError(f"{args.project}: {exc.args[0]}") from None
        if doc.kind != "article":
            raise CommandError(f"{args.project}: {doc.source_file or doc.id} is a transcript; "
                               "proposals are made for articles")
        items = Proposer(store).propose(doc.id)
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps({"document": doc.id, "proposals": [i.to_json() for i in items]},
                                    ensure_ascii=False) + "\n")
        return 0
    if not items:
        print("no quotations or reported speech found")
        return 0
    headers = ("#", "range", "mode", "speaker", "channel", "text")
    rows = [[str(n), f"{i.start}-{i.end}", i.mode,
             shorten(i.proposal.speaker or "?", 24) + (" (new)" if i.new_speaker else ""),
             shorten(i.proposal.channel, 18), shorten(i.proposal.text, 60)]
            for n, i in enumerate(items, 1)]
    widths = [max(len(r[k]) for r in [list(headers), *rows]) for k in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [list(headers), *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    print("\n".join(lines))
    return 0


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("propose", help=help_text,
                       description="Propose an article's quotations and reported speech as "
                                   "claims, with speaker, mode and channel (nothing is written; "
                                   "accept them in the window).")
    p.add_argument("project")
    p.add_argument("document", help="the article (id or its start, file name or title)")
    p.add_argument("--json", action="store_true", help="one JSON object on one line")
