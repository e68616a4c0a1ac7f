"""What a write changed, so each view refreshes only that (and nothing else)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Changes:
    documents: set[str] = field(default_factory=set)  # documents whose annotations changed
    spans: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    reviews: set[str] = field(default_factory=set)
    comments: set[str] = field(default_factory=set)
    corpus: bool = False  # documents added or removed
    codebook: bool = False  # categories, speakers or channels
    # Where each changed span was before the change: (document, start, end), or None for one
    # the change added. A list that does not hold every span's place finds its rows by it.
    places: dict[str, tuple[str, int, int] | None] = field(default_factory=dict)

    def merge(self, other: "Changes") -> "Changes":
        self.documents |= other.documents
        self.spans |= other.spans
        self.links |= other.links
        self.reviews |= other.reviews
        self.comments |= other.comments
        self.corpus = self.corpus or other.corpus
        self.codebook = self.codebook or other.codebook
        for span_id, place in other.places.items():
            self.places.setdefault(span_id, place)  # the first change of a span saw it as it was
        return self

    def __bool__(self) -> bool:
        return bool(
            self.documents or self.spans or self.links or self.reviews or self.comments
            or self.corpus or self.codebook
        )
