"""The control panel under a real window manager (openbox): other desktops, WM actions, hotkey.

The rest of the panel tests run on bare Xvfb. Here a second Xvfb runs openbox with 2 virtual
desktops, and the agent's overlay runs in a child process on it (a Qt process has one display).
Skipped where openbox is not installed (``apt-get install openbox wmctrl``).
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("openbox", "wmctrl", "xdotool", "xwininfo")),
    reason="needs openbox, wmctrl, xdotool and xwininfo",
)

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from agent.hotkey import X11Hotkey
from agent.ui import SessionOverlay

app = QApplication(sys.argv[:1])
ov = SessionOverlay("Anna", control=True, hotkey=X11Hotkey())
ov.control_toggle_requested.connect(lambda on: (print("CONTROL", on, flush=True),
                                                ov.set_control(on)))
ov.end_session_requested.connect(lambda: (print("END", flush=True), app.quit()))
ov.show()
QTimer.singleShot(500, lambda: print("PANEL", int(ov.panel.winId()), ov.hotkey_active,
                                     flush=True))
app.exec()
ov.close()
"""


@pytest.fixture
def wm_display() -> Iterator[XvfbDisplay]:
    with XvfbDisplay(width=1024, height=768) as display:
        wm = subprocess.Popen(["openbox", "--sm-disable"], env=display.env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: subprocess.run(["wmctrl", "-m"], env=display.env(),
                                            capture_output=True).returncode == 0,
                     10, "openbox to start", 0.1)
            subprocess.run(["wmctrl", "-n", "2"], env=display.env(), check=True)
            yield display
        finally:
            wm.terminate()
            wm.wait(5)


def run(display: XvfbDisplay, *args: str) -> str:
    return subprocess.run(list(args), env=display.env(), check=True, capture_output=True,
                          text=True, timeout=10).stdout


def inside(x: int, y: int, w: int, h: int) -> bool:
    return x >= 0 and y >= 0 and x + w <= 1024 and y + h <= 768


def geometry(display: XvfbDisplay, wid: int) -> tuple[int, int, int, int, bool]:
    info = run(display, "xwininfo", "-id", str(wid))
    values = {k.strip(): v.strip() for k, v in
              (line.split(":", 1) for line in info.splitlines() if ":" in line)}
    return (int(values["Absolute upper-left X"]), int(values["Absolute upper-left Y"]),
            int(values["Width"]), int(values["Height"]), values["Map State"] == "IsViewable")


class Lines:
    """The child's stdout lines, read by a thread so that waiting never blocks the test."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        stream = proc.stdout

        def pump() -> None:
            for line in stream:
                self.queue.put(line.strip())

        threading.Thread(target=pump, daemon=True).start()

    def wait(self, prefix: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the child never printed {prefix!r}") from None
            if line.startswith(prefix):
                return line


def test_panel_under_openbox(wm_display: XvfbDisplay) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT,
                             env=wm_display.env(PYTHONPATH=str(ROOT)),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = Lines(child)
    try:
        _, wid_text, active = lines.wait("PANEL").split()
        wid = int(wid_text)
        assert active == "True"
        x, y, w, h, viewable = geometry(wm_display, wid)
        assert viewable and inside(x, y, w, h)

        # Another virtual desktop: the panel is still there.
        run(wm_display, "wmctrl", "-s", "1")
        time.sleep(0.5)  # the stimulus: half a second for the WM to hide it, were it to
        assert geometry(wm_display, wid)[4], "panel hidden on the other desktop"
        run(wm_display, "wmctrl", "-s", "0")

        # Window-manager actions on it do nothing: it is not the WM's to minimise.
        subprocess.run(["xdotool", "windowminimize", str(wid)], env=wm_display.env(),
                       capture_output=True, timeout=10)
        time.sleep(0.5)  # the stimulus: half a second for the WM to minimise it, were it to
        assert geometry(wm_display, wid)[4], "panel minimised by the window manager"

        # Moved off-screen: back on its monitor.
        run(wm_display, "xdotool", "windowmove", str(wid), "-3000", "-3000")
        wait_for(lambda: inside(*geometry(wm_display, wid)[:4]), 5,
                 f"the panel to come back from {geometry(wm_display, wid)[:2]}", 0.1)

        # The hotkeys (the window manager must not hold them): stop control, then end.
        run(wm_display, "xdotool", "key", "ctrl+alt+End")
        assert lines.wait("CONTROL") == "CONTROL False"
        run(wm_display, "xdotool", "key", "ctrl+alt+Home")
        lines.wait("END")
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
