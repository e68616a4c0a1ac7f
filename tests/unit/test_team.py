"""Working as a team through a bare git repository: three projects stand for three laptops."""

from __future__ import annotations

import json
import subprocess

import pytest

from cisannotate.core.model import REVIEWED_LAYER, Category, Link, Review, Span
from cisannotate.io.merge import merge_data
from cisannotate.io.exchange import native_export
from cisannotate.sample import create_sample_project
from cisannotate.storage import Store
from cisannotate.team import conflicts, init_team, join_team, settle, sync
from cisannotate.team.sync import TeamError, file_name

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")


@pytest.fixture
def team(tmp_path, monkeypatch):
    """A bare repository, and a corpus (the sample's texts, no annotations) to start from."""
    monkeypatch.setenv("CISANNOTATE_DATA_DIR", str(tmp_path / "data"))
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    sample = create_sample_project(tmp_path / "sample.cisannotate")
    corpus = native_export(sample, with_text=True)
    sample.close()
    corpus.update(spans=[], links=[], reviews=[], comments=[], annotators=[])
    return tmp_path, str(remote), corpus


def _layers(store: Store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for span in store.spans():
        out.setdefault(span.layer, []).append(span.id)
    for link in store.links():
        out.setdefault(link.layer + ":links", []).append(link.id)
    return {k: sorted(v) for k, v in out.items()}


def _state(store: Store):
    return (
        _layers(store),
        sorted((r.id, r.decision, r.result_id) for r in store.reviews()),
        sorted((c.id, c.name, c.color) for c in store.categories()),
        sorted(d.sha256 for d in store.documents()),
    )


def _span(store: Store, annotator: str, start: int, end: int, *, layer: str | None = None, **fields) -> Span:
    article = next(d for d in sorted(store.documents(), key=lambda d: d.sha256)
                   if d.kind == "article" and store.transcripts_for(d.id))
    text = store.text(article.id)
    category = store.categories()[0]
    span = Span(id=f"{annotator}-{start}", document_id=article.id, start=start, end=end, quote=text[start:end],
                prefix=text[max(0, start - 32):start], suffix=text[end:end + 32], category_id=category.id,
                layer=layer or annotator, annotator=annotator, created="2026-01-01T00:00:00.000Z",
                modified="2026-01-01T00:00:00.000Z", **fields)
    store.ensure_annotator(annotator)
    store.add_span(span)
    return span


def _link(store: Store, span: Span, relation: str = "close paraphrase") -> Link:
    transcript = store.transcripts_for(span.document_id)[0]
    line = store.source_lines(transcript.id)[3]
    link = Link(id=f"{span.id}-link", span_id=span.id, target_document_id=transcript.id, target_start=line.start,
                target_end=line.end, relation=relation, layer=span.layer, annotator=span.annotator,
                created=span.created, modified=span.modified)
    store.add_link(link)
    return link


def _three(team):
    tmp, remote, corpus = team
    amira = Store.open(tmp / "amira.cisannotate")
    merge_data(amira, corpus)
    init_team(amira, remote, "amira")
    jonas = Store.open(tmp / "jonas.cisannotate")
    join_team(jonas, remote, "jonas")
    rita = Store.open(tmp / "rita.cisannotate")
    join_team(rita, remote, "rita", reviewer=True)
    return amira, jonas, rita


def test_three_projects_reach_the_same_state_through_a_bare_repository(team):
    amira, jonas, rita = _three(team)
    assert _state(jonas)[2:] == _state(amira)[2:] == _state(rita)[2:]  # corpus and codebook

    a1 = _span(amira, "amira", 10, 60)
    _link(amira, a1)
    _span(amira, "amira", 100, 140)
    report = sync(amira)
    assert report.committed

    _span(jonas, "jonas", 12, 60)
    report = sync(jonas)
    assert report.layers["amira"].added == 3  # two claims and a link

    report = sync(rita)
    assert {"amira", "jonas"} <= set(report.layers)
    reviewed = _span(rita, "rita", 10, 60, layer=REVIEWED_LAYER)
    rita.add_review(Review(id="rev-1", item_a=a1.id, item_b="jonas-12", decision="accept_a", reviewer="rita",
                           result_id=reviewed.id, comment="", created="2026-01-02T00:00:00.000Z"))
    sync(rita)

    report = sync(amira)
    assert report.layers[REVIEWED_LAYER].added == 1 and "jonas" in report.layers
    sync(jonas)
    states = [_state(s) for s in (amira, jonas, rita)]
    assert states[0] == states[1] == states[2]
    assert set(states[0][0]) == {"amira", "amira:links", "jonas", REVIEWED_LAYER}
    assert states[0][1] == [("rev-1", "accept_a", reviewed.id)]  # the reviewer's decision reached everyone

    # Syncing again changes nothing, in the projects or in the repository.
    head = subprocess.run(["git", "-C", team[1], "rev-parse", "main"], capture_output=True, text=True).stdout
    for store in (amira, jonas, rita):
        again = sync(store)
        assert not again.changed_project and not again.committed, again.lines()
    assert subprocess.run(["git", "-C", team[1], "rev-parse", "main"], capture_output=True, text=True).stdout == head
    assert [_state(s) for s in (amira, jonas, rita)] == states


def test_edits_and_removals_of_a_layer_reach_the_others(team):
    amira, jonas, _rita = _three(team)
    first = _span(amira, "amira", 10, 60)
    _span(amira, "amira", 100, 140)
    sync(amira)
    sync(jonas)
    amira.update_span(Span(**{**first.__dict__, "note": "checked", "modified": "2026-01-03T00:00:00.000Z"}))
    amira.delete_span("amira-100")
    sync(amira)
    news = sync(jonas).layers["amira"]
    assert (news.added, news.changed, news.removed) == (0, 1, 1)
    assert jonas.span(first.id).note == "checked" and not jonas.has_span("amira-100")


def test_a_codebook_change_reaches_the_others_at_their_next_sync(team):
    amira, jonas, rita = _three(team)
    accusation = next(c for c in amira.categories() if c.name == "Accusation")
    amira.update_category(Category(**{**accusation.__dict__, "name": "Charge"}))
    amira.add_category(Category("cat-new", "Reassurance", "#abcdef", "", "Calms the audience.", 20))
    sync(amira)
    report = sync(jonas)
    assert "category “Accusation” renamed to “Charge”" in report.codebook
    assert "category “Reassurance” added" in report.codebook
    names = {c.name for c in jonas.categories()}
    assert {"Charge", "Reassurance"} <= names and "Accusation" not in names
    sync(rita)
    assert sorted(c.name for c in rita.categories()) == sorted(c.name for c in amira.categories())


def test_a_codebook_conflict_is_kept_for_the_researcher_and_settled(team):
    amira, jonas, _rita = _three(team)
    category = amira.categories()[0]
    amira.update_category(Category(**{**category.__dict__, "color": "#111111"}))
    jonas.update_category(Category(**{**category.__dict__, "color": "#222222"}))
    sync(amira)
    report = sync(jonas)
    assert len(report.conflicts) == 1 and "#111111" in report.conflicts[0].describe()
    assert jonas.categories()[0].color == "#222222"  # nothing changed behind the researcher's back
    assert sync(jonas).conflicts  # and it stays a conflict until settled
    settle(jonas, conflicts(jonas)[0], "theirs")
    assert jonas.categories()[0].color == "#111111" and not conflicts(jonas)
    assert not sync(jonas).conflicts

    # Keeping one's own version sends it to the team.
    jonas.update_category(Category(**{**category.__dict__, "color": "#333333"}))
    amira.update_category(Category(**{**category.__dict__, "color": "#444444"}))
    sync(jonas)
    settle(amira, sync(amira).conflicts[0], "mine")
    sync(amira)
    sync(jonas)
    assert jonas.categories()[0].color == amira.categories()[0].color == "#444444"


def test_a_category_both_added_under_one_name_becomes_one(team):
    amira, jonas, _rita = _three(team)
    amira.add_category(Category("cat-a", "Early warning", "#aa0000", "", "", 30))
    jonas.add_category(Category("cat-j", "Early warning", "#aa0000", "", "", 30))
    span = _span(jonas, "jonas", 10, 50)
    jonas.update_span(Span(**{**span.__dict__, "category_id": "cat-j"}))
    sync(amira)
    sync(jonas)
    assert [c.id for c in jonas.categories() if c.name == "Early warning"] == ["cat-a"]
    assert jonas.span(span.id).category_id == "cat-a"


def test_join_refuses_a_layer_another_member_writes_and_a_non_team_repository(team, tmp_path):
    amira, _jonas, _rita = _three(team)
    other = Store.open(tmp_path / "other.cisannotate")
    with pytest.raises(TeamError, match="rita already writes the layer reviewed"):
        join_team(other, team[1], "paul", reviewer=True)
    empty = tmp_path / "empty.git"
    subprocess.run(["git", "init", "-q", "--bare", str(empty)], check=True)
    with pytest.raises(TeamError, match="is empty"):
        join_team(other, str(empty), "paul")
    with pytest.raises(TeamError, match="already holds work"):
        init_team(Store.open(tmp_path / "x.cisannotate"), team[1], "paul")


def test_repository_layout_is_one_file_per_layer_and_texts_by_hash(team, tmp_path):
    amira, jonas, _rita = _three(team)
    _span(amira, "amira", 10, 60)
    sync(amira)
    clone = tmp_path / "look"
    subprocess.run(["git", "clone", "-q", "-b", "main", team[1], str(clone)], check=True)
    files = sorted(str(p.relative_to(clone)) for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts)
    shas = sorted(d.sha256 for d in amira.documents())
    assert [f for f in files if f.startswith("corpus/texts/")] == [f"corpus/texts/{s}.txt" for s in shas]
    assert {"layers/amira.json", "layers/jonas.json", "layers/reviewed.json", "codebook.json",
            "members/amira.json", "members/jonas.json", "members/rita.json", "cisannotate-team.json",
            "corpus/documents.json"} <= set(files)
    layer = json.loads((clone / "layers" / "amira.json").read_text(encoding="utf-8"))
    assert layer["scope"]["annotator"] == "amira" and len(layer["spans"]) == 1
    assert len(layer["documents"]) == 1  # only the documents the layer uses
    assert file_name("Åsa Berg/2") == "%C3%85sa%20Berg%2F2.json"


def test_a_killed_sync_leaves_both_usable_and_a_repeat_completes_it(team, tmp_path):
    amira, jonas, _rita = _three(team)
    for n in range(40):
        _span(amira, "amira", 10 + n * 20, 25 + n * 20)
    path = str(amira.path)
    amira.close()
    script = (
        "import sys; from cisannotate.storage import Store; from cisannotate.team import sync; "
        "s = Store.open(sys.argv[1]); sync(s); s.close()"
    )
    import os
    import sys
    import time

    env = dict(os.environ)
    for n, delay in enumerate((0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 1.0)):
        store = Store.open(path)
        _span(store, "amira", 900 + n * 20, 915 + n * 20)  # something new to send each time
        store.close()
        child = subprocess.Popen([sys.executable, "-c", script, path], env=env)
        time.sleep(delay)
        child.kill()
        child.wait()
    # The project opens again once the killed process is gone (its lock goes with it).
    from cisannotate.storage.errors import ProjectLocked

    deadline = time.monotonic() + 10
    while True:
        try:
            amira = Store.open(path)
            break
        except ProjectLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    sync(amira)
    sync(jonas)
    assert _layers(jonas)["amira"] == _layers(amira)["amira"] and len(_layers(amira)["amira"]) == 47
    assert amira.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert subprocess.run(["git", "-C", team[1], "fsck", "--no-progress"], capture_output=True).returncode == 0


def test_a_member_joins_with_the_project_that_holds_their_work(team, tmp_path):
    """A colleague who annotated before the team existed brings that work along."""
    amira, _jonas, _rita = _three(team)
    tmp, remote, corpus = team
    paul = Store.open(tmp / "paul.cisannotate")
    merge_data(paul, corpus)
    own = paul.categories()[0]
    paul.add_category(Category("cat-paul", "Early warning", "#00aa00", "", "", 40))
    span = _span(paul, "paul", 30, 70)
    join_team(paul, remote, "paul")
    assert paul.span(span.id).category_id == own.id
    sync(amira)
    assert amira.has_span(span.id) and "Early warning" in {c.name for c in amira.categories()}


def test_a_sync_that_changes_the_project_backs_it_up_first(team):
    from cisannotate.storage.backup import list_backups

    amira, jonas, _rita = _three(team)
    before = len(list_backups(jonas.path))
    assert not sync(jonas).changed_project
    assert len(list_backups(jonas.path)) == before  # nothing came in: no copy
    _span(amira, "amira", 10, 60)
    sync(amira)
    sync(jonas)
    backups = list_backups(jonas.path)
    assert len(backups) == before + 1 and backups[0].reason == "before-sync"


def test_the_readme_commands(team, tmp_path, capsys, monkeypatch):
    from cisannotate.cli import run

    tmp, remote, corpus = team
    monkeypatch.chdir(tmp)
    start = Store.open(tmp / "study.cisannotate")
    merge_data(start, corpus)
    start.close()
    assert run(["team", "init", "study.cisannotate", remote, "--as", "amira"]) == 0
    assert "documents shared with the team: 6" in capsys.readouterr().out
    assert run(["team", "join", remote, "--as", "jonas"]) == 0  # default project: team.cisannotate, here
    out = capsys.readouterr().out
    assert "created team.cisannotate" in out and (tmp / "team.cisannotate").is_file()
    assert run(["team", "join", remote, "rita.cisannotate", "--as", "rita", "--reviewer"]) == 0
    capsys.readouterr()
    assert run(["team", "sync", "team.cisannotate"]) == 0
    assert "sent: nothing new" in capsys.readouterr().out
    assert run(["team", "status", "rita.cisannotate"]) == 0
    out = capsys.readouterr().out
    assert "you: rita (you write: rita, reviewed)" in out and "codebook conflicts to settle: 0" in out

    assert run(["team", "sync", "missing.cisannotate"]) == 1
    assert "missing.cisannotate: no such project" in capsys.readouterr().err
    Store.open(tmp / "alone.cisannotate").close()
    assert run(["team", "sync", "alone.cisannotate"]) == 1
    assert "works with no team yet" in capsys.readouterr().err
    assert run(["team", "join", str(tmp / "nowhere.git"), "new.cisannotate", "--as", "paul"]) == 1
    assert "nothing" not in capsys.readouterr().out and not (tmp / "new.cisannotate").exists()
