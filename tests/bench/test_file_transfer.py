"""bench/file_transfer.py runs (a smoke run: small files, no screen, the technician's side in its
child process): the throughput phase lands a file each way with the hash checked, and the
transfer cut at half (the relay SIGKILLed and started again, or the console's link closed)
resumes on a new link from where the receiver stood."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("interrupt", ["relay", "link"])
def test_smoke_run_moves_and_resumes(interrupt: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.file_transfer", "--smoke", "--interrupt", interrupt],
        cwd=ROOT, capture_output=True, text=True, timeout=110)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout)
    assert set(result["throughput"]) == {"to_customer", "to_technician"}
    for figures in result["throughput"].values():
        assert figures["state"] == "completed"
        assert figures["sha256_ok"] and figures["mb_per_s"] > 0
    resume = result["resume"]
    assert resume["state"] == "completed" and resume["sha256_ok"], resume
    assert resume["link_resumes"] == 1
    # It went on from where the receiver stood, not from 0.
    assert resume["received_at_cut"] <= resume["resumed_from"] < resume["bytes"]
