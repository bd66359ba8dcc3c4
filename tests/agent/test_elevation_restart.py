"""Restart as administrator, and Ctrl+Alt+Del that Windows does not take, end to end on the
customer's side: the real agent (its real windows, clicked), a real relay on loopback, a
scripted technician (tests/e2e/technician.py: a real ConsoleSession over the relay).

Stand-ins, because nothing here can run Windows: the probes that say "the window in front is
elevated" (scripted), the UAC prompt (``AgentApp.restart_elevated`` returns what the customer
would have answered) and SendSAS's verdict (``AgentWorker._on_sas`` is called as the Windows
injector calls it). tests/platform/test_windows_*.py asks the real OS on the Windows runner."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

import agent.app as agent_app
from agent.app import AgentApp
from agent.config import AgentConfig
from agent.platform.elevation import RESTART_REASON
from agent.platform.windows import RestartOutcome, SasOutcome
from agent.ui.elevation_notice import ElevationMonitor, ElevationNotice
from desktop.audit_store import read_record
from shared import messages as m
from shared.session import SessionEnded
from tests.e2e.technician import ScriptedTechnician


def scripted_monitor(notice: ElevationNotice, parent: QObject) -> ElevationMonitor:
    """Windows' answers: the agent is not elevated, an elevated window is in front."""
    return ElevationMonitor(notice, lambda: False, lambda: (4711, True), parent=parent)


@pytest.fixture
def app(qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> Iterator[AgentApp]:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    monkeypatch.setattr(agent_app, "ELEVATION_MONITOR", scripted_monitor)
    started = AgentApp(AgentConfig(relay_url=relay_url, organisation="Acme IT"))
    qtbot.addWidget(started.window)
    started.start()
    try:
        yield started
    finally:
        started._close_session_windows()
        started.worker.stop()
        started.window.close()
        QApplication.processEvents()


def session(qtbot, app: AgentApp, relay_url: str, hello: m.Hello | None = None
            ) -> ScriptedTechnician:
    qtbot.waitUntil(lambda: app.window.state == "code", timeout=15000)
    tech = ScriptedTechnician(relay_url, app.window.code_text(),
                              frozenset({"view", "control"}), hello)
    qtbot.waitUntil(lambda: app.consent is not None, timeout=15000)
    dialog = app.consent
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.allow_button, Qt.MouseButton.LeftButton)  # the real Allow
    qtbot.waitUntil(lambda: app.window.state == "session", timeout=15000)
    return tech


def agent_events(tmp_path: Path) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "agent-data" / "audit").glob("*-agent.jsonl")):
        events += read_record(path)
    return events


def restart_by_clicks(qtbot, app: AgentApp) -> None:
    notice = app.window.session_view.elevation
    qtbot.waitUntil(lambda: notice.notice_text() != "", timeout=5000)
    assert app.window.isVisible() and not app.window.isMinimized()  # brought up to be read
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.confirm_restart is not None, timeout=2000)
    confirm = app.confirm_restart
    assert confirm is not None
    qtbot.waitExposed(confirm)
    qtbot.mouseClick(confirm.restart_button, Qt.MouseButton.LeftButton)


def test_restart_ends_the_session_with_a_reason_then_asks_windows(
        qtbot, english, app: AgentApp, relay_url: str, tmp_path: Path) -> None:
    asked: list[list[str]] = []

    def uac_says_no(argv: Sequence[str]) -> RestartOutcome:
        assert app.window.state == "ended"  # the session was over before Windows asked
        asked.append(list(argv))
        return RestartOutcome.CANCELLED

    app.restart_elevated = uac_says_no
    tech = session(qtbot, app, relay_url)
    try:
        restart_by_clicks(qtbot, app)
        ended = tech.wait_for(SessionEnded)
        assert ended.reason == RESTART_REASON and ended.by_peer
        qtbot.waitUntil(lambda: bool(asked), timeout=5000)
        qtbot.waitUntil(lambda: "did not give Fernhilfe administrator rights"
                        in app.window.message_text(), timeout=2000)
        assert app.window.state == "ended"
        logged = [e for e in agent_events(tmp_path) if e["event"] == "session_ended"]
        assert logged and logged[-1]["reason"] == RESTART_REASON
    finally:
        tech.close()


def test_granted_restart_quits_this_agent(qtbot, english, app: AgentApp, relay_url: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(app, "quit", lambda: quits.append(True))
    app.restart_elevated = lambda _argv: RestartOutcome.STARTED
    tech = session(qtbot, app, relay_url)
    try:
        restart_by_clicks(qtbot, app)
        qtbot.waitUntil(lambda: bool(quits), timeout=5000)
    finally:
        tech.close()


def test_cancel_in_the_confirmation_keeps_the_session(
        qtbot, english, app: AgentApp, relay_url: str) -> None:
    asked: list[Sequence[str]] = []

    def uac(argv: Sequence[str]) -> RestartOutcome:
        asked.append(argv)
        return RestartOutcome.CANCELLED

    app.restart_elevated = uac
    tech = session(qtbot, app, relay_url)
    try:
        notice = app.window.session_view.elevation
        qtbot.waitUntil(lambda: notice.notice_text() != "", timeout=5000)
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
        confirm = app.confirm_restart
        assert confirm is not None
        qtbot.waitExposed(confirm)
        qtbot.mouseClick(confirm.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.wait(500)
        assert app.window.state == "session" and not asked
        assert not tech.seen(SessionEnded)
    finally:
        tech.close()


def test_ctrl_alt_del_windows_refuses_is_told_and_recorded(
        qtbot, english, app: AgentApp, relay_url: str, tmp_path: Path) -> None:
    tech = session(qtbot, app, relay_url)
    try:
        app.worker._on_sas(SasOutcome.NOT_ALLOWED)  # as the Windows injector reports it
        notice = app.window.session_view.sas_notice
        qtbot.waitUntil(lambda: notice.notice_text() != "", timeout=2000)
        assert "please press Ctrl+Alt+Del on your keyboard yourself" in notice.notice_text()
        qtbot.waitUntil(lambda: any(e["event"] == "ctrl_alt_del"
                                    for e in agent_events(tmp_path)), timeout=5000)
        logged = [e for e in agent_events(tmp_path) if e["event"] == "ctrl_alt_del"]
        assert logged[0]["outcome"] == "not_allowed"
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
        assert notice.notice_text() == ""
    finally:
        tech.close()


def test_the_question_goes_when_the_technician_ends_first(
        qtbot, english, app: AgentApp, relay_url: str) -> None:
    asked: list[Sequence[str]] = []
    app.restart_elevated = lambda argv: asked.append(argv) or RestartOutcome.CANCELLED  # type: ignore[func-returns-value]
    tech = session(qtbot, app, relay_url)
    try:
        notice = app.window.session_view.elevation
        qtbot.waitUntil(lambda: notice.notice_text() != "", timeout=5000)
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
        confirm = app.confirm_restart
        assert confirm is not None
        qtbot.waitExposed(confirm)
        tech.call(lambda s: s.end("technician_ended"))
        qtbot.waitUntil(lambda: app.window.state == "ended", timeout=10000)
        assert app.confirm_restart is None and not confirm.isVisible()
        assert not asked
    finally:
        tech.close()
