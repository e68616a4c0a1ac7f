"""The edit verbs without Qt: each builds operations without writing, apply writes them in one
transaction, the inverse operations undo them exactly, and refusals carry the user's message."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cisannotate.commands.ops import AddSpan, inverse_all
from cisannotate.core.model import Document, SourceLine, Speaker, TRANSCRIPT
from cisannotate.core.text import sha256_text
from cisannotate.editor import EditRefused, Editor, WriteFailed
from cisannotate.storage import ReadOnlyError, Store

TRANSCRIPT_TEXT = "Good morning. The border is closed. We will act."
ARTICLE_TEXT = "The minister said 😀 the border was shut.  Nothing else."
EMOJI = ARTICLE_TEXT.index("😀")  # code points: the emoji is one
SHUT = ARTICLE_TEXT.index("shut.") + len("shut.")


def _doc(text: str, kind: str) -> Document:
    sha = sha256_text(text)
    return Document(id=sha[:16], kind=kind, title=kind, text=text, sha256=sha, event="e1")


@pytest.fixture
def setup(store):
    transcript, article = _doc(TRANSCRIPT_TEXT, TRANSCRIPT), _doc(ARTICLE_TEXT, "article")
    store.add_document(transcript, [SourceLine(transcript.id, 1, 0, 13, 1), SourceLine(transcript.id, 2, 14, 35, 1)])
    store.add_document(article)
    return Editor(store, "amira"), store, transcript, article


def snapshot(store: Store):
    return (store.spans(), store.links(), store.speakers(), store.channels(), store.categories(), store.comments())


def test_the_editor_loads_without_qt():
    code = "import sys, cisannotate.editor; sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_verb_builds_without_writing_and_apply_reports_the_changes(setup):
    editor, store, _, article = setup
    before = snapshot(store)
    # Whitespace at the edges is trimmed.
    edit = editor.add_span(article.id, EMOJI - 1, SHUT + 2, note="n")
    span = edit.result
    assert (span.start, span.end) == (EMOJI, SHUT) and span.quote == "😀 the border was shut."
    assert edit.label == "Mark span" and snapshot(store) == before
    changes = editor.run(edit)
    assert changes.spans == {span.id} and changes.documents == {article.id}
    assert store.span(span.id) == span and span.layer == "amira" == span.annotator


def test_an_empty_selection_is_refused_with_a_message(setup):
    editor, store, _, article = setup
    with pytest.raises(EditRefused, match="Select some text first"):
        editor.add_span(article.id, SHUT, SHUT + 2)
    assert store.spans() == []


def test_link_clears_no_source_and_the_inverse_undoes_everything(setup):
    editor, store, transcript, article = setup
    never_applied = editor.add_span(article.id, 0, 12).result
    claim = editor.add_span(article.id, EMOJI, SHUT)
    editor.run(claim)
    editor.run(editor.mark_no_source(claim.result.id))
    assert store.span(claim.result.id).no_source
    before = snapshot(store)
    edit = editor.link(claim.result.id, [(transcript.id, 14, 35)], "close paraphrase")
    changes = editor.run(edit)
    (link,) = edit.result
    assert changes.links == {link.id} and not store.span(claim.result.id).no_source
    assert store.links_for_span(claim.result.id) == [link]
    editor.apply(inverse_all(edit.ops))
    assert snapshot(store) == before
    assert not store.has_span(never_applied.id)
    with pytest.raises(ValueError, match="unknown relation"):
        editor.link(claim.result.id, [(transcript.id, 14, 35)], "rumour")


def test_deleting_a_span_deletes_its_links_first_and_undo_restores_both(setup):
    editor, store, transcript, article = setup
    edit = editor.add_span_with_links(article.id, EMOJI, SHUT, [(transcript.id, 14, 35)], "verbatim")
    editor.run(edit)
    before = snapshot(store)
    delete = editor.delete_spans([edit.result.id, edit.result.id])
    assert delete.label == "Delete annotation"
    assert [type(op).__name__ for op in delete.ops] == ["DeleteLink", "DeleteSpan"]
    editor.run(delete)
    assert store.spans() == [] and store.links() == []
    editor.apply(inverse_all(delete.ops))
    assert snapshot(store) == before


def test_an_edit_that_changes_nothing_is_no_edit_and_a_move_requotes(setup):
    editor, store, _, article = setup
    saved = editor.add_span(article.id, 0, 12, note="same")
    editor.run(saved)
    assert editor.edit_span(saved.result.id, note="same") is None
    editor.run(editor.edit_span(saved.result.id, end=8))
    assert store.span(saved.result.id).quote == "The mini"
    with pytest.raises(TypeError):
        editor.edit_span(saved.result.id, annotator="someone")


def test_a_failed_write_leaves_the_project_as_it_was(setup):
    editor, store, _, article = setup
    first = editor.add_span(article.id, 0, 12)
    second = editor.add_span(article.id, EMOJI, SHUT)
    broken = AddSpan(second.result.with_changes(document_id="missing"))
    with pytest.raises(WriteFailed, match="could not be saved.*earlier work is intact"):
        editor.apply(first.ops + [broken])
    assert store.spans() == []


def test_a_read_only_project_refuses_every_write(tmp_path):
    path = tmp_path / "p.cisannotate"
    Store.open(path).close()
    store = Store.open(path, read_only=True)
    editor = Editor(store, "amira")
    with pytest.raises(ReadOnlyError):
        editor.run(editor.add_speaker("Minister"))
    store.close()


def test_codebook_comments_and_the_annotator(setup):
    editor, store, _, article = setup
    added = editor.add_speaker("  The minister ", " official ")
    editor.run(added)
    assert added.result == Speaker(added.result.id, "The minister", "official")
    assert store.speakers() == [added.result]
    editor.run(editor.add_channel(" Radio "))
    assert [c.name for c in store.channels()] == ["Radio"]
    assert editor.set_annotator(" jonas ") and editor.annotator == "jonas"
    assert not editor.set_annotator("jonas") and not editor.set_annotator("  ")
    span = editor.add_span(article.id, 0, 12)
    editor.run(span)
    comment = editor.add_comment(span.result.id, "  check this ")
    editor.run(comment)
    assert [c.text for c in store.comments(span.result.id)] == ["check this"]
    assert comment.result.author == "jonas" and "jonas" in store.annotators()
