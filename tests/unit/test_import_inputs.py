"""What import reads, and what it says about what it did not read.

* ``--encoding`` is a fallback: a byte-order mark, valid UTF-8 and an HTML
  page's own <meta charset> win over it, and a forced encoding that turns the
  bytes into implausible text is refused rather than stored as mojibake.
* A manifest is parsed strictly (an unterminated quote is an error naming the
  file and row), its rows are matched by path relative to the folder, and
  every row that matches no file is reported.
* Only regular files are read, and never more than the size limit: /dev/zero
  and a FIFO are refused without blocking. Files of a folder that are not read
  (a PDF, a picture) are named in the report.
* A project that cannot be written (a full disk) gives a clear message and no
  traceback; a backup that could not be taken on opening is reported.

All texts are fictional and written for these tests.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.io.importer import prepare_imports
from cisannotate.io.textfile import ImportProblem, read_document_file, read_manifest
from cisannotate.storage import Store

RUSSIAN = (
    "Министр заявил, что граница останется закрытой до конца месяца. "
    "Критики назвали это решение поспешным и попросили опубликовать доклад комиссии.\n"
)


def texts(store: Store) -> list[str]:
    return sorted(store.text(d.id) for d in store.documents())


def cli_import(capsys, project: Path, *args: str) -> tuple[int, str, str]:
    code = run(["import", str(project), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ encodings
def test_a_forced_encoding_does_not_override_utf8_a_bom_or_a_meta_charset(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "utf8.txt").write_bytes(RUSSIAN.encode("utf-8"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ("Заголовок. " + RUSSIAN).encode("utf-8"))
    (folder / "utf16.txt").write_bytes(("Второй текст. " + RUSSIAN).encode("utf-16"))
    (folder / "page.html").write_bytes(
        ('<html><head><meta charset="koi8-r"></head><body><p>Третий текст. ' + RUSSIAN + "</p></body></html>")
        .encode("koi8-r")
    )
    (folder / "legacy.txt").write_bytes(("Четвёртый текст. " + RUSSIAN).encode("cp1251"))
    project = tmp_path / "p.cisannotate"
    code, out, err = cli_import(capsys, project, folder, "--encoding", "cp1251")
    assert code == 0, err
    store = Store.open(project, read_only=True)
    try:
        stored = texts(store)
    finally:
        store.close()
    assert len(stored) == 5
    assert all("граница останется закрытой" in t for t in stored), stored


def test_a_forced_encoding_that_yields_implausible_text_is_refused(tmp_path):
    rng = __import__("random").Random(13)
    refused = 0
    for i in range(50):
        path = tmp_path / f"noise{i}.txt"
        data = bytes(rng.randrange(128, 256) if rng.random() < 0.7 else rng.randrange(0, 256) for _ in range(10))
        path.write_bytes(data)
        try:
            data.decode("utf-8")
            continue  # valid UTF-8 by chance: not what this test is about
        except UnicodeDecodeError:
            pass
        with pytest.raises(ImportProblem, match=f"noise{i}.txt.*cp1251"):
            read_document_file(path, encoding="cp1251")
        refused += 1
    assert refused >= 40
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(RUSSIAN.encode("cp1251"))
    assert read_document_file(legacy, encoding="cp1251") == RUSSIAN


# ------------------------------------------------------------------ manifests
def test_a_manifest_with_an_unterminated_quote_names_file_and_row(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text('file,kind,title\na.txt,article,Fine\nb.txt,article,"Never closed\nc.txt,article,Lost\n')
    with pytest.raises(ImportProblem, match=r"manifest.csv: row 3 .*quote"):
        read_manifest(manifest)


def test_manifest_rows_are_matched_by_relative_path_and_unmatched_rows_are_reported(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "003_talk.txt").write_text("SPEAKER: We met today. We agreed on a plan.\n")
    (folder / "sub" / "003_talk.txt").write_text("An article that repeats a file name in a subfolder.\n")
    (folder / "004_notes.txt").write_text("An article about the meeting.\n")
    manifest = folder / "manifest.csv"
    manifest.write_text(
        "file,kind,event\n003_talk.txt,transcript,summit\n004_notes.txt,article,summit\nmissing.txt,article,x\n"
        "sub/005_gone.txt,article,y\n"
    )
    plan = prepare_imports([folder], manifest=manifest)
    kinds = {str(p.path.relative_to(folder)): (p.document.kind, p.document.event) for p in plan.prepared}
    assert kinds == {"003_talk.txt": ("transcript", "summit"), "004_notes.txt": ("article", "summit")}
    skipped = "\n".join(plan.skipped)
    assert "sub/003_talk.txt" in skipped and "not listed" in skipped
    assert "row 4" in skipped and "missing.txt" in skipped
    assert "row 5" in skipped and "sub/005_gone.txt" in skipped


def test_a_manifest_may_name_files_in_subfolders(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "talks").mkdir(parents=True)
    (folder / "talks" / "one.txt").write_text("SPEAKER: Hello. We begin.\n")
    manifest = folder / "manifest.csv"
    manifest.write_text("file,kind,event\ntalks/one.txt,transcript,e1\n")
    plan = prepare_imports([folder], manifest=manifest)
    assert [(p.document.kind, p.document.event) for p in plan.prepared] == [("transcript", "e1")]
    assert plan.skipped == []


# ------------------------------------------------------------------ not regular files
def test_dev_zero_is_refused(tmp_path):
    with pytest.raises(ImportProblem, match="zero.*not a regular file"):
        read_document_file(Path("/dev/zero"))


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result: list[object] = []

    def read() -> None:
        try:
            read_document_file(fifo)
        except ImportProblem as exc:
            result.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert result and "not a regular file" in str(result[0])


def test_files_a_folder_import_does_not_read_are_named(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / "more").mkdir(parents=True)
    (folder / "a.txt").write_text("An article about the port.\n")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 fictional")
    (folder / "more" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    code, out, err = cli_import(capsys, tmp_path / "p.cisannotate", folder)
    assert code == 0
    assert "scan.pdf" in out and "photo.jpg" in out
    assert "2 skipped" in out


# ------------------------------------------------------------------ full disk, missing backup
def test_import_onto_a_full_disk_gives_a_clear_message(tmp_path, capsys, monkeypatch):
    project = tmp_path / "p.cisannotate"
    Store.open(project).close()
    article = tmp_path / "a.txt"
    article.write_text("An article about the port.\n")

    def full(self, *args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add_documents", full)
    code, out, err = cli_import(capsys, project, article)
    assert code == 1
    assert "p.cisannotate" in err and "disk is full" in err and "nothing was imported" in err
    assert "Traceback" not in err


def test_a_backup_that_could_not_be_taken_is_reported(tmp_path, capsys, monkeypatch):
    from cisannotate.storage import project as project_module

    project = tmp_path / "p.cisannotate"
    Store.open(project).close()
    article = tmp_path / "a.txt"
    article.write_text("An article about the port.\n")

    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_module, "take_backup", no_room)
    code, out, err = cli_import(capsys, project, article)
    assert code == 0
    assert "no backup" in err.lower() and "No space left on device" in err
    store = Store.open(project)
    try:
        assert store.backup_problem and "No space left" in store.backup_problem
    finally:
        store.close()
