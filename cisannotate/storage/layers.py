"""Removing one layer's records, for replacing it with a newer copy of the same layer.

A team member's layer is theirs alone: when a newer version of it arrives, the
copy in this project is replaced whole (inside the caller's transaction), and
the caller reports what changed.
"""

from __future__ import annotations

from .store import Store


def remove_layer(store: Store, layer: str) -> None:
    """Delete the spans and links of ``layer`` (links first: no cascade in the schema)."""
    with store.atomic():
        store.db.execute(
            "DELETE FROM links WHERE layer = ? OR span_id IN (SELECT id FROM spans WHERE layer = ?)",
            [layer, layer],
        )
        store.db.execute("DELETE FROM spans WHERE layer = ?", [layer])


def remove_reviews_and_comments_by(store: Store, name: str) -> None:
    """Delete the review decisions and comments that ``name`` wrote."""
    with store.atomic():
        store.db.execute("DELETE FROM reviews WHERE reviewer = ?", [name])
        store.db.execute("DELETE FROM comments WHERE author = ?", [name])


_CODEBOOK_COLUMNS = {"categories": "category_id", "speakers": "speaker_id", "channels": "channel_id"}


def repoint(store: Store, kind: str, old_id: str, new_id: str) -> None:
    """Move every span tagged with codebook entry ``old_id`` (of ``kind``) onto ``new_id``."""
    column = _CODEBOOK_COLUMNS[kind]
    with store.atomic():
        store.db.execute(f"UPDATE spans SET {column} = ? WHERE {column} = ?", [new_id, old_id])


def in_use(store: Store, kind: str, entry_id: str) -> bool:
    """Whether any span is tagged with codebook entry ``entry_id`` of ``kind``."""
    column = _CODEBOOK_COLUMNS[kind]
    return store.db.execute(f"SELECT 1 FROM spans WHERE {column} = ? LIMIT 1", [entry_id]).fetchone() is not None


def count_spans(store: Store, layers: list[str]) -> int:
    marks = ", ".join("?" for _ in layers)
    return store.db.execute(f"SELECT count(*) FROM spans WHERE layer IN ({marks})", layers).fetchone()[0]
