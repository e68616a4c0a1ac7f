"""Tie a project to a team's git repository, and sync it: my layer out, everyone else's in.

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
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.model import REVIEWED_LAYER
from ..io.exchange import dumps, native_export
from ..io.merge import MergeError, merge_data, parse
from ..storage import Store
from ..storage.atomic import write_atomic
from ..storage.backup import take_backup
from ..storage.layers import count_spans, remove_layer, remove_reviews_and_comments_by
from . import codebook as cb
from .apply import apply_codebook, layer_text, project_codebook
from .gitrepo import GitError, Repo, Runner, run_blocking
from ..team_settings import (  # re-exported: the window reads these without the sync's imports
    META_BASE, META_CONFLICTS, META_ID, META_LAYERS, META_MEMBER, META_REMOTE, META_SEEN, META_SYNCED, TeamConfig,
    TeamError, config,
)

TEAM_FILE = "cisannotate-team.json"
BEFORE_SYNC = "before-sync"  # the reason in the name of the backup taken before a sync changes the project
LAYOUT_VERSION = 1
MAX_ATTEMPTS = 5

# A step of the sync, in words, for a progress display.
StepMessage = Callable[[str], None]  # one line of what a sync is doing

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def file_name(layer: str) -> str:
    """The file of a layer or member: its name with anything unsafe for a file name escaped."""
    escaped = _SAFE_NAME.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), layer)
    return f"{escaped}.json" if escaped not in ("", ".", "..") else f"%{escaped}.json"


def conflicts(store: Store) -> list[cb.Conflict]:
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


# ------------------------------------------------------------------ tying a project to a team
def _remote(remote: str) -> str:
    """A folder given by a relative path is named absolutely (git runs in the working copy)."""
    path = Path(remote).expanduser()
    if "://" not in remote and path.exists():
        return str(path.resolve())
    return remote


@contextmanager
def _git_errors(remote: str):
    try:
        yield
    except GitError as exc:
        raise TeamError(f"{remote}: {exc}") from exc


def _tie(store: Store, remote: str, member: str, reviewer: bool, runner: Runner,
         prompt: bool) -> tuple[TeamConfig, Repo, str | None]:
    """The checks both ways into a team share, a fresh working copy, and the team's commit (None: empty)."""
    _check_member(member)
    if (current := config(store)) is not None:
        raise TeamError(f"{store.path}: already works with the team at {current.remote}")
    remote = _remote(remote)
    team = TeamConfig(remote, member, _layers_of(member, reviewer), uuid.uuid4().hex)
    repo = Repo(team.clone_dir, runner, prompt=prompt)
    with _git_errors(remote):
        repo.clone(remote)
        return team, repo, repo.fetch()


def init_team(store: Store, remote: str, member: str, *, reviewer: bool = False,
              progress: StepMessage | None = None, runner: Runner = run_blocking, prompt: bool = False) -> SyncReport:
    """Start a team in the (empty) repository ``remote`` from this project."""
    team, repo, head = _tie(store, remote, member, reviewer, runner, prompt)
    remote = team.remote
    if head is not None:
        raise TeamError(f"{remote} already holds work; to work with it, use: cisannotate team join {remote} PROJECT")
    _save_config(store, team)
    return sync(store, progress=progress, runner=runner, prompt=prompt)


def join_team(store: Store, remote: str, member: str, *, reviewer: bool = False,
              progress: StepMessage | None = None, runner: Runner = run_blocking, prompt: bool = False) -> SyncReport:
    """Join the team at ``remote`` with this project, taking the corpus, codebook and every layer."""
    team, repo, head = _tie(store, remote, member, reviewer, runner, prompt)
    remote = team.remote
    if head is None:
        raise TeamError(f"{remote} is empty; start the team with: cisannotate team init PROJECT {remote}")
    with _git_errors(remote):
        repo.start_from(head)
    _check_team_file(repo.folder)
    for owner, layers in _members(repo.folder).items():
        if owner != member and set(layers) & set(team.layers):
            taken = ", ".join(sorted(set(layers) & set(team.layers)))
            raise TeamError(f"{owner} already writes the layer {taken} in this team; choose another name")
    with store.atomic():
        _save_config(store, team)
        if not store.count_spans():
            # A project without annotations takes the team's codebook as it is, so that every
            # member's entries carry the same ids. One with annotations merges its codebook
            # with the team's at the first sync (entries of the same name become one).
            shared = _read_codebook(repo.folder)
            for category in store.categories():
                store.delete_category(category.id)
            apply_codebook(store, cb.Merged(shared, shared), [])
            store.set_meta(META_BASE, json.dumps(shared, sort_keys=True))
    return sync(store, progress=progress, runner=runner, prompt=prompt, first=True)


def _check_member(member: str) -> None:
    if not member.strip() or member != member.strip():
        raise TeamError("give your name as the team will see it (--as NAME), without spaces around it")
    if member == REVIEWED_LAYER:
        raise TeamError(f"“{REVIEWED_LAYER}” is the reviewed layer's name; a member needs a name of their own")


def _layers_of(member: str, reviewer: bool) -> tuple[str, ...]:
    return (member, REVIEWED_LAYER) if reviewer else (member,)


def _save_config(store: Store, team: TeamConfig) -> None:
    with store.atomic():
        store.set_meta(META_REMOTE, team.remote)
        store.set_meta(META_MEMBER, team.member)
        store.set_meta(META_LAYERS, json.dumps(list(team.layers)))
        store.set_meta(META_ID, team.team_id)


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
                _check_team_file(repo.folder)
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


def _check_team_file(folder: Path) -> None:
    path = folder / TEAM_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TeamError(f"the repository has no {TEAM_FILE}: it is not a cisannotate team repository") from None
    except (OSError, ValueError) as exc:
        raise TeamError(f"{TEAM_FILE} in the team repository cannot be read ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != "cisannotate-team":
        raise TeamError(f"{TEAM_FILE} does not describe a cisannotate team repository")
    if not isinstance(data.get("version"), int) or data["version"] > LAYOUT_VERSION:
        raise TeamError(f"the team repository uses layout version {data.get('version')}, newer than this "
                        f"cisannotate knows ({LAYOUT_VERSION}); update cisannotate")


def _members(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((folder / "members").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found[str(data["name"])] = [str(x) for x in data["layers"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def _base(store: Store) -> cb.Snapshot:
    text = store.get_meta(META_BASE)
    return json.loads(text) if text else cb.empty()


def _read_codebook(folder: Path) -> cb.Snapshot:
    path = folder / "codebook.json"
    if not path.exists():
        return cb.empty()
    try:
        return cb.from_file(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise TeamError(f"the team's codebook.json cannot be read ({exc}); ask who changed it last") from exc


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
    merged = cb.merge(_base(store), project_codebook(store), _read_codebook(folder))
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
    for member, layers in _members(folder).items():
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
        _write_if_changed(readme, _README)
    member_file = folder / "members" / file_name(team.member)
    _write_if_changed(member_file, json.dumps({"name": team.member, "layers": list(team.layers)},
                                              indent=2, ensure_ascii=False) + "\n")
    report.documents_shared = _send_corpus(store, folder)
    _write_if_changed(folder / "codebook.json", dumps(cb.to_file(merged.shared)))
    for layer in team.layers:
        _write_if_changed(folder / "layers" / file_name(layer), layer_text(store, layer))
    shared = {layer for layers in _members(folder).values() for layer in layers}
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


_README = """# A cisannotate team repository

This repository is written by cisannotate (`cisannotate team sync`, or Team ▸ Sync in the
window). Do not edit its files by hand: every member's sync rewrites them.

- `corpus/`: the texts (one file per text, named by its SHA-256) and their metadata.
- `codebook.json`: the categories, speakers and channels the team shares.
- `members/`: one file per member, naming the layers that member writes.
- `layers/`: one file per layer (each annotator's, and `reviewed`), in cisannotate's
  exchange format; only its owner's sync writes it.
"""
