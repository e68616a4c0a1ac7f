"""The Search panel as a concordance: keys, sorting by a click on a heading, counts, CSV."""

from __future__ import annotations

import csv

from PySide6.QtCore import QPoint, Qt

from cisannotate.core.search_query import WORD


def _rows(search):
    return [tuple(search.results.item(r, c).text() for c in range(4)) for r in range(search.results.rowCount())]


def test_concordance_sorts_counts_and_exports(make_window, corpus_project, qtbot, tmp_path):
    window = make_window(corpus_project)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    search = window.corpus_search
    qtbot.keyClicks(search.query, "revolution*")
    qtbot.keyClick(search.query, Qt.Key.Key_Return)
    rows = _rows(search)
    assert len(rows) == 5 and all(r[1].lower().startswith("revolution") for r in rows)
    assert search.status.text().startswith("5 hits in 5 documents (3 in articles, 2 in transcripts)")
    # The keyword's column is aligned: left context right-aligned, keyword centred.
    assert search.results.item(0, 0).textAlignment() & Qt.AlignmentFlag.AlignRight

    header = search.results.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(2) + 5, 5))
    right_words = [WORD.findall(r[2])[0].lower() for r in _rows(search)]
    assert right_words == sorted(right_words) and len(set(right_words)) > 1

    out = search.export_csv(tmp_path / "kwic.csv")
    with open(out, encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [e["keyword"] for e in exported] == [r[1] for r in _rows(search)]

    # A regular expression, and a query that cannot be read.
    search.regex.setChecked(True)
    search.query.setText(r"colou?r revolutions?")
    assert search.run() == 5
    search.query.setText("(unclosed")
    assert search.run() == 0 and search.status.text().startswith("Cannot search: not a regular expression")


def test_concordance_csv_of_russian_texts_opens_in_excel(make_window, qtbot, tmp_path):
    """Cyrillic hits exported from the window: a byte-order mark, so Excel reads UTF-8."""
    import shutil
    from pathlib import Path

    from cisannotate.storage import Store
    from cisannotate.services.importing import import_files

    data = Path(__file__).resolve().parents[1] / "data" / "ru"
    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(data / "transcript_ru_2.txt", folder / "transcript_ru_2.txt")
    (folder / "manifest.csv").write_text("file,kind,title,event,language\n"
                                         "transcript_ru_2.txt,transcript,Совещание,пожары,ru\n", encoding="utf-8")
    path = tmp_path / "ru.cisannotate"
    store = Store.open(path)
    import_files(store, [folder], manifest=folder / "manifest.csv")
    store.close()
    window = make_window(path)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    search = window.corpus_search
    search.query.setText("посёлк*")  # QTest types ASCII only (qasciikey asserts on Cyrillic)
    qtbot.keyClick(search.query, Qt.Key.Key_Return)
    rows = _rows(search)
    assert rows and all(r[1].lower().startswith("посёлк") for r in rows)
    out = search.export_csv(tmp_path / "kwic.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [e["keyword"] for e in exported] == [r[1] for r in rows]
    assert exported[0]["title"] == "Совещание"
