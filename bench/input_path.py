"""The technician's input, hop by hop: ``python -m bench.input_path`` prints one JSON object.

Why: click-to-photon is mostly the input leg plus one screen update, and the glass-to-glass bench
only sees its two ends. This bench times each hop of a pointer move from the console to XTest:

    console  t0 the GUI thread hands it to ConsoleWorker.send_input
             t1 the console's network loop runs the intent (console-net picked it up)
             t2 sealed and written to the websocket (RelayConnection.send returned)
    relay    (a subprocess of its own, not probed: counted in the next hop)
    agent    t3 RelayConnection.recv returned it on agent-net (relay + wire + loop wake)
             t4 opened by the session and handed to the input thread (_apply_input)
             t5 the input thread starts it (agent-input picked it up)
             t6 XTest injected and synced with the X server

Real parts only: a real relay (subprocess), the real agent in this process on its own Xvfb
(its real Allow button clicked with QTest, control granted), the real console worker in a
second process (``--console``, offscreen Qt, no window), real XTest. The probes are wrappers
put around product methods *in these bench processes only*; product code is unchanged. Both
processes stamp ``time.monotonic()`` (CLOCK_MONOTONIC: one clock for the whole machine).

Phases: ``rest`` (nothing changes on the customer's screen), ``scroll`` (the glass-to-glass
stimulus scrolls its document at 60 Hz: the agent's loop sends frames, the relay forwards
megabytes, the console decodes) -- the hard case for input -- and ``flood`` (the stimulus
changes the whole screen, photographs and pages of text, at 60 Hz: the biggest frames).
``--offloop-min BYTES`` (A/B of issue 16's off-loop sealing): messages from this size are
sealed/opened on the worker thread, in both programs; a huge value keeps them all on the loop.

Needs Debian packages xvfb (and the .venv). About 40 s.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.g2g.procs import Lines

ROOT = Path(__file__).resolve().parents[1]
W, H = 1920, 1080
#: the pointer moves one pixel per input: its x, y tell which input it is
X0, Y0, ROW = 40, 300, 1800


def ident(x: int, y: int) -> int:
    return (y - Y0) * ROW + (x - X0)


def position(i: int) -> tuple[int, int]:
    return X0 + i % ROW, Y0 + i // ROW


# ---------------------------------------------------------------------- the console process


def set_offloop_min(size: int | None) -> None:
    """The A/B switch: from which size big messages leave the network loop (None: as shipped)."""
    if size is not None:
        import desktop.session_driver as sd
        sd.OFFLOOP_SEAL_MIN = size


def console_main(url: str, count: int, interval: float, kind: str = "move") -> None:
    """The technician's console worker with probes; reads the code and phase names on stdin,
    prints one JSON line per input sent."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    import console.driver as cdriver
    from console.worker import ConsoleWorker
    from desktop.relay_client import RelayConnection
    from shared import messages as m

    app = QGuiApplication([sys.argv[0]])
    stamps: dict[int, dict[str, float]] = {}
    sealed: dict[int, int] = {}  # id(ciphertext) -> input id
    lock = threading.Lock()

    orig_send_input = cdriver.ConsoleSessionDriver.send_input
    orig_send = RelayConnection.send
    orig_queue = cdriver.ConsoleSessionDriver.send

    def send_input(self: Any, msg: Any) -> None:
        i = ident(msg.x, msg.y)
        with lock:
            stamps.setdefault(i, {})["t1"] = time.monotonic()
        self._probe_input = i
        try:
            orig_send_input(self, msg)
        finally:
            self._probe_input = None

    def queue_send(self: Any, data: bytes) -> None:
        i = getattr(self, "_probe_input", None)
        if i is not None:
            sealed[id(data)] = i
            self._probe_keep = data  # keep the object alive so its id stays unique
        orig_queue(self, data)

    async def send(self: Any, data: bytes) -> None:
        await orig_send(self, data)
        i = sealed.pop(id(data), None)
        if i is not None:
            with lock:
                stamps.setdefault(i, {})["t2"] = time.monotonic()

    cdriver.ConsoleSessionDriver.send_input = send_input  # type: ignore[method-assign]
    cdriver.ConsoleSessionDriver.send = queue_send  # type: ignore[method-assign]
    RelayConnection.send = send  # type: ignore[method-assign]

    worker = ConsoleWorker()
    worker.frame_ready.connect(lambda w, h, patches, seq: worker.frame_shown(seq))
    control = threading.Event()
    worker.permissions_changed.connect(
        lambda perms: control.set() if "control" in perms else None)
    lines: queue.Queue[str] = queue.Queue()

    def read_stdin() -> None:
        for text in sys.stdin:
            lines.put(text.strip())

    threading.Thread(target=read_stdin, daemon=True).start()
    state: dict[str, Any] = {"next": 0, "phase": "", "left": 0}

    def out(obj: dict[str, Any]) -> None:
        print(json.dumps(obj), flush=True)

    def tick() -> None:
        try:
            cmd = lines.get_nowait()
        except queue.Empty:
            cmd = ""
        if cmd.startswith("code "):
            worker.connect_to(url, "Bench Technik", "Bench", cmd[5:])
        elif cmd.startswith("phase "):
            state["phase"], state["left"] = cmd[6:], count
        elif cmd == "quit":
            worker.stop()
            app.quit()
            return
        if control.is_set() and not state.get("said"):
            state["said"] = 1
            out({"event": "control"})
        if state["left"] > 0:
            i = state["next"]
            state["next"] += 1
            state["left"] -= 1
            x, y = position(i)
            with lock:
                stamps.setdefault(i, {})["t0"] = time.monotonic()
            if kind == "click":  # press on even inputs, release on odd: a 1-pixel drag
                worker.send_input(m.PointerButton("left", i % 2 == 0, x, y))
            else:
                worker.send_input(m.PointerMove(x, y))
            if state["left"] == 0:
                QTimer.singleShot(500, lambda: flush(state["phase"]))

    def flush(phase: str) -> None:
        with lock:
            done = dict(stamps)
            stamps.clear()
        out({"event": "sent", "phase": phase, "stamps": {str(k): v for k, v in done.items()}})

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(int(interval * 1000))
    app.exec()


# ---------------------------------------------------------------------- the agent side


class Probe:
    """Wrappers around the agent's input path (this process only)."""

    def __init__(self) -> None:
        self.stamps: dict[int, dict[str, float]] = {}
        self.last_recv = 0.0
        self.lock = threading.Lock()

    def install(self) -> None:
        import agent.driver as adriver
        import agent.input as ainput
        from desktop.relay_client import RelayConnection

        probe = self
        orig_recv = RelayConnection.recv
        orig_apply = adriver.AgentSessionDriver._apply_input
        orig_thread_apply = ainput.InputThread._apply

        async def recv(self: Any) -> bytes:
            data = await orig_recv(self)
            if threading.current_thread().name == "agent-net":
                probe.last_recv = time.monotonic()
            return data

        def apply_input(self: Any, msg: Any) -> None:
            if hasattr(msg, "x"):
                with probe.lock:
                    s = probe.stamps.setdefault(ident(msg.x, msg.y), {})
                    s["t3"], s["t4"] = probe.last_recv, time.monotonic()
            orig_apply(self, msg)

        def thread_apply(self: Any, msg: Any, origin: tuple[int, int]) -> None:
            t5 = time.monotonic()
            orig_thread_apply(self, msg, origin)
            if hasattr(msg, "x"):
                with probe.lock:
                    s = probe.stamps.setdefault(ident(msg.x, msg.y), {})
                    s["t5"], s["t6"] = t5, time.monotonic()

        RelayConnection.recv = recv  # type: ignore[method-assign]
        adriver.AgentSessionDriver._apply_input = apply_input  # type: ignore[method-assign]
        ainput.InputThread._apply = thread_apply  # type: ignore[method-assign]

    def take(self) -> dict[int, dict[str, float]]:
        with self.lock:
            out = dict(self.stamps)
            self.stamps.clear()
        return out


HOPS = [
    ("gui_to_console_loop", "t0", "t1"),
    ("console_seal_and_write", "t1", "t2"),
    ("relay_and_agent_read", "t2", "t3"),
    ("agent_open_and_hand_on", "t3", "t4"),
    ("input_thread_wake", "t4", "t5"),
    ("xtest_inject", "t5", "t6"),
    ("total", "t0", "t6"),
]


def summary(samples: list[dict[str, float]]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": len(samples)}
    for name, a, b in HOPS:
        vals = sorted((s[b] - s[a]) * 1000 for s in samples if a in s and b in s)
        if not vals:
            continue
        out[name] = {"p50_ms": round(statistics.median(vals), 3),
                     "p95_ms": round(vals[min(len(vals) - 1, int(0.95 * len(vals)))], 3),
                     "max_ms": round(vals[-1], 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--console", metavar="URL", help=argparse.SUPPRESS)
    ap.add_argument("--count", type=int, default=150, help="inputs per phase")
    ap.add_argument("--interval", type=float, default=0.02, help="seconds between inputs")
    ap.add_argument("--phases", default="rest,scroll")
    ap.add_argument("--kind", choices=("move", "click"), default="move",
                    help="pointer moves, or button presses and releases (each moves first)")
    ap.add_argument("--switch", type=float, default=0.0,
                    help="experiment: sys.setswitchinterval in both programs")
    ap.add_argument("--offloop-min", type=int, default=None,
                    help="A/B: seal/open messages from this many bytes off the loop")
    args = ap.parse_args()
    set_offloop_min(args.offloop_min)
    if args.switch:
        sys.setswitchinterval(args.switch)
    if args.console:
        console_main(args.console, args.count, args.interval, args.kind)
        return

    from bench.g2g.procs import stop_proc
    from bench.support.relay import start_relay
    from bench.support.xvfb import XvfbDisplay

    tmp = Path(tempfile.mkdtemp(prefix="input-path-"))
    procs: list[subprocess.Popen[Any]] = []
    customer = XvfbDisplay(W, H).start()
    os.environ["DISPLAY"] = customer.name
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["FERNHILFE_DATA_DIR"] = str(tmp / "agent-data")
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from agent.app import AgentApp
    from agent.config import AgentConfig

    qt = QApplication.instance() or QApplication([sys.argv[0]])  # noqa: F841 (kept alive)

    def qwait(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
        loop.exec()

    def until(pred: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = pred()
            if v:
                return v
            qwait(0.05)
        raise RuntimeError(f"timed out waiting for {what}")

    def get(lines: Lines, event: str, timeout: float) -> dict[str, Any]:
        def one() -> dict[str, Any] | None:
            while not lines.q.empty():
                msg = lines.q.get_nowait()
                if msg.get("event") == event:
                    return msg
            return None
        return until(one, timeout, event)  # type: ignore[no-any-return,unused-ignore]

    probe = Probe()
    probe.install()
    relay, url = start_relay()
    procs.append(relay)
    stim = subprocess.Popen([sys.executable, "-m", "bench.stimulus"], cwd=ROOT,
                            env=customer.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    procs.append(stim)
    stimulus = Lines(stim)
    get(stimulus, "ready", 20)
    cons = subprocess.Popen([sys.executable, "-m", "bench.input_path", "--console", url,
                             "--count", str(args.count), "--interval", str(args.interval),
                             "--switch", str(args.switch), "--kind", args.kind,
                             *(["--offloop-min", str(args.offloop_min)]
                               if args.offloop_min is not None else [])],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=(tmp / "console.log").open("w"), text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                 "FERNHILFE_DATA_DIR": str(tmp / "console-data")})
    procs.append(cons)
    console = Lines(cons)
    agent = AgentApp(AgentConfig(relay_url=url, organisation="Bench"))
    agent.start()
    result: dict[str, Any] = {"kind": args.kind,
                              "load": [round(x, 2) for x in os.getloadavg()]}
    try:
        until(lambda: agent.window.state == "code" and agent.window.code_text(), 20, "a code")
        agent.window.lower()
        console.send("code " + agent.window.code_text())
        until(lambda: agent.consent is not None and agent.consent.isVisible(), 20, "consent")
        qwait(0.3)
        assert agent.consent is not None
        QTest.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
        get(console, "control", 20)
        qwait(1.5)
        for phase in args.phases.split(","):
            if phase == "scroll":
                stimulus.send("scroll on")
                qwait(1.0)
            elif phase == "flood":
                stimulus.send("flood prepare")
                get(stimulus, "flood_ready", 60)
                stimulus.send("flood on")
                qwait(1.0)
            probe.take()
            console.send(f"phase {phase}")
            sent = get(console, "sent", args.count * args.interval + 30)
            qwait(0.3)
            got = probe.take()
            if phase in ("scroll", "flood"):
                stimulus.send(f"{phase} off")
                qwait(0.5)
            samples = []
            for k, s in sent["stamps"].items():
                samples.append({**s, **got.get(int(k), {})})
            result[phase] = summary(samples)
            result[phase]["lost"] = sum(1 for s in samples if "t6" not in s)
    finally:
        console.send("quit")
        agent._close_session_windows()
        agent.worker.stop()
        agent.window.close()
        qwait(0.3)
        for p in procs:
            stop_proc(p)
        customer.stop()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
