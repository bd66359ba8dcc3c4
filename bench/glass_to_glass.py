"""Glass-to-glass benchmark: ``python -m bench.glass_to_glass [--quick]`` prints one JSON object.

Measures what a person sees on the technician's screen, with nothing instrumented inside the
product, for Fernhilfe and for x11vnc + TigerVNC's viewer in the same run and the same workload:

* two Xvfb screens, 1920x1080x24: the customer's (runs ``bench/stimulus.py``, a full-screen Qt
  window with a colour marker, a text field and a scrollable document) and the technician's
  (runs our console in fit mode filling the screen, resp. ``xtigervncviewer -FullScreen``);
* a **sampler** process (``bench/g2g/sampler.py``) on the technician's screen grabs small
  regions with mss in a loop and clicks with XTest (what xdotool does, without a process start
  per click between the time stamp and the click);
* all time stamps are ``time.monotonic()`` (CLOCK_MONOTONIC, one clock for every process here):
  the stimulus stamps a colour change right after painting it, the sampler stamps the first grab
  that shows it.

Metrics (both systems): screen latency p50/p95 (marker change → visible; split into changes
while the screen is active and after ≥1.2 s of rest), click-to-photon p50/p95 (XTest click on the
marker in the viewer → the stimulus reacts → visible), frames per second seen and bytes per second
sent while the document scrolls at 60 Hz, bytes/s and CPU at rest and while typing, and the time
until a resting screen is pixel-exact on the technician's screen.

How ours runs: relay, console and agent are subprocesses. The agent's process
(:mod:`bench.g2g.agent_proc`) tells the bench the session code (``AgentApp.window.code_text()``)
and clicks the real Allow button (QTest) when told — OCR is not available; its CPU is the agent's
alone (until issue 16 the agent ran in this process, and this process's Qt loop and pipe readers,
about 0.75 % of a core, counted as the agent's).

Bytes on the wire: for both systems the kernel's per-socket counters (``ss -tinp``, bytes_sent /
bytes_received) of the customer side's TCP connection: the agent's websocket to the relay,
x11vnc's socket to the viewer. The relay's Prometheus counter is reported as a cross-check.

Lines (``--link loopback,dsl4,dsl16``; ``--quick`` defaults to loopback only): on ``dsl4`` and
``dsl16`` (bench/support/link.py's PROFILES) both systems run again through the link emulator, a
subprocess that models the customer's DSL line (uplink rate, round trip, modem queue):
Fernhilfe's agent reaches the relay through it, TigerVNC's viewer reaches x11vnc through it.
Loopback results stay at the top level (``fernhilfe``, ``vnc``, ``ratios``, ``targets``); each
line's are under ``links.<name>``.

Needs Debian packages: xvfb xdotool x11vnc tigervnc-viewer (``apt-get install -y xvfb xdotool
x11vnc tigervnc-viewer``). Runs about 2–3 minutes; uses loopback only.

The parts live in ``bench/g2g/``, one job each: ``rig`` (screens, stimulus and sampler processes,
geometry), ``sampler`` (the subprocess that watches and clicks), ``workload`` (the measurements),
``meters`` (CPU, socket bytes, statistics), ``fernhilfe`` and ``vnc`` (the two systems),
``report`` (ratios against the targets). This module is the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from bench.g2g.fernhilfe import run_fernhilfe
from bench.g2g.report import summarise, summarise_link
from bench.g2g.rig import H, W, missing_tools
from bench.g2g.vnc import run_vnc
from bench.g2g.workload import PHASES, Bench
from bench.support.link import PROFILES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.glass_to_glass", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer trials (about 1 minute)")
    parser.add_argument("--only", choices=("fernhilfe", "vnc"), help="run one system only")
    parser.add_argument(
        "--link",
        help="comma-separated lines to measure on: loopback and/or "
        f"{', '.join(sorted(PROFILES))} (default: all; with --quick: loopback)",
    )
    parser.add_argument(
        "--phases",
        help="comma-separated phases to run (default: all): "
        f"{', '.join(PHASES)} (convergence: Fernhilfe on loopback only)",
    )
    args = parser.parse_args(argv)
    if args.phases is not None:
        args.phases = args.phases.split(",")
        bad = [name for name in args.phases if name not in PHASES]
        if bad:
            parser.error(f"unknown phase {', '.join(bad)}; known: {', '.join(PHASES)}")
    links = (args.link or ("loopback" if args.quick else "loopback,dsl4,dsl16")).split(",")
    unknown = [name for name in links if name != "loopback" and name not in PROFILES]
    if unknown:
        parser.error(f"unknown link {', '.join(unknown)}; known: loopback, "
                     f"{', '.join(sorted(PROFILES))}")
    missing = missing_tools()
    if missing:
        print(
            f"glass_to_glass: missing tools; install them with:\n"
            f"  apt-get install -y {' '.join(missing)}",
            file=sys.stderr,
        )
        return 2
    bench = Bench(args)
    started = time.monotonic()
    result: dict[str, Any] = {}
    try:
        bench.start()
        for name in links:
            profile = PROFILES.get(name)
            runs: dict[str, Any] = {}
            if args.only != "vnc":
                runs["fernhilfe"] = run_fernhilfe(bench, profile)
            if args.only != "fernhilfe":
                runs["vnc"] = run_vnc(bench, profile)
            if profile is None:
                result.update(runs)
                if "fernhilfe" in runs and "vnc" in runs:
                    result.update(summarise(runs["fernhilfe"], runs["vnc"]))
            else:
                runs["profile"] = vars(profile)
                if "fernhilfe" in runs:
                    runs.update(summarise_link(runs["fernhilfe"], runs.get("vnc")))
                result.setdefault("links", {})[name] = runs
    finally:
        bench.close()
    result["meta"] = {
        "seconds": round(time.monotonic() - started, 1),
        "cores": os.cpu_count(),
        "screen": [W, H],
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "quick": args.quick,
        "links": links,
        "phases": args.phases,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
