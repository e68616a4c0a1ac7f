"""The action icons in ``resources/icons/``, in the variant that reads on the current palette.

Every icon has a light-background file ``name.svg`` and a dark-background file
``name-dark.svg``. ``icon(name)`` picks by the application palette and caches
the result; ``set_icon(action, name)`` also remembers the name on the action,
so ``refresh_icons()`` can swap every such icon when the appearance changes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from ... import paths

ICON_NAMES = (
    "undo", "redo", "mark-claim", "tag-speaker", "link", "suggest", "no-source", "align", "find",
    "find-corpus", "import", "export", "merge", "compare", "agreement", "review", "codebook", "layers",
    "zoom-in", "zoom-out", "shortcuts", "backup",
)
APP_ICON = "cisannotate"
_PROPERTY = "cisannotateIcon"


def icons_dir() -> Path:
    return paths.resources_dir() / "icons"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) has a dark window behind light text."""
    if palette is None:
        if QGuiApplication.instance() is None:
            return False
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def icon_path(name: str, dark: bool) -> Path:
    folder = icons_dir()
    if dark and (folder / f"{name}-dark.svg").is_file():
        return folder / f"{name}-dark.svg"
    return folder / f"{name}.svg"


@lru_cache(maxsize=None)
def _load(name: str, dark: bool) -> QIcon:
    path = icon_path(name, dark)
    return QIcon(str(path)) if path.is_file() else QIcon()


def icon(name: str) -> QIcon:
    """The icon ``name`` for the current palette (an empty icon if its file is missing)."""
    if name not in ICON_NAMES and name != APP_ICON:
        raise KeyError(f"no icon named {name!r}; known: {', '.join(ICON_NAMES)}")
    return _load(name, is_dark())


def app_icon() -> QIcon:
    return _load(APP_ICON, False)


def set_icon(action: QAction, name: str) -> QAction:
    """Give ``action`` the icon ``name`` and keep it in step with later appearance changes."""
    action.setIcon(icon(name))
    action.setProperty(_PROPERTY, name)
    return action


def refresh_icons() -> int:
    """Reload the icon of every action given one by ``set_icon``; returns how many changed."""
    app = QApplication.instance()
    if app is None:
        return 0
    count = 0
    seen: set[int] = set()
    for widget in QApplication.allWidgets():
        owned = widget.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly)
        for action in [*widget.actions(), *owned]:
            name = action.property(_PROPERTY)
            if name and id(action) not in seen:
                seen.add(id(action))
                action.setIcon(icon(str(name)))
                count += 1
    return count


def clear_cache() -> None:
    _load.cache_clear()
