"""What the technician's laser pointer (and a drawn stroke) costs on the wire while the mouse moves.

Run: ``python -m bench.pointer_cost [--seconds 5]``. Prints one JSON object. The real session
window's show tools (:mod:`console.ui.show_tools`, offscreen Qt) get synthetic mouse moves at a
typical (125 Hz) and a gaming mouse's (1000 Hz) rate; every message they ask to send is sealed by
a real, active :class:`shared.session.ConsoleSession` (keys agreed with an in-process
:class:`AgentSession`, which also opens each one). Counted per second: messages, sealed bytes
(what the relay forwards), bytes on the technician's websocket (frame header and mask), and an
estimate on the wire with one TLS 1.3 record and one TCP/IPv4 segment per message (the programs
send without Nagle: 22 + 52 bytes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from bench.support.sessions import pump
from console.ui.session_window import SessionWindow
from console.ui.show_tools import SEND_INTERVAL_MS
from shared.codes import SessionCode
from shared.session import AgentSession, ConsoleSession, ShowReceived

CODE = SessionCode("123", "456789")
WS_CLIENT_HEADER = 6  # 2-byte header + 4-byte mask (payloads under 126 bytes)
TLS_TCP_IP = 22 + 52  # TLS 1.3 record (header, tag, type) + TCP/IPv4 with timestamps


def active_pair() -> tuple[AgentSession, ConsoleSession]:
    """An agent and a console session in ACTIVE with "view" only (the pointer needs no more)."""
    a = AgentSession(CODE, name="", organisation="")
    c = ConsoleSession(CODE, name="Eva", organisation="Acme", requested=frozenset({"view"}),
                       clock=time.monotonic)
    pump(a, c, [a.start()], [c.start()])
    pump(a, c, a.decide(True, frozenset({"view"})).outgoing, [])
    return a, c


def run(tool: str, rate_hz: int, seconds: float) -> dict[str, float]:
    """Move (laser) or drag (draw) at ``rate_hz`` for ``seconds``; what went out per second."""
    agent, console = active_pair()
    win = SessionWindow()
    win.resize(1100, 750)
    win.show()
    img = QImage(1920, 1080, QImage.Format.Format_RGB32)
    img.fill(QColor("#336699"))
    win.view.update_image(img, [])
    win.set_permissions(frozenset({"view"}))
    win.show_streaming()
    win.show_tools.set_tool(tool)
    sealed: list[int] = []
    shown = 0

    def send(msg: object) -> None:
        nonlocal shown
        for data in console.send_show(msg).outgoing:  # type: ignore[arg-type]
            sealed.append(len(data))
            shown += sum(isinstance(e, ShowReceived) for e in agent.receive(data).events)

    win.show_tools.show_requested.connect(send)
    vp = win.view.viewport()
    w, h = vp.width(), vp.height()
    left = Qt.MouseButton.LeftButton
    buttons = left if tool != "laser" else Qt.MouseButton.NoButton

    def mouse(kind: QEvent.Type, x: float, y: float, button: Qt.MouseButton) -> None:
        pos = QPointF(x, y)
        QApplication.sendEvent(vp, QMouseEvent(kind, pos, pos, button, buttons,
                                               Qt.KeyboardModifier.NoModifier))

    if tool != "laser":
        mouse(QEvent.Type.MouseButtonPress, w * 0.2, h * 0.5, left)
    start = time.perf_counter()
    n = 0
    while (now := time.perf_counter()) - start < seconds:
        t = now - start
        x = w * (0.5 + 0.35 * math.sin(t * 2.0))  # a circle, like a person
        y = h * (0.5 + 0.35 * math.cos(t * 2.0))
        mouse(QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton)
        n += 1
        QApplication.processEvents()
        next_at = start + n / rate_hz
        while time.perf_counter() < next_at:
            QApplication.processEvents()
            time.sleep(0.0005)
    elapsed = time.perf_counter() - start
    if tool != "laser":
        mouse(QEvent.Type.MouseButtonRelease, w * 0.5, h * 0.5, left)
    QApplication.processEvents()
    win.close()
    count = len(sealed)
    total = sum(sealed)
    return {
        "mouse_events_per_s": round(n / elapsed, 1),
        "messages_per_s": round(count / elapsed, 1),
        "shown_by_agent": shown,
        "sealed_bytes_per_message": round(total / count, 1) if count else 0.0,
        "sealed_bytes_per_s": round(total / elapsed),
        "websocket_bytes_per_s": round((total + WS_CLIENT_HEADER * count) / elapsed),
        "estimated_wire_bytes_per_s": round((total + (WS_CLIENT_HEADER + TLS_TCP_IP) * count)
                                            / elapsed),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    QApplication.instance() or QApplication(sys.argv[:1])
    result: dict[str, object] = {
        "send_interval_ms": SEND_INTERVAL_MS,
        "laser_125hz": run("laser", 125, args.seconds),
        "laser_1000hz": run("laser", 1000, args.seconds),
        "draw_125hz": run("draw", 125, args.seconds),
        "meta": {"seconds": args.seconds, "load_avg_1m": os.getloadavg()[0]},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
