"""Primitive edits of a project, each with an exact inverse.

An undoable action is a sequence of these operations applied in one
transaction; undo applies their inverses in reverse order. Deleting a span
lists the deletion of each of its links first: the schema has no ON DELETE
CASCADE, so a forgotten link makes the delete fail loudly instead of losing
the link for good, and undo brings every link back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..core.changes import Changes
from ..core.model import Category, Channel, Comment, Link, Review, Span, Speaker
from ..storage import Store


@dataclass(frozen=True)
class AddSpan:
    span: Span

    def apply(self, store: Store) -> Changes:
        return store.add_span(self.span)

    def inverse(self) -> "Op":
        return DeleteSpan(self.span)


@dataclass(frozen=True)
class DeleteSpan:
    span: Span

    def apply(self, store: Store) -> Changes:
        return store.delete_span(self.span.id)

    def inverse(self) -> "Op":
        return AddSpan(self.span)


@dataclass(frozen=True)
class UpdateSpan:
    old: Span
    new: Span

    def apply(self, store: Store) -> Changes:
        return store.update_span(self.new)

    def inverse(self) -> "Op":
        return UpdateSpan(self.new, self.old)


@dataclass(frozen=True)
class AddLink:
    link: Link

    def apply(self, store: Store) -> Changes:
        return store.add_link(self.link)

    def inverse(self) -> "Op":
        return DeleteLink(self.link)


@dataclass(frozen=True)
class DeleteLink:
    link: Link

    def apply(self, store: Store) -> Changes:
        return store.delete_link(self.link.id)

    def inverse(self) -> "Op":
        return AddLink(self.link)


@dataclass(frozen=True)
class UpdateLink:
    old: Link
    new: Link

    def apply(self, store: Store) -> Changes:
        return store.update_link(self.new)

    def inverse(self) -> "Op":
        return UpdateLink(self.new, self.old)


@dataclass(frozen=True)
class AddReview:
    review: Review

    def apply(self, store: Store) -> Changes:
        return store.add_review(self.review)

    def inverse(self) -> "Op":
        return DeleteReview(self.review)


@dataclass(frozen=True)
class DeleteReview:
    review: Review

    def apply(self, store: Store) -> Changes:
        return store.delete_review(self.review.id)

    def inverse(self) -> "Op":
        return AddReview(self.review)


@dataclass(frozen=True)
class AddComment:
    comment: Comment

    def apply(self, store: Store) -> Changes:
        return store.add_comment(self.comment)

    def inverse(self) -> "Op":
        return DeleteComment(self.comment)


@dataclass(frozen=True)
class DeleteComment:
    comment: Comment

    def apply(self, store: Store) -> Changes:
        return store.delete_comment(self.comment.id)

    def inverse(self) -> "Op":
        return AddComment(self.comment)


@dataclass(frozen=True)
class SetCategory:
    """Add (old is None), change, or remove (new is None) a codebook category."""

    old: Category | None
    new: Category | None

    def apply(self, store: Store) -> Changes:
        if self.new is None:
            if self.old is None:
                raise ValueError("a codebook change needs an old or a new value")
            return store.delete_category(self.old.id)
        if self.old is None:
            return store.add_category(self.new)
        return store.update_category(self.new)

    def inverse(self) -> "Op":
        return SetCategory(self.new, self.old)


@dataclass(frozen=True)
class SetSpeaker:
    old: Speaker | None
    new: Speaker | None

    def apply(self, store: Store) -> Changes:
        if self.new is None:
            if self.old is None:
                raise ValueError("a codebook change needs an old or a new value")
            return store.delete_speaker(self.old.id)
        if self.old is None:
            return store.add_speaker(self.new)
        return store.update_speaker(self.new)

    def inverse(self) -> "Op":
        return SetSpeaker(self.new, self.old)


@dataclass(frozen=True)
class SetChannel:
    old: Channel | None
    new: Channel | None

    def apply(self, store: Store) -> Changes:
        if self.new is None:
            if self.old is None:
                raise ValueError("a codebook change needs an old or a new value")
            return store.delete_channel(self.old.id)
        if self.old is None:
            return store.add_channel(self.new)
        return store.update_channel(self.new)

    def inverse(self) -> "Op":
        return SetChannel(self.new, self.old)


Op = Union[
    AddSpan, DeleteSpan, UpdateSpan, AddLink, DeleteLink, UpdateLink, AddReview, DeleteReview,
    AddComment, DeleteComment, SetCategory, SetSpeaker, SetChannel,
]


def apply_all(store: Store, ops: list[Op]) -> Changes:
    """Apply ``ops`` in order, all or nothing."""
    changes = Changes()
    with store.atomic():
        for op in ops:
            changes.merge(op.apply(store))
    return changes


def inverse_all(ops: list[Op]) -> list[Op]:
    return [op.inverse() for op in reversed(ops)]
