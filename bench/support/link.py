"""A link emulator: a TCP proxy on loopback that behaves like a customer's DSL line (issue 16).

Why: every other benchmark runs on loopback, where bandwidth is free and the round trip is
zero, so nothing shows what a 4 Mbit/s uplink with a 40 ms round trip and a modem queue does
to the picture. Real customers sit behind such lines.

Each direction of the link is modelled like a modem port, shared by every connection through
the proxy:

* a FIFO of at most ``rate * queue_ms`` bytes; when it is full the proxy stops reading from
  that side, so TCP's back-pressure holds the sender (a full modem queue);
* bytes leave the FIFO at the direction's rate (serialisation, in packets of :data:`MTU`);
* then each packet waits ``rtt_ms / 2`` (propagation) before it is written to the far side.

The FIFO is virtual: the line is busy until ``free_at``, so the queue in front of it holds
``(free_at - now) * rate`` bytes. The proxy reads with ``sock_recv`` (no stream buffer of its own)
on sockets with small ``SO_RCVBUF``/``SO_SNDBUF``, so no hidden queue sits beside the modelled one.

It runs as a subprocess (``python -m bench.support.link``), so its timing does not depend on
the GIL of a benchmark process that also runs an agent. It prints ``{"event": "listening",
"port": N}``; each line ``stats`` on its stdin is answered by one JSON line of statistics (see
:meth:`Direction.snapshot`); end of stdin stops it. :class:`LinkProxy` wraps all that.
Standard library only: tests and benchmarks import it without Qt or numpy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

#: Bytes of one emulated packet on the line (a TCP segment's payload on Ethernet).
MTU = 1448
#: The proxy's own socket buffers: small, so bytes wait in the modelled queue, not in a kernel's.
SOCKET_BUFFER = 8192
#: Most bytes one read takes from a socket.
CHUNK = 16384
#: Queue-delay samples kept between two ``stats`` calls (oldest dropped beyond).
MAX_SAMPLES = 200_000


@dataclass(frozen=True)
class LinkProfile:
    """A customer's line, as the emulator applies it."""

    name: str
    up_bits_per_s: float  # the customer's uplink (agent -> relay; x11vnc -> viewer)
    down_bits_per_s: float
    rtt_ms: float  # added round trip (half each way)
    queue_ms: float  # the modem's queue, at the direction's rate


#: The two lines issue 16 names: a typical small office's DSL, and a faster one.
PROFILES: dict[str, LinkProfile] = {
    "dsl4": LinkProfile("dsl4", 4e6, 16e6, 40.0, 150.0),
    "dsl16": LinkProfile("dsl16", 16e6, 50e6, 20.0, 100.0),
}


class Direction:
    """One way of the link: the shared modem queue, the line's rate and the propagation delay,
    and what passed through since the last :meth:`snapshot`."""

    def __init__(self, name: str, bits_per_s: float, delay_s: float, queue_s: float,
                 now: float) -> None:
        if bits_per_s <= 0 or delay_s < 0 or queue_s < 0:
            raise ValueError("a link direction needs a positive rate and non-negative delays")
        self.name = name
        self.bits_per_s = bits_per_s
        self.rate = bits_per_s / 8.0  # bytes per second
        self.delay = delay_s
        self.capacity = max(int(self.rate * queue_s), MTU)  # bytes the FIFO holds
        self.free_at = now  # when the line has sent everything admitted so far
        self.in_flight = 0  # admitted, not yet written to the far side (every connection)
        self.bytes_total = 0
        self.stalls_total = 0
        self._admitted_total = 0
        self._window_start = now
        self._window_carried = 0.0  # carried() when the window started
        self._window_bytes = 0
        self._window_stalls = 0
        self._window_max_queue = 0.0
        self._samples: deque[float] = deque(maxlen=MAX_SAMPLES)
        self._idle: deque[tuple[float, float]] = deque(maxlen=MAX_SAMPLES)  # line had nothing

    def backlog(self, now: float) -> float:
        """Bytes waiting in the FIFO at ``now`` (admitted, not yet serialised)."""
        return max(0.0, self.free_at - now) * self.rate

    def carried(self, now: float) -> float:
        """Bytes the line has serialised by ``now``: what left the shaper, the line's own
        count (the far side gets them half a round trip later)."""
        return self._admitted_total - self.backlog(now)

    def room(self, now: float) -> int:
        """Bytes the FIFO takes now; the far side must also have taken what is in flight, so
        that a receiver that stops reading holds the sender up instead of this process."""
        flight_limit = self.capacity + int(self.rate * self.delay) + 2 * CHUNK
        return int(min(self.capacity - self.backlog(now), flight_limit - self.in_flight))

    def admit(self, size: int, now: float) -> list[tuple[float, int]]:
        """Queue ``size`` bytes that arrived at ``now``: return each packet's (arrival at the
        far side, bytes). Records the time the first byte waited in the FIFO."""
        if now > self.free_at:
            self._idle.append((self.free_at, now))
        start = max(now, self.free_at)
        wait = start - now
        self._samples.append(wait)
        self._window_max_queue = max(self._window_max_queue, wait)
        out = []
        sent = 0
        while sent < size:
            n = min(MTU, size - sent)
            sent += n
            out.append((start + sent / self.rate + self.delay, n))
        self.free_at = start + size / self.rate
        self.in_flight += size
        self._admitted_total += size
        return out

    def delivered(self, size: int) -> None:
        self.in_flight -= size
        self.bytes_total += size
        self._window_bytes += size

    def stalled(self) -> None:
        """The FIFO was full: the proxy stopped reading from the sender."""
        self.stalls_total += 1
        self._window_stalls += 1

    def snapshot(self, now: float) -> dict[str, Any]:
        """What passed since the last snapshot: bytes delivered to the far side, the bits/s
        the line carried and its share of the line (bytes that left the shaper within the
        window: a window that ends while bytes are on their way still counts the line busy),
        the queue's delay (p50/p95/max, ms, per read), stalls; then start a new window."""
        span = max(now - self._window_start, 1e-9)
        samples = sorted(self._samples)
        carried = self.carried(now)
        bps = (carried - self._window_carried) * 8 / span

        def pct(q: float) -> float:
            return round(samples[min(len(samples) - 1, int(q * len(samples)))] * 1000, 2)

        out = {
            "bytes": self._window_bytes, "seconds": round(span, 3),
            "bits_per_s": round(bps), "utilisation": round(bps / self.bits_per_s, 4),
            "delivered_bits_per_s": round(self._window_bytes * 8 / span),
            "queue_ms": ({"p50": pct(0.5), "p95": pct(0.95),
                          "max": round(self._window_max_queue * 1000, 2), "n": len(samples)}
                         if samples else {"p50": 0.0, "p95": 0.0, "max": 0.0, "n": 0}),
            "queue_now_ms": round(self.backlog(now) / self.rate * 1000, 2),
            "stalls": self._window_stalls,
            "idle": self._idle_spans(now),
            "bytes_total": self.bytes_total, "stalls_total": self.stalls_total,
            "line_bits_per_s": self.bits_per_s,
            "queue_capacity_ms": round(self.capacity / self.rate * 1000, 2),
        }
        self._window_start = now
        self._window_carried = carried
        self._window_bytes = 0
        self._window_stalls = 0
        self._window_max_queue = 0.0
        self._samples.clear()
        self._idle.clear()
        return out

    def _idle_spans(self, now: float) -> list[list[float]]:
        """[start, end] of each span in the window the line had nothing to send (the
        emulator's clock is the loop's, ``time.monotonic``, shared by every process here)."""
        spans = [*self._idle, (self.free_at, now)] if now > self.free_at else list(self._idle)
        return [[round(max(a, self._window_start), 5), round(b, 5)]
                for a, b in spans if b > self._window_start]


def _small_buffers(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setblocking(False)


class _Emulator:
    """The proxy's event loop side: accept, connect to the target, pump both ways."""

    def __init__(self, target_port: int, profile: LinkProfile, client_is_customer: bool
                 ) -> None:
        self.loop = asyncio.get_running_loop()
        now = self.loop.time()
        half = profile.rtt_ms / 2000.0
        self.up = Direction("up", profile.up_bits_per_s, half, profile.queue_ms / 1000.0, now)
        self.down = Direction("down", profile.down_bits_per_s, half,
                              profile.queue_ms / 1000.0, now)
        self.target_port = target_port
        self.client_is_customer = client_is_customer
        self.connections = 0
        self.open_connections = 0
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        _small_buffers(self.listener)  # accepted sockets inherit them
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = int(self.listener.getsockname()[1])
        self._tasks: set[asyncio.Task[None]] = set()

    def stats(self) -> dict[str, Any]:
        now = self.loop.time()
        return {"up": self.up.snapshot(now), "down": self.down.snapshot(now),
                "connections": self.connections, "open_connections": self.open_connections}

    async def serve(self) -> None:
        while True:
            client, _ = await self.loop.sock_accept(self.listener)
            _small_buffers(client)
            self._spawn(self._connection(client))

    def _spawn(self, coro: Any) -> None:
        task = self.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _connection(self, client: socket.socket) -> None:
        self.connections += 1
        self.open_connections += 1
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            _small_buffers(server)
            await self.loop.sock_connect(server, ("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            server.close()
            self.open_connections -= 1
            return
        to_server, to_client = ((self.up, self.down) if self.client_is_customer
                                else (self.down, self.up))
        try:
            await asyncio.gather(self._pump(client, server, to_server),
                                 self._pump(server, client, to_client))
        finally:
            client.close()
            server.close()
            self.open_connections -= 1

    async def _pump(self, src: socket.socket, dst: socket.socket, way: Direction) -> None:
        """Read from ``src`` while the FIFO has room, deliver each packet to ``dst`` when the
        line and the propagation delay let it arrive."""
        line: deque[tuple[float, int, bytes]] = deque()
        wake = asyncio.Event()
        done = False

        async def deliver() -> None:
            while True:
                if not line:
                    if done:
                        return
                    wake.clear()
                    await wake.wait()
                    continue
                due = line[0][0] - self.loop.time()
                if due > 0:
                    await asyncio.sleep(due)
                now = self.loop.time()
                parts = []
                while line and line[0][0] <= now:
                    parts.append(line.popleft()[2])
                data = b"".join(parts)
                try:
                    await self.loop.sock_sendall(dst, data)
                except OSError:
                    way.delivered(len(data) + sum(len(p[2]) for p in line))
                    line.clear()
                    raise
                way.delivered(len(data))

        sender = self.loop.create_task(deliver())
        try:
            while True:
                room = way.room(self.loop.time())
                if room < MTU:
                    way.stalled()
                    while room < MTU:  # wait until a packet's worth has left the FIFO
                        short = MTU - room
                        await asyncio.sleep(max(short / way.rate, 0.0005))
                        room = way.room(self.loop.time())
                try:
                    data = await self.loop.sock_recv(src, min(CHUNK, room))
                except OSError:
                    data = b""
                if not data:
                    break
                now = self.loop.time()
                view = memoryview(data)
                pos = 0
                for at, n in way.admit(len(data), now):
                    line.append((at, n, bytes(view[pos:pos + n])))
                    pos += n
                wake.set()
        finally:
            done = True
            wake.set()
            with contextlib.suppress(OSError):
                await sender
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)


async def _main(args: argparse.Namespace) -> None:
    profile = LinkProfile(args.name, args.up, args.down, args.rtt, args.queue)
    emu = _Emulator(args.target_port, profile, args.customer == "client")
    serving = asyncio.get_running_loop().create_task(emu.serve())
    print(json.dumps({"event": "listening", "port": emu.port}), flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        if line.strip() == "stats":
            print(json.dumps(emu.stats()), flush=True)
    serving.cancel()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--profile", choices=sorted(PROFILES), help="defaults for the below")
    parser.add_argument("--name", default="custom")
    parser.add_argument("--up", type=float, help="uplink, bits/s")
    parser.add_argument("--down", type=float, help="downlink, bits/s")
    parser.add_argument("--rtt", type=float, help="added round trip, ms")
    parser.add_argument("--queue", type=float, help="modem queue, ms at the direction's rate")
    parser.add_argument("--customer", choices=("client", "server"), default="client",
                        help="which side of the proxy is the customer (its sends use the uplink)")
    args = parser.parse_args(argv)
    if args.profile:
        base = PROFILES[args.profile]
        args.name = base.name if args.name == "custom" else args.name
        for key, value in (("up", base.up_bits_per_s), ("down", base.down_bits_per_s),
                           ("rtt", base.rtt_ms), ("queue", base.queue_ms)):
            if getattr(args, key) is None:
                setattr(args, key, value)
    if None in (args.up, args.down, args.rtt, args.queue):
        parser.error("give --profile or all of --up --down --rtt --queue")
    asyncio.run(_main(args))


class LinkProxy:
    """``python -m bench.support.link`` in front of ``127.0.0.1:target_port``; connect to
    ``127.0.0.1:port`` instead. A context manager; :meth:`close` stops the process."""

    def __init__(self, target_port: int, profile: LinkProfile, *,
                 client_is_customer: bool = True) -> None:
        self.profile = profile
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.support.link", "--target-port", str(target_port),
             "--name", profile.name, "--up", repr(profile.up_bits_per_s),
             "--down", repr(profile.down_bits_per_s), "--rtt", repr(profile.rtt_ms),
             "--queue", repr(profile.queue_ms),
             "--customer", "client" if client_is_customer else "server"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        first = self._proc.stdout.readline()
        if not first:
            self._proc.wait(5)
            raise RuntimeError("the link emulator did not start")
        self.port: int = int(json.loads(first)["port"])

    @property
    def pid(self) -> int:
        """The emulator's process (benchmarks meter its CPU: it shares the machine)."""
        return self._proc.pid

    def stats(self) -> dict[str, Any]:
        """Per direction (``up`` = the customer's uplink, ``down``): bytes, ``bits_per_s`` and
        ``utilisation`` over the window since the last call, ``queue_ms`` p50/p95/max, stalls."""
        with self._lock:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write("stats\n")
            self._proc.stdin.flush()
            return dict(json.loads(self._proc.stdout.readline()))

    def close(self) -> None:
        if self._proc.poll() is None:
            with contextlib.suppress(OSError):
                assert self._proc.stdin is not None
                self._proc.stdin.close()
            try:
                self._proc.wait(3)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        with contextlib.suppress(OSError):
            assert self._proc.stdout is not None
            self._proc.stdout.close()

    def __enter__(self) -> LinkProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    main()
