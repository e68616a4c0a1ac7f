"""The services the command line and the window share: the backup before a merge, one error
type for every failure (a broken manifest, a full disk), cancel with nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.io.exchange import ExportOptions
from cisannotate.sample import create_sample_project
from cisannotate.services import Cancelled, ServiceError, exporting, importing, merging, restoring
from cisannotate.storage import Store
from cisannotate.storage.backup import BEFORE_MERGE, list_backups, read_backup


@pytest.fixture
def colleague_export(tmp_path) -> Path:
    source = create_sample_project(tmp_path / "colleague.cisannotate")
    path = tmp_path / "colleague.json"
    exporting.export(source, path, ExportOptions("json", with_text=True))
    source.close()
    return path


def _merge_backups(project: Path) -> list:
    return [b for b in list_backups(project) if b.reason == BEFORE_MERGE]


def test_the_cli_merge_takes_the_backup_the_window_takes(tmp_path, colleague_export, capsys):
    project = tmp_path / "study.cisannotate"
    assert run(["new", str(project)]) == 0
    assert run(["merge", str(project), str(colleague_export)]) == 0
    (backup,) = _merge_backups(project)
    # The copy holds the project as it was before the merge: the way back.
    assert read_backup(backup.path).annotations == 0
    assert f"backup taken first: {backup.path}" in capsys.readouterr().out
    store = Store.open(project)
    assert store.count_spans() == 86
    store.close()


def test_a_merge_that_adds_nothing_or_is_refused_takes_no_backup(tmp_path, colleague_export):
    project = tmp_path / "study.cisannotate"
    store = Store.open(project)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "cisannotate", "version": 7}')
    with pytest.raises(ServiceError, match="format version 7"):
        merging.merge(store, bad)
    assert _merge_backups(project) == []
    first = merging.merge(store, colleague_export)
    assert first.backup is not None and first.report.added["spans"] == 86
    again = merging.merge(store, colleague_export)
    assert again.backup is None and not again.report.changed
    assert len(_merge_backups(project)) == 1
    store.close()


def test_a_merge_without_a_backup_stops_unless_the_caller_agrees(tmp_path, colleague_export, monkeypatch):
    project = tmp_path / "study.cisannotate"
    store = Store.open(project)

    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(merging, "take_backup", no_room)
    with pytest.raises(ServiceError, match="No space left on device"):
        merging.merge(store, colleague_export)
    assert store.count_spans() == 0
    asked = []
    with pytest.raises(Cancelled):
        merging.merge(store, colleague_export, if_no_backup=lambda problem: asked.append(str(problem)) or False)
    assert store.count_spans() == 0 and "no backup copy" in asked[0]
    result = merging.merge(store, colleague_export, if_no_backup=lambda problem: True)
    assert result.backup is None and store.count_spans() == 86
    store.close()


def test_a_cancelled_merge_writes_nothing_and_reports_progress(tmp_path, colleague_export):
    store = Store.open(tmp_path / "study.cisannotate")
    seen = []
    with pytest.raises(Cancelled):
        merging.merge(store, colleague_export, on_progress=lambda done, total: seen.append((done, total)),
                      is_cancelled=lambda: len(seen) > 3)
    assert store.count_spans() == 0 and store.documents() == []
    assert seen and all(0 <= done <= total for done, total in seen)
    store.close()


def test_a_full_disk_during_an_import_is_one_clear_error(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("The minister spoke at length.", encoding="utf-8")
    store = Store.open(tmp_path / "p.cisannotate")
    plan = importing.read([tmp_path / "a.txt"])

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "add_documents", full)
    with pytest.raises(ServiceError, match="could not be written \\(database or disk is full\\)"):
        importing.write(store, plan)
    monkeypatch.undo()
    assert store.documents() == []
    assert len(importing.write(store, plan).added) == 1
    store.close()


def test_a_broken_manifest_and_a_cancelled_read_write_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("The minister spoke.", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,kind\na.txt,report\n", encoding="utf-8")
    with pytest.raises(ServiceError, match="report"):
        importing.read([tmp_path / "a.txt"], manifest=manifest)
    with pytest.raises(ServiceError, match="no such manifest file"):
        importing.read([tmp_path / "a.txt"], manifest=tmp_path / "missing.csv")
    files = []
    with pytest.raises(Cancelled):
        importing.read([tmp_path / "a.txt"], on_file=lambda done, total, path: files.append(path),
                       is_cancelled=lambda: True)
    assert files == [] or files == [tmp_path / "a.txt"]


def test_export_refuses_a_folder_and_an_unknown_layer_and_leaves_no_file(tmp_path):
    store = create_sample_project(tmp_path / "s.cisannotate")
    with pytest.raises(ServiceError, match="is a folder"):
        exporting.export(store, tmp_path, ExportOptions("w3c"))
    with pytest.raises(ServiceError, match="no annotations in layer 'nobody'"):
        exporting.export(store, tmp_path / "x.json", ExportOptions("json", annotator="nobody"))
    with pytest.raises(Cancelled):
        exporting.export(store, tmp_path / "y.json", ExportOptions("json"), is_cancelled=lambda: True)
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "y.json").exists()
    store.close()


def test_restore_puts_the_backup_back_and_lists_what_each_copy_holds(tmp_path, colleague_export):
    project = tmp_path / "study.cisannotate"
    store = Store.open(project)
    merging.merge(store, colleague_export)
    store.close()
    entries = restoring.backups(project)
    before_merge = next(e for e in entries if e.backup.reason == BEFORE_MERGE)
    assert before_merge.contents is not None and before_merge.contents.annotations == 0
    restoring.restore(before_merge.backup.path, project)
    store = Store.open(project)
    assert store.count_spans() == 0
    store.close()
    bogus = tmp_path / "bogus.cisannotate"
    bogus.write_bytes(b"not a project")
    with pytest.raises(ServiceError):
        restoring.restore(bogus, project)


def test_an_import_reports_texts_already_present_and_repeated_within_it(tmp_path):
    """Texts found in the project, and a text met twice in one import, are added once; every
    document added is summarised as the project lists it."""
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text("The minister spoke at length about the harbour 😀.", encoding="utf-8")
    store = Store.open(tmp_path / "p.cisannotate")
    assert [d.source_file for d in importing.write(store, importing.read([first])).added] == ["a.txt"]

    second = tmp_path / "second"
    second.mkdir()
    (second / "a_again.txt").write_text("The minister spoke at length about the harbour 😀.", encoding="utf-8")
    (second / "b.txt").write_text("A spokesman denied the report.", encoding="utf-8")
    (second / "b_copy.txt").write_text("A spokesman denied the report.", encoding="utf-8")
    (second / "t.txt").write_text("We will meet again. The talks go on.", encoding="utf-8")
    report = importing.write(store, importing.read([second], kind="transcript"))

    assert [d.source_file for d in report.added] == ["b.txt", "t.txt"]
    assert report.added == [store.resolve_document("b.txt"), store.resolve_document("t.txt")]
    assert report.added[1].source_lines == 2 and report.added[1].kind == "transcript"
    assert report.duplicates == [
        "a_again.txt: already in the project as 'a.txt' ("
        + store.resolve_document("a.txt").id + "); nothing added",
        "b_copy.txt: already in the project as 'b.txt' (" + report.added[0].id + "); nothing added",
    ]
    assert len(store.documents()) == 3
    store.close()
