"""A cancellable progress dialog for the long operations: import, export, merge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class ProgressDialog:
    """A window-modal progress dialog as a ``progress(done, total) -> bool`` callback (False: cancelled)."""

    def __init__(self, parent: QWidget | None, label: str, *, title: str = "cisannotate") -> None:
        self.dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)

    def __call__(self, done: int, total: int) -> bool:
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        QApplication.processEvents()
        return not self.dialog.wasCanceled()

    def set_label(self, text: str) -> None:
        self.dialog.setLabelText(text)

    def cannot_cancel(self, label: str) -> None:
        """From here on the work completes or changes nothing: no Cancel button."""
        self.dialog.setCancelButton(None)
        self.dialog.setLabelText(label)
        QApplication.processEvents()

    def close(self) -> None:
        parent = self.dialog.parentWidget()
        self.dialog.close()
        self.dialog.deleteLater()
        if parent is not None:
            # The waiting window takes the keyboard back at once, so its shortcuts work
            # (not every window manager gives activation back to a closed dialog's parent).
            parent.window().activateWindow()
