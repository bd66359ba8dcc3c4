"""A real ``redis-server`` (Debian's package) as a child process on a free loopback port.

Tests and benchmarks of the relay cluster (issue 14) start their own Redis here, with the
shipped configuration when one is given (installer/relay/cluster/redis.conf), in a directory of
their own, and can stop, kill and start it again on the same port with the same data (a Redis
restart under live sessions).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from bench.support.relay import free_port, kill_process, stop_process

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisProcess:
    """``redis-server`` on 127.0.0.1:``port`` with its files in ``directory``."""

    def __init__(self, directory: Path, port: int | None = None,
                 config: Path | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.config = config
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        """Start and wait until it answers PING (it loads its data first)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [REDIS_SERVER]
        if self.config is not None:
            args.append(str(self.config))
        # Whatever the configuration says, a test's Redis listens only here and keeps its
        # files in its own directory.
        args += ["--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
                 "--daemonize", "no", "--supervised", "no", "--logfile", ""]
        if self.config is None:  # a scratch store: no files at all
            args += ["--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}")
            if self.ping():
                return
            time.sleep(0.02)
        self.kill()
        raise RuntimeError("redis-server did not answer within its start time")

    def ping(self) -> bool:
        """True when the server answers PING now (RESP by hand: no client library needed)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM: Redis writes its data and exits (SIGKILL after 10 s)."""
        stop_process(self.proc, 10)
        self.proc = None

    def kill(self) -> None:
        """SIGKILL: gone at once, with whatever it had not yet written."""
        kill_process(self.proc)
        self.proc = None

    def restart(self) -> None:
        """Stop and start again on the same port and directory."""
        self.stop()
        self.start()
