"""cisannotate.open_project: read-only, never creates a file, tables as documented; the doc's example runs."""

from __future__ import annotations

import builtins
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

import cisannotate
from cisannotate.io.tables import COLUMNS, DTYPES
from cisannotate.sample import create_sample_project
from cisannotate.storage import ProjectError

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "python-api.md"


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "study.cisannotate"
    create_sample_project(path).close()
    return path


def _listing(folder: Path) -> dict[str, tuple[int, int] | None]:
    """Each file's size and time; SQLite's shared-memory index (-shm) only by name: readers use it too."""
    return {p.name: None if p.name.endswith("-shm") else (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.iterdir()}


def test_the_worked_example_in_the_doc_runs_on_the_sample(sample_file, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 5
    monkeypatch.chdir(sample_file.parent)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102 (the doc's own example)
    out = capsys.readouterr().out
    assert "6 documents, 86 claims" in out and "source lines unreported" in out
    assert namespace["project"].store.read_only


def test_nothing_is_written_or_created(tmp_path):
    # A project of its own, closed as the window closes it: no -wal or -shm beside it, and
    # none left after reading it (a read-only SQLite connection would create both and keep them).
    sample_file = tmp_path / "own" / "study.cisannotate"
    sample_file.parent.mkdir()
    create_sample_project(sample_file).close()
    before = _listing(sample_file.parent)
    assert sorted(before) == ["study.cisannotate"]
    with cisannotate.open_project(sample_file) as project:
        for method in ("documents", "claims", "links", "lines", "coverage", "agreement"):
            getattr(project, method)()
        assert project.store.read_only
    assert _listing(sample_file.parent) == before
    missing = tmp_path / "stdy.cisannotate"
    with pytest.raises(FileNotFoundError, match="stdy.cisannotate"):
        cisannotate.open_project(missing)
    with pytest.raises(IsADirectoryError):
        cisannotate.open_project(tmp_path)
    assert list(tmp_path.iterdir()) == [sample_file.parent]
    (tmp_path / "notes.txt").write_text("not a project")
    with pytest.raises(ProjectError, match="notes.txt"):
        cisannotate.open_project(tmp_path / "notes.txt")


def test_tables_have_the_documented_columns_and_dtypes(sample_file):
    with cisannotate.open_project(sample_file) as project:
        for name, method in (("documents.csv", project.documents), ("claims.csv", project.claims),
                             ("links.csv", project.links), ("lines.csv", project.lines)):
            frame = method()
            assert tuple(frame.columns) == COLUMNS[name]
            for column, dtype in DTYPES[name].items():
                if column in ("created", "modified"):
                    assert str(frame[column].dtype) == "datetime64[ns, UTC]" or \
                        str(frame[column].dtype).startswith("datetime64[")
                else:
                    assert str(frame[column].dtype) == {"string": "string"}.get(dtype, dtype), (name, column)
        claims = project.claims()
        texts = {d: project.store.text(d) for d in claims["document_id"].unique()}
        assert all(texts[r.document_id][r.start:r.end] == r.quote for r in claims.itertuples())
        jonas = project.claims(layer="jonas")
        assert set(jonas["layer"]) == {"jonas"} and 0 < len(jonas) < len(claims)
        coverage = project.coverage()
        lines = project.lines()
        reported = coverage.groupby(["transcript_id", "line"])["article_id"].nunique()
        indexed = lines.set_index(["transcript_id", "line"])["articles"]
        assert (indexed.loc[reported.index] == reported).all()
        assert indexed.drop(reported.index).eq(0).all()
        agreement = project.agreement()
        kappa = agreement[(agreement.figure == "category_kappa") & agreement.document_id.isna()]
        assert len(kappa) == 1 and 0 < kappa.iloc[0].value <= 1 and kappa.iloc[0].n > 0
        with pytest.raises(ValueError, match="nobody"):
            project.agreement(["amira", "nobody"])


def test_a_clear_message_when_pandas_is_missing(sample_file, monkeypatch):
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    project = cisannotate.open_project(sample_file)  # opening needs no pandas
    try:
        with pytest.raises(ImportError, match=re.escape("pip install cisannotate[data]")):
            project.claims()
    finally:
        project.close()
    assert pd  # the real pandas stays importable for the other tests
