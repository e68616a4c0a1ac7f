"""The frozen bundle's entry point: ``cisannotate/__main__.py`` as a package module.

``__main__.py`` uses package-relative imports, so the bundle cannot run it as a
top-level script; this file imports it by its package name and calls ``main``.
"""

import sys

from cisannotate.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
