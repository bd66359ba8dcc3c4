"""The session records go to the platform's own folder for a user's application data.

desktop/audit_store.default_audit_dir asks platformdirs; this test says independently what each
platform's convention is, so a change of library, app name or flag that moved the records (and
made the customer's earlier records vanish from the record window) fails on that platform:

- Windows: ``%LOCALAPPDATA%\\Fernhilfe\\audit`` (local, not roaming: records stay on this PC);
- macOS: ``~/Library/Application Support/Fernhilfe/audit``;
- Linux: ``$XDG_DATA_HOME/Fernhilfe/audit``, by default ``~/.local/share/Fernhilfe/audit``.

``FERNHILFE_DATA_DIR`` overrides it everywhere (tests and portable setups).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from desktop.audit_store import AuditRecord, check_writable, default_audit_dir, read_record


def test_records_go_to_the_platforms_own_folder(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.delenv("FERNHILFE_DATA_DIR", raising=False)
    if sys.platform == "win32":
        # platformdirs asks the shell for the known folder; the variable says the same place
        want = Path(os.environ["LOCALAPPDATA"]) / "Fernhilfe" / "audit"
    elif sys.platform == "darwin":
        want = Path.home() / "Library" / "Application Support" / "Fernhilfe" / "audit"
    else:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        want = tmp_path / "xdg" / "Fernhilfe" / "audit"
    assert default_audit_dir().resolve() == want.resolve()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG is Linux's convention")
def test_linux_default_without_xdg_data_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FERNHILFE_DATA_DIR", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    want = Path.home() / ".local" / "share" / "Fernhilfe" / "audit"
    assert default_audit_dir() == want


def test_the_override_wins_and_a_record_is_written_there(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    folder = default_audit_dir()
    assert folder == tmp_path / "data" / "audit"
    check_writable(folder)  # what the agent does before it shows a code
    record = AuditRecord.create(folder, "agent")
    record.log("session_started", technician="Anna")
    assert read_record(record.path)[0]["event"] == "session_started"
