#!/usr/bin/env bash
# Build the one-folder bundle dist/cisannotate/ with PyInstaller, from the repository's .venv.
#   packaging/build.sh            (PYTHON=/path/to/python to use another interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_VERSION=6.22.3
HOOKS_CONTRIB_VERSION=2026.9
PYTHON=${PYTHON:-.venv/bin/python}

if [ ! -x "$PYTHON" ]; then
  echo "build.sh: $PYTHON not found; run 'make run' or 'python3 -m venv .venv' first" >&2
  exit 1
fi
"$PYTHON" -m pip --disable-pip-version-check install -q -e . \
  "pyinstaller==$PYINSTALLER_VERSION" "pyinstaller-hooks-contrib==$HOOKS_CONTRIB_VERSION"

# The window's translations, compiled from the committed .ts sources.
for ts in resources/i18n/*.ts; do
  "$(dirname "$PYTHON")/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done

# The PNG icons are committed; refuse to bundle ones that no longer match the SVG.
QT_QPA_PLATFORM=offscreen "$PYTHON" packaging/render_icons.py --check

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/cisannotate.spec

echo "built dist/cisannotate/ ($(du -sh dist/cisannotate | cut -f1)); try: dist/cisannotate/cisannotate --version"
