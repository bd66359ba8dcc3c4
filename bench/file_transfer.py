"""File transfer through the relay while the screen streams: ``python -m bench.file_transfer``
prints one JSON object (issue 17's figures).

What it does, all on loopback through a real ``python -m relay``:

1. **Screen, idle**: the customer's screen is an Xvfb display showing the glass-to-glass
   stimulus (``python -m bench.stimulus``) with its document of text and photographs scrolling
   at 60 Hz (``--screen scroll``) or a full-screen panning photograph (``--screen video``). The
   agent side grabs it with mss and encodes it with the product's ``FrameEncoder`` on a thread
   of its own, seals each update on the network loop (``reserve_frame`` + the driver's
   ``send_job``, as agent/pipeline.py does) and keeps at most ``--frames-in-flight`` unacked;
   the console side acknowledges each on arrival. **Screen latency** = grab → the console's
   session machine handed the update on (one clock: both sides run in this process).
2. **Throughput**: a ``--size-mb`` file of incompressible random bytes, technician → customer,
   through the real :class:`desktop.transfers.TransferPump` on both sides (hashing, reader
   thread, the sender's LEDBAT-like window, writer thread, acks, the hash check), while the
   screen keeps streaming; MB/s from accept to the verified file, and the screen latency
   during the transfer against idle (target: throughput >= 50 MB/s, p50 within 2x of idle).
3. **Interrupted and resumed**: a ``--resume-mb`` file; at half, the relay is SIGKILLed and
   started again on its port (``--interrupt relay``) or the console's link is closed
   (``--interrupt link``); both sides resume the session on a new link, the receiver restates
   how far it got, the sender rewinds there, and the file lands with its sha256 checked.

The two session drivers run in this process with the product's file wiring
(``bench/support/file_sessions.py``), not the agent and console programs: what is measured is the
transfer path (pump, session machine, channel, relay) and its effect on frames sharing the same
link, not the programs' windows. ``--smoke``: tiny sizes, no screen (the test in tests/bench).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.support.file_sessions import Pair, open_pair
from bench.support.relay import RelayProcess, free_port
from desktop.transfers import TransferUpdate
from shared import messages as m
from shared.session import FrameAcked, FrameReceived

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]


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

    def __init__(self, pair: Pair, display: str, in_flight: int) -> None:
        self.pair = pair
        self.display = display
        self.in_flight = in_flight
        self.loop = pair.agent.loop
        self.sent_at: dict[int, float] = {}
        self.latencies: list[tuple[float, float]] = []  # (arrival time, latency)
        self.bytes = 0
        self._credit = threading.Semaphore(in_flight)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-streamer", daemon=True)
        pair.console.on_other = self._console_event
        pair.agent.on_other = self._agent_event

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
        session = self.pair.agent.session
        if not session.sharing or self.pair.agent.link_down:
            self._credit.release()
            return
        self.sent_at[update.seq] = t0
        job = session.reserve_frame(update)
        self.bytes += job.size
        self.pair.agent.send_job(job)

    def _console_event(self, ev: object) -> None:
        if isinstance(ev, FrameReceived):
            now = time.monotonic()
            t0 = self.sent_at.pop(ev.update.seq, None)
            if t0 is not None:
                self.latencies.append((now, now - t0))
            self.pair.console.handle(self.pair.console.session.ack(ev.update.seq))

    def _agent_event(self, ev: object) -> None:
        if isinstance(ev, FrameAcked):
            self._credit.release()

    def between(self, t0: float, t1: float) -> list[float]:
        return [lat for (t, lat) in self.latencies if t0 <= t <= t1]


# ------------------------------------------------------------------ the phases


async def _send_and_wait(pair: Pair, path: Path, timeout: float,
                         on_progress: Any = None) -> tuple[TransferUpdate, float, float]:
    """Technician -> customer: the final update on the customer's side, accept time, end."""
    console, agent = pair.console, pair.agent
    n_before = len(agent.updates)
    console.pump.send_file(path)

    def final() -> TransferUpdate | None:
        for up in agent.updates[n_before:]:
            if up.state in ("completed", "cancelled"):
                return up
        for up in console.updates:
            if up.state == "cancelled" and up.name == path.name:
                return up
        return None

    def started() -> float | None:
        for up in console.updates:
            if up.name == path.name and up.state == "running":
                return time.monotonic()
        return None

    t_start: float | None = None
    deadline = time.monotonic() + timeout
    while (up := final()) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path.name} did not arrive within {timeout} s")
        if t_start is None:
            t_start = started()
        if on_progress is not None:
            await on_progress()
        await asyncio.sleep(0.002)
    return up, t_start or time.monotonic(), time.monotonic()


async def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    relay = RelayProcess(free_port())
    relay.start()
    url = f"ws://127.0.0.1:{relay.port}/v1"
    screen = None if args.smoke or args.screen == "none" else Screen(args.screen, args.width,
                                                                        args.height)
    out: dict[str, Any] = {
        "mode": "session drivers with the product's TransferPump in the bench process "
                "(not the agent/console programs), real relay on loopback",
        "screen": "none" if screen is None else f"{args.screen} {args.width}x{args.height}",
    }
    pair = await open_pair(url, work / "s1")
    streamer = None
    try:
        if screen is not None:
            streamer = Streamer(pair, screen.display.name, args.frames_in_flight)
            streamer.start()
            await asyncio.sleep(args.warmup)
            t0 = time.monotonic()
            await asyncio.sleep(args.idle_seconds)
            idle = streamer.between(t0, time.monotonic())
            out["screen_idle"] = {"frames": len(idle), "p50_ms": _pct(idle, 0.5),
                                  "p95_ms": _pct(idle, 0.95)}

        big = work / "payload.bin"
        sha = _write_random(big, args.size_mb * MB)
        windows: list[tuple[int, float, float]] = []

        async def sample() -> None:
            ids = [u.id for u in pair.console.updates if u.name == big.name and u.id]
            out_file = pair.console.session.outgoing(ids[-1]) if ids else None
            if out_file is not None and out_file.rtt is not None and out_file.min_rtt is not None:
                windows.append((out_file.window, out_file.rtt, out_file.min_rtt))

        up, t_start, t_end = await _send_and_wait(pair, big, args.timeout, sample)
        landed = Path(up.path) if up.path else None
        seconds = max(t_end - t_start, 1e-6)
        out["throughput"] = {
            "direction": "to_customer", "bytes": args.size_mb * MB, "state": up.state,
            "reason": up.reason, "seconds": round(seconds, 3),
            "mb_per_s": round(args.size_mb / seconds, 1),
            "sha256_ok": bool(landed and _sha256(landed) == sha),
            "sender_window_mib_p50": round(statistics.median(w for w, _, _ in windows) / MB, 2)
            if windows else None,
            "ack_rtt_ms_p50": _pct([r for _, r, _ in windows], 0.5),
            "ack_min_rtt_ms": _pct([m for _, _, m in windows], 0.0),
        }
        if streamer is not None:
            during = streamer.between(t_start, t_end)
            p50, idle_p50 = _pct(during, 0.5), out["screen_idle"]["p50_ms"]
            out["screen_during_transfer"] = {
                "frames": len(during), "p50_ms": p50, "p95_ms": _pct(during, 0.95),
                "p50_vs_idle": round(p50 / idle_p50, 2) if p50 and idle_p50 else None,
                "fps": round(len(during) / seconds, 1)}
        if landed:
            landed.unlink()
        big.unlink()

        # Interrupted at half, resumed on a new link in the same session.
        big = work / "resume.bin"
        sha = _write_random(big, args.resume_mb * MB)
        size = args.resume_mb * MB
        cut: dict[str, float] = {}

        async def interrupt() -> None:
            if cut:
                return
            ids = [u.id for u in pair.agent.updates if u.name == big.name]
            incoming = pair.agent.session.incoming(ids[-1]) if ids else None
            if incoming is not None and incoming.received >= size // 2:
                cut["at_bytes"] = incoming.received
                cut["t"] = time.monotonic()
                if args.interrupt == "relay":
                    relay.kill()
                    relay.start()
                else:
                    conn = pair.console._conn
                    if conn is not None:
                        await conn.close()

        up, t_start, t_end = await _send_and_wait(pair, big, args.timeout, interrupt)
        landed = Path(up.path) if up.path else None
        ids = [u.id for u in pair.console.updates if u.name == big.name and u.id]
        offsets = [off for (i, off) in pair.console.accepted if ids and i == ids[-1]]
        resumed_from = offsets[1:]  # the first accept is at 0
        out["resume"] = {
            "bytes": size, "interrupt": args.interrupt, "state": up.state,
            "reason": up.reason, "received_at_cut": int(cut.get("at_bytes", 0)),
            "resumed_from": resumed_from[-1] if resumed_from else None,
            "seconds_total": round(t_end - t_start, 2),
            "seconds_after_cut": round(t_end - cut["t"], 2) if cut else None,
            "link_resumes": pair.agent.resumes,
            "sha256_ok": bool(landed and _sha256(landed) == sha),
        }
        if landed:
            landed.unlink()
        big.unlink()
    finally:
        if streamer is not None:
            streamer.stop()
        await pair.end()
        if screen is not None:
            screen.stop()
        relay.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--resume-mb", type=int, default=500)
    parser.add_argument("--interrupt", choices=("relay", "link"), default="relay")
    parser.add_argument("--screen", choices=("scroll", "video", "none"), default="scroll")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--frames-in-flight", type=int, default=2)
    parser.add_argument("--idle-seconds", type=float, default=4.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, no screen")
    args = parser.parse_args(argv)
    if args.smoke:
        args.size_mb, args.resume_mb, args.timeout = 8, 24, 60.0
    with tempfile.TemporaryDirectory(prefix="fh-files-") as tmp:
        result = asyncio.run(measure(args, Path(tmp)))
    result["meta"] = {"load_avg_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                      "argv": sys.argv[1:] if argv is None else argv}
    print(json.dumps(result, indent=1))
    ok = result["throughput"]["sha256_ok"] and result["resume"]["sha256_ok"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
