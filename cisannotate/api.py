"""A project's work as pandas tables, for notebooks and scripts: ``cisannotate.open_project``.

The project is opened read-only: nothing is written to it, no file is created (a missing
path raises FileNotFoundError), and the window may keep it open for editing meanwhile.
The tables are those of ``cisannotate export --format tables`` (``io/tables.py``), with
the same columns and dtypes, plus ``coverage()`` and ``agreement()``. pandas is an
optional dependency (``pip install cisannotate[data]``), imported on first use.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.model import REVIEWED_LAYER
from .storage import Store

if TYPE_CHECKING:
    import pandas

__all__ = ["Project", "open_project"]

PANDAS_MISSING = (
    "the tables of cisannotate.open_project need pandas, which is not installed: "
    "pip install cisannotate[data]  (or: pip install pandas)"
)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(PANDAS_MISSING) from exc
    return pandas


def open_project(path: str | os.PathLike[str]) -> Project:
    """Open the project at ``path`` read-only, for reading its work as DataFrames.

    Raises FileNotFoundError (naming the path) when there is no such file, and
    ``cisannotate.storage.ProjectError`` when the file is not a project cisannotate can read.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such project file", str(path))
    if path.is_dir():
        raise IsADirectoryError(21, "A folder, not a project file", str(path))
    return Project(Store.open(path, create=False, read_only=True))


class Project:
    """A read-only project. Every method returns a new pandas DataFrame.

    ``layer`` limits claims and links (and what is counted from them) to one annotator's
    layer or ``"reviewed"``; by default every layer is included.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.path
        self._tables: dict[str | None, dict[str, list[dict[str, Any]]]] = {}

    # ------------------------------------------------------------- lifetime
    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<cisannotate project {self.path} (read-only)>"

    # --------------------------------------------------------------- tables
    def _frame(self, name: str, layer: str | None) -> pandas.DataFrame:
        from .io.tables import COLUMNS, DTYPES, TIME_COLUMNS, table_rows

        pd = _pandas()
        if layer not in self._tables:
            self._tables[layer] = table_rows(self.store, layer)
        frame = pd.DataFrame(self._tables[layer][name], columns=list(COLUMNS[name]))
        dtypes = {c: d for c, d in DTYPES[name].items() if c not in TIME_COLUMNS[name]}
        frame = frame.astype(dtypes)
        for column in TIME_COLUMNS[name]:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        return frame

    def documents(self, layer: str | None = None) -> pandas.DataFrame:
        """One row per document: kind, title, outlet, date, event, language, url, length, counts."""
        return self._frame("documents.csv", layer)

    def claims(self, layer: str | None = None) -> pandas.DataFrame:
        """One row per claim (span): offsets, quote, category, speaker, mode, channel, layer."""
        return self._frame("claims.csv", layer)

    def links(self, layer: str | None = None) -> pandas.DataFrame:
        """One row per link and source line it reaches (``line`` is <NA> when it reaches none)."""
        return self._frame("links.csv", layer)

    def lines(self, layer: str | None = None) -> pandas.DataFrame:
        """One row per transcript source line, with how many articles and outlets report it, by relation."""
        return self._frame("lines.csv", layer)

    def coverage(self, layer: str | None = None) -> pandas.DataFrame:
        """One row per source line, article and relation that reaches it: who reports which line, and how.

        Columns: transcript_id, line, article_id, outlet, relation, links (how many links).
        Lines nobody reports are in ``lines()`` with ``articles == 0``.
        """
        pd = _pandas()
        links = self.links(layer).dropna(subset=["line"])
        outlets = self.documents(layer).set_index("document_id")["outlet"]
        links = links.assign(outlet=links["article_id"].map(outlets).astype("string"))
        keys = ["transcript_id", "line", "article_id", "outlet", "relation"]
        if links.empty:
            frame = pd.DataFrame({**{k: pd.Series(dtype=links[k].dtype) for k in keys},
                                  "links": pd.Series(dtype="Int64")})
            return frame
        grouped = links.groupby(keys, dropna=False, sort=True).size().rename("links").reset_index()
        return grouped.astype({"links": "Int64"})

    def agreement(self, annotators: list[str] | None = None) -> pandas.DataFrame:
        """Agreement between annotators' layers, one row per figure, over all documents and per document.

        Columns: document_id (<NA> for all documents together), annotator_a, annotator_b
        (both <NA> for the figure over every annotator), figure, value (float; <NA> when
        undefined), n (the items it rests on). By default every layer but "reviewed".
        """
        from .adjudication import compute_report

        pd = _pandas()
        layers = self.store.layers()
        chosen = list(annotators) if annotators else [name for name in layers if name != REVIEWED_LAYER]
        unknown = [name for name in chosen if name not in layers]
        if unknown:
            raise ValueError(f"no annotations in layer {unknown[0]!r} (layers: {', '.join(layers) or 'none'})")
        if len(chosen) < 2:
            raise ValueError(f"agreement needs at least two annotators' layers; found {chosen or 'none'}")
        report = compute_report(self.store, chosen)
        rows: list[tuple[Any, ...]] = []
        scopes = [(None, report.overall)] + sorted(report.documents.items())
        for document_id, scope in scopes:
            for name, figure in sorted(scope.group.items()):
                rows.append((document_id, None, None, name, figure.value, figure.n))
            for (a, b), figures in scope.pairs.items():
                for name, figure in sorted(figures.items()):
                    rows.append((document_id, a, b, name, figure.value, figure.n))
        frame = pd.DataFrame(rows, columns=["document_id", "annotator_a", "annotator_b", "figure", "value", "n"])
        return frame.astype({"document_id": "string", "annotator_a": "string", "annotator_b": "string",
                             "figure": "string", "value": "Float64", "n": "Int64"})
