"""One real attended support session, end to end, as the customer and the technician do it."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import mss
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QToolBar, QWidget
from Xlib import X
from Xlib import display as xdisplay

from agent.app import AgentApp
from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay
from console.ui import SessionWindow
from shared import messages as m
from shared.session import APP_VERSION
from tests.e2e.conftest import (
    Console,
    allow,
    connected_session,
    data_dir_events,
    shown_code,
    xdo,
)

pytestmark = pytest.mark.e2e


def qwait_for(qtbot, pred: Callable[[], bool], timeout: float = 15.0) -> None:
    qtbot.waitUntil(pred, timeout=int(timeout * 1000))


def grab(display: XvfbDisplay) -> np.ndarray:
    with mss.MSS(display=display.name) as sct:
        shot = sct.grab(sct.monitors[0])
        return np.frombuffer(shot.bgra, np.uint8).reshape(shot.height, shot.width, 4)


def find_colour(img: np.ndarray, bgr: tuple[int, int, int], tol: int = 40
                ) -> tuple[int, int, int, int] | None:
    """Bounding box of the pixels close to ``bgr`` (at least 400 of them), or None."""
    diff = np.abs(img[:, :, :3].astype(np.int16) - np.array(bgr, np.int16)).max(axis=2)
    ys, xs = np.nonzero(diff <= tol)
    if len(xs) < 400:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


class Target(QWidget):
    """A real X client on the customer's screen that records what reaches it."""

    def __init__(self, colour: str) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(colour))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        self.setMouseTracking(True)
        self.events: list[tuple[str, object]] = []

    def mousePressEvent(self, e) -> None:
        self.events.append(("press", e.button()))

    def mouseReleaseEvent(self, e) -> None:
        self.events.append(("release", e.button()))

    def mouseDoubleClickEvent(self, e) -> None:
        self.events.append(("double", e.button()))

    def mouseMoveEvent(self, e) -> None:
        if e.buttons() & Qt.MouseButton.LeftButton:
            self.events.append(("drag", (e.position().x(), e.position().y())))

    def wheelEvent(self, e) -> None:
        self.events.append(("wheel", e.angleDelta().y()))


@pytest.fixture
def target(qtbot) -> Iterator[Target]:
    w = Target("#00c800")
    qtbot.addWidget(w)
    w.setGeometry(420, 260, 480, 320)
    w.show()
    qtbot.waitExposed(w)
    yield w


def target_on_console(console: Console) -> tuple[int, int, int, int]:
    """Where the customer's green target shows on the technician's screen."""
    box: list[tuple[int, int, int, int] | None] = [None]

    def seen() -> bool:
        box[0] = find_colour(grab(console.display), (0, 200, 0))
        return box[0] is not None

    wait_for(seen, 20, "the customer's screen to appear in the console")
    assert box[0] is not None
    return box[0]


class KeyState:
    """What the customer's X server thinks is held down."""

    def __init__(self, name: str) -> None:
        self.d = xdisplay.Display(name)

    def keys_down(self) -> list[int]:
        bits = self.d.query_keymap()
        return [i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (1 << b)]

    def buttons_down(self) -> int:
        mask = self.d.screen().root.query_pointer().mask
        return mask & (X.Button1Mask | X.Button2Mask | X.Button3Mask)

    def nothing_held(self) -> bool:
        return not self.keys_down() and not self.buttons_down()

    def close(self) -> None:
        self.d.close()


@pytest.fixture
def keystate(x_display: XvfbDisplay) -> Iterator[KeyState]:
    ks = KeyState(x_display.name)
    yield ks
    ks.close()


class Xterm:
    """A real xterm on the customer's display whose raw tty bytes land in a file."""

    def __init__(self, display: XvfbDisplay, out: Path) -> None:
        self.out = out
        out.write_bytes(b"")
        script = f"stty raw -echo; exec cat > {out}"
        self.proc = subprocess.Popen(
            ["xterm", "-u8", "-geometry", "60x8+60+420", "-title", "fh-e2e-xterm",
             "-e", "sh", "-c", script],
            env=display.env(LANG="C.UTF-8", LC_ALL="C.UTF-8"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.display = display
        wait_for(lambda: bool(xdo(display, "search", "--name", "fh-e2e-xterm", check=False)),
                 10, "xterm")
        self.wid = xdo(display, "search", "--name", "fh-e2e-xterm").splitlines()[0]

    def focus(self) -> None:
        xdo(self.display, "windowfocus", "--sync", self.wid)

    def text(self) -> str:
        return self.out.read_bytes().decode("utf-8", "replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def xterm(x_display: XvfbDisplay, tmp_path: Path) -> Iterator[Xterm]:
    term = Xterm(x_display, tmp_path / "typed.bin")
    yield term
    term.stop()


def focus_console_view(console: Console) -> str:
    win = console.window("Session")
    xdo(console.display, "windowfocus", "--sync", win)
    return win


# ----------------------------------------------------------------------------------------------


def test_screen_appears_then_customer_ends(qtbot, agent: AgentApp, console: Console,
                                           target: Target) -> None:
    connected_session(qtbot, agent, console)
    target_on_console(console)
    # Audit on both sides: who, verification number, permissions.
    started = console.wait_audit("consent_answered")
    assert started["allowed"] is True and started["permissions"] == ["control", "view"]
    assert agent.overlay is not None
    qtbot.mouseClick(agent.overlay.panel.end_button, Qt.MouseButton.LeftButton)
    qwait_for(qtbot, lambda: agent.window.state == "ended")
    ended = console.wait_audit("session_ended")
    assert ended["reason"] == "customer_ended" and ended["by_peer"] is True
    agent_events = data_dir_events(Path(agent_audit_dir(agent)))
    names = [e["event"] for e in agent_events]
    assert names[:1] == ["keys_agreed"]
    expected = {"consent_requested", "consent_decided", "session_started", "session_ended"}
    assert expected <= set(names)
    requested = next(e for e in agent_events if e["event"] == "consent_requested")
    assert requested["technician"] == "Eva Technik"
    # Both records say which protocol the session ran at and both app versions (converge20),
    # before the consent (the record of a denied session says it too).
    versions = {"protocol_version": m.PROTOCOL_VERSION, "agent_app_version": APP_VERSION,
                "console_app_version": APP_VERSION}
    for events in (agent_events, console.audit_events()):
        said = [e for e in events if e["event"] == "versions"]
        assert [{k: e[k] for k in versions} for e in said] == [versions]
        assert events.index(said[0]) < next(
            i for i, e in enumerate(events) if str(e["event"]).startswith("consent_"))
    assert requested["verification"] == next(
        e for e in console.audit_events() if e["event"] == "keys_agreed")["verification"]


def agent_audit_dir(agent: AgentApp) -> str:
    import os

    return os.path.join(os.environ["FERNHILFE_DATA_DIR"], "audit")


def test_nothing_is_shared_before_allow(qtbot, agent: AgentApp, console: Console,
                                        target: Target) -> None:
    code = shown_code(qtbot, agent)
    console.enter_code(code)
    qwait_for(qtbot, lambda: agent.consent is not None)
    time.sleep(1.5)  # plenty of time for any frame to arrive, if one were sent
    assert find_colour(grab(console.display), (0, 200, 0)) is None
    assert agent.worker.active is not None and agent.worker.active.streamer is None
    allow(qtbot, agent)
    # Let the dialog go away before the blocking wait below (it may cover the target: with
    # clipboard and files asked for it is wider, issue 17).
    qtbot.waitUntil(lambda: agent.overlay is not None, timeout=15000)
    target_on_console(console)


def test_typing_reaches_real_xterm(qtbot, agent: AgentApp, console: Console,
                                   xterm: Xterm) -> None:
    connected_session(qtbot, agent, console)
    console.wait_audit("permissions_changed")
    xterm.focus()
    focus_console_view(console)
    text = "Hallo Welt! äöü ÄÖÜ ß @ € { } [ ] \\ | ~"
    xdo(console.display, "type", "--delay", "30", text)
    xdo(console.display, "key", "Return")
    wait_for(lambda: xterm.text() == text + "\r", 20,
             f"typed text in the xterm (got {xterm.text()!r})")


def test_mouse_clicks_double_drag_wheel(qtbot, agent: AgentApp, console: Console,
                                        target: Target, keystate: KeyState) -> None:
    connected_session(qtbot, agent, console)
    x0, y0, x1, y1 = target_on_console(console)
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    d = console.display
    focus_console_view(console)
    xdo(d, "mousemove", str(cx), str(cy))
    xdo(d, "click", "1")
    qwait_for(qtbot, lambda: ("release", Qt.MouseButton.LeftButton) in target.events)
    target.events.clear()
    xdo(d, "click", "3")
    qwait_for(qtbot, lambda: ("release", Qt.MouseButton.RightButton) in target.events)
    # Double-click: Qt under bare Xvfb sometimes misses the pairing, so allow a few tries.
    for _ in range(3):
        target.events.clear()
        xdo(d, "click", "--repeat", "2", "--delay", "60", "1")
        try:
            qwait_for(qtbot, lambda: ("double", Qt.MouseButton.LeftButton) in target.events, 3)
            break
        except qtbot.TimeoutError:
            time.sleep(0.5)  # the stimulus: the next try starts past the double-click interval
    else:
        pytest.fail(f"no double-click arrived: {target.events}")
    target.events.clear()
    xdo(d, "mousedown", "1")
    for step in range(1, 6):
        xdo(d, "mousemove", str(cx + step * 10), str(cy + step * 6))
        qtbot.wait(80)  # let this process's Qt loop take each motion (it merges queued ones)
    xdo(d, "mouseup", "1")
    qwait_for(qtbot, lambda: ("release", Qt.MouseButton.LeftButton) in target.events)
    drags = [p for kind, p in target.events if kind == "drag"]
    assert len(drags) >= 2, target.events
    assert drags[-1][0] > drags[0][0]  # type: ignore[index]
    target.events.clear()
    def turned(up: bool) -> bool:
        return any(k == "wheel" and (v > 0) == up  # type: ignore[operator]
                   for k, v in target.events)

    for button, up in (("4", True), ("5", False)):
        # One notch each way. Seen once in CI under load: a notch never reached the target
        # (where it was lost is not known: the roadmap says so), so a notch may be turned
        # again, at most three times, as with the double-click above.
        for _ in range(3):
            # Back over the target's middle first: the agent puts the customer's pointer
            # where the wheel turns, and a notch is only seen by the window under it.
            xdo(d, "mousemove", str(cx), str(cy))
            qtbot.wait(100)
            xdo(d, "click", button)
            try:
                qwait_for(qtbot, lambda: turned(up), 5)  # noqa: B023 (used at once)
                break
            except qtbot.TimeoutError:
                pass
        else:
            pytest.fail(f"no wheel {'up' if up else 'down'} arrived: {target.events}")
    wait_for(keystate.nothing_held, 5, "all buttons released")


def permission_changes(console: Console) -> list[list[str]]:
    """The permissions the console recorded each time they changed."""
    return [list(e["permissions"]) for e in console.audit_events()  # type: ignore[call-overload]
            if e["event"] == "permissions_changed"]


def test_stop_control_stops_input_and_releases(qtbot, agent: AgentApp, console: Console,
                                               xterm: Xterm, keystate: KeyState) -> None:
    connected_session(qtbot, agent, console)
    console.wait_audit("permissions_changed")
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "ab")
    wait_for(lambda: xterm.text() == "ab", 15, "first text")
    # The technician holds Shift; the customer clicks "Stop control".
    xdo(console.display, "keydown", "Control_L")
    wait_for(lambda: bool(keystate.keys_down()), 10, "the held key to arrive")
    assert agent.overlay is not None
    qtbot.mouseClick(agent.overlay.panel.control_button, Qt.MouseButton.LeftButton)
    qwait_for(qtbot, lambda: agent.overlay is not None and not agent.overlay.control)
    wait_for(keystate.nothing_held, 5, "held keys released on revoke")
    xdo(console.display, "keyup", "Control_L")
    xdo(console.display, "type", "--delay", "30", "zz")
    time.sleep(1.5)  # the stimulus: 1.5 s for the refused keys to arrive, were they sent
    assert xterm.text() == "ab"
    assert keystate.nothing_held()
    # Re-grant: typing works again, once the console knows it may type.
    changes = len(permission_changes(console))
    qtbot.mouseClick(agent.overlay.panel.control_button, Qt.MouseButton.LeftButton)
    qwait_for(qtbot, lambda: agent.overlay is not None and agent.overlay.control)
    wait_for(lambda: len(now := permission_changes(console)) > changes
             and "control" in now[-1], 15, "the console to record control granted again")
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "cd")
    wait_for(lambda: xterm.text() == "abcd", 15, f"text after re-grant ({xterm.text()!r})")


def end_button_pos() -> tuple[int, int]:
    """Where the toolbar's 'End session' sits in a session window: same code and fonts as the
    console process, so laid out identically (no window manager: no decorations)."""
    win = SessionWindow()
    try:
        win.resize(1100, 750)
        win.show()
        QApplication.processEvents()
        bar = win.findChild(QToolBar)
        assert bar is not None
        button = bar.widgetForAction(win.end_action)
        centre = button.mapTo(win, button.rect().center())
        return centre.x(), centre.y()
    finally:
        win.close()
        win.deleteLater()


def test_technician_ends_session(qtbot, agent: AgentApp, console: Console) -> None:
    connected_session(qtbot, agent, console)
    win = console.window("Session")
    console.wait_audit("permissions_changed")
    x, y = end_button_pos()
    xdo(console.display, "mousemove", "--window", win, str(x), str(y), "click", "1")
    qwait_for(qtbot, lambda: agent.window.state == "ended")
    assert agent.overlay is None
    assert console.wait_audit("session_ended")["reason"] == "technician_ended"


def test_killing_console_releases_held_key_and_button(qtbot, agent: AgentApp, console: Console,
                                                      target: Target,
                                                      keystate: KeyState) -> None:
    connected_session(qtbot, agent, console)
    x0, y0, x1, y1 = target_on_console(console)
    focus_console_view(console)
    xdo(console.display, "mousemove", str((x0 + x1) // 2), str((y0 + y1) // 2))
    xdo(console.display, "keydown", "Shift_L")
    xdo(console.display, "mousedown", "1")
    wait_for(lambda: bool(keystate.keys_down()) and bool(keystate.buttons_down()), 10,
             "key and button held on the customer's display")
    console.proc.send_signal(signal.SIGKILL)
    console.proc.wait(5)
    wait_for(keystate.nothing_held, 10, "everything released after the console died")
    # A dead console looks like a dropped link: the agent waits for it to come back (issue 13,
    # the grace period) with nothing held; the customer can still end the session at once.
    qwait_for(qtbot, lambda: agent.worker.active is not None and agent.worker.active.link_down)
    assert agent.overlay is not None
    qtbot.mouseClick(agent.overlay.panel.end_button, Qt.MouseButton.LeftButton)
    qwait_for(qtbot, lambda: agent.window.state == "ended")
    # Leave the technician's display clean for the next test.
    xdo(console.display, "keyup", "Shift_L", check=False)
    xdo(console.display, "mouseup", "1", check=False)


def test_deny_shares_nothing(qtbot, agent: AgentApp, console: Console, target: Target) -> None:
    code = shown_code(qtbot, agent)
    console.enter_code(code)
    qwait_for(qtbot, lambda: agent.consent is not None)
    assert agent.consent is not None
    qtbot.mouseClick(agent.consent.deny_button, Qt.MouseButton.LeftButton)
    answered = console.wait_audit("consent_answered")
    assert answered["allowed"] is False
    assert console.wait_audit("session_ended")["reason"] == "denied"
    qwait_for(qtbot, lambda: agent.window.state == "ended")
    assert find_colour(grab(console.display), (0, 200, 0)) is None


def test_wrong_code_burns_code_and_shows_new_one(qtbot, agent: AgentApp,
                                                 console: Console) -> None:
    code = shown_code(qtbot, agent)
    digits = code.replace(" ", "")
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    console.enter_code(wrong)
    new = shown_code(qtbot, agent, previous=code)
    assert new != code
    assert "did not match" in agent.window.notice_text()
    assert console.wait_audit("session_ended")["reason"] == "wrong_code"
    assert agent.consent is None


def test_consent_timeout_means_deny(qtbot, agent: AgentApp, console: Console) -> None:
    code = shown_code(qtbot, agent)
    console.enter_code(code)
    qwait_for(qtbot, lambda: agent.consent is not None)
    assert agent.consent is not None
    agent.consent._expire()  # what the dialog's 2-minute timer does when it fires
    assert console.wait_audit("session_ended")["reason"] == "timeout"
    qwait_for(qtbot, lambda: agent.window.state == "ended")
    assert "did not answer within 2 minutes" in agent.window.message_text()
