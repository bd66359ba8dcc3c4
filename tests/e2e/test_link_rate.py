"""Rate control end to end on an emulated DSL line (issue 16).

A real relay; the real agent in this process (the real Allow click), whose connection to the
relay goes through the bench's link emulator (bench/support/link.py, profile ``dsl4``: 4 Mbit/s
up, 40 ms round trip, 150 ms modem queue); a real ConsoleWorker straight to the relay, whose
frames are applied to a RemoteView as the console applies them and acknowledged once applied.

The customer's screen shows a text document scrolling at 60 Hz (more than the line carries)
and a marker block that changes colour now and then. The agent must keep the uplink full
(>= 80 % by the emulator's own count; the 2-4 frame window before issue 16 used 65 % here, and
the issue measured 55 %) and still bring each marker change to the console quickly (the newest
picture, no standing queue), and the technician's worker must hear the measured link.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from agent.app import AgentApp
from agent.config import AgentConfig
from bench.screens import text_document
from bench.support.link import PROFILES, LinkProxy
from console.ui import RemoteView
from console.worker import ConsoleWorker

pytestmark = pytest.mark.e2e

SCROLL_X, SCROLL_Y, SCROLL_W, SCROLL_H = 64, 128, 768, 576  # the scrolling document
STEP = 6  # rows per 60 Hz tick: 360 rows a second, more than the line carries
MARK_X, MARK_Y, MARK = 896, 96, 64  # the marker block
COLOURS = ["#ff0000", "#00ff00", "#0000ff", "#ffff00", "#00ffff", "#ff00ff"]


class Scroller(QWidget):
    """A text document scrolling by STEP rows on every tick of a 60 Hz timer."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setGeometry(SCROLL_X, SCROLL_Y, SCROLL_W, SCROLL_H)
        doc = text_document(SCROLL_H * 8, SCROLL_W)
        self._doc = QImage(doc.data, SCROLL_W, SCROLL_H * 8, SCROLL_W * 4,
                           QImage.Format.Format_RGB32).copy()
        self.offset = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._next)
        self._timer.start(16)

    def _next(self) -> None:
        self.offset = (self.offset + STEP) % (SCROLL_H * 7)
        self.repaint()

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.drawImage(0, 0, self._doc, 0, self.offset, SCROLL_W, SCROLL_H)
        p.end()


class Marker(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setGeometry(MARK_X, MARK_Y, MARK, MARK)
        self.colour = QColor("#ffffff")

    def paint_as(self, colour: str) -> None:
        self.colour = QColor(colour)
        self.repaint()

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.fillRect(0, 0, MARK, MARK, self.colour)
        p.end()


def through(url: str, port: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"127.0.0.1:{port}"))


@pytest.fixture
def screen(qtbot) -> Iterator[tuple[QWidget, Marker]]:
    show, marker = Scroller(), Marker()
    for w in (show, marker):
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
    yield show, marker


def test_a_changing_screen_fills_the_dsl_uplink_and_stays_fresh(
        qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        agents: list[AgentApp], screen: tuple[QWidget, Marker]) -> None:
    _scroller, marker = screen
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    with LinkProxy(urlsplit(relay_url).port or 0, PROFILES["dsl4"]) as proxy:
        agent = AgentApp(AgentConfig(relay_url=through(relay_url, proxy.port),
                                     organisation="Acme IT"))
        agents.append(agent)
        qtbot.addWidget(agent.window)
        agent.window.move(0, 0)
        agent.start()
        worker = ConsoleWorker()
        view = RemoteView()  # never shown: it would be part of the customer's screen
        estimates: list[tuple[int, int, int, int]] = []
        try:
            def applied(width: int, height: int, patches: list, seq: int) -> None:
                view.apply_patches(width, height, patches)
                worker.frame_shown(seq)  # acknowledged once applied, as the console does

            worker.frame_ready.connect(applied)
            worker.link_estimated.connect(lambda *e: estimates.append(e))
            qtbot.waitUntil(lambda: agent.window.state == "code", timeout=20000)
            worker.connect_to(relay_url, "Eva Technik", "Acme IT", agent.window.code_text())
            qtbot.waitUntil(lambda: agent.consent is not None, timeout=20000)
            assert agent.consent is not None
            qtbot.waitExposed(agent.consent)
            qtbot.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: view.image().width() > 0, timeout=20000)

            qtbot.wait(3000)  # the controller finds the line (startup) first
            proxy.stats()  # the window of the figure below starts now
            latencies = []
            for i in range(8):
                colour = COLOURS[i % len(COLOURS)]
                marker.paint_as(colour)
                painted = time.monotonic()
                qtbot.waitUntil(
                    lambda c=colour: QColor(view.image().pixel(MARK_X + 32, MARK_Y + 32))
                    == QColor(c), timeout=5000)
                latencies.append(time.monotonic() - painted)
                qtbot.wait(300)
            up = proxy.stats()["up"]
        finally:
            worker.stop()
    used = up["bits_per_s"] / PROFILES["dsl4"].up_bits_per_s
    report = (f"uplink {used:.0%}, modem queue p95 {up['queue_ms']['p95']} ms, marker "
              f"latencies {[round(x * 1000) for x in latencies]} ms, estimates {estimates[-2:]}")
    print(report)  # the figures of the run, for the notes (pytest -s)
    assert used >= 0.80, report
    # the marker never waits behind a standing queue of stale frames (the modem alone could
    # hold 150 ms; a queue of frames of this slideshow would be seconds)
    assert statistics.median(latencies) < 0.4, report
    assert max(latencies) < 1.0, report
    assert estimates, "the technician never heard the measured link"
    rate, rtt_ms, min_rtt_ms, _queue_ms = estimates[-1]
    assert 0.5 * 500_000 <= rate <= 1.5 * 500_000, estimates[-1]
    assert 40 <= min_rtt_ms <= rtt_ms, estimates[-1]
    QApplication.processEvents()
