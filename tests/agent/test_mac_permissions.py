"""The agent says what macOS has not allowed, in the code window and the consent dialog, in
English and German (issue 18, item 3). Real widgets under Xvfb, the real AgentApp.

The probes' answers are scripted (``AgentApp.permission_watch.probe``): they stand in for
macOS, which cannot run here; tests/platform/test_macos_permissions.py shows the texts for a real
Mac's own answers on GitHub's macos runner.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from agent.app import AgentApp
from agent.config import AgentConfig
from agent.platform import macos
from agent.platform.readiness import ALLOWED, Probes, assess
from agent.ui import ConsentDialog
from agent.ui.mac_permissions import MacPermissionNotice, PermissionWatch, current_probes
from shared.identity.verify import Verdict, Verification

NO_SCREEN = Probes(screen_recording=False, accessibility=True)
NOTHING = Probes(screen_recording=False, accessibility=False)
BOTH = frozenset({"view", "control"})


def test_hidden_while_nothing_is_missing(qtbot, english) -> None:
    notice = MacPermissionNotice()
    qtbot.addWidget(notice)
    notice.show_readiness(assess(ALLOWED, BOTH))
    assert notice.isHidden() and notice.text() == ""


def test_says_where_to_switch_fernhilfe_on(qtbot, english) -> None:
    notice = MacPermissionNotice(restart_offered=True)
    qtbot.addWidget(notice)
    notice.show_readiness(assess(NOTHING, BOTH))
    notice.show()
    text = notice.text()
    assert "System Settings → Privacy & Security → Screen Recording" in text
    assert "System Settings → Privacy & Security → Accessibility" in text
    assert "started again" not in text
    assert notice.restart_button.isHidden()
    rows = notice.rows
    assert rows[macos.SCREEN_RECORDING].open_button.text() == "Open settings"
    assert rows[macos.SCREEN_RECORDING].ask_button.text() == "Ask macOS"
    # after asking: the restart note, with its button where it is safe
    notice.show_readiness(assess(NO_SCREEN, BOTH, asked_screen=True))
    assert "started again" in notice.text()
    assert notice.restart_button.isVisible()
    assert rows[macos.ACCESSIBILITY].isHidden()


def test_buttons_say_which_pane(qtbot, english) -> None:
    notice = MacPermissionNotice(restart_offered=True)
    qtbot.addWidget(notice)
    notice.show_readiness(assess(NOTHING, BOTH, asked_screen=True))
    notice.show()
    opened: list[str] = []
    asked: list[str] = []
    restarts: list[bool] = []
    notice.open_settings_requested.connect(opened.append)
    notice.ask_requested.connect(asked.append)
    notice.restart_requested.connect(lambda: restarts.append(True))
    qtbot.mouseClick(notice.rows[macos.ACCESSIBILITY].open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(notice.rows[macos.SCREEN_RECORDING].ask_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(notice.restart_button, Qt.MouseButton.LeftButton)
    assert opened == [macos.ACCESSIBILITY]
    assert asked == [macos.SCREEN_RECORDING]
    assert restarts == [True]


def test_in_german_with_macos_own_names(qtbot, german) -> None:
    notice = MacPermissionNotice()
    qtbot.addWidget(notice)
    notice.show_readiness(assess(NOTHING, BOTH, asked_screen=True))
    text = notice.text()
    assert "Systemeinstellungen → Datenschutz & Sicherheit → Bildschirmaufnahme" in text
    assert "Systemeinstellungen → Datenschutz & Sicherheit → Bedienungshilfen" in text
    assert "Ihr Techniker" in text
    assert notice.rows[macos.SCREEN_RECORDING].open_button.text() == "Einstellungen öffnen"
    assert notice.rows[macos.SCREEN_RECORDING].ask_button.text() == "macOS fragen"
    assert notice.restart_button.text() == "Fernhilfe neu starten"
    session = MacPermissionNotice(in_session=True)
    qtbot.addWidget(session)
    session.show_readiness(assess(NOTHING, BOTH))
    assert "noch nicht" in session.text() and "Schalten Sie Fernhilfe" in session.text()


def test_watch_probes_off_the_gui_thread_and_survives_a_failing_probe(qtbot) -> None:
    threads: list[str] = []

    def scripted() -> Probes:
        threads.append(threading.current_thread().name)
        return NO_SCREEN

    watch = PermissionWatch(scripted, interval=0.05)
    with qtbot.waitSignal(watch.answered, timeout=5000) as got:
        watch.check_now()
    assert got.args == [NO_SCREEN]
    assert threads == ["os-permissions"]

    def broken() -> Probes:
        raise OSError("TCC database unreadable")

    watch.probe = broken
    with qtbot.waitSignal(watch.answered, timeout=5000) as got:
        watch.check_now()
    assert got.args == [NOTHING]  # a probe that fails means "not allowed", never a crash
    watch.probe = scripted
    watch.set_polling(True)
    assert watch.polling
    qtbot.waitUntil(lambda: len(threads) >= 3, timeout=5000)
    watch.stop()
    assert not watch.polling


def test_real_probe_here_says_allowed() -> None:
    assert current_probes() == ALLOWED  # Linux: nothing to allow, nothing changes


# ------------------------------------------------------------------ the real AgentApp


@pytest.fixture
def agent(qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The real agent, not connected anywhere useful (nothing here needs a relay)."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    app = AgentApp(AgentConfig(relay_url="ws://127.0.0.1:9/v1", organisation="Acme IT"))
    yield app
    app._close_session_windows()
    app.permission_watch.stop()
    app.worker.stop()
    app.window.session_closing()
    app.window.close()
    QApplication.processEvents()


def test_code_window_says_what_is_missing_and_polls_until_allowed(
        qtbot, english, agent: AgentApp) -> None:
    answers = [NOTHING]
    agent.permission_watch.probe = lambda: answers[-1]
    agent.window.show()
    agent.permission_watch.check_now()
    notice = agent.window.mac_notice
    qtbot.waitUntil(notice.isVisible, timeout=5000)
    assert "Screen Recording" in notice.text() and "Accessibility" in notice.text()
    assert agent.permission_watch.polling
    # The customer asks macOS: the restart note and button follow (only outside a session).
    qtbot.mouseClick(notice.rows[macos.SCREEN_RECORDING].ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notice.restart_button.isVisible(), timeout=5000)
    # macOS allows everything: the box goes, polling stops.
    answers.append(ALLOWED)
    qtbot.waitUntil(notice.isHidden, timeout=8000)
    assert not agent.permission_watch.polling


def test_code_window_shows_nothing_where_all_is_allowed(qtbot, english, agent: AgentApp) -> None:
    agent.window.show()
    with qtbot.waitSignal(agent.permission_watch.answered, timeout=5000):
        agent.permission_watch.check_now()
    assert agent.window.mac_notice.isHidden()
    assert not agent.permission_watch.polling


def test_consent_dialog_says_what_is_missing_for_what_is_asked(
        qtbot, english, agent: AgentApp) -> None:
    agent.probes = Probes(screen_recording=False, accessibility=False)
    agent._on_consent_requested("Eva Technik", "Acme IT", "1234", frozenset({"view"}),
                                Verification(Verdict.NO_PROOF, None, "no certificate"))
    dialog = agent.consent
    assert isinstance(dialog, ConsentDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    text = dialog.mac_notice.text()
    assert "Screen Recording" in text
    assert "Accessibility" not in text  # control was not asked for
    assert dialog.allow_button.isVisible()  # the customer may still allow; the agent waits
    # the dialog still fits: Allow is inside the screen
    screen = dialog.screen().availableGeometry()
    bottom = dialog.allow_button.mapToGlobal(dialog.allow_button.rect().bottomLeft())
    assert screen.contains(bottom)


@pytest.mark.skipif(sys.platform == "darwin", reason="on macOS the real probes can change")
def test_the_real_probes_are_not_polled_where_they_cannot_change(qapp: QApplication) -> None:
    """Off macOS the real probes always say allowed: asking again every 2 s during a session
    would start a thread for nothing; a scripted probe (a test standing in for macOS) is."""
    watch = PermissionWatch(current_probes)
    watch.set_polling(True)
    assert not watch.polling
    watch.probe = lambda: NOTHING
    watch.set_polling(True)
    assert watch.polling
    watch.stop()
