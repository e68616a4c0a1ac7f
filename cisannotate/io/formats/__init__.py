"""The formats of other annotation tools, written and read (Qt-free).

Each module (labelstudio, doccano, brat, webanno, qdpx) has ``write(project)``
turning the native export with texts into the format's bytes, and
``read(data, options)`` turning the format's bytes back into a native export,
which the merge then checks and writes in one transaction. This package also
recognises these files (and cisannotate's own exports) when they are given to
``import`` as if they were documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a type only: the exchange module (and the storage) load with a format's use
    from ..exchange import ProgressCheck
from .common import APPROXIMATE_TIME, MAX_FILE_BYTES, UNKNOWN_TIME, FormatError, ReadOptions, fill_times, write_bytes_atomic

__all__ = [
    "FORMAT_NAMES", "FormatError", "ReadOptions", "detect", "export_format", "import_annotations",
    "module", "read_native", "refusal", "render_format",
]

# In the order the command line and the window offer them.
FORMAT_NAMES = ("labelstudio", "doccano", "brat", "webanno", "qdpx")
LABELS = {
    "labelstudio": "Label Studio JSON",
    "doccano": "doccano JSONL",
    "brat": "brat standoff (.txt + .ann, zipped)",
    "webanno": "INCEpTION / WebAnno (UIMA CAS XMI, zipped)",
    "qdpx": "REFI-QDA project (.qdpx: MAXQDA, ATLAS.ti, NVivo)",
}
# What each is for, as the export dialog says it.
PURPOSES = {
    "labelstudio": "to label on in Label Studio, with all layers",
    "doccano": "to label on in doccano (one line per text and layer)",
    "brat": "for brat and linguistics tools (one folder per layer)",
    "webanno": "for an INCEpTION project (article and transcript as its documents)",
    "qdpx": "codes, coded segments and memos for QDA programs",
}
SUFFIXES = {"labelstudio": ".json", "doccano": ".jsonl", "brat": ".zip", "webanno": ".zip", "qdpx": ".qdpx"}



def module(fmt: str) -> ModuleType:
    """The module of a format, imported when first needed (statically, so a bundle finds it)."""
    if fmt == "labelstudio":
        from . import labelstudio

        return labelstudio
    if fmt == "doccano":
        from . import doccano

        return doccano
    if fmt == "brat":
        from . import brat

        return brat
    if fmt == "webanno":
        from . import webanno

        return webanno
    if fmt == "qdpx":
        from . import qdpx

        return qdpx
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMAT_NAMES)})")


@dataclass(frozen=True)
class FormatSummary:
    path: Path
    format: str
    documents: int
    spans: int
    links: int


def render_format(store: Any, fmt: str, *, annotator: str | None = None, offsets: str = "codepoints") -> tuple[bytes, dict[str, int]]:
    """The export in ``fmt`` as bytes, with how many documents, spans and links it holds."""
    from ..exchange import native_export

    mod = module(fmt)
    project = native_export(store, with_text=True, annotator=annotator)
    kwargs = {"offsets": offsets} if fmt == "labelstudio" else {}
    body = mod.write(project, **kwargs)
    return body, {"documents": len(project["documents"]), "spans": len(project["spans"]),
                  "links": len(project["links"])}


def export_format(store: Any, path: Path, fmt: str, *, annotator: str | None = None,
                  offsets: str = "codepoints") -> FormatSummary:
    """Write the export to ``path`` (complete or not at all)."""
    body, counts = render_format(store, fmt, annotator=annotator, offsets=offsets)
    project = getattr(store, "path", None)
    write_bytes_atomic(Path(path), body, protect=[project] if project is not None else [])
    return FormatSummary(Path(path), fmt, **counts)


def read_native(path: Path, fmt: str, *, annotator: str | None = None, offsets: str = "auto") -> dict[str, Any]:
    """Read a file of ``fmt`` into a native export; FormatError naming the file and the problem."""
    path = Path(path)
    options = ReadOptions(name=path.name, annotator=annotator, offsets=offsets)
    if fmt == "brat" and (path.is_dir() or path.suffix.lower() in (".ann", ".txt")):
        from . import brat

        return brat.read_members(_brat_files(path), options)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FormatError(f"{path.name}: too large ({size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    return module(fmt).read(data, options)


def _brat_files(path: Path) -> dict[str, bytes]:
    """A brat collection on disk (a folder, or one document's .ann or .txt) as zip-like members."""
    if path.is_dir():
        root = path
        files = [p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in (".txt", ".ann", ".tsv", ".json")]
    else:
        root = path.parent
        files = [path.with_suffix(".txt"), path.with_suffix(".ann")]
        files += [p for p in (root / "links.tsv", root / "cisannotate.json", root.parent / "cisannotate.json") if p.is_file()]
    members: dict[str, bytes] = {}
    total = 0
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise FormatError(f"{file}: cannot read the file ({exc.strerror or exc})") from exc
        total += len(data)
        if total > MAX_FILE_BYTES:
            raise FormatError(f"{path.name}: the collection is larger than {MAX_FILE_BYTES // 2**20} MB")
        relative = file.relative_to(root if path.is_dir() else root.parent)
        members[relative.as_posix()] = data
    return members


def import_annotations(store: Any, path: Path, fmt: str, *, annotator: str | None = None, offsets: str = "auto",
                       progress: ProgressCheck | None = None, before_write: Any = None) -> Any:
    """Bring a file of another tool into the project as a merge: one transaction, a MergeReport.

    Raises FormatError when the file cannot be read as ``fmt`` and MergeError
    when the project cannot take it; either way nothing is written. ``before_write``
    is the merge's (called just before a write that changes something).
    """
    from ...core.model import now
    from ...storage import bulk
    from ..merge import merge_data

    native = read_native(path, fmt, annotator=annotator, offsets=offsets)
    unknown = [r["id"] for key in ("spans", "links") for r in native[key]
               if UNKNOWN_TIME in (r["created"], r["modified"]) or r.get(APPROXIMATE_TIME)]
    existing: dict[str, tuple[str, str]] = {}
    if unknown:
        for ident, span in bulk.spans_by_id(store, unknown).items():
            existing[ident] = (span.created, span.modified)
        for ident, link in bulk.links_by_id(store, unknown).items():
            existing[ident] = (link.created, link.modified)
    fill_times(native, existing, now())
    return merge_data(store, native, progress, before_write)


# ---------------------------------------------------------------- recognising
def detect(path: Path) -> str | None:
    """Which annotation format ``path`` holds ("cisannotate", "w3c", or a name of FORMAT_NAMES), else None.

    Reads at most the first few kilobytes (and the names in a zip); never raises.
    """
    path = Path(path)
    try:
        suffix = path.suffix.lower()
        if suffix == ".ann" or (suffix == ".txt" and path.with_suffix(".ann").is_file()):
            return "brat"
        if suffix == ".qdpx":
            return "qdpx"
        if suffix == ".xmi":
            return "webanno"
        with path.open("rb") as handle:
            head = handle.read(65536)
        if head.startswith(b"PK\x03\x04"):
            import zipfile

            with zipfile.ZipFile(path) as archive:
                names = [n.lower() for n in archive.namelist()]
            if "project.qde" in names:
                return "qdpx"
            if any(n.endswith(".xmi") for n in names):
                return "webanno"
            if any(n.endswith(".ann") for n in names):
                return "brat"
            return None
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        if text.startswith("<"):
            return "webanno" if "http:///uima/cas.ecore" in text or "xmi:XMI" in text else None
        if not text.startswith(("{", "[")):
            return None
        return _detect_json(path, text)
    except Exception:  # a damaged zip, an unreadable file: not an annotation file we know, say nothing
        return None


def _detect_json(path: Path, head: str) -> str | None:
    from . import doccano, labelstudio

    first_line = head.split("\n", 1)[0].strip()
    if first_line.startswith("{") and first_line.endswith("}"):
        try:
            record = json.loads(first_line)
        except ValueError:
            record = None
        if isinstance(record, dict) and "\n" in head.strip() and doccano.looks_like(record):
            return "doccano"
    if path.stat().st_size > 64 * 2**20:
        probe = head
        if '"format": "cisannotate"' in probe or '"format":"cisannotate"' in probe:
            return "cisannotate"
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError, OSError):
        return None
    if isinstance(data, dict):
        if data.get("format") == "cisannotate":
            return "cisannotate"
        context = data.get("@context")
        if data.get("type") == "AnnotationCollection" or (isinstance(context, str) and "anno.jsonld" in context):
            return "w3c"
        if doccano.looks_like(data):
            return "doccano"
        if labelstudio.looks_like([data]):
            return "labelstudio"
        return None
    if labelstudio.looks_like(data):
        return "labelstudio"
    return None


_NAMES = {"cisannotate": "a cisannotate annotation export", "w3c": "a W3C Web Annotation export"}


def refusal(path: Path) -> str | None:
    """Why ``path`` is not a document to import and how to bring it in; None when it may be one."""
    fmt = detect(path)
    if fmt is None:
        return None
    name = Path(path).name
    what = _NAMES.get(fmt) or f"an annotation file ({LABELS[fmt]})"
    if fmt == "cisannotate":
        how = f"merge it with `cisannotate merge PROJECT {name}` (File ▸ Import annotations in the window)"
    elif fmt == "w3c":
        how = "cisannotate reads annotations back from its own JSON export: ask for `--format json --with-text`"
    else:
        how = (f"bring its annotations in with `cisannotate import-annotations PROJECT {name} --format {fmt}` "
               "(File ▸ Import annotations in the window); the texts come with them")
    return f"{name}: this is {what}, not a document; {how}"
