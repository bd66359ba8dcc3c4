"""Clipboard and files on the customer's side (issue 17), widget by widget, with real clicks.

The consent dialog shows clipboard and files only when asked for, never ticked; the session
view's switches and the panel only *ask* (what is true comes back from the session); the panel
marks while clipboard or files are on and asks about a later request (Allow / Not now); the files
list never opens a file ("Show in folder" names the folder) and sends only a file the customer
picked in the real file dialog, only while sending is allowed.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox

from agent.ui import ConsentDialog, SessionOverlay
from agent.ui.files_panel import FilesPanel
from agent.ui.permissions import PermissionSwitches
from desktop.qt.sizes import size_text

ALL = frozenset({"view", "control", "clipboard", "files_in", "files_out"})
HASH = "ab" * 32


def tick(qtbot, box: QCheckBox) -> None:
    """Click a check box on its tick mark, as a person would."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def consent(qtbot, requested: frozenset[str]) -> tuple[ConsentDialog, list[object]]:
    dlg = ConsentDialog("Anna Schmidt", "Acme IT", "4821", requested=requested)
    qtbot.addWidget(dlg)
    got: list[object] = []
    dlg.decided.connect(lambda allowed, perms: got.append((allowed, perms)))
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg, got


# ----------------------------------------------------------------------------- consent


def test_consent_offers_clipboard_and_files_unticked_with_what_they_mean(qtbot, english
                                                                        ) -> None:
    dlg, got = consent(qtbot, ALL)
    assert set(dlg.optional_boxes) == {"clipboard", "files_in", "files_out"}
    for name, box in dlg.optional_boxes.items():
        assert box.isVisibleTo(dlg) and box.isEnabled()
        assert not box.isChecked(), name  # never ticked by default
        assert dlg.optional_notes[name].isVisibleTo(dlg)
    assert dlg.optional_boxes["clipboard"].text() == "Share the clipboard (copied text only)"
    assert "Downloads/Fernhilfe" in dlg.optional_notes["files_in"].text()
    assert "Nothing is opened or started by itself" in dlg.optional_notes["files_in"].text()
    assert "choose yourself" in dlg.optional_notes["files_out"].text()
    privacy = dlg.privacy.text()
    assert "Clipboard text and files only while you allow them" in privacy
    assert "never the text itself" in privacy
    # Allow straight away: view and control as before, nothing optional.
    qtbot.mouseClick(dlg.allow_button, Qt.MouseButton.LeftButton)
    assert got == [(True, frozenset({"view", "control"}))]


def test_consent_grants_only_what_the_customer_ticked(qtbot, english) -> None:
    dlg, got = consent(qtbot, ALL)
    tick(qtbot, dlg.optional_boxes["clipboard"])
    tick(qtbot, dlg.optional_boxes["files_in"])
    assert dlg.optional_boxes["clipboard"].isChecked()
    qtbot.mouseClick(dlg.allow_button, Qt.MouseButton.LeftButton)
    assert got == [(True, frozenset({"view", "control", "clipboard", "files_in"}))]


def test_consent_without_the_screen_nothing_optional_and_deny_grants_nothing(qtbot, english
                                                                           ) -> None:
    dlg, got = consent(qtbot, ALL)
    tick(qtbot, dlg.optional_boxes["files_out"])
    tick(qtbot, dlg.view_box)  # "see your screen" off: nothing else can be allowed
    assert not any(b.isEnabled() for b in dlg.optional_boxes.values())
    assert "files_out" not in dlg.selected_permissions()
    qtbot.mouseClick(dlg.deny_button, Qt.MouseButton.LeftButton)
    assert got == [(False, frozenset())]


def test_consent_shows_only_what_was_asked_for(qtbot, english) -> None:
    dlg, _ = consent(qtbot, frozenset({"view", "files_in"}))
    assert set(dlg.optional_boxes) == {"files_in"}
    assert not dlg.findChild(QCheckBox, "clipboard")
    dlg.reject()
    plain, _ = consent(qtbot, frozenset({"view", "control"}))
    assert plain.optional_boxes == {}
    assert plain.privacy.isVisibleTo(plain)  # what travels is said in every session
    plain.reject()


def test_consent_in_german(qtbot, german) -> None:
    dlg, _ = consent(qtbot, ALL)
    assert dlg.optional_boxes["clipboard"].text() == \
        "Zwischenablage teilen (nur kopierter Text)"
    assert dlg.optional_boxes["files_in"].text() == "Dateien von Ihrem Techniker empfangen"
    assert dlg.optional_boxes["files_out"].text() == "Dateien an Ihren Techniker senden"
    assert "Downloads/Fernhilfe" in dlg.optional_notes["files_in"].text()
    assert dlg.privacy.text().startswith("Gesendet wird, verschlüsselt:")
    dlg.reject()


# ----------------------------------------------------------------------------- switches


def test_switches_show_what_was_asked_for_and_only_ask(qtbot, english) -> None:
    sw = PermissionSwitches()
    qtbot.addWidget(sw)
    asked: list[tuple[str, bool]] = []
    sw.permission_requested.connect(lambda n, g: asked.append((n, g)))
    sw.set_state(frozenset({"view", "control"}), frozenset({"view"}))
    assert sw.isHidden()  # nothing optional asked for: nothing to switch
    sw.set_state(frozenset({"view", "clipboard", "files_out"}), frozenset({"view"}))
    assert not sw.isHidden()
    qtbot.waitExposed(sw)
    assert sw.boxes["clipboard"].isVisible() and sw.boxes["files_out"].isVisible()
    assert not sw.boxes["files_in"].isVisible()
    assert not sw.boxes["clipboard"].isChecked()
    tick(qtbot, sw.boxes["clipboard"])
    assert asked == [("clipboard", True)]
    assert not sw.boxes["clipboard"].isChecked()  # only asked: the session says what is true
    sw.set_state(frozenset({"view", "clipboard", "files_out"}),
                 frozenset({"view", "clipboard"}))
    assert sw.boxes["clipboard"].isChecked()
    tick(qtbot, sw.boxes["clipboard"])
    assert asked[-1] == ("clipboard", False)


# ----------------------------------------------------------------------------- panel


def panel(qtbot) -> SessionOverlay:
    ov = SessionOverlay("Anna Schmidt", control=True)
    ov.show()
    qtbot.waitExposed(ov.panel)
    return ov


def test_panel_marks_while_clipboard_or_files_are_on_and_turns_them_off(qtbot, english
                                                                       ) -> None:
    ov = panel(qtbot)
    try:
        asked: list[tuple[str, bool]] = []
        ov.permission_toggle_requested.connect(lambda n, g: asked.append((n, g)))
        ov.set_permissions(frozenset({"view", "control"}))
        assert ov.permission_marker_text() == ""
        assert not ov.panel.permission_off.isVisible()
        ov.set_permissions(frozenset({"view", "clipboard", "files_in"}))
        assert ov.permission_marker_text() == "Clipboard shared · Receiving files"
        assert ov.panel.permission_marker.isVisible()
        ov.set_permissions(frozenset({"view", "files_in", "files_out"}))
        assert ov.permission_marker_text() == "Files both ways"
        qtbot.mouseClick(ov.panel.permission_off, Qt.MouseButton.LeftButton)
        assert asked == [("files_in", False), ("files_out", False)]  # never control or view
    finally:
        ov.close()


def test_panel_asks_about_a_later_request_allow_and_not_now(qtbot, english) -> None:
    ov = panel(qtbot)
    try:
        asked: list[tuple[str, bool]] = []
        ov.permission_toggle_requested.connect(lambda n, g: asked.append((n, g)))
        request = ov.panel.permission_request
        assert not request.isVisible()
        ov.ask_permissions(frozenset({"clipboard", "files_out"}))
        assert request.isVisible()
        assert request.text.text() == "Anna Schmidt also asks to:"
        assert request.asked() == frozenset({"clipboard", "files_out"})
        tick(qtbot, request.boxes["files_out"])  # the customer leaves out sending files
        qtbot.mouseClick(request.allow_button, Qt.MouseButton.LeftButton)
        assert asked == [("clipboard", True)]
        assert not request.isVisible()
        ov.ask_permissions(frozenset({"files_in"}))
        qtbot.mouseClick(request.not_now_button, Qt.MouseButton.LeftButton)
        assert asked == [("clipboard", True)]  # "Not now" grants nothing
        assert not request.isVisible()
    finally:
        ov.close()


def test_panel_says_when_a_file_arrived_and_shows_the_files(qtbot, english) -> None:
    ov = panel(qtbot)
    try:
        asked: list[bool] = []
        ov.show_files_requested.connect(lambda: asked.append(True))
        assert ov.file_notice_text() == ""
        ov.show_file_notice("<i>setup.exe</i>", 2_000_000)
        assert ov.file_notice_text() == ("File received: <i>setup.exe</i> (2.0 MB). It was not "
                                         "opened.")
        notice = ov.panel.file_notice
        assert notice.text.textFormat() == Qt.TextFormat.PlainText
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
        assert asked == [True] and ov.file_notice_text() == ""
    finally:
        ov.close()


def test_panel_in_german(qtbot, german) -> None:
    ov = panel(qtbot)
    try:
        ov.set_permissions(frozenset({"view", "clipboard"}))
        assert ov.permission_marker_text() == "Zwischenablage geteilt"
        assert ov.panel.permission_off.text() == "Ausschalten"
        ov.ask_permissions(frozenset({"files_in"}))
        request = ov.panel.permission_request
        assert request.text.text() == "Anna Schmidt bittet außerdem darum:"
        assert request.allow_button.text() == "Zulassen"
        assert request.not_now_button.text() == "Jetzt nicht"
        ov.show_file_notice("setup.exe", 1500)
        assert ov.file_notice_text() == ("Datei empfangen: setup.exe (1,5 kB). Sie wurde nicht "
                                         "geöffnet.")
    finally:
        ov.close()


# ----------------------------------------------------------------------------- files


def update(**kw: object) -> SimpleNamespace:
    base = {"direction": "to_customer", "id": 1, "name": "setup.exe", "size": 2_000_000,
            "done": 0, "state": "waiting", "reason": "", "path": "", "sha256": ""}
    return SimpleNamespace(**{**base, **kw})


def files_panel(qtbot, granted: frozenset[str]) -> FilesPanel:
    fp = FilesPanel()
    qtbot.addWidget(fp)
    fp.start()
    fp.set_permissions(granted)
    fp.show()
    return fp


def test_send_button_only_while_sending_files_is_allowed(qtbot, english) -> None:
    fp = files_panel(qtbot, frozenset({"view", "files_in"}))
    assert not fp.send_button.isVisible()
    fp.choose_file()
    assert fp.file_dialog is None  # not allowed: no dialog, nothing can be picked
    fp.set_permissions(frozenset({"view", "files_out"}))
    qtbot.waitExposed(fp)
    assert fp.send_button.isVisible() and fp.send_button.isEnabled()
    assert fp.send_button.text() == "Send a file to your technician…"
    fp.stop()
    assert not fp.send_button.isVisible()


def test_the_customer_picks_the_file_in_the_real_dialog(qtbot, english, tmp_path: Path
                                                       ) -> None:
    chosen = tmp_path / "Rechnung März.pdf"
    chosen.write_bytes(b"%PDF-1.4\n")
    fp = files_panel(qtbot, frozenset({"view", "files_out"}))
    qtbot.waitExposed(fp)
    sent: list[str] = []
    fp.send_file_requested.connect(sent.append)
    qtbot.mouseClick(fp.send_button, Qt.MouseButton.LeftButton)
    dialog = fp.file_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.selectFile(str(chosen))
    dialog.accept()
    assert sent == [str(chosen)]
    assert fp.file_dialog is None
    # Revoked while the dialog is open: it closes, nothing is sent.
    qtbot.mouseClick(fp.send_button, Qt.MouseButton.LeftButton)
    assert fp.file_dialog is not None
    fp.set_permissions(frozenset({"view"}))
    assert fp.file_dialog is None
    assert sent == [str(chosen)]


def test_transfer_rows_progress_cancel_and_a_received_file_with_its_hash(
        qtbot, english, tmp_path: Path) -> None:
    fp = files_panel(qtbot, frozenset({"view", "files_in"}))
    cancels: list[tuple[str, int]] = []
    folders: list[str] = []
    fp.cancel_requested.connect(lambda d, i: cancels.append((d, i)))
    fp.show_folder_requested.connect(folders.append)
    fp.update_transfer(update(state="running", done=500_000))
    qtbot.waitExposed(fp)
    row = fp.row("to_customer", 1)
    assert row is not None
    assert row.title.text() == "From your technician: setup.exe (2.0 MB)"
    assert row.progress.value() == 250 and row.progress.format() == "25 %"
    assert row.state.text() == "500.0 kB of 2.0 MB"
    assert row.cancel_button.isVisible() and not row.folder_button.isVisible()
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert cancels == [("to_customer", 1)]
    saved = tmp_path / "Downloads" / "Fernhilfe" / "setup.exe"
    fp.update_transfer(update(state="completed", done=2_000_000, path=str(saved), sha256=HASH))
    assert not row.cancel_button.isVisible()
    assert row.hash.isVisible() and row.hash.text() == f"SHA-256: {HASH}"
    assert row.state.text() == f"Received and checked. Saved as {saved}. It was not opened."
    qtbot.mouseClick(row.folder_button, Qt.MouseButton.LeftButton)
    assert folders == [str(saved.parent)]  # the folder, never the file
    # A hostile name is shown as plain text, never as markup.
    fp.update_transfer(update(id=2, name="<b>x</b>", state="cancelled", reason="too_large"))
    other = fp.row("to_customer", 2)
    assert other is not None
    assert other.title.textFormat() == Qt.TextFormat.PlainText
    assert other.state.text() == ("Not received: the file is larger than this program "
                                  "accepts.")
    assert not other.progress.isVisible()


def test_outgoing_transfer_and_revoked_reason(qtbot, english) -> None:
    fp = files_panel(qtbot, frozenset({"view", "files_out"}))
    fp.update_transfer(update(direction="to_technician", id=7, name="log.txt", size=10,
                              done=10, state="completed", sha256=HASH))
    row = fp.row("to_technician", 7)
    assert row is not None
    assert row.title.text() == "To your technician: log.txt (10 bytes)"
    assert not row.folder_button.isVisible()  # nothing was saved here
    fp.update_transfer(update(direction="to_technician", id=8, state="cancelled",
                              reason="revoked"))
    stopped = fp.row("to_technician", 8)
    assert stopped is not None
    assert stopped.state.text() == "Stopped: you turned the permission for files off."


@pytest.mark.parametrize(("size", "text"), [(0, "0 bytes"), (999, "999 bytes"),
                                            (1500, "1.5 kB"), (4 * 1024 ** 3, "4.3 GB")])
def test_size_text(size: int, text: str) -> None:
    assert size_text(size) == text


def test_files_panel_in_german(qtbot, german) -> None:
    fp = files_panel(qtbot, frozenset({"view", "files_in", "files_out"}))
    assert fp.send_button.text() == "Eine Datei an Ihren Techniker senden…"
    fp.update_transfer(update(state="completed", done=2_000_000, path="/tmp/x/setup.exe",
                              sha256=HASH))
    row = fp.row("to_customer", 1)
    assert row is not None
    assert row.folder_button.text() == "Im Ordner zeigen"
    assert row.title.text() == "Von Ihrem Techniker: setup.exe (2,0 MB)"  # the German decimal sign
