"""Sync a project with its team's git repository: my layer out, everyone else's in.

The repository (see docs/team.md for why it is laid out so)::

    cisannotate-team.json      what the repository is, and its layout version
    .gitattributes             texts are kept byte for byte
    corpus/documents.json      the documents' metadata and source lines, one record a line
    corpus/texts/SHA256.txt    each text once, named by its hash
    codebook.json              the shared categories, speakers and channels
    members/NAME.json          who is in the team and which layers each one writes
    layers/NAME.json           one layer (an annotator's, or "reviewed"), in the native format

A sync fetches the team's branch, starts from it, brings what changed into the
project (new texts, codebook changes, newer layers of the others, each layer in
one transaction), writes this project's own layers and its share of corpus and
codebook, commits and pushes; when someone pushed meanwhile it starts again from
their commit. Git never merges text: files of a layer have one writer, and the
codebook is merged entry by entry against the version both sides last agreed on.

Tying a project to a team (starting one or joining one) is ``joining``; the tie's
settings in the project are ``cisannotate.team_settings``; the repository's marker,
members and codebook files are read by ``layout``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io.exchange import dumps, native_export
from ..io.merge import MergeError, merge_data, parse
from ..storage import Store
from ..storage.atomic import write_atomic
from ..storage.backup import take_backup
from ..storage.layers import count_spans, remove_layer, remove_reviews_and_comments_by
from . import codebook as cb
from .apply import apply_codebook, layer_text, project_codebook
from ..team_settings import META_BASE, META_CONFLICTS, META_SEEN, META_SYNCED, TeamConfig, TeamError, config
from .gitrepo import GitError, Repo, Runner, run_blocking
from .layout import LAYOUT_VERSION, README, TEAM_FILE, check_team_file, file_name, members, read_codebook

# The tie's settings (cisannotate.team_settings, read by the window without the sync's imports), the
# repository's layout (layout) and starting or joining a team (joining) live in modules of their own.
__all__ = ["BEFORE_SYNC", "MAX_ATTEMPTS", "LayerNews", "StepMessage", "SyncReport", "TeamConfig", "TeamError",
           "config", "conflicts", "file_name", "settle", "sync"]

BEFORE_SYNC = "before-sync"  # the reason in the name of the backup taken before a sync changes the project
MAX_ATTEMPTS = 5

# A step of the sync, in words, for a progress display.
StepMessage = Callable[[str], None]  # one line of what a sync is doing


def conflicts(store: Store) -> list[cb.Conflict]:
    """The codebook conflicts the last sync left to settle (``team_settings.has_conflicts`` says whether)."""
    return [cb.Conflict.from_json(c) for c in json.loads(store.get_meta(META_CONFLICTS) or "[]")]


@dataclass
class LayerNews:
    """What a newer copy of someone else's layer changed in this project."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    local_edits_replaced: bool = False
    problem: str = ""

    def words(self) -> str:
        if self.problem:
            return f"not taken: {self.problem}"
        parts = [f"{n} {what}" for n, what in ((self.added, "new"), (self.changed, "changed"),
                                                (self.removed, "removed")) if n]
        text = ", ".join(parts) or "no change to its claims or links"
        if self.local_edits_replaced:
            text += " (edits made to it in this project were replaced by its owner's version)"
        return text


@dataclass
class SyncReport:
    layers: dict[str, LayerNews] = field(default_factory=dict)
    documents_added: int = 0
    documents_shared: int = 0
    codebook: list[str] = field(default_factory=list)
    conflicts: list[cb.Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False
    commit: str | None = None

    @property
    def changed_project(self) -> bool:
        return bool(self.documents_added or self.codebook
                    or any(n.added or n.changed or n.removed for n in self.layers.values()))

    def summary(self) -> str:
        """One line, for the status bar."""
        parts = []
        news = [f"{layer} ({n.added} new, {n.changed} changed, {n.removed} removed)"
                for layer, n in sorted(self.layers.items()) if not n.problem and (n.added or n.changed or n.removed)]
        if news:
            parts.append("came in: " + ", ".join(news))
        if self.documents_added:
            parts.append(f"{self.documents_added} new documents")
        if self.codebook:
            parts.append(f"{len(self.codebook)} codebook changes")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} codebook conflicts to settle")
        parts.append("your work was sent" if self.committed else "nothing of yours to send")
        return "Synced: " + "; ".join(parts) + "."

    def lines(self) -> list[str]:
        out = []
        for layer, news in sorted(self.layers.items()):
            out.append(f"layer {layer}: {news.words()}")
        if self.documents_added:
            out.append(f"documents added from the team: {self.documents_added}")
        if self.documents_shared:
            out.append(f"documents shared with the team: {self.documents_shared}")
        out.extend(f"codebook: {c}" for c in self.codebook)
        for conflict in self.conflicts:
            out.append(f"codebook conflict (settle it in the window: Team ▸ Settle codebook conflicts): "
                       f"{conflict.describe()}")
        out.extend(self.notes)
        out.append(f"sent: commit {self.commit[:10]}" if self.committed and self.commit else "sent: nothing new")
        return out


# ------------------------------------------------------------------ sync
def sync(store: Store, *, progress: StepMessage | None = None, runner: Runner = run_blocking,
         prompt: bool = False, first: bool = False) -> SyncReport:
    """Send this project's layers and receive everyone else's; see the module's docstring."""
    team = config(store)
    if team is None:
        raise TeamError(f"{store.path}: works with no team yet (cisannotate team init or team join)")
    say = progress or (lambda _message: None)
    repo = Repo(team.clone_dir, runner, prompt=prompt)
    report = SyncReport()
    try:
        if not repo.is_clone():
            say("Making a working copy of the team repository…")
            repo.clone(team.remote)
        repo.clear_stale_locks()
        for _attempt in range(MAX_ATTEMPTS):
            say("Fetching the team's work…")
            head = repo.fetch()
            repo.start_from(head)
            if head is not None:
                check_team_file(repo.folder)
            report = SyncReport()
            say("Bringing the team's work into the project…")
            merged = _receive(store, team, repo, report, own_too=first)
            say("Writing your work…")
            _send(store, team, repo, merged, report)
            report.committed = repo.commit_all(_commit_message(store, team, report), team.member)
            report.commit = repo.head()
            if not report.committed and head is not None:
                break
            say("Sending your work to the team…")
            if repo.push():
                break
        else:
            raise TeamError(f"{team.remote}: others kept sending work while this sync ran; sync again")
    except GitError as exc:
        raise TeamError(f"{team.remote}: {exc}; nothing was sent (your work is safe in the project)") from exc
    with store.atomic():
        base = dict(merged.shared)
        old_base = _base(store)
        for conflict in merged.conflicts:  # a conflict stays one until the researcher settles it
            kept = old_base[conflict.kind].get(conflict.id)
            base[conflict.kind] = dict(base[conflict.kind])
            if kept is None:
                base[conflict.kind].pop(conflict.id, None)
            else:
                base[conflict.kind][conflict.id] = kept
        store.set_meta(META_BASE, json.dumps(base, sort_keys=True))
        store.set_meta(META_CONFLICTS, json.dumps([c.to_json() for c in merged.conflicts]))
        if report.commit:
            store.set_meta(META_SYNCED, report.commit)
    report.conflicts = merged.conflicts
    return report


def _commit_message(store: Store, team: TeamConfig, report: SyncReport) -> str:
    news = [layer for layer, n in report.layers.items() if n.added or n.changed or n.removed]
    text = f"{team.member}: {count_spans(store, list(team.layers))} claims in {', '.join(team.layers)}"
    return text + (f"\n\nTook in the newer layers of: {', '.join(sorted(news))}" if news else "")


def _base(store: Store) -> cb.Snapshot:
    text = store.get_meta(META_BASE)
    return json.loads(text) if text else cb.empty()


# ------------------------------------------------------------------ receiving
class _Backup:
    """Takes one backup of the project before the sync's first change to it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.taken = store.path is None

    def __call__(self) -> None:
        if self.taken:
            return
        try:
            take_backup(self.store.db.conn, self.store.path, BEFORE_SYNC)  # type: ignore[arg-type]
        except (OSError, sqlite3.Error) as exc:
            raise TeamError(f"{self.store.path}: no backup could be taken before the sync ({exc}); "
                            "nothing was changed") from exc
        self.taken = True


def _receive(store: Store, team: TeamConfig, repo: Repo, report: SyncReport, *, own_too: bool) -> cb.Merged:
    folder = repo.folder
    backup = _Backup(store)
    report.documents_added = _receive_corpus(store, folder, report, backup)
    merged = cb.merge(_base(store), project_codebook(store), read_codebook(folder))
    if merged.incoming or any(merged.remaps.values()):
        backup()
        with store.atomic():
            apply_codebook(store, merged, report.notes)
        report.codebook.extend(merged.incoming)
    seen: dict[str, str] = json.loads(store.get_meta(META_SEEN) or "{}")
    for name, blob in sorted(repo.blob_ids("layers").items()):
        path = folder / "layers" / name
        try:
            data = parse(path.read_bytes())
            layer = data["scope"]["annotator"]
        except (OSError, MergeError, KeyError, TypeError) as exc:
            report.layers[name] = LayerNews(problem=f"layers/{name} cannot be read ({exc})")
            continue
        if not isinstance(layer, str) or file_name(layer) != name:
            report.layers[name] = LayerNews(problem=f"layers/{name} holds another layer ({layer!r})")
            continue
        if (layer in team.layers and not own_too) or seen.get(layer) == blob:
            continue
        if layer_text(store, layer).encode("utf-8") == path.read_bytes():
            seen[layer] = blob  # the project already holds exactly this layer
            store.set_meta(META_SEEN, json.dumps(seen, sort_keys=True))
            continue
        owner = _owner(folder, layer)
        previous = repo.blob(seen[layer]) if layer in seen else None
        backup()
        news = _replace_layer(store, layer, owner, data, previous)
        report.layers[layer] = news
        if not news.problem:
            seen[layer] = blob
            store.set_meta(META_SEEN, json.dumps(seen, sort_keys=True))
    return merged


def _owner(folder: Path, layer: str) -> str | None:
    for member, layers in members(folder).items():
        if layer in layers:
            return member
    return None


def _receive_corpus(store: Store, folder: Path, report: SyncReport, backup: Callable[[], None]) -> int:
    path = folder / "corpus" / "documents.json"
    if not path.exists():
        return 0
    try:
        records = json.loads(path.read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TeamError(f"the team's corpus/documents.json cannot be read ({exc})") from exc
    have = {d.sha256: d for d in store.documents()}
    new = []
    for record in records:
        sha = record.get("sha256", "")
        if sha in have:
            mine = have[sha]
            differs = [key for key in ("kind", "title", "outlet", "date", "event", "language")
                       if key in record and getattr(mine, key) != record[key]]
            if differs:
                report.notes.append(
                    f"document “{mine.title or mine.id}”: your {', '.join(differs)} differ from the team's "
                    f"(the team's: {', '.join(repr(record[k]) for k in differs)}); each project keeps its own"
                )
            continue
        text_path = folder / "corpus" / "texts" / f"{sha}.txt"
        try:
            text = text_path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TeamError(f"the team's corpus/texts/{sha}.txt cannot be read ({exc})") from exc
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
            raise TeamError(f"the team's corpus/texts/{sha}.txt does not hold the text of that hash; "
                            "it was changed by hand")
        new.append({**record, "text": text})
    if not new:
        return 0
    backup()
    try:
        merge = merge_data(store, _payload(documents=new))
    except MergeError as exc:
        raise TeamError(f"the team's corpus cannot be taken ({exc})") from exc
    report.notes.extend(merge.notes)
    return merge.added["documents"]


def _payload(**lists: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"format": "cisannotate", "version": 1, "scope": {"annotator": None, "with_text": True},
                            "annotators": []}
    for key in ("categories", "speakers", "channels", "documents", "spans", "links", "reviews", "comments"):
        data[key] = lists.get(key, [])
    return data


def _replace_layer(store: Store, layer: str, owner: str | None, data: dict, previous: bytes | None) -> LayerNews:
    """Replace this project's copy of ``layer`` by ``data`` (the owner's), in one transaction."""
    before = _layer_records(store, layer)
    news = LayerNews()
    if previous is not None and layer_text(store, layer).encode("utf-8") != previous:
        news.local_edits_replaced = True
    try:
        with store.atomic():
            remove_layer(store, layer)
            if owner is not None and owner == layer:
                remove_reviews_and_comments_by(store, owner)
            merge_data(store, data)
    except MergeError as exc:
        return LayerNews(problem=str(exc))
    after = _layer_records(store, layer)
    news.added = len(after.keys() - before.keys())
    news.removed = len(before.keys() - after.keys())
    news.changed = sum(1 for k in after.keys() & before.keys() if after[k] != before[k])
    return news


def _layer_records(store: Store, layer: str) -> dict[str, tuple]:
    records: dict[str, tuple] = {}
    for span in store.spans(layers=[layer]):
        records[span.id] = (span.start, span.end, span.category_id, span.speaker_id, span.mode, span.channel_id,
                            span.note, span.no_source, span.modified)
    for link in store.links(layers=[layer]):
        records[link.id] = (link.span_id, link.target_document_id, link.target_start, link.target_end, link.relation,
                            link.note, link.modified)
    return records


# ------------------------------------------------------------------ sending
def _send(store: Store, team: TeamConfig, repo: Repo, merged: cb.Merged, report: SyncReport) -> None:
    folder = repo.folder
    _write_if_changed(folder / TEAM_FILE, json.dumps({"format": "cisannotate-team", "version": LAYOUT_VERSION},
                                                     indent=2) + "\n")
    _write_if_changed(folder / ".gitattributes", "* -text\n")
    readme = folder / "README.md"
    if not readme.exists():
        _write_if_changed(readme, README)
    member_file = folder / "members" / file_name(team.member)
    _write_if_changed(member_file, json.dumps({"name": team.member, "layers": list(team.layers)},
                                              indent=2, ensure_ascii=False) + "\n")
    report.documents_shared = _send_corpus(store, folder)
    _write_if_changed(folder / "codebook.json", dumps(cb.to_file(merged.shared)))
    for layer in team.layers:
        _write_if_changed(folder / "layers" / file_name(layer), layer_text(store, layer))
    shared = {layer for layers in members(folder).values() for layer in layers}
    for layer in store.layers():
        if layer not in shared and layer not in team.layers:
            report.notes.append(f"layer {layer} is in this project, but no member of the team writes it: "
                                "it is not shared")


def _send_corpus(store: Store, folder: Path) -> int:
    """Add the project's texts the repository lacks; how many."""
    path = folder / "corpus" / "documents.json"
    records: dict[str, dict] = {}
    if path.exists():
        records = {r["sha256"]: r for r in json.loads(path.read_text(encoding="utf-8"))["documents"]}
    export = native_export(store, annotator="\0")  # the documents only
    added = 0
    for record in export["documents"]:
        if record["sha256"] in records:
            continue
        records[record["sha256"]] = record
        text_path = folder / "corpus" / "texts" / f"{record['sha256']}.txt"
        text_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(text_path, store.text(record["id"]).encode("utf-8"))
        added += 1
    if added or not path.exists():
        _write_if_changed(path, dumps({"documents": [records[k] for k in sorted(records)]}))
    return added


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)  # whole or not at all, and never through a link planted in the repository


# ------------------------------------------------------------------ settling codebook conflicts
def settle(store: Store, conflict: cb.Conflict, keep: str) -> None:
    """Settle one codebook conflict: keep ``"mine"`` (sent at the next sync) or take ``"theirs"``."""
    if keep not in ("mine", "theirs"):
        raise ValueError("keep must be 'mine' or 'theirs'")
    remaining = [c for c in conflicts(store) if (c.kind, c.id) != (conflict.kind, conflict.id)]
    base = _base(store)
    with store.atomic():
        if keep == "theirs":
            current = project_codebook(store)
            target = {kind: dict(current[kind]) for kind in cb.KINDS}
            if conflict.theirs is None:
                target[conflict.kind].pop(conflict.id, None)
            else:
                target[conflict.kind][conflict.id] = conflict.theirs
            notes: list[str] = []
            apply_codebook(store, cb.Merged(target, target), notes)
            if notes:
                raise TeamError(notes[0])
        # Either way the team's version becomes the agreed one: what differs from it now is
        # this project's change, and the next sync sends it.
        if conflict.theirs is None:
            base[conflict.kind].pop(conflict.id, None)
        else:
            base[conflict.kind][conflict.id] = conflict.theirs
        store.set_meta(META_BASE, json.dumps(base, sort_keys=True))
        store.set_meta(META_CONFLICTS, json.dumps([c.to_json() for c in remaining]))
