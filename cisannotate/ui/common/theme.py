"""Light and dark appearances, and the text zoom of the document views.

``apply_appearance(app, mode)`` sets the Fusion style with a palette tuned for
reading highlighted text: ``"light"``, ``"dark"``, or ``"system"``, which
follows ``QStyleHints.colorScheme()`` and switches when the desktop does.

Category highlights are pastel colours painted behind black text. In the dark
palette the text views keep a dark-grey base; the views switch the text of
highlighted spans to a colour that reads on the highlight, and the palette's
own roles (selection, links, placeholder, alternate base for the gutter) are
chosen to stay legible next to those pastels on both bases.

``ZoomController`` keeps one text size for the document views, remembered in
the user's settings under ``view/zoom``.
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

MODES = ("system", "light", "dark")
APPEARANCE_KEY = "view/appearance"
ZOOM_KEY = "view/zoom"

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# role: (active/inactive colour, disabled colour or None for the same)
LIGHT = {
    _Role.Window: ("#f0f0f2", None),
    _Role.WindowText: ("#1c1c1e", "#8e8e93"),
    _Role.Base: ("#ffffff", "#f5f5f5"),
    _Role.AlternateBase: ("#f2f4f7", None),
    _Role.Text: ("#1c1c1e", "#8e8e93"),
    _Role.PlaceholderText: ("#67676c", "#a0a0a5"),
    _Role.Button: ("#e8e8eb", None),
    _Role.ButtonText: ("#1c1c1e", "#8e8e93"),
    _Role.BrightText: ("#ffffff", None),
    _Role.Light: ("#ffffff", None),
    _Role.Midlight: ("#f4f4f6", None),
    _Role.Mid: ("#b8b8be", None),
    _Role.Dark: ("#9a9aa0", None),
    _Role.Shadow: ("#5c5c60", None),
    _Role.Highlight: ("#1f6fb2", "#b8c6d4"),
    _Role.HighlightedText: ("#ffffff", "#f5f5f5"),
    _Role.Accent: ("#1f6fb2", "#b8c6d4"),
    _Role.Link: ("#0b5cad", None),
    _Role.LinkVisited: ("#6a3d9a", None),
    _Role.ToolTipBase: ("#fffbe6", None),
    _Role.ToolTipText: ("#1c1c1e", None),
}

DARK = {
    _Role.Window: ("#2b2b2e", None),
    _Role.WindowText: ("#e8e8ea", "#7c7c82"),
    _Role.Base: ("#1f1f22", "#28282b"),
    _Role.AlternateBase: ("#2a2a2e", None),
    _Role.Text: ("#e8e8ea", "#7c7c82"),
    _Role.PlaceholderText: ("#a4a4ab", "#6c6c72"),
    _Role.Button: ("#38383c", None),
    _Role.ButtonText: ("#e8e8ea", "#7c7c82"),
    _Role.BrightText: ("#ffffff", None),
    _Role.Light: ("#4a4a4f", None),
    _Role.Midlight: ("#3e3e43", None),
    _Role.Mid: ("#303034", None),
    _Role.Dark: ("#1a1a1c", None),
    _Role.Shadow: ("#0e0e10", None),
    _Role.Highlight: ("#2e6cae", "#3a3f46"),
    _Role.HighlightedText: ("#ffffff", "#9a9aa0"),
    _Role.Accent: ("#2e6cae", "#3a3f46"),
    _Role.Link: ("#74b6ef", None),
    _Role.LinkVisited: ("#c3a6e8", None),
    _Role.ToolTipBase: ("#3a3a3f", None),
    _Role.ToolTipText: ("#f0f0f2", None),
}


def make_palette(dark: bool) -> QPalette:
    """The full palette of one appearance: every role in every colour group."""
    palette = QPalette()
    for role, (normal, disabled) in (DARK if dark else LIGHT).items():
        for group in (_Group.Active, _Group.Inactive):
            palette.setColor(group, role, QColor(normal))
        palette.setColor(_Group.Disabled, role, QColor(disabled or normal))
    return palette


def light_palette() -> QPalette:
    return make_palette(False)


def dark_palette() -> QPalette:
    return make_palette(True)


class Appearance(QObject):
    """The appearance in force. ``changed`` carries "light" or "dark" after the palette changed."""

    changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.mode = "system"
        self.scheme = ""  # "light" or "dark" once applied
        self._initial_dark = _palette_is_dark(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def system_is_dark(self, scheme: Qt.ColorScheme | None = None) -> bool:
        scheme = self.app.styleHints().colorScheme() if scheme is None else scheme
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        return self._initial_dark  # the platform does not say: keep what it started with

    def apply(self, mode: str) -> str:
        if mode not in MODES:
            raise ValueError(f"appearance {mode!r}: choose one of {', '.join(MODES)}")
        self.mode = mode
        hints = self.app.styleHints()
        # Tell the platform too, so native title bars and dialogs match (Qt 6.8+).
        if mode == "system":
            if hasattr(hints, "unsetColorScheme"):
                hints.unsetColorScheme()
            dark = self.system_is_dark()
        else:
            dark = mode == "dark"
            if hasattr(hints, "setColorScheme"):
                hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
        self._set(dark)
        return self.scheme

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.mode == "system":
            self._set(self.system_is_dark(scheme))

    def _set(self, dark: bool) -> None:
        style = QStyleFactory.create("Fusion")
        if style is not None and self.app.style().name().lower() != "fusion":
            self.app.setStyle(style)
        self.app.setPalette(make_palette(dark))
        scheme = "dark" if dark else "light"
        changed = scheme != self.scheme
        self.scheme = scheme
        from .icons import refresh_icons

        refresh_icons()
        if changed:
            self.changed.emit(scheme)


_appearance: Appearance | None = None


def _palette_is_dark(palette: QPalette) -> bool:
    return palette.color(_Role.Window).lightness() < palette.color(_Role.WindowText).lightness()


def appearance(app: QApplication | None = None) -> Appearance:
    """The one Appearance of ``app`` (created, in "system" mode but not yet applied, on first use)."""
    global _appearance
    app = app or QApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    if _appearance is None or not shiboken6.isValid(_appearance) or _appearance.app is not app:
        _appearance = Appearance(app)
    return _appearance


def apply_appearance(app: QApplication, mode: str = "system") -> str:
    """Fusion with the light or dark palette; returns the scheme now shown, "light" or "dark"."""
    return appearance(app).apply(mode)


def saved_mode(settings: QSettings) -> str:
    """The appearance the user chose (``view/appearance``), "system" when unset or unknown."""
    value = str(settings.value(APPEARANCE_KEY, "system") or "system")
    return value if value in MODES else "system"


def save_mode(settings: QSettings, mode: str) -> None:
    """Remember the appearance the user chose (read back by ``saved_mode``)."""
    if mode not in MODES:
        raise ValueError(f"appearance {mode!r}: choose one of {', '.join(MODES)}")
    settings.setValue(APPEARANCE_KEY, mode)


# ----------------------------------------------------------------- zoom
ZOOM_SIZES = (7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 22, 24, 28, 32, 36, 42, 48)


class ZoomController(QObject):
    """The point size of the document views, stepped through ``ZOOM_SIZES`` and saved per user.

    ``level`` is the point size. ``apply(widgets)`` sets it on the widgets and
    keeps them: later changes reach them too (widgets deleted since are skipped).
    """

    changed = Signal(int)

    def __init__(self, settings: QSettings, parent: QObject | None = None, *, default: int | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.default = default or self._app_point_size()
        self._widgets: list[QWidget] = []
        self._level = self._clamp(self._saved())

    @staticmethod
    def _app_point_size() -> int:
        size = QGuiApplication.font().pointSize() if QGuiApplication.instance() else -1
        return size if size > 0 else 10

    def _saved(self) -> int:
        value = self.settings.value(ZOOM_KEY)
        try:
            return int(value) if value not in (None, "") else self.default
        except (TypeError, ValueError):
            return self.default

    @staticmethod
    def _clamp(size: int) -> int:
        return max(ZOOM_SIZES[0], min(ZOOM_SIZES[-1], int(size)))

    @property
    def level(self) -> int:
        return self._level

    def set_level(self, size: int) -> None:
        size = self._clamp(size)
        if size == self.default:
            self.settings.remove(ZOOM_KEY)
        else:
            self.settings.setValue(ZOOM_KEY, size)
        if size != self._level:
            self._level = size
            self._apply_to(self._widgets)
            self.changed.emit(size)

    def zoom_in(self) -> int:
        self.set_level(next((s for s in ZOOM_SIZES if s > self._level), ZOOM_SIZES[-1]))
        return self._level

    def zoom_out(self) -> int:
        self.set_level(next((s for s in reversed(ZOOM_SIZES) if s < self._level), ZOOM_SIZES[0]))
        return self._level

    def reset(self) -> int:
        self.set_level(self.default)
        return self._level

    def can_zoom_in(self) -> bool:
        return self._level < ZOOM_SIZES[-1]

    def can_zoom_out(self) -> bool:
        return self._level > ZOOM_SIZES[0]

    def apply(self, widgets: Iterable[QWidget]) -> None:
        """Set the current size on ``widgets`` now and on every later change."""
        widgets = [w for w in widgets if w is not None]
        for widget in widgets:
            if all(widget is not w for w in self._widgets):
                self._widgets.append(widget)
        self._apply_to(widgets)

    def _apply_to(self, widgets: Iterable[QWidget]) -> None:
        self._widgets = [w for w in self._widgets if shiboken6.isValid(w)]
        for widget in widgets:
            if not shiboken6.isValid(widget):
                continue
            font = widget.font()
            if font.pointSize() != self._level:
                font.setPointSize(self._level)
                widget.setFont(font)
