"""The customer's monitors: which one is shared first, following hot-plug, and the red frame.

The list rules run on plain mss dictionaries. Everything else runs on real X: RandR 1.5 monitors
set on a running Xvfb with ``xrandr --setmonitor`` (bench/support/monitors.py says why that is
the way to get two monitors that mss and Qt both see there), read back through mss by
:func:`agent.monitors.read_screens`, and the overlay's frames read back as pixels with mss.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import mss
import numpy as np
import pytest

from agent.capture import CaptureError
from agent.config import AgentConfig
from agent.driver import AgentHost, AgentSessionDriver
from agent.monitors import MonitorsShared, Screens, read_screens
from agent.ui import SessionOverlay
from bench.support.monitors import (
    add_monitor,
    clear_monitors,
    qt_screens,
    remove_monitor,
    set_monitors,
)
from bench.support.sessions import pump as _pump
from bench.support.waiting import wait_for_async
from bench.support.xvfb import XvfbDisplay
from desktop.audit_store import AuditRecord, read_record
from shared import messages as m
from shared.session import AgentSession, ConsoleSession, FrameReceived, MonitorsChanged
from tests.agent.test_worker_stream_settings import CODE


def _mon(x: int, y: int, w: int, h: int, primary: bool = False) -> dict[str, object]:
    return {"left": x, "top": y, "width": w, "height": h, "is_primary": primary}


def _desktop(*mons: dict[str, object]) -> list[dict[str, object]]:
    left = min(int(mon["left"]) for mon in mons)  # type: ignore[call-overload]
    right = max(int(mon["left"]) + int(mon["width"]) for mon in mons)  # type: ignore[call-overload]
    bottom = max(int(mon["top"]) + int(mon["height"]) for mon in mons)  # type: ignore[call-overload]
    return [{"left": left, "top": 0, "width": right - left, "height": bottom}, *mons]


# ----------------------------------------------------------------------------- list rules


def test_the_primary_monitor_is_shared_first_never_all() -> None:
    screens = Screens.from_mss(_desktop(_mon(0, 0, 1920, 1080), _mon(1920, 0, 2560, 1440, True)))
    assert screens.default() == 2
    assert screens.monitors == (m.Monitor(0, 0, 1920, 1080, False),
                                m.Monitor(1920, 0, 2560, 1440, True))
    assert screens.origin(2) == (1920, 0)
    # No primary flag: the first monitor; one monitor: that one.
    assert Screens.from_mss(_desktop(_mon(0, 0, 800, 600), _mon(800, 0, 800, 600))).default() == 1
    assert Screens.from_mss(_desktop(_mon(0, 0, 800, 600))).default() == 1


def test_all_monitors_only_when_they_fit_the_frame_budget() -> None:
    two_hd = Screens.from_mss(_desktop(_mon(0, 0, 1920, 1080), _mon(1920, 0, 1920, 1080)))
    assert two_hd.choose(0) == 0
    assert two_hd.choose(2) == 2
    assert two_hd.choose(3) is None  # no such monitor (just unplugged): nothing changes
    three_4k = Screens.from_mss(_desktop(*(_mon(3840 * i, 0, 3840, 2160) for i in range(3))))
    assert three_4k.choose(0) is None  # 11520 wide: more than any console accepts
    assert three_4k.default() == 1


def test_a_monitor_too_big_is_passed_over_and_nothing_fitting_is_a_plain_error() -> None:
    huge_primary = Screens.from_mss(_desktop(_mon(0, 0, 16000, 2000, True),
                                             _mon(16000, 0, 1920, 1080)))
    assert huge_primary.default() == 2
    assert huge_primary.monitors[0].width == m.MAX_DIMENSION  # described, capped to the wire
    with pytest.raises(CaptureError, match="small enough"):
        Screens.from_mss(_desktop(_mon(0, 0, 16000, 9000), _mon(16000, 0, 16000, 9000))
                         ).default()


def test_a_desktop_without_randr_is_one_monitor_grabbed_whole() -> None:
    screens = Screens.from_mss([{"left": 0, "top": 0, "width": 1280, "height": 800}])
    assert screens.count == 1
    assert screens.default() == 1
    assert screens.capture[1] == 0  # mss has no per-monitor entry: grab the desktop
    assert screens.monitors == (m.Monitor(0, 0, 1280, 800, True),)


def test_after_a_hot_plug_the_shared_monitor_is_followed_by_its_place() -> None:
    a, b, c = _mon(0, 0, 1920, 1080, True), _mon(1920, 0, 1280, 1024), _mon(3200, 0, 1024, 768)
    before = Screens.from_mss(_desktop(a, b, c))
    # Monitor 2 stays where it was while monitor 1 goes away: it is now number 1.
    after = Screens.from_mss(_desktop(b, c))
    assert after.follow(2, before) == 1
    # The shared monitor went away: back to the default (the primary one, else the first).
    assert Screens.from_mss(_desktop(a, c)).follow(2, before) == 1
    # All monitors stay "all" while they fit.
    assert after.follow(0, before) == 0


def test_more_monitors_than_the_wire_carries_are_cut_to_sixteen() -> None:
    many = Screens.from_mss(_desktop(*(_mon(100 * i, 0, 100, 100) for i in range(20))))
    assert many.count == m.MAX_MONITORS
    assert m.Monitors(many.monitors, 16)  # the message accepts it


# ----------------------------------------------------------------------------- real X


@pytest.fixture
def own_display() -> Iterator[XvfbDisplay]:
    with XvfbDisplay(width=1600, height=900) as display:
        yield display


def test_read_screens_sees_randr_monitors_and_hot_plug(own_display: XvfbDisplay) -> None:
    name = own_display.name
    assert read_screens(name).count == 1  # plain Xvfb: the one whole-screen monitor
    set_monitors(name, [(0, 0, 1000, 900), (1000, 0, 600, 900)], primary=2)
    screens = read_screens(name)
    assert screens.monitors == (m.Monitor(0, 0, 1000, 900, False),
                                m.Monitor(1000, 0, 600, 900, True))
    assert screens.default() == 2
    add_monitor(name, 3, (0, 0, 800, 450))  # plugged in while the agent runs
    assert read_screens(name).count == 3
    remove_monitor(name, 2)
    remove_monitor(name, 3)
    assert read_screens(name).monitors == (m.Monitor(0, 0, 1000, 900, False),)
    clear_monitors(name)
    assert read_screens(name).monitors == (m.Monitor(0, 0, 1600, 900, False),)


# ----------------------------------------------------------------------------- the red frame


@pytest.fixture
def two_monitors(qtbot, x_display: XvfbDisplay) -> Iterator[list[tuple[int, int, int, int]]]:
    """The test process's own display split into two monitors side by side; one again after."""
    w, h = x_display.width // 2, x_display.height
    rects = [(0, 0, w, h), (w, 0, w, h)]
    set_monitors(x_display.name, rects)
    try:
        qtbot.waitUntil(lambda: qt_screens() == sorted(rects), timeout=10000)
        yield rects
    finally:
        clear_monitors(x_display.name)
        qtbot.waitUntil(lambda: qt_screens() == [(0, 0, x_display.width, h)], timeout=10000)


RED = np.array([0x2F, 0x24, 0xD1])  # the frame's #d1242f as mss's B, G, R


def red_column(x: int, height: int) -> float:
    """The share of pixels of the column ``x`` of the screen that are the frame's red."""
    with mss.MSS(display=os.environ["DISPLAY"]) as sct:
        shot = sct.grab({"left": x, "top": 0, "width": 1, "height": height})
    px = np.frombuffer(shot.raw, dtype=np.uint8).reshape(height, 4)[:, :3]
    return float(np.all(px == RED, axis=1).mean())


def test_the_red_frame_marks_only_the_shared_monitor(qtbot, english, two_monitors) -> None:
    (_x1, _y1, w, h), (x2, _y2, _w2, _h2) = two_monitors
    overlay = SessionOverlay("Anna Schmidt")
    try:
        overlay.show()
        monitors = (m.Monitor(0, 0, w, h, True), m.Monitor(x2, 0, w, h, False))
        overlay.set_monitors(monitors, 2)
        qtbot.waitUntil(lambda: red_column(x2 + 1, h) > 0.8, timeout=5000)
        # Monitor 1's outer edge (and its right edge, beside monitor 2's left) stay unframed.
        assert red_column(1, h) < 0.1
        assert red_column(w - 2, h) < 0.1
        assert red_column(x2 + w - 2, h) > 0.8  # monitor 2's right edge
        assert [s.geometry().x() for s in overlay.framed_screens] == [x2]
        assert "Monitor 2 of 2 is shared" in overlay.panel_text()
        # The technician switches to all monitors: both get their frame.
        overlay.set_monitors(monitors, 0)
        qtbot.waitUntil(lambda: red_column(1, h) > 0.8, timeout=5000)
        assert red_column(x2 + 1, h) > 0.8
        assert "All monitors are shared" in overlay.panel_text()
        # Monitor 2 unplugged, monitor 1 shared: one monitor, nothing to say about it.
        overlay.set_monitors(monitors[:1], 1)
        assert "monitor" not in overlay.panel_text().lower()
    finally:
        overlay.close()


# ----------------------------------------------------------------------------- the driver


class Technician:
    """The console's session fed straight from the agent driver's send queue (no relay): what
    the technician's program would get, in order."""

    def __init__(self, driver: AgentSessionDriver, console: ConsoleSession) -> None:
        self.driver, self.console = driver, console
        self.frames: list[m.FrameUpdate] = []
        self.lists: list[tuple[int, int]] = []  # (count, shared) of each Monitors

    def read(self) -> None:
        queue = self.driver._sendq
        while not queue.empty():
            data = queue.get_nowait()
            assert data is not None
            for ev in self.console.receive(data).events:
                if isinstance(ev, FrameReceived):
                    self.frames.append(ev.update)
                elif isinstance(ev, MonitorsChanged):
                    self.lists.append((len(ev.monitors), ev.shared))

    def send(self, step_out: list[bytes]) -> None:
        for data in step_out:
            self.driver.handle(self.driver.session.receive(data))

    async def until(self, pred: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        async def seen() -> bool:
            self.read()
            return pred()
        await wait_for_async(seen, timeout, what)


def test_a_switch_streams_the_chosen_monitor_and_frame_numbers_go_on(
        tmp_path: Path, qtbot, two_monitors) -> None:
    """ChooseMonitor(2) → the next frame is monitor 2's size with a larger seq; acks of frames
    of the monitor shared before free nothing (no flow error); an index the agent lacks only
    brings the list again; a grab that fails as a monitor goes is followed like a hot-plug."""
    (_x, _y, w, h), (x2, _y2, _w2, _h2) = two_monitors
    a, c = AgentSession(CODE), ConsoleSession(CODE, name="Eva")
    _pump(a, c, [a.start()], [c.start()])
    _pump(a, c, a.decide(True, frozenset({"view"})).outgoing, [])
    loop = asyncio.new_event_loop()
    host = AgentHost(AgentConfig(), lambda ev: None, loop)
    shown: list[object] = []
    driver = AgentSessionDriver(a, AuditRecord.create(tmp_path, "agent"), shown.append, loop,
                                host=host)
    tech = Technician(driver, c)

    async def scenario() -> None:
        await driver._share_screen()
        await tech.until(lambda: bool(tech.frames) and bool(tech.lists), "monitor 1")
        assert tech.lists[0] == (2, 1)
        assert (tech.frames[0].width, tech.frames[0].height) == (w, h)
        assert driver.origin == (0, 0)
        before = tech.frames[-1].seq
        tech.send(c.choose_monitor(2).outgoing)
        await tech.until(lambda: tech.lists[-1] == (2, 2), "the switch")
        assert driver.origin == (x2, 0)
        await tech.until(lambda: tech.frames[-1].seq > before, "monitor 2's first frame")
        first = next(f for f in tech.frames if f.seq > before)
        assert (first.width, first.height) == (w, h) and first.seq == before + 1
        tech.send(c.ack(before).outgoing)  # the old picture's ack arrives late: harmless
        tech.send(c.ack(first.seq).outgoing)
        tech.send(c.choose_monitor(7).outgoing)  # gone (or never there): the list again
        await tech.until(lambda: len(tech.lists) == 3, "the list again")
        assert tech.lists[-1] == (2, 2)
        tech.send(c.choose_monitor(0).outgoing)  # all monitors: the whole desktop
        await tech.until(lambda: tech.frames[-1].width == 2 * w, "all monitors")
        assert driver.origin == (0, 0)
        # A console that floods choices: the last one is followed, no task per message.
        tasks = len(driver._tasks)
        for n in range(300):
            tech.send(c.choose_monitor(1 + n % 2).outgoing)
        assert len(driver._tasks) <= tasks + 1
        await tech.until(lambda: tech.lists[-1] == (2, 2) and driver._wanted is None,
                         "the last choice")
        # Monitor 2 unplugged, and its grab fails before the next look at the list (on real
        # hardware the desktop shrinks under it): followed like a hot-plug, the session goes on.
        remove_monitor(os.environ["DISPLAY"], 2)
        driver._streaming_failed(CaptureError("screen capture failed: X11 error"),
                                 driver.streamer)
        await tech.until(lambda: tech.lists[-1] == (1, 1), "the fallback to monitor 1")
        assert driver.origin == (0, 0) and not a.ended
        # The same failure with the list unchanged: capture is broken, the session ends.
        driver._streaming_failed(CaptureError("screen capture failed: X11 error"),
                                 driver.streamer)
        await tech.until(lambda: a.ended, "the end")
        assert a.end_reason == "error"
        await driver.close()

    try:
        loop.run_until_complete(scenario())
    finally:
        loop.run_until_complete(driver.close())
        host.desktop.shutdown(wait=True)
        loop.close()
    logged = [(e["index"], e["count"]) for e in read_record(driver.record.path)  # type: ignore[union-attr]
              if e["event"] == "monitor_shared"]
    assert logged[:3] == [(1, 2), (2, 2), (0, 2)] and logged[-2:] == [(2, 2), (1, 1)]
    assert len(logged) <= 6  # at most: the one under way when the flood came, then the last
    assert [ev.shared for ev in shown if isinstance(ev, MonitorsShared)][:4] == [1, 2, 2, 0]
