"""The real relay (``python -m relay``) as a child process on a free loopback port.

Kept apart from the benchmarks that use it so that the root test conftest can start relays without
importing anything that pulls in Qt, numpy or an X display.
"""

from __future__ import annotations

import contextlib
import json
import random
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


#: SIGTERM stops these relays at once (no drain_timeout wait): tests and benchmarks that stop a
#: relay under live sessions mean "it stops now"; draining is tested on its own
#: (tests/relay/cluster/test_drain.py). A later ``--drain-timeout`` flag overrides it.
NO_DRAIN = ("--drain-timeout", "0")


def start_relay(*flags: str) -> tuple[subprocess.Popen[str], str]:
    """Start a relay with its default limits (plus ``flags``, e.g. ``--revocations-dir D``);
    return the process and the URL it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0",
                             *NO_DRAIN, *flags],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())["url"]


def http_base(url: str) -> str:
    """The plain-HTTP origin of a relay's websocket URL: ws://h:p/v1 -> http://h:p."""
    scheme, rest = url.split("://", 1)
    return {"ws": "http", "wss": "https"}[scheme] + "://" + rest.split("/", 1)[0]


#: Ports :func:`free_port` gave out in this process: a cluster draws several before any server
#: binds them, and a draw that repeated one left two servers on one port (seen in CI: HAProxy
#: "Address already in use" on a port a node of the same cluster had been given).
_handed_out: set[int] = set()


def free_port() -> int:
    """A loopback port free right now, for a server that must (come back) on a known port.

    Drawn below the kernel's ephemeral range: a port the kernel handed out for ``bind(0)`` is
    also what outgoing connections get, so between choosing it and a server binding it some
    client's connection could take it (seen in CI: HAProxy "Address already in use")."""
    low = 32768
    with contextlib.suppress(OSError, ValueError):
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    first = 10_000 if low > 12_000 else 1024
    for _ in range(200):
        port = random.randint(first, low - 1)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            _handed_out.add(port)
            return port
    with socket.socket() as s:  # a crowded machine: any port the kernel gives
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: subprocess.Popen[str] | subprocess.Popen[bytes] | None,
                 grace: float = 5.0) -> None:
    """SIGTERM, wait ``grace`` seconds, then SIGKILL; always reaped (servers started by tests
    and benchmarks: relays, Redis, HAProxy)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def kill_process(proc: subprocess.Popen[str] | subprocess.Popen[bytes] | None) -> None:
    """SIGKILL and reap: gone at once, as when its machine dies.

    For servers whose sudden death IS the stimulus (relay, Redis, relay cluster nodes). Never
    for an agent or a console: they are stopped with SIGTERM (bench/support/onefile.py ``stop``),
    on which they quit as by their Quit button and release held keys (desktop/qt/app.py)."""
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)


class RelayProcess:
    """``python -m relay`` on a fixed port, so it can be stopped or killed and started again
    there (relay restarts under a live session)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", str(self.port),
             *NO_DRAIN],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        if json.loads(self.proc.stdout.readline())["event"] != "listening":
            raise RuntimeError("the relay did not start")

    def stop(self) -> None:
        """SIGTERM (the relay tells its clients it is shutting down), SIGKILL after 5 s."""
        stop_process(self.proc)
        self.proc = None

    def kill(self) -> None:
        """SIGKILL: no goodbye to anyone, as when the relay's machine dies."""
        kill_process(self.proc)
        self.proc = None
