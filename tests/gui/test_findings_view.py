"""The Findings view in the real window: a click on a bar lists its claims and opens the first."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from cisannotate.storage import Store


def open_findings(window, qtbot):
    window.findings.dock.toggleViewAction().trigger()  # View ▸ Findings
    qtbot.waitUntil(lambda: window.findings.view.tabs.count() >= 5)
    return window.findings.view


def click_bar(qtbot, page, patch) -> None:
    """Click the middle of a bar, where the user sees it (matplotlib counts pixels from the bottom)."""
    page.canvas.draw()
    box = patch.get_window_extent()
    ratio = page.canvas.device_pixel_ratio
    x = (box.x0 + box.width / 2) / ratio
    y = page.canvas.height() - (box.y0 + box.height / 2) / ratio
    qtbot.mouseClick(page.canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))


def test_view_menu_opens_findings_and_a_click_opens_the_claims(make_window, sample_project, qtbot):
    window = make_window(sample_project)
    assert not window.findings.dock.isVisible()
    assert window.findings.dock.toggleViewAction() in window.view_menu.actions()
    view = open_findings(window, qtbot)
    assert window.findings.dock.isVisible()
    # The view opens on the event of the article being read, and on the current annotator's layer
    # when there is no reviewed layer (the sample has amira and jonas; the tester has none: the first).
    article = window.workspace.article.document
    assert view.chosen_event == article.event
    assert view.chosen_layer == "amira"

    view.tabs.setCurrentWidget(view.page("fidelity"))
    page = view.page("fidelity")
    qtbot.waitExposed(page.canvas)
    patch, pick = next((p, k) for p, k in page.chart.picks.items()
                       if (k.row, k.column) == ("Meridian Post", "distortion"))
    assert len(pick.claims) == 3
    click_bar(qtbot, page, patch)

    listed = [view.claims.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.claims.count())]
    assert listed == list(pick.claims)
    assert "Meridian Post · distortion: 3 claims" in view.claims_title.text()
    first = window.session.store.span(pick.claims[0])
    qtbot.waitUntil(lambda: window.workspace.current_span == first.id)
    assert window.workspace.article.document_id == first.document_id
    assert window.session.store.document(first.document_id).outlet == "Meridian Post"
    # A claim's link judged a distortion, as the bar says.
    assert "distortion" in {link.relation for link in window.session.store.links_for_span(first.id)}

    # Choosing another claim in the list opens it.
    view.claims.setCurrentRow(2)
    qtbot.mouseClick(view.claims.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.claims.visualItemRect(view.claims.item(2)).center())
    qtbot.waitUntil(lambda: window.workspace.current_span == pick.claims[2])


def test_a_click_on_an_unreported_line_opens_the_transcript_there(make_window, sample_project, qtbot):
    window = make_window(sample_project)
    view = open_findings(window, qtbot)
    page = view.page("coverage")
    view.tabs.setCurrentWidget(page)
    qtbot.waitExposed(page.canvas)
    patch, pick = next((p, k) for p, k in page.chart.picks.items() if not k.claims)
    click_bar(qtbot, page, patch)
    assert "reported by no article" in view.claims_title.text() and view.claims.count() == 0
    pane = window.workspace.pane_of(pick.document_id)
    assert pane is not None
    assert pane.view.selection() == (pick.start, pick.end)
    # The claims of a bar can also be shown by name (the README's picture does this).
    assert view.select("fidelity", "distortion")
    assert view.tabs.currentWidget() is view.page("fidelity") and view.claims.count() == 3
    assert not view.select("fidelity", "no such relation")


def test_layer_and_event_choices_redraw_the_charts(make_window, sample_project, qtbot):
    window = make_window(sample_project)
    view = open_findings(window, qtbot)
    view.layer_box.setCurrentIndex(view.layer_box.findData("jonas"))
    view.layer_box.activated.emit(view.layer_box.currentIndex())
    view.event_box.setCurrentIndex(view.event_box.findData(""))  # whole project
    view.event_box.activated.emit(view.event_box.currentIndex())
    assert view.found.layer == "jonas" and view.found.event is None
    assert [page.chart.key for page in view.pages][-1] == "timeline"  # two events: claims over time
    store = window.session.store
    jonas = store.db.execute(
        "SELECT count(*) FROM spans s JOIN documents d ON d.id = s.document_id "
        "WHERE s.layer = 'jonas' AND d.kind = 'article'").fetchone()[0]
    assert len(view.found.claims) == jonas


def test_annotating_updates_the_open_view(make_window, sample_project, qtbot):
    window = make_window(sample_project, annotator="amira")
    view = open_findings(window, qtbot)
    before = len(view.found.claims)
    article = window.workspace.article
    article.view.select_range(0, 8)
    article.view.setFocus()
    qtbot.keyClick(article.view, Qt.Key.Key_A)  # mark a claim: Accusation
    qtbot.waitUntil(lambda: view.found is not None and len(view.found.claims) == before + 1, timeout=5000)


def test_charts_save_and_copy_from_the_view(make_window, sample_project, qtbot, tmp_path):
    window = make_window(sample_project)
    view = open_findings(window, qtbot)
    page = view.page("modes")
    assert page.save_as(".png", str(tmp_path / "modes")).read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "modes.svg") == page.save_as(".svg", str(tmp_path / "modes.svg"))
    assert (tmp_path / "modes.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")
    qtbot.mouseClick(page.copy_csv, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == page.chart.csv
    assert QApplication.clipboard().text().startswith("outlet,direct quote")


def test_file_menu_writes_the_report(make_window, sample_project, qtbot, tmp_path, monkeypatch):
    window = make_window(sample_project)
    assert window.findings.act_report in window.file_menu.actions()
    out = window.findings.write_report(str(tmp_path / "findings"))
    assert out == tmp_path / "findings.html"
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg ") == 5  # the event being read: no time line
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    assert window.findings.write_report(str(tmp_path / "missing" / "r.html")) is None
    assert warnings and "does not exist" in warnings[0]
    # The window's project is untouched and still open for writing.
    assert not window.session.read_only
    store = Store.open(sample_project, read_only=True)
    assert store.count_spans() == window.session.store.count_spans()
    store.close()


def test_screenshot_with_the_findings_view(sample_project, tmp_path, qapp):
    """`cisannotate screenshot --findings` (the README's picture): the chart and the listed claims are in it."""
    from PySide6.QtGui import QColor, QImage

    from cisannotate.app import screenshot
    from cisannotate.charts.findings import RELATION_COLORS

    out = screenshot(sample_project, tmp_path / "findings.png", document="report_meridian.txt", findings=True)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 860)
    red = QColor(RELATION_COLORS["distortion"])
    lower = [image.pixelColor(x, y) for y in range(430, 860, 3) for x in range(0, 1050, 3)]
    assert sum(abs(c.red() - red.red()) + abs(c.green() - red.green()) + abs(c.blue() - red.blue()) < 12
               for c in lower) > 200  # the distortion segment of the fidelity chart


def test_the_keyboard_reaches_every_bar(make_window, sample_project, qtbot):
    """Arrow keys on a chart move from bar to bar; Enter lists the bar's claims and opens the first."""
    window = make_window(sample_project)
    view = open_findings(window, qtbot)
    page = view.page("modes")
    view.tabs.setCurrentWidget(page)
    page.canvas.setFocus()
    qtbot.waitUntil(page.canvas.hasFocus)
    qtbot.keyClick(page.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(page.canvas, Qt.Key.Key_Right)
    assert page.current == 1
    bar = page.bars[1]
    pick = page.chart.picks[bar]
    assert bar.get_linewidth() == 2.0 and pick.label in page.hint.text()
    qtbot.keyClick(page.canvas, Qt.Key.Key_Left)
    assert page.current == 0 and bar.get_linewidth() != 2.0  # the marker moved on
    qtbot.keyClick(page.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(page.canvas, Qt.Key.Key_Return)
    listed = [view.claims.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.claims.count())]
    assert listed == list(pick.claims)
    qtbot.waitUntil(lambda: window.workspace.current_span == pick.claims[0])
