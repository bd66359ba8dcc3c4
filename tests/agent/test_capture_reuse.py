"""Full grabs while damage drives the capture read mss's shared-memory segment into a buffer
the capturer keeps (issue 16: no 8 MB bytearray allocated and copied per frame), and read
exactly what mss's own grab reads. Real Xvfb (the test's display), real mss, real XShm."""

from __future__ import annotations

import numpy as np
import pytest

from agent.capture import ScreenCapturer
from bench.screens import text_document


def _paint(dpy: object, frame: np.ndarray) -> None:
    """Put ``frame`` (BGRA, 1280 wide) on the root window, a band at a time."""
    from Xlib import X

    screen = dpy.screen()  # type: ignore[attr-defined]
    root = screen.root
    gc = root.create_gc()
    for y in range(0, frame.shape[0], 40):
        chunk = np.ascontiguousarray(frame[y : y + 40])
        root.put_image(gc, 0, y, chunk.shape[1], chunk.shape[0], X.ZPixmap, screen.root_depth,
                       0, chunk.tobytes())
    dpy.sync()  # type: ignore[attr-defined]


def test_full_grabs_reuse_one_buffer_and_match_mss(x_display: object) -> None:
    display_mod = pytest.importorskip("Xlib.display")
    dpy = display_mod.Display()
    cap = ScreenCapturer()
    rng = np.random.default_rng(7)
    try:
        cap.attach_damage(lambda: None)  # "unknown": every grab_update is a full grab
        _first, regions = cap.grab_update()  # mss finds out at its first grab that XShm works
        assert regions is None
        seen = []
        for i in range(3):
            doc = text_document(800, 1280, seed=i)
            doc[::5, ::7] = rng.integers(0, 256, size=4, dtype=np.uint8)
            doc[..., 3] = 0  # what X keeps of a depth-24 root
            _paint(dpy, doc)
            frame, regions = cap.grab_update()
            assert regions is None
            truth = cap.grab()  # mss's public grab: a fresh bytearray
            assert np.array_equal(frame, truth)
            assert np.array_equal(frame[..., :3], doc[..., :3])
            seen.append(frame)
        # after mss's first grab found MIT-SHM working, every full grab lands in one buffer
        assert cap._local.shm, "the shared-memory path was not taken"
        assert seen[0] is seen[1] is seen[2]
        assert seen[0].flags.writeable  # region grabs write into it
        assert cap.stats["full"] == 4
    finally:
        cap.close()
        root = dpy.screen().root
        root.clear_area(0, 0, 0, 0)
        dpy.sync()
        dpy.close()


def test_close_releases_the_segment_and_grabs_again(x_display: object) -> None:
    cap = ScreenCapturer()
    cap.attach_damage(lambda: None)
    try:
        for _ in range(3):
            cap.grab_update()
        assert cap._local.shm
        cap.close()  # mss closes its segment: nothing of ours may still hold it
        frame, _ = cap.grab_update()  # a new mss, its first grab the public one again
        assert frame.shape == (800, 1280, 4)
        frame2, _ = cap.grab_update()
        assert np.array_equal(frame, frame2)
    finally:
        cap.close()
