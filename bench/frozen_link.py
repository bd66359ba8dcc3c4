"""Frozen link figures: ``python -m bench.frozen_link`` prints one JSON object.

Issue 13's first figure: from the moment the agent's link freezes (our own freezing TCP proxy
between agent and relay, ``bench.support.freezer``: nothing moves either way, nothing closes) to

* ``released``: the technician's held Shift and left button are up again on the customer's
  display (polled with XQueryKeymap and the pointer's button mask every 5 ms; target 2 s);
* ``agent_interrupted``: the agent's panel shows "interrupted" (the worker's signal handled on
  the GUI thread, after the app's own slot updated the panel; target 5 s);
* ``console_interrupted``: the console's session window shows "Connection interrupted" (same,
  for a real ``ConsoleWorker`` and ``SessionWindow`` in this process, the window not shown
  because it would be on the customer's display; target 5 s).

Each of ``--trials`` trials (default 20) in one session: hold Shift and the left button through
the real console worker, wait a random 0.2–1.2 s (so the freeze falls anywhere between two
pings), freeze for ``--freeze`` seconds (default 5), thaw, wait for both sides to show the link
live again, let go. Real relay, real agent (its real Allow button clicked), real XTEST into a
private Xvfb. Also ``rest_bytes_per_min``: what a resting session (nothing held, a still screen)
costs on the agent's link (WebSocket bytes both ways through the proxy, over ``--rest``
seconds). About 2½ minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.support.freezer import FreezingProxy
from bench.support.relay import start_relay
from bench.support.xvfb import XvfbDisplay

SHIFT_L = 50  # evdev keycode of ShiftLeft


def percentiles(values: list[float]) -> dict[str, float]:
    qs = statistics.quantiles(values, n=20, method="inclusive") if len(values) > 1 else values * 19
    return {"p50": round(statistics.median(values), 3), "p95": round(qs[18], 3),
            "max": round(max(values), 3), "n": len(values)}


def run(trials: int, freeze: float, rest: float) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from Xlib import X
    from Xlib import display as xdisplay

    from agent.app import AgentApp
    from agent.config import AgentConfig
    from console.ui import SessionWindow
    from console.worker import ConsoleWorker
    from shared import messages as m

    qt = QApplication.instance() or QApplication(sys.argv[:1])
    d = xdisplay.Display()

    def held() -> tuple[list[int], int]:
        bits = d.query_keymap()
        keys = [i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (1 << b)]
        return keys, d.screen().root.query_pointer().mask & X.Button1Mask

    def until(pred: Callable[[], object], timeout: float, what: str) -> float:
        end = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > end:
                raise TimeoutError(what)
            qt.processEvents()
            time.sleep(0.005)
        return time.monotonic()

    relay, relay_url = start_relay()
    proxy, agent_url = FreezingProxy.for_url(relay_url)
    agent = AgentApp(AgentConfig(relay_url=agent_url, organisation="Bench", grace_period=60))
    worker = ConsoleWorker(grace=60)
    window = SessionWindow()
    stamps: list[tuple[str, str, float]] = []
    try:
        agent.start()
        until(lambda: agent.window.state == "code", 20, "a code")
        worker.frame_ready.connect(lambda _w, _h, _p, seq: worker.frame_shown(seq))
        worker.consent_answered.connect(lambda ok, perms: (window.set_permissions(perms),
                                                           window.show_streaming()))
        worker.link_changed.connect(window.set_link)
        # Connected after the programs' own slots: stamped once the change is on screen.
        worker.link_changed.connect(
            lambda state, _g: stamps.append(("console", state, time.monotonic())))
        agent.worker.link_changed.connect(
            lambda state, _g: stamps.append(("agent", state, time.monotonic())))
        # The window is not shown: on the customer's display it would stream itself for ever
        # (the resting figure would be a busy one); its texts change all the same.
        worker.connect_to(relay_url, "Bench", "Bench", agent.window.code_text())
        until(lambda: agent.consent is not None and agent.consent.isVisible(), 20, "consent")
        assert agent.consent is not None
        QTest.qWaitForWindowExposed(agent.consent)
        QTest.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
        until(lambda: agent.overlay is not None and window.state == "streaming", 20, "session")

        def seen(side: str, state: str, since: float) -> float | None:
            return next((t for s, st, t in stamps if s == side and st == state and t >= since),
                        None)

        # The first picture and its refinement go out first: measure once the link rests.
        rested = [time.monotonic(), proxy.bytes_up]

        def resting() -> bool:
            now = time.monotonic()
            if proxy.bytes_up - rested[1] > 400:  # more than pongs and a cursor update
                rested[:] = [now, proxy.bytes_up]
            return now - rested[0] >= 3.0

        until(resting, 60, "a resting link")
        up0, down0, t0 = proxy.bytes_up, proxy.bytes_down, time.monotonic()
        until(lambda: time.monotonic() - t0 >= rest, rest + 5, "rest")
        span = time.monotonic() - t0
        rest_up = (proxy.bytes_up - up0) * 60 / span
        rest_down = (proxy.bytes_down - down0) * 60 / span

        def both(state: str, since: float) -> bool:
            return bool(seen("agent", state, since) and seen("console", state, since))

        def pump(seconds: float) -> None:
            end = time.monotonic() + seconds
            until(lambda: time.monotonic() >= end, seconds + 5, "a pause")

        def trial() -> tuple[float, float, float]:
            worker.set_holding(True)
            for msg in (m.PointerMove(300, 300), m.Key("ShiftLeft", "", True),
                        m.PointerButton("left", True, 300, 300)):
                worker.send_input(msg)
            until(lambda: held() == ([SHIFT_L], X.Button1Mask), 10, "input held")
            pump(random.uniform(0.2, 1.2))
            frozen = time.monotonic()
            proxy.freeze()
            released = until(lambda: held() == ([], 0), 10, "release") - frozen
            until(lambda: both("interrupted", frozen), 15, "interrupted shown")
            agent_int = (seen("agent", "interrupted", frozen) or 0) - frozen
            console_int = (seen("console", "interrupted", frozen) or 0) - frozen
            pump(max(0.0, freeze - (time.monotonic() - frozen)))
            thawed = time.monotonic()
            proxy.thaw()
            until(lambda: both("live", thawed), 20, "live again")
            worker.send_input(m.PointerButton("left", False, 300, 300))
            worker.send_input(m.Key("ShiftLeft", "", False))
            worker.set_holding(False)
            pump(0.3)
            return released, agent_int, console_int

        results = [trial() for _ in range(trials)]
        released = [r[0] for r in results]
        agent_int = [r[1] for r in results]
        console_int = [r[2] for r in results]
        return {
            "meta": {"load_avg_1m": round(os.getloadavg()[0], 2)},
            "trials": trials, "freeze_s": freeze,
            "released_s": percentiles(released),
            "agent_interrupted_s": percentiles(agent_int),
            "console_interrupted_s": percentiles(console_int),
            "targets_s": {"released": 2.0, "interrupted": 5.0},
            "rest_bytes_per_min": {"agent_to_relay": round(rest_up),
                                   "relay_to_agent": round(rest_down), "over_s": round(span)},
        }
    finally:
        proxy.thaw()
        worker.stop()
        agent.worker.stop()
        window.close()
        agent.window.close()
        proxy.close()
        relay.terminate()
        relay.wait(5)
        d.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--freeze", type=float, default=5.0, help="seconds each freeze lasts")
    parser.add_argument("--rest", type=float, default=30.0,
                        help="seconds a resting session is measured")
    args = parser.parse_args(argv)
    with XvfbDisplay(width=1280, height=800, depth=24) as display:
        os.environ["DISPLAY"] = display.name
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        os.environ["FERNHILFE_DATA_DIR"] = tempfile.mkdtemp(prefix="fernhilfe-bench-")
        result = run(args.trials, args.freeze, args.rest)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
