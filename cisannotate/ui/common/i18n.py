"""The window's language: Qt translations (English and Russian) chosen by the system
locale or by View ▸ Language, remembered in the settings.

The catalogues are Qt Linguist files, ``resources/i18n/cisannotate_<lang>.ts``,
compiled to ``.qm`` at build time (``make translations`` runs pyside6-lrelease
from PySide6-Essentials); a checkout without the compiled file reads the ``.ts``
itself, so the window speaks the language either way.

Texts are translated by their English source text in one context,
``cisannotate``: once a window (or a dialog, or a menu) is about to be shown, the
texts of its actions, menus, dock titles, labels, buttons, group boxes, tabs,
tool tips and place-holders are looked up and replaced, and the English source
is kept on each object, so switching back is immediate. Status-bar messages are
translated as they are shown. Texts built at run time from data (document titles,
category names, counts) are not in the catalogue and stay as they are; so do the
project's own texts.

``CISANNOTATE_LANGUAGE`` (``en``, ``ru`` or ``system``) overrides the setting,
for screenshots and tests.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTranslator,
)
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QTreeWidget,
    QWidget,
)

from ... import paths

CONTEXT = "cisannotate"
SETTING = "ui/language"
ENV = "CISANNOTATE_LANGUAGE"
# Interface languages: code -> its name in itself (shown in the menu).
LANGUAGES = {"en": "English", "ru": "Русский"}
_SOURCE = "i18n_source"  # dynamic property holding an object's English text


def catalogue_dir() -> Path:
    return paths.resources_dir() / "i18n"


def chosen_language(settings=None) -> str:
    """"en" or "ru": the environment, then the setting, then the system locale."""
    choice = (os.environ.get(ENV) or "").strip().lower()
    if not choice and settings is not None:
        choice = str(settings.value(SETTING, "") or "").strip().lower()
    if choice in LANGUAGES:
        return choice
    system = QLocale().name().split("_")[0].lower()  # the system's, unless set otherwise
    return system if system in LANGUAGES else "en"


class TsTranslator(QTranslator):
    """A translator reading a Qt Linguist ``.ts`` file directly (when no ``.qm`` is built)."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.messages = read_ts(path)

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102
        return self.messages.get((context, source_text))  # None: not here, ask the next one

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return not self.messages


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation of the finished messages of a ``.ts`` file."""
    import xml.etree.ElementTree as ET  # here: a window in English reads no catalogue

    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ValueError(f"{path}: not a readable Qt translation file ({exc})") from exc
    messages = {}
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source")
            node = message.find("translation")
            if source is None or node is None or node.get("type") in ("unfinished", "obsolete"):
                continue
            if node.text:
                messages[(name, source)] = node.text
    return messages


class _Translator(QObject):
    """Loads the catalogues and translates every window as it is shown."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.language = "en"
        self.installed: list[QTranslator] = []
        # Watches every event of the application while a translation is in use; in English
        # it is not installed, so no event of the window's start crosses into Python for it.
        self.filtering = False

    def load(self, language: str) -> None:
        for translator in self.installed:
            self.app.removeTranslator(translator)
        self.installed = []
        self.language = language if language in LANGUAGES else "en"
        if self.filtering != (self.language != "en"):
            self.filtering = self.language != "en"
            (self.app.installEventFilter if self.filtering else self.app.removeEventFilter)(self)
        if self.language == "en":
            return
        qt_own = QTranslator(self)  # Qt's standard buttons and dialogs
        if qt_own.load(f"qtbase_{self.language}",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            self.installed.append(qt_own)
        compiled = catalogue_dir() / f"cisannotate_{self.language}.qm"
        source = catalogue_dir() / f"cisannotate_{self.language}.ts"
        ours = QTranslator(self)
        if compiled.is_file() and (not source.is_file()
                                   or compiled.stat().st_mtime >= source.stat().st_mtime) \
                and ours.load(str(compiled)):
            self.installed.append(ours)
        elif source.is_file():
            self.installed.append(TsTranslator(source, self))
        for translator in self.installed:
            self.app.installTranslator(translator)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # In English there is nothing to do (switching back retranslates the open windows).
        # A window is translated whole; a widget shown later inside one (a row's button,
        # a panel filled in on demand) by itself.
        if self.language != "en" and isinstance(obj, QWidget):
            kind = event.type()
            if kind == QEvent.Type.Show:
                if obj.isWindow():
                    translate_tree(obj)
                else:
                    translate_widget(obj)
            elif kind == QEvent.Type.Paint and isinstance(obj, _SET_LATER):
                # A text the program sets while the window is open (a document's line of
                # facts, counts, a combo box filled on demand) is translated before it is drawn.
                translate_widget(obj)
        return False


# Widgets whose texts the program may change while they are shown.
_SET_LATER = (QLabel, QAbstractButton, QComboBox, QTabBar)
_translator: _Translator | None = None


def install(app: QApplication, language: str) -> str:
    """Use ``language`` in every window shown from now on; returns the language used."""
    global _translator
    if _translator is None:
        _translator = _Translator(app)
    _translator.load(language)
    return _translator.language


def current_language() -> str:
    return _translator.language if _translator is not None else "en"


_recorder: set[str] | None = None


def install_recorder(texts: set[str] | None) -> None:
    """Collect every text looked up from now on into ``texts`` (None stops); for cisannotate.i18n_update."""
    global _recorder
    _recorder = texts


def tr(text: str) -> str:
    """``text`` in the interface language (itself where there is no translation)."""
    if _recorder is not None and text:
        _recorder.add(text)
    return QCoreApplication.translate(CONTEXT, text) if text else text


def trf(template: str, *values: object) -> str:
    """``template`` translated, then its ``%1``, ``%2``... filled with ``values``."""
    text = tr(template)
    for i, value in reversed(list(enumerate(values, start=1))):
        text = text.replace(f"%{i}", str(value))
    return text


def via_label(language: str) -> str:
    """How a candidate reached through the bridge says so: "via the English version"."""
    if language == "en":
        return tr("via the English version")
    if language == "ru":
        return tr("via the Russian version")
    return trf("via the version in %1", language)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _known(source: str) -> str | None:
    """The translation of a catalogue entry, or None (recorded as seen when found)."""
    translated = QCoreApplication.translate(CONTEXT, source)
    if translated == source:
        return None
    if _recorder is not None:
        _recorder.add(source)
    return translated


def translate_text(text: str, piece: bool = False) -> str:
    """``text`` translated whole, or as a template, or piece by piece.

    Texts made at run time are found through catalogue entries with ``%1``, ``%2``
    for their numbers ("%1 annotations · %2 links in view"), through their parts
    between " · " ("Article · Radio Estra · 2024-10-17"), or through a label before
    ": " ("Annotator: Anna"); parts without an entry (names, dates, files) stay.
    """
    if not text:
        return text
    whole = _known(text) if piece else tr(text)
    if whole is not None and whole != text:
        return whole
    numbers = _NUMBER.findall(text)
    if numbers:
        parts = _NUMBER.split(text)
        template = parts[0] + "".join(f"%{i}{rest}" for i, rest in enumerate(parts[1:], start=1))
        translated = _known(template)
        if translated is not None:
            for i, number in reversed(list(enumerate(numbers, start=1))):
                translated = translated.replace(f"%{i}", number)
            return translated
    for joint in (" · ", " — "):
        if joint in text:
            pieces = text.split(joint)
            done = [translate_text(part, piece=True) for part in pieces]
            if done != pieces:
                return joint.join(done)
    label, colon, rest = text.partition(": ")
    if colon and rest and len(label) < 40:
        translated = _known(label + ":")
        if translated is not None:
            return f"{translated} {translate_text(rest, piece=True)}"
        # "distortion: 3 claims": a value's name, then what is counted under it.
        name, counted = _known(label), translate_text(rest, piece=True)
        if name is not None or counted != rest:
            # (a translated count may have a colon of its own: "утверждений: 3")
            return f"{name or label}{' —' if counted != rest else ':'} {counted}"
    return text


def translate_figure(figure) -> None:
    """The texts of a matplotlib figure (titles, notes, axis labels, legend) in the
    interface language, as ``translate_text`` finds them; names from the data stay."""
    if current_language() == "en":
        return
    from matplotlib.text import Text

    for artist in figure.findobj(Text):
        source = artist.get_text()
        if source and any(ch.isalpha() for ch in source):
            translated = translate_text(source, piece=True)
            if translated != source:
                artist.set_text(translated)


def _swap(obj: QObject, key: str, getter, setter) -> None:
    """Translate one text property of ``obj`` from its remembered English source."""
    source = obj.property(f"{_SOURCE}_{key}")
    shown = obj.property(f"{_SOURCE}_{key}_shown")
    current = getter()
    if source is None or current not in (source, shown):
        source = current  # first time, or the program has set a new text since
        obj.setProperty(f"{_SOURCE}_{key}", source)
    if not source:
        return
    translated = translate_text(source)
    obj.setProperty(f"{_SOURCE}_{key}_shown", translated)
    if translated != current:
        setter(translated)


def _translate_action(action: QAction) -> None:
    _swap(action, "text", action.text, action.setText)
    _swap(action, "tip", action.toolTip, action.setToolTip)
    _swap(action, "status", action.statusTip, action.setStatusTip)
    menu = action.menu()
    if isinstance(menu, QMenu):
        _swap(menu, "title", menu.title, menu.setTitle)


def translate_tree(root: QWidget) -> None:
    """Translate the texts of ``root`` and everything inside it."""
    for widget in [root, *root.findChildren(QWidget)]:
        translate_widget(widget)


def translate_widget(widget: QWidget) -> None:
    """Translate the texts of one widget (not of the widgets inside it)."""
    _swap(widget, "window", widget.windowTitle, widget.setWindowTitle)
    _swap(widget, "tooltip", widget.toolTip, widget.setToolTip)
    for action in widget.actions():
        _translate_action(action)
    if isinstance(widget, QMenu):
        _swap(widget, "title", widget.title, widget.setTitle)
        _translate_action(widget.menuAction())
    if isinstance(widget, QDockWidget):
        _translate_action(widget.toggleViewAction())
    if isinstance(widget, QMessageBox):
        _swap(widget, "text", widget.text, widget.setText)
        _swap(widget, "info", widget.informativeText, widget.setInformativeText)
    elif isinstance(widget, QLabel):
        _swap(widget, "text", widget.text, widget.setText)
    elif isinstance(widget, QAbstractButton):
        _swap(widget, "text", widget.text, widget.setText)
    elif isinstance(widget, QGroupBox):
        _swap(widget, "title", widget.title, widget.setTitle)
    elif isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)):
        _swap(widget, "placeholder", widget.placeholderText, widget.setPlaceholderText)
    elif isinstance(widget, QComboBox) and not widget.isEditable():
        # (an editable box's text is what the user typed: the program reads it back)
        for i in range(widget.count()):
            _swap(widget, f"item{i}", lambda w=widget, i=i: w.itemText(i),
                  lambda text, w=widget, i=i: w.setItemText(i, text))
    elif isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
        _translate_headers(widget.model())
        if isinstance(widget, QTreeWidget):
            _translate_items(widget)
    elif isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            _swap(widget.widget(i), "tab", lambda w=widget, i=i: w.tabText(i),
                  lambda text, w=widget, i=i: w.setTabText(i, text))
    elif isinstance(widget, QTabBar) and isinstance(widget.parent(), QTabWidget):
        translate_widget(widget.parent())  # tabs added while the window is open
    if isinstance(widget, QMainWindow) and not widget.property("i18n_status"):
        widget.setProperty("i18n_status", True)
        bar = widget.statusBar()
        bar.messageChanged.connect(lambda message, bar=bar: _translate_status(bar, message))


def _translate_headers(model: QAbstractItemModel) -> None:
    """Column headings: set on the model where it takes them (item widgets, standard models)."""
    horizontal = Qt.Orientation.Horizontal
    display = Qt.ItemDataRole.DisplayRole
    columns = model.columnCount(QModelIndex())
    for column in range(columns):
        value = model.headerData(column, horizontal, display)
        if not isinstance(value, str):
            continue
        key = f"{_SOURCE}_header{column}"
        source, shown = model.property(key), model.property(f"{key}_shown")
        if source is None or value not in (source, shown):
            source = value
            model.setProperty(key, source)
        translated = translate_text(source)
        model.setProperty(f"{key}_shown", translated)
        if translated != value:
            # Models with headings fixed in code refuse this; they call tr() themselves.
            model.setHeaderData(column, horizontal, translated, display)


def _translate_items(tree: QTreeWidget) -> None:
    """Fixed texts in a tree's cells (a list of actions, say): those with an entry only."""
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while items:
        item = items.pop()
        items.extend(item.child(i) for i in range(item.childCount()))
        for column in range(tree.columnCount()):
            text = item.text(column)
            translated = _known(text) if text else None
            if translated is not None:
                item.setText(column, translated)


def _translate_status(bar, message: str) -> None:
    translated = translate_text(message)
    if message and translated != message:
        bar.showMessage(translated, 0)


def language_menu(parent: QWidget, settings) -> QMenu:
    """View ▸ Language: System / English / Русский, remembered in ``settings``."""
    menu = QMenu("&Language", parent)
    group = QActionGroup(menu)
    saved = str(settings.value(SETTING, "") or "")
    for code, label in (("system", "System language"), *LANGUAGES.items()):
        action = QAction(label, menu, checkable=True)
        action.setData(code)
        action.setChecked(code == (saved or "system"))
        group.addAction(action)
        menu.addAction(action)
    group.triggered.connect(lambda action: _choose(parent, settings, str(action.data())))
    return menu


def _choose(window: QWidget, settings, code: str) -> None:
    settings.setValue(SETTING, "" if code == "system" else code)
    app = QApplication.instance()
    if app is None:
        return
    if code == "system":
        code = chosen_language(None) if not os.environ.get(ENV) else os.environ[ENV]
    install(app, code)
    for widget in app.topLevelWidgets():
        translate_tree(widget)
