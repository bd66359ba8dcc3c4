"""The Fernhilfe agent in a process of its own, for the glass-to-glass benches.

Why: the benches used to run the agent inside their own process, so the bench's Qt loop (its
waits, polls and pipe readers: about 0.75 % of a core with no session at all) counted as the
agent's CPU, which made typing look a tenth dearer than it is (issue 16). Here this process is
the agent and nothing else: the real ``AgentApp`` on the customer's screen with its own Qt loop,
plus a few lines that tell the bench what the customer would see and click the real Allow
button when the bench says so (QTest: consent is still given in the agent's own dialog).

Run by :class:`AgentProcess` (``python -m bench.g2g.agent_proc --relay URL``). JSON lines:

* to the bench: ``{"code": "..."}`` once the code shows, ``{"consent": true}`` once the consent
  dialog is visible, ``{"started": true}`` once the session overlay exists, and one reply per
  command;
* from the bench: ``lower`` (the code window goes behind the stimulus), ``allow`` (click Allow),
  ``counters`` (the session's work counters and the names of this process's threads), ``close``.

Between commands this process does only the agent's work: the watch timer stops once the session
has started, and commands arrive through a socket notifier on stdin (no reader thread).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from bench.g2g.procs import Lines, stop_proc

__all__ = ["AgentProcess", "InProcessAgent", "counters", "held_spans", "profile_threads"]


def counters(agent: Any) -> dict[str, int]:
    """The session's work counters so far (zeros without a session)."""
    streamer = _streamer(agent)
    if streamer is None:
        return {}
    src = streamer._source
    stats = getattr(src, "stats", {})
    watcher = streamer._watcher
    return {
        "damage_reports": int(getattr(watcher, "notifications", 0)),
        "grabs_region": int(stats.get("region", 0)),
        "grabs_empty": int(stats.get("empty", 0)),
        "grabs_full": int(stats.get("full", 0)),
        "frames": int(streamer.frames_sent),
        "bytes": int(streamer.bytes_sent),
        "streamer_wakeups": int(getattr(streamer, "wakeups", 0)),
        "echo_frames": int(getattr(streamer, "echo_frames", 0)),
        "ahead_frames": int(getattr(streamer, "ahead_frames", 0)),
    }


def held_spans(agent: Any) -> list[tuple[float, float]]:
    """When the rate control held the streamer back (``time.monotonic``, shared by every
    process here), for the line's controlled use (bench/link_rate.py's ``controlled_use``)."""
    streamer = _streamer(agent)
    return streamer.held_spans() if streamer is not None else []


def _streamer(agent: Any) -> Any:
    """The running session's screen streamer, or None (no agent, no session, not sharing)."""
    active = agent.worker.host.active if agent is not None else None
    return getattr(active, "streamer", None)


def profile_threads(path: str) -> None:
    """Run the streamer's, the damage watcher's, the pointer watcher's and the network loop's
    thread bodies under cProfile, counting thread CPU time (not waits); dump each to
    ``path.<thread>`` at its end."""
    import cProfile

    from agent.cursor import CursorWatcher
    from agent.damage import X11DamageWatcher
    from agent.pipeline import ScreenStreamer
    from desktop.loop_thread import LoopThread

    classes: list[tuple[Any, str, str]] = [
        (ScreenStreamer, "_run", "streamer"), (X11DamageWatcher, "_run", "damage"),
        (CursorWatcher, "_run", "cursor"), (LoopThread, "_main", "net")]
    with contextlib.suppress(ImportError):
        from agent.damage_xcb import XcbDamageWatcher
        classes.append((XcbDamageWatcher, "_run", "damage"))
    for cls, attr, name in classes:
        original = getattr(cls, attr)

        def run(self: Any, *args: Any, _original: Any = original, _name: str = name) -> None:
            prof = cProfile.Profile(time.thread_time)
            try:
                prof.runcall(_original, self, *args)
            finally:
                prof.dump_stats(f"{path}.{_name}")

        setattr(cls, attr, run)


class AgentProcess:
    """The bench's handle on the agent's process (what the bench needs, by JSON lines)."""

    def __init__(self, relay_url: str, env: dict[str, str], cwd: str,
                 profile: str | None = None, module: str = "bench.g2g.agent_proc") -> None:
        # ``module``: a bench that wraps the agent with probes first (bench/input_path.py)
        # runs its own module, which then calls :func:`main` with its extra commands.
        cmd = [sys.executable, "-m", module, "--relay", relay_url]
        if profile:
            cmd += ["--profile", profile]
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.pid = self.proc.pid
        self.lines = Lines(self.proc)
        self.seen: dict[str, Any] = {}

    def wait_for(self, key: str, timeout: float) -> Any:
        """The value of the first message with ``key`` (kept: asking twice is fine)."""
        deadline = time.monotonic() + timeout
        while key not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise RuntimeError(f"the agent's process did not say {key!r}")
            try:
                self.seen.update(self.lines.q.get(timeout=min(left, 0.1)))
            except Exception:  # queue.Empty
                continue
        return self.seen[key]

    def command(self, cmd: str, timeout: float = 10.0) -> Any:
        """Send ``cmd``; its reply (the message keyed by the command's name)."""
        self.seen.pop(cmd, None)
        self.lines.send(cmd)
        return self.wait_for(cmd, timeout)

    def code(self, timeout: float) -> str:
        return str(self.wait_for("code", timeout))

    def lower(self) -> None:
        self.command("lower")

    def allow(self, timeout: float) -> None:
        """Wait for the consent dialog, then click its real Allow button; wait for the start."""
        self.wait_for("consent", timeout)
        time.sleep(0.3)
        self.command("allow")
        self.wait_for("started", timeout)

    def counters(self) -> dict[str, Any]:
        """``{"work": counters(agent), "threads": {native id: name}}``."""
        reply: dict[str, Any] = self.command("counters")
        return reply

    def held(self) -> list[tuple[float, float]]:
        """When the agent's rate control held its streamer back (:func:`held_spans`)."""
        return [(float(a), float(b)) for a, b in self.command("held")]

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(RuntimeError, OSError):
                self.command("close", 10.0)
        stop_proc(self.proc)


class InProcessAgent:
    """The agent in the bench's own process (bench/frame_path.py wraps its methods with probes):
    the same handle as :class:`AgentProcess`; its CPU then includes the bench's Qt loop."""

    def __init__(self, bench: Any, relay_url: str) -> None:
        from agent.app import AgentApp
        from agent.config import AgentConfig

        self.bench = bench
        self.pid = os.getpid()
        self.agent = AgentApp(AgentConfig(relay_url=relay_url, organisation="Bench"))
        self.agent.window.move(0, 0)
        self.agent.start()

    def code(self, timeout: float) -> str:
        win = self.agent.window
        self.bench.wait_until(lambda: win.state == "code" and bool(win.code_text()), timeout,
                              "the session code")
        return str(win.code_text())

    def lower(self) -> None:
        self.agent.window.lower()

    def allow(self, timeout: float) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        agent = self.agent
        self.bench.wait_until(lambda: agent.consent is not None and agent.consent.isVisible(),
                              timeout, "the consent dialog")
        self.bench.qwait(0.3)
        assert agent.consent is not None
        QTest.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
        self.bench.wait_until(lambda: agent.overlay is not None, timeout, "the session to start")

    def counters(self) -> dict[str, Any]:
        return {"work": counters(self.agent), "threads": _thread_names()}

    def held(self) -> list[tuple[float, float]]:
        return held_spans(self.agent)

    def close(self) -> None:
        agent = self.agent
        agent._close_session_windows()
        agent.worker.stop()
        agent.window.close()
        self.bench.qwait(0.5)  # queued "session ended" signals re-show the code window…
        agent.window.close()  # …so close it again
        self.bench.qwait(0.2)


def _thread_names() -> dict[str, str]:
    return {str(t.native_id): t.name for t in threading.enumerate()}


def main(argv: list[str] | None = None,
         commands: dict[str, Callable[[], Any]] | None = None) -> int:
    """The agent's process; ``commands``: a bench's own commands (name -> its reply's value)."""
    parser = argparse.ArgumentParser(prog="python -m bench.g2g.agent_proc")
    parser.add_argument("--relay", required=True)
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args(argv)
    if args.profile:
        profile_threads(args.profile)

    from PySide6.QtCore import QSocketNotifier, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from agent.app import AgentApp
    from agent.config import AgentConfig
    from bench.stimulus import GUARD

    qt = QApplication([sys.argv[0]])
    agent = AgentApp(AgentConfig(relay_url=args.relay, organisation="Bench"))
    agent.window.move(0, 0)
    said: set[str] = set()

    def say(**msg: Any) -> None:
        sys.stdout.write(json.dumps(msg) + "\n")
        sys.stdout.flush()

    def watch() -> None:
        GUARD.top_up()  # PySide6 6.12.0 None refcount bug, see bench/stimulus.py
        if "code" not in said and agent.window.state == "code" and agent.window.code_text():
            said.add("code")
            say(code=agent.window.code_text())
        if "consent" not in said and agent.consent is not None and agent.consent.isVisible():
            said.add("consent")
            say(consent=True)
        if agent.overlay is not None:
            said.add("started")
            say(started=True)
            timer.stop()  # from here on, only the agent's own work runs in this process

    buffer = b""

    def on_stdin() -> None:
        nonlocal buffer
        data = os.read(0, 4096)
        if not data:
            notifier.setEnabled(False)
            qt.quit()
            return
        buffer += data
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            cmd = line.decode().strip()
            if cmd == "lower":
                agent.window.lower()
                say(lower=True)
            elif cmd == "allow":
                assert agent.consent is not None
                QTest.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
                say(allow=True)
            elif cmd == "counters":
                say(counters={"work": counters(agent), "threads": _thread_names()})
            elif cmd == "held":
                say(held=held_spans(agent))
            elif commands and cmd in commands:
                say(**{cmd: commands[cmd]()})
            elif cmd == "close":
                agent._close_session_windows()
                agent.worker.stop()
                agent.window.close()
                QTimer.singleShot(500, agent.window.close)  # queued "ended" re-shows it
                QTimer.singleShot(700, qt.quit)
                say(close=True)

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(50)
    notifier = QSocketNotifier(0, QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    agent.start()
    qt.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
