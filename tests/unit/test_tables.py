"""Tidy tables: four CSV files that pandas loads with the right dtypes, pinned as golden files.

Golden files: tests/data/golden/sample.tables/ (regenerate as test_exchange.py says).
"""

from __future__ import annotations

import functools
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from sqlite_utils import Database

from cisannotate.cli import run
from cisannotate.core.model import RELATIONS, Document, Link, SourceLine, Span
from cisannotate.core.text import sha256_text
from cisannotate.io.exchange import ExportOptions, export_project
from cisannotate.io.tables import COLUMNS, DTYPES, TABLE_FILES, TIME_COLUMNS, TablesError, render_tables, write_tables
from cisannotate.sample import build_sample, create_sample_project
from cisannotate.storage import Store

GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "data" / "golden" / "sample.tables"
UPDATE = bool(os.environ.get("CISANNOTATE_UPDATE_GOLDEN"))


@functools.lru_cache(maxsize=1)
def _sample() -> Store:
    store = Store.memory()
    build_sample(store)
    return store


def sample_store() -> Store:
    db = Database(memory=True, strict=True)
    _sample().db.conn.backup(db.conn)
    db.conn.isolation_level = None
    db.execute("PRAGMA foreign_keys = ON")
    return Store(db)


def frames(files: dict[str, bytes], **read) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(io.BytesIO(data), **read) for name, data in files.items()}


def test_golden_tables_of_the_sample():
    files, _ = render_tables(sample_store())
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (GOLDEN / name).write_bytes(data)
        pytest.skip("regenerated sample.tables")
    for name in TABLE_FILES:
        assert files[name] == (GOLDEN / name).read_bytes(), f"{name} differs from the golden file"


def test_plain_read_csv_gives_numbers_booleans_and_one_row_per_thing():
    store = sample_store()
    files, counts = render_tables(store)
    tables = frames(files)
    for name, frame in tables.items():
        assert tuple(frame.columns) == COLUMNS[name]
    claims, links, lines, documents = (tables[n] for n in ("claims.csv", "links.csv", "lines.csv", "documents.csv"))
    assert len(claims) == store.count_spans() == counts["spans"] == 86 and claims["claim_id"].is_unique
    assert claims["no_source"].dtype == bool
    for column in ("start", "end", "links"):
        assert claims[column].dtype == "int64"
    # Counting claims by category does not double-count linked ones any more.
    assert claims.groupby("category").size().sum() == claims["category"].notna().sum()
    assert claims["links"].sum() == len(store.links()) == links["link_id"].nunique() == 69
    assert links["line"].dtype == "int64" and (links.groupby("link_id").size() >= 1).all()
    assert len(documents) == 6 and documents["length"].dtype == "int64"
    for column in ("articles", "outlets", *(f"articles_{r.replace(' ', '_')}" for r in RELATIONS)):
        assert lines[column].dtype == "int64"
    assert (lines["articles"] >= lines["articles_verbatim"]).all()
    # Joins: every link row's claim and line exist.
    joined = links.merge(claims, on="claim_id", validate="many_to_one").merge(
        lines, on=["transcript_id", "line"], validate="many_to_one")
    assert len(joined) == len(links)


def test_lines_count_articles_and_outlets_by_relation():
    store = sample_store()
    tables = frames(render_tables(store)[0], dtype=None)
    lines, links, claims, documents = (tables[n] for n in ("lines.csv", "links.csv", "claims.csv", "documents.csv"))
    outlets = documents.set_index("document_id")["outlet"]
    for row in lines.itertuples():
        reaching = links[(links.transcript_id == row.transcript_id) & (links.line == row.line)]
        assert row.links == len(reaching)
        assert row.articles == reaching["article_id"].nunique()
        assert row.outlets == outlets[reaching["article_id"].unique()].dropna().nunique()
        for relation in RELATIONS:
            some = reaching[reaching.relation == relation]
            assert getattr(row, f"articles_{relation.replace(' ', '_')}") == some["article_id"].nunique()
    # The coverage the window shows (Store.coverage) agrees with the table.
    transcript = next(d for d in store.documents() if d.kind == "transcript")
    coverage = store.coverage(transcript.id)
    mine = lines[lines.transcript_id == transcript.id].set_index("line")
    for number, reports in coverage.items():
        assert mine.loc[number, "articles"] == len({a for a, _, _ in reports})


def test_dtypes_map_loads_every_column_as_documented():
    files, _ = render_tables(sample_store())
    for name, data in files.items():
        frame = pd.read_csv(io.BytesIO(data), dtype=DTYPES[name], keep_default_na=False, na_values=[""],
                            parse_dates=TIME_COLUMNS[name])
        for column, dtype in DTYPES[name].items():
            if column in TIME_COLUMNS[name]:
                assert str(frame[column].dtype).startswith("datetime64"), (name, column)
            else:
                assert str(frame[column].dtype) == {"Int64": "Int64", "boolean": "boolean"}.get(dtype, "string")


def _tricky_store() -> Store:
    """Emoji at a claim's borders, formula-like text, and a link that reaches no source line."""
    store = Store.memory()
    article = "😀=SUM(A1:A2) said the minister😀 and +1 more, -2 less, @all"
    transcript = "First line 😀 here. Second line."
    docs = {}
    for kind, text in (("article", article), ("transcript", transcript)):
        sha = sha256_text(text)
        docs[kind] = Document(id=sha[:16], kind=kind, title=f"=cmd|' /C calc'!A0 {kind}", text=text, sha256=sha,
                              outlet="Outlet 😀")
    store.add_document(docs["article"])
    store.add_document(docs["transcript"], [
        SourceLine(docs["transcript"].id, 1, 0, 18, 1), SourceLine(docs["transcript"].id, 2, 19, 31, 1)])
    end = article.index("😀", 1)
    store.add_span(Span(id="s1", document_id=docs["article"].id, start=1, end=end, annotator="amira",
                        layer="amira", note="-note"))
    store.add_link(Link(id="k1", span_id="s1", target_document_id=docs["transcript"].id, target_start=11,
                        target_end=25, relation="distortion", annotator="amira", layer="amira"))
    store.add_link(Link(id="k2", span_id="s1", target_document_id=docs["transcript"].id, target_start=18,
                        target_end=19, relation="verbatim", annotator="amira", layer="amira"))
    return store


def test_non_bmp_offsets_formula_cells_and_a_link_without_a_line():
    store = _tricky_store()
    plain = frames(render_tables(store)[0], keep_default_na=False)
    claim = plain["claims.csv"].iloc[0]
    assert (claim.start, claim.end) == (1, 30) and claim.quote == "=SUM(A1:A2) said the minister"
    assert claim.note == "-note"  # kept as it is by default
    links = plain["links.csv"]
    assert list(zip(links.link_id, links.line)) == [("k1", "1"), ("k1", "2"), ("k2", "")]  # an empty line: no number
    assert links.iloc[0].target_text == "😀 here. Second"  # code points: the emoji is one
    typed = pd.read_csv(io.BytesIO(render_tables(store)[0]["links.csv"]), dtype=DTYPES["links.csv"])
    assert typed["line"].isna().tolist() == [False, False, True] and str(typed["line"].dtype) == "Int64"

    excel, _ = render_tables(store, excel=True)
    for data in excel.values():
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    quoted = frames(excel, encoding="utf-8-sig", keep_default_na=False)
    claim = quoted["claims.csv"].iloc[0]
    assert claim.quote == "'=SUM(A1:A2) said the minister" and claim.note == "'-note"
    assert (claim.start, claim.end) == (1, 30)  # numbers are never quoted
    assert quoted["documents.csv"].iloc[0].title.startswith("'=cmd")
    kept = frames(render_tables(store, excel=True, formula_cells="keep")[0], encoding="utf-8-sig")
    assert kept["claims.csv"].iloc[0].quote.startswith("=SUM")
    with pytest.raises(ValueError):
        render_tables(store, formula_cells="drop")


def test_folder_and_zip_are_written_whole(tmp_path):
    store = sample_store()
    files, _ = render_tables(store)
    folder = tmp_path / "tables"
    write_tables(folder, files)
    assert sorted(p.name for p in folder.iterdir()) == sorted(TABLE_FILES)
    write_tables(folder, files)  # a folder of earlier tables is replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
    (folder / "mine.txt").write_text("keep me")
    with pytest.raises(TablesError, match="holds other files"):
        write_tables(folder, files)
    assert (folder / "mine.txt").read_text() == "keep me"
    archive = tmp_path / "t.zip"
    write_tables(archive, files)
    with zipfile.ZipFile(archive) as z:
        assert z.namelist() == list(TABLE_FILES)
        assert {n: z.read(n) for n in TABLE_FILES} == files
    summary = export_project(store, tmp_path / "via.zip", ExportOptions("csv"))  # csv: the tables' other name
    assert summary is not None and summary.format == "tables" and summary.spans == 86


def test_cli_tables_to_a_folder_and_a_zip_and_refusals(tmp_path, capsys):
    project = tmp_path / "p.cisannotate"
    create_sample_project(project).close()
    assert run(["export", str(project), "-o", str(tmp_path / "out"), "--format", "tables"]) == 0
    for name in TABLE_FILES:
        assert (tmp_path / "out" / name).read_bytes() == (GOLDEN / name).read_bytes()
    assert run(["export", str(project), "-o", str(tmp_path / "x.zip"), "--format", "csv", "--excel"]) == 0
    assert "86 annotations, 69 links, for Excel" in capsys.readouterr().out
    for out, message in ((tmp_path / "one.csv", "the tables are four files"), ("-", "not -")):
        assert run(["export", str(project), "-o", str(out), "--format", "tables"]) == 1
        assert message in capsys.readouterr().err
    assert not (tmp_path / "one.csv").exists()
