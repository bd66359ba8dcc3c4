"""The real relay (``python -m relay``) as a child process on a free loopback port.

Kept apart from the benchmarks that use it so that the root test conftest can start relays without
importing anything that pulls in Qt, numpy or an X display.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_relay(*flags: str) -> tuple[subprocess.Popen[str], str]:
    """Start a relay with its default limits (plus ``flags``, e.g. ``--revocations-dir D``);
    return the process and the URL it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0",
                             *flags],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())["url"]


def http_base(url: str) -> str:
    """The plain-HTTP origin of a relay's websocket URL: ws://h:p/v1 -> http://h:p."""
    scheme, rest = url.split("://", 1)
    return {"ws": "http", "wss": "https"}[scheme] + "://" + rest.split("/", 1)[0]
