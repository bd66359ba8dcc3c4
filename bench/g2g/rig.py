"""The glass-to-glass rig: the screens, the processes on them, and where one shows on the other.

* two Xvfb screens, 1920x1080x24: the customer's runs ``bench/stimulus.py`` (a full-screen Qt
  window with a colour marker, a frame-counter barcode, a text field and a document: commands on
  stdin, every change stamped on stdout); the technician's runs the viewer under test and the
  sampler (:mod:`bench.g2g.sampler`);
* this process's QApplication lives on the customer's screen (the Fernhilfe agent runs in this
  process), so every wait here keeps Qt's event loop turning (:meth:`Rig.qwait`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.g2g.procs import Lines, stop_proc

ROOT = Path(__file__).resolve().parents[2]
W, H = 1920, 1080
#: The programs the benches start, and the Debian package of each.
PACKAGES = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "x11vnc": "x11vnc",
    "xtigervncviewer": "tigervnc-viewer",
    "ss": "iproute2",
}


def missing_tools() -> list[str]:
    """Debian packages to install before the glass-to-glass bench can run."""
    return [pkg for exe, pkg in PACKAGES.items() if shutil.which(exe) is None]


class Rig:
    """Two Xvfb screens, this process's QApplication (on the customer's screen, where the agent
    runs), the stimulus on the customer's screen and the sampler on the technician's; and the
    mapping from customer to technician pixels once :meth:`locate` found the marker."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="g2g-"))
        self.procs: list[subprocess.Popen[Any]] = []
        self.rnd = random.Random(5)
        self.colour_index = 0

    # ------------------------------------------------------------ Qt-friendly waiting
    def qwait(self, seconds: float) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        from bench.stimulus import GUARD

        GUARD.top_up()  # PySide6 6.12.0 None refcount bug, see bench/stimulus.py
        loop = QEventLoop()
        QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
        loop.exec()

    def wait_until(
        self, pred: Callable[[], bool], timeout: float, what: str, poll: float = 0.05
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pred():
                return
            self.qwait(poll)
        raise RuntimeError(f"timed out waiting for {what}")

    def get(
        self,
        lines: Lines,
        pred: Callable[[dict[str, Any]], bool],
        timeout: float,
        poll: float = 0.002,
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = lines.q.get_nowait()
            except queue.Empty:
                self.qwait(poll) if self.qt else time.sleep(poll)
                continue
            if pred(msg):
                return msg
        raise RuntimeError("timed out waiting for a reply")

    def ask(
        self, cmd: dict[str, Any], timeout: float = 15.0, poll: float = 0.002
    ) -> dict[str, Any]:
        self.sampler.send(json.dumps(cmd))
        return self.get(self.sampler, lambda m: True, timeout, poll)

    def stim(self, text: str, event: str, timeout: float = 5.0) -> dict[str, Any]:
        self.stimulus.send(text)
        return self.get(self.stimulus, lambda m: m.get("event") == event, timeout)

    def xdo(self, display: Any, *args: str) -> str:
        return subprocess.run(
            ["xdotool", *args], env=display.env(), capture_output=True, text=True, timeout=20
        ).stdout.strip()

    # ------------------------------------------------------------ setup
    def start(self) -> None:
        from bench.support.xvfb import XvfbDisplay

        self.customer = XvfbDisplay(W, H).start()
        self.tech = XvfbDisplay(W, H).start()
        os.environ["DISPLAY"] = self.customer.name
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        os.environ["FERNHILFE_DATA_DIR"] = str(self.tmp / "agent-data")
        from PySide6.QtWidgets import QApplication

        self.qt = QApplication.instance() or QApplication([sys.argv[0]])
        stim = subprocess.Popen(
            [sys.executable, "-m", "bench.stimulus"],
            cwd=ROOT,
            env=self.customer.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(self.tmp / "stimulus.log").open("w"),
            text=True,
        )
        self.procs.append(stim)
        self.stimulus = Lines(stim)
        ready = self.get(self.stimulus, lambda m: m.get("event") == "ready", 20)
        self.geo = ready
        samp = subprocess.Popen(
            [sys.executable, "-m", "bench.g2g.sampler"],
            cwd=ROOT,
            env=self.tech.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(self.tmp / "sampler.log").open("w"),
            text=True,
        )
        self.procs.append(samp)
        self.sampler = Lines(samp)

    def close(self) -> None:
        for p in reversed(self.procs):
            with contextlib.suppress(Exception):
                stop_proc(p)
        for d in ("tech", "customer"):
            with contextlib.suppress(Exception):
                getattr(self, d).stop()
        for name in ("stimulus", "sampler"):
            log = self.tmp / f"{name}.log"
            if log.exists() and log.stat().st_size:
                print(f"{name} stderr:\n" + log.read_text()[-3000:], file=sys.stderr)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------ geometry
    def locate(self, timeout: float = 20.0) -> None:
        """Find the marker on the technician's screen: the customer→technician mapping."""
        self.set_colour(0)
        deadline = time.monotonic() + timeout
        box, prev = None, None
        mw, mh = self.geo["marker"][2:]
        while time.monotonic() < deadline:
            box = self.ask({"op": "locate", "rgb": self.geo["palette"][0]})["box"]
            # a plausible square marker, found at the same place twice 0.3 s apart (the viewer
            # may still be moving/resizing its window, a first lossy paint may still refine)
            if box and box[2] > 50 and abs(box[2] / mw - box[3] / mh) < 0.03 and box == prev:
                break
            prev, box = box, None
            self.qwait(0.3)
        if not box:
            raise RuntimeError("the marker never showed on the technician's screen")
        mx, my, mw, _mh = self.geo["marker"]
        self.scale = box[2] / mw
        self.origin = (box[0] - mx * self.scale, box[1] - my * self.scale)
        self.tech_marker = box

    def to_tech(self, x: float, y: float) -> tuple[int, int]:
        return (round(self.origin[0] + x * self.scale), round(self.origin[1] + y * self.scale))

    def tech_box(self, x: float, y: float, w: float, h: float) -> list[int]:
        x0, y0 = self.to_tech(x, y)
        return [x0, y0, max(1, round(w * self.scale)), max(1, round(h * self.scale))]

    def set_colour(self, index: int) -> dict[str, Any]:
        self.colour_index = index % len(self.geo["palette"])
        return self.stim(f"colour {self.colour_index}", "colour")
