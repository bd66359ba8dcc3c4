"""What the agent spends while the customer types: CPU per thread and work per typed character.

Run: ``python -m bench.typing_cost [--seconds 10] [--delay 70]``. Prints one JSON object.

The glass-to-glass rig (:mod:`bench.g2g`: two Xvfb screens, the stimulus, a real relay, a real
console and the real agent as subprocesses, consent by clicking the real Allow button in the
agent's process, :mod:`bench.g2g.agent_proc`). ``xdotool type`` then types into the stimulus's
text field on the customer's screen at one character every ``--delay`` ms. Measured per phase,
from ``/proc/<agent pid>/task/*/schedstat`` (CPU the kernel counted, not py-spy samples, which
count waits as busy), per thread of the agent's process named as its :func:`threading.enumerate`
says. Each phase also reports this bench process's own CPU (``bench_process_*``), which is not
the agent's: until issue 16's typing work the agent ran in here and it was counted.

* ``harness``: typing before any session exists, measured on this bench process (its Qt loop
  and pipe readers): what the agent's figures used to include;
* ``typing``: the same typing while the session shares the screen;
* ``idle``: nothing typed while the session shares the screen.

Per typed character: the agent's CPU (ms, per thread and in all), the change watcher's reports
(``x11-damage``), the capturer's region, empty and full grabs, frames sent (each is acked), and
the streamer's wakeups.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.g2g import fernhilfe
from bench.g2g.meters import ByteMeter
from bench.g2g.procs import stop_proc
from bench.g2g.rig import missing_tools
from bench.g2g.workload import Bench

TEXT = "Hallo, hier ist der Techniker. Bitte den Drucker neu starten. " * 20


def thread_cpu(pid: int, names: dict[str, str]) -> dict[str, float]:
    """CPU seconds per thread of process ``pid``, keyed by Python thread name (``names``: native
    id -> name, as the process reported them) or else the kernel's."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            ns = int((task / "schedstat").read_text().split()[0])
            name = names.get(task.name) or (task / "comm").read_text().strip()
            out[name] = out.get(name, 0.0) + ns / 1e9
    return out


class TypingBench(Bench):
    """The rig, with the typing phases in place of glass_to_glass's workload."""

    harness: dict[str, Any] | None = None  # the typing phase before any session

    def type_for(self, seconds: float, agent: Any) -> dict[str, Any]:
        """Type into the stimulus's text field for ``seconds``; CPU per thread and counters."""
        tx, ty, tw, th = self.geo["typing"]
        self.xdo(self.customer, "mousemove", str(tx + tw // 2), str(ty + th // 2), "click", "1")
        self.stim("clear", "cleared")
        self.qwait(0.8)
        delay = self.args.delay
        n = int(seconds * 1000 / delay)
        return self.measure(seconds, agent, ["xdotool", "type", "--delay", str(delay), TEXT[:n]],
                            n)

    def measure(self, seconds: float, agent: Any, cmd: list[str] | None,
                chars: int) -> dict[str, Any]:
        """CPU per thread of the agent's process (``agent``: bench.g2g.agent_proc's handle;
        None: before any session, this bench process) and of this bench process, which is not
        counted as the agent's (it was, before issue 16's typing work)."""
        pid = agent.pid if agent is not None else os.getpid()
        k0 = agent.counters() if agent is not None else {"work": {}, "threads": {}}
        own = {str(t.native_id): t.name for t in threading.enumerate()}
        names = k0["threads"] if agent is not None else own
        c0, b0, t0 = thread_cpu(pid, names), thread_cpu(os.getpid(), own), time.monotonic()
        proc = subprocess.Popen(cmd, env=self.customer.env()) if cmd else None
        deadline = t0 + seconds + 10
        if proc is not None:
            while proc.poll() is None and time.monotonic() < deadline:
                self.qwait(0.1)
            stop_proc(proc)
        else:
            self.qwait(seconds)
        span = time.monotonic() - t0
        c1, b1 = thread_cpu(pid, names), thread_cpu(os.getpid(), own)
        k1 = agent.counters() if agent is not None else {"work": {}, "threads": {}}

        def pct(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
            per = {k: round(100 * (v - before.get(k, 0.0)) / span, 2) for k, v in after.items()}
            return {k: v for k, v in sorted(per.items(), key=lambda kv: -kv[1]) if v}

        per_thread = pct(c1, c0)
        bench_own = pct(b1, b0)
        work = {k: v - k0["work"].get(k, 0) for k, v in k1["work"].items()}
        out: dict[str, Any] = {
            "seconds": round(span, 2), "chars": chars,
            "cpu_pct_total": round(sum(per_thread.values()), 2), "cpu_pct_per_thread": per_thread,
            "bench_process_cpu_pct": round(sum(bench_own.values()), 2) if agent else None,
            "bench_process_per_thread": bench_own if agent else None,
            "work": work,
        }
        if chars:
            out["per_char"] = {k: round(v / chars, 2) for k, v in work.items()}
            # CPU per typed character (ms), per thread and in all: comparable across runs whose
            # typing took longer or shorter (xdotool's pace varies with the machine's load)
            per_ms = {k: round(v / 100 * span / chars * 1000, 3) for k, v in per_thread.items()}
            out["cpu_ms_per_char"] = {"total": round(sum(per_ms.values()), 3), **per_ms}
        return out

    def convergence_at_1to1(self, trials: int) -> dict[str, Any]:
        return {}  # not this bench's question

    def run_workload(self, pids: dict[str, int], bytes_meter: Any,
                     link: Any = None) -> dict[str, Any]:
        s = self.args.seconds
        res: dict[str, Any] = {"harness": self.harness}
        self.type_for(2.0, self.agent)  # warm-up: first-use imports (PyAV) and caches
        def scroll() -> dict[str, Any]:
            self.stim("scroll on", "scroll")
            try:
                return self.measure(s / 2, self.agent, None, 0)
            finally:
                self.stim("scroll off", "scroll")

        for name, run in (("typing", lambda: self.type_for(s, self.agent)),
                          ("idle", lambda: self.measure(s, self.agent, None, 0)),
                          ("scroll", scroll)):
            if name not in self.args.phases.split(","):
                continue
            net: ByteMeter = bytes_meter()
            res[name] = run()
            res[name]["net"] = net.rates()
        return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.typing_cost",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (default 10)")
    parser.add_argument("--delay", type=int, default=70, help="ms between characters")
    parser.add_argument("--phases", default="typing,idle,scroll",
                        help="which phases to run (default all: typing,idle,scroll)")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile the agent's streamer, damage and cursor threads in "
                             "thread CPU time (whole session) into FILE.<thread> "
                             "(bench.g2g.agent_proc.profile_threads)")
    args = parser.parse_args(argv)
    args.quick = True
    missing = missing_tools()
    if missing:
        print(f"typing_cost: apt-get install -y {' '.join(missing)}", file=sys.stderr)
        return 2
    bench = TypingBench(args)
    started = time.monotonic()
    try:
        bench.start()
        bench.harness = bench.type_for(args.seconds, None)
        result = fernhilfe.run_fernhilfe(bench)  # sets bench.agent: the agent's process
        result = {k: v for k, v in result.items()
                  if k in ("harness", "typing", "idle", "scroll")}
    finally:
        bench.close()
    result["meta"] = {"seconds": round(time.monotonic() - started, 1), "cores": os.cpu_count(),
                      "load_avg_1m": round(os.getloadavg()[0], 2), "delay_ms": args.delay}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
