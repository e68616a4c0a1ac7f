"""Decoding, HTML to text, normalisation and manifest reading."""

from __future__ import annotations

import codecs
import random
import socket
from pathlib import Path

import pytest

from cisannotate.io import textfile
from cisannotate.io.textfile import (
    MAX_BYTES,
    ImportProblem,
    decode_text,
    html_to_text,
    normalize_text,
    read_document_file,
    read_manifest,
)

RUSSIAN = (
    "Президент России провёл встречу с руководителями органов безопасности. "
    "Уважаемые коллеги! Добрый день. Рад приветствовать вас в Москве на очередном "
    "заседании совета. Спасибо за внимание."
)


# --- decode_text -------------------------------------------------------------------


def test_utf8_with_and_without_bom() -> None:
    text = "Curly “quotes”, a dash – and 😀\nsecond line"
    assert decode_text(text.encode("utf-8"), "a.txt") == text
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8"), "a.txt") == text


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "koi8_u", "cp866"])
def test_legacy_russian_encodings_are_detected(encoding: str) -> None:
    assert decode_text(RUSSIAN.encode(encoding), "ru.txt") == RUSSIAN


def test_english_with_windows_punctuation_is_detected() -> None:
    text = "He said “hello” and left – it’s fine, isn’t it?"
    assert decode_text(text.encode("cp1252"), "en.txt") == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32(encoding: str) -> None:
    assert decode_text(RUSSIAN.encode(encoding), "ru.txt") == RUSSIAN
    assert decode_text(b"Hello\r\n".decode().encode(encoding), "en.txt") == "Hello\n"


def test_uncertain_detection_asks_for_an_encoding() -> None:
    with pytest.raises(ImportProblem, match=r"^short\.txt: .*--encoding"):
        decode_text("Добрый день!".encode("cp1251"), "short.txt")


def test_named_encoding_is_used_exactly() -> None:
    data = "Добрый день!".encode("cp1251")
    assert decode_text(data, "short.txt", encoding="cp1251") == "Добрый день!"
    assert decode_text(data, "short.txt", encoding="windows-1251") == "Добрый день!"
    # A fallback only: bytes that are valid UTF-8 are UTF-8, whatever was named.
    assert decode_text("é".encode(), "x.txt", encoding="latin-1") == "é"


def test_unknown_or_failing_named_encoding() -> None:
    with pytest.raises(ImportProblem, match=r"^x\.txt: unknown encoding 'klingon'"):
        decode_text(b"abc", "x.txt", encoding="klingon")
    with pytest.raises(ImportProblem, match=r"^x\.txt: not valid ascii"):
        decode_text("Добрый".encode("cp1251"), "x.txt", encoding="ascii")


@pytest.mark.parametrize(
    "data",
    [
        b"text\x00with a NUL and more text after it",
        bytes(range(1, 32)) * 50,
        random.Random(7).randbytes(4096),
        b"\x00\x01\x02abc",
    ],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(ImportProblem, match=r"^blob\.bin: "):
        decode_text(data, "blob.bin")


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n ", codecs.BOM_UTF8, "\u2029".encode()])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(ImportProblem, match=r"^e\.txt: the file is empty"):
        decode_text(data, "e.txt")


def test_data_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_BYTES == 50 * 1024 * 1024
    monkeypatch.setattr(textfile, "MAX_BYTES", 1000)
    assert decode_text(b"a" * 1000, "ok.txt") == "a" * 1000
    with pytest.raises(ImportProblem, match=r"^big\.txt: .*larger than"):
        decode_text(b"a" * 1001, "big.txt")


# --- normalize_text ----------------------------------------------------------------


def test_normalize_changes_only_line_ends_bom_and_nul() -> None:
    raw = "\ufeff  Indented “quote”\r\nnext\rthird\u2028fourth\u2029fifth\x00 – end  "
    assert normalize_text(raw) == "  Indented “quote”\nnext\nthird\nfourth\nfifth – end  "
    untouched = "  keep\t‘this’  \n\n  exactly\u00a0as is"
    assert normalize_text(untouched) == untouched


def test_decoded_text_is_normalised() -> None:
    assert decode_text(b"a\r\nb\rc", "x.txt") == "a\nb\nc"


# --- html_to_text ------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Page title</title>
<meta charset="utf-8"><style>p { color: red }</style>
<script>document.write("script text")</script></head>
<body>
<noscript>Enable JavaScript</noscript>
<template><p>template text</p></template>
<h1>Putin &amp; the   CIS</h1>
<p>First   paragraph
with a <a href="https://example.org/x">link</a> and an image
<img src="https://example.org/photo.jpg" alt="photo alt text">.</p>
<iframe src="https://example.org/embed">frame fallback</iframe>
<div><p>Second&nbsp;paragraph &#8211; “quoted” &eacute;</p></div>
<br><br><br><br>
<ul><li>one</li><li>two</li></ul>
<table><tr><td>cell a</td><td>cell b</td></tr></table>
<blockquote>Line one<br>Line two</blockquote>
<script type="application/ld+json">{"hidden": true}</script>
</body></html>"""


def test_html_keeps_only_visible_text_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("html_to_text tried to open a connection")

    monkeypatch.setattr(socket, "socket", no_network)
    text = html_to_text(PAGE)
    for hidden in (
        "Page title",
        "color",
        "script text",
        "JavaScript",
        "template",
        "alt text",
        "fallback",
        "hidden",
    ):
        assert hidden not in text, hidden
    assert text == (
        "Putin & the CIS\n\n"
        "First paragraph with a link and an image .\n\n"
        "Second\u00a0paragraph – “quoted” é\n\n"
        "one\ntwo\n\n"
        "cell a\tcell b\n\n"
        "Line one\nLine two"
    )


def test_html_without_head_or_closing_tags() -> None:
    assert html_to_text("<p>One<p>Two<br>Three") == "One\n\nTwo\nThree"
    assert html_to_text("<html><head><title>x</title><body><p>Hi</p>") == "Hi"
    assert html_to_text("plain &lt;text&gt;") == "plain <text>"


# --- read_document_file ------------------------------------------------------------


def test_reads_a_corpus_file(corpus: Path) -> None:
    path = next(corpus.glob("003_*.txt"))
    text = read_document_file(path)
    assert text == normalize_text(path.read_text(encoding="utf-8"))
    assert text.startswith("Events\n")


def test_reads_text_files_by_suffix(tmp_path: Path) -> None:
    for suffix in (".txt", ".text", ".md"):
        path = tmp_path / f"doc{suffix}"
        path.write_bytes(RUSSIAN.encode("cp1251"))
        assert read_document_file(path) == RUSSIAN
    path = tmp_path / "tags.txt"
    path.write_text("Use <p> for paragraphs.\n", encoding="utf-8")
    assert read_document_file(path) == "Use <p> for paragraphs.\n"


def test_html_file_charset_comes_from_its_meta_tag(tmp_path: Path) -> None:
    body = "<p>Добрый день!</p><p>Коротко.</p>"
    declared = tmp_path / "page.html"
    declared.write_bytes(
        f'<html><head><meta charset="windows-1251"></head><body>{body}'.encode("cp1251")
    )
    assert read_document_file(declared) == "Добрый день!\n\nКоротко."
    equiv = tmp_path / "page.htm"
    equiv.write_bytes(
        (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
            f"</head><body>{body}"
        ).encode("koi8_r")
    )
    assert read_document_file(equiv) == "Добрый день!\n\nКоротко."
    # The page's own declaration wins over the user's --encoding (a fallback for files that say nothing).
    assert read_document_file(declared, encoding="latin-1") == "Добрый день!\n\nКоротко."


def test_html_is_sniffed_when_the_suffix_does_not_say(tmp_path: Path) -> None:
    path = tmp_path / "saved_page"
    path.write_text(
        "<!-- saved -->\n<!DOCTYPE html><html><body><p>Hello.</p><script>x()</script>",
        encoding="utf-8",
    )
    assert read_document_file(path) == "Hello."


def test_huge_single_line_file(tmp_path: Path) -> None:
    sentence = "Президент заявил, что безопасность важна. "
    path = tmp_path / "huge.txt"
    path.write_bytes((sentence * 200_000).encode("cp1251"))  # about 8 MB, one line
    text = read_document_file(path)
    assert len(text) == len(sentence) * 200_000
    assert "\n" not in text and text.startswith(sentence)


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no 50 MB written
    with pytest.raises(ImportProblem, match=r"^huge\.txt: .*50 MB"):
        read_document_file(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%binary", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"", "empty"),
        (b"<html><body><script>only()</script></body></html>", "no visible text"),
    ],
)
def test_unreadable_documents(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "doc.html"
    path.write_bytes(content)
    with pytest.raises(ImportProblem, match=rf"^doc\.html: .*{message}"):
        read_document_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match=r"^nowhere\.txt: cannot be read"):
        read_document_file(tmp_path / "nowhere.txt")


# --- read_manifest -----------------------------------------------------------------


def test_reads_the_corpus_manifest(corpus: Path) -> None:
    rows = read_manifest(corpus / "manifest.csv")
    assert len(rows) == 5
    assert all(name.endswith(".txt") and (corpus / name).is_file() for name in rows)
    kinds = sorted(row["kind"] for row in rows.values())
    assert kinds == ["article", "article", "article", "transcript", "transcript"]
    first = rows[next(iter(rows))]
    assert first["file"] == next(iter(rows))
    assert set(first) == {"file", "kind", "title", "outlet", "date", "event", "language", "notes"}
    assert any("," in row["notes"] for row in rows.values())  # quoted cells survive


def write(tmp_path: Path, content: str, bom: bool = False) -> Path:
    path = tmp_path / "manifest.csv"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + content.encode("utf-8"))
    return path


def test_manifest_with_bom_extra_columns_and_blank_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "file,kind,title,url,coder\r\n"
        "a.txt, Article ,Кремль: “title”,https://x.example/a,anna\r\n"
        "\r\n"
        'b.txt,transcript,"Two\nlines",,\r\n'
        "c.txt,,Unknown kind,,\r\n",
        bom=True,
    )
    rows = read_manifest(path)
    assert list(rows) == ["a.txt", "b.txt", "c.txt"]
    assert rows["a.txt"]["kind"] == "article"
    assert rows["a.txt"]["title"] == "Кремль: “title”"
    assert rows["a.txt"]["url"] == "https://x.example/a" and rows["a.txt"]["coder"] == "anna"
    assert rows["a.txt"]["outlet"] == ""  # standard columns always present
    assert rows["b.txt"]["title"] == "Two\nlines"
    assert rows["c.txt"]["kind"] == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,kind\na.txt,article\n", "row 1 has no 'file' column"),
        (
            "file,kind\na.txt,article\nb.txt,article\na.txt,transcript\n",
            "row 4 repeats 'a.txt' from row 2",
        ),
        ("file,kind\na.txt,article\n\nb.txt,speech\n", "row 4 has kind 'speech'"),
        ("file,kind\n,article\n", "row 2 has no file name"),
        ("file,kind\na.txt,article,surplus\n", "row 2 has more cells than the header"),
        ("file,kind,file\na.txt,article,b.txt\n", "row 1 names column 'file' twice"),
        ("", "the manifest is empty"),
    ],
)
def test_manifest_problems_name_the_file_and_row(
    tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(ImportProblem) as problem:
        read_manifest(write(tmp_path, content))
    assert str(problem.value).startswith(f"manifest.csv: {message}")


def test_manifest_must_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_bytes("file,title\na.txt,Кремль\n".encode("cp1251"))
    with pytest.raises(ImportProblem, match=r"^manifest\.csv: a manifest must be UTF-8"):
        read_manifest(path)
