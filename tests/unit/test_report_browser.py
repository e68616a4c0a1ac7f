"""The findings report in a real browser: Debian's chromium, headless.

The page is loaded from disk as a user opens it. A copy carries a small probe
script (the report itself has none, and its Content-Security-Policy would block
one) that measures every chart's SVG and bars as laid out, and writes the
result into the page, read back with --dump-dom. A screenshot of the report
itself is checked for the chart colours. Skipped only when chromium is absent.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cisannotate import findings
from cisannotate.charts.findings import RELATION_COLORS, build_all
from cisannotate.report import write_report
from cisannotate.sample import create_sample_project
from cisannotate.storage import Store
from cisannotate.services.importing import import_files

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
)

PROBE = """
<script>
(function () {
  var charts = [];
  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var svg = figure.querySelector("svg");
    var box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    var bars = 0, visible = 0;
    if (svg) svg.querySelectorAll("[id*='-bar-']").forEach(function (bar) {
      bars += 1;
      var b = bar.getBoundingClientRect();
      if (b.width > 0 && b.height > 0) visible += 1;
    });
    charts.push({key: figure.dataset.chart, width: box.width, height: box.height, bars: bars, visible: visible});
  });
  var probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({charts: charts, svgs: document.querySelectorAll("svg").length});
  document.body.appendChild(probe);
})();
</script>
"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def measure(report: Path, tmp_path: Path) -> dict:
    page = report.read_text(encoding="utf-8")
    # The copy lets its own inline probe run; the report itself allows no script at all.
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>',
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">", page)
    probed = tmp_path / f"probed-{report.name}"
    probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = chromium(tmp_path, "--window-size=1200,900", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, flags=re.S)
    assert found, f"the probe did not run: {result.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def expected_bars(store: Store, layer: str, event: str | None = None) -> dict[str, int]:
    """Each chart's number of bars, as the charts are built (every one must be laid out in the page)."""
    return {chart.key: len(chart.picks) for chart in build_all(findings.compute(store, layer, event))}


def check_rendered(report: Path, tmp_path: Path, expected: dict[str, int]) -> None:
    measured = measure(report, tmp_path)
    assert [chart["key"] for chart in measured["charts"]] == list(expected)
    assert measured["svgs"] == len(expected)
    for chart in measured["charts"]:
        assert chart["width"] > 600 and chart["height"] > 150, chart
        assert chart["bars"] == expected[chart["key"]] > 0, chart
        assert chart["visible"] == chart["bars"], chart


def screenshot(report: Path, out: Path, tmp_path: Path, size: str = "1200,2400"):
    from PIL import Image

    result = chromium(tmp_path, f"--window-size={size}", "--hide-scrollbars", f"--screenshot={out}", report.as_uri())
    assert out.is_file(), result.stderr[-2000:]
    return Image.open(out).convert("RGB")


def colour_present(image, hex_colour: str) -> bool:
    target = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return any(abs(r - target[0]) + abs(g - target[1]) + abs(b - target[2]) < 12
               for _count, (r, g, b) in image.getcolors(image.width * image.height))


def test_sample_report_renders_every_chart(tmp_path):
    store = create_sample_project(tmp_path / "sample.cisannotate")
    summary = write_report(store, tmp_path / "report.html")
    expected = expected_bars(store, summary.layer)
    store.close()
    report = summary.path
    assert list(expected) == ["coverage", "fidelity", "modes", "channels", "categories", "timeline"]
    check_rendered(report, tmp_path, expected)
    image = screenshot(report, tmp_path / "report.png", tmp_path)
    small = image.resize((image.width // 4, image.height // 4))
    # The charts are drawn: the relations' colours (distortion red, verbatim blue) are on the page.
    assert colour_present(small, RELATION_COLORS["distortion"])
    assert colour_present(small, RELATION_COLORS["verbatim"])
    # It prints: the print stylesheet gives pages (each chart kept whole on one).
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 2


def test_corpus_report_of_one_event_renders(tmp_path, corpus):
    # The same annotations as the figures' tests (the test modules are not importable by name).
    spec = importlib.util.spec_from_file_location("findings_tests", Path(__file__).with_name("test_findings.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    annotate = module.annotate
    store = Store.open(tmp_path / "corpus.cisannotate")
    import_files(store, [corpus], manifest=corpus / "manifest.csv")
    annotate(store)
    event = "cis-security-chiefs-2022-09"
    report = write_report(store, tmp_path / "corpus.html", layer="ben", event=event).path
    expected = expected_bars(store, "ben", event)
    store.close()
    assert list(expected) == ["coverage", "fidelity", "modes", "channels", "categories"]
    check_rendered(report, tmp_path, expected)
