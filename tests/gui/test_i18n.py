"""The window in Russian: Qt translations chosen by setting, locale or View ▸ Language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMenu

from cisannotate import paths
from cisannotate.ui.common import i18n


@pytest.fixture
def russian(qapp, monkeypatch):
    """The Russian interface for one test, English again afterwards."""
    monkeypatch.delenv(i18n.ENV, raising=False)
    i18n.install(qapp, "ru")
    yield
    i18n.install(qapp, "en")


def menu_texts(window) -> list[str]:
    texts = []
    for action in window.menuBar().actions():
        texts.append(action.text())
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts.extend(a.text() for a in menu.actions() if not a.isSeparator())
    return texts


def test_the_window_speaks_russian(russian, make_window, sample_project: Path) -> None:
    window = make_window(sample_project)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&Файл", "&Правка", "&Разметка", "&Связи", "Пр&оверка", "&Вид", "&Переход",
                      "&Команда", "&Справка"]
    texts = menu_texts(window)
    assert "&Импорт документов…" in texts and "&Экспорт аннотаций…" in texts
    # Nothing in the menus is left in English (category names are the project's own).
    categories = {c.name for c in window.session.store.categories()}
    english = [t for t in texts if t.replace("&", "") not in categories and t.isascii()
               and any(ch.isalpha() for ch in t)]
    assert english == []
    docks = {d.windowTitle() for d in window.findChildren(QDockWidget)}
    assert {"Корпус", "Аннотации", "Источник", "Поиск"} <= docks
    window.statusBar().showMessage("12 annotations · 3 links in view")
    assert window.statusBar().currentMessage() == "аннотаций: 12 · связей на экране: 3"


def test_language_menu_switches_and_is_remembered(russian, make_window, sample_project: Path) -> None:
    window = make_window(sample_project)
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Вид")
    language = next(a.menu() for a in view.actions() if a.menu() is not None and a.text() == "&Язык")
    english = next(a for a in language.actions() if a.data() == "en")
    english.trigger()
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.settings.value(i18n.SETTING) == "en"
    russian_choice = next(a for a in language.actions() if a.data() == "ru")
    russian_choice.trigger()
    assert window.menuBar().actions()[0].text() == "&Файл"
    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    assert settings.value(i18n.SETTING) == "ru"
    assert i18n.chosen_language(settings) == "ru"


def test_language_from_environment_setting_and_locale(monkeypatch, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    monkeypatch.delenv(i18n.ENV, raising=False)
    QLocale.setDefault(QLocale("ru_RU"))
    try:
        assert i18n.chosen_language(settings) == "ru"  # the system's locale
        settings.setValue(i18n.SETTING, "en")
        assert i18n.chosen_language(settings) == "en"  # the setting wins
        monkeypatch.setenv(i18n.ENV, "ru")
        assert i18n.chosen_language(settings) == "ru"  # the environment wins
        QLocale.setDefault(QLocale("de_DE"))
        monkeypatch.delenv(i18n.ENV)
        settings.setValue(i18n.SETTING, "")
        assert i18n.chosen_language(settings) == "en"  # no German interface: English
    finally:
        QLocale.setDefault(QLocale("en_US"))


def test_catalogue_without_compiled_file_is_read_directly(qapp, tmp_path: Path, monkeypatch) -> None:
    source = paths.resources_dir() / "i18n" / "cisannotate_ru.ts"
    folder = tmp_path / "i18n"
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    monkeypatch.setattr(i18n, "catalogue_dir", lambda: folder)
    try:
        i18n.install(qapp, "ru")
        assert any(isinstance(t, i18n.TsTranslator) for t in i18n._translator.installed)
        assert i18n.tr("&File") == "&Файл"
        assert i18n.translate_text("Transcript · Ministry · 2024-10-17 · 64 source lines · a.txt") == (
            "Стенограмма · Ministry · 2024-10-17 · строк-источников: 64 · a.txt")
        assert i18n.translate_text("Annotator: Анна") == "Аннотатор: Анна"
        assert i18n.translate_text("Radio Estra") == "Radio Estra"
    finally:
        i18n.install(qapp, "en")
    assert i18n.tr("&File") == "&File"


def test_every_text_of_the_window_has_a_russian_translation(qapp) -> None:
    from cisannotate.i18n_update import known_sources, window_texts

    done = i18n.read_ts(paths.resources_dir() / "i18n" / "cisannotate_ru.ts")
    missing = sorted(t for t in window_texts(known_sources()) if (i18n.CONTEXT, t) not in done)
    assert missing == []


def test_a_broken_catalogue_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "x.ts"
    broken.write_text("<TS><context>", encoding="utf-8")
    with pytest.raises(ValueError, match="x.ts: not a readable Qt translation file"):
        i18n.read_ts(broken)


def test_column_headings_of_models_are_translated(russian, make_window, sample_project: Path) -> None:
    window = make_window(sample_project)
    model = window.annotations.view.model()
    headings = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headings
    assert all(not h.isascii() or not any(ch.isalpha() for ch in h) for h in headings), headings
    assert QApplication.instance() is not None


def test_texts_made_while_working_are_translated(russian, make_window, sample_project: Path) -> None:
    """The cells, suggestion lines, review progress and source panel that change on screen speak Russian too."""
    from cisannotate.adjudication import ReviewProgress
    from cisannotate.ui.panels.annotation_rows import COL_MODE, COL_TYPE
    from cisannotate.ui.common.i18n import translate_text, trf

    window = make_window(sample_project)
    model = window.annotations.view.model()
    cells = {model.index(row, column).data() for row in range(min(model.rowCount(), 20))
             for column in (COL_TYPE, COL_MODE)}
    assert "прямая цитата" in cells and "direct quote" not in cells, cells
    assert not any(c and c.startswith("Claim") for c in cells), cells
    assert trf("line %1", 56) == "строка 56"
    progress = ReviewProgress(12, 0, 33, 0).text
    assert translate_text(progress) == "Расхождения: решено 0 из 12 · совпадения: решено 0 из 33"
    window.linking.panel.show_nothing()
    assert window.linking.panel.heading.text().startswith("Выберите утверждение")


def test_texts_set_while_the_window_is_open_are_translated_before_they_are_drawn(
        russian, make_window, sample_project: Path) -> None:
    window = make_window(sample_project)
    store = window.session.store
    window.open_document(store.resolve_document("report_meridian.txt").id)  # after the window is shown
    window.grab()  # drawn
    facts = [label.text() for label in window.workspace.findChildren(QLabel) if "Meridian Post" in label.text()]
    assert facts and all(text.startswith("Статья · Meridian Post") for text in facts), facts
    counts = [label.text() for label in window.statusBar().findChildren(QLabel) if "14" in label.text()
              or "28" in label.text()]
    assert counts and all("annotations" not in text for text in counts), counts


def test_the_findings_dock_and_its_charts_speak_russian(russian, make_window, sample_project: Path) -> None:
    from matplotlib.text import Text

    window = make_window(sample_project)
    window.open_document(window.session.store.resolve_document("report_meridian.txt").id)
    window.findings.show()
    view = window.findings.view
    window.grab()
    tabs = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert tabs[:5] == ["Охват", "Точность", "Атрибуция", "Каналы", "Категории"], tabs
    page = view.page("fidelity")
    words = {artist.get_text() for artist in page.chart.figure.findobj(Text)}
    assert "Точность по изданиям" in words and "искажение" in words and "distortion" not in words
    assert "доля утверждений издания (%)" in words
    assert view.layer_box.currentText().endswith("(аннотаций: 44)")
    assert view.select("fidelity", "distortion")
    window.grab()
    assert page.save_png.text() == "Сохранить PNG…" and page.copy_csv.text() == "Копировать данные (CSV)"
    assert view.claims_title.text() == "Meridian Post · искажение — утверждений: 3"
    assert view.summary.text().startswith("утверждений: ")


def test_what_a_bar_stands_for_is_said_in_russian(russian, qapp) -> None:
    from cisannotate.ui.common.i18n import translate_text

    assert translate_text("Line 12: 2 articles · strongest: close paraphrase") == (
        "Строка 12 — статей: 2 · самое точное отношение: близкий пересказ")
    assert translate_text("Line 7: reported by no article") == "Строка 7: не отражена ни в одной статье"
    assert translate_text("Nordlight · verbatim: 1 claim") == "Nordlight · дословно — утверждений: 1"
    assert translate_text("Annotator: Anna") == "Аннотатор: Anna"  # names stay


def test_the_walk_throughs_speak_russian(russian, make_window, sample_project: Path, qtbot) -> None:
    from cisannotate.ui.dialogs.align_dialog import AlignDialog
    from cisannotate.ui.dialogs.propose_dialog import ProposeDialog

    window = make_window(sample_project)
    article = window.session.store.resolve_document("report_meridian.txt").id
    window.open_document(article)
    dialog = ProposeDialog(window.linking, article, window)
    dialog.show()
    dialog.grab()
    assert dialog.position.text().startswith("Предложение 1 из ")
    assert dialog.details.text().startswith("косвенная речь · ") and dialog.details.text().endswith("ещё не решено")
    assert dialog.list.item(1).text().startswith("2. прямая цитата · Ilse Marrow через Nordlight")
    dialog.close()
    align = AlignDialog(window.linking, article, window)
    align.show()
    qtbot.waitUntil(lambda: not align.waiting, timeout=20000)  # the index is built in the background
    align.grab()
    assert align.state.text() == "Ещё не решено"
    last = align.choices.item(align.choices.count() - 1).text()
    assert last == "В стенограмме источника нет (N)"
    assert all("line" not in align.choices.item(i).text().split("\n")[0] for i in range(align.choices.count()))
    align.close()


def test_widgets_shown_after_switching_to_russian_are_translated(qapp, qtbot, monkeypatch) -> None:
    """The filter that translates widgets as they are shown runs only while a translation is in use."""
    from PySide6.QtWidgets import QLabel

    monkeypatch.delenv(i18n.ENV, raising=False)
    i18n.install(qapp, "en")
    assert not i18n._translator.filtering  # English: no event of the application goes through it
    before = QLabel("Annotations")
    qtbot.addWidget(before)
    before.show()
    assert before.text() == "Annotations"
    try:
        i18n.install(qapp, "ru")
        assert i18n._translator.filtering
        label = QLabel("Annotations")
        qtbot.addWidget(label)
        label.show()
        assert label.text() == "Аннотации"
    finally:
        i18n.install(qapp, "en")
    assert not i18n._translator.filtering
    after = QLabel("Annotations")
    qtbot.addWidget(after)
    after.show()
    assert after.text() == "Annotations"
