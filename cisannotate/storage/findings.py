"""What the findings read from a project: claims, their links and the transcripts' lines.

The SQL of the Findings view and the report lives here; ``cisannotate.findings``
turns these rows into figures without SQL or Qt. Every query reads one layer
(an annotator's or the reviewed layer) and, optionally, one event.

Offsets are code points, end exclusive. Wording is cut in Python from the
cached text (``Store.text``): ``substr`` in SQL would read a whole transcript
for every line and link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.model import ARTICLE, TRANSCRIPT
from .store import Store


@dataclass(frozen=True)
class ClaimRow:
    """One span of an article in the layer, with the names of its labels."""

    span_id: str
    document_id: str
    title: str
    source_file: str
    outlet: str
    date: str
    event: str
    start: int
    end: int
    quote: str
    category: str | None
    category_color: str | None
    speaker: str | None
    mode: str | None
    channel: str | None
    no_source: bool


@dataclass(frozen=True)
class LinkRow:
    """One link of a claim in the layer, with the source line it reaches (one row per line)."""

    link_id: str
    span_id: str
    relation: str
    transcript_id: str
    start: int
    end: int
    line: int | None  # a source line the link reaches; None when it reaches none


@dataclass(frozen=True)
class LineRow:
    """One source line of a transcript (its wording is cut from Store.text, cached per transcript)."""

    transcript_id: str
    title: str
    number: int
    start: int
    end: int


@dataclass(frozen=True)
class EventRow:
    """An event of the project: its name, first date and number of articles and transcripts."""

    event: str
    date: str
    articles: int
    transcripts: int


def _event_clause(event: str | None, column: str = "d.event") -> tuple[str, list[Any]]:
    return ("", []) if event is None else (f" AND {column} = ?", [event])


def claim_rows(store: Store, layer: str, event: str | None = None) -> list[ClaimRow]:
    """The layer's spans in articles (of ``event`` when given), in document and position order."""
    clause, params = _event_clause(event)
    rows = store.db.execute(
        "SELECT s.id, s.document_id, d.title, d.source_file, d.outlet, d.date, d.event, s.char_start, "
        "s.char_end, s.quote, c.name, c.color, sp.name, s.mode, ch.name, s.no_source "
        "FROM spans s JOIN documents d ON d.id = s.document_id "
        "LEFT JOIN categories c ON c.id = s.category_id "
        "LEFT JOIN speakers sp ON sp.id = s.speaker_id "
        "LEFT JOIN channels ch ON ch.id = s.channel_id "
        f"WHERE s.layer = ? AND d.kind = ?{clause} "
        "ORDER BY d.event, d.date, d.title, d.id, s.char_start, s.char_end, s.id",
        [layer, ARTICLE, *params],
    ).fetchall()
    return [
        ClaimRow(*row[:15], no_source=bool(row[15]))  # type: ignore[misc]
        for row in rows
    ]


def link_rows(store: Store, layer: str, event: str | None = None) -> list[LinkRow]:
    """The layer's links from articles (of ``event``), one row per source line each reaches."""
    clause, params = _event_clause(event)
    rows = store.db.execute(
        # The longest line of each transcript bounds the range search on line starts
        # (as Store.coverage does), so a link does not scan half a long transcript.
        "WITH longest AS (SELECT document_id, max(char_end - char_start) AS n FROM source_lines "
        "GROUP BY document_id) "
        "SELECT k.id, k.span_id, k.relation, k.target_document_id, k.char_start, k.char_end, l.number "
        "FROM links k JOIN spans s ON s.id = k.span_id JOIN documents d ON d.id = s.document_id "
        "LEFT JOIN longest g ON g.document_id = k.target_document_id "
        "LEFT JOIN source_lines l ON l.document_id = k.target_document_id "
        "AND l.char_start < k.char_end AND l.char_end > k.char_start AND l.char_start >= k.char_start - g.n "
        f"WHERE k.layer = ? AND s.layer = ? AND d.kind = ?{clause} "
        "ORDER BY s.document_id, s.char_start, k.char_start, k.id, l.number",
        [layer, layer, ARTICLE, *params],
    ).fetchall()
    return [LinkRow(*row) for row in rows]


def transcript_lines(store: Store, event: str | None = None) -> list[LineRow]:
    """The source lines of the transcripts (of ``event``), transcript by transcript."""
    clause, params = _event_clause(event)
    rows = store.db.execute(
        "SELECT d.id, d.title, l.number, l.char_start, l.char_end "
        "FROM source_lines l JOIN documents d ON d.id = l.document_id "
        f"WHERE d.kind = ?{clause} ORDER BY d.event, d.date, d.title, d.id, l.number",
        [TRANSCRIPT, *params],
    ).fetchall()
    return [LineRow(*row) for row in rows]


def linked_transcripts(store: Store, layer: str, event: str) -> list[str]:
    """Transcripts outside ``event`` that the event's articles link to in the layer."""
    return [
        row[0]
        for row in store.db.execute(
            "SELECT DISTINCT k.target_document_id FROM links k JOIN spans s ON s.id = k.span_id "
            "JOIN documents d ON d.id = s.document_id JOIN documents t ON t.id = k.target_document_id "
            "WHERE k.layer = ? AND d.event = ? AND t.event != ? ORDER BY 1",
            [layer, event, event],
        ).fetchall()
    ]


def transcript_lines_of(store: Store, transcript_ids: list[str]) -> list[LineRow]:
    """The source lines of the given transcripts."""
    if not transcript_ids:
        return []
    rows = store.db.execute(
        "SELECT d.id, d.title, l.number, l.char_start, l.char_end "
        "FROM source_lines l JOIN documents d ON d.id = l.document_id "
        f"WHERE d.id IN ({', '.join('?' * len(transcript_ids))}) ORDER BY d.title, d.id, l.number",
        transcript_ids,
    ).fetchall()
    return [LineRow(*row) for row in rows]


def events(store: Store) -> list[EventRow]:
    """Every named event, by date then name."""
    return [
        EventRow(*row)
        for row in store.db.execute(
            "SELECT event, min(date), sum(kind = ?), sum(kind = ?) FROM documents WHERE event != '' "
            "GROUP BY event ORDER BY min(date), event",
            [ARTICLE, TRANSCRIPT],
        ).fetchall()
    ]


def layer_counts(store: Store) -> dict[str, int]:
    """How many spans each layer holds (the layers a findings view can read)."""
    return {
        row[0]: row[1]
        for row in store.db.execute("SELECT layer, count(*) FROM spans GROUP BY layer ORDER BY layer").fetchall()
    }
