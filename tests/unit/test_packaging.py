"""What the bundle and the desktop integration ship: icons, .desktop, metainfo, the PyInstaller spec."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cisannotate

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"
APP_ID = "org.cisannotate.cisannotate"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / f"{APP_ID}.mime.xml"
SPEC = PACKAGING / "cisannotate.spec"
SVG_NS = "{http://www.w3.org/2000/svg}"
# The Qt modules the bundle carries; anything else under PySide6 is excluded by the spec.
BUNDLED_QT = {"QtCore", "QtGui", "QtWidgets", "QtSvg"}


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def _render_icons():
    spec = importlib.util.spec_from_file_location("render_icons", PACKAGING / "render_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _spec_settings() -> dict:
    """The spec's module-level settings (everything before the Analysis), evaluated."""
    text = SPEC.read_text(encoding="utf-8")
    head = text.split("\na = Analysis(", 1)[0]
    namespace: dict = {"SPECPATH": str(PACKAGING)}
    exec(compile(head, str(SPEC), "exec"), namespace)  # noqa: S102 (our own file)
    return namespace


def _package_sources() -> list[Path]:
    return sorted((REPO / "cisannotate").rglob("*.py"))


# ------------------------------------------------------------------ desktop file
def test_desktop_file_validates():
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed (Debian package desktop-file-utils)")
    result = _run("desktop-file-validate", str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_desktop_file_fields():
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "cisannotate"
    assert entry["Icon"] == "cisannotate"
    assert (ICONS / "hicolor" / "256x256" / "apps" / f"{entry['Icon']}.png").is_file()
    mime_type = ET.parse(MIME).getroot()[0].get("type")
    assert entry["MimeType"].rstrip(";") == mime_type
    # The application sets the same desktop file name (QGuiApplication.setDesktopFileName).
    assert f'setDesktopFileName("{APP_ID}")' in (REPO / "cisannotate" / "app.py").read_text(encoding="utf-8")


def test_mime_type_matches_the_project_suffix():
    from cisannotate.paths import PROJECT_SUFFIX

    ns = "{http://www.freedesktop.org/standards/shared-mime-info}"
    mime = ET.parse(MIME).getroot().find(f"{ns}mime-type")
    assert mime.find(f"{ns}glob").get("pattern") == f"*{PROJECT_SUFFIX}"


# ---------------------------------------------------------------------- metainfo
def test_metainfo_validates():
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is not installed (Debian package appstream)")
    result = _run("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^[EW]: ", result.stdout, re.MULTILINE), result.stdout


def test_metainfo_agrees_with_the_project():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert root.find("provides/binary").text == "cisannotate"
    assert root.find("description/p") is not None
    versions = [r.get("version") for r in root.iter("release")]
    assert cisannotate.__version__ in versions
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    # The SPDX string form (PEP 639), which needs setuptools 77 or newer to build.
    assert pyproject["project"]["license"] == root.findtext("project_license")
    assert "setuptools>=77" in pyproject["build-system"]["requires"]
    # A screenshot would have to be fetched by stores; none may point at a placeholder host.
    for image in root.iter("image"):
        assert "example." not in (image.text or "")


# ------------------------------------------------------------------------- icons
def _svgs() -> list[Path]:
    return sorted(ICONS.glob("*.svg"))


def test_icon_set_is_complete():
    from cisannotate.ui.common.icons import ICON_NAMES

    names = {p.stem for p in _svgs()}
    for name in ICON_NAMES:
        assert name in names and f"{name}-dark" in names, name
    assert "cisannotate" in names


@pytest.mark.parametrize("path", _svgs(), ids=lambda p: p.name)
def test_svg_parses_and_renders(qapp, path):
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    text = path.read_text(encoding="utf-8")
    assert "currentColor" not in text
    assert len(text) < 2048, "keep icons small and hand-written"
    if path.stem != "cisannotate":
        assert root.get("viewBox") == "0 0 24 24"
        widths = {el.get("stroke-width") for el in root.iter() if el.get("stroke-width")}
        assert widths == {"2"}
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(48, 48, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 48, 48))
    painter.end()
    painted = sum(1 for x in range(48) for y in range(48) if image.pixelColor(x, y).alpha() > 0)
    assert painted > 48, f"{path.name} renders (almost) nothing"


def test_png_sizes_match_their_folders(qapp):
    from PySide6.QtGui import QImage

    found = sorted((ICONS / "hicolor").glob("*/apps/*.png"))
    sizes = set()
    for png in found:
        folder = png.parent.parent.name
        width, _, height = folder.partition("x")
        image = QImage(str(png))
        assert not image.isNull(), png
        assert (image.width(), image.height()) == (int(width), int(height)), png
        sizes.add(int(width))
    assert sizes == {16, 32, 48, 64, 128, 256, 512}


def test_pngs_are_current_renders_of_the_svg(qapp):
    stale = _render_icons().stale_pngs()
    assert not stale, f"run packaging/render_icons.py: {stale}"


# -------------------------------------------------------------------------- spec
def test_spec_names_every_hidden_import_it_needs():
    settings = _spec_settings()
    hidden = set(settings["HIDDEN_IMPORTS"])
    # Qt modules the bundle needs without a static import: QtSvg, through the svg plugins.
    assert "PySide6.QtSvg" in hidden
    # Modules the package imports by name at run time.
    dynamic = set()
    for source in _package_sources():
        for match in re.finditer(r"import_module\(\s*[\"']([\w.]+)[\"']", source.read_text(encoding="utf-8")):
            dynamic.add(match.group(1))
    assert dynamic <= hidden, f"add to HIDDEN_IMPORTS in {SPEC.name}: {sorted(dynamic - hidden)}"
    for name in hidden:
        assert importlib.util.find_spec(name) is not None, f"hidden import {name} is not installed"


# Imported only by cisannotate.api (the tables for notebooks), an optional extra ([data]) that the
# window never uses: the bundle leaves it out, and the API says how to install it when missing.
OPTIONAL_EXTRAS = {"pandas"}


def test_spec_excludes_nothing_the_package_imports():
    settings = _spec_settings()
    excluded = set(settings["EXCLUDES"])
    used_qt = set()
    imported = set()
    for source in _package_sources():
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    for name in imported:
        if name.startswith("PySide6.Qt"):
            used_qt.add(name.split(".")[1])
        top = name.split(".")[0]
        if top in OPTIONAL_EXTRAS:
            continue
        assert name not in excluded and top not in excluded, f"{name} is imported but excluded by the spec"
    assert used_qt <= BUNDLED_QT, f"new Qt module(s) {sorted(used_qt - BUNDLED_QT)}: update {SPEC.name}"
    for qt in BUNDLED_QT:
        assert f"PySide6.{qt}" not in excluded


def test_spec_bundles_resources_and_the_entry_point():
    text = SPEC.read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in text
    assert 'name="cisannotate"' in text
    launcher = PACKAGING / "launcher.py"
    assert "from cisannotate.__main__ import main" in launcher.read_text(encoding="utf-8")
    # The bundle finds its resources where paths.resources_dir() looks in a frozen program.
    from cisannotate import paths

    assert "_MEIPASS" in Path(paths.__file__).read_text(encoding="utf-8")


def test_build_script_pins_pyinstaller():
    text = (PACKAGING / "build.sh").read_text(encoding="utf-8")
    assert re.search(r"PYINSTALLER_VERSION=\d+\.\d+\.\d+", text)
    assert "packaging/cisannotate.spec" in text
    result = _run("bash", "-n", str(PACKAGING / "build.sh"))
    assert result.returncode == 0, result.stderr


def test_launcher_runs_the_command_line():
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "launcher.py"), "--version"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
        env={**__import__("os").environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    assert cisannotate.__version__ in result.stdout
