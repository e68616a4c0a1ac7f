"""How annotations look: category colours with a second, non-colour cue, and
annotator colours for comparing layers."""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor

from ...core.model import Category, Channel, Span, Speaker
from .spans import UNDERLINES, SpanStyle

SPEAKER_TAG_COLOR = "#cfe3f7"
PLAIN_SPAN_COLOR = "#e6e6e6"
# Okabe-Ito, a palette that stays distinguishable with colour-blindness.
ANNOTATOR_COLORS = ("#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#0072b2", "#d55e00", "#f0e442")
HIGHLIGHT_ALPHA = 150


def annotator_color(name: str) -> QColor:
    return QColor(ANNOTATOR_COLORS[zlib.crc32(name.encode()) % len(ANNOTATOR_COLORS)])


class Styler:
    """Turns spans into SpanStyles; rebuilt when the codebook changes."""

    def __init__(self, categories: list[Category], speakers: list[Speaker], channels: list[Channel]) -> None:
        self.categories = {c.id: c for c in categories}
        self.speakers = {s.id: s for s in speakers}
        self.channels = {c.id: c for c in channels}
        self._underline = {c.id: UNDERLINES[i % len(UNDERLINES)] for i, c in enumerate(categories)}
        self.visible_layers: set[str] | None = None  # None: all layers
        self.by_annotator = False
        # One style per look (category, speaker or not, annotator colour): a refresh of the highlights
        # asks for hundreds. The styler is made again when the codebook changes.
        self._styles: dict[tuple, SpanStyle] = {}

    def style(self, span: Span) -> SpanStyle | None:
        if self.visible_layers is not None and span.layer not in self.visible_layers:
            return None
        key = (span.category_id, bool(span.speaker_id), self.by_annotator and span.layer)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self._make_style(span)
        return style

    def _make_style(self, span: Span) -> SpanStyle:
        category = self.categories.get(span.category_id or "")
        if self.by_annotator:
            color = annotator_color(span.layer)
        elif category is not None:
            color = QColor(category.color)
        elif span.speaker_id:
            color = QColor(SPEAKER_TAG_COLOR)
        else:
            color = QColor(PLAIN_SPAN_COLOR)
        color.setAlpha(HIGHLIGHT_ALPHA)
        return SpanStyle(
            background=color,
            underline=self._underline.get(span.category_id or ""),
            underline_color=QColor(category.color).darker(220) if category else None,
            overline=bool(span.speaker_id),
        )

    def describe(self, span: Span) -> str:
        """Rich-text tooltip of a span."""
        import html  # here: the window's start does without it (and its table of entities)

        parts = []
        category = self.categories.get(span.category_id or "")
        if category:
            parts.append(f"<b>{html.escape(category.name)}</b> [{html.escape(category.shortcut)}]")
        if span.speaker_id:
            speaker = self.speakers.get(span.speaker_id)
            who = html.escape(speaker.name) if speaker else "?"
            how = html.escape(span.mode or "mode not set")
            via = self.channels.get(span.channel_id or "")
            parts.append(f"{who} — {how}" + (f", via {html.escape(via.name)}" if via else ""))
        if span.no_source:
            parts.append("<i>no source in the transcript</i>")
        if span.note:
            parts.append("Note: " + html.escape(span.note))
        parts.append(f"<span style='color:gray'>{html.escape(span.layer)}"
                     + (f" (by {html.escape(span.annotator)})" if span.annotator != span.layer else "")
                     + "</span>")
        return "<br>".join(parts)
