"""The libxcb DAMAGE watcher (agent/damage_xcb.py) on a real Xvfb with a real drawing client:
reports arrive, the regions cover what was drawn and no more than the merge allows, one report
per separate drawing, a lost X server stops it cleanly, and the python-xlib watcher stays the
fallback where libxcb-damage is missing. Its event decoder is checked on arbitrary bytes."""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent import damage, damage_xcb
from agent.damage import X11DamageWatcher, watcher_for
from agent.damage_xcb import XcbDamageWatcher, decode_damage_notify
from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay
from tests.agent.test_damage_regions import Canvas, H, W

pytestmark = pytest.mark.skipif(not damage_xcb.available(), reason="libxcb-damage0 missing")


@pytest.fixture(scope="module")
def screen() -> Iterator[tuple[str, Canvas]]:
    with XvfbDisplay(width=W, height=H) as disp:
        canvas = Canvas(disp.name)
        try:
            yield disp.name, canvas
        finally:
            canvas.close()


def _covers(rects: list[tuple[int, int, int, int]], x: int, y: int, w: int, h: int) -> bool:
    """Every pixel of (x, y, w, h) lies in one of ``rects`` (checked on its corners and middle,
    enough for rectangles that each either hold the drawn one or miss it)."""
    pts = [(x, y), (x + w - 1, y), (x, y + h - 1), (x + w - 1, y + h - 1), (x + w // 2, y + h // 2)]
    return all(any(rx <= px < rx + rw and ry <= py < ry + rh for rx, ry, rw, rh in rects)
               for px, py in pts)


def _quiet(watcher: X11DamageWatcher) -> None:
    """Let what came before (mapping the canvas, creating the damage object) be reported."""
    n = -1
    while n != watcher.notifications:
        n = watcher.notifications
        time.sleep(0.15)
    watcher.take_damage()


def test_reports_arrive_with_the_drawn_regions(screen: tuple[str, Canvas]) -> None:
    display, canvas = screen
    calls: list[float] = []
    watcher = XcbDamageWatcher(display)
    assert watcher.start(lambda: calls.append(time.monotonic()))
    try:
        _quiet(watcher)
        for i, (x, y, w, h) in enumerate([(10, 20, 8, 14), (300, 200, 40, 30), (600, 450, 40, 30)]):
            n = watcher.notifications
            canvas.rect(x, y, w, h, 0x112233 + i)
            wait_for(lambda: watcher.notifications > n, 5, "a report")  # noqa: B023
            time.sleep(0.05)
            got = watcher.take_damage()
            assert got is not None and _covers(got, x, y, w, h), (got, (x, y, w, h))
            # no more than the drawn box (X may report it in pieces, never outside it)
            assert all(x <= gx and y <= gy and gx + gw <= x + w and gy + gh <= y + h
                       for gx, gy, gw, gh in got), got
        assert not watcher.has_damage()
    finally:
        watcher.stop()
    assert watcher.take_damage() is None  # stopped: unknown, so the capturer grabs everything


def test_one_report_per_separate_drawing(screen: tuple[str, Canvas]) -> None:
    """Typing: a glyph every 40 ms costs one report each, not more (the pause merges bursts)."""
    display, canvas = screen
    watcher = XcbDamageWatcher(display)
    assert watcher.start(lambda: None)
    try:
        _quiet(watcher)
        n0 = watcher.notifications
        for i in range(10):
            canvas.rect(20 + 12 * i, 100, 8, 14, 0x00FF00 + i)
            canvas.sync()
            time.sleep(0.04)
        wait_for(lambda: watcher.notifications >= n0 + 10, 5, "ten reports")
        time.sleep(0.2)
        assert watcher.notifications - n0 <= 12
        got = watcher.take_damage()
        assert got is not None and all(_covers(got, 20 + 12 * i, 100, 8, 14) for i in range(10))
    finally:
        watcher.stop()


def test_a_lost_x_server_stops_the_watcher_cleanly() -> None:
    with XvfbDisplay(width=320, height=240) as disp:
        watcher = XcbDamageWatcher(disp.name)
        assert watcher.start(lambda: None)
        disp.stop()
        wait_for(lambda: watcher.take_damage() is None, 10, "the watcher to notice")
    watcher.stop()
    assert watcher._thread is not None and not watcher._thread.is_alive()


def test_no_display_is_no_watcher() -> None:
    assert XcbDamageWatcher(":9731").start(lambda: None) is False


def test_watcher_for_prefers_xcb_and_falls_back_to_xlib(monkeypatch: pytest.MonkeyPatch) -> None:
    assert type(watcher_for(":0")) is XcbDamageWatcher
    monkeypatch.setattr(damage_xcb, "available", lambda: False)
    assert type(watcher_for(":0")) is damage.X11DamageWatcher


def test_decoder_on_a_real_layout() -> None:
    ev = struct.pack("<BBHIII", 91, 0, 7, 0x200, 0x300, 1234) + struct.pack("<hhHH", -3, 5, 40, 9)
    ev += bytes(8)
    assert decode_damage_notify(ev, 91) == (-3, 5, 40, 9)
    assert decode_damage_notify(bytes([91 | 0x80]) + ev[1:], 91) == (-3, 5, 40, 9)  # SendEvent
    assert decode_damage_notify(ev, 92) is None  # another event
    assert decode_damage_notify(bytes(32), 91) is None  # an X error
    assert decode_damage_notify(ev[:20], 91) is None  # short


@given(st.binary(max_size=64), st.integers(64, 127))
def test_decoder_never_raises(data: bytes, code: int) -> None:
    got = decode_damage_notify(data, code)
    assert got is None or (len(got) == 4 and all(isinstance(v, int) for v in got))
