"""What the command line prints for a folder import, ``lines`` and ``documents``.

The texts are small fictional ones written for these tests.
"""

from __future__ import annotations

from pathlib import Path

from cisannotate.cli import run
from cisannotate.io.folders import folder_manifest

TRANSCRIPT = (
    "Minister Okafor: Good morning. The harbour will reopen\n"
    "on Monday after the repairs.\n\n"
    "We thank the crews who worked through the storm. Questions are welcome.\n"
)
ARTICLE = "Harbour to reopen Monday\n\nThe minister said the harbour would reopen on Monday.\n"
MANIFEST = (
    "file,kind,title,outlet,date,event,language,notes\n"
    "speech.txt,transcript,Harbour briefing,Ministry,2031-04-02,harbour-2031,en,\n"
    "report.txt,article,Harbour to reopen Monday,Coast Daily,2031-04-02,harbour-2031,en,\n"
)


def make_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "speech.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (folder / "report.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    (folder / "README.md").write_text("About this folder.\n", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / ".hidden.txt").write_text("not for import\n", encoding="utf-8")
    return folder


def cli(capsys, *args) -> tuple[int, str, str]:
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_folder_import_uses_its_manifest_and_names_every_skipped_file(tmp_path, capsys):
    folder = make_folder(tmp_path)
    project = tmp_path / "p.cisannotate"
    code, out, err = cli(capsys, "import", project, folder)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"using the manifest {folder / 'manifest.csv'}"
    assert "imported speech.txt: transcript, event harbour-2031, 4 source lines" in lines
    # An article has no source lines: the report does not count them.
    assert "imported report.txt: article, event harbour-2031" in lines
    assert "README.md: not a text or HTML file; skipped" in lines
    assert "scan.pdf: not a text or HTML file; skipped" in lines
    assert not any("hidden" in line or "manifest.csv: " in line for line in lines)
    assert lines[-1] == "2 imported, 0 already present, 0 failed, 2 skipped"
    code, out, _ = cli(capsys, "documents", project)
    assert "harbour-2031" in out and "Coast Daily" in out


def test_the_window_and_the_command_line_find_the_same_manifest(tmp_path, qapp):
    from cisannotate.ui.dialogs.import_dialog import ImportDialog

    folder = make_folder(tmp_path)
    dialog = ImportDialog(tmp_path)
    dialog.add_path(folder)
    assert dialog.manifest_path() == folder_manifest([folder]) == folder / "manifest.csv"
    dialog.deleteLater()


def test_lines_escapes_a_line_break_inside_a_source_line(tmp_path, capsys):
    folder = make_folder(tmp_path)
    project = tmp_path / "p.cisannotate"
    cli(capsys, "import", project, folder)
    code, out, _ = cli(capsys, "lines", project, "speech.txt")
    assert code == 0
    rows = out.splitlines()
    assert len(rows) == 4  # one printed row per source line
    assert rows[0].split(None, 1)[0] == "1"
    assert "reopen\\non Monday" in out


def test_documents_cuts_a_long_title_with_an_ellipsis(tmp_path, capsys):
    folder = tmp_path / "one"
    folder.mkdir()
    title = "A very long title about the harbour, the storm, the crews and the reopening on Monday"
    (folder / "long.txt").write_text(title + "\n\nText.\n", encoding="utf-8")
    project = tmp_path / "p.cisannotate"
    cli(capsys, "import", project, folder / "long.txt")
    _code, out, _ = cli(capsys, "documents", project)
    row = out.splitlines()[2]
    assert row.endswith("…")
    assert title[:40] in row and title not in row


def test_screenshot_prints_only_where_it_saved(tmp_path, capsys):
    import os
    import subprocess
    import sys

    project = tmp_path / "sample.cisannotate"
    assert run(["new", str(project), "--sample"]) == 0
    capsys.readouterr()
    out = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CISANNOTATE_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "cisannotate", "screenshot", str(project), str(out), "--review"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 10_000
    assert proc.stdout.strip() == f"saved {out}"
    assert "propagateSizeHints" not in proc.stderr and "propagateSizeHints" not in proc.stdout
