""""Still sharing?" end to end (issue 15, item 4): a real session through a real relay, the real
agent in this process (its real panel buttons clicked), the real console as its own process.

The interval is short because the test builds the agent's ShareCheck itself
(``AgentHost.share_check``: a factory from the loop's time, the same hook the branding's
``still_sharing_minutes`` feeds); the shipped agent has no flag or variable for it.

Unanswered: the question appears, sharing pauses, no frame is sealed, the console greys the
picture (read back from its screen) and records "paused by timeout", the technician's typing
never reaches a real xterm; the customer's Resume brings a whole frame and typing works again.
Answered in time: nothing pauses. Both records say what happened."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from agent.app import AgentApp
from bench.support.waiting import wait_for
from shared import messages as m
from shared.channel import SealJob
from shared.share_check import ShareCheck
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

GREEN = (0, 200, 0)  # BGR, as find_colour takes it
BLUE = (200, 0, 0)


def short_check(interval: float, answer: float) -> object:
    return lambda now: ShareCheck(now, interval, answer)


class SealSpy:
    """Counts the frames the agent's session machine seals (the real method runs; the driver
    reserves each frame's counter with ``reserve_frame`` and seals the job, maybe off the loop)."""

    def __init__(self, agent: AgentApp) -> None:
        active = agent.worker.active
        assert active is not None
        self.session = active.session
        self.frames: list[tuple[int, int]] = []  # (pixels covered by rects, picture pixels)
        real = self.session.reserve_frame

        def counted(update: m.FrameUpdate) -> SealJob:
            data = real(update)
            self.frames.append((sum(r.w * r.h for r in update.rects),
                                update.width * update.height))
            return data

        self.session.reserve_frame = counted  # type: ignore[method-assign]


def test_no_answer_pauses_then_resume_goes_on(
        qtbot, agent: AgentApp, console: Console, target: Target, xterm: Xterm,  # noqa: F811
) -> None:
    agent.worker.host.share_check = short_check(4.0, 3.0)  # type: ignore[assignment]
    connected_session(qtbot, agent, console)
    console.wait_audit("permissions_changed")
    target_on_console(console)
    spy = SealSpy(agent)
    assert agent.overlay is not None
    prompt = agent.overlay.panel.share_prompt
    qtbot.waitUntil(lambda: prompt.state == "asking", timeout=20000)
    assert prompt.text() == "Still sharing your screen with Eva Technik?"
    # Nobody answers: paused by timeout.
    qtbot.waitUntil(lambda: prompt.state == "paused", timeout=15000)
    assert agent.overlay.paused
    paused = console.wait_audit("sharing_paused")
    assert paused["reason"] == "timeout"
    # The console greys the frozen picture: the green target is gone from its screen.
    wait_for(lambda: find_colour(grab(console.display), GREEN) is None, 10,
             "the console to grey the paused picture")
    sealed = len(spy.frames)
    palette = target.palette()  # the screen changes meanwhile: the target turns blue
    palette.setColor(QPalette.ColorRole.Window, QColor("#0000c8"))
    target.setPalette(palette)
    target.update()
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "zz")
    time.sleep(2.0)  # the stimulus: time for frames and keys to arrive, were they sent
    assert len(spy.frames) == sealed, "a frame was sealed while paused"
    assert xterm.text() == ""
    # One click on Resume: a whole frame, and typing works again.
    qtbot.mouseClick(prompt.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prompt.state == "", timeout=5000)
    wait_for(lambda: len(spy.frames) > sealed, 10, "a frame after Resume")
    covered, whole = spy.frames[sealed]
    assert covered == whole, "the first frame after Resume is the whole screen"
    resumed = console.wait_audit("sharing_resumed")
    assert resumed["reason"] == "customer"
    wait_for(lambda: find_colour(grab(console.display), BLUE) is not None, 15,
             "the changed screen at the console")
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "cd")
    wait_for(lambda: xterm.text() == "cd", 15, f"typing after Resume ({xterm.text()!r})")
    names = [e["event"] for e in data_dir_events(Path(agent_audit_dir(agent)))]
    asked = names.index("share_check_asked")
    assert names.index("sharing_paused", asked) < names.index("sharing_resumed", asked)
    assert "share_check_confirmed" not in names


def test_continue_in_time_pauses_nothing(
        qtbot, agent: AgentApp, console: Console, target: Target,  # noqa: F811
) -> None:
    agent.worker.host.share_check = short_check(5.0, 4.0)  # type: ignore[assignment]
    connected_session(qtbot, agent, console)
    target_on_console(console)
    assert agent.overlay is not None
    prompt = agent.overlay.panel.share_prompt
    qtbot.waitUntil(lambda: prompt.state == "asking", timeout=20000)
    qtbot.mouseClick(prompt.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prompt.state == "", timeout=5000)
    wait_for(lambda: any(e["event"] == "share_check_confirmed"
                         for e in data_dir_events(Path(agent_audit_dir(agent)))),
             10, "the agent to record the answer")
    time.sleep(4.5)  # the stimulus: past the unanswered question's deadline
    names = [e["event"] for e in data_dir_events(Path(agent_audit_dir(agent)))]
    assert "sharing_paused" not in names
    assert not any(e["event"] == "sharing_paused" for e in console.audit_events())
    assert not agent.overlay.paused
    active = agent.worker.active
    assert active is not None and not active.session.paused
    target_on_console(console)  # still shown in colour
