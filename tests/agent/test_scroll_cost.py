"""Issue 16, the agent's CPU while scrolling: one grab and one update per frame of the source.

Real parts: an Xvfb display, another X client drawing (python-xlib), the real DAMAGE watchers,
capturer and streamer. What is counted is work (reports, grabs, updates), not time, so load from
other processes cannot make these pass or fail.

- A frame flushed in two pieces a moment apart (glass_to_glass's stimulus paints its document,
  then the barcode beside it) is reported once while the screen is busy: the watcher settles
  (``X11DamageWatcher.SETTLE``). The first drawing after a quiet spell is not delayed.
- While the screen keeps changing, lossy tiles due for refinement ride on the next change's
  grab (``agent.pipeline.REFINE_AFTER_CHANGE``) instead of a grab and an update of their own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import numpy as np
import pytest

from agent import damage_xcb
from agent.damage import X11DamageWatcher
from agent.damage_xcb import XcbDamageWatcher
from agent.pipeline import REFINE_AFTER_CHANGE
from bench.support.waiting import settled, wait_for
from bench.support.xvfb import XvfbDisplay
from tests.agent.x_animator import AckingStreamer, Animator

pytest.importorskip("Xlib.display")
X = pytest.importorskip("Xlib.X")

W, H = 640, 480
HZ = 60.0

WATCHERS = [X11DamageWatcher]
if damage_xcb.available():
    WATCHERS.append(XcbDamageWatcher)


class TwoPartPainter(Animator):
    """Another X client that draws each frame of a 60 Hz animation in two flushed pieces
    ``gap`` seconds apart (a document, then a counter beside it), and optionally a new
    photo-like block per frame (noise: sent lossy, refined later)."""

    def __init__(self, display: str, gap: float = 0.0005, photos: bool = False) -> None:
        super().__init__(display, HZ)
        self.depth = self.dpy.screen().root_depth
        self.gap = gap
        self.photos = photos
        rng = np.random.default_rng(7)
        self.noise = [rng.integers(0, 256, (64, 160, 4), dtype=np.uint8).tobytes()
                      for _ in range(4)]

    def draw(self) -> None:
        n = self.frames
        self.gc.change(foreground=(n * 0x0A1B2C) & 0xFFFFFF)
        self.win.fill_rectangle(self.gc, 0, 100 + (n % 20) * 4, 400, 120)  # the document
        if self.photos:
            x, y = 420 + (n % 2) * 40, (n * 64) % (H - 64)
            self.win.put_image(self.gc, x, y, 160, 64, X.ZPixmap, self.depth, 0,
                               self.noise[n % 4])
        self.dpy.sync()
        time.sleep(self.gap)
        self.gc.change(foreground=(n * 0x3D2E1F) & 0xFFFFFF)
        self.win.fill_rectangle(self.gc, 0, 10, 160, 24)  # the counter beside it
        self.dpy.sync()
        self.frames += 1


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with XvfbDisplay(width=W, height=H) as disp:
        yield disp.name


@pytest.mark.parametrize("cls", WATCHERS)
def test_a_frame_drawn_in_two_pieces_is_reported_once(
        display: str, cls: type[X11DamageWatcher]) -> None:
    """Main reported the two pieces of most frames separately (about 2 reports a frame)."""
    painter = TwoPartPainter(display)
    w = cls(display)
    assert w.start(lambda: None)
    try:
        settled(lambda: w.notifications, 0.1, what="the map's damage to be reported")
        n0, f0 = w.notifications, painter.frames
        painter.start()
        time.sleep(2.0)  # the stimulus: two seconds of a 60 Hz animation in two pieces
        painter.stop()
        time.sleep(0.1)
        reports, frames = w.notifications - n0, painter.frames - f0
    finally:
        w.stop()
        painter.close()
    assert frames > 30
    # each frame once (and the carried rectangles' re-report now and then), not twice
    assert reports <= 1.4 * frames, f"{reports} reports for {frames} frames"
    # and still every frame: the settle never merges two frames of a 60 Hz source
    assert reports >= 0.7 * frames, f"{reports} reports for {frames} frames"


def _pipe_watcher() -> X11DamageWatcher:
    w = X11DamageWatcher(":0")
    w._stop_r, w._stop_w = os.pipe()
    return w


def test_the_settle_applies_only_while_the_screen_is_busy() -> None:
    """The pause before a report: none after a quiet spell (a typed glyph is reported at once);
    at least the settle while the screen is busy, even once the minimum interval passed."""
    w = _pipe_watcher()
    try:
        t0 = time.monotonic()
        assert w._spaced(-float("inf"))  # quiet: no pause
        quiet = time.monotonic() - t0
        t0 = time.monotonic()
        assert w._spaced(t0 - w.BUSY_SPAN - 0.01)  # the last report long ago: no pause either
        long_ago = time.monotonic() - t0
        t0 = time.monotonic()
        assert w._spaced(t0 - 2 * w.min_interval)  # busy: the settle, min_interval passed
        busy = time.monotonic() - t0
    finally:
        os.close(w._stop_r)
        os.close(w._stop_w)
    assert quiet < w.SETTLE and long_ago < w.SETTLE  # (no select at all: far below)
    assert busy >= w.SETTLE * 0.95


def test_stop_interrupts_the_settle() -> None:
    w = _pipe_watcher()
    w.settle = 5.0
    try:
        os.write(w._stop_w, b"x")
        t0 = time.monotonic()
        assert not w._spaced(t0 - 0.01)
        assert time.monotonic() - t0 < 1.0
    finally:
        os.close(w._stop_r)
        os.close(w._stop_w)


def test_refinement_rides_on_the_grabs_of_a_changing_screen(display: str) -> None:
    """Photo-like blocks appear at 60 Hz beside a changing document; each is sent lossy and
    refined after ``refine_delay``. Main woke for each refinement between the source's frames:
    a grab with no damage and an update of its own, about one per frame. Now they go with the
    next frame's grab; at rest everything still ends exact."""
    painter = TwoPartPainter(display, gap=0.0, photos=True)
    acking = AckingStreamer(display, quality=60, refine_delay=0.1)
    got, caps, st = acking.got, acking.caps, acking.streamer
    st.start()
    try:
        wait_for(lambda: got, 5.0, "a first frame")
        assert st.damage_driven
        painter.start()
        time.sleep(0.3)  # the stimulus: reach the steady state
        empty0, refined0, f0 = caps[0].stats["empty"], st._encoder.stats["refined"], \
            painter.frames
        time.sleep(2.0)  # the stimulus: two seconds of it
        empty = caps[0].stats["empty"] - empty0
        refined = st._encoder.stats["refined"] - refined0
        frames = painter.frames - f0
        painter.stop()
        # at rest the last lossy tiles are refined when due: the console ends exact
        wait_for(lambda: not st._encoder.tracker.lossy.any(),
                 3.0 + REFINE_AFTER_CHANGE, "the exact refinement at rest")
    finally:
        assert st.stop()
        painter.close()
    assert st.error is None
    assert refined > 20, f"only {refined} tiles refined: the test lost its point"
    assert empty <= 0.1 * frames, f"{empty} grabs without damage for {frames} frames"
