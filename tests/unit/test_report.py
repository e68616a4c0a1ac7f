"""The findings report: `cisannotate report`, what the page holds, and the paths it refuses."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cisannotate import findings
from cisannotate.cli import run
from cisannotate.report import ReportError, build_report, write_report
from cisannotate.sample import create_sample_project


@pytest.fixture
def sample_path(tmp_path) -> Path:
    path = tmp_path / "sample.cisannotate"
    create_sample_project(path).close()
    return path


class _Outline(HTMLParser):
    """What a browser would fetch (src, href, url(...)) and the page's charts and table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.charts: list[str] = []
        self.svgs = 0
        self.scripts = 0
        self.rows: dict[str, int] = {}
        self._section = ""
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "xlink:href", "srcset"):
            value = attrs.get(name)
            if value and not value.startswith("#"):
                self.fetches.append(value)
        if tag == "script":
            self.scripts += 1
        if tag == "svg":
            self.svgs += 1
        if tag == "figure":
            self.charts.append(attrs.get("data-chart", ""))
        if tag == "h2":
            self._in_h2 = True
        if tag == "tr":
            self.rows[self._section] = self.rows.get(self._section, 0) + 1

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self._section = data.strip()


def outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    # url(#id) points inside the page (clip paths); anything else would be fetched.
    assert not re.search(r"url\((?!#)|@import|@font-face", page), "the page's CSS would fetch something"
    return parser


def test_report_command_writes_one_self_contained_page(sample_path, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert run(["report", str(sample_path), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"wrote {out}: 6 charts")
    page = out.read_text(encoding="utf-8")
    parsed = outline(page)
    assert parsed.fetches == [] and parsed.scripts == 0
    assert parsed.charts == ["coverage", "fidelity", "modes", "channels", "categories", "timeline"]
    assert parsed.svgs == 6
    # Every inline SVG is well-formed XML on its own.
    for svg in re.findall(r"<svg .*?</svg>", page, flags=re.S):
        ET.fromstring(svg)
    # The distortions table has a row per distortion (plus its header), and the agreement table is there.
    from cisannotate.storage import Store

    store = Store.open(sample_path, read_only=True)
    layer = findings.default_layer(findings.layers(store))
    expected = len(findings.compute(store, layer).distortions)
    store.close()
    assert expected > 0
    assert parsed.rows["Distortions"] == expected + 1
    assert parsed.rows["Agreement between annotators"] > 10
    assert "@media print" in page


def test_report_of_one_event_and_one_layer(sample_path, tmp_path):
    out = tmp_path / "jonas.html"
    assert run(["report", str(sample_path), "-o", str(out), "--layer", "jonas",
                "--event", "veland-compact-2024-10"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "layer <b>jonas</b>" in page and "event veland-compact-2024-10" in page
    assert outline(page).charts == ["coverage", "fidelity", "modes", "channels", "categories"]  # one event: no time line


@pytest.mark.parametrize("make_out, message", [
    (lambda tmp: tmp, "is a folder"),
    (lambda tmp: tmp / "missing" / "report.html", "does not exist"),
    (lambda tmp: tmp / "report.pdf", "name it with .html"),
])
def test_bad_output_paths_are_refused_and_nothing_is_written(sample_path, tmp_path, capsys, make_out, message):
    out = make_out(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    assert run(["report", str(sample_path), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("cisannotate report: ") and message in error and str(out) in error
    assert sorted(tmp_path.rglob("*")) == before


def test_the_project_itself_is_never_overwritten(tmp_path, capsys):
    project = tmp_path / "study.html"  # a project may have any name
    create_sample_project(project).close()
    data = project.read_bytes()
    assert run(["report", str(project), "-o", str(project)]) == 1
    assert "is the project itself" in capsys.readouterr().err
    assert project.read_bytes() == data


def test_unknown_layer_event_or_project(sample_path, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert run(["report", str(sample_path), "-o", str(out), "--layer", "nobody"]) == 1
    assert "no annotations in layer 'nobody' (layers: amira, jonas)" in capsys.readouterr().err
    assert run(["report", str(sample_path), "-o", str(out), "--event", "nowhere"]) == 1
    assert "no event 'nowhere'" in capsys.readouterr().err
    assert run(["report", str(tmp_path / "none.cisannotate"), "-o", str(out)]) == 1
    assert "no such project" in capsys.readouterr().err
    assert not out.exists()


def test_empty_project_has_nothing_to_report(tmp_path):
    from cisannotate.storage import Store

    store = Store.open(tmp_path / "empty.cisannotate")
    with pytest.raises(ReportError, match="nothing to report"):
        write_report(store, tmp_path / "r.html")
    store.close()


def test_wording_is_escaped(tmp_path):
    """Text from the documents never becomes markup."""
    from cisannotate.core.model import Document, Link, SourceLine, Span
    from cisannotate.storage import Store

    store = Store.open(tmp_path / "x.cisannotate")
    transcript = "We will <b>never</b> & always act."
    article = "They said <script>alert(1)</script> today."
    store.add_document(Document(id="t", kind="transcript", title="T <i>", text=transcript, sha256="t", event="e"),
                       [SourceLine("t", 1, 0, len(transcript), 1)])
    store.add_document(Document(id="a", kind="article", title="A", text=article, sha256="a", event="e",
                                outlet="<Outlet>"))
    store.add_span(Span(id="s", document_id="a", start=10, end=36, annotator="x", layer="x", quote=article[10:36]))
    store.add_link(Link(id="k", span_id="s", target_document_id="t", target_start=0, target_end=len(transcript),
                        relation="distortion", annotator="x", layer="x"))
    page = build_report(store)
    store.close()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;never&lt;/b&gt; &amp; always" in page and "&lt;Outlet&gt;" in page


def test_importing_the_report_and_charts_does_not_load_matplotlib():
    code = ("import sys, cisannotate.report, cisannotate.charts.findings, cisannotate.cli; "
            "print('matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
