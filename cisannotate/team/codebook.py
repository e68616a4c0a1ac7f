"""The shared codebook: snapshots, and a three-way merge of two members' changes.

A snapshot maps each kind (categories, speakers, channels) to ``{id: fields}``.
Against the *base* (the codebook both sides last agreed on), a change made on
one side only is taken; the same change on both sides is no conflict; different
changes to one entry (or a change against a removal) are a conflict, kept for the
researcher to settle in the window. Nothing is merged as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.model import Category, Channel, Speaker

KINDS = ("categories", "speakers", "channels")
SINGULAR = {"categories": "category", "speakers": "speaker", "channels": "channel"}

Entry = dict[str, Any]  # the fields of one entry, without its id
Snapshot = dict[str, dict[str, Entry]]  # kind -> id -> fields


def empty() -> Snapshot:
    return {kind: {} for kind in KINDS}


def snapshot(categories: list[Category], speakers: list[Speaker], channels: list[Channel]) -> Snapshot:
    return {
        "categories": {c.id: {"name": c.name, "color": c.color, "shortcut": c.shortcut,
                              "description": c.description, "position": c.position} for c in categories},
        "speakers": {s.id: {"name": s.name, "role": s.role} for s in speakers},
        "channels": {c.id: {"name": c.name} for c in channels},
    }


def to_file(snap: Snapshot) -> dict[str, list[dict[str, Any]]]:
    """The repository's codebook.json: lists sorted by id, so diffs stay small."""
    return {kind: [{"id": i, **snap[kind][i]} for i in sorted(snap[kind])] for kind in KINDS}


def from_file(data: Any) -> Snapshot:
    """Read codebook.json; ValueError naming the problem when it is not one."""
    if not isinstance(data, dict):
        raise ValueError("codebook.json does not hold an object")
    snap = empty()
    for kind in KINDS:
        records = data.get(kind, [])
        if not isinstance(records, list):
            raise ValueError(f"codebook.json: {kind} is not a list")
        for n, record in enumerate(records):
            if not isinstance(record, dict) or not isinstance(record.get("id"), str) \
                    or not isinstance(record.get("name"), str) or not record["name"]:
                raise ValueError(f"codebook.json: {kind}[{n}] needs a text id and name")
            fields = {k: v for k, v in record.items() if k != "id"}
            if kind == "categories":
                fields = {"name": fields["name"], "color": str(fields.get("color", "#cccccc")),
                          "shortcut": str(fields.get("shortcut", "")),
                          "description": str(fields.get("description", "")),
                          "position": int(fields.get("position", 0))}
            elif kind == "speakers":
                fields = {"name": fields["name"], "role": str(fields.get("role", ""))}
            else:
                fields = {"name": fields["name"]}
            snap[kind][record["id"]] = fields
    return snap


@dataclass(frozen=True)
class Conflict:
    """One entry changed differently on both sides; None stands for "removed"."""

    kind: str
    id: str
    mine: Entry | None
    theirs: Entry | None

    def describe(self) -> str:
        def show(entry: Entry | None) -> str:
            if entry is None:
                return "removed"
            return ", ".join(f"{k} {v!r}" for k, v in entry.items() if k != "position")

        name = (self.mine or self.theirs or {}).get("name", self.id)
        return f"{SINGULAR[self.kind]} “{name}”: yours: {show(self.mine)}; the team's: {show(self.theirs)}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "mine": self.mine, "theirs": self.theirs}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Conflict":
        return cls(data["kind"], data["id"], data["mine"], data["theirs"])


@dataclass
class Merged:
    """The result of a three-way merge."""

    result: Snapshot  # what the project should hold now (its own side where in conflict)
    shared: Snapshot  # what the repository should hold (the team's side where in conflict)
    incoming: list[str] = field(default_factory=list)  # changes that came from the team, in words
    conflicts: list[Conflict] = field(default_factory=list)
    # kind -> {this project's id: the team's id}: an entry both sides added under one name is
    # one entry, the team's (the project's annotations are moved onto its id).
    remaps: dict[str, dict[str, str]] = field(default_factory=lambda: {kind: {} for kind in KINDS})


def _describe_change(kind: str, old: Entry | None, new: Entry | None) -> str:
    what = SINGULAR[kind]
    if old is None and new is not None:
        return f"{what} “{new['name']}” added"
    if new is None and old is not None:
        return f"{what} “{old['name']}” removed"
    assert old is not None and new is not None
    if old["name"] != new["name"]:
        return f"{what} “{old['name']}” renamed to “{new['name']}”"
    changed = ", ".join(k for k in new if old.get(k) != new.get(k))
    return f"{what} “{new['name']}” changed ({changed})"


def merge(base: Snapshot, mine: Snapshot, theirs: Snapshot) -> Merged:
    result, shared = empty(), empty()
    merged = Merged(result, shared)
    for kind in KINDS:
        ids = set(base[kind]) | set(mine[kind]) | set(theirs[kind])
        for entry_id in sorted(ids):
            b, m, t = base[kind].get(entry_id), mine[kind].get(entry_id), theirs[kind].get(entry_id)
            if m == t:
                chosen_mine = chosen_shared = m
            elif m == b:  # only the team changed it
                chosen_mine = chosen_shared = t
                merged.incoming.append(_describe_change(kind, m, t))
            elif t == b:  # only this project changed it
                chosen_mine = chosen_shared = m
            else:
                merged.conflicts.append(Conflict(kind, entry_id, m, t))
                chosen_mine, chosen_shared = m, t
            if chosen_mine is not None:
                result[kind][entry_id] = chosen_mine
            if chosen_shared is not None:
                shared[kind][entry_id] = chosen_shared
        _settle_names(kind, base, mine, theirs, merged)
    return merged


def _settle_names(kind: str, base: Snapshot, mine: Snapshot, theirs: Snapshot, merged: Merged) -> None:
    """Names are unique in a codebook: settle what the merge made clash."""
    result, shared = merged.result[kind], merged.shared[kind]
    by_name: dict[str, list[str]] = {}
    for entry_id, entry in result.items():
        by_name.setdefault(entry["name"], []).append(entry_id)
    for name, ids in by_name.items():
        if len(ids) < 2:
            continue
        ours = [i for i in ids if i in mine[kind] and i not in base[kind] and i not in theirs[kind]]
        team = [i for i in ids if i not in ours]
        if len(ours) == 1 and len(team) == 1:
            # Added on both sides under one name: the same entry. Keep the team's id.
            del result[ours[0]]
            shared.pop(ours[0], None)
            merged.remaps[kind][ours[0]] = team[0]
            merged.incoming.append(f"{SINGULAR[kind]} “{name}” was added by the team too: the two are now one")
            continue
        # Otherwise the team's change that made the clash waits for the researcher.
        for entry_id in ids:
            m, t = mine[kind].get(entry_id), theirs[kind].get(entry_id)
            if t is not None and m != t:
                if m is None:
                    del result[entry_id]
                else:
                    result[entry_id] = m
                merged.conflicts.append(Conflict(kind, entry_id, m, t))
