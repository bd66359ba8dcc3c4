"""What one typed character costs the frame encoder: CPU time per tiny update at 1080p.

Run: ``python -m bench.tiny_encode [--updates 400]``. Prints one JSON object.

A 1920x1080 text document (with a photograph, so JPEG tiles exist and rest), the encoder warmed
with a first full update; then ``--updates`` glyph-sized changes (8x14 px, one or two tiles,
sometimes across a tile border), each handed to ``FrameEncoder.encode`` with a damage region as
the agent's capturer does: ``glyph``, just the glyph's box; ``field``, the 578x168 text field
around it (a Qt line edit repaints whole for each key: what X DAMAGE reports on the
glass-to-glass stimulus). Between two updates 16 MB are touched, outside the timing: in the
agent a key press finds the encoder's code and data cold, tens of milliseconds after the last
one. Measured in thread CPU time (``time.thread_time``), not wall time, so other processes' load
counts less. Reported per update: the whole ``encode`` and, for
comparison, the same updates with the tiny-update fast path switched off (``tiny=False``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import numpy as np

from bench.screens import photo, text_document
from shared.codec.frame import FrameEncoder

W, H = 1920, 1080


def screen() -> np.ndarray:
    frame = text_document(H, W)
    frame[300:620, 1200:1800] = photo(320, 600)
    return frame


_SCRATCH = np.zeros(16 << 20, dtype=np.uint8)


def run(updates: int, tiny: bool, field: bool, seed: int = 7) -> dict[str, Any]:
    """Encode ``updates`` glyph changes; CPU ms per update and the bytes sent."""
    rng = np.random.default_rng(seed)
    frame = screen()
    enc = FrameEncoder(quality=75, tiny=tiny)
    now = 0.0
    enc.encode(frame.copy(), now)
    glyph = (rng.integers(0, 2, (14, 8)) * 255).astype(np.uint8)
    times: list[float] = []
    nbytes = 0
    for i in range(updates):
        now += 0.07
        x = 40 + (i * 9) % 1100
        y = 60 + 20 * ((i * 9) // 1100 % 12)
        frame = frame.copy() if i % 50 == 0 else frame
        frame[y : y + 14, x : x + 8, :3] = np.roll(glyph, i, axis=1)[..., None]
        t0 = time.thread_time()
        fx, fy = x - x % 578, y - y % 168
        region = (fx, fy, 578, 168) if field else (x, y, 8, 14)
        rects, _changed = enc.encode(frame, now, [region])
        times.append(time.thread_time() - t0)
        nbytes += sum(len(r.payload) for r in rects)
    ms = sorted(t * 1000 for t in times)
    return {"updates": updates, "cpu_ms_mean": round(sum(ms) / len(ms), 4),
            "cpu_ms_p50": round(ms[len(ms) // 2], 4), "bytes": nbytes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tiny_encode",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=400)
    args = parser.parse_args(argv)
    result: dict[str, Any] = {}
    for region in ("glyph", "field"):
        result[region] = {"plain": run(args.updates, tiny=False, field=region == "field"),
                          "tiny": run(args.updates, tiny=True, field=region == "field")}
    result["meta"] = {"load_avg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
