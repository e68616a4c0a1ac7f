"""The errors a project file can raise; each message names the file and says what to do."""

from __future__ import annotations


class ProjectError(Exception):
    """A project file that cannot be opened; the message names the file and the problem."""


class ProjectLocked(ProjectError):
    """The project is already open for editing elsewhere.

    Two writers would each keep their own undo history and overwrite each
    other's view of the file, so the second one is refused; it may open the
    project read-only instead.
    """
