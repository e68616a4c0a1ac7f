"""A write that fails (disk full, I/O error) through the Session, as the window makes it.

The user must see a clear message, the failed action must leave nothing
behind (it is several operations, the first of which would fit), the work
saved before must be intact, and the undo history must be as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from cisannotate.commands.ops import AddSpan
from cisannotate.core.model import Document
from cisannotate.core.text import sha256_text
from cisannotate.session import Session
from cisannotate.storage import Store

TEXT = "The minister said the border would stay closed until Friday. Critics were not convinced."


def new_project(path: Path) -> tuple[Store, Session, str, str]:
    """A project with one article and one annotation already saved; returns the store, session, article, span."""
    store = Store.open(path)
    sha = sha256_text(TEXT)
    doc = Document(id=sha[:16], kind="article", title="Border", text=TEXT, sha256=sha)
    store.add_document(doc)
    session = Session(store, "ann")
    earlier = session.add_span(doc.id, 4, 12)
    assert earlier is not None and session.undo_stack.count() == 1
    return store, session, doc.id, earlier.id


def fail_and_check(qtbot, session: Session, doc_id: str, earlier_id: str, *words: str) -> None:
    store = session.store
    small = session.make_span(doc_id, 18, 24)
    big = session.make_span(doc_id, 30, 40, note="a very long note " * 100_000)  # about 1.7 MB
    rows_before = store.db.execute("SELECT id, note, modified FROM spans ORDER BY id").fetchall()
    with qtbot.waitSignal(session.error, timeout=5000) as blocker:
        assert session.execute("Mark two claims", [AddSpan(small), AddSpan(big)]) is False
    message = blocker.args[0]
    assert "could not be saved" in message and "earlier work is intact" in message
    for word in words:
        assert word in message
    assert not store.has_span(small.id) and not store.has_span(big.id)  # nothing half applied
    assert store.db.execute("SELECT id, note, modified FROM spans ORDER BY id").fetchall() == rows_before
    assert store.has_span(earlier_id)
    assert session.undo_stack.count() == 1 and session.undo_stack.undoText() == "Mark span"


def test_database_full(qtbot, tmp_path):
    """SQLite's own size limit stands in for a full disk, on any machine."""
    store, session, doc_id, earlier_id = new_project(tmp_path / "p.cisannotate")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 40}")
    fail_and_check(qtbot, session, doc_id, earlier_id, "full")
    # Once there is room again, work goes on and undo still works.
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert session.add_span(doc_id, 18, 24) is not None
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert store.count_spans() == 0
    store.close()


def test_io_error(qtbot, tmp_path, monkeypatch):
    """A failing device, injected at the connection: the second insert of the action fails."""
    store, session, doc_id, earlier_id = new_project(tmp_path / "p.cisannotate")
    real = store.db.conn
    inserts: list[str] = []

    class FailingDevice:
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *args):
            if sql.startswith("INSERT INTO spans"):
                inserts.append(sql)
                if len(inserts) == 2:
                    raise sqlite3.OperationalError("disk I/O error")
            return real.execute(sql, *args)

    monkeypatch.setattr(store.db, "conn", FailingDevice())
    fail_and_check(qtbot, session, doc_id, earlier_id, "disk I/O error")
    monkeypatch.undo()
    store.close()
    reopened = Store.open(tmp_path / "p.cisannotate")
    assert reopened.has_span(earlier_id) and reopened.count_spans() == 1
    reopened.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB filesystem of its own (tmpfs; needs root), so the disk can really fill up."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small filesystem")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting is not allowed here")
    yield disk
    subprocess.run(["umount", "--lazy", str(disk)], check=True)


def test_disk_really_full(qtbot, small_disk):
    path = small_disk / "p.cisannotate"
    store, session, doc_id, earlier_id = new_project(path)
    filler = small_disk / "filler"
    stat = os.statvfs(small_disk)
    with filler.open("wb") as handle:
        try:
            handle.write(bytes(stat.f_bavail * stat.f_frsize - 256 * 1024))
        except OSError:
            pass
    fail_and_check(qtbot, session, doc_id, earlier_id, "full")
    filler.unlink()  # the user makes room
    assert session.add_span(doc_id, 18, 24) is not None
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 2
    conn.close()
