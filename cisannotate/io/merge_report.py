"""What a merge reports, and how it fails: the report, the errors, the progress of its three steps.

The report counts what was added and skipped by record kind, lists the
conflicts (an id the project holds with other content: the project's version
is kept) and the annotations that could not be placed, and renders itself as
the lines the command line prints and the window shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .exchange import ProgressCheck

# Record kinds, in the order a report lists them.
REPORT_KINDS = (
    "documents", "categories", "speakers", "channels", "annotators", "spans", "links", "reviews", "comments",
)


class MergeError(Exception):
    """The file cannot be merged; nothing was written. The message says where the problem is."""


class MergeCancelled(MergeError):
    """The progress callback asked to stop; nothing was written."""

    def __init__(self) -> None:
        super().__init__("cancelled; nothing was merged")


@dataclass(frozen=True)
class Unplaceable:
    """An annotation of the file that could not be put anywhere in the project."""

    kind: str  # "span", "link" or "comment"
    id: str
    document: str  # title of the document it belongs to
    quote: str
    reason: str


@dataclass(frozen=True)
class Conflict:
    """A record whose id the project already holds with different content (the project's kept)."""

    kind: str
    id: str
    fields: tuple[str, ...]  # the fields that differ


@dataclass
class MergeReport:
    """What a merge did, by record kind; the conflicts and the annotations it could not place."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_KINDS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_KINDS, 0))
    conflicts: list[Conflict] = field(default_factory=list)
    unplaceable: list[Unplaceable] = field(default_factory=list)
    reanchored: int = 0  # spans and links moved onto a corrected version of their text
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.added.values())

    def lines(self) -> list[str]:
        """The report as text, for the command line and the summary dialog."""
        out = []
        added = [f"{n} {_plural(kind, n)}" for kind, n in self.added.items() if n]
        out.append("added: " + (", ".join(added) if added else "nothing"))
        skipped = [f"{n} {_plural(kind, n)}" for kind, n in self.skipped.items() if n]
        if skipped:
            out.append("already in the project (skipped): " + ", ".join(skipped))
        if self.reanchored:
            out.append(f"re-anchored on a corrected text: {self.reanchored}")
        out.extend(self.notes)
        if self.conflicts:
            out.append(f"conflicts ({len(self.conflicts)}; the project's version was kept):")
            out.extend(f"  {c.kind} {c.id}: differs in {', '.join(c.fields)}" for c in self.conflicts)
        if self.unplaceable:
            out.append(f"not placed ({len(self.unplaceable)}; not merged):")
            out.extend(
                f"  {u.kind} {u.id}"
                + (f" in “{u.document}”" if u.document else "")
                + (f" (“{_shorten(u.quote)}”)" if u.quote else "")
                + f": {u.reason}"
                for u in self.unplaceable
            )
        return out


def _plural(kind: str, n: int) -> str:
    if n != 1:
        return kind
    return "category" if kind == "categories" else kind[:-1]


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Steps:
    """Progress of a whole merge on one scale: checking, planning and writing take a third each.

    The callback hears every few hundred records; a refusal becomes MergeCancelled.
    """

    EVERY = 500
    PHASES = 3

    def __init__(self, progress: ProgressCheck | None) -> None:
        self.progress = progress
        self.total = self.PHASES
        self._base = 0
        self._scale = 1.0
        self._done = 0
        self._next = 0

    def phase(self, index: int, size: int, records: int | None = None) -> None:
        """Begin phase ``index`` (0, 1, 2) of ``size`` steps; the first phase also sets the scale."""
        if records is not None:
            self.total = self.PHASES * max(records, 1)
        share = self.total // self.PHASES
        self._base = index * share
        self._scale = share / max(size, 1)
        self._done = 0
        self._next = 0
        self.step(0)

    def step(self, n: int = 1) -> None:
        self._done += n
        if self.progress is not None and self._done >= self._next:
            self._next = self._done + self.EVERY
            done = min(self._base + int(self._done * self._scale), self.total)
            if not self.progress(done, self.total):
                raise MergeCancelled()

    def finish(self) -> None:
        if self.progress is not None and not self.progress(self.total, self.total):
            raise MergeCancelled()
