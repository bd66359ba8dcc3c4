"""Issue 17 in the console's real windows (Xvfb): what the technician asks for, what the
customer granted now, sending files only with files_in, the transfers list, the notes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from console.ui import ConnectWindow, SessionWindow
from console.ui.notes_panel import SAVE_AFTER_MS
from console.ui.transfers_panel import MAX_ROWS, TransfersPanel
from desktop.transfers import TransferUpdate as Update


def make_connect(qtbot, tmp_path: Path) -> ConnectWindow:
    win = ConnectWindow(settings=str(tmp_path / "console.ini"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def fill_and_connect(qtbot, win: ConnectWindow) -> None:
    win.name_edit.setText("Anna Schmidt")
    win.relay_edit.setText("wss://relay.example.com/v1")
    win.code_edit.setText("123 456 789")
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)


def test_connect_window_asks_for_what_is_ticked_and_remembers_it(qtbot, tmp_path,
                                                                 english) -> None:
    win = make_connect(qtbot, tmp_path)
    assert win.requested_permissions() == {"view", "control"}  # nothing more by default
    assert [b.isChecked() for b in win.ask_boxes.values()] == [False, False, False]
    assert win.ask_boxes["files_in"].text() == "Send files to the customer"
    qtbot.mouseClick(win.ask_boxes["clipboard"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.ask_boxes["files_out"], Qt.MouseButton.LeftButton)
    got: list[tuple[str, ...]] = []
    win.connect_requested.connect(lambda *a: got.append(a))
    fill_and_connect(qtbot, win)
    assert got and win.requested_permissions() == {"view", "control", "clipboard",
                                                   "files_out"}
    win.set_busy(True)  # while connecting the ticks cannot change
    assert not win.ask_boxes["files_in"].isEnabled()
    again = make_connect(qtbot, tmp_path)
    assert again.requested_permissions() == {"view", "control", "clipboard", "files_out"}


def make_session(qtbot) -> SessionWindow:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_verification("1234")
    return win


def test_status_shows_what_is_granted_now_and_changes_live(qtbot, english) -> None:
    win = make_session(qtbot)
    win.set_permissions(frozenset({"view", "control"}))
    win.show_streaming()
    assert win.status_texts()[1] == "View and control"
    win.set_permissions(frozenset({"view", "control", "clipboard", "files_in"}))
    assert win.status_texts()[1] == "View and control · Clipboard · Send files"
    assert "allowed" in win.notice_text() and "Clipboard" in win.notice_text()
    win.show_clipboard_sent(123)
    assert win.clipboard_text() == "Clipboard sent (123 characters)"
    win.set_permissions(frozenset({"view", "files_out"}))
    assert win.status_texts()[1] == "View only · Receive files"
    assert win.clipboard_text() == ""  # nothing about a clipboard that is off


def test_send_file_and_drop_work_only_with_files_in(qtbot, tmp_path, monkeypatch,
                                                    english) -> None:
    win = make_session(qtbot)
    sent: list[list[str]] = []
    win.send_files_requested.connect(sent.append)
    a_file = tmp_path / "setup.exe"
    a_file.write_bytes(b"MZ")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(a_file)], ""))
    win.set_permissions(frozenset({"view", "control", "files_out"}))
    win.show_streaming()
    assert not win.send_file_action.isEnabled()
    assert not win.transfers.send_button.isEnabled()
    assert not win.view.files_allowed
    win.send_file_action.trigger()
    assert not drop(win, [a_file])
    assert sent == []  # neither the button nor a drop sends without files_in
    win.set_permissions(frozenset({"view", "control", "files_in"}))
    assert win.send_file_action.isEnabled() and win.transfers.send_button.isEnabled()
    win.send_file_action.trigger()
    assert drop(win, [a_file])
    assert sent == [[str(a_file)], [str(a_file)]]
    win.set_permissions(frozenset({"view", "control"}))  # the customer stopped files
    assert not drop(win, [a_file]) and not win.send_file_action.isEnabled()
    win.show_ended("over")
    assert not win.transfers.send_button.isEnabled()


def drop(win: SessionWindow, paths: list[Path]) -> bool:
    """Drop local files onto the remote view's viewport, as a file manager would."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    target = win.view.viewport()
    centre = target.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():  # the view refused the drag: nothing can be dropped
        return False
    event = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def test_ask_for_more_offers_only_what_is_not_granted(qtbot, english) -> None:
    win = make_session(qtbot)
    asked: list[frozenset[str]] = []
    win.ask_permissions_requested.connect(asked.append)
    assert not win.ask_action.isEnabled()  # not before the session runs
    win.set_permissions(frozenset({"view", "clipboard"}))
    win.show_streaming()
    assert win.ask_action.isEnabled()
    win.ask_action.trigger()
    dialog = win.ask_dialog
    assert dialog is not None
    assert set(dialog.boxes) == {"control", "files_in", "files_out"}
    assert not dialog.ask_button.isEnabled()  # nothing ticked: nothing to ask
    dialog.boxes["files_in"].setChecked(True)
    dialog.boxes["control"].setChecked(True)
    qtbot.mouseClick(dialog.ask_button, Qt.MouseButton.LeftButton)
    assert asked == [frozenset({"control", "files_in"})]
    assert "Asked the customer" in win.notice_text()
    win.set_permissions(frozenset({"view", "control", "clipboard", "files_in", "files_out"}))
    assert not win.ask_action.isEnabled()  # everything granted: nothing to ask


def test_transfers_list_shows_progress_cancel_and_the_received_file(
        qtbot, tmp_path, monkeypatch, english) -> None:
    panel = TransfersPanel()
    qtbot.addWidget(panel)
    cancelled: list[tuple[str, int]] = []
    panel.cancel_requested.connect(lambda d, i: cancelled.append((d, i)))
    panel.update_transfer(Update("to_customer", 1, "setup.exe", 2_000_000, 0, "waiting"))
    assert panel.isVisible()  # a new transfer opens the list
    panel.update_transfer(Update("to_customer", 1, "setup.exe", 2_000_000, 500_000, "running"))
    row = panel.rows[("to_customer", 1)]
    assert row.progress.value() == 250 and row.state_label.text() == "Sending…"
    assert row.progress.format() == "500.0 kB / 2.0 MB"
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert cancelled == [("to_customer", 1)]
    panel.update_transfer(Update("to_customer", 1, "setup.exe", 2_000_000, 500_000,
                                 "cancelled", "cancelled"))
    assert row.cancel_button.isHidden() and row.state_label.text() == "Cancelled."
    saved = tmp_path / "Fernhilfe" / "<b>log</b>.txt"
    digest = "ab" * 32
    panel.update_transfer(Update("to_technician", 1, "<b>log</b>.txt", 10, 10, "completed",
                                 path=str(saved), sha256=digest))
    got = panel.rows[("to_technician", 1)]
    assert got.name_label.text() == "← <b>log</b>.txt"  # plain text, never markup
    assert got.name_label.textFormat() == Qt.TextFormat.PlainText
    assert got.hash_label.text() == f"Check sum (SHA-256): {digest}"
    assert not got.hash_label.isHidden()
    assert str(saved) in got.state_label.text()
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    qtbot.mouseClick(got.folder_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(saved.parent)]  # the folder, not the file
    panel.update_transfer(Update("to_technician", 2, "x", 10, 0, "cancelled", "hash_mismatch"))
    assert "damaged" in panel.rows[("to_technician", 2)].state_label.text()
    for i in range(MAX_ROWS + 5):  # finished rows do not pile up without end
        panel.update_transfer(Update("to_customer", 100 + i, "f", 1, 1, "completed"))
    assert len(panel.rows) == MAX_ROWS


def test_notes_reach_the_window_signal(qtbot, english) -> None:
    win = make_session(qtbot)
    got: list[tuple[str, str]] = []
    win.notes_changed.connect(lambda c, n: got.append((c, n)))
    win.notes.toggle_action.trigger()
    assert win.notes.isVisible()
    qtbot.keyClicks(win.notes.customer_edit, "Kanzlei Berger")
    win.notes.note_edit.setPlainText("Update installiert")
    qtbot.waitUntil(lambda: bool(got), timeout=SAVE_AFTER_MS * 5)
    assert got[-1] == ("Kanzlei Berger", "Update installiert")
    n = len(got)
    win.show_ended("over")  # flushes, but only a change is handed on
    assert len(got) == n


def test_view_refuses_a_drop_of_no_files(qtbot, english) -> None:
    win = make_session(qtbot)
    win.set_permissions(frozenset({"view", "files_in"}))
    win.show_streaming()
    data = QMimeData()
    data.setUrls([QUrl("https://example.com/x.exe")])
    event = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win.view.viewport(), event)
    assert not event.isAccepted()  # a web address is not a file on this computer


def test_the_new_texts_are_german_too(qtbot, tmp_path, german) -> None:
    win = make_connect(qtbot, tmp_path)
    assert win.ask_boxes["files_in"].text() == "Dateien an den Kunden senden"
    session = make_session(qtbot)
    session.set_permissions(frozenset({"view", "control", "clipboard"}))
    session.show_streaming()
    assert session.status_texts()[1] == "Sehen und steuern · Zwischenablage"
    assert session.send_file_action.text() == "&Datei senden…"
    session.show_clipboard_received(5)
    assert session.clipboard_text() == "Zwischenablage empfangen (5 Zeichen)"
