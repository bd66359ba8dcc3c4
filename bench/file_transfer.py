"""File transfer through the relay while the screen streams: ``python -m bench.file_transfer``
prints one JSON object (issue 17's figures).

Three processes on loopback, as in use: a real ``python -m relay``; the customer's side in this
process; the technician's side in a child process (``--console-side``), so the two programs
do not share a loop, a GIL or a CPU queue they would not share in use.

1. **Screen, idle**: the customer's screen is an Xvfb display showing the glass-to-glass
   stimulus (``python -m bench.stimulus``) with its document of text and photographs scrolling
   at 60 Hz (``--screen scroll``) or a full-screen panning photograph (``--screen video``). The
   customer's side grabs it with mss and encodes it with the product's ``FrameEncoder`` on a
   thread of its own, seals each update on the network loop (``reserve_frame`` + the driver's
   ``send_job``, as agent/pipeline.py does) and keeps at most ``--frames-in-flight`` unacked;
   the technician's side acknowledges each on arrival. **Screen latency** = grab -> the
   console's session machine handed the update on (CLOCK_MONOTONIC is one clock for the
   processes of this machine).
2. **Throughput**, each direction (``--directions``): a ``--size-mb`` file of incompressible
   random bytes through the real :class:`desktop.transfers.TransferPump` on both sides
   (hashing, reader thread, the sender's LEDBAT-like window, writer thread, acks, the hash
   check) while the screen keeps streaming; MB/s from accept to the verified file, and the
   screen latency during the transfer against idle (targets: >= 50 MB/s; p50 within 2x of
   idle). ``to_technician`` is the hard one for the screen: file and frames share the
   customer's uplink.
3. **Interrupted and resumed**: a ``--resume-mb`` file, technician -> customer; at half the
   relay is SIGKILLed and started again on its port (``--interrupt relay``) or the
   technician's link is closed (``--interrupt link``); both sides resume the session on a new
   link, the receiver restates how far it got, the sender rewinds there, and the file lands
   with its sha256 checked.

``--agent program`` (the default when this checkout's agent has its files wiring, issue 17's
agent lane): the customer's side is the real agent program (``AgentApp``) in this process, its
consent dialog's "receive files" box and Allow button clicked, its own screen pipeline streaming
(phases 1, 2 technician -> customer, 3). ``--agent drivers``: the customer's side is the
product's session driver with the programs' file wiring (``bench/support/file_sessions.py``),
fed by a grab/encode thread like the agent's; this mode also measures customer -> technician.
The technician's side is always that driver, in the child process. ``--smoke``: small files, no
screen, drivers (the test in tests/bench).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.support.file_sessions import (
    PumpSide,
    agent_side,
    console_side,
    host_code,
    until,
)
from bench.support.relay import RelayProcess, free_port, stop_process
from desktop.relay_client import RelayConnection
from shared import messages as m
from shared.codes import parse_code
from shared.session import FileAccepted, FrameAcked, FrameReceived, Phase

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]
FINAL = ("completed", "cancelled")


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def _write_random(path: Path, size: int) -> str:
    """Incompressible bytes (os.urandom), written in blocks; their sha256."""
    digest = hashlib.sha256()
    with path.open("wb") as f:
        left = size
        while left:
            block = os.urandom(min(4 * MB, left))
            digest.update(block)
            f.write(block)
            left -= len(block)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(4 * MB):
            digest.update(block)
    return digest.hexdigest()


# ------------------------------------------------------------------ the screen


class Screen:
    """An Xvfb display with the stimulus moving on it (a real X client)."""

    def __init__(self, kind: str, width: int, height: int) -> None:
        from bench.support.xvfb import XvfbDisplay

        self.display = XvfbDisplay(width=width, height=height).start()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.stimulus"], cwd=ROOT,
            env=self.display.env(LANG="C.UTF-8"), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        while json.loads(self.proc.stdout.readline()).get("event") != "ready":
            pass
        self.proc.stdin.write(f"{kind} on\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        from bench.support.relay import stop_process

        stop_process(self.proc)
        self.display.stop()


class Streamer:
    """Grab, encode, send: the agent's screen pipeline reduced to its costs and its credit."""

    def __init__(self, agent: PumpSide, display: str, in_flight: int) -> None:
        self.agent = agent
        self.display = display
        self.loop = agent.loop
        self.sent_at: dict[int, float] = {}
        self._credit = threading.Semaphore(in_flight)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-streamer", daemon=True)
        agent.on_other = self._agent_event

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._credit.release()
        self._thread.join(10)

    def _run(self) -> None:
        import mss
        import numpy as np

        from shared.codec.frame import FrameEncoder

        encoder = FrameEncoder(quality=75)
        seq = 0
        with mss.MSS(display=self.display) as sct:
            mon = sct.monitors[1]
            while not self._stop.is_set():
                if not self._credit.acquire(timeout=1.0):
                    continue
                if self._stop.is_set():
                    return
                t0 = time.monotonic()
                frame = np.asarray(sct.grab(mon))
                rects, _changed = encoder.encode(frame, t0)
                if not rects:
                    self._credit.release()
                    time.sleep(0.005)
                    continue
                seq += 1
                update = m.FrameUpdate(frame.shape[1], frame.shape[0], tuple(rects), seq)
                self.loop.call_soon_threadsafe(self._send, update, t0)

    def _send(self, update: m.FrameUpdate, t0: float) -> None:
        session = self.agent.session
        if not session.sharing or self.agent.link_down:
            self._credit.release()
            return
        self.sent_at[update.seq] = t0
        self.agent.send_job(session.reserve_frame(update))

    def _agent_event(self, ev: object) -> None:
        if isinstance(ev, FrameAcked):
            self._credit.release()


# ------------------------------------------------------------------ the technician's process


class Reporting(PumpSide):
    """The console side, telling the bench process what happens as JSON lines on stdout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pump.sink = self._report_sink
        self.on_other = self._frame

    @staticmethod
    def emit(obj: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def _report_sink(self, ev: object) -> None:
        self._sink(ev)
        if dataclasses.is_dataclass(ev) and not isinstance(ev, type):
            self.emit({"e": "update", "t": time.monotonic(), **dataclasses.asdict(ev)})

    def _frame(self, ev: object) -> None:
        if isinstance(ev, FrameReceived):
            self.emit({"e": "frame", "seq": ev.update.seq, "t": time.monotonic()})
            self.handle(self.session.ack(ev.update.seq))

    def on_event(self, ev: object) -> None:
        if isinstance(ev, FileAccepted):
            self.emit({"e": "accepted", "id": ev.id, "offset": ev.offset})
        super().on_event(ev)


async def console_main(url: str, code_text: str, root: Path) -> None:
    """``--console-side``: join, run the technician's side, obey stdin (send PATH, cut, end)."""
    loop = asyncio.get_running_loop()
    code = parse_code(code_text)
    conn = await RelayConnection.open(url)
    await conn.join(code.nameplate)
    side = console_side(code, root, loop, cls=Reporting)
    assert isinstance(side, Reporting)
    side.relay_url = url
    run = asyncio.ensure_future(side.run(conn))

    def command(line: str) -> None:
        word, _, arg = line.strip().partition(" ")
        if word == "send":
            side.pump.send_file(Path(arg))
        elif word == "cut" and side._conn is not None:
            side.spawn(side._conn.close())
        elif word == "end":
            side.end("technician_ended")

    def read_stdin() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(command, line)
        loop.call_soon_threadsafe(command, "end")

    threading.Thread(target=read_stdin, daemon=True).start()

    async def windows() -> None:
        while not side.session.ended:
            for up in side.updates[-8:]:
                out = side.session.outgoing(up.id) if not up.incoming else None
                if out is not None and out.rtt is not None and out.min_rtt is not None:
                    side.emit({"e": "window", "t": time.monotonic(), "window": out.window,
                               "rtt": out.rtt, "min_rtt": out.min_rtt})
                    break
            await asyncio.sleep(0.02)

    with contextlib.suppress(TimeoutError):
        await until(lambda: side.session.phase is Phase.ACTIVE or side.session.ended, 20)
    side.emit({"e": "active", "ok": not side.session.ended})
    sampler = asyncio.ensure_future(windows())
    await run
    sampler.cancel()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(conn.close(), 2)
    side.emit({"e": "ended"})


class Remote:
    """The technician's process as the bench sees it: its lines, parsed as they come."""

    def __init__(self, url: str, code: str, root: Path) -> None:
        self.frames: dict[int, float] = {}
        self.updates: list[dict[str, Any]] = []
        self.accepted: list[tuple[int, int]] = []
        self.windows: list[tuple[float, int, float, float]] = []
        self.active: bool | None = None
        self.ended = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.file_transfer", "--console-side", url, code, str(root)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            ev = json.loads(line)
            kind = ev.pop("e")
            if kind == "frame":
                self.frames[ev["seq"]] = ev["t"]
            elif kind == "update":
                self.updates.append(ev)
            elif kind == "accepted":
                self.accepted.append((ev["id"], ev["offset"]))
            elif kind == "window":
                self.windows.append((ev["t"], ev["window"], ev["rtt"], ev["min_rtt"]))
            elif kind == "active":
                self.active = ev["ok"]
            elif kind == "ended":
                self.ended = True

    def say(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.say("end")
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            stop_process(self.proc)


# ------------------------------------------------------------------ the phases


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.relay = RelayProcess(free_port())
        self.url = f"ws://127.0.0.1:{self.relay.port}/v1"
        self.streamer: Streamer | None = None
        self.agent: PumpSide
        self.remote: Remote

    def latencies(self, t0: float, t1: float) -> list[float]:
        if self.streamer is None:
            return []
        sent = self.streamer.sent_at
        return [t - sent[seq] for seq, t in list(self.remote.frames.items())
                if seq in sent and t0 <= t <= t1]

    def screen_figures(self, t0: float, t1: float) -> dict[str, Any]:
        lat = self.latencies(t0, t1)
        return {"frames": len(lat), "fps": round(len(lat) / max(t1 - t0, 1e-6), 1),
                "p50_ms": _pct(lat, 0.5), "p95_ms": _pct(lat, 0.95)}

    async def transfer(self, direction: str, path: Path, timeout: float,
                       during: Callable[[], Any] | None = None) -> dict[str, Any]:
        """Move ``path`` one way; when it started running, ended, and the final updates."""
        agent, remote = self.agent, self.remote
        a0, r0 = len(agent.updates), len(remote.updates)
        if direction == "to_customer":
            remote.say(f"send {path}")
        else:
            agent.pump.send_file(path)
        t_start: float | None = None
        windows: list[tuple[int, float, float]] = []
        deadline = time.monotonic() + timeout

        def state(u: Any) -> str:
            return str(u["state"] if isinstance(u, dict) else u.state)

        def mine(ups: list[Any]) -> list[Any]:
            return [u for u in ups if (u["name"] if isinstance(u, dict) else u.name) == path.name]

        while True:
            a_ups, r_ups = mine(agent.updates[a0:]), mine(remote.updates[r0:])
            receiver = a_ups if direction == "to_customer" else r_ups
            sender = r_ups if direction == "to_customer" else a_ups
            if any(state(u) in FINAL for u in receiver) or any(
                    state(u) == "cancelled" for u in sender):
                break
            if t_start is None and any(state(u) == "running" for u in sender):
                t_start = time.monotonic()
            if direction == "to_technician" and a_ups:
                out = agent.session.outgoing(a_ups[0].id)
                if out is not None and out.rtt is not None and out.min_rtt is not None:
                    windows.append((out.window, out.rtt, out.min_rtt))
            if during is not None:
                await during()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path.name} did not arrive within {timeout} s")
            await asyncio.sleep(0.002)
        t_end = time.monotonic()
        t_start = t_start or t_end
        if direction == "to_customer":
            windows = [(w, r, mn) for (t, w, r, mn) in remote.windows if t_start <= t <= t_end]
        final = next((u for u in receiver if state(u) in FINAL), None) or sender[-1]
        as_dict = final if isinstance(final, dict) else dataclasses.asdict(final)
        return {"final": as_dict, "t_start": t_start, "t_end": t_end, "windows": windows,
                "sender_ids": sorted({(u["id"] if isinstance(u, dict) else u.id)
                                      for u in sender})}

    async def throughput(self, direction: str, idle: dict[str, Any] | None) -> dict[str, Any]:
        size = self.args.size_mb * MB
        path = self.work / f"payload-{direction}.bin"
        sha = _write_random(path, size)
        got = await self.transfer(direction, path, self.args.timeout)
        final, seconds = got["final"], max(got["t_end"] - got["t_start"], 1e-6)
        landed = Path(final["path"]) if final.get("path") else None
        windows = got["windows"]
        out: dict[str, Any] = {
            "bytes": size, "state": final["state"], "reason": final["reason"],
            "seconds": round(seconds, 3), "mb_per_s": round(self.args.size_mb / seconds, 1),
            "sha256_ok": bool(landed and _sha256(landed) == sha),
            "sender_window_mib_p50": round(statistics.median(w for w, _, _ in windows) / MB, 2)
            if windows else None,
            "ack_rtt_ms_p50": _pct([r for _, r, _ in windows], 0.5),
            "ack_min_rtt_ms": _pct([mn for _, _, mn in windows], 0.0),
        }
        if self.streamer is not None and idle is not None:
            screen = self.screen_figures(got["t_start"], got["t_end"])
            idle_p50 = idle["p50_ms"]
            screen["p50_vs_idle"] = (round(screen["p50_ms"] / idle_p50, 2)
                                     if screen["p50_ms"] and idle_p50 else None)
            out["screen_during"] = screen
        for p in (landed, path):
            if p is not None:
                p.unlink(missing_ok=True)
        return out

    async def resume(self) -> dict[str, Any]:
        args, agent = self.args, self.agent
        size = args.resume_mb * MB
        path = self.work / "resume.bin"
        sha = _write_random(path, size)
        cut: dict[str, float] = {}

        async def interrupt() -> None:
            if cut:
                return
            ids = [u.id for u in agent.updates if u.name == path.name]
            incoming = agent.session.incoming(ids[-1]) if ids else None
            if incoming is not None and incoming.received >= size // 2:
                cut["at"], cut["t"] = incoming.received, time.monotonic()
                if args.interrupt == "relay":
                    self.relay.kill()
                    self.relay.start()
                else:
                    self.remote.say("cut")

        got = await self.transfer("to_customer", path, args.timeout, interrupt)
        final = got["final"]
        landed = Path(final["path"]) if final.get("path") else None
        ids = got["sender_ids"]
        offsets = [off for (i, off) in self.remote.accepted if ids and i == ids[-1]]
        out = {
            "bytes": size, "interrupt": args.interrupt, "state": final["state"],
            "reason": final["reason"], "received_at_cut": int(cut.get("at", 0)),
            "resumed_from": offsets[-1] if len(offsets) > 1 else None,
            "seconds_total": round(got["t_end"] - got["t_start"], 2),
            "seconds_after_cut": round(got["t_end"] - cut["t"], 2) if cut else None,
            "link_resumes": agent.resumes,
            "sha256_ok": bool(landed and _sha256(landed) == sha),
        }
        for p in (landed, path):
            if p is not None:
                p.unlink(missing_ok=True)
        return out

    async def run(self) -> dict[str, Any]:
        args = self.args
        self.relay.start()
        screen = None if args.smoke or args.screen == "none" else Screen(
            args.screen, args.width, args.height)
        out: dict[str, Any] = {
            "mode": "the product's session drivers and TransferPump: customer's side in the "
                    "bench process, technician's side in a child process, real relay on "
                    "loopback (not the agent/console programs with their windows)",
            "screen": "none" if screen is None else f"{args.screen} {args.width}x{args.height}",
        }
        loop = asyncio.get_running_loop()
        aconn, code = await host_code(self.url)
        self.remote = Remote(self.url, code.display(), self.work / "technician-side")
        run = None
        try:
            await aconn.wait_paired()
            self.agent = agent_side(code, self.work / "customer-side", loop)
            self.agent.relay_url = self.url
            run = asyncio.ensure_future(self.agent.run(aconn))
            await until(lambda: self.agent.session.phase is Phase.ACTIVE
                        and self.remote.active is not None, 20)
            idle = None
            if screen is not None:
                self.streamer = Streamer(self.agent, screen.display.name, args.frames_in_flight)
                self.streamer.start()
                await asyncio.sleep(args.warmup)
                t0 = time.monotonic()
                await asyncio.sleep(args.idle_seconds)
                idle = out["screen_idle"] = self.screen_figures(t0, time.monotonic())
            out["throughput"] = {d: await self.throughput(d, idle) for d in args.directions}
            out["resume"] = await self.resume()
        finally:
            if self.streamer is not None:
                self.streamer.stop()
            self.remote.stop()
            if run is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(run, 10)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(aconn.close(), 2)
            if screen is not None:
                screen.stop()
            self.relay.stop()
        return out


# ------------------------------------------------------------------ the real agent program


def _has_agent_files() -> bool:
    """Whether this checkout's agent has the files wiring (issue 17's agent lane merged)."""
    import importlib.util

    return importlib.util.find_spec("agent.ui.files_panel") is not None


def run_program(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """``--agent program``: the real agent (``AgentApp``) in this process on the customer's Xvfb,
    its consent dialog's "receive files" box and Allow button clicked (QTest), its own screen
    pipeline streaming the stimulus; the technician's side is the child process. Screen latency
    as in the driver mode: the agent's streamer began encoding an update (right after its grab)
    -> the console's session machine handed it on (probes around
    ``ScreenStreamer._send_backlog`` and ``AgentSession.reserve_frame``/``seal_frame`` in this
    process only)."""
    screen = Screen(args.screen if args.screen != "none" else "scroll", args.width, args.height)
    os.environ.update(DISPLAY=screen.display.name, QT_QPA_PLATFORM="xcb",
                      XDG_DOWNLOAD_DIR=str(work / "Downloads"),
                      FERNHILFE_DATA_DIR=str(work / "agent-data"))
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from agent.app import AgentApp
    from agent.config import AgentConfig
    from agent.pipeline import ScreenStreamer
    from shared.session import AgentSession

    # Probes in this process only: when the streamer began encoding an update (right after its
    # grab), found again by its first rect when the driver seals it under its wire seq.
    grabbed: dict[int, float] = {}
    sealed: dict[int, float] = {}
    hand_on = ScreenStreamer._send_backlog

    def stamp_grab(self: ScreenStreamer) -> bool:
        part = self._backlog[0] if self._backlog else None  # the next to go, if it may
        if part is not None and part.rects and part.started is not None:
            grabbed[id(part.rects[0])] = part.started
            while len(grabbed) > 1000:
                del grabbed[next(iter(grabbed))]
        return hand_on(self)

    ScreenStreamer._send_backlog = stamp_grab  # type: ignore[method-assign]
    for name in ("reserve_frame", "seal_frame"):
        original = getattr(AgentSession, name)

        def stamped(self: AgentSession, update: m.FrameUpdate, _o: Any = original) -> Any:
            t = grabbed.pop(id(update.rects[0]), None) if update.rects else None
            sealed[update.seq] = time.monotonic() if t is None else t
            return _o(self, update)

        setattr(AgentSession, name, stamped)

    app = QApplication.instance() or QApplication([])

    def wait(cond: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for {what}")
            app.processEvents()
            time.sleep(0.002)

    def pause(seconds: float) -> None:
        end = time.monotonic() + seconds
        wait(lambda: time.monotonic() >= end, seconds + 1, "a pause")

    relay = RelayProcess(free_port())
    relay.start()
    url = f"ws://127.0.0.1:{relay.port}/v1"
    agent = AgentApp(AgentConfig(relay_url=url, organisation="Bench"))
    agent.window.move(0, 0)
    agent.start()
    remote: Remote | None = None
    out: dict[str, Any] = {
        "mode": "the real agent program (AgentApp, real consent clicks) in the bench process, "
                "the technician's side (session driver + TransferPump) in a child process, "
                "real relay on loopback",
        "screen": f"{args.screen} {args.width}x{args.height}",
    }
    try:
        wait(lambda: agent.window.state == "code" and bool(agent.window.code_text()), 20,
             "the code")
        remote = Remote(url, agent.window.code_text(), work / "technician-side")
        wait(lambda: agent.consent is not None, 20, "the consent dialog")
        dialog = agent.consent
        assert dialog is not None
        box = vars(dialog)["optional_boxes"]["files_in"]  # (issue 17 agent lane)
        if not box.isChecked():
            QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        QTest.mouseClick(dialog.allow_button, Qt.MouseButton.LeftButton)
        wait(lambda: agent.overlay is not None and remote is not None and bool(remote.active),
             20, "the session")
        pause(args.warmup)

        def latencies(t0: float, t1: float) -> list[float]:
            assert remote is not None
            return [t - sealed[seq] for seq, t in list(remote.frames.items())
                    if seq in sealed and t0 <= t <= t1]

        def figures(t0: float, t1: float) -> dict[str, Any]:
            lat = latencies(t0, t1)
            return {"frames": len(lat), "fps": round(len(lat) / max(t1 - t0, 1e-6), 1),
                    "p50_ms": _pct(lat, 0.5), "p95_ms": _pct(lat, 0.95)}

        t0 = time.monotonic()
        pause(args.idle_seconds)
        idle = out["screen_idle"] = figures(t0, time.monotonic())
        folder = work / "Downloads" / "Fernhilfe"

        def send(path: Path, during: Callable[[], None] | None = None) -> dict[str, Any]:
            assert remote is not None
            n = len(remote.updates)
            remote.say(f"send {path}")

            def mine() -> list[dict[str, Any]]:
                assert remote is not None
                return [u for u in remote.updates[n:] if u["name"] == path.name]

            def over() -> bool:
                if during is not None:
                    during()
                return any(u["state"] in FINAL for u in mine())

            wait(over, args.timeout, path.name)
            ups = mine()
            running = [u["t"] for u in ups if u["state"] == "running"]
            final = next(u for u in ups if u["state"] in FINAL)
            return {"final": final, "t_start": running[0] if running else final["t"],
                    "t_end": final["t"], "id": final["id"]}

        size = args.size_mb * MB
        path = work / "payload-to_customer.bin"
        sha = _write_random(path, size)
        got = send(path)
        seconds = max(got["t_end"] - got["t_start"], 1e-6)
        screen_during = figures(got["t_start"], got["t_end"])
        screen_during["p50_vs_idle"] = (round(screen_during["p50_ms"] / idle["p50_ms"], 2)
                                        if screen_during["p50_ms"] and idle["p50_ms"] else None)
        landed = folder / path.name
        # (the sender hears "completed" when the hash matched; the file is renamed right after)
        with contextlib.suppress(TimeoutError):
            wait(landed.exists, 30, "the received file")
        out["throughput"] = {"to_customer": {
            "bytes": size, "state": got["final"]["state"], "reason": got["final"]["reason"],
            "seconds": round(seconds, 3), "mb_per_s": round(args.size_mb / seconds, 1),
            "sha256_ok": landed.exists() and _sha256(landed) == sha,
            "screen_during": screen_during}}
        landed.unlink(missing_ok=True)
        path.unlink()

        size = args.resume_mb * MB
        path = work / "resume.bin"
        sha = _write_random(path, size)
        cut: dict[str, float] = {}

        def interrupt() -> None:
            assert remote is not None
            if cut:
                return
            done = [u["done"] for u in remote.updates if u["name"] == path.name]
            if done and done[-1] >= size // 2:
                cut["at"], cut["t"] = done[-1], time.monotonic()
                if args.interrupt == "relay":
                    relay.kill()
                    relay.start()
                else:
                    remote.say("cut")

        got = send(path, interrupt)
        offsets = [off for (i, off) in remote.accepted if i == got["id"]]
        landed = folder / path.name
        with contextlib.suppress(TimeoutError):
            wait(landed.exists, 30, "the received file")
        out["resume"] = {
            "bytes": size, "interrupt": args.interrupt, "state": got["final"]["state"],
            "reason": got["final"]["reason"], "acked_at_cut": int(cut.get("at", 0)),
            "resumed_from": offsets[-1] if len(offsets) > 1 else None,
            "seconds_total": round(got["t_end"] - got["t_start"], 2),
            "seconds_after_cut": round(got["t_end"] - cut["t"], 2) if cut else None,
            "sha256_ok": landed.exists() and _sha256(landed) == sha,
        }
        landed.unlink(missing_ok=True)
        path.unlink()
    finally:
        if remote is not None:
            remote.stop()
        agent._close_session_windows()
        agent.worker.stop()
        agent.window.close()
        app.processEvents()
        screen.stop()
        relay.stop()
    return out


def _target_queue() -> None:
    """An A/B knob for the sender's LEDBAT target (both processes): FERNHILFE_BENCH_TARGET_MS."""
    value = os.environ.get("FERNHILFE_BENCH_TARGET_MS")
    if value:
        import shared.transfer

        shared.transfer.TARGET_QUEUE = float(value) / 1000


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _target_queue()
    if argv[:1] == ["--console-side"]:
        asyncio.run(console_main(argv[1], argv[2], Path(argv[3])))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--resume-mb", type=int, default=500)
    parser.add_argument("--directions", type=lambda s: s.split(","),
                        default=["to_customer", "to_technician"])
    parser.add_argument("--interrupt", choices=("relay", "link"), default="relay")
    parser.add_argument("--screen", choices=("scroll", "video", "none"), default="scroll")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--frames-in-flight", type=int, default=2)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--agent", choices=("auto", "program", "drivers"), default="auto",
                        help="the real agent program (auto: if this checkout has its files "
                             "wiring) or the session driver in this process")
    parser.add_argument("--smoke", action="store_true", help="small files, no screen")
    parser.add_argument("--target-queue-ms", type=float, default=None,
                        help="A/B: the sender's LEDBAT target instead of shared.transfer's")
    args = parser.parse_args(argv)
    if args.target_queue_ms is not None:
        os.environ["FERNHILFE_BENCH_TARGET_MS"] = str(args.target_queue_ms)  # (the child too)
        _target_queue()
    if args.smoke:
        args.size_mb, args.resume_mb, args.timeout = 8, 24, 60.0
    program = args.agent == "program" or (
        args.agent == "auto" and not args.smoke and _has_agent_files())
    with tempfile.TemporaryDirectory(prefix="fh-files-") as tmp:
        if program:
            result = run_program(args, Path(tmp))
        else:
            result = asyncio.run(Bench(args, Path(tmp)).run())
    import shared.transfer

    result["meta"] = {"load_avg_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                      "target_queue_ms": shared.transfer.TARGET_QUEUE * 1000, "argv": argv}
    print(json.dumps(result, indent=1))
    ok = all(t["sha256_ok"] for t in result["throughput"].values()) and result["resume"][
        "sha256_ok"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
