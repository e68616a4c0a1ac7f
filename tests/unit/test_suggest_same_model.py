"""The window and ``cisannotate suggest`` rank with the model the evaluation measures.

Both go through ``Suggester`` (cisannotate/suggestions.py), which builds its index from
the project's stored source lines, speakers, events and dates. Here the fictional events
are imported into a project and every gold span is ranked both ways, in scope "all".
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cisannotate.services.importing import import_files
from cisannotate.storage import Store
from cisannotate.suggestions import Suggester

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import suggest_eval as ev  # noqa: E402  (the developer's evaluation tool, not shipped)

EVENTS = REPO / "tests" / "data" / "events"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Store:
    path = tmp_path_factory.mktemp("events") / "events.cisannotate"
    store = Store.open(path)
    import_files(store, [EVENTS], manifest=EVENTS / "manifest.csv")
    yield store
    store.close()


def test_the_project_ranks_like_the_evaluation(project):
    collection = ev.load_events()
    index = collection.index()  # the shipped coefficients
    suggester = Suggester(project)
    files = {d.id: d.source_file for d in project.documents()}
    ids = {name: doc_id for doc_id, name in files.items()}
    for span in collection.spans:
        got = suggester.suggest(ids[span.article], span.start, span.end, top=5, scope="all")
        want = index.query(collection.text(span), top=5, context=collection.context(span),
                           where=collection.where(span))
        assert [(files[c.document_id], c.lines, round(c.score, 9)) for c in got.candidates] == [
            (c.document_id, c.lines, round(c.score, 9)) for c in want], collection.text(span)
        assert got.no_source == ev.is_no_source(want)
    assert len(collection.spans) > 100


def test_speakers_reach_the_index(project):
    speakers = {ref.speaker for ref in Suggester(project).index.lines}
    assert {"Ivo Hald", "Sabine Lott", "Tomas Kerrel"} <= speakers


def test_the_align_walk_through_ranks_each_sentence_in_its_article(project):
    from cisannotate.core.suggest_context import InArticle

    collection = ev.load_events()
    index = collection.index()
    suggester = Suggester(project)
    files = {d.id: d.source_file for d in project.documents()}
    ids = {name: doc_id for doc_id, name in files.items()}
    article = collection.documents["dorvik_wire.txt"]
    rows = suggester.rank_article(ids[article.id], top=3, scope="all")
    assert len(rows) > 5
    context = ev.Context(article.event, article.date)
    for (start, end, text), got in rows:
        want = index.query(text, top=3, context=context, where=InArticle(article.text, start, end))
        assert [(files[c.document_id], c.lines, round(c.score, 9)) for c in got.candidates] == [
            (c.document_id, c.lines, round(c.score, 9)) for c in want], text
