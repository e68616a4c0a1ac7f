"""``cisannotate`` and ``python -m cisannotate``: a command, or the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _command_name(argv: Sequence[str]) -> str | None:
    """The first word that is not an option (or the value of --data-dir)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--data-dir":
            skip = True
            continue
        if token.startswith("-"):
            continue
        return token
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from .cli import COMMANDS, run

    if _command_name(argv) in COMMANDS or any(a in ("-h", "--help", "--version") for a in argv):
        return run(argv)
    from .app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
