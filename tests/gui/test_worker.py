"""Long work runs in a worker thread: the GUI thread stays free, questions and progress go back
to it, Cancel stops the work, and the work's result or exception comes back to the caller."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QProgressDialog

from cisannotate.ui.common.worker import Feedback, run_in_worker


def test_the_work_runs_in_another_thread_and_its_result_comes_back(qapp):
    seen = {}

    def work(feedback: Feedback) -> str:
        seen["worker"] = threading.get_ident()
        seen["gui"] = feedback.on_gui(threading.get_ident)
        for done in range(5):
            feedback.progress(done, 5)
        return "done"

    assert run_in_worker(None, "Working…", work) == "done"
    assert seen["worker"] != threading.get_ident() and seen["gui"] == threading.get_ident()


def test_an_exception_of_the_work_is_raised_to_the_caller(qapp):
    def work(feedback: Feedback) -> None:
        raise LookupError("no such thing")

    with pytest.raises(LookupError, match="no such thing"):
        run_in_worker(None, "Working…", work)


def test_cancel_is_seen_by_the_work_at_its_next_check(qapp, monkeypatch):
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    steps = []

    def work(feedback: Feedback) -> int:
        for done in range(100):
            feedback.progress(done, 100)
            if feedback.cancelled():
                break
            steps.append(done)
        return len(steps)

    assert run_in_worker(None, "Working…", work) == 0


def test_a_question_asked_from_the_work_is_answered_in_the_gui_thread(qapp):
    def work(feedback: Feedback) -> bool:
        def ask() -> bool:
            assert threading.current_thread() is threading.main_thread()
            return True

        return feedback.on_gui(ask)

    assert run_in_worker(None, "Working…", work) is True
