"""A project survives its writer being killed at any moment.

A child process (tests/crash_writer.py) edits a real project file through the
same ``apply_all`` the window uses and reports every edit it starts and every
edit it commits; the test kills it with SIGKILL at random moments, over and
over, and after each kill checks that the file is sound, opens as a project,
holds every edit reported as committed, and holds the edit that was under way
either completely or not at all.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cisannotate.storage import Store

WRITER = Path(__file__).resolve().parents[1] / "crash_writer.py"
KILLS_PER_LANE = 14
LANES = 4  # separate projects killed in parallel, to keep the test short

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class Model:
    """The spans (id -> note) and links (id -> span id) the committed edits should have left."""

    def __init__(self) -> None:
        self.spans: dict[str, str] = {}
        self.links: dict[str, str] = {}

    def after(self, edit: dict) -> "Model":
        model = Model()
        model.spans, model.links = dict(self.spans), dict(self.links)
        model.spans[edit["span"]] = ""
        model.links[edit["link"]] = edit["span"]
        if edit["note"]:
            span_id, note = edit["note"]
            model.spans[span_id] = note
        if edit["delete"]:
            span_id, link_ids = edit["delete"]
            del model.spans[span_id]
            for link_id in link_ids:
                del model.links[link_id]
        return model

    def state(self) -> tuple[dict[str, str], dict[str, str]]:
        return self.spans, self.links


def stored_state(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        spans = dict(conn.execute("SELECT id, note FROM spans").fetchall())
        links = dict(conn.execute("SELECT id, span_id FROM links").fetchall())
    finally:
        conn.close()
    return spans, links


def kill_once(path: Path, rng: random.Random, model: Model) -> tuple[Model, int]:
    """Start a writer, kill it at a random moment, check the file; returns the new model and edits committed."""
    child = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(rng.random())],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        if rng.random() < 0.2:
            # Anywhere from start-up on: creating, checking, backing up, upgrading.
            time.sleep(rng.uniform(0.0, 0.4))
        else:
            first = child.stdout.readline()
            assert first == "ready\n", first + child.stdout.read()
            time.sleep(rng.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        out = child.stdout.read()
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, out
    pending: dict | None = None
    committed = 0
    for line in out.splitlines():
        word, _, rest = line.partition(" ")
        if word == "begin":
            pending = json.loads(rest)
        elif word == "done":
            assert pending is not None and rest == pending["id"], out
            model, pending, committed = model.after(pending), None, committed + 1
    if not path.exists():  # killed while creating it: nothing was ever committed
        assert model.state() == ({}, {})
        return model, committed
    actual = stored_state(path)
    if pending is not None and actual == model.after(pending).state():
        model = model.after(pending)  # committed, killed before it could say so
    assert actual == model.state(), "an edit was lost or half applied"
    Store.open(path).close()
    return model, committed


def run_lane(folder: Path, seed: int) -> tuple[int, int]:
    folder.mkdir()
    path = folder / "crash.cisannotate"
    rng = random.Random(seed)
    model, committed = Model(), 0
    for _ in range(KILLS_PER_LANE):
        model, done = kill_once(path, rng, model)
        committed += done
    return KILLS_PER_LANE, committed


def test_killed_writer_never_loses_or_half_applies_an_edit(tmp_path):
    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    started = time.monotonic()
    with ThreadPoolExecutor(LANES) as pool:
        results = list(pool.map(run_lane, [tmp_path / f"lane{i}" for i in range(LANES)],
                                [seed + i for i in range(LANES)]))
    kills = sum(k for k, _ in results)
    committed = sum(c for _, c in results)
    elapsed = time.monotonic() - started
    print(f"seed {seed}: {kills} kills, {committed} edits committed, {elapsed:.1f} s")
    assert kills >= 50
    assert committed > kills  # the kills landed among edits, not only before the first
