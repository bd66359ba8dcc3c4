"""Issue 16, typing: a small change costs the agent one grab, and nothing else wakes it.

Real parts: an Xvfb display, another X client drawing (a "typed character": a glyph-sized
rectangle), the real DAMAGE watcher, the real capturer and streamer, the console's real
framebuffer. Counts, not times: the grabs per character and the grabs an ack or input causes
when nothing was drawn, which a loaded machine does not change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from agent.capture import WATCHED_IDLE_HZ, ScreenCapturer
from agent.damage import X11DamageWatcher, watcher_for
from agent.pipeline import ScreenStreamer
from bench.support.waiting import settled, wait_for
from bench.support.xvfb import XvfbDisplay
from console.framebuffer import Framebuffer
from shared.codec.frame import EncodedFrame

xdisplay = pytest.importorskip("Xlib.display")

W, H = 640, 480


class Typist:
    """Another X client with a window over the screen; :meth:`char` draws one glyph-sized
    rectangle to the right of the last one, as a text field does for a typed character."""

    def __init__(self, display: str) -> None:
        self.dpy = xdisplay.Display(display)
        screen = self.dpy.screen()
        self.win = screen.root.create_window(
            0, 0, W, H, 0, screen.root_depth, background_pixel=0xFFFFFF, override_redirect=True)
        self.win.map()
        self.gc = self.win.create_gc(foreground=0)
        self.dpy.sync()
        self.n = 0

    def char(self) -> None:
        self.gc.change(foreground=(self.n * 0x3A5B7C) & 0xFFFFFF)
        self.win.fill_rectangle(self.gc, 20 + (self.n % 60) * 10, 200, 8, 14)
        self.dpy.sync()
        self.n += 1

    def photo(self, x: int, y: int, w: int, h: int, seed: int) -> None:
        """A photograph-like area (many colours): the encoder sends it lossy, then exact."""
        rng = np.random.default_rng(seed)
        for yy in range(y, y + h, 4):
            for xx in range(x, x + w, 4):
                self.gc.change(foreground=int(rng.integers(0, 0xFFFFFF)))
                self.win.fill_rectangle(self.gc, xx, yy, 4, 4)
        self.dpy.sync()

    def close(self) -> None:
        self.win.destroy()
        self.dpy.sync()
        self.dpy.close()


@pytest.fixture(scope="module")
def screen() -> Iterator[tuple[str, Typist]]:
    with XvfbDisplay(width=W, height=H) as disp:
        typist = Typist(disp.name)
        try:
            yield disp.name, typist
        finally:
            typist.close()


class Rig:
    """Streamer with the real watcher and capturer; every update applied to a framebuffer and
    acknowledged at once (a fast link)."""

    def __init__(self, display: str, refine_delay: float = 10.0) -> None:
        self.fb = Framebuffer()
        self.got: list[EncodedFrame] = []
        self.caps: list[ScreenCapturer] = []

        def on_frame(u: EncodedFrame) -> None:
            self.fb.apply(u.width, u.height, u.rects, u.seq)
            self.got.append(u)
            self.st.ack(u.seq)

        def make() -> ScreenCapturer:
            # the agent's own capturer: the idle poll is a safety net beside the watcher
            self.caps.append(ScreenCapturer(display=display, idle_hz=WATCHED_IDLE_HZ))
            return self.caps[0]

        self.st = ScreenStreamer(on_frame, source_factory=make,
                                 change_watcher=X11DamageWatcher(display),
                                 refine_delay=refine_delay)
        self.st.start()
        wait_for(lambda: self.got, 5.0, "a first frame")
        assert self.st.damage_driven

    def grabs(self) -> int:
        """Every grab_update the capturer did: regions, none found, whole screen."""
        return sum(self.caps[0].stats.values())

    def rest(self) -> None:
        settled(lambda: len(self.got), 0.4, what="the updates to stop")

    def stop(self) -> None:
        assert self.st.stop()
        assert self.st.error is None


def test_a_typed_character_costs_one_grab(screen: tuple[str, Typist]) -> None:
    """20 characters, one every 70 ms (xdotool's typing): about one grab and one update each.
    On main each character cost three grabs: one for the report, then a tick of the 60 Hz fast
    rate and the ack's early grab found nothing (60 empty grabs a second for a second)."""
    display, typist = screen
    rig = Rig(display)
    try:
        rig.rest()
        g0, n0, empty0 = rig.grabs(), len(rig.got), rig.caps[0].stats["empty"]
        for _ in range(20):
            typist.char()
            time.sleep(0.07)  # the stimulus: typing speed
        rig.rest()
        grabs, frames = rig.grabs() - g0, len(rig.got) - n0
        empty = rig.caps[0].stats["empty"] - empty0
        truth = rig.caps[0].grab().copy()
        assert np.array_equal(rig.fb.array, truth), "the console shows what was typed"
    finally:
        rig.stop()
    assert 15 <= frames <= 24, f"{frames} updates for 20 characters"
    assert grabs <= 26, f"{grabs} grabs for 20 characters"
    assert empty <= 2, f"{empty} grabs found nothing reported"


def test_input_or_acks_with_nothing_drawn_grab_nothing(screen: tuple[str, Typist]) -> None:
    """The technician's input (poke) wakes the streamer, but when nothing was drawn there is
    nothing to grab: the reaction is grabbed when the watcher reports it. On main every poke
    grabbed (and diffed) the screen, and kept the fast rate's empty grabs going."""
    display, _typist = screen
    rig = Rig(display)
    try:
        rig.rest()
        g0 = rig.grabs()
        for _ in range(30):
            rig.st.poke()
            time.sleep(0.01)
        time.sleep(0.5)
        grabs = rig.grabs() - g0
    finally:
        rig.stop()
    # the safety net (the idle poll, every 2 s) may grab once
    assert grabs <= 1, f"{grabs} grabs for 30 pokes and nothing drawn"


def test_a_lossy_area_is_refined_exactly_without_further_damage(
    screen: tuple[str, Typist],
) -> None:
    """No fast-rate tick calls the encoder any more: the streamer wakes by itself when the
    lossy (JPEG) tiles have rested for the refinement delay, and the console ends exact."""
    display, typist = screen
    rig = Rig(display, refine_delay=0.2)
    try:
        rig.rest()
        typist.photo(64, 64, 256, 192, seed=7)
        wait_for(lambda: rig.st._encoder.tracker.any_lossy, 5.0, "a lossy update")
        wait_for(lambda: not rig.st._encoder.tracker.any_lossy, 3.0, "the exact refinement")
        rig.rest()
        truth = rig.caps[0].grab().copy()
        assert np.array_equal(rig.fb.array, truth)
    finally:
        rig.stop()


def test_the_pointer_image_is_read_only_when_its_shape_changes(
    screen: tuple[str, Typist], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pointer watcher polls the position ten times a second at rest (33 while it moves);
    the shape's image is read again only after XFixes announced a change. On main every poll
    read (and parsed) the whole image."""
    from agent.cursor import _X11Pointer

    display, _typist = screen
    monkeypatch.setenv("DISPLAY", display)
    src = _X11Pointer()
    dpy: Any = src._display  # python-xlib registers extension methods at run time
    reads: list[int] = []
    read_image = dpy.xfixes_get_cursor_image

    def counted(window: object) -> object:
        reads.append(1)
        return read_image(window)

    dpy.xfixes_get_cursor_image = counted
    other = xdisplay.Display(display)
    try:
        first = src.shape()
        assert first is not None
        for _ in range(30):  # the watcher's polls while nothing changes
            src.position()
            assert src.shape() is first
        assert len(reads) == 1, f"{len(reads)} image reads for 31 polls of a resting pointer"
        # another client shows a different pointer under it: a window with a font cursor
        font = other.open_font("cursor")
        cursor = font.create_glyph_cursor(font, 152, 153, (0, 0, 0), (65535, 65535, 65535))
        scr = other.screen()
        win = scr.root.create_window(0, 0, W, H, 0, scr.root_depth, cursor=cursor,
                                     override_redirect=True)
        win.map()
        other.sync()

        def new_shape() -> bool:
            src.position()
            shape = src.shape()
            return shape is not None and shape.serial != first.serial

        wait_for(new_shape, 5.0, "the new pointer shape")
        assert len(reads) == 2
        win.destroy()
        other.sync()
    finally:
        other.close()
        src.close()


def test_a_resting_pointer_is_not_polled_ten_times_a_second(
    screen: tuple[str, Typist], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At rest the pointer watcher blocks on the X server's events (XInput 2 raw motion,
    XFixes shape) with a safety-net poll every 0.5 s (switched off here); a move (XTest, as
    the technician's input or a mouse makes) wakes it, and stop() ends it promptly. On main
    it asked the X server ten times a second."""
    from Xlib import X
    from Xlib.ext import xtest

    import agent.cursor
    from agent.cursor import CURSOR_LINGER, CursorWatcher, _X11Pointer

    display, _typist = screen
    monkeypatch.setenv("DISPLAY", display)
    # no safety-net poll within the test: a move can only be seen through the events
    monkeypatch.setattr(agent.cursor, "CURSOR_WATCHED_IDLE_INTERVAL", 60.0)
    polls: list[float] = []

    class Counted(_X11Pointer):
        def position(self) -> tuple[int, int] | None:
            polls.append(time.monotonic())
            return super().position()

    got: list[tuple[int, int]] = []
    watcher = CursorWatcher((0, 0), lambda u: got.append((u.x, u.y)), source=Counted)
    mover = xdisplay.Display(display)
    watcher.start()
    try:
        wait_for(lambda: got, 5.0, "the first position")
        time.sleep(CURSOR_LINGER + 0.2)  # the stimulus: past the fast polls after a change
        n0 = len(polls)
        time.sleep(1.5)  # the stimulus: the pointer rests
        resting = len(polls) - n0
        assert resting <= 1, f"{resting} polls in 1.5 s of rest"
        xtest.fake_input(mover, X.MotionNotify, x=123, y=77)
        mover.sync()
        wait_for(lambda: (123, 77) in got, 5.0, "the move to be reported")
    finally:
        watcher.stop()
        watcher._thread.join(1.0)
        mover.close()
    assert not watcher._thread.is_alive(), "stop() wakes a watcher blocked on events"


def test_a_report_after_a_quiet_spell_costs_one_wakeup(
    screen: tuple[str, Typist], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The DAMAGE watcher's coalescing pause is taken only when a cycle follows the last one
    closely: a typed character (one every 70 ms) costs one wait, not a second one for a pause
    nothing needed. On main: two per report."""
    import select as real_select

    import agent.damage

    display, typist = screen
    waits: list[int] = []

    class CountingSelect:
        @staticmethod
        def select(*args: Any) -> Any:
            waits.append(1)
            return real_select.select(*args)

    monkeypatch.setattr(agent.damage, "select", CountingSelect)
    watcher = X11DamageWatcher(display)
    assert watcher.start(lambda: None)
    try:
        settled(lambda: watcher.notifications, 0.3, what="the map's damage to be reported")
        n0, w0 = watcher.notifications, len(waits)
        for _ in range(15):
            typist.char()
            time.sleep(0.07)  # the stimulus: typing speed
        settled(lambda: watcher.notifications, 0.3, what="the reports to stop")
        reports, selects = watcher.notifications - n0, len(waits) - w0
    finally:
        watcher.stop()
    assert reports >= 10, f"{reports} reports for 15 characters"
    assert selects <= reports * 1.3 + 2, f"{selects} waits for {reports} reports"


def test_an_ack_with_nothing_to_do_leaves_the_streamer_asleep(screen: tuple[str, Typist]
                                                              ) -> None:
    """The console's ack arrives a few ms after the update, from the network thread: with
    nothing reported, pending or owed it does not wake the streamer. On main every typed
    character woke it twice (the report, then the ack): about 40 wakeups for 20 characters."""
    display, typist = screen
    got: list[EncodedFrame] = []
    fb = Framebuffer()

    def on_frame(u: EncodedFrame) -> None:  # streamer thread; the ack comes later, elsewhere
        fb.apply(u.width, u.height, u.rects, u.seq)
        got.append(u)
        threading.Timer(0.005, st.ack, (u.seq,)).start()

    cap = ScreenCapturer(display=display, idle_hz=WATCHED_IDLE_HZ)
    st = ScreenStreamer(on_frame, source=cap, change_watcher=watcher_for(display),
                        refine_delay=10.0)
    st.start()
    try:
        wait_for(lambda: got, 5.0, "a first frame")
        assert st.damage_driven
        settled(lambda: len(got), 0.4, what="the updates to stop")
        w0, n0 = st.wakeups, len(got)
        for _ in range(20):
            typist.char()
            time.sleep(0.07)
        settled(lambda: len(got), 0.4, what="the updates to stop")
        wakeups, frames = st.wakeups - w0, len(got) - n0
        assert np.array_equal(fb.array, cap.grab()), "the console shows what was typed"
    finally:
        assert st.stop()
    assert st.error is None
    assert 15 <= frames <= 24, f"{frames} updates for 20 characters"
    assert wakeups <= 28, f"{wakeups} streamer wakeups for 20 characters"


def test_a_key_in_a_field_reported_whole_diffs_only_the_glyph(
    screen: tuple[str, Typist], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Qt text field is reported whole (here 578x168 px, 40 tiles) by X DAMAGE for each key
    while one glyph differs. The real streamer, watcher and capturer: per key the encoder
    compares no whole tiles of the field (the capturer handed on the glyph's box, and the
    tiny path compares its own pixels), and the console ends exact. Counts, not times.
    On main every key compared all 40 tiles of the field (dirty_tiles over the region)."""
    import shared.codec.frame
    import shared.codec.tiny
    from shared.codec import tiles

    display, typist = screen
    compared: list[int] = []
    real = tiles.dirty_tiles

    def counting(prev: np.ndarray, cur: np.ndarray, tile: int = 64,
                 area: tuple[int, int, int, int] | None = None) -> np.ndarray:
        compared.append(area[2] * area[3] if area is not None else -1)
        return real(prev, cur, tile, area)

    monkeypatch.setattr(shared.codec.tiny, "dirty_tiles", counting)
    monkeypatch.setattr(shared.codec.frame, "dirty_tiles", counting)
    fx, fy, fw, fh = 20, 180, 578, 168
    field = np.full((fh, fw, 4), 255, dtype=np.uint8)
    field[..., 3] = 0  # what X keeps of a depth-24 window
    rng = np.random.default_rng(11)
    rig = Rig(display)
    try:
        rig.rest()
        n0 = len(rig.got)
        compared.clear()
        for k in range(12):
            gx, gy = 8 + k * 9, 10 + (k % 3) * 22
            field[gy : gy + 14, gx : gx + 8, :3] = rng.integers(0, 200, (14, 8, 1), np.uint8)
            _put_field(typist, fx, fy, field)
            time.sleep(0.07)  # the stimulus: typing speed
        rig.rest()
        frames = len(rig.got) - n0
        truth = rig.caps[0].grab().copy()
        assert np.array_equal(rig.fb.array[..., :3], truth[..., :3]), "the console is exact"
    finally:
        rig.stop()
    assert frames >= 6, f"{frames} updates for 12 keys"
    whole = [n for n in compared if n < 0 or n >= 40]
    assert not whole, f"whole-field or whole-screen tile compares per key: {compared}"


def _put_field(typist: Typist, x: int, y: int, img: np.ndarray) -> None:
    """``img`` onto the typist's window through a pixmap and one CopyArea: one damage rect
    for the whole field, as Qt's backing store flushes a widget."""
    from Xlib import X

    dpy, win = typist.dpy, typist.win
    depth = dpy.screen().root_depth
    h, w = img.shape[:2]
    pix = win.create_pixmap(w, h, depth)
    gc = pix.create_gc()
    for y0 in range(0, h, 40):
        chunk = np.ascontiguousarray(img[y0 : y0 + 40])
        pix.put_image(gc, 0, y0, w, chunk.shape[0], X.ZPixmap, depth, 0, chunk.tobytes())
    win.copy_area(gc, pix, 0, 0, w, h, x, y)
    gc.free()
    pix.free()
    dpy.sync()
