"""Tidy tables of a project's work, for pandas, R or a spreadsheet.

Four CSV files, each one kind of thing with one row per thing and one value per cell:

- ``documents.csv``: one row per document;
- ``claims.csv``: one row per span (claim), with its labels and how many links it has;
- ``links.csv``: one row per link and source line it reaches (a link over two lines is two
  rows; one over no line, a single row with an empty ``line``);
- ``lines.csv``: one row per transcript source line with its coverage: how many articles
  and outlets report it, in all and by relation.

Rows join on ``document_id``, ``claim_id``, ``link_id`` and (``transcript_id``, ``line``).
Offsets count Unicode code points, end exclusive. Booleans are ``true``/``false``; times
are ISO 8601 in UTC. ``DTYPES`` gives each column's pandas dtype.

They go to a folder or to one .zip file. The Excel variant writes UTF-8 with a byte-order
mark (so Excel reads the accents right). Cells starting with ``=``, ``+``, ``-`` or ``@``
(``formula_cells``): "keep" writes them as they are (what pandas and R want); "quote"
puts an apostrophe before them so a spreadsheet shows them as text instead of running them
as formulas. The default is "quote" for the Excel variant and "keep" otherwise.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import zipfile
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.model import RELATIONS, SourceLine
from ..storage import Store
from ..storage.atomic import fsync_file, fsync_folder, write_atomic
from .selection import ProgressCounter, select

TABLE_FILES = ("documents.csv", "claims.csv", "links.csv", "lines.csv")
FORMULA_CELLS = ("keep", "quote")
_FORMULA_START = ("=", "+", "-", "@")


def _slug(relation: str) -> str:
    return relation.replace(" ", "_")


COLUMNS: dict[str, tuple[str, ...]] = {
    "documents.csv": (
        "document_id", "kind", "title", "outlet", "date", "event", "language", "url", "source_file",
        "sha256", "length", "source_lines", "claims", "links",
    ),
    "claims.csv": (
        "claim_id", "document_id", "start", "end", "quote", "category", "speaker", "speaker_role", "mode",
        "channel", "no_source", "links", "note", "layer", "annotator", "created", "modified",
    ),
    "links.csv": (
        "link_id", "claim_id", "article_id", "transcript_id", "target_start", "target_end", "line",
        "relation", "target_text", "note", "layer", "annotator", "created", "modified",
    ),
    "lines.csv": (
        "transcript_id", "line", "start", "end", "paragraph", "speaker", "text", "links", "articles", "outlets",
        *(f"{what}_{_slug(r)}" for r in RELATIONS for what in ("articles", "outlets")),
    ),
}  # fmt: skip

_INTEGERS = {"length", "source_lines", "claims", "links", "start", "end", "target_start", "target_end", "line",
             "paragraph", "articles", "outlets"} | {f"{w}_{_slug(r)}" for r in RELATIONS for w in ("articles", "outlets")}
_BOOLEANS = {"no_source"}
_TIMES = {"created", "modified"}
# Each table's columns as pandas dtypes (``pandas.read_csv(path, dtype=...)``); times are strings
# there, to be parsed with ``parse_dates`` or ``pandas.to_datetime``.
DTYPES: dict[str, dict[str, str]] = {
    name: {c: "Int64" if c in _INTEGERS else "boolean" if c in _BOOLEANS else "string" for c in columns}
    for name, columns in COLUMNS.items()
}
TIME_COLUMNS: dict[str, list[str]] = {name: [c for c in cols if c in _TIMES] for name, cols in COLUMNS.items()}


class TablesError(Exception):
    """The tables cannot go where they were asked to; nothing was written."""


def _overlapping(lines: list[SourceLine], starts: list[int], start: int, end: int) -> list[SourceLine]:
    """The (ordered, disjoint) source lines that overlap ``[start, end)``."""
    found = []
    at = bisect_left(starts, end) - 1
    while at >= 0 and lines[at].end > start:
        found.append(lines[at])
        at -= 1
    return found[::-1]


def table_rows(store: Store, annotator: str | None = None, progress: Any = None) -> dict[str, list[dict[str, Any]]]:
    """The four tables as lists of row dicts (Python values: int, bool, str)."""
    sel = select(store, annotator)
    counter = ProgressCounter(len(sel.spans) + len(sel.links) + sum(len(v) for v in sel.lines.values()) + 1, progress)
    docs = {d.id: d for d in sel.documents}
    categories = {c.id: c.name for c in store.categories()}
    speakers = {s.id: s for s in store.speakers()}
    channels = {c.id: c.name for c in store.channels()}
    spans_by_id = {s.id: s for s in sel.spans}
    links_per_span: dict[str, int] = defaultdict(int)
    for link in sel.links:
        links_per_span[link.span_id] += 1

    claims = []
    for span in sel.spans:
        speaker = speakers.get(span.speaker_id) if span.speaker_id else None
        claims.append({
            "claim_id": span.id, "document_id": span.document_id, "start": span.start, "end": span.end,
            "quote": docs[span.document_id].text[span.start : span.end],
            "category": categories.get(span.category_id, "") if span.category_id else "",
            "speaker": speaker.name if speaker else "", "speaker_role": speaker.role if speaker else "",
            "mode": span.mode or "", "channel": channels.get(span.channel_id, "") if span.channel_id else "",
            "no_source": bool(span.no_source), "links": links_per_span[span.id], "note": span.note,
            "layer": span.layer, "annotator": span.annotator, "created": span.created, "modified": span.modified,
        })
        counter.step()

    line_starts = {doc_id: [ln.start for ln in lines] for doc_id, lines in sel.lines.items()}
    # (transcript, line) -> relation (or None for all) -> articles and outlets reporting it
    reach: dict[tuple[str, int], dict[str | None, tuple[set[str], set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: (set(), set()))
    )
    link_rows = []
    for link in sel.links:
        span = spans_by_id.get(link.span_id) or store.span(link.span_id)
        target = docs[link.target_document_id]
        article = docs[span.document_id]
        base = {
            "link_id": link.id, "claim_id": link.span_id, "article_id": span.document_id,
            "transcript_id": target.id, "target_start": link.target_start, "target_end": link.target_end,
            "relation": link.relation, "target_text": target.text[link.target_start : link.target_end],
            "note": link.note, "layer": link.layer, "annotator": link.annotator, "created": link.created,
            "modified": link.modified,
        }
        reached = _overlapping(sel.lines.get(target.id, []), line_starts.get(target.id, []),
                               link.target_start, link.target_end)
        for line in reached:
            link_rows.append({**base, "line": line.number})
            for relation in (None, link.relation):
                articles, outlets = reach[(target.id, line.number)][relation]
                articles.add(article.id)
                if article.outlet:
                    outlets.add(article.outlet)
        if not reached:
            link_rows.append({**base, "line": None})
        counter.step()

    line_rows = []
    for doc in sel.documents:
        for line in sel.lines.get(doc.id, []):
            counts = reach.get((doc.id, line.number), {})
            row: dict[str, Any] = {
                "transcript_id": doc.id, "line": line.number, "start": line.start, "end": line.end,
                "paragraph": line.paragraph, "speaker": line.speaker or "", "text": doc.text[line.start : line.end],
                "links": 0,  # counted below
            }
            everything = counts.get(None, (set(), set()))
            row["articles"], row["outlets"] = len(everything[0]), len(everything[1])
            for relation in RELATIONS:
                articles, outlets = counts.get(relation, (set(), set()))
                row[f"articles_{_slug(relation)}"] = len(articles)
                row[f"outlets_{_slug(relation)}"] = len(outlets)
            line_rows.append(row)
            counter.step()
    per_line: dict[tuple[str, int], int] = defaultdict(int)
    for r in link_rows:
        if r["line"] is not None:
            per_line[(r["transcript_id"], r["line"])] += 1
    for row in line_rows:
        row["links"] = per_line[(row["transcript_id"], row["line"])]

    claims_per_doc: dict[str, int] = defaultdict(int)
    for span in sel.spans:
        claims_per_doc[span.document_id] += 1
    links_per_doc: dict[str, int] = defaultdict(int)
    for link in sel.links:
        links_per_doc[(spans_by_id.get(link.span_id) or store.span(link.span_id)).document_id] += 1
    documents = [
        {
            "document_id": d.id, "kind": d.kind, "title": d.title, "outlet": d.outlet, "date": d.date,
            "event": d.event, "language": d.language, "url": d.url, "source_file": d.source_file,
            "sha256": d.sha256, "length": len(d.text), "source_lines": len(sel.lines.get(d.id, [])),
            "claims": claims_per_doc[d.id], "links": links_per_doc[d.id],
        }
        for d in sel.documents
    ]
    counter.step()
    return {"documents.csv": documents, "claims.csv": claims, "links.csv": link_rows, "lines.csv": line_rows}


def _cell(value: Any, quote_formulas: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if quote_formulas and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_tables(
    store: Store, *, annotator: str | None = None, excel: bool = False, formula_cells: str | None = None,
    progress: Any = None,
) -> tuple[dict[str, bytes], dict[str, int]]:
    """The four CSV files as bytes, with how many documents, spans and links they hold."""
    formula_cells = formula_cells or ("quote" if excel else "keep")
    if formula_cells not in FORMULA_CELLS:
        raise ValueError(f"formula_cells must be one of {', '.join(FORMULA_CELLS)}, not {formula_cells!r}")
    quote = formula_cells == "quote"
    tables = table_rows(store, annotator, progress)
    files = {}
    for name in TABLE_FILES:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
        columns = COLUMNS[name]
        writer.writerow(columns)
        for row in tables[name]:
            writer.writerow([_cell(row[c], quote and c not in _INTEGERS) for c in columns])
        files[name] = (("\ufeff" if excel else "") + out.getvalue()).encode("utf-8")
    counts = {"documents": len(tables["documents.csv"]), "spans": len(tables["claims.csv"]),
              "links": len({r["link_id"] for r in tables["links.csv"]})}
    return files, counts


def is_zip_path(path: Path) -> bool:
    return Path(path).suffix.lower() == ".zip"


def check_destination(out: str) -> None:
    """Refuse, before any work, a destination the tables cannot go to (TablesError)."""
    if out == "-":
        raise TablesError("the tables are four files: name a folder or a file ending in .zip, not -")
    path = Path(out)
    if path.suffix.lower() == ".csv":
        raise TablesError(
            f"{path}: the tables are four files (documents, claims, links, lines), not one CSV; "
            f"name a folder (e.g. {path.with_suffix('')}) or a file ending in .zip"
        )
    if not is_zip_path(path) and path.exists() and not path.is_dir():
        raise TablesError(f"{path}: is a file; the tables go to a folder or to a file ending in .zip")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` in a fixed order with fixed times, so two exports are byte-identical."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in TABLE_FILES:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_tables(path: Path, files: dict[str, bytes], *, protect: Iterable[Path] = ()) -> None:
    """Write the tables to a .zip file or a folder, whole or not at all.

    A folder that exists must hold nothing but earlier tables: it is replaced as a whole,
    never mixed with other files.
    """
    path = Path(path)
    if is_zip_path(path):
        if path.is_dir():
            raise TablesError(f"{path}: is a folder; name a .zip file or a folder without the .zip ending")
        write_atomic(path, zip_bytes(files), protect=protect)
        return
    if path.exists() and not path.is_dir():
        raise TablesError(f"{path}: is a file; the tables go to a folder or to a file ending in .zip")
    if path.is_dir():
        others = sorted(p.name for p in path.iterdir() if p.name not in TABLE_FILES)
        if others:
            raise TablesError(f"{path}: the folder holds other files ({', '.join(others[:3])}); "
                              "choose an empty or new folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part"))
    try:
        for name in TABLE_FILES:
            with open(staging / name, "wb") as handle:
                handle.write(files[name])
            fsync_file(staging / name)
        fsync_folder(staging)
        os.chmod(staging, 0o777 & ~_umask())
        if path.is_dir():
            old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
            os.replace(path, old / "tables")
            try:
                os.replace(staging, path)
            except BaseException:
                os.replace(old / "tables", path)
                raise
            finally:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, path)
        fsync_folder(path.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
