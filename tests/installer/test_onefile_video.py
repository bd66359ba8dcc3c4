"""The DEFAULT one-file agent really encodes H.264 inside the bundle (issue 16, Deliver 3).

Real parts: the agent's own spec and build script build tests/installer/onefile_video_probe.py
(the agent's import graph plus a run of shared.codec.video) with the default options, so with
the lean PyAV of installer/lean_av.py; the frozen file then runs on its own, without the source
tree, and must encode and decode a moving picture and load libxcb-damage from the bundle.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.support import onefile

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

PROBE = Path(__file__).with_name("onefile_video_probe.py")


def test_built_bundle_encodes_h264(tmp_path: Path, lean_video: None) -> None:
    cache = onefile.ROOT / "build" / "onefile-video"
    branding = onefile.smoke_branding(cache / "branding")
    name = "fernhilfe-video-probe"
    out = subprocess.run(
        [sys.executable, str(onefile.ROOT / "installer" / "build_agent.py"), "--branding",
         str(branding), "--name", name, "--entry", str(PROBE),
         "--dist", str(cache / "dist"), "--work", str(cache / "work")],
        cwd=onefile.ROOT, capture_output=True, text=True, timeout=800, check=False)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    built = cache / "dist" / name
    print(f"default one-file agent (probe entry): {built.stat().st_size / 1e6:.1f} MB")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([str(built)], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0 and "H264 OK" in run.stdout, run.stdout + run.stderr
    assert "DAMAGE OK" in run.stdout, run.stdout  # libxcb-damage mapped from the bundle
