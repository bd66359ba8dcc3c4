"""Session figures: ``python -m bench.session_figures`` prints one JSON object.

The figures of the product issue, measured like ``bench/glass_to_glass.py`` (whose machinery this
reuses: two 1920x1080 Xvfb screens, ``bench/stimulus.py`` on the customer's, the ``--sampler``
process on the technician's, relay and console as subprocesses, the agent in this process so the
real Allow button can be clicked). Nothing inside the product is instrumented.

1. ``allow_to_full_frame``: the customer clicks the real **Allow** button (QTest, as
   glass_to_glass does) at t0 → the first technician-screen grab on which the four **corner
   markers** of the stimulus (inset 16 px from the screen edges) all show their colours, i.e. the
   console shows the whole customer screen. Repeated over several fresh sessions: each one is
   ended from the overlay's **End session** button, the console's ended-session window is closed
   (WM_DELETE_WINDOW, what its title-bar close button sends), the agent's **Get a new code**
   button is clicked, and the new code is typed into the console. Each session shows the corners
   in another colour combination. The first session only calibrates where the customer's screen
   lands on the technician's (``Bench.locate``) and hosts figures 2 and 3; it is not timed.
2. ``full_screen_change``: the stimulus swaps the whole window between pre-rendered photo-like and
   text-like 1920x1080 images at 60 Hz (``flood`` mode), each tick carrying the frame-counter
   barcode; frames per second seen on the technician's screen are counted from the barcode exactly
   as glass_to_glass counts scrolling (``Bench.scroll``), with bytes/s on the agent's socket
   (``ss``) and CPU per process.
3. ``idle``: agent CPU (% of one core) and bytes/s with a resting screen (``Bench.idle``).

Needs Debian packages xvfb xdotool iproute2. About 1½ minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.g2g.fernhilfe import start_relay_and_console
from bench.g2g.meters import ByteMeter, relay_byte_meter, rounded
from bench.g2g.procs import stop_proc
from bench.g2g.rig import PACKAGES, ROOT, H, W
from bench.g2g.workload import Bench

CONNECT_TITLE = "Connect to a customer"
SESSION_TITLE = "Fernhilfe – Session"


def close_window(display: Any, wid: str) -> None:
    """Ask an X window to close, as a window manager's close button does (WM_DELETE_WINDOW)."""
    from Xlib import X
    from Xlib import display as xdisplay
    from Xlib.protocol import event

    dpy = xdisplay.Display(display.name)
    try:
        win = dpy.create_resource_object("window", int(wid))
        protocols = dpy.intern_atom("WM_PROTOCOLS")
        delete = dpy.intern_atom("WM_DELETE_WINDOW")
        msg = event.ClientMessage(
            window=win, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
        )
        win.send_event(msg, event_mask=X.NoEventMask)
        dpy.flush()
    finally:
        dpy.close()


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class SessionBench(Bench):
    """glass_to_glass's Bench plus session cycling on one relay, console and agent."""

    def tech_window(self, title: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            wid = self.xdo(self.tech, "search", "--onlyvisible", "--name", title).split("\n")[-1]
            if wid:
                return wid
            self.qwait(0.1)
        raise RuntimeError(f"the console window {title!r} did not show")

    def start_fernhilfe(self) -> None:
        from agent.app import AgentApp
        from agent.config import AgentConfig

        url, self.port, self.relay, self.console = start_relay_and_console(self)
        self.agent = AgentApp(AgentConfig(relay_url=url, organisation="Bench"))
        self.agent.window.move(0, 0)
        self.agent.start()

    def stop_fernhilfe(self) -> None:
        agent = getattr(self, "agent", None)
        if agent is not None:
            agent._close_session_windows()
            agent.worker.stop()
            agent.window.close()
            self.qwait(0.5)  # queued "session ended" signals re-show the code window…
            agent.window.close()
            self.qwait(0.2)
        for name in ("console", "relay"):
            with contextlib.suppress(Exception):
                stop_proc(getattr(self, name, None))

    def meter(self) -> ByteMeter:
        return relay_byte_meter(self.port)

    # ------------------------------------------------------------ one session
    def connect(self, k: int, previous_code: str) -> str:
        """Up to the consent dialog: new code shown, corners set, code typed at the console,
        the console's session window placed full-screen. Returns the session window's id."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        agent = self.agent
        if previous_code:
            self.wait_until(lambda: agent.window.state == "ended", 20, "the agent's ended state")
            t_new = time.monotonic()
            QTest.mouseClick(agent.window._action, Qt.MouseButton.LeftButton)  # Get a new code
        self.wait_until(
            lambda: (
                agent.window.state == "code"
                and bool(agent.window.code_text())
                and agent.window.code_text() != previous_code
            ),
            20,
            "a new session code",
        )
        if previous_code:
            self.new_code_ms.append(round((time.monotonic() - t_new) * 1000, 1))
        self.code = agent.window.code_text()
        agent.window.lower()  # what a window manager's minimise does; stimulus on top
        self.stim("raise", "raised")
        self.corners = self.stim(f"corners {k}", "corners")
        win = self.tech_window(CONNECT_TITLE)
        self.xdo(self.tech, "windowfocus", "--sync", win)
        self.xdo(self.tech, "type", "--delay", "15", self.code)
        self.xdo(self.tech, "key", "Return")
        self.wait_until(
            lambda: agent.consent is not None and agent.consent.isVisible(),
            20,
            "the consent dialog",
        )
        sw = self.tech_window(SESSION_TITLE)
        self.xdo(self.tech, "windowmove", sw, "0", "0")
        self.xdo(self.tech, "windowsize", sw, str(W), str(H))
        self.xdo(self.tech, "windowfocus", sw)
        self.qwait(0.5)  # the window is placed and repainted before Allow
        return sw

    def allow(self) -> float:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        consent = self.agent.consent
        assert consent is not None
        t0 = time.monotonic()
        QTest.mouseClick(consent.allow_button, Qt.MouseButton.LeftButton)
        return t0

    def timed_allow(self) -> dict[str, Any]:
        targets = []
        for (x, y, w, h), rgb in zip(self.corners["boxes"], self.corners["colours"], strict=True):
            box = self.tech_box(x + 0.3 * w, y + 0.3 * h, 0.4 * w, 0.4 * h)
            targets.append({"box": box, "rgb": rgb})
        self.sampler.send(
            json.dumps({"op": "watch_all", "targets": targets, "timeout": 20.0, "period": 0.002})
        )
        self.get(self.sampler, lambda m: "ready" in m, 10)
        t0 = self.allow()
        r = self.get(self.sampler, lambda m: "seen" in m, 30)
        return {
            "full_ms": None if r["seen"] is None else round((r["seen"] - t0) * 1000, 1),
            "corner_first_ms": [
                None if f is None else round((f - t0) * 1000, 1) for f in r["first"]
            ],
        }

    def end(self, sw: str) -> None:
        """End from the customer's overlay; close the console's ended-session window."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        overlay = self.agent.overlay
        assert overlay is not None
        QTest.mouseClick(overlay.panel.end_button, Qt.MouseButton.LeftButton)
        self.wait_until(lambda: self.agent.window.state == "ended", 20, "the session to end")
        self.qwait(0.3)  # the console learns it and shows "The session has ended."
        close_window(self.tech, sw)
        self.tech_window(CONNECT_TITLE)

    # ------------------------------------------------------------ the run
    def run(self, sessions: int, flood_s: float, idle_s: float) -> dict[str, Any]:
        self.new_code_ms: list[float] = []
        self.start_fernhilfe()
        pids = {
            "agent": os.getpid(),
            "console": self.console.pid,
            "relay": self.relay.pid,
            "stimulus": self.stimulus.proc.pid,
            "sampler": self.sampler.proc.pid,
        }
        for name in ("customer", "tech"):  # the X servers: capture and painting cost there too
            proc = getattr(self, name)._proc
            if proc is not None:
                pids[f"xvfb_{name}"] = proc.pid
        res: dict[str, Any] = {}
        self.stim("flood prepare", "flood_ready", timeout=60)
        # session 0: calibrate the customer → technician mapping, then figures 2 and 3
        sw = self.connect(0, "")
        self.allow()
        self.wait_until(lambda: self.agent.overlay is not None, 20, "the session to start")
        self.qwait(1.5)
        self.locate()
        res["view"] = {"scale": round(self.scale, 4), "tech_marker": self.tech_marker}
        full = self.scroll(flood_s, pids, self.meter, mode="flood")
        res["full_screen_change"] = {"seconds": flood_s, **full}
        res["idle"] = {"seconds": idle_s, **self.idle(idle_s, pids, self.meter)}
        self.end(sw)
        # sessions 1..n: Allow → complete first frame
        runs, code = [], self.code
        for k in range(1, sessions + 1):
            sw = self.connect(k, code)
            code = self.code
            runs.append(self.timed_allow())
            self.wait_until(lambda: self.agent.overlay is not None, 20, "the session to start")
            self.qwait(0.5)
            self.end(sw)
        full_ms = [r["full_ms"] for r in runs if r["full_ms"] is not None]
        res["allow_to_full_frame"] = {
            "sessions_ms": [r["full_ms"] for r in runs],
            "median_ms": rounded(statistics.median(full_ms)) if full_ms else None,
            "min_ms": min(full_ms) if full_ms else None,
            "max_ms": max(full_ms) if full_ms else None,
            "misses": len(runs) - len(full_ms),
            "corner_first_ms": [r["corner_first_ms"] for r in runs],
            "corner_order": ["top-left", "top-right", "bottom-left", "bottom-right"],
        }
        res["new_code_after_end_ms"] = self.new_code_ms
        res["console_alive"] = self.console.poll() is None
        return res


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout

    # what was measured: the working tree, including other people's uncommitted changes
    dirty = [line[3:] for line in git("status", "--porcelain", "-uno").splitlines() if line]
    return {"head": git("rev-parse", "--short", "HEAD").strip(), "uncommitted": dirty}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.session_figures", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=5, help="timed sessions (default 5)")
    parser.add_argument("--flood-seconds", type=float, default=8.0)
    parser.add_argument("--idle-seconds", type=float, default=15.0)
    args = parser.parse_args(argv)
    need = {"Xvfb", "xdotool", "ss"}
    missing = [pkg for exe, pkg in PACKAGES.items() if exe in need and shutil.which(exe) is None]
    if missing:
        print(
            f"session_figures: missing tools; install them with:\n"
            f"  apt-get install -y {' '.join(missing)}",
            file=sys.stderr,
        )
        return 2
    bench = SessionBench(argparse.Namespace(quick=False, only="fernhilfe"))
    started, load_before = time.monotonic(), load()
    try:
        bench.start()
        try:
            result = bench.run(args.sessions, args.flood_seconds, args.idle_seconds)
        finally:
            bench.stop_fernhilfe()
    finally:
        bench.close()
    result["meta"] = {
        "seconds": round(time.monotonic() - started, 1),
        "cores": os.cpu_count(),
        "screen": [W, H],
        "load_avg_before": load_before,
        "load_avg_after": load(),
        "git": git_state(),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
