"""The customer's file transfers (issue 17): what comes in, what goes out, how far, and Cancel.

A file the technician sends lands in the folder Downloads/Fernhilfe, and nothing here ever
opens or starts it: the list shows its name (plain text, as saved), its size and its SHA-256
check sum, and "Show in folder" opens the *folder* in the file manager, never the file. A file
goes to the technician only when the customer picks it herself ("Send a file to your
technician…", only while sending files is allowed). Every transfer under way has a progress bar
and Cancel.

Widgets show state and emit intents: ``send_file_requested(path)``,
``cancel_requested(direction, id)``, ``show_folder_requested(folder)``. What is true comes in
through :meth:`FilesPanel.update_transfer` (the pump's ``TransferUpdate``, duck-typed) and
:meth:`FilesPanel.set_permissions`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent.ui.permissions import FILES_IN, FILES_OUT
from desktop.qt.plain import force_plain_text
from desktop.qt.sizes import size_text
from desktop.qt.widgets import NoticeBar
from desktop.transfers import TransferUpdate, as_update

TO_CUSTOMER = "to_customer"  # files_in: the technician sends, this computer receives
TO_TECHNICIAN = "to_technician"  # files_out: the customer sends
#: At most this many finished transfers stay listed (the oldest finished ones go first).
MAX_ROWS = 50


class TransferRow(QFrame):
    """One transfer: direction and name, size, progress, its state; Cancel while it runs;
    SHA-256 and "Show in folder" once a received file is complete."""

    cancel_clicked = Signal(str, int)
    show_folder_clicked = Signal(str)

    def __init__(self, shown: TransferUpdate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferRow")
        self.shown = shown
        self.title = QLabel()
        self.title.setObjectName("transferTitle")
        self.title.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("transferState")
        self.state.setWordWrap(True)
        self.hash = QLabel()
        self.hash.setObjectName("transferHash")
        self.hash.setWordWrap(True)
        self.hash.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setObjectName("transferProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("transferCancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(
            lambda: self.cancel_clicked.emit(self.shown.direction, self.shown.id))
        self.folder_button = QPushButton(self.tr("Show in folder"))
        self.folder_button.setObjectName("transferFolder")
        self.folder_button.setAutoDefault(False)
        self.folder_button.setAccessibleDescription(self.tr(
            "Opens the folder with the file. The file itself is not opened."))
        self.folder_button.clicked.connect(self._show_folder)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.state)
        layout.addWidget(self.hash)
        force_plain_text(self)  # the name comes from the technician's side
        self.refresh()

    def update_from(self, shown: TransferUpdate) -> None:
        self.shown = shown
        self.refresh()

    def refresh(self) -> None:
        s = self.shown
        incoming = s.direction == TO_CUSTOMER
        self.title.setText(
            (self.tr("From your technician: {name} ({size})") if incoming else
             self.tr("To your technician: {name} ({size})")).format(
                name=s.name, size=size_text(s.size)))
        self.title.setAccessibleName(self.title.text())
        permille = 1000 if s.size <= 0 else min(1000, s.done * 1000 // s.size)
        if s.state == "completed":
            permille = 1000
        self.progress.setValue(permille)
        self.progress.setFormat(f"{permille // 10} %")
        running = s.state in ("waiting", "running")
        self.cancel_button.setVisible(running)
        self.cancel_button.setAccessibleName(self.tr("Cancel {name}").format(name=s.name))
        done_in = s.state == "completed" and incoming and bool(s.path)
        self.folder_button.setVisible(done_in)
        self.progress.setVisible(s.state != "cancelled")
        self.state.setText(self._state_text())
        self.state.setAccessibleName(self.state.text())
        self.hash.setVisible(bool(s.sha256) and s.state == "completed")
        self.hash.setText(self.tr("SHA-256: {hash}").format(hash=s.sha256))

    def _state_text(self) -> str:
        s = self.shown
        if s.state == "waiting":
            return self.tr("Waiting…")
        if s.state == "running":
            return self.tr("{done} of {size}").format(done=size_text(s.done),
                                                     size=size_text(s.size))
        if s.state == "completed":
            if s.direction == TO_CUSTOMER:
                return self.tr("Received and checked. Saved as {path}. It was not opened.").format(
                    path=s.path)
            return self.tr("Sent and checked by your technician's program.")
        return cancel_text(s.reason)

    def _show_folder(self) -> None:
        if self.shown.path:
            self.show_folder_clicked.emit(str(Path(self.shown.path).parent))


def cancel_text(reason: str) -> str:
    """Why a transfer stopped, in plain words (``reason``: FILE_CANCEL_REASONS or a local one)."""
    texts = {
        "cancelled": QCoreApplication.translate("FilesPanel", "Cancelled."),
        "refused": QCoreApplication.translate(
            "FilesPanel", "Not allowed: the permission for files is off."),
        "revoked": QCoreApplication.translate(
            "FilesPanel", "Stopped: you turned the permission for files off."),
        "too_large": QCoreApplication.translate(
            "FilesPanel", "Not received: the file is larger than this program accepts."),
        "no_space": QCoreApplication.translate(
            "FilesPanel", "Not received: there is not enough free disk space."),
        "hash_mismatch": QCoreApplication.translate(
            "FilesPanel",
            "Not kept: the file arrived damaged (its check sum did not match)."),
        # the pump's own reasons (desktop.transfers.LOCAL_REASONS)
        "unreadable": QCoreApplication.translate(
            "FilesPanel", "Not sent: the file cannot be read."),
        "not_permitted": QCoreApplication.translate(
            "FilesPanel", "Not sent: sending files is not allowed now."),
        "too_many": QCoreApplication.translate(
            "FilesPanel", "Not sent: four files are already on their way. Please wait."),
        "ended": QCoreApplication.translate(
            "FilesPanel", "Stopped: the session ended."),
    }
    return texts.get(reason, QCoreApplication.translate(
        "FilesPanel", "Stopped because of a problem."))


class FilesPanel(QWidget):
    """The transfers of one session, newest last, with "Send a file to your technician…".

    Slots: :meth:`start` (a session began: empty list), :meth:`stop`, :meth:`set_permissions`,
    :meth:`update_transfer`. Signals: ``send_file_requested(str)`` (a path the customer picked
    in the file dialog), ``cancel_requested(str, int)`` (direction, id),
    ``show_folder_requested(str)`` (a folder, never a file).
    """

    send_file_requested = Signal(str)
    cancel_requested = Signal(str, int)
    show_folder_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filesPanel")
        self._granted: frozenset[str] = frozenset()
        self._active = False
        self.rows: dict[tuple[str, int], TransferRow] = {}
        #: the open "choose a file" dialog (None when none is open); Qt's own dialog, so the
        #: customer's pick is the only way a file leaves
        self.file_dialog: QFileDialog | None = None
        self.title = QLabel(self.tr("Files"))
        self.title.setObjectName("filesTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = QLabel()
        self.hint.setObjectName("filesHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #57606a;")
        self.send_button = QPushButton(self.tr("Send a file to your technician…"))
        self.send_button.setObjectName("sendFile")
        self.send_button.setAutoDefault(False)
        self.send_button.setAccessibleName(self.send_button.text())
        self.send_button.setAccessibleDescription(self.tr(
            "You choose the file. Your technician cannot look at your files."))
        self.send_button.clicked.connect(self.choose_file)
        self._list = QVBoxLayout()
        self._list.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.send_button)
        layout.addLayout(head)
        layout.addWidget(self.hint)
        layout.addLayout(self._list)
        self.set_permissions(frozenset())

    # ----------------------------------------------------------------- slots

    def start(self) -> None:
        """A new session: no transfers listed, nothing allowed yet."""
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows.clear()
        self._active = True
        self.set_permissions(frozenset())

    def stop(self) -> None:
        """The session ended: nothing more can be sent (the list stays to be read)."""
        self._active = False
        self._close_dialog()
        self.set_permissions(self._granted)

    def set_permissions(self, granted: frozenset[str]) -> None:
        """What the customer allows now: the send button only with files_out, the panel only
        while files are allowed or a transfer is listed."""
        self._granted = frozenset(granted)
        may_send = self._active and FILES_OUT in self._granted
        self.send_button.setVisible(may_send)
        self.send_button.setEnabled(may_send)
        if not may_send:
            self._close_dialog()
        incoming = FILES_IN in self._granted
        if incoming and may_send:
            hint = self.tr("Files from your technician go to your folder {folder}; you can "
                           "send files you choose.")
        elif incoming:
            hint = self.tr("Files from your technician go to your folder {folder}. Nothing is "
                           "opened by itself.")
        elif may_send:
            hint = self.tr("You can send files you choose to your technician.")
        else:
            hint = self.tr("Files are not allowed now.")
        self.hint.setText(hint.format(folder="Downloads/Fernhilfe"))
        self.setVisible(bool(self._granted & {FILES_IN, FILES_OUT}) or bool(self.rows))

    def update_transfer(self, update: object) -> None:
        """One ``desktop.transfers.TransferUpdate`` (or anything with its fields)."""
        shown = as_update(update)
        key = (shown.direction, shown.id)
        row = self.rows.get(key)
        if row is None:
            self._trim()
            row = TransferRow(shown, self)
            row.cancel_clicked.connect(self.cancel_requested)
            row.show_folder_clicked.connect(self.show_folder_requested)
            self.rows[key] = row
            self._list.addWidget(row)
            row.show()
        else:
            row.update_from(shown)
        self.setVisible(True)

    # ----------------------------------------------------------------- the customer's pick

    def choose_file(self) -> None:
        """Open Qt's file dialog; the file picked there is sent (only while allowed)."""
        if not (self._active and FILES_OUT in self._granted) or self.file_dialog is not None:
            return
        dialog = QFileDialog(self, self.tr("Send a file to your technician"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setDirectory(str(Path.home()))
        dialog.fileSelected.connect(self._picked)
        dialog.finished.connect(self._dialog_closed)
        self.file_dialog = dialog
        dialog.open()

    def _picked(self, path: str) -> None:
        if path and self._active and FILES_OUT in self._granted:
            self.send_file_requested.emit(path)

    def _dialog_closed(self, _result: int) -> None:
        dialog, self.file_dialog = self.file_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _close_dialog(self) -> None:
        if self.file_dialog is not None:
            self.file_dialog.reject()

    def _trim(self) -> None:
        """Keep at most MAX_ROWS rows: the oldest finished ones go first."""
        while len(self.rows) >= MAX_ROWS:
            old = next((k for k, r in self.rows.items()
                        if r.shown.state in ("completed", "cancelled")), None)
            if old is None:
                return
            row = self.rows.pop(old)
            row.setParent(None)
            row.deleteLater()

    # ----------------------------------------------------------------- read-only views

    def row(self, direction: str, transfer_id: int) -> TransferRow | None:
        return self.rows.get((direction, transfer_id))


class FileNotice(NoticeBar):
    """A line on the session panel when a file from the technician arrived: its name and size,
    that it was not opened, and "Show files" (the customer's window, with the list).

    Slots: :meth:`show_file`, :meth:`clear`. Signal: ``show_files_requested()``.
    """

    show_files_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("fileNotice", self.tr("Show files"), self.tr(
            "Brings the Fernhilfe window with the list of files to the front."), parent)
        self.button.clicked.connect(self.show_files_requested)

    def show_file(self, name: str, size: int) -> None:
        """A file arrived (its name as saved, plain text): say so until clicked or cleared."""
        shown = self.tr("File received: {name} ({size}). It was not opened.").format(
            name=name, size=size_text(size))
        self.show_text(shown)
