"""The technician's input, hop by hop: ``python -m bench.input_path`` prints one JSON object.

Why: click-to-photon is mostly the input leg plus one screen update, and the glass-to-glass bench
only sees its two ends. This bench times each hop of a pointer move or click from the console
to the customer's application:

    console  t0 a Qt mouse event on the real RemoteView (offscreen, 1:1, wired as ConsoleApp
                wires it; ``--no-view``: the GUI thread calls ConsoleWorker.send_input)
             t1 the console's network loop runs the intent (console-net picked it up)
             t2a sealed, queued, and the sender task calls RelayConnection.send (t2: returned)
    relay    r1 the relay's recv returned it (a probe module around the real relay process)
             r2a the relay calls send to the agent's socket (r2: returned)
    agent    t3 RelayConnection.recv returned it on agent-net (wire + loop wake)
             t4 opened and decoded by the session, handed to the input thread (_apply_input)
             t5 the input thread starts it (agent-input picked it up)
             t6 the injector returned (XTest requests written and flushed)
    app      tp the customer's application (bench/stimulus.py's marker) got the button press
             from its X server (clicks only: moves make no event there); timed from t5

Real parts only: a real relay (``python -m relay`` inside a probe wrapper of this module), the
real agent in a process of its own as in glass_to_glass (bench/g2g/agent_proc.py, this module's
probes put in first; its real Allow button clicked with QTest, control granted), the real console
worker in a third process (``--console``, offscreen Qt, no window), real XTest, and the
glass-to-glass stimulus as the customer's application. The probes are wrappers put around product
methods *in these bench processes only*; product code is unchanged. Every process stamps
``time.monotonic()`` (CLOCK_MONOTONIC: one clock for the whole machine). A message is followed
across the three processes by the CRC-32 of its ciphertext (unique: every nonce is new).

Not timed here: the X server's delivery of the technician's own click to the console (the
view gets a synthesized Qt event) and the technician's screen.

Phases: ``rest`` (nothing changes on the customer's screen but the marker a click recolours),
``scroll`` (the glass-to-glass stimulus scrolls its document at 60 Hz: the agent's loop sends
frames, the relay forwards megabytes, the console decodes) -- the hard case for input -- and
``flood`` (the stimulus changes the whole screen, photographs and pages of text, at 60 Hz: the
biggest frames). ``--offloop-min BYTES`` (A/B of issue 16's off-loop sealing): messages from
this size are sealed/opened on the worker thread, in both programs; a huge value keeps them all
on the loop.

Needs Debian packages xvfb (and the .venv). About 40 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

from bench.g2g.procs import Lines

ROOT = Path(__file__).resolve().parents[1]
W, H = 1920, 1080
#: Each input goes to its own pixel inside the stimulus's marker (at 60,60, 240x240): its x, y
#: tell which input it is, and a click there is a press the stimulus reports.
X0, Y0, ROW = 70, 70, 200
#: Messages up to this size are followed by their CRC (input; frames are never followed).
SMALL = 512


def ident(x: int, y: int) -> int:
    return (y - Y0) * ROW + (x - X0)


def position(i: int) -> tuple[int, int]:
    i %= ROW * ROW
    return X0 + i % ROW, Y0 + i // ROW


def crc(data: bytes) -> int:
    return zlib.crc32(data)


# ---------------------------------------------------------------------- the console process


def set_offloop_min(size: int | None) -> None:
    """The A/B switch: from which size big messages leave the network loop (None: as shipped)."""
    if size is not None:
        import desktop.session_driver as sd
        sd.OFFLOOP_SEAL_MIN = size


def console_main(url: str, count: int, interval: float, kind: str = "move",
                 via_view: bool = True) -> None:
    """The technician's console worker with probes; reads the code and phase names on stdin,
    prints one JSON line per phase with every input's stamps. ``via_view``: each input is a
    Qt mouse event on the real RemoteView (else handed to the worker directly)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    import console.driver as cdriver
    from console.worker import ConsoleWorker
    from desktop.relay_client import RelayConnection
    from shared import messages as m

    if via_view:
        from PySide6.QtWidgets import QApplication

        app: QGuiApplication = QApplication([sys.argv[0]])
    else:
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
            with lock:
                stamps.setdefault(i, {})["crc"] = crc(data)
        orig_queue(self, data)

    async def send(self: Any, data: bytes) -> None:
        t2a = time.monotonic()
        await orig_send(self, data)
        i = sealed.pop(id(data), None)
        if i is not None:
            with lock:
                s = stamps.setdefault(i, {})
                s["t2a"], s["t2"] = t2a, time.monotonic()

    cdriver.ConsoleSessionDriver.send_input = send_input  # type: ignore[method-assign]
    cdriver.ConsoleSessionDriver.send = queue_send  # type: ignore[method-assign]
    RelayConnection.send = send  # type: ignore[method-assign]

    worker = ConsoleWorker()
    worker.frame_ready.connect(lambda w, h, patches, seq: worker.frame_shown(seq))
    view = None
    if via_view:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtGui import QImage
        from PySide6.QtTest import QTest

        from console.ui import RemoteView

        # The session window's view at 1:1 (offscreen), wired to the worker as ConsoleApp wires
        # it: the technician's mouse event is where the leg starts.
        view = RemoteView()
        view.resize(W, H)
        view.show()
        blank = QImage(W, H, QImage.Format.Format_RGB32)
        blank.fill(0)
        view.apply_patches(W, H, [(0, 0, blank)])
        view.pointer_moved.connect(lambda x, y: worker.send_input(m.PointerMove(x, y)))
        view.button_changed.connect(
            lambda b, pressed, x, y: worker.send_input(m.PointerButton(b, pressed, x, y)))
        view.holding_changed.connect(worker.set_holding)
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
            if view is not None:
                view.set_control_enabled(True)
            out({"event": "control"})
        if state["left"] > 0:
            i = state["next"]
            state["next"] += 1
            state["left"] -= 1
            x, y = position(i)
            with lock:
                stamps.setdefault(ident(x, y), {})["t0"] = time.monotonic()
            if view is not None:  # a Qt mouse event on the view (t0: the widget event)
                vp, left = view.viewport(), Qt.MouseButton.LeftButton
                if kind == "move":
                    QTest.mouseMove(vp, QPoint(x, y))
                elif i % 2 == 0:
                    QTest.mousePress(vp, left, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
                else:
                    QTest.mouseRelease(vp, left, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
            elif kind == "click":  # press on even inputs, release on odd: a 1-pixel drag
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


# ---------------------------------------------------------------------- the relay process


def relay_main(out_path: str, relay_args: list[str]) -> int:
    """The real relay (``relay.__main__``) with a probe on its websockets: each small binary
    message's CRC -> when its recv returned (r1) and when its forwarding send returned (r2).
    SIGUSR1 writes what was seen to ``out_path`` and forgets it."""
    from websockets.asyncio.server import ServerConnection

    from relay.__main__ import main as relay

    seen: dict[int, dict[str, float]] = {}
    orig_recv, orig_send = ServerConnection.recv, ServerConnection.send

    async def recv(self: Any, *args: Any, **kwargs: Any) -> Any:
        data = await orig_recv(self, *args, **kwargs)
        if isinstance(data, bytes) and len(data) <= SMALL:
            seen.setdefault(crc(data), {})["r1"] = time.monotonic()
        return data

    async def send(self: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        r2a = time.monotonic()
        await orig_send(self, message, *args, **kwargs)
        if isinstance(message, bytes) and len(message) <= SMALL:
            s = seen.setdefault(crc(message), {})
            s["r2a"], s["r2"] = r2a, time.monotonic()

    def dump(_sig: int, _frame: Any) -> None:
        done = dict(seen)
        seen.clear()
        tmp = out_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({str(k): v for k, v in done.items()}, f)
        os.replace(tmp, out_path)

    ServerConnection.recv = recv  # type: ignore[method-assign]
    ServerConnection.send = send  # type: ignore[method-assign]
    signal.signal(signal.SIGUSR1, dump)
    return relay(relay_args)


class ProbedRelay:
    """The relay process with :func:`relay_main`'s probe, on a free loopback port."""

    def __init__(self, tmp: Path) -> None:
        from bench.support.relay import NO_DRAIN

        self.path = tmp / "relay-stamps.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.input_path", "--relay-probe", str(self.path), "--",
             "--host", "127.0.0.1", "--port", "0", *NO_DRAIN],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        self.url: str = json.loads(self.proc.stdout.readline())["url"]

    def take(self) -> dict[int, dict[str, float]]:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.proc.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while not self.path.exists():
            if time.monotonic() > deadline:
                return {}
            time.sleep(0.02)
        return {int(k): v for k, v in json.loads(self.path.read_text()).items()}


# ---------------------------------------------------------------------- the agent process


class Probe:
    """Wrappers around the agent's input path (the agent's process only)."""

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

    def take(self) -> dict[str, dict[str, float]]:
        with self.lock:
            out = {str(k): v for k, v in self.stamps.items()}
            self.stamps.clear()
        return out


def agent_main(url: str) -> int:
    """The agent's process of glass_to_glass (bench.g2g.agent_proc) with :class:`Probe` in;
    its command ``stamps`` answers what the probe saw since the last ask."""
    from bench.g2g import agent_proc

    if os.environ.get("BENCH_OFFLOOP_MIN"):
        set_offloop_min(int(os.environ["BENCH_OFFLOOP_MIN"]))
    if os.environ.get("BENCH_SWITCH"):
        sys.setswitchinterval(float(os.environ["BENCH_SWITCH"]))
    probe = Probe()
    probe.install()
    return agent_proc.main(["--relay", url], commands={"stamps": probe.take})


# ---------------------------------------------------------------------- the bench


#: (name, from, to). Stamps taken after an awaited send (t2, r2) come late: the write itself is
#: done before the task runs again, so the next process often stamps earlier; the wire hops are
#: timed from the moment the send was called (t2a, r2a).
HOPS = [
    ("view_to_console_loop", "t0", "t1"),
    ("console_seal_and_queue", "t1", "t2a"),
    ("console_send_call", "t2a", "t2"),
    ("wire_to_relay_read", "t2a", "r1"),
    ("relay_read_to_send", "r1", "r2a"),
    ("relay_send_call", "r2a", "r2"),
    ("wire_to_agent_read", "r2a", "t3"),
    ("agent_open_and_hand_on", "t3", "t4"),
    ("input_thread_wake", "t4", "t5"),
    ("xtest_inject", "t5", "t6"),
    ("inject_to_application", "t5", "tp"),
    ("total_to_injected", "t0", "t6"),
    ("total_to_application", "t0", "tp"),
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
    ap.add_argument("--relay", metavar="URL", help=argparse.SUPPRESS)  # the agent's process
    ap.add_argument("--relay-probe", metavar="FILE", help=argparse.SUPPRESS)
    ap.add_argument("--count", type=int, default=150, help="inputs per phase")
    ap.add_argument("--interval", type=float, default=0.02, help="seconds between inputs")
    ap.add_argument("--phases", default="rest,scroll")
    ap.add_argument("--kind", choices=("move", "click"), default="click",
                    help="pointer moves, or button presses and releases on the stimulus's "
                         "marker (each moves first)")
    ap.add_argument("--no-view", action="store_true",
                    help="the console hands input to its worker directly (no RemoteView)")
    ap.add_argument("--switch", type=float, default=0.0,
                    help="experiment: sys.setswitchinterval in the console and the agent")
    ap.add_argument("--offloop-min", type=int, default=None,
                    help="A/B: seal/open messages from this many bytes off the loop")
    args, rest = ap.parse_known_args()
    if args.count % 2:
        ap.error("--count must be even (a click is a press and a release)")
    if args.relay_probe:
        sys.exit(relay_main(args.relay_probe, [a for a in rest if a != "--"]))
    set_offloop_min(args.offloop_min)
    if args.switch:
        sys.setswitchinterval(args.switch)
    if args.console:
        console_main(args.console, args.count, args.interval, args.kind, not args.no_view)
        return
    if args.relay:
        sys.exit(agent_main(args.relay))
    run(args)


def run(args: argparse.Namespace) -> None:
    from bench.g2g.agent_proc import AgentProcess
    from bench.g2g.procs import stop_proc
    from bench.support.xvfb import XvfbDisplay

    tmp = Path(tempfile.mkdtemp(prefix="input-path-"))
    procs: list[subprocess.Popen[Any]] = []
    customer = XvfbDisplay(W, H).start()

    def until(pred: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = pred()
            if v:
                return v
            time.sleep(0.02)
        raise RuntimeError(f"timed out waiting for {what}")

    def get(lines: Lines, event: str, timeout: float) -> dict[str, Any]:
        def one() -> dict[str, Any] | None:
            while not lines.q.empty():
                msg = lines.q.get_nowait()
                if msg.get("event") == event:
                    return msg
            return None
        return until(one, timeout, event)  # type: ignore[no-any-return,unused-ignore]

    def drain(lines: Lines, event: str) -> list[dict[str, Any]]:
        got = []
        while not lines.q.empty():
            msg = lines.q.get_nowait()
            if msg.get("event") == event:
                got.append(msg)
        return got

    relay = ProbedRelay(tmp)
    procs.append(relay.proc)
    url = relay.url
    stim = subprocess.Popen([sys.executable, "-m", "bench.stimulus"], cwd=ROOT,
                            env=customer.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    procs.append(stim)
    stimulus = Lines(stim)
    get(stimulus, "ready", 20)
    offloop = ["--offloop-min", str(args.offloop_min)] if args.offloop_min is not None else []
    switch = ["--switch", str(args.switch)] if args.switch else []
    cons = subprocess.Popen([sys.executable, "-m", "bench.input_path", "--console", url,
                             "--count", str(args.count), "--interval", str(args.interval),
                             "--kind", args.kind, *switch, *offloop,
                             *(["--no-view"] if args.no_view else [])],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=(tmp / "console.log").open("w"), text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                 "FERNHILFE_DATA_DIR": str(tmp / "console-data")})
    procs.append(cons)
    console = Lines(cons)
    agent_env = customer.env(FERNHILFE_DATA_DIR=str(tmp / "agent-data"), QT_QPA_PLATFORM="xcb")
    if args.offloop_min is not None:  # the agent's process takes the A/B switches from here
        agent_env["BENCH_OFFLOOP_MIN"] = str(args.offloop_min)
    if args.switch:
        agent_env["BENCH_SWITCH"] = str(args.switch)
    agent = AgentProcess(url, agent_env, str(ROOT), module="bench.input_path")
    result: dict[str, Any] = {"kind": args.kind, "agent": "own process",
                              "console": "worker" if args.no_view else "RemoteView",
                              "load": [round(x, 2) for x in os.getloadavg()]}
    try:
        code = agent.code(30)
        agent.lower()
        console.send("code " + code)
        agent.allow(30)
        get(console, "control", 30)
        time.sleep(1.5)
        for phase in args.phases.split(","):
            if phase == "scroll":
                stimulus.send("scroll on")
                time.sleep(1.0)
            elif phase == "flood":
                stimulus.send("flood prepare")
                get(stimulus, "flood_ready", 60)
                stimulus.send("flood on")
                time.sleep(1.0)
            agent.command("stamps")
            relay.take()
            drain(stimulus, "press")
            console.send(f"phase {phase}")
            sent = get(console, "sent", args.count * args.interval + 30)["stamps"]
            time.sleep(0.3)
            got = agent.command("stamps")
            relayed = relay.take()
            presses = [p["t"] for p in drain(stimulus, "press")]
            if phase in ("scroll", "flood"):
                stimulus.send(f"{phase} off")
                time.sleep(0.5)
            samples = [{**s, **relayed.get(int(s.get("crc", -1)), {}), **got.get(k, {})}
                       for k, s in sorted(sent.items(), key=lambda kv: kv[1].get("t0", 0.0))]
            downs = samples[::2] if args.kind == "click" else []
            if downs and len(presses) == len(downs):
                for s, tp in zip(downs, presses, strict=True):
                    s["tp"] = tp
            result[phase] = summary(samples)
            result[phase]["lost"] = sum(1 for s in samples if "t6" not in s)
            result[phase]["presses_seen"] = [len(presses), len(downs)]
    finally:
        console.send("quit")
        agent.close()
        for p in procs:
            stop_proc(p)
        customer.stop()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
