"""Test set-up: no real display, and every folder the app uses points into tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Point the data folder (default project, settings, backups) at a fresh folder."""
    from cisannotate import paths

    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(folder))
    paths.set_data_dir(None)
    yield folder
    paths.set_data_dir(None)


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "manifest.csv").is_file():
        pytest.skip("the shared corpus is not beside the repository")
    return CORPUS


@pytest.fixture
def store():
    from cisannotate.storage import Store

    s = Store.memory()
    yield s
    s.close()
