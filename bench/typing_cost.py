"""What the agent spends while the customer types: CPU per thread and work per typed character.

Run: ``python -m bench.typing_cost [--seconds 10] [--delay 70]``. Prints one JSON object.

The glass-to-glass rig (:mod:`bench.g2g`: two Xvfb screens, the stimulus, a real relay and a real
console as subprocesses, the real agent in this process, consent by clicking the real Allow
button). ``xdotool type`` then types into the stimulus's text field on the customer's screen at
one character every ``--delay`` ms. Measured per phase, from ``/proc/self/task/*/schedstat``
(CPU the kernel counted, not py-spy samples, which count waits as busy), per thread of this
process named by :func:`threading.enumerate`:

* ``harness``: typing before any session exists (the bench's own Qt loop and pipes, the agent's
  code window): what glass_to_glass counts as "agent" CPU but is not the session's work;
* ``typing``: the same typing while the session shares the screen;
* ``idle``: nothing typed while the session shares the screen.

Per typed character: the change watcher's reports (``x11-damage``), the capturer's region,
empty and full grabs, frames sent (each is acked), and the streamer's wakeups.
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


def thread_cpu() -> dict[str, float]:
    """CPU seconds per thread of this process, keyed by Python thread name (or the kernel's)."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    out: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            ns = int((task / "schedstat").read_text().split()[0])
            tid = int(task.name)
            name = names.get(tid) or (task / "comm").read_text().strip()
            out[name] = out.get(name, 0.0) + ns / 1e9
    return out


def counters(agent: Any) -> dict[str, int]:
    """The session's work counters so far (zeros without a session)."""
    active = agent.worker.host.active if agent is not None else None
    streamer = getattr(active, "streamer", None)
    if streamer is None:
        return {}
    src = streamer._source
    stats = getattr(src, "stats", {})
    watcher = streamer._watcher
    return {
        "damage_reports": int(getattr(watcher, "notifications", 0)),
        "grabs_region": int(stats.get("region", 0)),
        "grabs_empty": int(stats.get("empty", 0)),
        "grabs_full": int(stats.get("full", 0)),
        "frames": int(streamer.frames_sent),
        "bytes": int(streamer.bytes_sent),
        "streamer_wakeups": int(getattr(streamer, "wakeups", 0)),
    }


def profile_threads(path: str) -> None:
    """Run the streamer's, the damage watcher's and the pointer watcher's thread bodies under
    cProfile, counting thread CPU time (not waits); dump each to ``path.<thread>`` at its end."""
    import cProfile

    from agent.cursor import CursorWatcher
    from agent.damage import X11DamageWatcher
    from agent.pipeline import ScreenStreamer

    def wrap(cls: Any, name: str) -> None:
        original = cls._run

        def run(self: Any, *args: Any) -> None:
            prof = cProfile.Profile(time.thread_time)
            try:
                prof.runcall(original, self, *args)
            finally:
                prof.dump_stats(f"{path}.{name}")

        cls._run = run

    wrap(ScreenStreamer, "streamer")
    wrap(X11DamageWatcher, "damage")
    wrap(CursorWatcher, "cursor")


class TypingBench(Bench):
    """The rig, with the typing phases in place of glass_to_glass's workload."""

    agent: Any = None
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
        c0, k0, t0 = thread_cpu(), counters(agent), time.monotonic()
        proc = subprocess.Popen(cmd, env=self.customer.env()) if cmd else None
        deadline = t0 + seconds + 10
        if proc is not None:
            while proc.poll() is None and time.monotonic() < deadline:
                self.qwait(0.1)
            stop_proc(proc)
        else:
            self.qwait(seconds)
        span = time.monotonic() - t0
        c1, k1 = thread_cpu(), counters(agent)
        per_thread = {k: round(100 * (v - c0.get(k, 0.0)) / span, 2) for k, v in c1.items()}
        per_thread = {k: v for k, v in sorted(per_thread.items(), key=lambda kv: -kv[1]) if v}
        work = {k: v - k0.get(k, 0) for k, v in k1.items()}
        out: dict[str, Any] = {
            "seconds": round(span, 2), "chars": chars,
            "cpu_pct_total": round(sum(per_thread.values()), 2), "cpu_pct_per_thread": per_thread,
            "work": work,
        }
        if chars:
            out["per_char"] = {k: round(v / chars, 2) for k, v in work.items()}
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
            net: ByteMeter = bytes_meter()
            res[name] = run()
            res[name]["net"] = net.rates()
        return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.typing_cost",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (default 10)")
    parser.add_argument("--delay", type=int, default=70, help="ms between characters")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile the agent's streamer, damage and cursor threads in "
                             "thread CPU time (whole session) into FILE.<thread>")
    args = parser.parse_args(argv)
    if args.profile:
        profile_threads(args.profile)
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
        # the agent is made inside run_fernhilfe: find it through the class, not a global
        from agent.app import AgentApp

        made: list[Any] = []
        original = AgentApp.start

        def start(self: Any) -> None:
            made.append(self)
            bench.agent = self
            original(self)

        AgentApp.start = start  # type: ignore[method-assign]
        try:
            result = fernhilfe.run_fernhilfe(bench)
        finally:
            AgentApp.start = original  # type: ignore[method-assign]
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
