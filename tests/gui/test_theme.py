"""Light and dark appearances, the icon variants that go with them, and the text zoom."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QStyleFactory, QWidget

from cisannotate.core.codebook import DEFAULT_CATEGORIES
from cisannotate.core.colors import contrast_ratio
from cisannotate.ui.common import icons, theme
from cisannotate.ui.document.styles import HIGHLIGHT_ALPHA, PLAIN_SPAN_COLOR, SPEAKER_TAG_COLOR

Role = QPalette.ColorRole


def _hex(color: QColor) -> str:
    return color.name(QColor.NameFormat.HexRgb)


def _over(color: str, alpha: int, base: QColor) -> str:
    """``color`` at ``alpha`` painted over ``base``, as the text views composite highlights."""
    top = QColor(color)
    a = alpha / 255
    mixed = QColor(
        round(top.red() * a + base.red() * (1 - a)),
        round(top.green() * a + base.green() * (1 - a)),
        round(top.blue() * a + base.blue() * (1 - a)),
    )
    return _hex(mixed)


@pytest.fixture
def app(qapp):
    """The application; its style and palette are put back afterwards for the other tests."""
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    yield qapp
    look = theme.appearance(qapp)
    look.mode, look.scheme = "light", ""  # ignore the system from here on
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)
    icons.clear_cache()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


# ------------------------------------------------------------------ palettes
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_palette_roles_are_legible(dark):
    p = theme.make_palette(dark)
    c = lambda role: _hex(p.color(QPalette.ColorGroup.Active, role))  # noqa: E731
    assert contrast_ratio(c(Role.Text), c(Role.Base)) >= 7
    assert contrast_ratio(c(Role.WindowText), c(Role.Window)) >= 7
    assert contrast_ratio(c(Role.ButtonText), c(Role.Button)) >= 7
    assert contrast_ratio(c(Role.HighlightedText), c(Role.Highlight)) >= 4.5
    assert contrast_ratio(c(Role.Link), c(Role.Base)) >= 4.5
    assert contrast_ratio(c(Role.LinkVisited), c(Role.Base)) >= 4.5
    assert contrast_ratio(c(Role.PlaceholderText), c(Role.Base)) >= 4.5
    assert contrast_ratio(c(Role.PlaceholderText), c(Role.AlternateBase)) >= 4.5  # the gutter's numbers
    assert contrast_ratio(c(Role.ToolTipText), c(Role.ToolTipBase)) >= 7
    # The alternate base (gutter, striped rows) is a shade of the base, not a colour of its own.
    assert contrast_ratio(c(Role.AlternateBase), c(Role.Base)) < 1.3
    # The selection must not be mistaken for a pastel category highlight.
    for _name, color, *_ in DEFAULT_CATEGORIES:
        assert contrast_ratio(c(Role.Highlight), color) >= 2
    assert theme._palette_is_dark(p) is dark


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_black_text_reads_on_highlights_over_either_base(dark):
    base = theme.make_palette(dark).color(Role.Base)
    for color in [c[1] for c in DEFAULT_CATEGORIES] + [SPEAKER_TAG_COLOR, PLAIN_SPAN_COLOR]:
        shown = _over(color, HIGHLIGHT_ALPHA, base)
        assert contrast_ratio(shown, "#000000") >= 4.5, (color, shown)


def test_every_group_is_set():
    for dark in (False, True):
        p = theme.make_palette(dark)
        for role in (Role.Text, Role.Base, Role.Highlight, Role.PlaceholderText):
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
                assert p.isBrushSet(group, role)
        assert p.color(QPalette.ColorGroup.Disabled, Role.Text) != p.color(QPalette.ColorGroup.Active, Role.Text)


# ---------------------------------------------------------------- appearance
def test_light_and_dark_modes(app):
    assert theme.apply_appearance(app, "dark") == "dark"
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(Role.Base).lightness() < 60
    assert icons.is_dark()
    assert theme.apply_appearance(app, "light") == "light"
    assert app.palette().color(Role.Base) == QColor("#ffffff")
    assert not icons.is_dark()


def test_unknown_mode_is_refused(app):
    with pytest.raises(ValueError, match="appearance"):
        theme.apply_appearance(app, "sepia")


def test_system_mode_follows_the_color_scheme(app, qtbot):
    look = theme.appearance(app)
    theme.apply_appearance(app, "system")
    hints = app.styleHints()
    with qtbot.waitSignal(look.changed, timeout=1000) as blocker:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark if look.scheme == "light" else Qt.ColorScheme.Light)
    assert blocker.args[0] == look.scheme
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert look.scheme == "dark" and app.palette().color(Role.Window).lightness() < 80
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert look.scheme == "light" and app.palette().color(Role.Window).lightness() > 200


def test_explicit_mode_ignores_the_system(app):
    theme.apply_appearance(app, "light")
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.appearance(app).scheme == "light"
    assert app.palette().color(Role.Base) == QColor("#ffffff")


def test_saved_mode(settings):
    assert theme.saved_mode(settings) == "system"
    settings.setValue(theme.APPEARANCE_KEY, "dark")
    assert theme.saved_mode(settings) == "dark"
    settings.setValue(theme.APPEARANCE_KEY, "purple")
    assert theme.saved_mode(settings) == "system"


# --------------------------------------------------------------------- icons
def test_every_action_icon_exists_in_both_variants(app):
    for name in icons.ICON_NAMES:
        assert icons.icon_path(name, False).is_file(), name
        assert icons.icon_path(name, True).name == f"{name}-dark.svg", name
        assert not icons.icon(name).isNull(), name
        assert not icons.icon(name).pixmap(24, 24).isNull(), name
    assert not icons.app_icon().isNull()


def test_icon_follows_the_palette_and_is_cached(app):
    theme.apply_appearance(app, "light")
    light = icons.icon("undo")
    assert icons.icon("undo").cacheKey() == light.cacheKey()
    theme.apply_appearance(app, "dark")
    dark = icons.icon("undo")
    assert dark.cacheKey() != light.cacheKey()
    # The dark variant is the lighter drawing.
    def ink(i):
        image = i.pixmap(48, 48).toImage()
        return max(image.pixelColor(x, y).lightness() for x in range(48) for y in range(48)
                   if image.pixelColor(x, y).alpha() > 200)
    assert ink(dark) > ink(light)


def test_unknown_icon_name(app):
    with pytest.raises(KeyError, match="no icon named"):
        icons.icon("frobnicate")


def test_set_icon_actions_follow_appearance_changes(app):
    window = QWidget()
    action = QAction("Undo", window)
    window.addAction(action)
    theme.apply_appearance(app, "light")
    icons.set_icon(action, "undo")
    before = action.icon().cacheKey()
    theme.apply_appearance(app, "dark")
    assert action.icon().cacheKey() == icons.icon("undo").cacheKey() != before
    window.deleteLater()


# ---------------------------------------------------------------------- zoom
def test_zoom_steps_saves_and_resets(app, settings, qtbot):
    zoom = theme.ZoomController(settings, default=11)
    assert zoom.level == 11
    views = [QPlainTextEdit(), QPlainTextEdit()]
    for v in views:
        qtbot.addWidget(v)
    zoom.apply(views)
    assert all(v.font().pointSize() == 11 for v in views)
    with qtbot.waitSignal(zoom.changed) as blocker:
        zoom.zoom_in()
    assert blocker.args == [12]
    assert all(v.font().pointSize() == 12 for v in views)
    assert int(settings.value(theme.ZOOM_KEY)) == 12
    zoom.zoom_out()
    zoom.zoom_out()
    assert zoom.level == 10 and views[0].font().pointSize() == 10
    zoom.reset()
    assert zoom.level == 11 and settings.value(theme.ZOOM_KEY) is None


def test_zoom_is_remembered_per_user(app, tmp_path):
    path = str(tmp_path / "user.ini")
    first = QSettings(path, QSettings.Format.IniFormat)
    zoom = theme.ZoomController(first, default=10)
    for _ in range(3):
        zoom.zoom_in()
    first.sync()
    again = theme.ZoomController(QSettings(path, QSettings.Format.IniFormat), default=10)
    assert again.level == zoom.level == 13
    other = theme.ZoomController(QSettings(str(tmp_path / "someone-else.ini"), QSettings.Format.IniFormat), default=10)
    assert other.level == 10


def test_zoom_limits_and_bad_settings(app, settings):
    settings.setValue(theme.ZOOM_KEY, "huge")
    zoom = theme.ZoomController(settings, default=10)
    assert zoom.level == 10
    for _ in range(40):
        zoom.zoom_in()
    assert zoom.level == theme.ZOOM_SIZES[-1] and not zoom.can_zoom_in()
    for _ in range(40):
        zoom.zoom_out()
    assert zoom.level == theme.ZOOM_SIZES[0] and not zoom.can_zoom_out()
    settings.setValue(theme.ZOOM_KEY, 500)
    assert theme.ZoomController(settings, default=10).level == theme.ZOOM_SIZES[-1]


def test_zoom_skips_deleted_widgets(app, settings, qtbot):
    zoom = theme.ZoomController(settings, default=10)
    gone = QPlainTextEdit()
    kept = QPlainTextEdit()
    qtbot.addWidget(kept)
    zoom.apply([gone, kept])
    import shiboken6

    shiboken6.delete(gone)
    zoom.zoom_in()
    assert kept.font().pointSize() == 11


def test_default_size_comes_from_the_application_font(app, settings):
    assert theme.ZoomController(settings).level == max(QApplication.font().pointSize(), theme.ZOOM_SIZES[0])
