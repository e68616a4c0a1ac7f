"""Output paths: an export or a screenshot never destroys the project or anything else.

``export -o`` and ``screenshot`` (and the window's Export dialog, which calls
``export_project``) accept only a new name or a plain regular file; the open
project under any of its names (the path, a symlink, a hard link), another
SQLite database, a symlink, a FIFO, a device node and a folder are refused
before anything opens them, and the file keeps every byte. Temporaries of a
killed export are removed by the next export to the same path, but never one a
living export is writing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.io.exchange import ExportOptions, export_project
from cisannotate.storage import Store
from cisannotate.storage.atomic import OutputPathError, check_output_path, remove_stale_parts, write_atomic


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    path = tmp_path / "study.cisannotate"
    assert run(["new", str(path), "--sample"]) == 0
    capsys.readouterr()
    return path


def export(capsys, project: Path, out: Path | str) -> tuple[int, str]:
    code = run(["export", str(project), "-o", str(out)])
    _out, err = capsys.readouterr()
    return code, err


def test_export_onto_the_project_itself_is_refused(project, capsys):
    before = digest(project)
    code, err = export(capsys, project, project)
    assert code == 1
    assert "open project" in err and "study.cisannotate" in err
    assert digest(project) == before
    assert Store.open(project, read_only=True).documents()


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_export_onto_another_name_of_the_project_is_refused(project, capsys, tmp_path, how):
    other = tmp_path / "other-name.json"
    (os.symlink if how == "symlink" else os.link)(project, other)
    before = digest(project)
    code, err = export(capsys, project, other)
    assert code == 1
    assert "other-name.json" in err
    assert digest(project) == before
    assert other.exists()


def test_export_onto_another_sqlite_database_is_refused(project, capsys, tmp_path):
    theirs = tmp_path / "theirs.db"
    conn = sqlite3.connect(theirs)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = digest(theirs)
    code, err = export(capsys, project, theirs)
    assert code == 1 and "SQLite database" in err
    assert digest(theirs) == before


def test_export_onto_a_symlink_to_a_regular_file_is_refused(project, capsys, tmp_path):
    real = tmp_path / "notes.txt"
    real.write_text("my notes\n")
    link = tmp_path / "out.json"
    link.symlink_to(real)
    code, err = export(capsys, project, link)
    assert code == 1 and "symbolic link" in err
    assert real.read_text() == "my notes\n" and link.is_symlink()


def test_export_onto_a_fifo_is_refused_without_blocking(project, capsys, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, err = export(capsys, project, fifo)
    assert code == 1 and "not a regular file" in err
    assert fifo.is_fifo()


def test_a_device_node_is_refused():
    with pytest.raises(OutputPathError, match="not a regular file"):
        check_output_path(Path("/dev/null"))


def test_export_onto_a_project_sidecar_is_refused(project, capsys, tmp_path):
    code, err = export(capsys, project, tmp_path / "study.cisannotate.lock")
    assert code == 1 and "belongs to" in err


def test_export_replaces_a_regular_file_and_a_new_name_is_fine(project, capsys, tmp_path):
    old = tmp_path / "old.json"
    old.write_text("previous export")
    assert export(capsys, project, old)[0] == 0
    assert old.read_text().startswith("{")
    assert export(capsys, project, tmp_path / "new.json")[0] == 0


def test_the_window_export_refuses_the_project_itself(project):
    store = Store.open(project)
    try:
        before = project.stat().st_size
        with pytest.raises(OutputPathError):
            export_project(store, project, ExportOptions("json"))
        assert project.stat().st_size == before
    finally:
        store.close()


def test_stale_parts_of_a_killed_export_are_removed_by_the_next_export(project, capsys, tmp_path):
    out = tmp_path / "shared.json"
    stale = tmp_path / ".shared.json.ab12cd34.part"
    stale.write_bytes(b"x" * 4096)
    unrelated = tmp_path / ".other.json.ab12cd34.part"
    unrelated.write_bytes(b"y")
    mine = tmp_path / ".shared.json.notmine.part.txt"
    mine.write_bytes(b"z")
    assert export(capsys, project, out)[0] == 0
    assert not stale.exists()
    assert unrelated.exists() and mine.exists()
    assert [p.name for p in tmp_path.glob(".shared.json.*.part")] == []


def test_a_part_that_a_living_export_writes_is_kept(tmp_path):
    out = tmp_path / "shared.json"
    live = tmp_path / ".shared.json.livewrit.part"
    live.write_bytes(b"being written")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         f"fd = os.open({str(live)!r}, os.O_RDWR)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('held', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert remove_stale_parts(out) == []
        assert live.exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert remove_stale_parts(out) == [live]


def test_a_symlinked_part_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / ".shared.json.symlink1.part").symlink_to(victim)
    remove_stale_parts(tmp_path / "shared.json")
    assert victim.read_text() == "keep"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old")

    def fail(path: Path) -> None:
        path.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomic(out, fail)
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
