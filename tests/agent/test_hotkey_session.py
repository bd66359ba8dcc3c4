"""End to end: the customer's hotkeys and first click stop control and end a real session.

Real relay, real agent (in this process, on this test's Xvfb), real console process on its own
display (driven with xdotool like a technician). While the technician holds a key and a mouse
button on the customer's screen (arriving through the agent's XTest injection), the customer
uses their own keyboard and mouse (XTest on the customer's display): Ctrl+Alt+End stops control
and releases the held input, pressed again it ends the session on both sides; Ctrl+Alt+Home ends
it at once; and the first click on the panel's End session ends it too.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from Xlib import X
from Xlib import display as xdisplay

from agent.app import AgentApp
from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay
from tests.e2e.conftest import (  # noqa: F401 (fixtures)
    Console,
    agent,
    connected_session,
    console,
    tech_display,
    xdo,
)
from tests.e2e.test_session import Target, target, target_on_console  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def held(display_name: str) -> tuple[list[int], int]:
    """Keys and mouse buttons the customer's X server has down."""
    d = xdisplay.Display(display_name)
    try:
        bits = d.query_keymap()
        keys = [i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (1 << b)]
        mask = d.screen().root.query_pointer().mask
        return keys, mask & (X.Button1Mask | X.Button2Mask | X.Button3Mask)
    finally:
        d.close()


def test_hotkey_stops_control_then_ends_while_technician_holds_input(
    qtbot, agent: AgentApp, console: Console, x_display: XvfbDisplay,  # noqa: F811
    target: Target,  # noqa: F811
) -> None:
    connected_session(qtbot, agent, console)
    console.wait_audit("permissions_changed")
    assert agent.overlay is not None and agent.overlay.control
    qtbot.waitUntil(lambda: agent.overlay is not None and agent.overlay.hotkey_active,
                    timeout=5000)
    # The technician holds a key and the left button on the customer's screen (on a window).
    x0, y0, x1, y1 = target_on_console(console)
    session = console.window("Session")
    xdo(console.display, "windowfocus", "--sync", session)
    xdo(console.display, "mousemove", str((x0 + x1) // 2), str((y0 + y1) // 2))
    xdo(console.display, "keydown", "Shift_L")
    xdo(console.display, "mousedown", "1")
    try:
        wait_for(lambda: all(held(x_display.name)), 15, "the technician's key and button")
        # The customer presses Ctrl+Alt+End on their own keyboard.
        xdo_customer = ["xdotool", "key", "ctrl+alt+End"]
        subprocess.run(xdo_customer, env=x_display.env(), check=True, timeout=10)
        qtbot.waitUntil(lambda: agent.overlay is not None and not agent.overlay.control,
                        timeout=5000)
        wait_for(lambda: not any(held(x_display.name)), 5, "held input released")
        wait_for(lambda: any(e["event"] == "permissions_changed" and e["permissions"] == ["view"]
                             for e in console.audit_events()), 10, "the console to learn of it")
        subprocess.run(xdo_customer, env=x_display.env(), check=True, timeout=10)
        qtbot.waitUntil(lambda: agent.window.state == "ended", timeout=5000)
        assert agent.overlay is None
        assert console.wait_audit("session_ended")["reason"] == "customer_ended"
    finally:
        xdo(console.display, "mouseup", "1", check=False)
        xdo(console.display, "keyup", "Shift_L", check=False)


@contextmanager
def technician_holds(qtbot, agent: AgentApp, console: Console,  # noqa: F811
                     x_display: XvfbDisplay) -> Iterator[None]:
    """A running session in which the technician holds Shift and the left button."""
    connected_session(qtbot, agent, console)
    console.wait_audit("permissions_changed")
    assert agent.overlay is not None and agent.overlay.control
    qtbot.waitUntil(lambda: agent.overlay is not None and agent.overlay.hotkey_active,
                    timeout=5000)
    x0, y0, x1, y1 = target_on_console(console)
    session = console.window("Session")
    xdo(console.display, "windowfocus", "--sync", session)
    xdo(console.display, "mousemove", str((x0 + x1) // 2), str((y0 + y1) // 2))
    xdo(console.display, "keydown", "Shift_L")
    xdo(console.display, "mousedown", "1")
    try:
        wait_for(lambda: all(held(x_display.name)), 15, "the technician's key and button")
        yield
    finally:
        xdo(console.display, "mouseup", "1", check=False)
        xdo(console.display, "keyup", "Shift_L", check=False)


def ended_by_customer(qtbot, agent: AgentApp, console: Console,  # noqa: F811
                      x_display: XvfbDisplay) -> None:
    qtbot.waitUntil(lambda: agent.window.state == "ended", timeout=5000)
    assert agent.overlay is None
    wait_for(lambda: not any(held(x_display.name)), 5, "held input released")
    assert console.wait_audit("session_ended")["reason"] == "customer_ended"


def test_end_hotkey_ends_at_once_while_technician_holds_input(
    qtbot, agent: AgentApp, console: Console, x_display: XvfbDisplay,  # noqa: F811
    target: Target,  # noqa: F811
) -> None:
    with technician_holds(qtbot, agent, console, x_display):
        subprocess.run(["xdotool", "key", "ctrl+alt+Home"], env=x_display.env(), check=True,
                       timeout=10)
        ended_by_customer(qtbot, agent, console, x_display)


def test_first_click_on_end_ends_while_technician_holds_input(
    qtbot, agent: AgentApp, console: Console, x_display: XvfbDisplay,  # noqa: F811
    target: Target,  # noqa: F811
) -> None:
    with technician_holds(qtbot, agent, console, x_display):
        assert agent.overlay is not None
        end = agent.overlay.panel.end_button
        where = end.mapToGlobal(end.rect().center())
        for args in (["mousemove", str(where.x()), str(where.y())], ["click", "1"]):
            subprocess.run(["xdotool", *args], env=x_display.env(), check=True, timeout=10)
        ended_by_customer(qtbot, agent, console, x_display)
