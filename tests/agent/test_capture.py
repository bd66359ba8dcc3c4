"""Real mss capture on the test's Xvfb display; adaptive rate with an injected clock."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from agent.capture import AdaptiveRate, CaptureError, ScreenCapturer
from bench.screens import text_document
from shared.codec.scroll import apply_moves, detect_moves


def test_grab_whole_screen(x_display: object) -> None:
    cap = ScreenCapturer()
    try:
        frame = cap.grab()
        assert frame.shape == (800, 1280, 4) and frame.dtype == np.uint8
        assert cap.geometry == (0, 0, 1280, 800)
        assert len(cap.monitors()) >= 2
        assert cap.grab() is not frame  # each grab is a fresh buffer
    finally:
        cap.close()


def test_grab_sees_drawn_content(x_display: object) -> None:
    """Paint the root window through Xlib; the capture must show that exact colour (BGRA)."""
    display_mod = pytest.importorskip("Xlib.display")
    dpy = display_mod.Display()
    try:
        root = dpy.screen().root
        root.change_attributes(background_pixel=0x102030)
        root.clear_area(0, 0, 0, 0)
        dpy.sync()
        cap = ScreenCapturer(monitor=1)
        try:
            frame = cap.grab()
            assert tuple(frame[400, 640, :3]) == (0x30, 0x20, 0x10)
        finally:
            cap.close()
    finally:
        root.change_attributes(background_pixel=0)
        root.clear_area(0, 0, 0, 0)
        dpy.sync()
        dpy.close()


def test_mss_instance_per_thread(x_display: object) -> None:
    cap = ScreenCapturer()
    shapes: list[tuple[int, ...]] = []

    def work() -> None:
        shapes.append(cap.grab().shape)
        cap.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert shapes == [(800, 1280, 4)] * 3


def test_bad_monitor(x_display: object) -> None:
    cap = ScreenCapturer(monitor=42)
    with pytest.raises(CaptureError):
        cap.grab()
    cap.close()


def test_adaptive_rate() -> None:
    now = [0.0]
    rate = AdaptiveRate(fast_hz=30, idle_hz=2, linger=1.0, clock=lambda: now[0])
    assert rate.interval() == pytest.approx(0.5)
    rate.poke()
    assert rate.interval() == pytest.approx(1 / 30)
    now[0] = 0.9
    rate.note_frame(changed=True)
    now[0] = 1.5
    assert rate.active
    now[0] = 2.0
    rate.note_frame(changed=False)
    assert rate.interval() == pytest.approx(0.5)


def test_scroll_on_real_capture(x_display: object) -> None:
    cap = ScreenCapturer()
    try:
        shot = cap.grab().copy()
    finally:
        cap.close()
    # give the (mostly uniform) Xvfb root some structure, then scroll it by 23 rows
    shot[::7, ::3, :3] ^= 0x5A
    shot[200:260, 100:900] = text_document(60, 800)
    prev = shot[0:700].copy()
    cur = shot[23:723].copy()
    moves = detect_moves(prev, cur)
    assert moves and all(m.src_y - m.y == 23 for m in moves)
    fixed = prev.copy()
    apply_moves(fixed, moves)
    assert np.flatnonzero((fixed != cur).any(axis=(1, 2))).size <= 23
