"""The project's side of a team sync: its codebook set to a merged snapshot, a layer as the repository keeps it."""

from __future__ import annotations

from ..core.model import REVIEWED_LAYER, Category, Channel, Speaker
from ..io.exchange import dumps, native_export
from ..storage import Store
from ..storage.layers import in_use, repoint
from . import codebook as cb


def apply_codebook(store: Store, merged: cb.Merged, notes: list[str]) -> None:
    """Make the project's codebook ``merged.result`` (inside the caller's transaction)."""
    current = project_codebook(store)
    target = merged.result
    for kind in cb.KINDS:
        for old, new in merged.remaps[kind].items():
            if new not in current[kind]:
                # Names are unique: step the old entry's name aside until its annotations have moved.
                _update(store, kind, old, {**current[kind][old], "name": f"{current[kind][old]['name']}\0{old}"})
                _add(store, kind, new, target[kind][new])
            repoint(store, kind, old, new)
            _delete(store, kind, old)
        current = project_codebook(store)
        for entry_id in set(current[kind]) - set(target[kind]):
            if not _delete(store, kind, entry_id):
                name = current[kind][entry_id]["name"]
                notes.append(f"{cb.SINGULAR[kind]} “{name}” was removed by the team, but your annotations use it: "
                             "it stays in your codebook")
        for entry_id, fields in target[kind].items():
            if entry_id not in current[kind]:
                _add(store, kind, entry_id, fields)
            elif current[kind][entry_id] != fields:
                _update(store, kind, entry_id, fields)


def _make(kind: str, entry_id: str, fields: cb.Entry) -> Category | Speaker | Channel:
    if kind == "categories":
        return Category(entry_id, fields["name"], fields["color"], fields["shortcut"], fields["description"],
                        fields["position"])
    if kind == "speakers":
        return Speaker(entry_id, fields["name"], fields["role"])
    return Channel(entry_id, fields["name"])


def _add(store: Store, kind: str, entry_id: str, fields: cb.Entry) -> None:
    getattr(store, f"add_{cb.SINGULAR[kind]}")(_make(kind, entry_id, fields))


def _update(store: Store, kind: str, entry_id: str, fields: cb.Entry) -> None:
    getattr(store, f"update_{cb.SINGULAR[kind]}")(_make(kind, entry_id, fields))


def _delete(store: Store, kind: str, entry_id: str) -> bool:
    """Delete an entry no annotation uses; False (and nothing done) when one does."""
    if in_use(store, kind, entry_id):
        return False
    getattr(store, f"delete_{cb.SINGULAR[kind]}")(entry_id)
    return True


def project_codebook(store: Store) -> cb.Snapshot:
    return cb.snapshot(store.categories(), store.speakers(), store.channels())


def layer_text(store: Store, layer: str) -> str:
    """The layer as the team repository keeps it: the native format, only what the layer uses."""
    data = native_export(store, annotator=layer)
    documents = {s["document_id"] for s in data["spans"]} | {k["target_document_id"] for k in data["links"]}
    if layer == REVIEWED_LAYER:
        data["reviews"], data["comments"] = [], []  # they travel in the reviewer's own file
    data["documents"] = [d for d in data["documents"] if d["id"] in documents]
    used = {
        "categories": {s["category_id"] for s in data["spans"]},
        "speakers": {s["speaker_id"] for s in data["spans"]},
        "channels": {s["channel_id"] for s in data["spans"]},
    }
    for kind, ids in used.items():
        data[kind] = [r for r in data[kind] if r["id"] in ids]
    return dumps(data)
