"""Render the agreement report's chart tab on the sample, for the README (docs/screenshot-agreement.png).

Usage: python tools/screenshot_agreement.py PROJECT OUT.png [--size 1000x900]
Runs offscreen; the project is opened read-only and left untouched.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1000x900")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cisannotate import paths
    from cisannotate.app import make_application
    from cisannotate.storage import Store
    from cisannotate.ui.dialogs.agreement_dialog import TAB_CHART, AgreementDialog
    from cisannotate.ui.common.theme import apply_appearance

    with tempfile.TemporaryDirectory() as folder:
        paths.set_data_dir(Path(folder))
        app = make_application()
        apply_appearance(app, "light")
        store = Store.open(args.project, read_only=True)
        layers = [layer for layer in store.layers() if layer != "reviewed"]
        dialog = AgreementDialog(store, layers, layers[:2])
        dialog.wait_for_intervals()
        dialog.resize(width, height)
        dialog.tabs.setCurrentIndex(TAB_CHART)
        dialog.show()
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if not dialog.grab().save(str(args.out)):
            raise SystemExit(f"{args.out}: could not write the image")
        dialog.close()
        store.close()


if __name__ == "__main__":
    main()
