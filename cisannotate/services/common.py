"""What every service shares: the error type, the cancel signal, the progress callables."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

OnProgress = Callable[[int, int], None]
"""``(done, total)``: how far the work is, for a progress bar."""

IsCancelled = Callable[[], bool]
"""Asked now and then; True stops the work with nothing written."""

StepCheck = Callable[[int, int], bool]
"""The lower layers' single callback: ``(done, total) -> keep going?``."""


class ServiceError(Exception):
    """An operation could not be done and changed nothing; ``str()`` is the message for the user.

    ``names_file``: the message begins with the input file's name already (a front end that
    names the file itself leaves it out).
    """

    def __init__(self, message: str, *, names_file: bool = False) -> None:
        super().__init__(message)
        self.names_file = names_file


class Cancelled(Exception):
    """The cancel check said stop; nothing was written."""


def step_check(on_progress: OnProgress | None, is_cancelled: IsCancelled | None) -> StepCheck | None:
    """The progress and cancel callables as the ``(done, total) -> keep going?`` the io layer takes."""
    if on_progress is None and is_cancelled is None:
        return None

    def step(done: int, total: int) -> bool:
        if on_progress is not None:
            on_progress(done, total)
        return not (is_cancelled is not None and is_cancelled())

    return step


def write_failure(exc: BaseException) -> ServiceError:
    """A failure to write the project (an OSError, or sqlite3.Error for a full disk or a lock) as one message."""
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    elif isinstance(exc, sqlite3.Error):
        reason = str(exc) or type(exc).__name__
    else:
        reason = str(exc)
    error = ServiceError(f"the project could not be written ({reason})")
    error.__cause__ = exc
    return error
