"""Guesses a hostile relay gets against an unattended agent: ``python -m bench.guess_budget``.

The relay is the attacker (DESIGN.md §1): ``bench/hostile_relay.py`` speaks the real
rendezvous protocol on loopback, pairs every hosted code at once and plays the console with the
real ConsoleHandshake and a random wrong secret. Each agent key confirmation it receives is one
password guess it can check. The agent is the real AgentApp + worker on its own Xvfb display,
and nobody clicks anything for ``--seconds`` (default 600: the issue's 10 minutes).

Prints one JSON object: ``guesses`` (target <= 2), ``codes_hosted``, ``elapsed_s``, the times of
the guesses after the start, and what the code window shows at the end. Needs Debian's xvfb.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_GUESSES = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0,
                        help="how long the agent stays unattended (default 600)")
    args = parser.parse_args(argv)

    from bench.hostile_relay import HostileRelay
    from bench.support.xvfb import XvfbDisplay

    display = XvfbDisplay(1280, 800).start()
    tmp = tempfile.TemporaryDirectory(prefix="fh-guess-")
    os.environ["DISPLAY"] = display.name
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["FERNHILFE_DATA_DIR"] = str(Path(tmp.name) / "agent-data")
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from agent.app import AgentApp
    from agent.config import AgentConfig

    qt = QApplication.instance() or QApplication([sys.argv[0]])
    relay = HostileRelay("guess").start()
    agent = AgentApp(AgentConfig(relay_url=relay.url, organisation="Bench"))
    t0 = time.monotonic()
    agent.start()
    try:
        while time.monotonic() - t0 < args.seconds:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)
            time.sleep(0.02)
        elapsed = time.monotonic() - t0
        result = {
            "bench": "guess_budget",
            "seconds": args.seconds,
            "elapsed_s": round(elapsed, 1),
            "guesses": relay.guesses,
            "codes_hosted": relay.hosts,
            "guess_times_s": [round(t - t0, 2) for t in relay.guess_times[:20]],
            "window_state": agent.window.state,
            # (getattr: the same bench also measures builds from before the action_text view)
            "window_action": getattr(agent.window, "action_text", str)(),
            "target": {"guesses_max": TARGET_GUESSES, "met": relay.guesses <= TARGET_GUESSES},
            "meta": {"load_avg_1m": round(os.getloadavg()[0], 2)},
        }
    finally:
        agent._close_session_windows()
        agent.worker.stop()
        agent.window.close()
        relay.stop()
        qt.processEvents()
        display.stop()
        tmp.cleanup()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
