"""What the window's modules import at start: the team's sync (exchange, merge, git),
dateutil's parser, sqlite-utils (the migrations), the corpus search, the agreement figures,
subprocess, the catalogue reader, ``html``, the small dialogs, the codebook dialog and the tag
popup wait until something uses them (their cost is
measured by ``make bench``); the features they serve work from the first key press."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DEFERRED = ("cisannotate.team.sync", "cisannotate.io.merge", "dateutil.parser._parser", "dateutil.tz",
            "sqlite_utils", "cisannotate.storage.schema", "cisannotate.search", "cisannotate.core.agreement",
            "cisannotate.core.kwic", "subprocess", "xml.etree.ElementTree", "html",
            "cisannotate.ui.dialogs.small_dialogs", "cisannotate.ui.dialogs.codebook_dialog",
            "cisannotate.ui.document.tag_popup")


def test_the_window_modules_leave_the_team_sync_and_date_parsing_for_later():
    code = ("import sys; import cisannotate.storage, cisannotate.session; "
            "import cisannotate.ui.window.main_window; "
            f"print(' '.join(m for m in {DEFERRED!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == []


def test_feature_shortcuts_work_at_once_after_a_start_that_deferred_their_modules(sample_project):
    """A fresh process starts the window on an existing project (as ``cisannotate PROJECT``)
    without the deferred modules; Ctrl+Shift+F, a search and Ctrl+Shift+R, pressed as soon as
    the window is shown and active, do what they do in a window that has run for a while."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    probe = Path(__file__).with_name("start_keys_probe.py")
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, str(probe), str(sample_project)], capture_output=True, text=True,
                          env=env, timeout=180)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("PROBE ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    result = json.loads(lines[-1][len("PROBE "):])
    assert result["active"]
    assert result["loaded_at_show"] == []
    assert result["search_visible"] and result["search_focused"]
    assert result["search_rows"] > 0
    assert result["agreement_open"]
    assert result["tooltip"].startswith("<b>") and "</span>" in result["tooltip"]
    assert {"cisannotate.search", "cisannotate.core.agreement", "html"} <= set(result["loaded_after"])


def test_a_stored_codebook_conflict_enables_settling_and_is_listed(qtbot, make_window, sample_project):
    """The window tells from the project's settings alone that conflicts wait, and its dialog
    (which imports the sync) lists them."""
    import json

    from cisannotate.storage import Store
    from cisannotate.team.codebook import Conflict
    from cisannotate.team_settings import META_CONFLICTS, META_REMOTE, has_conflicts
    from cisannotate.ui.features.team import ConflictsDialog

    store = Store.open(sample_project)
    assert not has_conflicts(store)
    conflict = Conflict("categories", "Q", {"name": "Quote"}, {"name": "Direct quote"})
    store.set_meta(META_REMOTE, str(sample_project.parent / "remote.git"))
    store.set_meta(META_CONFLICTS, json.dumps([conflict.to_json()]))
    assert has_conflicts(store)
    store.close()

    window = make_window(sample_project, annotator="tester")
    assert window.team.act_sync.isEnabled() and window.team.act_conflicts.isEnabled()
    dialog = ConflictsDialog(window, window.team)
    qtbot.addWidget(dialog)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [conflict.describe()]
