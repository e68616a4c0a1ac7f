"""HTML import keeps the article, not the page; what was left out is reported; the whole page on request.

The page is a fictional news page (tests/data/html/harbour_news_page.html) with a cookie
banner, navigation, a search box, a "most read" box and a footer around the article.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from cisannotate.cli import run
from cisannotate.io.article import page_text
from cisannotate.io.importer import prepare_imports
from cisannotate.storage import Store
from cisannotate.services.importing import import_files

PAGE = Path(__file__).resolve().parents[1] / "data" / "html" / "harbour_news_page.html"
FURNITURE = ("Cookie settings", "Home", "World", "Sport", "Subscribe", "Most read", "Ferry timetable",
             "All rights reserved", "Privacy policy", "tracking pixel", "position: fixed")
ARTICLE = ("Port authority promises night crews after flood warnings 🌊",
           "“We are not short of sirens; we are short of hands",
           "A first report on the night shifts is due in the autumn.")


def test_the_article_is_kept_and_the_page_around_it_dropped():
    page = page_text(PAGE.read_text(encoding="utf-8"))
    assert not page.whole_page and not page.reason
    for words in ARTICLE:
        assert words in page.text
    for words in FURNITURE:
        assert words not in page.text
    dropped = "\n".join(page.dropped)
    for words in ("Cookie settings", "Home", "Sport", "Most read", "All rights reserved", "Privacy policy"):
        assert words in dropped
    assert not any(words in dropped for words in ARTICLE)  # nothing of the article is listed as dropped
    note = page.report("page.html")
    assert note.startswith(f"page.html: kept the article, dropped {len(page.dropped)} lines") and "“Home”" in note


def test_whole_page_keeps_every_visible_line_but_never_scripts_or_styles():
    page = page_text(PAGE.read_text(encoding="utf-8"), whole_page=True)
    assert page.whole_page and page.dropped == [] and page.report("x") is None
    for words in ("Cookie settings", "Home", "Most read", "All rights reserved", *ARTICLE):
        assert words in page.text
    assert "tracking pixel" not in page.text and "position: fixed" not in page.text


def test_a_page_that_is_all_furniture_loses_nothing():
    page = page_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert page.text.strip() == "Home" and not page.dropped


def test_when_the_extraction_fails_the_whole_page_is_kept_and_the_report_says_why(monkeypatch):
    import readability

    def broken(self, html_partial=False):
        raise ValueError("parser gave up")

    monkeypatch.setattr(readability.Document, "summary", broken)
    page = page_text(PAGE.read_text(encoding="utf-8"))
    assert page.whole_page and "Cookie settings" in page.text and "Port authority" in page.text
    assert page.report("p.html") == "p.html: no article found (parser gave up); the whole page text was kept"
    assert page_text("<html><body> </body></html>").text.strip() == ""  # empty: nothing to choose from


def test_import_stores_the_article_and_reports_what_was_dropped(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(PAGE, folder / "harbour.html")
    store = Store.memory()
    report = import_files(store, [folder])
    (summary,) = report.added
    text = store.text(summary.id)
    assert text.startswith("Port authority promises night crews after flood warnings 🌊")
    assert "Cookie settings" not in text and "All rights reserved" not in text
    assert summary.title == "Port authority promises night crews after flood warnings 🌊"
    (note,) = report.notes
    assert note.startswith("harbour.html: kept the article, dropped")
    whole = import_files(Store.memory(), [folder], whole_page=True)
    assert whole.notes == []


def test_offsets_in_the_article_count_code_points_past_the_emoji():
    plan = prepare_imports([PAGE])
    text = plan.prepared[0].document.text
    wave = text.index("🌊")
    assert text[wave + 1] == "\n" and len("🌊") == 1  # one code point, whatever UTF-16 makes of it


def test_cli_import_prints_the_note_and_whole_page_keeps_the_page(tmp_path, capsys):
    project = tmp_path / "p.cisannotate"
    assert run(["import", str(project), str(PAGE)]) == 0
    out = capsys.readouterr().out
    assert "harbour_news_page.html: kept the article, dropped" in out
    other = tmp_path / "q.cisannotate"
    assert run(["import", str(other), str(PAGE), "--whole-page"]) == 0
    assert "kept the article" not in capsys.readouterr().out
    store = Store.open(other, create=False, read_only=True)
    (doc,) = store.documents()
    assert "Cookie settings" in store.text(doc.id) and "Privacy policy" in store.text(doc.id)
    store.close()


def test_the_extraction_library_is_not_loaded_by_the_command_line():
    code = "import sys, cisannotate.cli, cisannotate.io.importer; print('readability' in sys.modules, 'lxml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
