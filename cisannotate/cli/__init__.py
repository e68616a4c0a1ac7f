"""The command line: ``cisannotate COMMAND ...``, headless, over the same core as the window.

``main.py`` parses the arguments, runs a command and holds the commands of one
project (new, import, documents, lines, screenshot, export, merge, suggest,
agreement, report); ``search.py``, ``propose.py``, ``team.py`` and ``formats.py``
(other tools' formats) each add their commands' arguments and handlers;
``common.py`` holds what they share (CommandError, opening a project).
"""

from .main import COMMANDS, build_parser, run

__all__ = ["COMMANDS", "build_parser", "run"]
