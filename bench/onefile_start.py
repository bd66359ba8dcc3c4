"""Benchmark of the BUILT one-file Linux agent: file size and start -> code shown.

Run: ``python -m bench.onefile_start [--runs 5] [--artifact FILE]``. Prints one JSON object.
Builds the agent from the example branding (plus a logo) first, or reuses the build in
``build/onefile-smoke/`` while it is newer than everything it contains (same as the CI smoke test,
``tests/installer/test_onefile_agent.py``). Each run starts the file on a fresh Xvfb display
(depth 24) against a real relay on loopback and stops the clock when the code window shows its
Copy button (found by the accent colour in a screenshot; the button exists only with a code).
That includes the one-file unpacking, Python and Qt start-up and the relay round trip.
Targets: file <= 60 MB, median start -> code <= 3 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # python bench/onefile_start.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import onefile
from bench.support.xvfb import XvfbDisplay

TARGET_MB = 60.0
TARGET_S = 3.0


def one_run(artifact: Path, relay_url: str, work: Path) -> float:
    with XvfbDisplay(width=1280, height=800, depth=24) as display:
        work.mkdir(parents=True)
        with onefile.run_built_agent(artifact, display, relay_url, work / "data") as agent:
            agent.wait_code_shown(timeout=60)
            return time.monotonic() - agent.started


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--artifact", type=Path, help="a built agent (default: build or reuse)")
    args = p.parse_args(argv)

    if args.artifact:
        artifact, build_s = args.artifact.resolve(), None
    else:
        artifact, build_s = onefile.build_onefile()
    size = artifact.stat().st_size
    times = []
    with onefile.relay() as url, tempfile.TemporaryDirectory(prefix="fh-onefile-") as tmp:
        for i in range(args.runs):
            times.append(one_run(artifact, url, Path(tmp) / f"run{i}"))
    median = statistics.median(times)
    result = {
        "artifact": str(artifact),
        "size_bytes": size,
        "size_mb": round(size / 1e6, 1),
        "build_s": None if build_s is None else round(build_s, 1),  # 0.0: reused
        "runs": len(times),
        "start_to_code_s": [round(t, 2) for t in times],
        "start_to_code_median_s": round(median, 2),
        "targets": {"size_mb": TARGET_MB, "start_to_code_median_s": TARGET_S},
        "meets_targets": size / 1e6 <= TARGET_MB and median <= TARGET_S,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["meets_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
