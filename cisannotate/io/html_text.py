"""The visible text of an HTML page, with its blocks on lines of their own; nothing fetched.

Used for every HTML import: ``article.py`` keeps the article out of this text,
or all of it when the whole page is asked for.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML page.

    Paragraph-like blocks (p, headings, lists, tables, sections...) are set apart
    by a blank line, line-like ones (li, tr, div, br...) by a newline; where block
    edges meet, the larger break wins rather than adding up.
    """

    _HIDDEN = frozenset(
        {"script", "style", "template", "noscript", "head", "title", "svg", "math",
         "iframe", "object", "canvas", "select", "datalist", "button"}
    )  # fmt: skip
    _PARAGRAPHS = frozenset(
        {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
         "dl", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
         "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section",
         "table", "ul"}
    )  # fmt: skip
    _LINES = frozenset(
        {"body", "caption", "dd", "div", "dt", "figcaption", "html", "legend", "li",
         "summary", "tbody", "tfoot", "thead", "tr"}
    )  # fmt: skip
    _CELLS = frozenset({"td", "th"})
    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden: list[str] = []
        self._pending = 0
        self._pre = 0

    def text(self) -> str:
        return "".join(self.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self._hidden:
            self._hidden.clear()  # "</head>" may be left out
        if tag in self._HIDDEN and tag not in self._VOID:
            self._hidden.append(tag)
            return
        self._edge(tag)
        if tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._edge(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
            return
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in self._CELLS and not self._hidden:
            self.parts.append("\t")
        elif tag != "br":
            self._edge(tag)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if not self._pre:
            data = re.sub(r"[ \t\n\r\f]+", " ", data)
        if data:
            self.parts.append("\n" * self._pending)
            self._pending = 0
            self.parts.append(data)

    def _edge(self, tag: str) -> None:
        if self._hidden:
            return
        if tag == "br":
            self.parts.append("\n" * self._pending + "\n")
            self._pending = 0
        elif tag in self._PARAGRAPHS:
            self._pending = 2
        elif tag in self._LINES:
            self._pending = max(self._pending, 1)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page: blocks on their own lines, nothing fetched.

    Scripts, styles, templates and the head are dropped; images, frames and links
    are not followed. Spaces around line breaks are trimmed and runs of blank lines
    collapse to one.
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", parser.text())
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n \t")
