"""The Store's codebook (categories, speakers, channels) and review threads (reviews, comments).

A part of ``Store`` (it mixes this in), kept apart so that store.py stays about
documents, spans and links. Every table goes through its column map.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..core.changes import Changes
from ..core.model import Category, Channel, Comment, Review, Speaker, now
from .columns import CATEGORIES, CHANNELS, COMMENTS, REVIEWS, SPEAKERS, ColumnMap

if TYPE_CHECKING:
    from .connection import ProjectDatabase as Database


class CodebookRows:
    db: Database

    def atomic(self) -> AbstractContextManager[None]:  # provided by Store
        raise NotImplementedError

    def ensure_annotator(self, name: str) -> None:  # provided by Store
        raise NotImplementedError

    # ------------------------------------------------------------ the codebook
    def _all(self, table: ColumnMap[Any], order: str) -> Iterator[Any]:
        for row in self.db.execute(f"SELECT {table.select()} FROM {table.table} ORDER BY {order}").fetchall():
            yield table.read(row)

    def _write(self, sql: str, values: list[Any]) -> Changes:
        with self.atomic():
            self.db.execute(sql, values)
        return Changes(codebook=True)

    def _delete(self, table: ColumnMap[Any], item_id: str) -> Changes:
        return self._write(f"DELETE FROM {table.table} WHERE id = ?", [item_id])

    def categories(self) -> list[Category]:
        return list(self._all(CATEGORIES, "position, name"))

    def add_category(self, category: Category) -> Changes:
        return self._write(CATEGORIES.insert(), CATEGORIES.values(category))

    def update_category(self, category: Category) -> Changes:
        return self._write(CATEGORIES.update(), CATEGORIES.values(category)[1:] + [category.id])

    def delete_category(self, category_id: str) -> Changes:
        return self._delete(CATEGORIES, category_id)

    def speakers(self) -> list[Speaker]:
        return list(self._all(SPEAKERS, "name"))

    def add_speaker(self, speaker: Speaker) -> Changes:
        return self._write(SPEAKERS.insert(), SPEAKERS.values(speaker))

    def update_speaker(self, speaker: Speaker) -> Changes:
        return self._write(SPEAKERS.update(), SPEAKERS.values(speaker)[1:] + [speaker.id])

    def delete_speaker(self, speaker_id: str) -> Changes:
        return self._delete(SPEAKERS, speaker_id)

    def channels(self) -> list[Channel]:
        return list(self._all(CHANNELS, "name"))

    def add_channel(self, channel: Channel) -> Changes:
        return self._write(CHANNELS.insert(), CHANNELS.values(channel))

    def update_channel(self, channel: Channel) -> Changes:
        return self._write(CHANNELS.update(), CHANNELS.values(channel)[1:] + [channel.id])

    def delete_channel(self, channel_id: str) -> Changes:
        return self._delete(CHANNELS, channel_id)

    # ------------------------------------------------------- reviews, comments
    def add_review(self, review: Review) -> Changes:
        with self.atomic():
            self.ensure_annotator(review.reviewer)
            self.db.execute(REVIEWS.insert(), REVIEWS.values(review, created=review.created or now()))
        return Changes(reviews={review.id})

    def delete_review(self, review_id: str) -> Changes:
        with self.atomic():
            self.db.execute("DELETE FROM reviews WHERE id = ?", [review_id])
        return Changes(reviews={review_id})

    def reviews(self) -> list[Review]:
        return list(self._all(REVIEWS, "created, id"))

    def add_comment(self, comment: Comment) -> Changes:
        with self.atomic():
            self.ensure_annotator(comment.author)
            self.db.execute(COMMENTS.insert(), COMMENTS.values(comment, created=comment.created or now()))
        return Changes(comments={comment.id})

    def delete_comment(self, comment_id: str) -> Changes:
        with self.atomic():
            self.db.execute("DELETE FROM comments WHERE id = ?", [comment_id])
        return Changes(comments={comment_id})

    def comments(self, target_id: str | None = None) -> list[Comment]:
        where, params = ("", []) if target_id is None else ("WHERE target_id = ?", [target_id])
        cursor = self.db.execute(f"SELECT {COMMENTS.select()} FROM comments {where} ORDER BY created, id", params)
        return [COMMENTS.read(r) for r in cursor.fetchall()]
