"""What the window's modules import at start: the team's sync (exchange, merge, git) and
dateutil's parser wait until something uses them (their cost is measured by ``make bench``)."""

from __future__ import annotations

import subprocess
import sys

DEFERRED = ("cisannotate.team.sync", "cisannotate.io.merge", "dateutil.parser._parser", "dateutil.tz")


def test_the_window_modules_leave_the_team_sync_and_date_parsing_for_later():
    code = ("import sys; import cisannotate.storage, cisannotate.session; "
            "import cisannotate.ui.window.main_window; "
            f"print(' '.join(m for m in {DEFERRED!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == []


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
