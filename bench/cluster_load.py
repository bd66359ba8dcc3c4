"""A cluster on this machine vs one relay: ``python -m bench.cluster_load`` prints one JSON line.

``[--shapes single,cluster1,cluster3] [--pairs 3000] [--front-pairs 300] [--seconds 5]``

Shapes, each started fresh with per-address limits opened up (bench.relay_load.OPEN_LIMITS: all
clients come from loopback):

- ``single``: ``python -m relay`` alone, no Redis (the default deployment);
- ``cluster1`` / ``cluster3``: bench/support/cluster.py (Redis with the shipped config, that many
  nodes, HAProxy in front).

Clients live in ``--workers`` processes of their own (bench.relay_memory.ClientPool). Per shape:

1. **Pairing rate**: ``--pairs`` agent+console pairs opened straight at the nodes along every
   (agent node, console node) route in turn, so in cluster3 two pairs in three are cross-node:
   the console's node reaches the agent's over the internal connection (``internal_hops``: the
   attaches made, from each node's ``fernhilfe_relay_internal_attaches_total{outcome="ok"}``).
   Pairs/s, and the CPU seconds each process (nodes, Redis, HAProxy, clients) spent.
2. **Sessions held**: the pairs stay open idle; RSS of every node, KiB per session, CPU while
   idle for ``--idle`` seconds (keepalive pings).
3. **Forwarding**: ``--stream-pairs`` of the held pairs (300; along the same routes) stream
   16 KiB messages agent → console for ``--seconds``: aggregate MB/s and CPU seconds per MB of
   each process.
4. **Through HAProxy** (cluster shapes): ``--front-pairs`` pairs through the front (where a pair
   lands is HAProxy's choice: leastconn), pairing rate and forwarding again, with HAProxy's CPU.

From those: what a node costs per session and per MB/s, and what that predicts for 3 machines
(each node its own core, Redis and HAProxy on their own). On this 2-core machine three nodes,
Redis, HAProxy and the clients compete for 2 cores: the measured cluster3 rates are a floor,
the prediction is the figure. A table goes to stderr; ``meta`` has the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.relay_load import OPEN_LIMITS, RelayProcess
from bench.relay_memory import (
    ClientPool,
    client_sources,
    cpu_seconds,
    raise_fd_limit_hard,
    rss_mb,
)
from bench.support.cluster import Cluster
from bench.support.relay import http_base

ATTACHES = "fernhilfe_relay_internal_attaches_total"
MESSAGE = 16 * 1024


@dataclass
class Shape:
    """What one shape runs: its nodes (name → pid, direct ws URL, http base), the processes
    that are not nodes (Redis, HAProxy), and HAProxy's front URL if there is one."""

    name: str
    nodes: dict[str, tuple[int, str, str]]
    others: dict[str, int] = field(default_factory=dict)
    front: str | None = None

    def pids(self) -> dict[str, int]:
        return {**{n: pid for n, (pid, _, _) in self.nodes.items()}, **self.others}

    def routes(self) -> list[tuple[str, str]]:
        """Every (agent node, console node) pair of direct URLs."""
        urls = [url for _, url, _ in self.nodes.values()]
        return [(a, c) for a in urls for c in urls]

    def attaches(self) -> float:
        """Internal hops (attaches made) by all nodes so far (0 where the metric is missing)."""
        total = 0.0
        for _, _, base in self.nodes.values():
            with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
                for line in response.read().decode().splitlines():
                    # Each hop is counted where it is made ("ok") and where it is taken
                    # ("accepted"): the hops are the ones made.
                    if line.startswith(ATTACHES) and 'outcome="ok"' in line:
                        total += float(line.rsplit(" ", 1)[1])
        return total


@contextlib.contextmanager
def started(name: str, tmp: Path) -> Iterator[Shape]:
    """Start the shape ``name``; everything stops when the block ends."""
    if name == "single":
        relay = RelayProcess([])
        try:
            yield Shape(name, {"relay": (relay.proc.pid, relay.url, http_base(relay.url))})
        finally:
            relay.stop()
        return
    count = int(name.removeprefix("cluster"))
    with Cluster(tmp / name, nodes=count, relay_flags=OPEN_LIMITS) as cluster:
        assert cluster.redis.proc is not None and cluster.haproxy is not None
        nodes = {n.node_id: (n.pid or 0, n.url, n.http_base) for n in cluster.nodes}
        yield Shape(name, nodes, {"redis": cluster.redis.proc.pid, "haproxy": cluster.haproxy.pid},
                    cluster.url)


class CpuMeter:
    """CPU seconds each process spends between :meth:`start` and :meth:`stop`."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.t0 = 0.0
        self.before: dict[str, float] = {}

    def start(self) -> None:
        self.before = {n: cpu_seconds(p) for n, p in self.pids.items()}
        self.t0 = time.perf_counter()

    def stop(self) -> tuple[float, dict[str, float]]:
        """Wall seconds, and CPU seconds per process."""
        wall = time.perf_counter() - self.t0
        return wall, {n: round(cpu_seconds(p) - self.before[n], 3) for n, p in self.pids.items()}


def measure(shape: Shape, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"nodes": len(shape.nodes)}
    with ClientPool(args.workers, client_sources(args.workers), args.batch) as pool:
        pids = {**shape.pids(), **{f"client{i}": p for i, p in enumerate(pool.pids)}}
        meter = CpuMeter(pids)
        time.sleep(1.0)
        rss0 = {n: rss_mb(pid)[0] for n, (pid, _, _) in shape.nodes.items()}
        attaches0 = shape.attaches()

        meter.start()
        pool.grow(args.pairs, shape.routes())
        wall, cpu = meter.stop()
        cross = sum(a != c for a, c in shape.routes()) / len(shape.routes())
        out["pairing"] = {"pairs": args.pairs, "pairs_per_s": round(args.pairs / wall, 1),
                          "cross_node_share": round(cross, 3),
                          "internal_hops": shape.attaches() - attaches0, "cpu_s": cpu,
                          "refused_then_retried": sum(pool.refused.values())}

        time.sleep(2.0)
        rss = {n: rss_mb(pid)[0] for n, (pid, _, _) in shape.nodes.items()}
        meter.start()
        time.sleep(args.idle)
        wall, cpu = meter.stop()
        added = sum(rss.values()) - sum(rss0.values())
        out["held"] = {"sessions": args.pairs, "rss_mb": {n: round(v, 1) for n, v in rss.items()},
                       "kib_per_session": round(added * 1024 / args.pairs, 1),
                       "idle_cpu_share": {n: round(v / wall, 4) for n, v in cpu.items()}}

        meter.start()
        got = pool.stream(args.seconds, MESSAGE, args.stream_pairs)
        wall, cpu = meter.stop()
        out["forwarding"] = {"mb_s": round(got / wall / 1e6, 1), "message_kib": MESSAGE // 1024,
                             "pairs": args.stream_pairs, "cpu_s": cpu, "mb": round(got / 1e6, 1)}
        pool.close_pairs()

        if shape.front is not None and args.front_pairs:
            time.sleep(1.0)
            attaches0 = shape.attaches()
            meter.start()
            pool.grow(args.front_pairs, [(shape.front, shape.front)])
            wall, cpu = meter.stop()
            front: dict[str, Any] = {
                "pairs": args.front_pairs, "pairs_per_s": round(args.front_pairs / wall, 1),
                "internal_hops": shape.attaches() - attaches0, "pairing_cpu_s": cpu,
                "refused_then_retried": sum(pool.refused.values())
                - out["pairing"]["refused_then_retried"]}
            meter.start()
            got = pool.stream(args.seconds, MESSAGE, args.stream_pairs)
            wall, cpu = meter.stop()
            front.update(mb_s=round(got / wall / 1e6, 1), forwarding_cpu_s=cpu,
                         mb=round(got / 1e6, 1))
            out["through_haproxy"] = front
            pool.close_pairs()
        out["refusals"] = dict(pool.refused)  # why pair attempts were refused (then retried)
    return out


def costs(result: dict[str, Any]) -> dict[str, Any]:
    """Per-node costs of one shape, and the 3-machine prediction they give."""
    nodes = list(result["held"]["rss_mb"])
    pairing, fwd = result["pairing"], result["forwarding"]
    node_cpu_pair = sum(pairing["cpu_s"][n] for n in nodes) / pairing["pairs"]
    node_cpu_mb = sum(fwd["cpu_s"][n] for n in nodes) / max(fwd["mb"], 1e-9)
    cost: dict[str, Any] = {
        "node_cpu_ms_per_pairing": round(node_cpu_pair * 1000, 3),
        "node_cpu_s_per_gb_forwarded": round(node_cpu_mb * 1000, 2),
        "node_kib_per_session": result["held"]["kib_per_session"],
    }
    redis_pair = pairing["cpu_s"].get("redis", 0.0) / pairing["pairs"]
    if "redis" in pairing["cpu_s"]:
        cost["redis_cpu_ms_per_pairing"] = round(redis_pair * 1000, 3)
    # What one core running this shape's node code does (pairing and forwarding alone).
    cost["one_core"] = {
        "pairs_per_s": round(1 / node_cpu_pair) if node_cpu_pair else None,
        "forwarded_mb_s": round(1 / node_cpu_mb) if node_cpu_mb else None,
        "sessions_per_gib": round(1024 * 1024 / result["held"]["kib_per_session"])
        if result["held"]["kib_per_session"] > 0 else None,
    }
    machines = result["nodes"]
    if machines > 1:
        # Each node on a machine (a core) of its own, Redis on its own: the nodes' summed cost
        # per pair already holds the cross-node share (both nodes work for such a pair);
        # pairing is bound by the nodes or by Redis, whichever saturates first.
        limits = [machines / node_cpu_pair] if node_cpu_pair else []
        if redis_pair:
            limits.append(1 / redis_pair)
        cost[f"predicted_{machines}_machines"] = {
            "pairs_per_s": round(min(limits)) if limits else None,
            "forwarded_mb_s": round(machines / node_cpu_mb) if node_cpu_mb else None,
            # RSS per session is summed over the nodes (a cross-node session lives on two).
            "sessions_with_1_gib_each_node": machines * cost["one_core"]["sessions_per_gib"]
            if cost["one_core"]["sessions_per_gib"] else None,
        }
    front = result.get("through_haproxy")
    if front:
        haproxy_mb = front["forwarding_cpu_s"].get("haproxy", 0.0) / max(front["mb"], 1e-9)
        cost["haproxy_cpu_s_per_gb"] = round(haproxy_mb * 1000, 2)
        if haproxy_mb:  # what one HAProxy core forwards at this cost
            cost["haproxy_one_core_mb_s"] = round(1 / haproxy_mb)
    return cost


def table(result: dict[str, Any]) -> str:
    lines = ["cluster on one machine vs one relay (idle sessions held, pairing, forwarding)",
             f"{'shape':<9} {'pairs/s':>8} {'cross':>6} {'hops':>6} {'KiB/sess':>9} "
             f"{'MB/s':>7} {'ms CPU/pair':>12} {'CPU s/GB':>9} {'front p/s':>10} "
             f"{'front MB/s':>10}"]
    for name, r in result["shapes"].items():
        c, front = r["costs"], r.get("through_haproxy", {})
        lines.append(
            f"{name:<9} {r['pairing']['pairs_per_s']:>8} {r['pairing']['cross_node_share']:>6} "
            f"{r['pairing']['internal_hops']:>6.0f} {r['held']['kib_per_session']:>9} "
            f"{r['forwarding']['mb_s']:>7} {c['node_cpu_ms_per_pairing']:>12} "
            f"{c['node_cpu_s_per_gb_forwarded']:>9} {front.get('pairs_per_s', '-'):>10} "
            f"{front.get('mb_s', '-'):>10}")
    for name, r in result["shapes"].items():
        for key, value in r["costs"].items():
            if key == "one_core" or key.startswith("predicted_") or key.startswith("haproxy"):
                lines.append(f"{name}: {key} {value}")
    lines.append(f"load average 1 min {result['meta']['load_avg_1m_start']} -> "
                 f"{result['meta']['load_avg_1m_end']} on {result['meta']['cpus']} CPUs "
                 "(shared with other work: the lead re-measures)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="single,cluster1,cluster3")
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--front-pairs", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--stream-pairs", type=int, default=300,
                        help="held pairs that stream at once in the forwarding phases")
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--batch", type=int, default=50,
                        help="pairs each client process opens at once (concurrency)")
    args = parser.parse_args(argv)
    fd_limit = raise_fd_limit_hard(4 * args.pairs + 2000)
    result: dict[str, Any] = {
        "bench": "cluster_load",
        "meta": {"load_avg_1m_start": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                 "fd_limit": fd_limit, "workers": args.workers, "batch": args.batch},
        "shapes": {},
    }
    with tempfile.TemporaryDirectory(prefix="fh-bench-cluster-load-") as tmp:
        for name in args.shapes.split(","):
            with started(name, Path(tmp)) as shape:
                measured = measure(shape, args)
            measured["costs"] = costs(measured)
            result["shapes"][name] = measured
            print(f"{name}: done", file=sys.stderr)
    result["meta"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    print(table(result), file=sys.stderr)
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
