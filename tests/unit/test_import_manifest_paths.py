"""Which manifest row a file answers to, with folders resolved once per import: the same as
resolving every path, through links to files, to folders and to the manifest itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cisannotate.io.importer import FoundFile, _manifest_key
from cisannotate.services import importing
from cisannotate.storage import Store

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")


def resolved_rule(found: FoundFile, manifest: Path) -> str:
    """The rule as stated: the file's resolved path relative to the resolved manifest's folder."""
    try:
        return found.path.resolve().relative_to(manifest.resolve().parent).as_posix()
    except ValueError:
        return found.relative


def test_manifest_keys_match_the_resolved_rule(tmp_path, monkeypatch):
    (tmp_path / "corpus" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    for name in ("corpus/a.txt", "corpus/sub/b.txt", "elsewhere/c.txt", "corpus/manifest.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "corpus" / "link.txt").symlink_to(tmp_path / "elsewhere" / "c.txt")
    (tmp_path / "alias").symlink_to(tmp_path / "corpus")
    (tmp_path / "elsewhere" / "m.csv").symlink_to(tmp_path / "corpus" / "manifest.csv")
    monkeypatch.chdir(tmp_path)
    manifests = [tmp_path / "corpus/manifest.csv", tmp_path / "alias/manifest.csv",
                 tmp_path / "elsewhere/m.csv", Path("corpus/manifest.csv")]
    files = [tmp_path / "corpus/a.txt", tmp_path / "corpus/sub/b.txt", tmp_path / "corpus/link.txt",
             tmp_path / "alias/sub/b.txt", tmp_path / "elsewhere/c.txt", Path("corpus/a.txt")]
    for manifest in manifests:
        cache: dict[str, str] = {}  # shared across the files, as in one import
        for path in files:
            found = FoundFile(path, None, path.name)
            assert _manifest_key(found, manifest, cache) == resolved_rule(found, manifest), (manifest, path)
    assert _manifest_key(FoundFile(files[1], None, "b.txt"), manifests[0]) == "sub/b.txt"
    assert _manifest_key(FoundFile(files[4], None, "c.txt"), manifests[0]) == "c.txt"


def test_an_import_through_a_linked_folder_reads_the_manifest_rows(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "speech.txt").write_text("We will meet again. The talks go on.", encoding="utf-8")
    (corpus / "manifest.csv").write_text("file,kind,title,event\nsub/speech.txt,transcript,Talks,e7\n",
                                         encoding="utf-8")
    (tmp_path / "alias").symlink_to(corpus)
    store = Store.open(tmp_path / "p.cisannotate")
    report = importing.write(store, importing.read([tmp_path / "alias"], manifest=corpus / "manifest.csv"))
    assert [(d.title, d.kind, d.event, d.source_lines) for d in report.added] == [("Talks", "transcript", "e7", 2)]
    store.close()
