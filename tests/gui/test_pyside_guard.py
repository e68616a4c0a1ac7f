"""Guard against the PySide6 release that drops references to None.

PySide6 6.12.0 on Python 3.11 decrements None's reference count on every call
of a Qt method that returns nothing; after some thousand calls the interpreter
aborts with "deallocating None". pyproject.toml excludes that release; this
test fails loudly if a broken build is ever installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCursor, QTextDocument


def test_void_qt_calls_keep_none_alive(qapp):
    document = QTextDocument("x" * 100)
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for i in range(100_000):
        cursor.setPosition(i % 100)
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references in 100,000 calls"
