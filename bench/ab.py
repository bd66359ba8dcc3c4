"""Before and after: ``python -m bench.ab OLD_CHECKOUT NEW_CHECKOUT BENCH... [--rounds 2]``.

A re-cut must not make a figure worse (issue 10). This runs each named benchmark
(``python -m bench.<name>``) in two checkouts of the repository, alternating old/new per round
so load from other processes hits both, each with its checkout's own ``.venv`` (``bash
scripts/setup.sh`` in each), keeps every JSON in ``--out``, and prints the numbers that differ,
one column per run. Nothing is judged here: a person reads the columns against the noise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def numbers(obj: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every numeric leaf of a benchmark's JSON as (dotted path, value); long series left out."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from numbers(value, f"{path}.{key}" if path else str(key))
    elif isinstance(obj, list):
        if len(obj) > 6 and all(isinstance(v, (int, float)) for v in obj):
            return
        for i, value in enumerate(obj):
            yield from numbers(value, f"{path}[{i}]")
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield path, float(obj)


def run(checkout: Path, bench: str, out: Path) -> dict[str, float]:
    """One run of ``bench`` in ``checkout``; its JSON is kept in ``out``."""
    python = checkout / ".venv" / "bin" / "python"
    done = subprocess.run([str(python), "-m", f"bench.{bench}"], cwd=checkout,
                          capture_output=True, text=True, check=False)
    out.write_text(done.stdout)
    if done.returncode != 0:
        print(f"bench.ab: {bench} in {checkout} failed ({done.returncode}):\n"
              f"{done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return dict(numbers(json.loads(done.stdout)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("benches", nargs="+")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("bench-results/ab"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for bench in args.benches:
        columns: dict[str, dict[str, float]] = {}
        for r in range(1, args.rounds + 1):
            for side, checkout in (("old", args.old), ("new", args.new)):
                name = f"{side}{r}"
                columns[name] = run(checkout.resolve(), bench, args.out / f"{bench}.{name}.json")
        keys = [k for k in columns["old1"] if any(c.get(k) != columns["old1"][k]
                                                  for c in columns.values())]
        print(f"== {bench}\n{'':60s}" + "".join(f"{n:>11s}" for n in columns))
        for key in keys:
            cells = "".join(f"{c.get(key, float('nan')):>11.4g}" for c in columns.values())
            print(f"{key[:60]:60s}{cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
