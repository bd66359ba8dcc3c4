"""Typing (issue 16): X DAMAGE reports a Qt text field whole (578x168 px) for each key while one
glyph of it differs. The capturer compares the region with its kept frame as it reads it from
the XShm segment and hands the encoder the box of pixels that differ, so the encoder diffs a
glyph, not 388 KB twice more. Real Xvfb, real mss and XShm, real drawing; the box is checked
against the truth (a full grab), and :func:`agent.capture.changed_box` by hypothesis."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.capture import ScreenCapturer, changed_box
from bench.screens import text_document
from tests.agent.test_capture_reuse import _paint

FIELD = (40, 60, 578, 168)


def _put(dpy: Any, x: int, y: int, img: np.ndarray) -> None:
    """Put ``img`` (BGRA) at ``x, y`` through a pixmap and one CopyArea: one damage rect for
    the whole image, as Qt's backing store flushes a widget."""
    from Xlib import X

    screen = dpy.screen()
    root = screen.root
    h, w = img.shape[:2]
    pix = root.create_pixmap(w, h, screen.root_depth)
    gc = pix.create_gc()
    for y0 in range(0, h, 40):
        chunk = np.ascontiguousarray(img[y0 : y0 + 40])
        pix.put_image(gc, 0, y0, w, chunk.shape[0], X.ZPixmap, screen.root_depth, 0,
                      chunk.tobytes())
    root.copy_area(gc, pix, 0, 0, w, h, x, y)
    pix.free()
    dpy.sync()


def test_a_typed_glyph_in_a_reported_field_is_handed_on_as_its_box(x_display: object) -> None:
    """Per key: the region handed to the encoder is the glyph's box (at most 2 px wider: two
    pixels are compared as one word), the kept frame equals the screen. On main the whole
    reported field was handed on (97 104 px per key against 112 here)."""
    display_mod = pytest.importorskip("Xlib.display")
    dpy = display_mod.Display()
    # two full grabs: mss finds out about XShm at its first (which fills in the alpha bytes)
    damage: list[Any] = [None, None]
    cap = ScreenCapturer()
    cap.attach_damage(lambda: damage.pop() if damage else [])
    fx, fy, fw, fh = FIELD
    try:
        doc = text_document(800, 1280, seed=3)
        doc[..., 3] = 0  # what X keeps of a depth-24 root
        _paint(dpy, doc)
        cap.grab_update()
        frame, regions = cap.grab_update()
        assert regions is None
        field = doc[fy : fy + fh, fx : fx + fw].copy()
        rng = np.random.default_rng(5)
        handed = 0
        for k in range(12):
            gx, gy = 8 + k * 9, 10 + (k % 3) * 22  # odd and even columns
            field[gy : gy + 14, gx : gx + 8, :3] = rng.integers(0, 256, (14, 8, 1), np.uint8)
            _put(dpy, fx, fy, field)
            damage.append([FIELD])
            frame, regions = cap.grab_update()
            assert regions is not None and len(regions) == 1
            x, y, w, h = regions[0]
            assert fx + gx - 1 <= x <= fx + gx and y == fy + gy and h == 14
            assert x + w in (fx + gx + 8, fx + gx + 9) and w <= 10
            handed += w * h
            truth = cap.grab()
            assert np.array_equal(frame[..., :3], truth[..., :3]), "the kept frame is the screen"
        assert handed <= 12 * 10 * 14, f"{handed} px handed on for 12 glyphs"
        assert cap.narrowed == 12
        # the field put again unchanged: nothing differs, no region
        _put(dpy, fx, fy, field)
        damage.append([FIELD])
        frame, regions = cap.grab_update()
        assert regions == []
    finally:
        cap.close()
        dpy.screen().root.clear_area(0, 0, 0, 0)
        dpy.sync()
        dpy.close()


def test_a_big_region_is_handed_on_as_reported(x_display: object) -> None:
    """Above NARROW_MAX_PIXELS (a scroll) the region goes on as reported: the encoder's own
    diff and scroll detection look at it whole, no second compare here."""
    display_mod = pytest.importorskip("Xlib.display")
    dpy = display_mod.Display()
    damage: list[Any] = [None, None]
    cap = ScreenCapturer()
    cap.attach_damage(lambda: damage.pop() if damage else [])
    try:
        cap.grab_update()
        cap.grab_update()
        doc = text_document(800, 1280, seed=9)
        doc[..., 3] = 0
        _paint(dpy, doc)
        big = (0, 0, 1280, 120)  # 153 600 px
        damage.append([big])
        frame, regions = cap.grab_update()
        assert regions == [big] and cap.narrowed == 0
        assert np.array_equal(frame[:120, :, :3], cap.grab()[:120, :, :3])
    finally:
        cap.close()
        dpy.screen().root.clear_area(0, 0, 0, 0)
        dpy.sync()
        dpy.close()


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, int]:
    h = draw(st.integers(1, 24))
    w = draw(st.integers(1, 24))
    pad = draw(st.integers(0, 5))  # ``old`` is a view into a wider frame
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    new = rng.integers(0, 3, (h, w, 4), dtype=np.uint8)
    frame = rng.integers(0, 3, (h, w + pad, 4), dtype=np.uint8)
    old = frame[:, pad:]
    if draw(st.booleans()):  # mostly equal: a few differing pixels
        old[...] = new
        for _ in range(draw(st.integers(0, 3))):
            y, x, c = draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1)), draw(
                st.integers(0, 3))
            old[y, x, c] ^= 1
    return new, frame, pad, w


@settings(max_examples=300, deadline=None)
@given(_pairs())
def test_changed_box_holds_every_differing_pixel_and_no_more_rows(
        case: tuple[np.ndarray, np.ndarray, int, int]) -> None:
    new, frame, pad, w = case
    old = frame[:, pad:]
    diff = (new != old).any(axis=2)
    box = changed_box(new, old)
    if not diff.any():
        assert box is None
        return
    assert box is not None
    x, y, bw, bh = box
    rows, cols = np.nonzero(diff)
    assert y == rows.min() and y + bh == rows.max() + 1  # exact rows
    assert x <= cols.min() and cols.max() < x + bw  # columns: every differing one inside
    assert cols.min() - x <= 1 and x + bw - 1 - cols.max() <= 1  # at most a word wider
    assert x >= 0 and x + bw <= w


def test_the_safety_net_full_grab_hands_on_what_changed(x_display: object) -> None:
    """Every FULL_GRAB_EVERY s the whole screen is grabbed even with damage known (a change the
    watcher missed). It is compared with the kept frame as it is read: a change nobody
    reported comes out as its box, nothing changed as no region, and the encoder diffs only
    that. On main the whole screen was copied and handed on (None: diff everything), about
    9 ms of a core every 2 s at 1080p."""
    display_mod = pytest.importorskip("Xlib.display")
    dpy = display_mod.Display()
    damage: list[Any] = [None, None]
    cap = ScreenCapturer()
    cap.attach_damage(lambda: damage.pop() if damage else [])
    try:
        doc = text_document(800, 1280, seed=4)
        doc[..., 3] = 0
        _paint(dpy, doc)
        cap.grab_update()
        cap.grab_update()
        full = cap.stats["full"]
        cap._last_full = -1e9  # the safety net is due
        frame, regions = cap.grab_update()
        assert regions == [] and cap.stats["full"] == full + 1, "nothing changed"
        glyph = np.zeros((14, 8, 4), np.uint8)
        _put(dpy, 700, 500, glyph)  # drawn, and no damage reported
        assert cap.grab_update()[1] == [], "not due: nothing grabbed"
        cap._last_full = -1e9
        frame, regions = cap.grab_update()
        assert regions == [(700, 500, 8, 14)]
        assert cap.checked_full == 2 and cap.stats["full"] == full + 2
        assert np.array_equal(frame[..., :3], cap.grab()[..., :3])
    finally:
        cap.close()
        dpy.screen().root.clear_area(0, 0, 0, 0)
        dpy.sync()
        dpy.close()
