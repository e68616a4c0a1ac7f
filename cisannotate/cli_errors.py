"""The error every command-line handler raises for a problem to report (stderr, exit status 1).

Its own module, so that command modules beside ``cli.py`` import it without importing
``cli``, which imports them.
"""


class CommandError(Exception):
    """A problem to report to the user (stderr, exit status 1)."""
