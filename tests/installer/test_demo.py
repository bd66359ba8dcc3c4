"""scripts/demo leaves nothing running when it ends or is interrupted (issue 11, item 8).

The demo runs for real without a desktop (DISPLAY unset): two Xvfb servers, the relay, the agent
and the console. Every process it starts inherits a marker variable in its environment, so the
test finds them all in /proc however they were started (own sessions, process groups) and can
show that none is left, first after Ctrl+C / SIGTERM, then after the console is closed.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.support.relay import free_port

ROOT = Path(__file__).resolve().parents[2]
MARK = "FERNHILFE_DEMO_TEST_MARK"


def marked(mark: str) -> dict[int, str]:
    """pid → command line of every live process whose environment carries ``mark``."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            status = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"{MARK}={mark}".encode() not in environ.split(b"\0"):
            continue
        if status.rpartition(")")[2].split()[0] == "Z":  # a zombie is gone, only not yet reaped
            continue
        found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    return found


@dataclass
class Demo:
    proc: subprocess.Popen[str]
    mark: str
    lines: queue.Queue[str]
    output: list[str]

    def wait_for_line(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if text in line:
                return
        raise AssertionError(f"the demo never said {text!r}:\n{''.join(self.output)}")

    def wait_for_processes(self, timeout: float = 60) -> dict[int, str]:
        """Until both Xvfb, the relay, the agent and the console run (by command line)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            procs = marked(self.mark)
            lines = list(procs.values())
            if (sum(line.startswith("Xvfb") for line in lines) == 2
                    and all(any(f"-m {name}" in line for line in lines)
                            for name in ("relay", "agent", "console"))):
                return procs
            time.sleep(0.2)
        raise AssertionError(f"not all demo processes started: {marked(self.mark)}\n"
                             f"{''.join(self.output)}")

    def wait_all_gone(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not marked(self.mark):
                return
            time.sleep(0.2)
        raise AssertionError(f"the demo left processes running: {marked(self.mark)}")


def _ctrl_c_as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def demo() -> Iterator[Demo]:
    mark = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update({MARK: mark, "FERNHILFE_DEMO_PORT": str(free_port()), "LANG": "C.UTF-8"})
    # As from a terminal, Ctrl+C must not be ignored on entry: a job started in the background
    # by a non-interactive shell (a CI runner's `cmd &`) inherits SIGINT ignored, and bash can
    # then neither trap nor reset it, so the SIGINT case would test the runner, not the demo.
    proc = subprocess.Popen(["bash", "scripts/demo"], cwd=ROOT, env=env, text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=_ctrl_c_as_from_a_terminal)
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    running = Demo(proc, mark, lines, output)
    try:
        yield running
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for pid in marked(mark):  # only processes this test's demo started
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        reader.join(5)


def started(demo: Demo) -> dict[int, str]:
    demo.wait_for_line("starting the technician's console", timeout=300)
    return demo.wait_for_processes()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_demo_leaves_nothing_running(demo: Demo, signum: int) -> None:
    started(demo)
    demo.proc.send_signal(signum)  # Ctrl+C reaches the script itself: its children have own groups
    demo.proc.wait(30)
    demo.wait_all_gone()


def test_closing_the_console_ends_the_demo_and_everything_in_it(demo: Demo) -> None:
    procs = started(demo)
    console = next(pid for pid, line in procs.items() if "-m console" in line)
    os.kill(console, signal.SIGTERM)
    assert demo.proc.wait(30) == 0, "".join(demo.output)
    demo.wait_all_gone()
