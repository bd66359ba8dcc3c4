"""Glass-to-glass benchmark: ``python -m bench.glass_to_glass [--quick]`` prints one JSON object.

Measures what a person sees on the technician's screen, with nothing instrumented inside the
product, for Fernhilfe and for x11vnc + TigerVNC's viewer in the same run and the same workload:

* two Xvfb screens, 1920x1080x24: the customer's (runs ``bench/stimulus.py``, a full-screen Qt
  window with a colour marker, a text field and a scrollable document) and the technician's
  (runs our console in fit mode filling the screen, resp. ``xtigervncviewer -FullScreen``);
* a **sampler** process (this module with ``--sampler``) on the technician's screen grabs small
  regions with mss in a loop and clicks with XTest (what xdotool does, without a process start
  per click between the time stamp and the click);
* all time stamps are ``time.monotonic()`` (CLOCK_MONOTONIC, one clock for every process here):
  the stimulus stamps a colour change right after painting it, the sampler stamps the first grab
  that shows it.

Metrics (both systems): screen latency p50/p95 (marker change → visible; split into changes
while the screen is active and after ≥1.2 s of rest), click-to-photon p50/p95 (XTest click on the
marker in the viewer → the stimulus reacts → visible), frames per second seen and bytes per second
sent while the document scrolls at 60 Hz, bytes/s and CPU at rest and while typing, and the time
until a resting screen is pixel-exact on the technician's screen.

How ours runs: relay and console are subprocesses; the **agent runs in this process** (like
tests/e2e) so the bench can read the session code from ``AgentApp.window.code_text()`` and click
the real Allow button (QTest) — OCR is not available. Everything else this process would do (screen
sampling, clicking) runs in subprocesses, so the CPU of this process ≈ the agent's CPU (plus a
Qt event loop that sleeps, and two threads blocked on pipes).

Bytes on the wire: for both systems the kernel's per-socket counters (``ss -tinp``, bytes_sent /
bytes_received) of the customer side's TCP connection: the agent's websocket to the relay,
x11vnc's socket to the viewer. The relay's Prometheus counter is reported as a cross-check.

Needs Debian packages: xvfb xdotool x11vnc tigervnc-viewer (``apt-get install -y xvfb xdotool
x11vnc tigervnc-viewer``). Runs about 2–3 minutes; uses loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import queue
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
W, H = 1920, 1080
PACKAGES = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "x11vnc": "x11vnc",
    "xtigervncviewer": "tigervnc-viewer",
    "ss": "iproute2",
}
TARGETS = {
    "screen_latency_p50_ratio_max": 0.6,
    "click_to_photon_p50_ratio_max": 0.8,
    "scroll_fps_ratio_min": 2.0,
    "scroll_bytes_ratio_max": 0.3,
    "idle_agent_cpu_pct_max": 2.0,
    "idle_bytes_per_s_max": 1024,
    "convergence_s_max": 0.5,
}


# ====================================================================== sampler (subprocess)


def _grab(sct: Any, box: list[int]) -> np.ndarray:
    x, y, w, h = (int(v) for v in box)
    mon = sct.monitors[0]  # clamp: XShmGetImage fails (BadMatch) outside the screen
    x, y = max(0, min(x, mon["width"] - 1)), max(0, min(y, mon["height"] - 1))
    w, h = max(1, min(w, mon["width"] - x)), max(1, min(h, mon["height"] - y))
    shot = sct.grab({"left": int(x), "top": int(y), "width": int(w), "height": int(h)})
    return np.frombuffer(shot.raw, np.uint8).reshape(shot.height, shot.width, 4)


def _matches(img: np.ndarray, rgb: list[int], tol: int = 60) -> bool:
    med = np.median(img[:, :, :3].reshape(-1, 3), axis=0)  # BGR
    want = np.array([rgb[2], rgb[1], rgb[0]], np.float64)
    return bool(np.abs(med - want).max() <= tol)


def _decode_bar(img: np.ndarray, pts: list[tuple[int, int]]) -> int | None:
    """The barcode's 8-bit value, or None if value and complement disagree (a torn paint)."""
    bits = []
    for x, y in pts:
        patch = img[max(0, y - 1) : y + 2, max(0, x - 1) : x + 2, :3]
        bits.append(1 if float(patch.mean()) < 128 else 0)
    half = len(bits) // 2
    if any(a == b for a, b in zip(bits[:half], bits[half:], strict=True)):
        return None
    return sum(b << i for i, b in enumerate(bits[:half]))


def sampler_main() -> int:
    """Sampler on the technician's display: JSON commands on stdin, JSON replies on stdout."""
    import mss
    from Xlib import X
    from Xlib import display as xdisplay
    from Xlib.ext import xtest

    dpy = xdisplay.Display()
    sct = mss.MSS()

    def reply(**kw: Any) -> None:
        sys.stdout.write(json.dumps(kw) + "\n")
        sys.stdout.flush()

    def watch(box: list[int], rgb: list[int], timeout: float, period: float) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            t = time.monotonic()
            if _matches(_grab(sct, box), rgb):
                return t
            time.sleep(period)
        return None

    def move(x: int, y: int) -> None:
        xtest.fake_input(dpy, X.MotionNotify, x=int(x), y=int(y))
        dpy.sync()

    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "quit":
            break
        if op == "locate":  # bounding box of the colour on the whole screen
            mon = sct.monitors[0]
            img = np.frombuffer(sct.grab(mon).raw, np.uint8).reshape(mon["height"], mon["width"], 4)
            r, g, b = cmd["rgb"]
            diff = np.abs(img[:, :, :3].astype(np.int16) - np.array([b, g, r], np.int16))
            ys, xs = np.nonzero(diff.max(axis=2) <= cmd.get("tol", 40))
            if len(xs) < 400:
                reply(box=None)
            else:
                reply(
                    box=[
                        int(xs.min()),
                        int(ys.min()),
                        int(xs.max() - xs.min() + 1),
                        int(ys.max() - ys.min() + 1),
                    ]
                )
        elif op == "watch":  # ready at once, then the first time the box shows the colour
            reply(ready=True)
            reply(seen=watch(cmd["box"], cmd["rgb"], cmd["timeout"], cmd.get("period", 0.001)))
        elif op == "watch_all":  # ready at once, then the first grab where every box shows its
            # colour (bench/session_figures.py: a complete first frame), plus each box's first
            reply(ready=True)
            targets = [(t["box"], t["rgb"]) for t in cmd["targets"]]
            first: list[float | None] = [None] * len(targets)
            seen_all, deadline = None, time.monotonic() + cmd["timeout"]
            while time.monotonic() < deadline:
                t = time.monotonic()
                ok = [_matches(_grab(sct, box), rgb) for box, rgb in targets]
                first = [f if f is not None or not o else t for f, o in zip(first, ok, strict=True)]
                if all(ok):
                    seen_all = t
                    break
                time.sleep(cmd.get("period", 0.002))
            reply(seen=seen_all, first=first)
        elif op == "move":
            move(cmd["x"], cmd["y"])
            reply(ok=True)
        elif op == "click":
            move(cmd["x"], cmd["y"])
            t0 = time.monotonic()
            xtest.fake_input(dpy, X.ButtonPress, 1)
            dpy.sync()
            xtest.fake_input(dpy, X.ButtonRelease, 1)
            dpy.sync()
            reply(
                t0=t0, seen=watch(cmd["box"], cmd["rgb"], cmd["timeout"], cmd.get("period", 0.001))
            )
        elif op == "count":  # distinct customer frames (barcode) and raw changes (doc strip)
            period, end = cmd.get("period", 0.005), time.monotonic() + cmd["duration"]
            bx, by, _bw, _bh = cmd["barbox"]
            pts = [(int(px) - bx, int(py) - by) for px, py in cmd["bits"]]
            last_crc, last_val, candidate = None, None, None
            seen_vals: list[tuple[float, int]] = []
            changes = samples = torn = 0
            while time.monotonic() < end:
                t = time.monotonic()
                crc = zlib.crc32(_grab(sct, cmd["box"]).tobytes())
                bar = _grab(sct, cmd["barbox"])
                samples += 1
                if crc != last_crc:
                    changes += 1
                last_crc = crc
                val = _decode_bar(bar, pts)
                if val is None:
                    torn += 1
                elif val != last_val:
                    if candidate is not None and candidate[1] == val:
                        seen_vals.append(candidate)  # held for two samples: a real frame
                        last_val, candidate = val, None
                    else:
                        candidate = (t, val)
                time.sleep(period)
            reply(changes=changes, values=seen_vals, samples=samples, unreadable=torn)
        elif op == "converge":  # until the region equals the reference (masked), or timeout
            ref = np.load(cmd["ref"])
            ox, oy = cmd["offset"]
            x0, y0, w, h = cmd["box"]  # in customer pixels
            mask = np.ones((h, w), bool)
            for mx, my, mw, mh in cmd.get("mask", []):
                mask[
                    max(0, my - y0) : max(0, my - y0 + mh), max(0, mx - x0) : max(0, mx - x0 + mw)
                ] = False
            want = ref[y0 : y0 + h, x0 : x0 + w, :3]
            deadline = time.monotonic() + cmd["timeout"]
            seen, frac = None, 1.0
            while time.monotonic() < deadline:
                t = time.monotonic()
                got = _grab(sct, [x0 + ox, y0 + oy, w, h])[:, :, :3]
                bad = (got != want).any(axis=2) & mask
                frac = float(bad.mean())
                if frac == 0.0:
                    seen = t
                    break
                time.sleep(0.01)
            reply(seen=seen, mismatch=frac)
    sct.close()
    return 0


# ====================================================================== helpers


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    vals = sorted(values)
    k = (len(vals) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (k - lo)


def ms_stats(values: list[float]) -> dict[str, Any]:
    v = [x * 1000 for x in values]
    return {"p50_ms": _r(pct(v, 0.5)), "p95_ms": _r(pct(v, 0.95)), "n": len(v)}


def _r(x: float | None, nd: int = 1) -> float | None:
    return None if x is None else round(x, nd)


def cpu_seconds(pid: int) -> float:
    """CPU time of all threads of ``pid`` in seconds (schedstat: nanoseconds, not 10 ms ticks)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


class CpuMeter:
    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.t0 = time.monotonic()
        self.c0 = {k: cpu_seconds(p) for k, p in pids.items()}

    def pct(self) -> dict[str, float]:
        span = time.monotonic() - self.t0
        return {
            k: round(100 * (cpu_seconds(p) - self.c0[k]) / span, 2) for k, p in self.pids.items()
        }


def socket_bytes(port_filter: str, pid: int) -> tuple[int, int]:
    """(bytes_sent, bytes_received) summed over ``pid``'s established TCP sockets matching."""
    out = subprocess.run(
        ["ss", "-tinpH", "state", "established", port_filter],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
    sent = recv = 0
    records: list[str] = []
    for line in out.splitlines():
        if line[:1].isspace() and records:
            records[-1] += " " + line
        else:
            records.append(line)
    for rec in records:
        if f"pid={pid}," not in rec:
            continue
        m = re.search(r"bytes_sent:(\d+)", rec)
        n = re.search(r"bytes_received:(\d+)", rec)
        sent += int(m.group(1)) if m else 0
        recv += int(n.group(1)) if n else 0
    return sent, recv


class ByteMeter:
    def __init__(self, port_filter: str, pid: int, extra: Callable[[], int] | None = None):
        self.f, self.pid, self.extra = port_filter, pid, extra
        self.t0 = time.monotonic()
        self.b0 = socket_bytes(port_filter, pid)
        self.e0 = extra() if extra else 0

    def rates(self) -> dict[str, float]:
        span = time.monotonic() - self.t0
        s, r = socket_bytes(self.f, self.pid)
        out: dict[str, float] = {
            "sent_bytes_per_s": round((s - self.b0[0]) / span),
            "received_bytes_per_s": round((r - self.b0[1]) / span),
        }
        if self.extra:
            out["relay_forwarded_agent_to_console_bytes_per_s"] = round(
                (self.extra() - self.e0) / span
            )
        return out


def relay_byte_meter(port: int) -> ByteMeter:
    """Socket byte counters toward the relay on ``port``, cross-checked by its /metrics."""

    def relay_counter() -> int:
        body = (
            urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        )
        m = re.search(
            r'fernhilfe_relay_forwarded_bytes_total\{direction="agent_to_console"\} '
            r"([0-9.e+]+)",
            body,
        )
        return int(float(m.group(1))) if m else 0

    return ByteMeter(f"( dport = :{port} )", os.getpid(), relay_counter)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_proc(proc: subprocess.Popen[Any] | None, timeout: float = 5.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Lines:
    """A subprocess speaking JSON lines on stdout, read by a thread into a queue."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.q: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with contextlib.suppress(ValueError):
                self.q.put(json.loads(line))

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()


# ====================================================================== the bench


class Bench:
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
            [sys.executable, "-m", "bench.glass_to_glass", "--sampler"],
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

    # ------------------------------------------------------------ measurements
    def screen_latency(self, n_active: int, n_rest: int) -> dict[str, Any]:
        mx, my, mw, mh = self.geo["marker"]
        box = self.tech_box(mx + 0.1 * mw, my + 0.1 * mh, 0.4 * mw, 0.4 * mh)
        plan = [("active", self.rnd.uniform(0.2, 0.5)) for _ in range(n_active)]
        plan += [("rest", self.rnd.uniform(1.2, 1.6)) for _ in range(n_rest)]
        self.rnd.shuffle(plan)
        res: dict[str, list[float]] = {"active": [], "rest": []}
        misses = 0
        for kind, gap in plan:
            self.qwait(gap)
            nxt = (self.colour_index + 1) % len(self.geo["palette"])
            self.sampler.send(
                json.dumps(
                    {"op": "watch", "box": box, "timeout": 3.0, "rgb": self.geo["palette"][nxt]}
                )
            )
            self.get(self.sampler, lambda m: "ready" in m, 10)
            ev = self.set_colour(nxt)
            seen = self.get(self.sampler, lambda m: "seen" in m, 10)["seen"]
            if seen is None:
                misses += 1
                continue
            res[kind].append(seen - ev["t"])
        out = ms_stats(res["active"] + res["rest"])
        out["misses"] = misses
        out["active"] = ms_stats(res["active"])
        out["after_rest"] = ms_stats(res["rest"])
        return out

    def click_to_photon(self, n: int) -> dict[str, Any]:
        mx, my, mw, mh = self.geo["marker"]
        box = self.tech_box(mx + 0.1 * mw, my + 0.1 * mh, 0.4 * mw, 0.4 * mh)
        cx, cy = self.to_tech(mx + 0.8 * mw, my + 0.8 * mh)
        self.ask({"op": "move", "x": cx - 20, "y": cy - 20})
        self.qwait(0.3)
        self.ask({"op": "move", "x": cx, "y": cy})
        self.qwait(0.5)
        totals, inputs, screens = [], [], []
        misses = 0
        for _ in range(n):
            self.qwait(self.rnd.uniform(0.3, 0.7))
            while not self.stimulus.q.empty():
                self.stimulus.q.get_nowait()
            nxt = (self.colour_index + 1) % len(self.geo["palette"])
            r = self.ask(
                {
                    "op": "click",
                    "x": cx,
                    "y": cy,
                    "box": box,
                    "timeout": 3.0,
                    "rgb": self.geo["palette"][nxt],
                },
                timeout=10,
            )
            try:
                press = self.get(self.stimulus, lambda m: m.get("event") == "press", 1.0)
                col = self.get(self.stimulus, lambda m: m.get("event") == "colour", 1.0)
            except RuntimeError:
                misses += 1
                continue
            self.colour_index = col["index"]
            if r["seen"] is None:
                misses += 1
                continue
            totals.append(r["seen"] - r["t0"])
            inputs.append(press["t"] - r["t0"])
            screens.append(r["seen"] - col["t"])
        out = ms_stats(totals)
        out["misses"] = misses
        out["input_path"] = ms_stats(inputs)
        out["screen_path"] = ms_stats(screens)
        return out

    def scroll(
        self,
        seconds: float,
        pids: dict[str, int],
        bytes_meter: Callable[[], ByteMeter],
        mode: str = "scroll",
    ) -> dict[str, Any]:
        """``mode``: the stimulus command that starts/stops the 60 Hz ticks: ``scroll`` (the
        document) or ``flood`` (the whole screen, bench/session_figures.py); same counting."""
        dx, dy, _dw, dh = self.geo["doc"]
        box = self.tech_box(dx + 4, dy + 20, 130, dh - 40)
        bx, by, bw, bh = self.geo["barcode"]
        barbox = self.tech_box(bx, by, bw, bh)
        bits = [self.to_tech(bx + (i + 0.5) * bw / 16, by + bh / 2) for i in range(16)]
        self.stim(f"{mode} on", mode)
        self.qwait(1.0)  # warm up: reach steady state
        cpu, net = CpuMeter(pids), bytes_meter()
        r = self.ask(
            {
                "op": "count",
                "box": box,
                "barbox": barbox,
                "bits": bits,
                "duration": seconds,
                "period": 0.004,
            },
            timeout=seconds + 15,
            poll=0.1,
        )
        cpu_pct, rates = cpu.pct(), net.rates()
        stop = self.stim(f"{mode} off", mode)
        ticks: list[float] = stop["tick_times"]
        seen: list[list[float]] = [v for v in r["values"]]
        # each value seen: the latest tick with that number (mod 256) painted before it showed
        lat = []
        for t, val in seen:
            cands = [tt for i, tt in enumerate(ticks) if (i + 1) & 0xFF == val and tt <= t]
            if cands:
                lat.append(t - max(cands))
        times = [t for t, _ in seen]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        gap_p95 = pct(gaps, 0.95)  # None when there are no gaps
        return {
            "fps": _r(len(seen) / seconds),
            "raw_changes_per_s": _r(r["changes"] / seconds),
            "unreadable_samples": r["unreadable"],
            "frame_latency": ms_stats(lat),
            "frame_gap_p95_ms": _r(gap_p95 * 1000 if gap_p95 is not None else None),
            "frame_gap_max_ms": _r(max(gaps) * 1000 if gaps else None),
            "stimulus_hz": _r(stop.get("hz")),
            "sampler_hz": _r(r["samples"] / seconds),
            **rates,
            "cpu_pct": cpu_pct,
        }

    def idle(
        self, seconds: float, pids: dict[str, int], bytes_meter: Callable[[], ByteMeter]
    ) -> dict[str, Any]:
        self.qwait(2.5)  # let adaptive capture rates drop to idle
        cpu, net = CpuMeter(pids), bytes_meter()
        self.qwait(seconds)
        return {**net.rates(), "cpu_pct": cpu.pct()}

    def typing(
        self, seconds: float, pids: dict[str, int], bytes_meter: Callable[[], ByteMeter]
    ) -> dict[str, Any]:
        tx, ty, tw, th = self.geo["typing"]
        self.xdo(self.customer, "mousemove", str(tx + tw // 2), str(ty + th // 2), "click", "1")
        self.stim("clear", "cleared")
        self.qwait(0.5)
        text = "Hallo, hier ist der Techniker. Bitte den Drucker neu starten. " * 4
        n = int(seconds / 0.07)
        cpu, net = CpuMeter(pids), bytes_meter()
        proc = subprocess.Popen(
            ["xdotool", "type", "--delay", "70", text[:n]], env=self.customer.env()
        )
        deadline = time.monotonic() + seconds + 10
        while proc.poll() is None and time.monotonic() < deadline:
            self.qwait(0.1)
        stop_proc(proc)
        return {"chars": n, **net.rates(), "cpu_pct": cpu.pct()}

    def convergence(
        self, offset: tuple[int, int], trials: int, visible: list[int]
    ) -> dict[str, Any]:
        """Scroll briefly, stop; time from the stop until the technician's screen equals the
        customer's screen (exactly, on the overlap ``visible`` in customer pixels)."""
        import mss

        # park the customer's pointer in a corner and mask it (ours draws it into the view)
        px, py = W - 60, H - 60
        self.xdo(self.customer, "mousemove", str(px), str(py))
        mask = [[px - 12, py - 12, 60, 60]]
        results, mismatch = [], []
        ref_path = self.tmp / "ref.npy"
        for _ in range(trials):
            self.stim("scroll on", "scroll")
            self.qwait(0.8)
            stop = self.stim("scroll off", "scroll")
            with mss.MSS(display=self.customer.name) as sct:
                shot = sct.grab(sct.monitors[0])
                ref = np.frombuffer(shot.raw, np.uint8).reshape(shot.height, shot.width, 4)
            np.save(ref_path, ref)
            r = self.ask(
                {
                    "op": "converge",
                    "ref": str(ref_path),
                    "offset": list(offset),
                    "box": visible,
                    "mask": mask,
                    "timeout": 3.0,
                },
                timeout=15,
            )
            if r["seen"] is None:
                mismatch.append(r["mismatch"])
            else:
                results.append(r["seen"] - stop["t"])
            self.qwait(0.3)
        out: dict[str, Any] = {
            "p50_s": _r(pct(results, 0.5), 3),
            "max_s": _r(max(results), 3) if results else None,
            "converged": len(results),
            "trials": trials,
        }
        if mismatch:
            out["unconverged_mismatch_fraction_after_3s"] = [round(x, 5) for x in mismatch]
        return out

    def run_workload(
        self, pids: dict[str, int], bytes_meter: Callable[[], ByteMeter]
    ) -> dict[str, Any]:
        q = self.args.quick
        res: dict[str, Any] = {"scale": round(self.scale, 4), "tech_marker": self.tech_marker}
        res["screen_latency"] = self.screen_latency(6 if q else 14, 4 if q else 10)
        res["click_to_photon"] = self.click_to_photon(6 if q else 16)
        res["scroll"] = self.scroll(4.0 if q else 10.0, pids, bytes_meter)
        res["idle"] = self.idle(4.0 if q else 10.0, pids, bytes_meter)
        res["typing"] = self.typing(3.0 if q else 5.0, pids, bytes_meter)
        return res

    # ------------------------------------------------------------ Fernhilfe
    def start_relay_and_console(
        self,
    ) -> tuple[str, int, subprocess.Popen[Any], subprocess.Popen[Any]]:
        """A relay on loopback and the technician's console on the technician's display."""
        relay = subprocess.Popen(
            [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.procs.append(relay)
        assert relay.stdout is not None
        url = json.loads(relay.stdout.readline())["url"]
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        settings = self.tmp / "console.ini"
        settings.write_text(
            f"[technician]\nname=Bench Technik\norganisation=Bench\n[relay]\nurl={url}\n"
        )
        console = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "console",
                "--relay",
                url,
                "--settings",
                str(settings),
                "--lang",
                "en",
            ],
            cwd=ROOT,
            env=self.tech.env(FERNHILFE_DATA_DIR=str(self.tmp / "console-data"), LANG="C.UTF-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.procs.append(console)
        return url, port, relay, console

    def run_fernhilfe(self) -> dict[str, Any]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from agent.app import AgentApp
        from agent.config import AgentConfig

        url, port, relay, console = self.start_relay_and_console()

        agent = AgentApp(AgentConfig(relay_url=url, organisation="Bench"))
        agent.window.move(0, 0)
        agent.start()
        try:
            self.wait_until(
                lambda: agent.window.state == "code" and bool(agent.window.code_text()),
                20,
                "the session code",
            )
            agent.window.lower()  # what a window manager's minimise does; stimulus on top
            code = agent.window.code_text()
            win = ""
            deadline = time.monotonic() + 20
            while not win and time.monotonic() < deadline:
                win = self.xdo(
                    self.tech, "search", "--onlyvisible", "--name", "Connect to a customer"
                ).split("\n")[-1]
                self.qwait(0.1)
            self.xdo(self.tech, "windowfocus", "--sync", win)
            self.xdo(self.tech, "type", "--delay", "15", code)
            self.xdo(self.tech, "key", "Return")
            self.wait_until(
                lambda: agent.consent is not None and agent.consent.isVisible(),
                20,
                "the consent dialog",
            )
            self.qwait(0.3)
            assert agent.consent is not None
            QTest.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
            self.wait_until(lambda: agent.overlay is not None, 20, "the session to start")
            sw = ""
            deadline = time.monotonic() + 20
            while not sw and time.monotonic() < deadline:
                sw = self.xdo(
                    self.tech, "search", "--onlyvisible", "--name", "Fernhilfe – Session"
                ).split("\n")[-1]
                self.qwait(0.1)
            self.xdo(self.tech, "windowmove", sw, "0", "0")
            self.xdo(self.tech, "windowsize", sw, str(W), str(H))
            self.xdo(self.tech, "windowfocus", sw)
            self.qwait(1.5)
            self.locate()
            pids = {
                "agent": os.getpid(),
                "console": console.pid,
                "relay": relay.pid,
                "stimulus": self.stimulus.proc.pid,
            }

            def meter() -> ByteMeter:
                return relay_byte_meter(port)

            res = self.run_workload(pids, meter)
            res["console_alive_after_workload"] = console.poll() is None
            # Pixel-exact check at 1:1: make the view at least 1920x1080, so fit mode scales by
            # exactly 1 (the window may extend past the screen; there is no window manager).
            self.xdo(self.tech, "windowmove", sw, "0", "-160")
            self.xdo(self.tech, "windowsize", sw, str(W), str(H + 320))
            self.qwait(1.5)
            self.locate()
            res["convergence"] = self.convergence_at_1to1(2 if self.args.quick else 3)
            return res
        finally:
            agent._close_session_windows()
            agent.worker.stop()
            agent.window.close()
            self.qwait(0.5)  # queued "session ended" signals re-show the code window…
            agent.window.close()  # …so close it again, and put the stimulus back on top
            self.qwait(0.2)
            self.stim("raise", "raised")
            stop_proc(console)
            stop_proc(relay)

    def convergence_at_1to1(self, trials: int) -> dict[str, Any]:
        if abs(self.scale - 1.0) > 0.01:
            return {"error": f"view not at 1:1 (scale {self.scale:.3f})"}
        ox, oy = round(self.origin[0]), round(self.origin[1])
        x0, y0 = max(0, -ox), max(0, -oy)
        x1, y1 = min(W, W - ox), min(H, H - oy)
        out = self.convergence((ox, oy), trials, [x0, y0, x1 - x0, y1 - y0])
        out["compared_px"] = [x1 - x0, y1 - y0]
        return out

    # ------------------------------------------------------------ VNC
    def run_vnc(self) -> dict[str, Any]:
        port = free_port()
        x11vnc = subprocess.Popen(
            [
                "x11vnc",
                "-display",
                self.customer.name,
                "-localhost",
                "-rfbport",
                str(port),
                "-nopw",
                "-forever",
                "-shared",
                "-noncache",
                "-quiet",
            ],
            env=self.customer.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.procs.append(x11vnc)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            out = subprocess.run(
                ["ss", "-ltnH", f"( sport = :{port} )"], capture_output=True, text=True, timeout=10
            ).stdout
            if out.strip():
                break
            self.qwait(0.1)
        viewer = subprocess.Popen(
            [
                "xtigervncviewer",
                "-FullScreen",
                "-SecurityTypes",
                "None",
                "-AlertOnFatalError=0",
                f"127.0.0.1::{port}",
            ],
            env=self.tech.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.procs.append(viewer)
        try:
            self.qwait(1.5)
            self.locate()
            pids = {"x11vnc": x11vnc.pid, "viewer": viewer.pid, "stimulus": self.stimulus.proc.pid}

            def meter() -> ByteMeter:
                return ByteMeter(f"( sport = :{port} )", x11vnc.pid)

            res = self.run_workload(pids, meter)
            res["convergence"] = self.convergence_at_1to1(2 if self.args.quick else 3)
            return res
        finally:
            stop_proc(viewer)
            stop_proc(x11vnc)


def missing_tools() -> list[str]:
    return [pkg for exe, pkg in PACKAGES.items() if shutil.which(exe) is None]


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b in (None, 0):
        return None
    return round(a / b, 3)


def summarise(ours: dict[str, Any], vnc: dict[str, Any]) -> dict[str, Any]:
    ratios = {
        "screen_latency_p50": ratio(
            ours["screen_latency"]["p50_ms"], vnc["screen_latency"]["p50_ms"]
        ),
        "click_to_photon_p50": ratio(
            ours["click_to_photon"]["p50_ms"], vnc["click_to_photon"]["p50_ms"]
        ),
        "scroll_fps": ratio(ours["scroll"]["fps"], vnc["scroll"]["fps"]),
        "scroll_bytes_per_s": ratio(
            ours["scroll"]["sent_bytes_per_s"], vnc["scroll"]["sent_bytes_per_s"]
        ),
    }
    idle = ours["idle"]
    idle_bytes = idle["sent_bytes_per_s"] + idle["received_bytes_per_s"]
    conv = ours.get("convergence", {})
    met = {
        "screen_latency_p50": _le(
            ratios["screen_latency_p50"], TARGETS["screen_latency_p50_ratio_max"]
        ),
        "click_to_photon_p50": _le(
            ratios["click_to_photon_p50"], TARGETS["click_to_photon_p50_ratio_max"]
        ),
        "scroll_fps": None
        if ratios["scroll_fps"] is None
        else ratios["scroll_fps"] >= TARGETS["scroll_fps_ratio_min"],
        "scroll_bytes_per_s": _le(ratios["scroll_bytes_per_s"], TARGETS["scroll_bytes_ratio_max"]),
        "idle_agent_cpu": _le(idle["cpu_pct"]["agent"], TARGETS["idle_agent_cpu_pct_max"]),
        "idle_bytes_per_s": idle_bytes < TARGETS["idle_bytes_per_s_max"],
        "convergence_0_5s": bool(
            conv.get("converged") == conv.get("trials")
            and conv.get("max_s") is not None
            and conv["max_s"] <= TARGETS["convergence_s_max"]
        ),
    }
    return {"ratios": ratios, "targets": {"limits": TARGETS, "met": met}}


def _le(x: float | None, limit: float) -> bool | None:
    return None if x is None else x <= limit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.glass_to_glass", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer trials (about 1 minute)")
    parser.add_argument("--only", choices=("fernhilfe", "vnc"), help="run one system only")
    parser.add_argument("--sampler", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sampler:
        return sampler_main()
    missing = missing_tools()
    if missing:
        print(
            f"glass_to_glass: missing tools; install them with:\n"
            f"  apt-get install -y {' '.join(missing)}",
            file=sys.stderr,
        )
        return 2
    bench = Bench(args)
    started = time.monotonic()
    result: dict[str, Any] = {}
    try:
        bench.start()
        if args.only != "vnc":
            result["fernhilfe"] = bench.run_fernhilfe()
        if args.only != "fernhilfe":
            result["vnc"] = bench.run_vnc()
    finally:
        bench.close()
    if "fernhilfe" in result and "vnc" in result:
        result.update(summarise(result["fernhilfe"], result["vnc"]))
    result["meta"] = {
        "seconds": round(time.monotonic() - started, 1),
        "cores": os.cpu_count(),
        "screen": [W, H],
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "quick": args.quick,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
