"""What a feature of the window (linking, review, ...) may ask of the window that hosts it.

A feature module builds its panels and actions through this protocol instead
of reaching into the window's private methods, and names its host by this
type, never by ``MainWindow``: the window imports its features, no feature
imports the window, so there is no circle between them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from ...session import Session
    from ..document.styles import Styler
    from ..document.workspace import Workspace


class FeatureHost(Protocol):
    """The window as its features see it (``MainWindow`` implements it; it is a QMainWindow too)."""

    session: Session
    workspace: Workspace
    styler: Styler

    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, *, scroll: bool = False) -> QDockWidget:
        """A dock panel around ``widget``, named ``title``, placed in ``area``."""
        ...

    def add_action(
        self,
        text: str,
        handler: Callable[[], object],
        keys: str | QKeySequence.StandardKey | None = None,
        *,
        section: str,
        description: str = "",
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    ) -> QAction:
        """An action with its shortcut, listed under ``section`` in the shortcuts table."""
        ...

    def show_status(self, text: str, timeout_ms: int = 4000) -> None:
        """A short message in the status bar."""
        ...

    def open_document(self, document_id: str) -> None:
        """Show a document (an article beside its transcript, or a transcript)."""
        ...

    def project_folder(self) -> Path:
        """Where file choosers start: the project's folder."""
        ...
