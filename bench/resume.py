"""Resume figures: ``python -m bench.resume`` prints one JSON object.

How long the technician waits for the customer's picture after

1. ``relay_restart``: the relay process is killed (SIGKILL, no goodbye) and started again on
   the same port at once (what a supervisor such as systemd ``Restart=always`` does). The
   customer's screen changes colour at the kill (t0); the figure is t0 → the first grab of the
   technician's screen that shows the new colour. ``after_relay_up`` is the same end measured
   from the moment the new relay printed its ready line.
2. ``freeze``: the agent's link is frozen for ``--freeze`` seconds (default 5) by a TCP proxy of
   this bench's own between agent and relay (bytes are held, connections stay open, new ones
   wait too). The screen changes colour at the start of the freeze; the figure is the end of
   the freeze → the new colour on the technician's screen.

Real parts: the relay and the console as processes, the console on its own Xvfb, the agent in
this process (its real Allow button is clicked once: no consent is asked again), real capture.
p50/p95 over ``--trials`` (default 20) each. Targets (issue 13): p50 <= 2 s, p95 <= 5 s.
Needs Debian packages xvfb xdotool. About 3 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import mss
import numpy as np

from bench.support.freezer import FreezingProxy
from bench.support.relay import RelayProcess, free_port
from bench.support.xvfb import XvfbDisplay

ROOT = Path(__file__).resolve().parents[1]
W, H = 1024, 768
#: Colours the customer's screen takes in turn (BGR as mss grabs them).
COLOURS = [(0, 200, 0), (200, 0, 0), (0, 0, 200), (200, 200, 0), (200, 0, 200), (0, 200, 200)]


def grab_has(display: XvfbDisplay, bgr: tuple[int, int, int], sct: Any) -> bool:
    """The technician's screen shows at least 400 pixels of ``bgr``."""
    shot = sct.grab(sct.monitors[0])
    img = np.frombuffer(shot.bgra, np.uint8).reshape(shot.height, shot.width, 4)
    diff = np.abs(img[:, :, :3].astype(np.int16) - np.array(bgr, np.int16)).max(axis=2)
    return int(np.count_nonzero(diff <= 30)) >= 400


def xdo(display: XvfbDisplay, *args: str) -> str:
    out = subprocess.run(["xdotool", *args], env=display.env(), capture_output=True, text=True,
                         timeout=20)
    return out.stdout.strip()


def summary(values: list[float]) -> dict[str, Any]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_s": round(statistics.median(ordered), 3), "p95_s": round(p95, 3),
            "max_s": round(ordered[-1], 3), "trials": len(ordered)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--freeze", type=float, default=5.0, help="seconds of each freeze")
    args = parser.parse_args(argv)
    with XvfbDisplay(width=W, height=H) as customer, XvfbDisplay(width=W, height=H) as tech:
        os.environ["DISPLAY"] = customer.name
        os.environ.setdefault("FERNHILFE_DATA_DIR", tempfile.mkdtemp(prefix="fh-bench-resume-"))
        print(json.dumps(run(customer, tech, args)))
    return 0


class SessionRig:
    """One real session for the resume figures (also bench.cluster_resume): the customer's
    screen (a full-screen widget whose colour the bench sets) and the agent in this process,
    the console as a process on the technician's display; the code typed with xdotool, the real
    Allow button clicked once."""

    def __init__(self, customer: XvfbDisplay, tech: XvfbDisplay, agent_url: str,
                 console_url: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QWidget

        from agent.app import AgentApp
        from agent.config import AgentConfig

        self.tech = tech
        self.app = QApplication.instance() or QApplication([])
        settings = Path(os.environ["FERNHILFE_DATA_DIR"]) / "console.ini"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(f"[technician]\nname=Bench Technik\norganisation=Bench\n"
                            f"[relay]\nurl={console_url}\n")
        self.console = subprocess.Popen(
            [sys.executable, "-m", "console", "--relay", console_url, "--settings",
             str(settings), "--lang", "en"],
            cwd=ROOT, env=tech.env(FERNHILFE_DATA_DIR=str(settings.parent / "console"),
                                   LANG="C.UTF-8"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.agent = AgentApp(AgentConfig(relay_url=agent_url, organisation="Bench"))
        self.screen = QWidget()
        self.screen.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.screen.setAutoFillBackground(True)

    def wait_until(self, pred: Any, timeout: float, what: str) -> float:
        """Keep Qt serving until ``pred()``; returns the monotonic time it held."""
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            self.app.processEvents()
            time.sleep(0.005)
        return time.monotonic()

    def paint(self, index: int) -> tuple[int, int, int]:
        """Turn the customer's screen to colour ``index``; returns it as mss grabs it (BGR)."""
        from PySide6.QtGui import QColor, QPalette

        b, g, r = COLOURS[index % len(COLOURS)]
        pal = self.screen.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(r, g, b))
        self.screen.setPalette(pal)
        self.screen.update()
        self.app.processEvents()
        return COLOURS[index % len(COLOURS)]

    def connect(self) -> None:
        """Code → technician types it → customer clicks Allow → the customer's screen shown."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        agent, tech = self.agent, self.tech
        agent.start()
        self.wait_until(lambda: agent.window.state == "code" and bool(agent.window.code_text()),
                        30, "the code")
        win = ""
        deadline = time.monotonic() + 30
        while not win and time.monotonic() < deadline:
            win = xdo(tech, "search", "--onlyvisible", "--name", "Connect to a customer")
            self.app.processEvents()
        xdo(tech, "windowfocus", "--sync", win.splitlines()[-1])
        xdo(tech, "type", "--delay", "15", agent.window.code_text())
        xdo(tech, "key", "Return")
        self.wait_until(lambda: agent.consent is not None and agent.consent.isVisible(), 30,
                        "the consent dialog")
        QTest.qWait(300)
        assert agent.consent is not None
        QTest.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
        self.wait_until(lambda: agent.overlay is not None, 30, "the session")
        self.screen.setGeometry(0, 0, W, H)
        self.screen.show()
        self.screen.raise_()

    def outcome(self) -> dict[str, Any]:
        """How often the agent resumed, and whether it is still the same session."""
        active = self.agent.worker.active
        return {"resumes": active.resumes if active is not None else None,
                "same_session": active is not None and not active.session.ended}

    def close(self) -> None:
        self.agent._close_session_windows()
        self.agent.worker.stop()
        self.agent.window.close()
        self.screen.close()
        self.console.terminate()
        self.console.wait(10)


def run(customer: XvfbDisplay, tech: XvfbDisplay, args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtTest import QTest

    relay = RelayProcess(free_port())
    relay.start()
    proxy = FreezingProxy("127.0.0.1", relay.port)
    proxy.start()
    rig = SessionRig(customer, tech, f"ws://127.0.0.1:{proxy.port}/v1",
                     f"ws://127.0.0.1:{relay.port}/v1")
    wait_until, paint = rig.wait_until, rig.paint
    results: dict[str, Any] = {"note": "machine shared with other work: the lead re-measures"}
    try:
        rig.connect()
        colour = 0
        with mss.MSS(display=tech.name) as sct:
            bgr = paint(colour)
            wait_until(lambda: grab_has(tech, bgr, sct), 30, "the first picture")
            restart: list[float] = []
            after_up: list[float] = []
            for _ in range(args.trials):
                colour += 1
                t0 = time.monotonic()
                relay.kill()
                bgr = paint(colour)
                relay.start()
                up = time.monotonic()
                t1 = wait_until(lambda b=bgr: grab_has(tech, b, sct), 60, "the picture back")
                restart.append(t1 - t0)
                after_up.append(t1 - up)
                QTest.qWait(500)
            results["relay_restart"] = summary(restart)
            results["relay_restart_after_relay_up"] = summary(after_up)
            freeze: list[float] = []
            for _ in range(args.trials):
                colour += 1
                proxy.freeze()
                bgr = paint(colour)
                QTest.qWait(int(args.freeze * 1000))
                thawed = time.monotonic()
                proxy.thaw()
                t1 = wait_until(lambda b=bgr: grab_has(tech, b, sct), 60, "the picture back")
                freeze.append(t1 - thawed)
                QTest.qWait(500)
            results[f"freeze_{args.freeze:g}s"] = summary(freeze)
        results.update(rig.outcome())
    finally:
        rig.close()
        relay.kill()
    return results


if __name__ == "__main__":
    sys.exit(main())
