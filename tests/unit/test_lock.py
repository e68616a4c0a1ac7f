"""One writer per project; projects that cannot be written open read-only."""

from __future__ import annotations

import errno
import gc
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cisannotate.storage import ProjectError, ReadOnlyError, Store
from cisannotate.storage.errors import ProjectLocked
from cisannotate.storage.lock import acquire, lock_path
from cisannotate.storage.project import is_read_only, open_database

V1_PROJECT = Path(__file__).resolve().parents[1] / "data" / "project_v1.cisannotate"

HOLDER = """
import sys, time
from cisannotate.storage import Store
store = Store.open(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "p.cisannotate"
    Store.open(path).close()
    return path


def test_a_second_store_in_this_process_is_refused_until_the_first_closes(project):
    first = Store.open(project)
    with pytest.raises(ProjectLocked, match="already open for editing") as refused:
        Store.open(project)
    assert str(project) in str(refused.value) and "read-only" in str(refused.value)
    reader = Store.open(project, read_only=True)  # reading alongside the writer is fine
    assert reader.categories()
    reader.close()
    first.close()
    Store.open(project).close()


def test_another_process_holding_the_project_is_named_and_its_death_frees_it(project):
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(project)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "open\n"
        with pytest.raises(ProjectLocked, match=f"process {child.pid} on "):
            Store.open(project)
        child.send_signal(signal.SIGKILL)  # a crash, not a clean close
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    Store.open(project).close()


def test_lock_is_released_on_close_and_a_stale_lock_file_does_not_block(project):
    store = Store.open(project)
    assert lock_path(project).exists()
    store.close()
    if os.name != "nt":
        assert not lock_path(project).exists()
    lock_path(project).write_text(" 999999 some-other-host\n")  # left by a crash
    Store.open(project).close()


def test_lock_of_a_removed_lock_file_is_not_trusted(project):
    """The holder removes the file on release; a lock on the removed file must not count."""
    first = acquire(project)
    first.release()
    second = acquire(project)
    try:
        with pytest.raises(ProjectLocked):
            acquire(project)
    finally:
        second.release()


@pytest.fixture
def read_only_mount(tmp_path):
    """Mount a folder read-only (bind mount; needs root), as a CD or a locked USB stick would be."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a read-only folder")
    mounted: list[Path] = []

    def mount(source: Path) -> Path:
        target = tmp_path / f"ro{len(mounted)}"
        target.mkdir()
        for args in (["--bind", source, target], ["-o", "remount,ro,bind", target]):
            if subprocess.run(["mount", *map(str, args)], capture_output=True).returncode != 0:
                if args[0] != "--bind":
                    subprocess.run(["umount", str(target)])
                pytest.skip("mounting is not allowed here")
        mounted.append(target)
        return target

    yield mount
    for target in mounted:
        subprocess.run(["umount", "--lazy", str(target)], check=True)


def test_project_on_a_read_only_medium_opens_read_only(tmp_path, read_only_mount):
    source = tmp_path / "card"
    source.mkdir()
    Store.open(source / "p.cisannotate").close()
    path = read_only_mount(source) / "p.cisannotate"
    before = path.read_bytes()

    db = open_database(path)
    assert is_read_only(db)
    assert db.execute("SELECT count(*) FROM categories").fetchone()[0] > 0
    db.conn.close()

    store = Store.open(path)
    assert store.read_only
    with pytest.raises(ReadOnlyError):
        store.set_meta("x", "y")
    store.close()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["p.cisannotate"]


def test_project_of_the_previous_version_on_a_read_only_medium_still_opens(tmp_path, read_only_mount):
    source = tmp_path / "archive"
    source.mkdir()
    shutil.copy(V1_PROJECT, source / "old.cisannotate")
    store = Store.open(read_only_mount(source) / "old.cisannotate")
    assert store.read_only
    assert len(store.documents()) == 3 and store.count_spans() == 4
    store.close()


def test_no_project_can_be_created_on_a_read_only_medium(tmp_path, read_only_mount):
    source = tmp_path / "empty"
    source.mkdir()
    with pytest.raises(ProjectError, match="cannot create a project here"):
        Store.open(read_only_mount(source) / "new.cisannotate")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_project_in_a_folder_without_write_permission_opens_read_only(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    Store.open(folder / "p.cisannotate").close()
    folder.chmod(0o555)
    try:
        store = Store.open(folder / "p.cisannotate")
        assert store.read_only
        store.close()
    finally:
        folder.chmod(0o755)


def test_without_filesystem_locks_this_process_is_still_guarded(project, monkeypatch):
    """Some network shares cannot lock: the project opens, and a second Store here is still refused,
    also after the first holder's released lock object is collected."""
    from cisannotate.storage import lock

    def cannot_lock(fd):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock, "_try_lock", cannot_lock)
    store = Store.open(project)
    with pytest.raises(ProjectLocked):
        Store.open(project)
    store.close()
    first = acquire(project)
    first.release()
    second = acquire(project)
    del first
    gc.collect()
    with pytest.raises(ProjectLocked):
        acquire(project)
    second.release()
    Store.open(project).close()


# ------------------------------------------------------------ other names of one file
def other_name(project: Path, how: str, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    name = folder / f"{how}.cisannotate"
    (os.symlink if how == "symlink" else os.link)(project, name)
    return name


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_another_name_of_an_open_project_is_refused_in_this_process(project, tmp_path, how):
    name = other_name(project, how, tmp_path / "elsewhere")
    first = Store.open(project)
    try:
        with pytest.raises(ProjectLocked, match="already open for editing") as refused:
            Store.open(name)
        assert str(name) in str(refused.value) and "read-only" in str(refused.value)
    finally:
        first.close()
    # And the other way round: the link holds, the path itself is refused.
    second = Store.open(name)
    try:
        with pytest.raises(ProjectLocked, match="already open for editing"):
            Store.open(project)
    finally:
        second.close()
    Store.open(project).close()


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_another_name_of_a_project_another_process_holds_is_refused(project, tmp_path, how):
    name = other_name(project, how, tmp_path / "elsewhere")
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(project)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "open\n"
        with pytest.raises(ProjectLocked, match=f"already open for editing in another cisannotate window "
                                                f"\\(process {child.pid} on "):
            Store.open(name)
    finally:
        child.kill()
        child.wait(timeout=10)
    Store.open(name).close()


def test_work_through_a_hard_link_is_not_lost(project, tmp_path):
    """The failure this guards against: two writers through two names, each with its own -wal."""
    from cisannotate.core.model import Document
    from cisannotate.core.text import sha256_text

    name = other_name(project, "hardlink", tmp_path / "elsewhere")
    writer = Store.open(project)
    text = "A note on the harbour.\n"
    writer.add_document(Document(id="d1", kind="article", title="t", text=text, sha256=sha256_text(text)), ())
    with pytest.raises(ProjectLocked):
        Store.open(name)
    writer.close()
    reader = Store.open(name, read_only=True)
    assert [d.id for d in reader.documents()] == ["d1"]
    reader.close()


def test_a_hard_link_to_a_project_just_created_is_refused(tmp_path):
    project = tmp_path / "fresh.cisannotate"
    first = Store.open(project)
    try:
        link = tmp_path / "link.cisannotate"
        os.link(project, link)
        with pytest.raises(ProjectLocked, match="already open for editing"):
            Store.open(link)
    finally:
        first.close()
