"""Real X servers for tests: Xvfb at depth 24 (mss refuses depth 16), on a free display number.

Xvfb picks the number itself through ``-displayfd``, so parallel runs never collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, even by SIGKILL (Linux only)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class XvfbError(RuntimeError):
    """Xvfb is missing or did not come up."""


@dataclass
class XvfbDisplay:
    width: int = 1280
    height: int = 800
    depth: int = 24
    name: str = ""
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, timeout: float = 10.0) -> XvfbDisplay:
        exe = shutil.which("Xvfb")
        if exe is None:
            raise XvfbError("Xvfb is not installed: run scripts/setup.sh (apt package 'xvfb')")
        read_fd, write_fd = os.pipe()
        self._proc = subprocess.Popen(
            [
                exe, "-displayfd", str(write_fd), "-screen", "0",
                f"{self.width}x{self.height}x{self.depth}", "-nolisten", "tcp",
                "-noreset", "+extension", "XTEST", "+extension", "RANDR",
            ],
            pass_fds=(write_fd,),
            preexec_fn=_die_with_parent,  # a killed test run must not leave X servers behind
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        deadline = time.monotonic() + timeout
        buf = b""
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while not buf.endswith(b"\n"):
                if time.monotonic() > deadline or self._proc.poll() is not None:
                    self.stop()
                    raise XvfbError("Xvfb did not report a display number")
                chunk = pipe.read(16)
                if not chunk:
                    break
                buf += chunk
        self.name = f":{int(buf.strip())}"
        return self

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def env(self, **extra: str) -> dict[str, str]:
        """An environment for a child process that should live on this display."""
        env = dict(os.environ)
        env["DISPLAY"] = self.name
        env["QT_QPA_PLATFORM"] = "xcb"
        env.update(extra)
        return env

    def __enter__(self) -> XvfbDisplay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
