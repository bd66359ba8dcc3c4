"""The console's "Session records" button opens the record window on the newest session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from console.app import ConsoleApp
from desktop.audit_store import AuditRecord, default_audit_dir


def test_records_button_opens_the_newest_session(qtbot: Any, console: ConsoleApp) -> None:
    directory: Path = default_audit_dir()  # the fixture points FERNHILFE_DATA_DIR at tmp_path
    record = AuditRecord.create(directory, "console")
    record.log("keys_agreed", verification="4711")
    record.log("session_ended", reason="customer_ended", by_peer=True, message="")
    button = console.connect_window.records_button
    console.connect_window.show()
    qtbot.waitUntil(button.isVisible, timeout=2000)  # never a hidden or dead button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    win = console.records_window
    assert win is not None
    qtbot.addWidget(win)
    qtbot.waitUntil(win.isVisible, timeout=2000)
    assert win.current_entry() is not None  # the record just written is shown
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert console.records_window is win  # one window per run, brought up to date
