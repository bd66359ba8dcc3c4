"""Relay load benchmark: ``python -m bench.relay_load [--sessions 1000] [--latency-sessions 200]``.

Starts ``python -m relay`` as a subprocess on loopback (its own process, so it gets its own core),
drives paired client sessions from this process, and prints one JSON object:

- relay RSS with N concurrent paired sessions (from /proc), peak RSS, relay CPU seconds;
- aggregate forwarded MB/s with every session sending at once;
- one-session throughput of 1 MiB messages through the relay vs a direct websocket (ratio);
- added one-way latency p50/p99 of 1 KiB messages, ``latency-sessions`` sessions at 20 msg/s each,
  relay vs direct (both ends of each measurement live in this process, so one clock).

Relay and direct phases alternate (``--rounds``) so load from other processes hits both; the
tail still moves with it, so the JSON records the load average before and after.

Targets (issue 3): 1000 sessions with RSS <= 300 MB; throughput ratio >= 0.5; p99 added <= 2 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, serve

from shared.rendezvous import Host, Join, Nameplate, Paired, encode, parse_server

ROOT = Path(__file__).resolve().parents[1]
CLIENT: dict[str, Any] = {
    "compression": None, "max_size": None, "ping_interval": None, "open_timeout": 30
}
END = b"END"


def raise_fd_limit(wanted: int) -> int:
    """Raise RLIMIT_NOFILE towards ``wanted`` (children inherit it); returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(max(soft, wanted), hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


#: Relay flags for load from one address: see :class:`RelayProcess` (bench.cluster_load gives
#: them to every node of a cluster).
OPEN_LIMITS = (
    "--max-connections", "100000", "--max-unpaired-per-ip", "100000",
    "--join-attempts-per-minute", "1000000", "--host-attempts-per-minute", "1000000",
    "--failed-joins-per-minute", "0", "--log-level", "warning",
)  # fmt: skip


class RelayProcess:
    """``python -m relay`` on 127.0.0.1:0 with limits opened up for the load.

    Every session here comes from 127.0.0.1, where in real use they come from as many addresses
    as there are customers: the per-address limits (hosting rate, unpaired connections, join
    rate) and the relay-wide failed-join budget are opened up so they measure forwarding, not
    the flood guards (bench.relay_flood measures those).
    """

    def __init__(self, extra: list[str], module: str = "relay") -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FERNHILFE_RELAY_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", "0", *OPEN_LIMITS,
             *extra],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.url: str = json.loads(self.proc.stdout.readline())["url"]
        self._tick = os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> tuple[float, float]:
        """Current and peak resident set size in MB."""
        fields = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def cpu_seconds(self) -> float:
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text()
        parts = stat[stat.rindex(")") + 2 :].split()
        return (int(parts[11]) + int(parts[12])) / self._tick

    def stop(self) -> int:
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()


async def open_pair(
    url: str, console_url: str | None = None, **options: Any
) -> tuple[ClientConnection, ClientConnection]:
    """An agent and a console paired through the relay (the console through ``console_url``
    when given: another node of a cluster); ``options`` go to ``connect`` (e.g. local_addr)."""
    agent = await connect(url, **CLIENT, **options)
    await agent.send(encode(Host()))
    nameplate = parse_server(await agent.recv())
    assert isinstance(nameplate, Nameplate), f"the agent got {nameplate} instead of a nameplate"
    console = await connect(console_url or url, **CLIENT, **options)
    await console.send(encode(Join(nameplate.nameplate)))
    for side, ws in (("console", console), ("agent", agent)):
        answer = parse_server(await ws.recv())
        assert answer == Paired(), f"the {side} got {answer} instead of paired"
    return agent, console


class DirectServer:
    """A plain websocket server in this process: the 'direct client-to-client' baseline."""

    def __init__(self) -> None:
        self.accepted: asyncio.Queue[ServerConnection] = asyncio.Queue()
        self.server: Any = None

    async def start(self) -> str:
        async def handler(ws: ServerConnection) -> None:
            await self.accepted.put(ws)
            await ws.wait_closed()

        self.server = await serve(handler, "127.0.0.1", 0, compression=None, max_size=None,
                                  ping_interval=None)  # fmt: skip
        return f"ws://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/"

    async def pair(self, url: str) -> tuple[ClientConnection, ServerConnection]:
        client = await connect(url, **CLIENT)
        return client, await self.accepted.get()

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()


async def stream(sender: Any, receiver: Any, payload: bytes, seconds: float) -> int:
    """Send ``payload`` back to back for ``seconds``; returns bytes the receiver got."""
    deadline = time.perf_counter() + seconds
    got = 0

    async def send() -> None:
        while time.perf_counter() < deadline:
            await sender.send(payload)
        await sender.send(END)

    async def receive() -> None:
        nonlocal got
        while (message := await receiver.recv()) != END:
            got += len(message)

    await asyncio.gather(send(), receive())
    return got


async def throughput(sender: Any, receiver: Any, count: int = 150) -> float:
    """MB/s of ``count`` 1 MiB messages, first send to last receive."""
    payload = os.urandom(1024 * 1024)
    await stream(sender, receiver, payload, 0.3)  # warm up
    start = time.perf_counter()

    async def send() -> None:
        for _ in range(count):
            await sender.send(payload)

    async def receive() -> None:
        for _ in range(count):
            await receiver.recv()

    await asyncio.gather(send(), receive())
    return count * len(payload) / (time.perf_counter() - start) / 1e6


async def latency(pairs: list[tuple[Any, Any]], rate: float, seconds: float) -> list[float]:
    """One-way latency samples (ms) of 1 KiB messages, each pair sending at ``rate`` per second."""
    samples: list[float] = []
    filler = os.urandom(1024 - 8)

    async def send(ws: Any, offset: float) -> None:
        await asyncio.sleep(offset)
        start = time.perf_counter()
        n = 0
        while (now := time.perf_counter()) - start < seconds:
            await ws.send(struct.pack(">d", now) + filler)
            n += 1
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
        await ws.send(END)

    async def receive(ws: Any) -> None:
        while (message := await ws.recv()) != END:
            samples.append((time.perf_counter() - struct.unpack(">d", message[:8])[0]) * 1000)

    period = 1 / rate
    tasks = []
    for i, (a, b) in enumerate(pairs):
        tasks += [send(a, period * i / len(pairs)), receive(b)]
    await asyncio.gather(*tasks)
    return samples


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=1000)[int(q * 10) - 1] if len(samples) > 1 else 0.0


async def close_all(conns: list[Any]) -> None:
    await asyncio.gather(*(c.close() for c in conns), return_exceptions=True)


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    raise_fd_limit(4 * args.sessions + 1000)
    relay = RelayProcess(args.relay_arg)
    direct = DirectServer()
    # Other processes on the machine skew the latency tail most: record the load around the run.
    result: dict[str, Any] = {"sessions": args.sessions, "loadavg_start": os.getloadavg()}
    try:
        direct_url = await direct.start()
        rss_start, _ = relay.rss_mb()
        pairs: list[tuple[ClientConnection, ClientConnection]] = []
        t0 = time.perf_counter()
        for start in range(0, args.sessions, 50):
            batch = min(50, args.sessions - start)
            pairs += await asyncio.gather(*(open_pair(relay.url) for _ in range(batch)))
        result["pairing_seconds"] = round(time.perf_counter() - t0, 2)
        # This process's thousands of long-lived connection objects would otherwise cost gen-2
        # GC pauses of 30-100 ms here, inside the measured phases (seen with gc.callbacks).
        gc.collect()
        gc.freeze()
        await asyncio.sleep(1.0)
        rss, _ = relay.rss_mb()
        result["relay_rss_mb_start"] = round(rss_start, 1)
        result["relay_rss_mb_sessions_idle"] = round(rss, 1)

        # Latency: latency_sessions of the open sessions at 20 msg/s, vs as many direct pairs.
        n = min(args.latency_sessions, len(pairs))
        # Relay and direct phases alternate and their samples are pooled, so a burst of load from
        # other processes lands on both sides instead of skewing one.
        direct_pairs = [await direct.pair(direct_url) for _ in range(n)]
        relay_samples: list[float] = []
        direct_samples: list[float] = []
        for _ in range(args.rounds):
            relay_samples += await latency(pairs[:n], 20.0, args.seconds / args.rounds)
            direct_samples += await latency(direct_pairs, 20.0, args.seconds / args.rounds)
        await close_all([c for c, _ in direct_pairs])
        r50, r99 = percentile(relay_samples, 50), percentile(relay_samples, 99)
        d50, d99 = percentile(direct_samples, 50), percentile(direct_samples, 99)
        result["latency_1kib_ms"] = {
            "sessions": n,
            "msgs_per_s_each": 20,
            "samples": len(relay_samples),
            "relay_p50": round(r50, 3),
            "relay_p99": round(r99, 3),
            "direct_p50": round(d50, 3),
            "direct_p99": round(d99, 3),
            "added_p50": round(r50 - d50, 3),
            "added_p99": round(r99 - d99, 3),
        }

        # Aggregate: every session sends 16 KiB messages back to back, agent -> console.
        payload = os.urandom(16 * 1024)
        t0 = time.perf_counter()
        totals = await asyncio.gather(*(stream(a, c, payload, args.seconds) for a, c in pairs))
        elapsed = time.perf_counter() - t0
        rss_load, peak = relay.rss_mb()
        result["aggregate_forwarded_mb_s"] = round(sum(totals) / elapsed / 1e6, 1)
        result["aggregate_message_kib"] = 16
        result["relay_rss_mb_under_load"] = round(rss_load, 1)
        result["relay_rss_mb_peak"] = round(peak, 1)
        await close_all([c for pair in pairs for c in pair])
        pairs.clear()

        # One session, 1 MiB messages: relay vs direct.
        # Alternating rounds; the ratio of the medians.
        relay_runs: list[float] = []
        direct_runs: list[float] = []
        for _ in range(args.rounds):
            agent, console = await open_pair(relay.url)
            relay_runs.append(await throughput(agent, console))
            await close_all([agent, console])
            client, server_side = await direct.pair(direct_url)
            direct_runs.append(await throughput(client, server_side))
            await close_all([client])
        via_relay, direct_mb = statistics.median(relay_runs), statistics.median(direct_runs)
        result["one_session_1mib"] = {
            "relay_mb_s": round(via_relay, 1),
            "direct_mb_s": round(direct_mb, 1),
            "ratio": round(via_relay / direct_mb, 3),
            "relay_runs": [round(x) for x in relay_runs],
            "direct_runs": [round(x) for x in direct_runs],
        }
        result["relay_cpu_seconds"] = round(relay.cpu_seconds(), 2)
        result["targets_met"] = {
            "rss_1000_sessions_le_300mb": result["relay_rss_mb_peak"] <= 300,
            "throughput_ratio_ge_0_5": result["one_session_1mib"]["ratio"] >= 0.5,
            "added_p99_le_2ms": result["latency_1kib_ms"]["added_p99"] <= 2.0,
        }
    finally:
        await direct.stop()
        result["relay_exit_code"] = relay.stop()
        result["loadavg_end"] = os.getloadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--latency-sessions", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each timed phase")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating relay/direct rounds (latency, throughput)")  # fmt: skip
    parser.add_argument("--relay-arg", action="append", default=[],
                        help="extra relay flag, e.g. --relay-arg=--write-limit=65536")  # fmt: skip
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(bench(args)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
