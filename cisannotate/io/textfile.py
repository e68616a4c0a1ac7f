"""Reading documents and manifests from disk: decoding, HTML to text, normalisation.

The stored text of a document is what the researcher reads and what every offset
points into, so import is conservative: a file is decoded only when the encoding
is certain (UTF-8, a byte-order mark, an HTML declaration, or a confident
detection), and otherwise the user is asked to name it rather than shown mojibake
that would later be annotated as if it were the article.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ..core.text import normalize_text
from .article import page_text
from .html_text import html_to_text

__all__ = [
    "HTML_SUFFIXES",
    "MANIFEST_COLUMNS",
    "MAX_BYTES",
    "TEXT_SUFFIXES",
    "ImportProblem",
    "decode_text",
    "html_to_text",
    "normalize_text",
    "read_document_file",
    "read_manifest",
    "read_manifest_rows",
    "read_regular_file",
]

MAX_BYTES = 50 * 1024 * 1024
"""Larger files are refused: no article or transcript is that long, so it is a wrong file."""

MANIFEST_COLUMNS = ("file", "kind", "title", "outlet", "date", "event", "language", "notes")
_KINDS = ("article", "transcript")

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Legacy encodings a document in this field plausibly comes in. Limiting detection
# to them keeps a short Russian text from being read as Korean or Greek.
_CANDIDATE_ENCODINGS = [
    "cp1251", "koi8_r", "koi8_u", "cp866", "iso8859_5", "mac_cyrillic", "kz1048", "ptcp154",
    "cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "cp1257", "cp1253",
    "gb18030", "big5", "shift_jis", "euc_jp", "cp949",
]  # fmt: skip
_MAX_CHAOS = 0.2
# How far ahead (coherence minus chaos) the best reading must be of any reading
# that gives a different text before it is trusted.
_MIN_LEAD = 0.05
_MAX_CONTROL_SHARE = 0.1
# Control characters other than the white space ones (\t \n \v \f \r).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f]")
_MAX_UTF16_HIGH_BYTES = 4
# HTML labels that WHATWG maps to windows-1252.
_LATIN1_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii"}
)

_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a Word, OpenDocument or EPUB file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"{\\rtf", "an RTF file"),
)


class ImportProblem(Exception):
    """Raised with a message that names the file and the problem, e.g.
    "report.txt: not valid UTF-8 and no other encoding fits; name one with --encoding"."""


def decode_text(data: bytes, name: str, encoding: str | None = None, *, declared: str | None = None) -> str:
    """Decode a file's bytes, refusing anything that is not clearly text.

    Order: a byte-order mark; the encoding the file itself declares
    (``declared``, an HTML page's <meta charset>); UTF-8; the encoding the user
    named (``encoding``, a fallback that never overrides what the file says, and
    refused when it yields implausible text); then detection among common
    legacy encodings, accepted only when one reading is clearly best.
    The result is normalised (see ``normalize_text``).
    """
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if not data.strip():
        raise ImportProblem(f"{name}: the file is empty")
    if data.startswith(tuple(bom for bom, _ in _BOMS)):
        text = _decode_unnamed(data, name)
    elif declared is not None:
        text = _decode_as(data, name, declared)
    elif encoding is not None:
        text = _decode_forced(data, name, encoding)
    else:
        text = _decode_unnamed(data, name)
    _refuse_binary_text(text, name)
    text = normalize_text(text)
    if not text.strip():
        raise ImportProblem(f"{name}: the file is empty")
    return text


def _too_large(name: str, size: int, limit: int = MAX_BYTES) -> ImportProblem:
    return ImportProblem(
        f"{name}: {size:,} bytes is larger than the {limit / 1048576:g} MB limit for a "
        "document; is this the right file?"
    )


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise ImportProblem(f"{name}: unknown encoding {encoding!r}") from None
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as error:
        raise ImportProblem(
            f"{name}: not valid {encoding} (byte {error.start} cannot be decoded); "
            "name another encoding with --encoding"
        ) from None


def _decode_forced(data: bytes, name: str, encoding: str) -> str:
    """The user's ``--encoding``, unless the bytes are valid UTF-8 (then they are UTF-8);
    refused when the result does not look like text in any language."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportProblem(f"{name}: unknown encoding {encoding!r}") from None
    if b"\x00" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    text = _decode_as(data, name, encoding)
    problem = _implausible(text)
    if problem:
        raise ImportProblem(
            f"{name}: read as {encoding}, the file gives implausible text ({problem}); "
            "is this the right encoding, and the right file?"
        )
    return text


# Characters ordinary prose is made of, besides letters, digits and spaces.
_PROSE_MARKS = frozenset(".,;:!?'\"«»„“”‘’‚()[]-–—/%&*№§#@+=…\u00a0")


def _implausible(text: str) -> str:
    """Why ``text`` is not plausible prose in any language, or ""."""
    import unicodedata

    sample = text[:65536]
    if not sample:
        return ""
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v\x1a") or "\x80" <= ch <= "\x9f")
    if controls:
        return f"{controls} control characters"
    ordinary = sum(1 for ch in sample if ch.isalnum() or ch.isspace() or ch in _PROSE_MARKS)
    if ordinary < 0.9 * len(sample):
        return f"only {ordinary * 100 // len(sample)}% letters, digits, spaces and punctuation"
    # Mojibake shows in words: alphabets mixed in one word (Cyrillic and Latin), or
    # capitals at random inside a word (neither lower case, UPPER CASE nor Title case).
    odd = 0
    words = [w for w in re.split(r"[^\w]+", sample) if any(ch.isalpha() for ch in w)]
    for word in words:
        letters = "".join(ch for ch in word if ch.isalpha())
        scripts = {unicodedata.name(ch, "?").split()[0] for ch in letters}
        cased = letters.islower() or letters.isupper() or letters.istitle() or not letters.isalpha()
        if len(scripts) > 1 or not cased:
            odd += 1
    if words and odd > len(words) // 10:
        return f"{odd} of {len(words)} words look garbled"
    return ""


def _decode_unnamed(data: bytes, name: str) -> str:
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], name, bom_encoding)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ImportProblem(f"{name}: this is {what}, not text; save it as plain text first")
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise ImportProblem(f"{name}: this is a binary file, not text")
        return _decode_as(data, name, utf16)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _detect(data, name)


def _bomless_utf16(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when NUL-bearing bytes look like UTF-16 without a BOM.

    Text in an alphabetic script has only a handful of distinct high bytes (0x00
    for Latin, 0x04 for Cyrillic, 0x20 for dashes and quotes), always at the same
    parity; binary data has NULs anywhere and high bytes of every value.
    """
    sample = data[:65536]
    if len(sample) < 8 or len(sample) % 2:
        return None
    for parity, encoding in ((1, "utf-16-le"), (0, "utf-16-be")):
        high = sample[parity::2]
        if len(set(high)) <= _MAX_UTF16_HIGH_BYTES and b"\x00" not in sample[1 - parity :: 2]:
            return encoding
    return None


def _detect(data: bytes, name: str) -> str:
    """Decode with charset-normalizer, but only when one reading clearly wins."""
    readings: dict[str, float] = {}
    for match in from_bytes(data, cp_isolation=_CANDIDATE_ENCODINGS):
        if match.chaos > _MAX_CHAOS:
            continue
        text = str(match)
        score = match.coherence - match.chaos
        if score > readings.get(text, -1.0):
            readings[text] = score
    if not readings:
        raise ImportProblem(
            f"{name}: not valid UTF-8 and no other encoding fits; name one with --encoding"
        )
    ranked = sorted(readings.items(), key=lambda item: item[1], reverse=True)
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < _MIN_LEAD:
        raise ImportProblem(
            f"{name}: not valid UTF-8 and the encoding cannot be told for certain; "
            "name it with --encoding (for example --encoding cp1251)"
        )
    return ranked[0][0]


def _refuse_binary_text(text: str, name: str) -> None:
    """Refuse decoded text that is mostly control characters (a binary file)."""
    sample = text[:65536]
    controls = len(_CONTROL_RE.findall(sample))
    if "\x00" in sample or controls > _MAX_CONTROL_SHARE * len(sample):
        raise ImportProblem(f"{name}: this is a binary file, not text")


_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_HTML_SNIFF_RE = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML file declares in a <meta> tag near its start.

    None when there is none, when a byte-order mark overrides it, or when the
    bytes do not decode with it (a wrong declaration is left to detection).
    """
    match = _META_CHARSET_RE.search(data[:4096])
    if match is None or data.startswith(tuple(bom for bom, _ in _BOMS)):
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        declared = codecs.lookup(label).name
        data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return None
    return declared


def check_regular_file(path: Path) -> None:
    """Refuse (ImportProblem) anything but a regular file, without opening it: a device,
    a FIFO (opening one blocks), a socket or a folder."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise ImportProblem(f"{path.name}: cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise ImportProblem(f"{path.name}: not a regular file ({kind}); only files are imported")


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes.

    A device (/dev/zero), a FIFO or a socket is refused before it is opened for
    reading, so import never blocks or reads without end; the limit is also
    enforced while reading, for a file that grows meanwhile.
    """
    import stat

    name = path.name
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
            raise ImportProblem(f"{name}: not a regular file ({kind}); only files are imported")
        if info.st_size > limit:
            raise _too_large(name, info.st_size, limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced since the check
                raise ImportProblem(f"{name}: not a regular file; only files are imported")
            data = handle.read(limit + 1)
    except OSError as error:
        raise ImportProblem(f"{name}: cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    return data


def read_document_file(
    path: Path, encoding: str | None = None, *, whole_page: bool = False, notes: list[str] | None = None
) -> str:
    """Read an article or transcript from a .txt/.md or .html file as normalised text.

    The suffix says which it is; a file of another suffix, or a text file that
    starts like an HTML page, is judged by its content. An HTML file's own
    <meta charset> is honoured unless the user named an encoding. Of a page, the
    article is kept unless ``whole_page`` (``article.py``); what was left out is
    said in a line added to ``notes``.
    """
    path = Path(path)
    name = path.name
    data = read_regular_file(path, MAX_BYTES)
    suffix = path.suffix.lower()
    is_html = suffix in HTML_SUFFIXES
    declared = _declared_charset(data) if is_html or suffix not in TEXT_SUFFIXES else None
    text = decode_text(data, name, encoding, declared=declared)
    if is_html or _HTML_SNIFF_RE.match(text):
        page = page_text(text, whole_page=whole_page)
        text = page.text
        if notes is not None and (note := page.report(name)):
            notes.append(note)
        if not text.strip():
            raise ImportProblem(f"{name}: the page has no visible text")
    return text


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Read a corpus manifest: file (path relative to the manifest's folder) -> its row.

    See ``read_manifest_rows``, which also gives each row's number.
    """
    return {key: row for key, (_number, row) in read_manifest_rows(path).items()}


def manifest_key(name: str) -> str:
    """A manifest's file cell as the key files are matched by: a relative path with "/"."""
    key = name.strip().replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key


def read_manifest_rows(path: Path) -> dict[str, tuple[int, dict[str, str]]]:
    """Read a corpus manifest: file -> (row number, row), with every column kept.

    The file column holds a path relative to the folder being imported ("003.txt",
    "talks/003.txt"). Cells are stripped of surrounding spaces and every standard
    column is present in each row (empty when the manifest lacks it). An empty
    ``kind`` is allowed (the importer decides); any other value must be "article"
    or "transcript". Rows are numbered as a spreadsheet shows them, the header
    being row 1. Parsing is strict: a quote left open, or text after a closing
    quote, is an error naming the row.
    """
    path = Path(path)
    name = path.name
    raw = read_regular_file(path, MAX_BYTES)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblem(
            f"{name}: a manifest must be UTF-8 (byte {error.start} is not); save it as CSV UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    while True:
        number = len(records) + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            detail = str(error)
            if "unexpected end of data" in detail or "EOF" in detail:
                detail = "a quoted cell is never closed (a \" is missing)"
            raise ImportProblem(f"{name}: row {number} is not readable CSV: {detail}") from None
        records.append((number, record))
    if not records:
        raise ImportProblem(f"{name}: the manifest is empty")
    header = [cell.strip() for cell in records[0][1]]
    columns = [cell.lower() if cell.lower() in MANIFEST_COLUMNS else cell for cell in header]
    if "file" not in columns:
        raise ImportProblem(f"{name}: row 1 has no 'file' column")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise ImportProblem(f"{name}: row 1 names column {duplicated[0]!r} twice")

    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for number, record in records[1:]:
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if len(cells) > len(columns) and any(cells[len(columns) :]):
            raise ImportProblem(f"{name}: row {number} has more cells than the header")
        row = {column: "" for column in MANIFEST_COLUMNS}
        padded = (cells + [""] * len(columns))[: len(columns)]
        row.update(zip(columns, padded, strict=True))
        file_name = manifest_key(row["file"])
        if not file_name:
            raise ImportProblem(f"{name}: row {number} has no file name")
        if file_name in rows:
            raise ImportProblem(
                f"{name}: row {number} repeats {file_name!r} from row {rows[file_name][0]}"
            )
        kind = row["kind"].lower()
        if kind and kind not in _KINDS:
            raise ImportProblem(
                f"{name}: row {number} has kind {row['kind']!r}; use 'article' or 'transcript'"
            )
        row["kind"] = kind
        rows[file_name] = (number, row)
    return rows
