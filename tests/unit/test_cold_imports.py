"""What a cold command imports: ``--help`` and ``documents`` load no Qt, numpy or
suggestion model (their start-up time is measured by ``make bench``, not here)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("PySide6", "shiboken6", "numpy", "pandas", "matplotlib", "rapidfuzz", "snowballstemmer",
         "cisannotate.ui", "cisannotate.app", "cisannotate.core.suggest", "cisannotate.suggestions",
         # sqlite-utils' date recipes import these; the storage binds them to load on first use
         "dateutil.parser._parser", "dateutil.tz")


def imported_modules(*args: str) -> set[str]:
    """The modules ``python -X importtime -m cisannotate ARGS`` imports (from its import log)."""
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "cisannotate", *args],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    assert "cisannotate.cli" in names, "the import log was not read"
    return names


def heavy_in(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in HEAVY))


def test_help_imports_neither_qt_nor_numpy_nor_the_storage():
    names = imported_modules("--help")
    assert heavy_in(names) == []
    assert "sqlite_utils" not in names and "cisannotate.storage" not in names


@pytest.mark.parametrize("command", ["documents", "lines"])
def test_reading_a_project_imports_the_storage_but_nothing_heavy(tmp_path, command):
    from cisannotate.sample import create_sample_project

    path = tmp_path / "p.cisannotate"
    store = create_sample_project(path)
    transcript = next(d for d in store.documents() if d.kind == "transcript")
    store.close()
    args = ["documents", str(path)] if command == "documents" else ["lines", str(path), transcript.id]
    names = imported_modules(*args)
    assert "cisannotate.storage.store" in names
    # Reading goes through the sqlite3 connection; sqlite-utils waits for a migration.
    assert "sqlite_utils" not in names and "cisannotate.storage.schema" not in names
    assert heavy_in(names) == []


def test_the_date_parser_sqlite_utils_binds_still_parses():
    """The storage defers dateutil's parser (sqlite-utils imports it for recipes never used
    here); whoever does use it gets the real module."""
    code = ("import cisannotate.storage, sys; cisannotate.storage.load_sqlite_utils(); "
            "from sqlite_utils import recipes; "
            "from dateutil.parser import ParserError; import dateutil.parser; "
            "print(recipes.parsedate('3 December 2026'), dateutil.parser.parse('2026-12-03T10:00').hour, "
            "ParserError.__name__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["2026-12-03", "10", "ParserError"]
