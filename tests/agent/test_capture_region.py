"""Region grabs (typing: the damaged text field) read mss's shared-memory segment straight into
the kept frame: one copy of the damaged pixels, not mss's ``bytearray`` and then the frame
(issue 16: 388 KB copied twice per typed character). They read exactly what mss's public grab
reads. Real Xvfb (the test's display), real mss, real XShm."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from agent.capture import ScreenCapturer
from bench.screens import text_document
from tests.agent.test_capture_reuse import _paint


def test_region_grabs_copy_once_into_the_frame_and_match_mss(x_display: object) -> None:
    display_mod = pytest.importorskip("Xlib.display")
    dpy = display_mod.Display()
    damage: list[Any] = [None]  # the first grab_update: unknown, a full grab
    cap = ScreenCapturer()
    cap.narrow_regions = False  # the regions as reported (narrowing: test_capture_narrow.py)
    cap.attach_damage(lambda: damage.pop() if damage else [])
    public: list[dict[str, int]] = []
    try:
        frame0, regions = cap.grab_update()
        assert regions is None
        sct = cap._sct()
        real_grab = sct.grab

        def counting(mon: Any) -> Any:
            public.append(dict(mon))
            return real_grab(mon)

        sct.grab = counting  # type: ignore[method-assign]
        rects = [(40, 60, 578, 168), (700, 500, 13, 17), (0, 0, 1280, 1), (1270, 790, 10, 10)]
        for i, rect in enumerate(rects):
            doc = text_document(800, 1280, seed=10 + i)
            doc[..., 3] = 0  # what X keeps of a depth-24 root
            _paint(dpy, doc)
            damage.append([rect])
            frame, regions = cap.grab_update()
            assert regions == [rect]
            assert frame is frame0  # written into the kept frame
            x, y, w, h = rect
            assert np.array_equal(frame[y : y + h, x : x + w, :3], doc[y : y + h, x : x + w, :3])
        assert public == [], "a region went through mss's public grab (a second copy)"
        assert cap.shm_regions == len(rects)
        assert cap.stats["region"] == len(rects)
        # outside the damaged rects the frame still holds what was there before
        sct.grab = real_grab  # type: ignore[method-assign]
        truth = cap.grab()
        x, y, w, h = rects[-1]
        assert np.array_equal(frame0[y : y + h, x : x + w], truth[y : y + h, x : x + w])
    finally:
        cap.close()
        dpy.screen().root.clear_area(0, 0, 0, 0)
        dpy.sync()
        dpy.close()


def test_a_failed_read_falls_back_to_the_public_grab(x_display: object,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    damage: list[Any] = [None, None]  # two full grabs: mss finds out about XShm at its first
    cap = ScreenCapturer()
    cap.attach_damage(lambda: damage.pop() if damage else [])
    try:
        cap.grab_update()
        cap.grab_update()
        reader = cap._local.shm
        assert reader
        monkeypatch.setattr(reader, "read", lambda mon, out: False)  # the segment went away
        monkeypatch.setattr(reader, "read_changes", lambda mon, out: False)
        damage.append([(10, 10, 50, 20)])
        frame, regions = cap.grab_update()
        assert regions == [(10, 10, 50, 20)]
        assert cap._local.shm is False and cap.shm_regions == 0
        assert np.array_equal(frame[10:30, 10:60], cap.grab()[10:30, 10:60])
    finally:
        cap.close()


def test_a_full_grab_still_says_what_was_damaged(x_display: object) -> None:
    """A scroll damages most of the screen: the capturer grabs it whole (regions None), and
    still says which rects were reported, clipped to the screen (the streamer sends a typed
    glyph's small one ahead of the scroll, agent/pipeline.py ``_echo_ahead``); none while
    the damage is unknown."""
    damage: list[Any] = [None]
    cap = ScreenCapturer()
    cap.attach_damage(lambda: damage.pop() if damage else [])
    try:
        cap.grab_update()
        assert cap.last_damage == []  # unknown: a full grab, nothing known to be small
        w, h = cap.geometry[2], cap.geometry[3]  # type: ignore[index]
        field = (40, 60, 578, 168)
        damage.append([(0, 0, w + 50, h), field])
        _frame, regions = cap.grab_update()
        assert regions is None  # most of the screen: grabbed whole
        assert cap.last_damage == [(0, 0, w, h), field]
        damage.append([field])
        cap.grab_update()
        assert cap.last_damage == [field]
    finally:
        cap.close()
