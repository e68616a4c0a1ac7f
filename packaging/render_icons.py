"""Render the application icon to the PNG sizes desktops look for.

    .venv/bin/python packaging/render_icons.py            # write resources/icons/hicolor/
    .venv/bin/python packaging/render_icons.py --check    # exit 1 if a PNG is missing or stale
    .venv/bin/python packaging/render_icons.py --sheet icons.png   # every action icon, light and dark

The PNGs are committed, so a build needs no rendering step; run this after
editing ``resources/icons/cisannotate.svg``. Rendering uses QtSvg from the
virtual environment and needs no display.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
APP_ICON = ICONS / "cisannotate.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def png_path(size: int, root: Path = ICONS) -> Path:
    return root / "hicolor" / f"{size}x{size}" / "apps" / "cisannotate.png"


def render(svg: Path, size: int, background: QColor | None = None) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(background if background is not None else QColor(Qt.GlobalColor.transparent))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def write_pngs(root: Path = ICONS) -> list[Path]:
    written = []
    for size in SIZES:
        out = png_path(size, root)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not render(APP_ICON, size).save(str(out), "PNG"):
            raise OSError(f"{out}: could not write")
        written.append(out)
    return written


def _differs(old: QImage, fresh: QImage) -> bool:
    """True when ``old`` is not the same picture as ``fresh``.

    Antialiased edges of large renders vary by a few levels between CPUs (Qt's raster
    engine picks SIMD paths at run time), so an edge pixel may differ by a little; an
    edited SVG changes far more than that.
    """
    if old.size() != fresh.size():
        return True
    old = old.convertToFormat(fresh.format())
    if old == fresh:
        return False
    import numpy as np

    def channels(image: QImage) -> np.ndarray:
        rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
        return rows[:, : image.width() * 4].astype(np.int16)

    delta = np.abs(channels(old) - channels(fresh)).reshape(fresh.height(), fresh.width(), 4).max(axis=2)
    if delta.max() > 16:
        return True
    return int((delta > 0).sum()) > fresh.width() * fresh.height() // 1000 + 32


def stale_pngs(root: Path = ICONS) -> list[Path]:
    """PNGs that are missing or differ from a fresh render of the SVG."""
    stale = []
    for size in SIZES:
        out = png_path(size, root)
        fresh = render(APP_ICON, size)
        if not out.is_file() or _differs(QImage(str(out)), fresh):
            stale.append(out)
    return stale


def contact_sheet(out: Path, cell: int = 48) -> Path:
    """Every action icon at ``cell`` pixels: light variants on white, dark ones on dark grey."""
    names = sorted(p.stem for p in ICONS.glob("*.svg") if not p.stem.endswith("-dark") and p.stem != "cisannotate")
    pad = cell // 3
    width = len(names) * (cell + pad) + pad
    sheet = QImage(width, 2 * (cell + 2 * pad), QImage.Format.Format_ARGB32)
    painter = QPainter(sheet)
    painter.fillRect(0, 0, width, cell + 2 * pad, QColor("#ffffff"))
    painter.fillRect(0, cell + 2 * pad, width, cell + 2 * pad, QColor("#2a2a2d"))
    for i, name in enumerate(names):
        x = pad + i * (cell + pad)
        painter.drawImage(x, pad, render(ICONS / f"{name}.svg", cell))
        dark = ICONS / f"{name}-dark.svg"
        painter.drawImage(x, cell + 3 * pad, render(dark if dark.is_file() else ICONS / f"{name}.svg", cell))
    painter.end()
    sheet.save(str(out))
    print("  ".join(names))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing or stale PNGs")
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet of the action icons")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.check:
        stale = stale_pngs()
        for path in stale:
            print(f"stale or missing: {path.relative_to(ICONS.parent.parent)}", file=sys.stderr)
        return 1 if stale else 0
    for path in write_pngs():
        print(path.relative_to(ICONS.parent.parent))
    if args.sheet:
        print(f"sheet: {contact_sheet(args.sheet)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
