"""Rects encoded ahead of their update (``FrameEncoder.encode_ahead``) never change the picture.

A console (the real rect decoder) applies what ``encode_ahead`` returned for the small
regions, then what ``encode`` returned for the same frame, update after update (scrolls, full
grabs, typed glyphs in reported fields; the caller accepting some rects and refusing others):
losslessly it holds the frame exactly, and the encoder's reference is the frame with the
scroll detector's hash cache true to it, whatever was sent ahead (hypothesis).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.codec.decode import RectDecoder
from shared.codec.frame import FrameEncoder
from shared.messages import Rect
from tests.shared.codec.test_tiny import _SCREEN, H, W, _draw, _hash_cache_holds, glyph

field = st.tuples(st.integers(0, W - 64), st.integers(0, H - 30), glyph, st.booleans())
step = st.tuples(st.integers(-40, 40), st.lists(field, max_size=3),
                 st.lists(st.booleans(), min_size=3, max_size=3))


def _apply(fb: np.ndarray, rects: list[Rect], dec: RectDecoder) -> None:
    for r in rects:
        dec.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=10), quality=st.sampled_from([None, 75]))
def test_what_goes_ahead_and_the_rest_give_the_frame(
        steps: list[tuple[int, list[tuple[int, int, tuple[int, int, int, int, int], bool]],
                          list[bool]]],
        quality: int | None) -> None:
    enc = FrameEncoder(quality=quality)
    dec = RectDecoder()
    frame = _SCREEN.copy()
    console = np.zeros_like(frame)
    _apply(console, enc.encode(frame.copy(), 0.0)[0], dec)
    now = 0.0
    for shift, fields, verdicts in steps:
        now += 0.05
        frame[:] = np.roll(frame, shift, axis=0)
        small = []
        for fx, fy, (gx, gy, gw, gh, seed), noisy in fields:
            fw, fh = min(300, W - fx), min(60, H - fy)
            _draw(frame, fx + gx % fw, fy + gy % fh, min(gw, fw - gx % fw),
                  min(gh, fh - gy % fh), seed, photo_like=noisy)
            small.append((fx, fy, fw, fh))
        answers = iter(verdicts * 4)

        def accept(_rect: Rect, answers: Iterator[bool] = answers) -> bool:
            return next(answers, True)

        ahead = enc.encode_ahead(frame.copy(), now, small, accept)
        assert all(r.w * r.h <= enc.small_rect_pixels for r in ahead)
        rects, _ = enc.encode(frame.copy(), now, None)  # the scroll: a full grab
        _apply(console, ahead, dec)
        _apply(console, rects, dec)
        assert enc.ref is not None and np.array_equal(enc.ref, frame)
        assert _hash_cache_holds(enc)
        if quality is None:
            assert np.array_equal(console[..., :3], frame[..., :3])


def test_nothing_goes_ahead_of_a_fresh_reference_or_where_nothing_changed() -> None:
    enc = FrameEncoder(quality=None)
    frame = _SCREEN.copy()
    assert enc.encode_ahead(frame, 0.0, [(0, 0, 64, 64)], lambda r: True) == []  # no picture yet
    enc.encode(frame.copy(), 0.0)
    assert enc.encode_ahead(frame, 0.1, [(0, 0, 64, 64)], lambda r: True) == []  # unchanged
    frame[10:26, 30:40, :3] = 9
    refused = enc.encode_ahead(frame, 0.2, [(0, 0, 64, 64)], lambda r: False)
    assert refused == [] and enc.ref is not None and not np.array_equal(enc.ref, frame)
    sent = enc.encode_ahead(frame, 0.3, [(0, 0, 64, 64)], lambda r: True)
    assert [(r.x, r.y, r.w, r.h) for r in sent] == [(30, 10, 10, 16)]
    assert np.array_equal(enc.ref, frame)
