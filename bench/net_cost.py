"""The network thread alone: CPU per sent update and its ack, over a real relay on loopback.

Run: ``python -m bench.net_cost [--rate 14] [--size 180] [--seconds 8]``. Prints one JSON
object.

Why: issue 16's typing and scroll figures put a large share of the agent's CPU on its network
thread (seal, frame, write each update; read, open and process each ack). The glass-to-glass
benches (:mod:`bench.typing_cost`, :mod:`bench.scroll_threads`) measure it among everything
else on a loaded machine; this one isolates it, so a change to the send or ack path can be
measured in seconds: the real relay (``python -m relay``), the real session machines and
session drivers (:mod:`desktop.session_driver`) of both sides, each on its own
:class:`desktop.loop_thread.LoopThread`, the console acking each update at once (as its window
does after painting), and a "streamer" thread handing updates of ``--size`` bytes to the agent's
loop ``--rate`` times a second exactly as :mod:`agent.driver` does (``call_soon_threadsafe``,
reserve, :meth:`SessionDriver.send_job`; the ack goes to a real
:class:`shared.flow.FlowControl`). Per update: the agent loop thread's CPU (ms, from
``/proc/self/task/<tid>/schedstat``: what the kernel counted) and its wakeups (loop iterations).
No X, no Qt, no capture: the streamer's own cost is not here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.support.relay import start_relay, stop_process
from desktop.audit_store import AuditRecord
from desktop.loop_thread import LoopThread
from desktop.relay_client import RelayConnection
from desktop.session_driver import SessionDriver
from shared import messages as m
from shared.codec import Encoding
from shared.codes import SessionCode
from shared.flow import FlowControl
from shared.session import (
    AgentSession,
    ConsentRequested,
    ConsoleSession,
    FrameAcked,
    FrameReceived,
    PermissionsChanged,
)

CODE = SessionCode("123", "456789")


def thread_cpu(tid: int) -> float:
    """CPU seconds the kernel counted for thread ``tid`` of this process."""
    return int(Path(f"/proc/self/task/{tid}/schedstat").read_text().split()[0]) / 1e9


def thread_sys(tid: int) -> float:
    """Of that, the seconds in the kernel (clock ticks: coarse, fine over a round)."""
    stat = Path(f"/proc/self/task/{tid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[12]) / os.sysconf("SC_CLK_TCK")


class Agent(SessionDriver[AgentSession]):
    """The agent's side of the send and ack path (agent/driver.py), without capture."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.flow = FlowControl(None, None, time.monotonic)
        self.asked = threading.Event()
        self.acked = 0
        self.seq = 0

    def on_event(self, ev: object) -> None:
        if isinstance(ev, ConsentRequested):
            self.asked.set()
        elif isinstance(ev, FrameAcked):
            self.flow.on_ack(ev.seq)
            self.acked = ev.seq

    def send_frame(self, payload: bytes) -> None:
        """What agent.driver's ``_send_frame`` does with one encoded update."""
        if self.closed or not self.session.sharing or self.flow.send_delay() is None:
            return  # (no credit: the streamer would not have encoded it)
        rect = m.Rect(0, 0, 16, 16, int(Encoding.RAW_ZSTD), payload)
        job = self.session.reserve_frame(m.FrameUpdate(1920, 1080, (rect,), self.seq + 1))
        self.seq += 1
        self.flow.on_sent(self.seq, len(payload), time.monotonic())
        self.send_job(job)


class Console(SessionDriver[ConsoleSession]):
    """The technician's side: acks each update at once (its window would after painting)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.allowed = threading.Event()

    def started(self) -> None:
        self.spawn(self._pings())

    async def _pings(self) -> None:
        while not self.session.ended:
            await asyncio.sleep(1.0)
            self.handle(self.session.ping())

    def on_event(self, ev: object) -> None:
        if isinstance(ev, PermissionsChanged):
            self.allowed.set()
        elif isinstance(ev, FrameReceived):
            self.handle(self.session.ack(ev.update.seq))


class Wakeups:
    """Counts the iterations of one loop (each is one wakeup of its thread)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.count = 0
        real = loop._run_once  # type: ignore[attr-defined]

        def run_once() -> None:
            self.count += 1
            real()

        loop._run_once = run_once  # type: ignore[attr-defined]


def run(args: argparse.Namespace) -> dict[str, Any]:
    relay, url = start_relay()
    tmp = Path(tempfile.mkdtemp(prefix="net-cost-"))
    a_thread, c_thread = LoopThread("agent-net"), LoopThread("console-net")
    a_thread.start()
    c_thread.start()
    tids: dict[str, int] = {}

    def note_tid(name: str) -> None:
        tids[name] = threading.get_native_id()

    a_thread.call(note_tid, "agent")
    wake = Wakeups(a_thread.loop)
    try:
        async def host() -> tuple[RelayConnection, str]:
            conn = await RelayConnection.open(url)
            plate = await conn.host()
            return conn, plate.nameplate

        a_conn, plate = asyncio.run_coroutine_threadsafe(host(), a_thread.loop).result(10)
        code = SessionCode(plate, CODE.secret)
        agent = Agent(AgentSession(code), AuditRecord.create(tmp / "a", "agent"),
                      lambda ev: None, a_thread.loop)
        console = Console(ConsoleSession(code, name="Eva"),
                          AuditRecord.create(tmp / "c", "console"), lambda ev: None,
                          c_thread.loop)

        async def join() -> RelayConnection:
            conn = await RelayConnection.open(url)
            await conn.join(plate)
            return conn

        async def agent_run() -> None:
            await a_conn.wait_paired()
            try:
                await agent.run(a_conn)
            finally:
                await a_conn.close()

        async def console_run(conn: RelayConnection) -> None:
            try:
                await console.run(conn)
            finally:
                await conn.close()

        a_done = asyncio.run_coroutine_threadsafe(agent_run(), a_thread.loop)
        c_conn = asyncio.run_coroutine_threadsafe(join(), c_thread.loop).result(10)
        c_done = asyncio.run_coroutine_threadsafe(console_run(c_conn), c_thread.loop)
        assert agent.asked.wait(10), "no consent request"
        a_thread.call(lambda: agent.handle(agent.session.decide(True, frozenset({"view"}))))
        assert console.allowed.wait(10), "not allowed"
        payload = os.urandom(args.size)
        period = 1.0 / args.rate
        rounds: list[dict[str, float]] = []
        for _ in range(args.rounds):
            sent0, cpu0, w0 = agent.seq, thread_cpu(tids["agent"]), wake.count
            sys0 = thread_sys(tids["agent"])
            t0 = time.monotonic()
            nxt = t0
            while time.monotonic() - t0 < args.seconds:
                a_thread.loop.call_soon_threadsafe(agent.send_frame, payload)  # the streamer
                nxt += period
                time.sleep(max(0.0, nxt - time.monotonic()))
            time.sleep(0.2)  # the last acks
            frames = agent.seq - sent0
            rounds.append({
                "frames": frames,
                "ms_per_update": round(1000 * (thread_cpu(tids["agent"]) - cpu0) / frames, 4),
                "sys_ms_per_update": round(1000 * (thread_sys(tids["agent"]) - sys0) / frames,
                                           3),
                "wakeups_per_update": round((wake.count - w0) / frames, 2),
                "unacked": agent.seq - agent.acked,
            })
        a_thread.call(agent.end, "customer_ended")
        a_done.result(10)
        c_done.result(10)
    finally:
        a_thread.stop()
        c_thread.stop()
        stop_process(relay)
    ms = [r["ms_per_update"] for r in rounds]
    return {"rounds": rounds, "median_ms_per_update": statistics.median(ms),
            "spread_ms": [min(ms), max(ms)],
            "median_wakeups_per_update": statistics.median(r["wakeups_per_update"]
                                                           for r in rounds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.net_cost",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=14.0, help="updates per second")
    parser.add_argument("--size", type=int, default=180, help="bytes of each update's payload")
    parser.add_argument("--seconds", type=float, default=4.0, help="per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    result = run(args)
    result["meta"] = {"rate": args.rate, "size": args.size, "cores": os.cpu_count(),
                      "load_avg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
