"""The Team menu: start or join a team, sync with it, settle codebook conflicts.

The work is done by ``cisannotate.team`` (the same functions as ``cisannotate
team``); this module runs git so that the window stays responsive (the user can
cancel a sync that waits on the network) and refreshes the views afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QMessageBox, QProgressDialog, QPushButton, QVBoxLayout, QWidget,
)

from ...core.changes import Changes
from ...team_settings import TeamError, config, has_conflicts

if TYPE_CHECKING:
    import subprocess

    from .host import FeatureHost

TITLE = "Team"


class _GitProgress:
    """A progress dialog whose git commands keep the window responsive and can be cancelled."""

    def __init__(self, parent: QWidget, label: str) -> None:
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(TITLE)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)

    def say(self, message: str) -> None:
        self.dialog.setLabelText(message)
        QApplication.processEvents()

    def run(self, argv: Sequence[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
        import subprocess  # here: the window's start imports this module, and runs git only when syncing

        process = subprocess.Popen(list(argv), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        while process.poll() is None:
            QApplication.processEvents()
            if self.dialog.wasCanceled():
                process.kill()
                process.wait()
                from ...team.gitrepo import GitError

                raise GitError("cancelled")
            time.sleep(0.01)
        out, err = process.communicate()
        return subprocess.CompletedProcess(list(argv), process.returncode, out, err)

    def close(self) -> None:
        self.dialog.close()
        self.dialog.deleteLater()


class TeamDialog(QDialog):
    """Asks for the team repository and the name the team sees (and, to join, the new project)."""

    def __init__(self, parent: QWidget, *, join: bool, name: str, folder: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("Join a team" if join else "Start a team")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Give the address of the team's git repository (a folder on a shared drive, or an address "
            "of GitLab, GitHub or your university's server). Git's own sign-in is used: cisannotate "
            "never sees a password." + ("" if join else " Start with an empty repository.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.repo = QLineEdit(self)
        self.repo.setAccessibleName("Team repository")
        self.repo.setPlaceholderText("git@gitlab.example.org:team/corpus.git")
        form.addRow("&Repository:", self.repo)
        self.name = QLineEdit(name, self)
        self.name.setAccessibleName("Your name in the team")
        form.addRow("Your &name:", self.name)
        self.reviewer = QCheckBox("I &review the team's work (I write the reviewed layer)", self)
        form.addRow("", self.reviewer)
        self.project = QLineEdit(str(folder / "team.cisannotate"), self)
        self.project.setAccessibleName("New project file")
        if join:
            row = QHBoxLayout()
            row.addWidget(self.project)
            browse = QPushButton("&Browse…", self)
            browse.setAccessibleName("Choose the new project file")
            browse.clicked.connect(self._browse)
            row.addWidget(browse)
            label = QLabel("New &project:", self)
            label.setBuddy(self.project)
            form.addRow(label, row)
        else:
            self.project.hide()
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Join" if join else "&Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", self.project.text(), "Projects (*.cisannotate)")
        if path:
            self.project.setText(path)


class ConflictsDialog(QDialog):
    """Codebook entries the team and this project changed differently: keep yours or take the team's."""

    def __init__(self, parent: QWidget, feature: "TeamFeature") -> None:
        super().__init__(parent)
        self.feature = feature
        self.setWindowTitle("Settle codebook conflicts")
        layout = QVBoxLayout(self)
        text = QLabel("You and the team changed these codebook entries differently. Keep yours (it is sent at "
                      "the next sync) or take the team's.")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Codebook conflicts")
        self.list.setWordWrap(True)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.keep_mine = QPushButton("Keep &mine", self)
        self.take_theirs = QPushButton("Take the &team's", self)
        for button, keep in ((self.keep_mine, "mine"), (self.take_theirs, "theirs")):
            button.clicked.connect(lambda _checked=False, k=keep: self._settle(k))
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton("&Close", self)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(640, 320)
        self._fill()

    def _fill(self) -> None:
        from ...team.sync import conflicts

        self.list.clear()
        for conflict in conflicts(self.feature.store):
            item = QListWidgetItem(conflict.describe())
            item.setData(Qt.ItemDataRole.UserRole, conflict)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        has = self.list.count() > 0
        self.keep_mine.setEnabled(has)
        self.take_theirs.setEnabled(has)

    def _settle(self, keep: str) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        from ...team.sync import settle

        try:
            settle(self.feature.store, item.data(Qt.ItemDataRole.UserRole), keep)
        except TeamError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.feature.window.session.changed.emit(Changes(codebook=True), None)
        self._fill()


class TeamFeature(QObject):
    """Team ▸ Start a team…, Join a team…, Sync with the team, Settle codebook conflicts…"""

    def __init__(self, window: "FeatureHost") -> None:
        super().__init__(window)
        self.window = window
        a = window.add_action
        self.act_sync = a("&Sync with the Team", self.sync, "Ctrl+Shift+Y", section="Team",
                          description="Send your layer to the team's repository and take everyone else's")
        self.act_conflicts = a("Settle &Codebook Conflicts…", self.settle_conflicts, section="Team",
                               description="Codebook entries you and the team changed differently")
        self.act_init = a("S&tart a Team…", self.start, section="Team",
                          description="Share this project through an empty git repository")
        self.act_join = a("&Join a Team…", self.join, section="Team",
                          description="A new project with a team's corpus, codebook and layers")

    @property
    def store(self):
        return self.window.session.store

    def menu_actions(self) -> list:
        return [self.act_sync, self.act_conflicts, None, self.act_init, self.act_join]

    def update_actions(self) -> None:
        team = config(self.store)
        writable = not self.window.session.read_only
        self.act_sync.setEnabled(team is not None and writable)
        self.act_conflicts.setEnabled(team is not None and writable and has_conflicts(self.store))
        self.act_init.setEnabled(team is None and writable)

    # ------------------------------------------------------------------ actions
    def sync(self) -> None:
        team = config(self.store)
        if team is None:
            QMessageBox.information(self.window, TITLE, "This project works with no team yet: use Team ▸ Start a "
                                    "Team or Team ▸ Join a Team.")
            return
        if self.window.session.annotator not in team.layers:
            self.window.statusBar().showMessage(
                f"Note: you annotate as {self.window.session.annotator}, but the team knows you as {team.member}; "
                f"only the layer {team.member} is sent.", 10000)
        from ...team.sync import sync

        self._run("Syncing with the team…", lambda progress, runner: sync(self.store, progress=progress,
                                                                           runner=runner))

    def start(self) -> None:
        dialog = TeamDialog(self.window, join=False, name=self.window.session.annotator,
                            folder=self.window.project_folder())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        repo, name, reviewer = dialog.repo.text().strip(), dialog.name.text().strip(), dialog.reviewer.isChecked()
        from ...team.joining import init_team

        self._run("Starting the team…", lambda progress, runner: init_team(
            self.store, repo, name, reviewer=reviewer, progress=progress, runner=runner))

    def join(self) -> None:
        from ...storage import ProjectError, Store
        from ...team.joining import join_team

        dialog = TeamDialog(self.window, join=True, name=self.window.session.annotator,
                            folder=self.window.project_folder())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path = Path(dialog.project.text().strip()).expanduser()
        if path.exists() and path.stat().st_size > 0:
            QMessageBox.warning(self.window, TITLE, f"{path} already exists; choose a new file for the project.")
            return
        repo, name, reviewer = dialog.repo.text().strip(), dialog.name.text().strip(), dialog.reviewer.isChecked()
        try:
            store = Store.open(path, create=True)
        except (ProjectError, OSError) as exc:
            QMessageBox.warning(self.window, TITLE, f"{path}: {exc}")
            return
        progress = _GitProgress(self.window, "Joining the team…")
        try:
            report = join_team(store, repo, name, reviewer=reviewer, progress=progress.say, runner=progress.run)
        except TeamError as exc:
            store.close()
            path.unlink(missing_ok=True)
            QMessageBox.warning(self.window, TITLE, f"Could not join the team.\n\n{exc}")
            return
        finally:
            progress.close()
        store.close()
        window = self.window.switch_to(path)
        if window is not None:
            window.statusBar().showMessage(report.summary(), 15000)

    def settle_conflicts(self) -> None:
        ConflictsDialog(self.window, self).exec()
        self.update_actions()

    def _run(self, label: str, work) -> None:
        progress = _GitProgress(self.window, label)
        try:
            report = work(progress.say, progress.run)
        except TeamError as exc:
            QMessageBox.warning(self.window, TITLE, str(exc))
            return
        finally:
            progress.close()
        if report.changed_project:
            self.window.session.undo_stack.clear()
            self.window.session.changed.emit(Changes(corpus=True, codebook=True), None)
        self.window.statusBar().showMessage(report.summary(), 15000)
        self.update_actions()
        if report.conflicts:
            answer = QMessageBox.question(
                self.window, TITLE, f"{len(report.conflicts)} codebook entries were changed differently by you "
                "and the team. Settle them now?")
            if answer == QMessageBox.StandardButton.Yes:
                self.settle_conflicts()
