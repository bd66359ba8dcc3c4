"""Relay under a guessing flood: ``python -m bench.relay_flood [--read-seconds 5] [--quick]``.

Honest pairings run through a real ``python -m relay`` (default limits, loopback) while an
attacker floods it, and the bench prints one JSON object with, per scenario, how many honest
pairings succeeded and how long pairing took:

- ``one_address``: ONE address floods joins (random nameplates) and hosts as fast as it can,
  with ``--flood-tasks`` connections at a time for each. Targets: 100 % honest success, p99
  pairing time <= 50 ms.
- ``many_addresses``: ``--addresses`` loopback addresses (127.x.y.1, each its own /24, so
  each is its own client for every per-address limit) each send ``--joins-each`` joins naming
  random 3-digit nameplates (the short codes customers read out). Target: >= 95 % of honest
  pairings succeed.

An honest pairing is a customer and a technician, each from an address block of its own: the
agent connects and hosts, the technician "reads out" the code for ``--read-seconds`` (a person
takes about 5 s; it can be scaled down, the JSON says what was used), then the console connects
and joins, and the pairing counts when both sides got ``paired``. ``pairing_ms`` is the relay's
part: agent connect + host, plus console connect + join until both are paired (the reading time
is not in it). A technician the relay refuses as busy (a flood is being gated; the code is not
spent) tries again after ``--retry-seconds``, like a person clicking Connect again; those
retries are counted, and their waiting time shows in ``until_paired_s``. A pairing fails when the
technician hears that the code is spent or unknown (a guesser burnt it), or after ``--give-up``
seconds.

Honest pairings start at ``--honest-rate`` per second for ``--honest`` pairings; the flood starts
after ``--read-seconds`` so customers are waiting with short codes when it begins (the worst
case: their codes were handed out before the relay knew of any flood). Everything is bounded in
count and time: the bench stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from bench.relay_load import ROOT, RelayProcess, raise_fd_limit
from shared.rendezvous import (
    Error,
    ErrorCode,
    Host,
    Join,
    Nameplate,
    Paired,
    RendezvousError,
    encode,
    parse_server,
)

CLIENT: dict[str, Any] = {
    "compression": None, "max_size": 64 * 1024, "ping_interval": None, "open_timeout": 10
}
#: relay_load opens every limit for its load; these flags put the production defaults back
#: (the last occurrence of a flag wins), so this bench measures the relay as shipped.
DEFAULT_LIMITS = [
    "--max-connections", "10000", "--max-unpaired-per-ip", "20",
    "--join-attempts-per-minute", "10", "--log-level", "warning",
]  # fmt: skip


#: Niceness of the attacker process (see attacker_main).
ATTACKER_NICENESS = 10


def honest_agent_address(i: int) -> str:
    return f"127.{100 + i // 250}.{i % 250}.2"


def honest_console_address(i: int) -> str:
    return f"127.{150 + i // 250}.{i % 250}.3"


def attacker_address(k: int) -> str:
    return f"127.{10 + k // 250}.{k % 250}.1"


async def ask(url: str, message: Host | Join, address: str) -> str:
    """One short-lived client: send ``message``, return the outcome's name, close."""
    try:
        async with connect(url, local_addr=(address, 0), **CLIENT) as ws:
            await ws.send(encode(message))
            reply = parse_server(await asyncio.wait_for(ws.recv(), 10))
    except InvalidHandshake as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        return f"http_{status}"
    except (OSError, TimeoutError, ConnectionClosed, RendezvousError):
        return "dropped"
    if isinstance(reply, Error):
        return reply.code.value
    return type(reply).__name__.lower()


@dataclass
class Pairing:
    """One honest customer and technician."""

    index: int
    ok: bool = False
    outcome: str = ""
    digits: int = 0
    pairing_ms: float = 0.0
    until_paired_s: float = 0.0
    retries: int = 0
    hosted_before_flood: bool = False
    timeline: list[str] = field(default_factory=list)


async def honest_pairing(
    url: str, i: int, args: argparse.Namespace, flood_started: asyncio.Event
) -> Pairing:
    """Customer hosts, technician reads the code out, then joins (retrying when busy)."""
    result = Pairing(i)
    started = time.perf_counter()
    try:
        async with connect(url, local_addr=(honest_agent_address(i), 0), **CLIENT) as agent:
            await agent.send(encode(Host()))
            reply = parse_server(await asyncio.wait_for(agent.recv(), 10))
            hosted = time.perf_counter()
            if not isinstance(reply, Nameplate):
                result.outcome = f"host_{reply.code.value if isinstance(reply, Error) else reply}"
                return result
            result.digits = len(reply.nameplate)
            result.hosted_before_flood = not flood_started.is_set()
            host_ms = (hosted - started) * 1000
            await asyncio.sleep(args.read_seconds)
            deadline = time.perf_counter() + args.give_up
            while True:
                joined_at = time.perf_counter()
                async with connect(
                    url, local_addr=(honest_console_address(i), 0), **CLIENT
                ) as console:
                    await console.send(encode(Join(reply.nameplate)))
                    answer = parse_server(await asyncio.wait_for(console.recv(), 10))
                    if answer == Paired():
                        agent_heard = parse_server(await asyncio.wait_for(agent.recv(), 10))
                        done = time.perf_counter()
                        result.ok = agent_heard == Paired()
                        result.outcome = "paired" if result.ok else "agent_not_paired"
                        result.pairing_ms = host_ms + (done - joined_at) * 1000
                        result.until_paired_s = done - hosted - args.read_seconds
                        return result
                busy = isinstance(answer, Error) and answer.code in (
                    ErrorCode.TOO_MANY_CONNECTIONS,
                    ErrorCode.RATE_LIMITED,
                )
                if not busy:
                    # The agent was paired with a guesser: its code is spent.
                    result.outcome = answer.code.value if isinstance(answer, Error) else "odd"
                    return result
                if time.perf_counter() > deadline:
                    result.outcome = "gave_up"
                    return result
                result.retries += 1
                await asyncio.sleep(args.retry_seconds)
    except (OSError, TimeoutError, ConnectionClosed, InvalidHandshake, RendezvousError) as exc:
        result.outcome = f"error_{type(exc).__name__}"
        return result


async def flood_one_address(url: str, args: argparse.Namespace) -> Counter:
    """One address: joins with random nameplates and hosts, back to back, for ``--duration``."""
    outcomes: Counter[str] = Counter()
    rng = random.Random(1)
    address = "127.9.9.9"
    end = time.perf_counter() + args.duration

    async def loop(kind: str) -> None:
        while time.perf_counter() < end:
            message = Host() if kind == "host" else Join(str(rng.randint(100, 999)))
            outcomes[f"{kind}:{await ask(url, message, address)}"] += 1

    await asyncio.gather(
        *(loop(kind) for kind in ("join", "host") for _ in range(args.flood_tasks))
    )
    return outcomes


async def flood_many_addresses(url: str, args: argparse.Namespace) -> Counter:
    """``--addresses`` addresses, ``--joins-each`` random 3-digit joins each."""
    outcomes: Counter[str] = Counter()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for k in range(args.addresses):
        queue.put_nowait(k)

    async def worker() -> None:
        while not queue.empty():
            k = queue.get_nowait()
            rng = random.Random(k)
            for _ in range(args.joins_each):
                nameplate = str(rng.randint(100, 999))
                outcomes[await ask(url, Join(nameplate), attacker_address(k))] += 1

    await asyncio.gather(*(worker() for _ in range(args.flood_tasks)))
    return outcomes


def scrape(url: str) -> dict[str, float]:
    """The relay's /metrics samples we report."""
    base = url.replace("ws://", "http://").removesuffix("/v1")
    with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
        text = response.read().decode()
    keep = ("fernhilfe_relay_joins_total", "fernhilfe_relay_hosts_total",
            "fernhilfe_relay_failed_joins", "fernhilfe_relay_nameplate_digits")  # fmt: skip
    samples = {}
    for line in text.splitlines():
        if line.startswith(keep):
            name, _, value = line.rpartition(" ")
            if float(value):
                samples[name] = float(value)
    return samples


def quantile(samples: list[float], q: float) -> float | None:
    """The ``q``-th percentile, within the samples (never extrapolated past the largest)."""
    if len(samples) < 2:
        return samples[0] if samples else None
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summarise(pairings: list[Pairing], args: argparse.Namespace) -> dict[str, Any]:
    ok = [p for p in pairings if p.ok]
    times = [p.pairing_ms for p in ok]
    first_try = [p for p in ok if p.retries == 0]
    at_risk = [p for p in pairings if p.hosted_before_flood]
    return {
        "pairings": len(pairings),
        "succeeded": len(ok),
        "success_rate": round(len(ok) / len(pairings), 4) if pairings else 0.0,
        "succeeded_first_try": len(first_try),
        "pairing_ms_p50": rounded(quantile(times, 50)),
        "pairing_ms_p99": rounded(quantile(times, 99)),
        "pairing_ms_max": rounded(max(times, default=None)),
        "first_try_pairing_ms_p99": rounded(quantile([p.pairing_ms for p in first_try], 99)),
        "until_paired_s_max": round(max((p.until_paired_s for p in ok), default=0.0), 2),
        "retries_total": sum(p.retries for p in pairings),
        "hosted_before_flood": len(at_risk),
        "hosted_before_flood_succeeded": sum(p.ok for p in at_risk),
        "failures": dict(Counter(p.outcome for p in pairings if not p.ok)),
        "nameplate_digits": dict(sorted(Counter(p.digits for p in pairings).items())),
    }


def attacker_main(args: argparse.Namespace) -> int:
    """The attacker's own process: its event loop must not delay the honest clients' (on a real
    relay the attacker's CPU is not the relay's either). Prints its outcome counts as JSON."""
    raise_fd_limit(20_000)
    # On a real relay the attacker's CPU is another machine's. Here it shares two cores with
    # the relay and the honest clients, so it yields to them (it still gets every idle cycle).
    os.nice(ATTACKER_NICENESS)
    if args.attacker == "one_address":
        outcomes = asyncio.run(flood_one_address(args.url, args))
    else:
        outcomes = asyncio.run(flood_many_addresses(args.url, args))
    print(json.dumps(dict(outcomes)))
    return 0


def attacker_command(name: str, url: str, args: argparse.Namespace, duration: float) -> list[str]:
    return [
        sys.executable, "-m", "bench.relay_flood", "--attacker", name, "--url", url,
        "--duration", str(duration), "--addresses", str(args.addresses),
        "--joins-each", str(args.joins_each), "--flood-tasks", str(args.flood_tasks),
    ]  # fmt: skip


async def scenario(name: str, args: argparse.Namespace) -> dict[str, Any]:
    relay = RelayProcess(DEFAULT_LIMITS)
    started = time.perf_counter()
    flood_started = asyncio.Event()
    # The one-address flood lasts as long as the honest pairings (bounded either way).
    duration = args.honest / args.honest_rate + args.read_seconds
    try:
        async def honest() -> list[Pairing]:
            tasks = []
            for i in range(args.honest):
                tasks.append(asyncio.create_task(
                    honest_pairing(relay.url, i, args, flood_started)
                ))  # fmt: skip
                await asyncio.sleep(1 / args.honest_rate)
            return list(await asyncio.gather(*tasks))

        async def flood() -> tuple[Counter, float]:
            await asyncio.sleep(args.read_seconds)
            flood_started.set()
            t0 = time.perf_counter()
            proc = await asyncio.create_subprocess_exec(
                *attacker_command(name, relay.url, args, duration),
                cwd=ROOT, stdout=asyncio.subprocess.PIPE,
            )  # fmt: skip
            try:
                out, _ = await asyncio.wait_for(proc.communicate(), duration + 300)
            except TimeoutError:
                proc.kill()
                raise
            return Counter(json.loads(out)), time.perf_counter() - t0

        honest_task = asyncio.create_task(honest())
        flood_task = asyncio.create_task(flood())
        pairings = await honest_task
        outcomes, flood_seconds = await flood_task
        cpu = relay.cpu_seconds()
        metrics = scrape(relay.url)
    finally:
        exit_code = relay.stop()
    summary = summarise(pairings, args)
    attempts = sum(outcomes.values())
    result = {
        "honest": summary,
        "flood": {
            "attempts": attempts,
            "seconds": round(flood_seconds, 1),
            "per_second": round(attempts / flood_seconds, 1) if flood_seconds else 0,
            "outcomes": dict(outcomes.most_common()),
        },
        "relay_metrics": metrics,
        "relay_cpu_seconds": round(cpu, 2),
        "relay_exit_code": exit_code,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if name == "one_address":
        p99 = summary["pairing_ms_p99"]
        result["targets_met"] = {
            "success_100pct": summary["success_rate"] == 1.0,
            "p99_le_50ms": p99 is not None and p99 <= 50.0,
        }
    else:
        result["targets_met"] = {"success_ge_95pct": summary["success_rate"] >= 0.95}
    return result


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    raise_fd_limit(20_000)
    started = time.perf_counter()
    result: dict[str, Any] = {
        "settings": {
            "read_seconds": args.read_seconds,
            "read_seconds_note": "a person reading out the code takes about 5 s",
            "honest": args.honest,
            "honest_rate_per_s": args.honest_rate,
            "retry_seconds": args.retry_seconds,
            "give_up_seconds": args.give_up,
            "addresses": args.addresses,
            "joins_each": args.joins_each,
            "flood_tasks": args.flood_tasks,
            "relay": "python -m relay, default limits, loopback",
            "attacker": f"own process, nice {ATTACKER_NICENESS} (its CPU is not the relay's)",
        }
    }
    for name in args.scenarios.split(","):
        result[name] = await scenario(name, args)
    result["meta"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "cores": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.relay_flood", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scenarios", default="one_address,many_addresses")
    parser.add_argument("--read-seconds", type=float, default=5.0,
                        help="technician reading out the code (default 5)")  # fmt: skip
    parser.add_argument("--honest", type=int, default=100, help="honest pairings per scenario")
    parser.add_argument("--honest-rate", type=float, default=4.0, help="pairings started per s")
    parser.add_argument("--retry-seconds", type=float, default=2.0)
    parser.add_argument("--give-up", type=float, default=60.0)
    parser.add_argument("--addresses", type=int, default=2000)
    parser.add_argument("--joins-each", type=int, default=3)
    parser.add_argument("--flood-tasks", type=int, default=50,
                        help="attacker connections at a time (per kind, one_address)")  # fmt: skip
    parser.add_argument("--quick", action="store_true",
                        help="1 s reading, 40 pairings, 500 addresses (smoke run)")  # fmt: skip
    parser.add_argument("--attacker", help=argparse.SUPPRESS)  # internal: the attacker process
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--duration", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.attacker:
        return attacker_main(args)
    if args.quick:
        args.read_seconds, args.honest, args.addresses = 1.0, 40, 500
    print(json.dumps(asyncio.run(bench(args)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
