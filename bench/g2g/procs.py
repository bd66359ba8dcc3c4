"""Child processes of the glass-to-glass benches: free ports, stopping, JSON-line pipes."""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import threading
from typing import Any

from bench.support.relay import free_port, stop_process

__all__ = ["Lines", "free_port", "stop_proc"]

# One way to pick a port and to stop a child for every bench (bench/support/relay.py).
stop_proc = stop_process


class Lines:
    """A subprocess speaking JSON lines on stdout, read by a thread into a queue."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.q: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with contextlib.suppress(ValueError):
                self.q.put(json.loads(line))

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
