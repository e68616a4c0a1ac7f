"""The article out of a news page: main-content extraction for HTML import.

A saved news page holds far more than the article: navigation ("Home | World | Sport"),
cookie banners, "most read" lists, footers. The stored text of a document never changes
after import, so what import keeps is what gets annotated and counted. By default the
main content is kept, as found by readability-lxml (the Readability algorithm, made for
news pages); what it left out is listed in the import report, line by line, so nothing
goes silently. ``whole_page=True`` keeps every visible line of the page instead.

readability-lxml (and lxml beneath it) is imported on the first HTML import, not when
cisannotate starts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .html_text import html_to_text

# How many dropped lines an import report quotes for one file (the count says the rest).
QUOTED_LINES = 6


@dataclass(frozen=True)
class PageText:
    text: str  # what is stored: the article, or the whole page
    whole_page: bool  # True when the whole page was kept (asked for, or no article found)
    dropped: list[str] = field(default_factory=list)  # visible lines of the page left out, in page order
    reason: str = ""  # why the whole page was kept when it was not asked for

    def report(self, name: str) -> str | None:
        """One line for the import report, or None when nothing needs saying."""
        if self.reason:
            return f"{name}: {self.reason}; the whole page text was kept"
        if not self.dropped:
            return None
        quoted = "; ".join(_shorten(line) for line in self.dropped[:QUOTED_LINES])
        more = f" and {len(self.dropped) - QUOTED_LINES} more" if len(self.dropped) > QUOTED_LINES else ""
        return (f"{name}: kept the article, dropped {len(self.dropped)} lines of the page around it "
                f"({quoted}{more}); import with the whole page to keep them")


def _shorten(line: str, width: int = 48) -> str:
    line = " ".join(line.split())
    return f"“{line if len(line) <= width else line[: width - 1].rstrip() + '…'}”"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def page_text(html: str, *, whole_page: bool = False) -> PageText:
    """The text to store for an HTML page: its article (default) or all its visible text."""
    page = html_to_text(html)
    if whole_page or not page.strip():  # an empty page has nothing to choose from
        return PageText(page, True)
    import logging

    from readability import Document

    # readability logs a traceback of its own when it gives up; the report says it instead.
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    try:
        summary = Document(html).summary(html_partial=True)
    except Exception as exc:  # noqa: BLE001 - whatever the page does to the parser, the page is kept
        return PageText(page, True, reason=f"no article found ({exc})")
    article = html_to_text(summary)
    if not article.strip():
        return PageText(page, True, reason="no article found in the page")
    kept = Counter(_lines(article))
    dropped = []
    for line in _lines(page):
        if kept[line] > 0:
            kept[line] -= 1
        else:
            dropped.append(line)
    return PageText(article, False, dropped)
