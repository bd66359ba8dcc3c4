"""The technician hears what the customer's OS blocks (issue 18): a real session through a real
relay, the real agent and the real console in this process, the customer's Allow clicked.

The agent's real parts decide what is said: the macOS gate (``AgentApp.permission_watch``'s
probe scripted: macOS cannot run here), the Windows elevation watcher (``ElevationMonitor`` with
scripted probes: Windows cannot run here) and the Ctrl+Alt+Del outcome as the Windows injector
reports it. The console's session window must say it in words, and both records keep
``system_notice {code}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt

import agent.app as agent_app
from agent.app import AgentApp
from agent.platform.readiness import ALLOWED
from agent.platform.windows import SasOutcome
from agent.ui.elevation_notice import ElevationMonitor, ElevationNotice
from tests.e2e.conftest import allow, shown_code
from tests.e2e.test_chat import console_app, named, records  # noqa: F401  (fixture by name)
from tests.e2e.test_mac_permissions import NOTHING, script_probes

# ruff: noqa: F811  (the imported fixture is taken by name)

pytestmark = pytest.mark.e2e

#: What the scripted Windows says is in front: (window handle, runs as administrator?).
FOREGROUND: list[tuple[int | None, bool | None]] = []


@pytest.fixture(autouse=True)
def scripted_windows(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Before the agent is built: its elevation monitor asks the scripted desktop."""
    FOREGROUND[:] = [(4711, False)]

    def monitor(notice: ElevationNotice, parent: QObject) -> ElevationMonitor:
        return ElevationMonitor(notice, lambda: False, lambda: FOREGROUND[-1], parent=parent)

    monkeypatch.setattr(agent_app, "ELEVATION_MONITOR", monitor)
    yield


def test_the_console_says_what_the_customers_os_blocks(
        qtbot, agent: AgentApp, console_app, tmp_path: Path) -> None:
    con = console_app
    answers = [NOTHING]
    script_probes(qtbot, agent, answers)
    con.connect_window.code_edit.setText(shown_code(qtbot, agent))
    qtbot.mouseClick(con.connect_window.connect_button, Qt.MouseButton.LeftButton)
    allow(qtbot, agent, control=True)
    qtbot.waitUntil(lambda: con.session_window is not None
                    and con.session_window.state == "streaming", timeout=20000)
    win = con.session_window
    bar = win.system_notice

    # macOS holds picture and control back: the technician reads why, not "the customer".
    qtbot.waitUntil(lambda: "Accessibility" in bar.notice_text(), timeout=10000)
    assert bar.notice_text().startswith(
        "The customer's Mac does not yet allow Screen Recording: the picture stays paused")
    qtbot.waitUntil(lambda: win.paused, timeout=10000)
    assert win.pause_banner.text().startswith("Paused by macOS:")
    assert "Paused by the customer" not in win.pause_banner.text()
    assert "The customer stopped control" not in win._notice_text.text()

    # macOS allows both: the notices go, the picture and control come back.
    answers.append(ALLOWED)
    qtbot.waitUntil(lambda: bar.notice_text() == "" and not win.paused, timeout=15000)
    qtbot.waitUntil(lambda: "control" in win.permissions, timeout=10000)

    # Windows: an elevated window comes to the front while the technician controls.
    FOREGROUND.append((4712, True))
    qtbot.waitUntil(lambda: "runs as administrator" in bar.notice_text(), timeout=10000)
    assert bar.notice_text() == (
        "The window in front on the customer's computer runs as administrator: your input "
        "does not reach it. The customer can restart Fernhilfe as administrator.")
    # The customer's "Not now" silences her notice, not the technician's.
    qtbot.mouseClick(agent.window.session_view.elevation.later,
                     Qt.MouseButton.LeftButton)
    qtbot.wait(800)
    assert "runs as administrator" in bar.notice_text()
    FOREGROUND.append((4711, False))
    qtbot.waitUntil(lambda: bar.notice_text() == "", timeout=10000)

    # Windows refused Ctrl+Alt+Del (as the Windows injector reports it).
    agent.worker._on_sas(SasOutcome.NOT_ALLOWED)
    qtbot.waitUntil(lambda: bar.notice_text() ==
                    "Windows did not allow Ctrl+Alt+Del; ask the customer to press it.",
                    timeout=10000)

    said = ["screen_recording_missing", "accessibility_missing", "screen_recording_ok",
            "accessibility_ok", "foreground_elevated", "foreground_ok", "ctrl_alt_del_refused"]
    for side in ("agent", "console"):
        qtbot.waitUntil(lambda side=side: len(named(records(tmp_path, side), "system_notice"))
                        == len(said), timeout=10000)
        codes = [str(e["code"]) for e in named(records(tmp_path, side), "system_notice")]
        assert sorted(codes) == sorted(said), side
        # what macOS does is said in the order it happened
        assert codes.index("screen_recording_ok") > codes.index("screen_recording_missing")
        assert codes[-3:] == said[-3:], side
