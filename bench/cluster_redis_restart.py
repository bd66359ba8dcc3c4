"""Redis restarted under a relay cluster: ``python -m bench.cluster_redis_restart [--trials 10]``.

A real cluster on loopback (bench/support/cluster.py: the shipped redis.conf, three relay
nodes; no HAProxy: each client picks its node) and one session paired across two nodes that
streams a small message each way every 50 ms for the whole run. Each trial:

1. Redis is stopped (SIGTERM: it writes its files and exits);
2. a new agent asks a node for a nameplate: the time until it is refused (``shutting_down``,
   before or after the websocket upgrade) is the first figure;
3. after ``--outage`` seconds Redis is started again on the same port and files; from the
   moment it answers PING, new pairs (host on one node, join on another) are tried every
   50 ms: the time until the first one pairs is the second figure.

The streaming session must never notice (any gap or loss ends the bench with an error).
p50/p95/max of both figures; one JSON line on stdout. Needs Debian's redis-server.
Each client connects from a loopback address of its own (``--ipv4-prefix 32``), so the
per-address limits never refuse the bench's own retries.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.relay_load import CLIENT, percentile
from bench.support.cluster import Cluster
from shared.rendezvous import Error, Host, Join, Nameplate, Paired, encode, parse_server

_sources = (f"127.{90 + n // 62500}.{n // 250 % 250}.{n % 250 + 2}" for n in itertools.count())


async def client(url: str) -> ClientConnection:
    return await connect(url, local_addr=(next(_sources), 0), **CLIENT)


async def answer(conn: ClientConnection, timeout: float = 10.0) -> object:
    async with asyncio.timeout(timeout):
        return parse_server(await conn.recv())


async def try_pair(agent_url: str, console_url: str) -> bool:
    """One new pair across two nodes; False when the cluster refused it (store not back)."""
    conns: list[ClientConnection] = []
    try:
        agent = await client(agent_url)
        conns.append(agent)
        await agent.send(encode(Host()))
        nameplate = await answer(agent)
        if not isinstance(nameplate, Nameplate):
            return False
        console = await client(console_url)
        conns.append(console)
        await console.send(encode(Join(nameplate.nameplate)))
        return await answer(console) == Paired() and await answer(agent) == Paired()
    except (InvalidStatus, ConnectionClosed, OSError):
        return False
    finally:
        await asyncio.gather(*(c.close() for c in conns), return_exceptions=True)


async def refused_after(url: str) -> float:
    """Seconds until a new agent is refused while the store is away."""
    started = time.monotonic()
    try:
        agent = await client(url)
    except InvalidStatus:
        return time.monotonic() - started
    try:
        await agent.send(encode(Host()))
        reply = await answer(agent)
        if not isinstance(reply, Error):
            raise RuntimeError(f"a node answered {reply} while Redis was stopped")
        return time.monotonic() - started
    finally:
        await agent.close()


class Stream:
    """A paired session sending a numbered message each way every 50 ms; any loss, reorder
    or stall longer than ``max_gap`` is an error."""

    def __init__(self, agent: ClientConnection, console: ClientConnection) -> None:
        self.ends = (agent, console)
        self.sent = 0
        self.worst_gap = 0.0
        self.tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._send()),
                      *(asyncio.create_task(self._receive(end)) for end in self.ends)]

    async def _send(self) -> None:
        for n in itertools.count():
            for end in self.ends:
                await end.send(n.to_bytes(8, "big"))
            self.sent = n + 1
            await asyncio.sleep(0.05)

    async def _receive(self, end: ClientConnection) -> None:
        last = time.monotonic()
        for n in itertools.count():
            message = await end.recv()
            if message != n.to_bytes(8, "big"):
                raise RuntimeError(f"the streaming session lost or reordered message {n}")
            now = time.monotonic()
            self.worst_gap = max(self.worst_gap, now - last)
            last = now

    def check(self) -> None:
        for task in self.tasks:
            if task.done():
                raise RuntimeError(f"the streaming session broke: {task.exception()!r}")

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def bench(cluster: Cluster, trials: int, outage: float) -> dict[str, Any]:
    urls = [n.url for n in cluster.nodes]
    agent, console = await client(urls[0]), await client(urls[1])
    await agent.send(encode(Host()))
    plate = await answer(agent)
    assert isinstance(plate, Nameplate)
    await console.send(encode(Join(plate.nameplate)))
    assert await answer(console) == Paired() and await answer(agent) == Paired()
    stream = Stream(agent, console)
    stream.start()
    refusals: list[float] = []
    back: list[float] = []
    try:
        for trial in range(trials):
            await asyncio.to_thread(cluster.redis.stop)
            refusals.append(await refused_after(urls[trial % 3]))
            await asyncio.sleep(outage)
            stream.check()
            await asyncio.to_thread(cluster.redis.start)
            answering = time.monotonic()
            while not await try_pair(urls[(trial + 2) % 3], urls[trial % 3]):
                if time.monotonic() - answering > 60:
                    raise RuntimeError("pairing did not come back within 60 s")
                await asyncio.sleep(0.05)
            back.append(time.monotonic() - answering)
            stream.check()
            print(f"trial {trial + 1}: refused in {refusals[-1] * 1000:.0f} ms, pairing back "
                  f"{back[-1]:.2f} s after Redis answered", file=sys.stderr)
    finally:
        await stream.stop()
        await asyncio.gather(agent.close(), console.close(), return_exceptions=True)

    def figures(samples: list[float], scale: float, digits: int) -> dict[str, float]:
        top = max(samples)  # few samples: the interpolated p95 must not pass the maximum
        return {"p50": round(min(top, percentile(samples, 50)) * scale, digits),
                "p95": round(min(top, percentile(samples, 95)) * scale, digits),
                "max": round(top * scale, digits)}

    return {
        "bench": "cluster_redis_restart",
        "nodes": len(cluster.nodes),
        "trials": trials,
        "outage_s": outage,
        "refused_ms": figures(refusals, 1000, 1),
        "pairing_back_s": figures(back, 1, 3),
        "session_messages_each_way": stream.sent,
        "session_worst_gap_s": round(stream.worst_gap, 3),
        "meta": {"load_avg_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--outage", type=float, default=2.0,
                        help="seconds Redis stays stopped in each trial")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fh-redis-restart-") as tmp, \
            Cluster(Path(tmp), nodes=3, haproxy=False,
                    relay_flags=("--ipv4-prefix", "32")) as cluster:
        result = asyncio.run(bench(cluster, args.trials, args.outage))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
