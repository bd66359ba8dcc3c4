"""macOS has not allowed Screen Recording or Accessibility: the agent streams nothing and posts
no input, says why on the customer's panel, tells the technician (the session's pause), and goes
on by itself when macOS allows it (issue 18, item 3).

A real session through a real relay: the real agent in this process (its real Allow button
clicked), the real console as its own process, a real xterm for typing. The probes' answers are
scripted (``AgentApp.permission_watch.probe``, the one hook): they stand in for macOS, which
cannot run here. What macOS's answers are on a real Mac is tests/platform/test_macos_*.py's job.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agent.app import AgentApp
from agent.platform.readiness import ALLOWED, Probes
from bench.support.waiting import wait_for
from tests.e2e.conftest import Console, connected_session, data_dir_events, xdo
from tests.e2e.test_session import (  # noqa: F401  (fixtures used by name)
    Target,
    Xterm,
    agent_audit_dir,
    find_colour,
    focus_console_view,
    grab,
    target,
    target_on_console,
    xterm,
)

pytestmark = pytest.mark.e2e

NOTHING = Probes(screen_recording=False, accessibility=False)
NO_INPUT = Probes(screen_recording=True, accessibility=False)
GREEN = (0, 200, 0)  # BGR, as find_colour takes it


def script_probes(qtbot, agent: AgentApp, answers: list[Probes]) -> None:
    """From now on the probe answers ``answers[-1]``; wait until the agent has read it."""
    agent.permission_watch.probe = lambda: answers[-1]

    def read() -> bool:
        agent.permission_watch.check_now()  # skipped while the start-up probe still runs
        return agent.probes == answers[-1]

    qtbot.waitUntil(read, timeout=5000)


def test_missing_permissions_hold_picture_and_control_until_macos_allows(
        qtbot, agent: AgentApp, console: Console, target: Target, xterm: Xterm,  # noqa: F811
) -> None:
    def qwait(seconds: float) -> None:  # waiting keeps Qt running: the probe's answers arrive
        qtbot.wait(int(seconds * 1000))

    answers = [NOTHING]
    script_probes(qtbot, agent, answers)
    notice = agent.window.mac_notice
    assert "Screen Recording" in notice.text() and "Accessibility" in notice.text()
    connected_session(qtbot, agent, console, control=True)
    active = agent.worker.active
    assert active is not None
    # The technician is told: the session is paused (the customer's side), control is off.
    paused = console.wait_audit("sharing_paused")
    assert paused["reason"] == "customer"
    wait_for(lambda: any(e["event"] == "permissions_changed" and e["permissions"] == ["view"]
                         for e in console.audit_events()), 15, "control held back")
    # The customer's panel says what is missing, not "paused, click Resume".
    assert agent.overlay is not None
    session_notice = agent.session_notice
    assert session_notice is not None
    qtbot.waitUntil(session_notice.isVisible, timeout=5000)
    assert "Screen Recording" in session_notice.text()
    assert "Accessibility" in session_notice.text()
    assert agent.overlay.panel.share_prompt.state == ""
    # No frame, no input: not a single frame was sealed, typing never reaches the xterm.
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "zz")
    time.sleep(2.0)  # the stimulus: time for frames and keys to arrive, were they sent
    assert active._wire_seq == 0, "a frame was sent without Screen Recording"
    assert active.streamer is None or active.streamer.frames_sent == 0
    assert xterm.text() == ""
    # macOS allows Screen Recording: the picture goes on by itself; control still waits.
    answers.append(NO_INPUT)
    qtbot.waitUntil(lambda: agent.probes == NO_INPUT, timeout=8000)  # the next poll
    wait_for(lambda: active._wire_seq > 0, 15, "frames once Screen Recording is allowed",
             pause=qwait)
    resumed = console.wait_audit("sharing_resumed", timeout=15)
    assert resumed["reason"] == "customer"
    target_on_console(console)
    wait_for(lambda: find_colour(grab(console.display), GREEN) is not None, 15,
             "the customer's screen at the console")
    qtbot.waitUntil(lambda: "Screen Recording" not in session_notice.text(), timeout=5000)
    assert "Accessibility" in session_notice.text()
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "yy")
    qwait(1.5)
    assert xterm.text() == "", "input was posted without Accessibility"
    # The customer's own Allow control waits for macOS too (never granted into nothing).
    overlay = agent.overlay
    assert not overlay.control
    qtbot.mouseClick(overlay.panel.control_button, Qt.MouseButton.LeftButton)
    qwait(1.0)
    changes = [e["permissions"] for e in console.audit_events()
               if e["event"] == "permissions_changed"]
    assert "control" not in changes[-1]  # type: ignore[operator]
    assert "Accessibility" in session_notice.text()
    # macOS allows Accessibility: control is granted again (the customer allowed it).
    answers.append(ALLOWED)
    qtbot.waitUntil(lambda: agent.probes == ALLOWED, timeout=8000)
    def granted_again() -> bool:
        changes = [e["permissions"] for e in console.audit_events()
                   if e["event"] == "permissions_changed"]
        held = changes.index(["view"])
        return any("control" in p for p in changes[held + 1:])  # type: ignore[operator]

    wait_for(granted_again, 15, "control granted again", pause=qwait)
    qtbot.waitUntil(session_notice.isHidden, timeout=5000)
    qtbot.waitUntil(lambda: overlay.control, timeout=5000)  # the panel: Stop control again
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "cd")
    wait_for(lambda: xterm.text() == "cd", 15, f"typing once allowed ({xterm.text()!r})",
             pause=qwait)
    # The customer's record says why.
    events = data_dir_events(Path(agent_audit_dir(agent)))
    said = [(e["permission"], e["allowed"]) for e in events if e["event"] == "os_permission"]
    assert said == [("screen_recording", False), ("accessibility", False),
                    ("screen_recording", True), ("accessibility", True)]
