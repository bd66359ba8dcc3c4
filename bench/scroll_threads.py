"""Where the agent's CPU goes while glass_to_glass's document scrolls, per thread and per shown
frame: ``python -m bench.scroll_threads [--seconds 8] [--rounds 2]`` prints one JSON object.

The glass-to-glass rig (:mod:`bench.g2g`: two Xvfb screens, the Qt stimulus scrolling 1-3
lines a tick at 60 Hz, a real relay, console and agent, the agent in a process of its own,
consent by its real Allow button), but only its scroll phase, ``--rounds`` times in one
session. Per round: the frames the technician's screen showed (glass_to_glass's own count of
barcode changes), the agent's CPU per thread from ``/proc/<pid>/task/*/schedstat`` (what the
kernel counted, not samples), named as the agent's :func:`threading.enumerate` says, and the
agent's work counters (DAMAGE reports, grabs, updates sent). ``ms_per_shown_frame``: each
thread's CPU divided by the frames shown, the figure issue 16's "agent CPU while scrolling"
comes down to.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

from bench.g2g import fernhilfe
from bench.g2g.rig import missing_tools
from bench.g2g.workload import Bench
from bench.typing_cost import thread_cpu


class ScrollBench(Bench):
    """The rig, with only the scroll phase (``--rounds`` times) as the workload."""

    def convergence_at_1to1(self, trials: int) -> dict[str, Any]:
        return {}  # not this bench's question

    def run_workload(self, pids: dict[str, int], bytes_meter: Any,
                     link: Any = None) -> dict[str, Any]:
        agent = self.agent
        rounds: list[dict[str, Any]] = []
        for _ in range(self.args.rounds):
            k0 = agent.counters()
            c0 = thread_cpu(agent.pid, k0["threads"])
            res = self.scroll(self.args.seconds, pids, bytes_meter)
            k1 = agent.counters()
            c1 = thread_cpu(agent.pid, k0["threads"])
            shown = max(1.0, float(res["fps"]) * self.args.seconds)
            per = {k: v - c0.get(k, 0.0) for k, v in c1.items()}
            per = {k: v for k, v in sorted(per.items(), key=lambda kv: -kv[1]) if v > 0.0005}
            work = {k: v - k0["work"].get(k, 0) for k, v in k1["work"].items()}
            rounds.append({
                "fps": res["fps"],
                "stimulus_hz": res["stimulus_hz"],
                "frame_latency": res["frame_latency"],
                "agent_cpu_pct": res["cpu_pct"].get("agent"),
                "ms_per_shown_frame": {k: round(1000 * v / shown, 3) for k, v in per.items()},
                "ms_per_shown_frame_total": round(1000 * sum(per.values()) / shown, 3),
                "work_per_shown_frame": {k: round(v / shown, 3) for k, v in work.items()},
                "bytes_per_s": res.get("sent_bytes_per_s"),
            })
        totals = [r["ms_per_shown_frame_total"] for r in rounds]
        return {"rounds": rounds, "median_ms_per_shown_frame": statistics.median(totals)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scroll_threads",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="per round (default 8)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    args.quick = True
    missing = missing_tools()
    if missing:
        print(f"scroll_threads: apt-get install -y {' '.join(missing)}", file=sys.stderr)
        return 2
    bench = ScrollBench(args)
    started = time.monotonic()
    try:
        bench.start()
        result = fernhilfe.run_fernhilfe(bench)
        result = {k: v for k, v in result.items()
                  if k in ("rounds", "median_ms_per_shown_frame")}
    finally:
        bench.close()
    result["meta"] = {"seconds": round(time.monotonic() - started, 1), "cores": os.cpu_count(),
                      "load_avg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
