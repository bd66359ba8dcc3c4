"""Hostile agent: ``python -m bench.hostile_agent`` prints one JSON object.

A hostile *agent* completes the real handshake through a real relay (loopback), is allowed by the
console, and then streams its worst for ``--seconds``: every update is as expensive as the budgets
of :mod:`shared.codec` allow (the screen size flips between 4096x4096 and 7680x2160 every update,
so the console reallocates its framebuffer each time; full-screen RAW_ZSTD rects that inflate a
few KB to 64 MiB, the screen in the largest baseline JPEG rects allowed, full-screen palette, a
full-screen SOLID plus a full-screen COPY), without waiting for acks. Measured on the real
console (``ConsoleApp`` in a child process on its own Xvfb screen, with a 5 ms ``QTimer`` probe
measuring how late its event loop runs):

- ``console_rss_mb``: peak RSS above idle (``/proc/<pid>/status`` ``VmHWM`` minus the ``VmRSS``
  with the connect window up, before connecting), and the RSS sampled every 50 ms;
- ``gui_stall_ms``: the longest lateness of the probe timer during the flood (p99 too);
- ``end_ms``: the technician's End (the session window's real *End session* action) until the
  hostile agent decrypts the ``End``; the agent keeps flooding meanwhile;
- ``over_budget``: a 27-byte frame of 65535x65535 pixels: how the console ends (reason) and what
  the agent is told.

Targets (issue 9): RSS <= 300 MB above idle, no GUI stall over 200 ms, End within 200 ms.
:class:`HostileAgent` is reused by ``tests/console/test_hostile_agent.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

from bench.support.relay import start_relay
from desktop.loop_thread import LoopThread
from desktop.relay_client import RelayConnection, RelayError
from shared import messages as m
from shared.codec import MAX_JPEG_PIXELS, Encoding
from shared.codec.encode import encode_copy, encode_jpeg, encode_solid
from shared.codes import SessionCode, new_secret
from shared.errors import FernhilfeError
from shared.session import AgentSession, ConsentRequested

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((4096, 4096), (7680, 2160))


def _frame(width: int, height: int, rects: Sequence[tuple[int, int, int, int, int, bytes]]
           ) -> bytes:
    """A FrameUpdate's plaintext (seq filled in later), built without FrameUpdate's checks."""
    parts = [struct.pack(">BHHIH", m.FrameUpdate.TYPE, width, height, 0, len(rects))]
    for x, y, w, h, enc, payload in rects:
        parts.append(struct.pack(">HHHHBI", x, y, w, h, enc, len(payload)) + payload)
    return b"".join(parts)


def _jpeg_strips(img: np.ndarray, w: int, h: int) -> list[tuple[int, int, int, int, int, bytes]]:
    """The screen as the largest JPEG rects allowed; as many as fit of them dense noise (the
    most entropy-coded data libjpeg must work through), the rest smooth."""
    strip = MAX_JPEG_PIXELS // w
    noise = np.random.default_rng(9).integers(0, 256, (strip, w, 4), dtype=np.uint8)
    rects = [(0, y, w, min(strip, h - y), int(Encoding.JPEG), encode_jpeg(img[y : y + strip], 60))
             for y in range(0, h, strip)]
    room = m.MAX_PLAINTEXT - 64 * 1024 - sum(len(r[5]) for r in rects)
    for i, (x, y, rw, rh, enc, smooth) in enumerate(rects):
        dense = encode_jpeg(noise[:rh], 50, "444")
        if len(dense) - len(smooth) <= room:
            rects[i] = (x, y, rw, rh, enc, dense)
            room -= len(dense) - len(smooth)
    return rects


def worst_frames() -> list[bytes]:
    """Legal but as costly as the budgets allow; consecutive updates differ in screen size."""
    frames: list[bytes] = []
    zc = zstandard.ZstdCompressor(level=19)
    for w, h in SIZES:
        yy, xx = np.mgrid[0:h, 0:w]
        img = np.empty((h, w, 4), np.uint8)
        img[..., 0] = (xx * 7 + yy * 3) & 0xFF
        img[..., 1] = (xx ^ yy) & 0xFF
        img[..., 2] = (yy * 5) & 0xFF
        img[..., 3] = 255
        jpegs = _jpeg_strips(img, w, h)
        raw = b"\x04" + zc.compress(np.ascontiguousarray(img).tobytes())
        idx = ((xx + yy) & 0xFF).astype(np.uint8)
        palette = b"\xff" + bytes(range(256)) * 4 + zc.compress(idx.tobytes())
        solid_copy = [(0, 0, w, h, Encoding.SOLID, encode_solid(b"\x10\x20\x30\xff")),
                      (0, 0, w, h, Encoding.COPY, encode_copy(0, 0))]
        for rects in (jpegs,
                      [(0, 0, w, h, Encoding.RAW_ZSTD, raw)],
                      [(0, 0, w, h, Encoding.PALETTE_ZSTD, palette)],
                      solid_copy):
            data = _frame(w, h, rects)
            assert len(data) <= m.MAX_PLAINTEXT, (w, h, len(data))
            frames.append(data)
    # interleave sizes: 4096² JPEG, 7680x2160 JPEG, 4096² RAW, ...
    half = len(frames) // 2
    return [f for pair in zip(frames[:half], frames[half:], strict=True) for f in pair]


#: A 27-byte update claiming a 65535x65535 screen (it used to cost the console 2 GiB).
OVER_BUDGET = _frame(0xFFFF, 0xFFFF, [(0, 0, 0xFFFF, 0xFFFF, Encoding.SOLID, b"\0\0\0\xff")])


class HostileAgent:
    """An agent that plays by the handshake, then floods: ``start()`` returns the code to type.

    Runs on its own asyncio loop thread. After the console allowed it, it sends ``frames`` round
    robin (sealed in order, never waiting for acks) until the console ends the session or
    ``stop()``; meanwhile it decrypts what the console sends and stamps ``end_at`` (monotonic)
    when an ``End`` or ``Error`` arrives. It never answers pings (that would seal out of order).
    ``frames`` are plaintexts of any message type (a FrameUpdate gets its seq stamped);
    ``repeat=False`` sends them once, then only listens (``pings`` counts the console's).
    """

    def __init__(self, relay_url: str, frames: list[bytes], *, repeat: bool = True) -> None:
        self.relay_url = relay_url
        self.frames = frames
        self.repeat = repeat
        self.pings = 0
        self.code = ""
        self.end_at: float | None = None
        self.end_message: m.End | m.Error | None = None
        self.allowed_at: float | None = None
        self.frames_sent = 0
        self.bytes_sent = 0
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._stop = False
        self._task: asyncio.Task[None] | None = None
        self._io = LoopThread("hostile-agent")
        self._io.start()

    def start(self, timeout: float = 15.0) -> str:
        """Host a code on the relay; the returned code is what the technician types."""
        self._io.call(self._begin)
        if not self._ready.wait(timeout) or not self.code:
            raise RuntimeError(f"the hostile agent got no code: {self.error!r}")
        return self.code

    def stop(self) -> None:
        self._stop = True
        self._io.stop(self._shutdown, 5.0)

    def _begin(self) -> None:
        self._task = self._io.loop.create_task(self._run())

    async def _shutdown(self) -> None:
        """Let the flood see ``_stop`` (one send), else cancel; then drop whatever is left."""
        if self._task is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError, Exception):
                await asyncio.wait_for(asyncio.shield(self._task), 1.0)
            self._task.cancel()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.wait(others, timeout=2.0) if others else None

    async def _run(self) -> None:
        try:
            conn = await RelayConnection.open(self.relay_url)
            try:
                await self._session(conn)
            finally:
                with contextlib.suppress(TimeoutError, Exception):
                    await asyncio.wait_for(conn.close(), 1.0)
        except (RelayError, FernhilfeError, OSError) as exc:
            self.error = exc
        finally:
            self._ready.set()

    async def _session(self, conn: RelayConnection) -> None:
        plate = await conn.host()
        code = SessionCode(plate.nameplate, new_secret())
        self.code = code.display()
        self._ready.set()
        await conn.wait_paired()
        session = AgentSession(code, organisation="Hostile Ltd")
        await conn.send(session.start())
        while session.phase.value != "active":
            step = session.receive(await conn.recv())
            for data in step.outgoing:
                await conn.send(data)
            for ev in step.events:
                if isinstance(ev, ConsentRequested):
                    for data in session.decide(True, ev.permissions).outgoing:
                        await conn.send(data)
            if session.ended:
                raise RuntimeError(f"the console ended before the flood: {session.end_reason}")
        self.allowed_at = time.monotonic()
        channel = session._channel  # a hostile agent seals whatever it likes
        assert channel is not None
        listener = asyncio.create_task(self._listen(conn, channel))
        seq = 0
        try:
            while not self._stop and self.end_at is None:
                if not self.repeat and seq >= len(self.frames):
                    await asyncio.sleep(0.05)  # sent them all: only listen now
                    continue
                plain = bytearray(self.frames[seq % len(self.frames)])
                seq += 1
                if plain[0] == m.FrameUpdate.TYPE:
                    struct.pack_into(">I", plain, 5, seq)
                sealed = channel.seal(bytes(plain))
                await conn.send(sealed)
                self.frames_sent += 1
                self.bytes_sent += len(sealed)
        except RelayError:
            pass
        finally:
            if not self._stop:  # the console ended: let the listener see its last word
                with contextlib.suppress(asyncio.TimeoutError, Exception):
                    await asyncio.wait_for(listener, 2.0)
            listener.cancel()

    async def _listen(self, conn: RelayConnection, channel: Any) -> None:
        while True:
            try:
                data = await conn.recv()
            except RelayError:
                return
            msg = m.decode(channel.open(data))
            self.pings += isinstance(msg, m.Ping)
            if isinstance(msg, m.End | m.Error):
                self.end_at = time.monotonic()
                self.end_message = msg
                return


# ------------------------------------------------------------------ the console child process


def console_child(relay_url: str, probe_ms: float) -> None:
    """The real console plus an event-loop lateness probe, driven over stdin/stdout (JSON)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from console.app import ConsoleApp

    app = QApplication(sys.argv[:1])
    settings = tempfile.TemporaryDirectory(prefix="fernhilfe-bench-")  # never the user's
    console = ConsoleApp(relay_url, str(Path(settings.name) / "console.ini"))
    console.start()
    lateness: list[float] = []
    state: dict[str, Any] = {"last": None, "measure": False}

    def probe() -> None:
        now = time.monotonic()
        if state["last"] is not None and state["measure"]:
            lateness.append(max(0.0, (now - state["last"]) * 1000 - probe_ms))
        state["last"] = now

    timer = QTimer()
    timer.setInterval(int(probe_ms))
    timer.timeout.connect(probe)
    timer.start()

    def say(obj: dict[str, Any]) -> None:
        print(json.dumps(obj), flush=True)

    ended: dict[str, str] = {}
    console.worker.ended.connect(lambda r, msg: ended.update(reason=r, message=msg))
    frames = [0]
    console.worker.frame_ready.connect(lambda *a: frames.__setitem__(0, frames[0] + 1))

    def command(line: str) -> None:
        cmd = json.loads(line)
        if "connect" in cmd:
            state["measure"] = True
            console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", cmd["connect"])
        elif "end" in cmd:
            win = console.session_window
            t = time.monotonic()
            if win is not None:
                win.end_action.trigger()  # the real toolbar action
            else:
                console.worker.end_session()
            say({"end_clicked": t, "window": win is not None})
        elif "report" in cmd:
            state["measure"] = False
            lat = sorted(lateness) or [0.0]
            say({"report": {
                "gui_stall_ms": {"max": round(lat[-1], 1),
                                 "p99": round(lat[int(0.99 * (len(lat) - 1))], 1),
                                 "samples": len(lat)},
                "frames_shown": frames[0], "ended": ended}})
        elif "quit" in cmd:
            console.quit()

    lines: list[str] = []
    lock = threading.Lock()

    def reader() -> None:
        for line in sys.stdin:
            with lock:
                lines.append(line)

    threading.Thread(target=reader, daemon=True).start()

    def poll() -> None:
        with lock:
            todo, lines[:] = list(lines), []
        for line in todo:
            command(line)

    poller = QTimer()
    poller.setInterval(20)
    poller.timeout.connect(poll)
    poller.start()
    QTimer.singleShot(1000, lambda: say({"ready": True, "pid": os.getpid()}))
    app.exec()
    console.worker.stop()


# ------------------------------------------------------------------ the bench


def _status(pid: int, key: str) -> float:
    """A ``/proc/<pid>/status`` memory field in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class _Child:
    def __init__(self, relay_url: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.hostile_agent", "--child", relay_url],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)

    def send(self, obj: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(obj) + "\n")
        self.proc.stdin.flush()

    def read(self, key: str) -> Any:
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"the console child exited before {key!r}")
            obj = json.loads(line)
            if key in obj:
                return obj[key]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send({"quit": True})
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_flood(relay_url: str, env: dict[str, str], seconds: float, frames: list[bytes]
              ) -> dict[str, Any]:
    child = _Child(relay_url, env)
    agent = HostileAgent(relay_url, frames)
    try:
        child.read("ready")
        pid = child.proc.pid
        idle = _status(pid, "VmRSS")
        code = agent.start()
        child.send({"connect": code})
        deadline = time.monotonic() + 30
        while agent.allowed_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
        rss: list[float] = []
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end and agent.end_at is None:
            rss.append(_status(pid, "VmRSS"))
            time.sleep(0.05)
        ended_early = agent.end_at is not None
        child.send({"end": True})
        clicked = child.read("end_clicked")
        deadline = time.monotonic() + 5
        while agent.end_at is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.5)
        child.send({"report": True})
        report = child.read("report")
        peak = _status(pid, "VmHWM")
        end_ms = (None if agent.end_at is None or ended_early
                  else round((agent.end_at - clicked) * 1000, 1))
        return {
            "seconds": seconds,
            "frames_sent": agent.frames_sent,
            "mb_sent": round(agent.bytes_sent / 1e6, 1),
            "frames_shown": report["frames_shown"],
            "console_rss_mb": {"idle": round(idle, 1), "peak_above_idle": round(peak - idle, 1),
                               "p50_above_idle": round(statistics.median(rss) - idle, 1)
                               if rss else None},
            "gui_stall_ms": report["gui_stall_ms"],
            "end_ms": end_ms,
            "ended_early": ended_early,
            "console_end_reason": report["ended"].get("reason"),
            "agent_told": type(agent.end_message).__name__ if agent.end_message else None,
        }
    finally:
        agent.stop()
        child.close()


def run_over_budget(relay_url: str, env: dict[str, str]) -> dict[str, Any]:
    child = _Child(relay_url, env)
    agent = HostileAgent(relay_url, [OVER_BUDGET])
    try:
        child.read("ready")
        child.send({"connect": agent.start()})
        deadline = time.monotonic() + 30
        while agent.end_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        child.send({"report": True})
        report = child.read("report")
        msg = agent.end_message
        return {"console_end_reason": report["ended"].get("reason"),
                "agent_told": (f"{type(msg).__name__}({getattr(msg, 'code', '')!s})"
                               if msg else None),
                "agent_message": getattr(msg, "message", None),
                "frames_shown": report["frames_shown"]}
    finally:
        agent.stop()
        child.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--child", metavar="RELAY_URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        console_child(args.child, 5.0)
        return 0
    from bench.support.xvfb import XvfbDisplay

    relay, url = start_relay()
    try:
        with XvfbDisplay(width=1920, height=1080) as display:
            import tempfile

            with tempfile.TemporaryDirectory() as data:
                env = display.env(FERNHILFE_DATA_DIR=data, LANG="C.UTF-8",
                                  QT_QPA_PLATFORM="xcb")
                frames = worst_frames()
                flood = run_flood(url, env, args.seconds, frames)
                over = run_over_budget(url, env)
    finally:
        relay.terminate()
        relay.wait(5)
    result = {
        "bench": "hostile_agent",
        "flood": flood,
        "over_budget": over,
        "frame_mb": [round(len(f) / 1e6, 2) for f in frames],
        "targets": {"rss_above_idle_mb": 300, "gui_stall_ms": 200, "end_ms": 200},
        "meta": {"load_avg_1m": os.getloadavg()[0], "cpus": os.cpu_count()},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
