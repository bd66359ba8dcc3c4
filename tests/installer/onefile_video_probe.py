"""Entry of a one-file build used by a test only: does H.264 work inside the frozen bundle?

tests/installer/test_onefile_video.py builds this with the agent's own spec (installer/
build_agent.py --entry, the flag that exists for testing the spec machinery): it imports the
agent's whole program, so PyInstaller collects what the agent's build collects, then runs the
agent's own video codec (shared.codec.video) on a moving picture and decodes it again, and loads
the DAMAGE watcher's libxcb-damage (agent/damage_xcb.py) from the bundle. No session, no screen,
no consent is involved. Prints "DAMAGE OK ..." and "H264 OK ...", exits 0, or says what failed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

import agent.app  # noqa: F401  (the agent's import graph, as in the real build)
from agent import damage_xcb
from shared.codec.video import VideoDecoder, VideoEncoder, available

W, H = 64, 48


def damage_from_bundle() -> bool:
    """libxcb-damage loads, and the copy mapped is the bundle's own (not the system's)."""
    if not damage_xcb.available():
        print("DAMAGE MISSING: libxcb-damage does not load in this build")
        return False
    bundle = os.path.realpath(getattr(sys, "_MEIPASS", "?"))
    maps = Path("/proc/self/maps").read_text().splitlines()
    mapped = sorted({line.split()[-1] for line in maps if "libxcb-damage" in line})
    if not any(os.path.realpath(m).startswith(bundle + os.sep) for m in mapped):
        print(f"DAMAGE NOT BUNDLED: mapped {mapped}, bundle {bundle}")
        return False
    print(f"DAMAGE OK: {mapped}")
    return True


def main() -> int:
    if not damage_from_bundle():
        return 1
    if not available():
        print("H264 MISSING: PyAV with libx264 is not in this build")
        return 1
    enc, dec = VideoEncoder(W, H, 0.0), VideoDecoder()
    shown = np.zeros((H, W, 4), np.uint8)
    sent = 0
    for i in range(6):
        picture = np.zeros((H, W, 4), np.uint8)
        picture[:, :, 1] = 40 * i  # green rises frame by frame: the stream must follow it
        picture[:, :, 3] = 255
        payload = enc.encode(picture, i / 30)
        sent += len(payload)
        dec.decode(shown, W, H, memoryview(payload))
    green = float(shown[:, :, 1].mean())
    if abs(green - 200) > 12:
        print(f"H264 WRONG: decoded green {green:.0f}, sent 200")
        return 1
    print(f"H264 OK: 6 pictures, {sent} bytes, decoded green {green:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
