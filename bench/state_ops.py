"""What a rule of the shared state costs a relay node: RedisState vs LocalState (issue 14).

Run: ``python -m bench.state_ops [--ops 2000]``. Prints one JSON object: p50/p99 latency in
microseconds of ``allocate``, ``claim``, ``present`` and ``join_allowed``, one call at a time
(what one client's step waits for), against :class:`~relay.cluster.local.LocalState` and
against :class:`~relay.cluster.redis_state.RedisState` on a real ``redis-server`` on loopback
started here (no persistence: the append-only file's fsync is the disk's cost, not the
script's). Every call uses a fresh address block / token, as many clients would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.support.redis import REDIS_SERVER, RedisProcess
from relay.cluster.local import LocalState
from relay.cluster.redis_state import RedisState
from relay.cluster.state import Owner, SharedState
from relay.settings import RelaySettings


def _percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50_us": round(cuts[49] * 1e6, 1), "p99_us": round(cuts[98] * 1e6, 1)}


async def _timed(ops: int, call: Callable[[int], Awaitable[Any]]) -> dict[str, float]:
    samples = []
    for i in range(ops):
        started = time.perf_counter()
        await call(i)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


async def measure(state: SharedState, ops: int) -> dict[str, dict[str, float]]:
    """Each operation ``ops`` times, sequentially, on a started state."""
    owner = Owner(state.node, "c")
    plates: list[str] = []

    async def allocate(i: int) -> None:
        plates.append(await state.allocate(3, owner))

    async def present(i: int) -> None:  # even: the first (waits), odd: its peer (pairs)
        await state.present(f"token {i // 2}", ("agent", "console")[i % 2], owner)

    results = {"allocate": await _timed(ops, allocate)}
    results["claim"] = await _timed(ops, lambda i: state.claim(plates[i]))
    results["present"] = await _timed(ops, present)
    results["join_allowed"] = await _timed(ops, lambda i: state.join_allowed(f"block {i}"))
    return results


async def run(ops: int, redis_url: str) -> dict[str, Any]:
    settings = RelaySettings()
    local = LocalState(settings, node="bench")
    remote = RedisState(settings, url=redis_url, node="bench", internal_url="ws://bench")
    out: dict[str, Any] = {}
    for name, state in (("local", local), ("redis", remote)):
        await state.start()
        try:
            await measure(state, min(ops, 200))  # warm-up: connections, script load
            out[name] = await measure(state, ops)
        finally:
            await state.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000, help="calls per operation")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        server = RedisProcess(Path(tmp))
        server.start()
        try:
            results = asyncio.run(run(args.ops, server.url))
        finally:
            server.kill()
    version = subprocess.run([REDIS_SERVER, "--version"], capture_output=True, text=True,
                             check=False).stdout.strip()
    results["meta"] = {"ops": args.ops, "load_avg_1m": os.getloadavg()[0],
                       "redis": version.split(" sha=")[0], "python": sys.version.split()[0]}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
