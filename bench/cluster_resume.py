"""Resume after losing a relay node: ``python -m bench.cluster_resume [--trials 20]``.

A real cluster on loopback (bench/support/cluster.py: Redis, 3 relay nodes, HAProxy in front),
and a real session through HAProxy as bench/resume.py makes it (the agent in this process on
its own Xvfb, its real Allow button clicked once; the console as a process on another Xvfb).
Each trial:

1. finds the nodes carrying the session: each node's own /metrics (``fernhilfe_relay_sessions_
   paired``, ``fernhilfe_relay_connections``); when agent and console sit on two nodes, one
   holds the paired session (the owner), the other the internal hop: ``--kill`` picks which
   dies (default: in turn);
2. t0, SIGKILL of that node (no goodbye: its machine died), and the customer's screen changes
   colour at once;
3. the figure: t0 → the first grab of the technician's screen that shows the new colour (the
   clients notice the dead link, resume through HAProxy on the surviving nodes: issue 13's
   resume, no new code);
4. the killed node is started again and the bench waits until HAProxy sees all nodes UP.

p50/p95 over the trials (target p50 <= 2 s, p95 <= 5 s). One JSON line on stdout, a table on
stderr. Needs Debian packages xvfb xdotool redis-server haproxy. About 20 s a trial.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import mss

from bench.resume import H, SessionRig, W, grab_has, summary
from bench.support.cluster import Cluster, NodeProcess
from bench.support.xvfb import XvfbDisplay

#: The gauges that say what a node carries now.
GAUGES = ("fernhilfe_relay_sessions_paired", "fernhilfe_relay_connections")


def gauges(node: NodeProcess) -> dict[str, float]:
    """The node's label-free gauges of :data:`GAUGES` from its own /metrics (loopback may read
    them); empty when the node does not answer."""
    try:
        with urllib.request.urlopen(node.http_base + "/metrics", timeout=2) as response:
            text = response.read().decode()
    except OSError:
        return {}
    values: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in GAUGES:
            values[name] = float(value)
    return values


def carriers(cluster: Cluster) -> list[tuple[NodeProcess, dict[str, float]]]:
    """Running nodes with a connection open, the one holding the paired session first."""
    found = [(n, g) for n in cluster.nodes if n.alive and (g := gauges(n)).get(GAUGES[1])]
    return sorted(found, key=lambda ng: (-ng[1].get(GAUGES[0], 0), -ng[1].get(GAUGES[1], 0)))


def run(customer: XvfbDisplay, tech: XvfbDisplay, tmp: Path,
        args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtTest import QTest

    result: dict[str, Any] = {"bench": "cluster_resume", "nodes": args.nodes}
    trials: list[dict[str, Any]] = []
    with Cluster(tmp / "cluster", nodes=args.nodes) as cluster:
        rig = SessionRig(customer, tech, cluster.url, cluster.url)
        try:
            rig.connect()
            colour = 0
            with mss.MSS(display=tech.name) as sct:
                bgr = rig.paint(colour)
                rig.wait_until(lambda: grab_has(tech, bgr, sct), 30, "the first picture")
                for _ in range(args.trials):
                    rig.wait_until(lambda: carriers(cluster), 30, "a node carrying the session")
                    found = carriers(cluster)
                    span = [n.node_id for n, _ in found]
                    # found[0] holds the paired session (the agent's or resume waiter's node);
                    # found[1], if any, the other end's node with its internal hop.
                    other = args.kill == "other" or (args.kill == "alternate" and len(trials) % 2)
                    victim = found[1 if other and len(found) > 1 else 0][0]
                    colour += 1
                    t0 = time.monotonic()
                    victim.kill()
                    bgr = rig.paint(colour)
                    t1 = rig.wait_until(lambda b=bgr: grab_has(tech, b, sct), 60,
                                        "the picture back")
                    after = [n.node_id for n, _ in carriers(cluster)]
                    trials.append({"s": round(t1 - t0, 3), "killed": victim.node_id,
                                   "killed_role": "owner" if victim is found[0][0] else "hop",
                                   "nodes_before": span, "nodes_after": after})
                    print(f"trial {len(trials)}: killed {victim.node_id} (session on {span}), "
                          f"picture back after {t1 - t0:.3f} s on {after}", file=sys.stderr)
                    victim.start()
                    cluster.wait_healthy(60)
                    QTest.qWait(500)
            result.update(rig.outcome())
        finally:
            rig.close()
    times = [t["s"] for t in trials]
    result["resume_after_kill"] = summary(times)
    result["cross_node_before_kill"] = sum(len(t["nodes_before"]) > 1 for t in trials)
    for role in ("owner", "hop"):
        chosen = [t["s"] for t in trials if t["killed_role"] == role]
        if chosen:
            result[f"killed_{role}"] = summary(chosen)
    result["trials"] = trials
    result["targets_met"] = {"p50_le_2s": result["resume_after_kill"]["p50_s"] <= 2.0,
                             "p95_le_5s": result["resume_after_kill"]["p95_s"] <= 5.0}
    return result


def table(result: dict[str, Any]) -> str:
    s = result["resume_after_kill"]
    return "\n".join([
        f"resume after SIGKILL of the node carrying the session ({result['nodes']} nodes, "
        "HAProxy in front)",
        f"  trials {s['trials']}: p50 {s['p50_s']} s, p95 {s['p95_s']} s, max {s['max_s']} s "
        f"(targets p50 <= 2 s, p95 <= 5 s: {result['targets_met']})",
        *(f"  killed the {role} node: {result[f'killed_{role}']}" for role in ("owner", "hop")
          if f"killed_{role}" in result),
        f"  session spread over two nodes before the kill in {result['cross_node_before_kill']} "
        f"trials; resumes counted by the agent: {result['resumes']}, same session: "
        f"{result['same_session']}",
        f"  load average 1 min {result['meta']['load_avg_1m_start']} -> "
        f"{result['meta']['load_avg_1m_end']} on {result['meta']['cpus']} CPUs",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--kill", choices=("owner", "other", "alternate"), default="alternate",
                        help="which carrying node dies when the session spans two: the one "
                             "holding the paired session, the one with the hop, or in turn")
    args = parser.parse_args(argv)
    meta: dict[str, Any] = {"load_avg_1m_start": round(os.getloadavg()[0], 2),
                            "cpus": os.cpu_count(),
                            "note": "machine shared with other work: the lead re-measures"}
    with (tempfile.TemporaryDirectory(prefix="fh-bench-cluster-resume-") as tmp,
          XvfbDisplay(width=W, height=H) as customer, XvfbDisplay(width=W, height=H) as tech):
        os.environ["DISPLAY"] = customer.name
        os.environ["FERNHILFE_DATA_DIR"] = str(Path(tmp) / "data")
        result = run(customer, tech, Path(tmp), args)
    meta["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    result["meta"] = meta
    print(table(result), file=sys.stderr)
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
