"""What the glass-to-glass benches measure besides pixels: CPU per process, bytes per socket,
and the statistics they report.

CPU comes from ``/proc/<pid>/task/*/schedstat`` (nanoseconds, not 10 ms ticks); bytes from the
kernel's per-socket counters (``ss -tinp``: bytes_sent / bytes_received), with the relay's
Prometheus counter as a cross-check for Fernhilfe.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    vals = sorted(values)
    k = (len(vals) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (k - lo)


def ms_stats(values: list[float]) -> dict[str, Any]:
    v = [x * 1000 for x in values]
    return {"p50_ms": rounded(pct(v, 0.5)), "p95_ms": rounded(pct(v, 0.95)), "n": len(v)}


def rounded(x: float | None, nd: int = 1) -> float | None:
    return None if x is None else round(x, nd)


def cpu_seconds(pid: int) -> float:
    """CPU time of all threads of ``pid`` in seconds (schedstat: nanoseconds, not 10 ms ticks)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


class CpuMeter:
    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.t0 = time.monotonic()
        self.c0 = {k: cpu_seconds(p) for k, p in pids.items()}

    def pct(self) -> dict[str, float]:
        span = time.monotonic() - self.t0
        return {
            k: round(100 * (cpu_seconds(p) - self.c0[k]) / span, 2) for k, p in self.pids.items()
        }


def socket_bytes(port_filter: str, pid: int) -> tuple[int, int]:
    """(bytes_sent, bytes_received) summed over ``pid``'s established TCP sockets matching."""
    out = subprocess.run(
        ["ss", "-tinpH", "state", "established", port_filter],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
    sent = recv = 0
    records: list[str] = []
    for line in out.splitlines():
        if line[:1].isspace() and records:
            records[-1] += " " + line
        else:
            records.append(line)
    for rec in records:
        if f"pid={pid}," not in rec:
            continue
        m = re.search(r"bytes_sent:(\d+)", rec)
        n = re.search(r"bytes_received:(\d+)", rec)
        sent += int(m.group(1)) if m else 0
        recv += int(n.group(1)) if n else 0
    return sent, recv


class ByteMeter:
    def __init__(self, port_filter: str, pid: int, extra: Callable[[], int] | None = None):
        self.f, self.pid, self.extra = port_filter, pid, extra
        self.t0 = time.monotonic()
        self.b0 = socket_bytes(port_filter, pid)
        self.e0 = extra() if extra else 0

    def rates(self) -> dict[str, float]:
        span = time.monotonic() - self.t0
        s, r = socket_bytes(self.f, self.pid)
        out: dict[str, float] = {
            "sent_bytes_per_s": round((s - self.b0[0]) / span),
            "received_bytes_per_s": round((r - self.b0[1]) / span),
        }
        if self.extra:
            out["relay_forwarded_agent_to_console_bytes_per_s"] = round(
                (self.extra() - self.e0) / span
            )
        return out


def relay_byte_meter(port: int, agent_port: int | None = None,
                     pid: int | None = None) -> ByteMeter:
    """Socket byte counters of process ``pid`` (the agent's; default this one) toward the relay
    on ``port`` (or toward ``agent_port``, where the agent connects: the link emulator in front
    of the relay), cross-checked by its /metrics."""

    def relay_counter() -> int:
        body = (
            urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        )
        m = re.search(
            r'fernhilfe_relay_forwarded_bytes_total\{direction="agent_to_console"\} '
            r"([0-9.e+]+)",
            body,
        )
        return int(float(m.group(1))) if m else 0

    return ByteMeter(f"( dport = :{agent_port or port} )", pid or os.getpid(), relay_counter)
