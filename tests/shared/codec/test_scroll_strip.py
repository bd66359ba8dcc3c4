"""Issue 16: a scroll costs the strip it exposes, not the tile rows around it; and the picture
still ends exact (refinement knows which tiles a partial JPEG box touched)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shared.codec.scroll
from bench.codec_bench import text_and_photos
from shared.codec import Encoding
from shared.codec.frame import FrameEncoder
from shared.codec.refine import RefinementTracker
from tests.shared.codec.test_frame import Screen

H, W = 540, 960
DOC = text_and_photos(H + 2400, W)


def test_a_7px_scroll_sends_about_7_rows_of_pixels() -> None:
    enc = FrameEncoder(quality=75, refine_delay=10.0)
    screen = Screen()
    screen.apply(W, H, enc.encode(DOC[0:H].copy(), 0.0)[0])
    for i in range(1, 40):
        frame = DOC[7 * i : 7 * i + H].copy()
        rects, _ = enc.encode(frame, i / 60)
        screen.apply(W, H, rects)
        pixels = sum(r.w * r.h for r in rects if r.encoding != Encoding.COPY)
        # the exposed strip (7 rows) and the scrollbar's column; main sent whole tile rows
        assert pixels <= W * 7 + 16 * H, f"frame {i}: {pixels} pixels encoded"
        if not any(r.encoding == Encoding.JPEG for r in rects):  # text only: exact at once
            assert np.array_equal(screen.array, frame)


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(st.integers(-40, 40), min_size=1, max_size=12),
       quality=st.sampled_from([None, 40, 90]))
def test_scrolling_any_way_ends_pixel_exact(steps: list[int], quality: int | None) -> None:
    """Scroll by random amounts (JPEG boxes over photos at any row), then rest: refinement
    brings the console to exactly the last frame."""
    enc = FrameEncoder(quality=quality, refine_delay=0.1)
    screen = Screen()
    off, t = 600, 0.0
    screen.apply(W, H, enc.encode(DOC[off : off + H].copy(), t)[0])
    frame = DOC[off : off + H]
    for s in steps:
        off = min(max(off + s, 0), DOC.shape[0] - H)
        t += 1 / 60
        frame = DOC[off : off + H].copy()
        screen.apply(W, H, enc.encode(frame, t)[0])
    for k in range(3):  # rest: refinement
        screen.apply(W, H, enc.encode(frame.copy(), t + 1.0 + k)[0])
    assert np.array_equal(screen.array, frame)
    assert not enc.tracker.any_lossy


def test_an_exact_box_fixes_only_the_tiles_it_covers() -> None:
    tr = RefinementTracker((3, 3), 64)
    tr.lossy[:] = True
    tr.note_sent_box(10, 64, 182, 70, lossy=False, frame_w=192, frame_h=192)
    # row 1 (y 64..127) is covered whole in columns 1 and 2 (x 64..191, the frame's edge)
    assert tr.lossy.tolist() == [[True, True, True], [True, False, False], [True, True, True]]
    tr.lossy[:] = False
    tr.note_sent_box(70, 70, 5, 5, lossy=True, frame_w=192, frame_h=192)
    assert tr.lossy.tolist() == [[False] * 3, [False, True, False], [False] * 3]


def test_a_wheel_scroll_of_1_to_3_lines_a_tick_rarely_votes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Line-wise scrolling repeats a few shifts: the recent ones are verified before the vote
    (a sort of every row's hash), which then runs only when a new speed appears."""
    votes = []
    real = shared.codec.scroll._candidates

    def counting(*args: object) -> list[int]:
        votes.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(shared.codec.scroll, "_candidates", counting)
    enc = FrameEncoder(quality=75, refine_delay=10.0)
    screen = Screen()
    off = 0
    screen.apply(W, H, enc.encode(DOC[0:H].copy(), 0.0)[0])
    for i in range(30):
        off += 20 * (1 + i % 3)  # 1, 2, 3 lines of 20 px
        frame = DOC[off : off + H].copy()
        rects, _ = enc.encode(frame, (i + 1) / 60)
        assert rects[0].encoding == Encoding.COPY
        screen.apply(W, H, rects)
    assert len(votes) <= 4, f"{len(votes)} votes in 30 frames"


@given(size=st.sampled_from([(96, 128), (H, W)]), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=10, deadline=None)
def test_a_fresh_encoder_repaints_black_zero_pixels_the_console_had_otherwise(
    size: tuple[int, int], seed: int
) -> None:
    """After a reset or a monitor switch the console holds another picture; the new one's black
    pixels with a zero padding byte (what X capture gives) equal the encoder's zero reference,
    yet must be sent: no rect shrinks to the box of pixels that differ from zeros."""
    h, w = size
    rng = np.random.default_rng(seed)
    frame = np.zeros((h, w, 4), np.uint8)  # black, padding byte 0
    frame[h // 3 : h // 2, w // 4 : w // 2, :3] = rng.integers(1, 255, 3, dtype=np.uint8)
    screen = Screen()
    screen.array = np.full((h, w, 4), (0, 200, 0, 255), np.uint8)  # the other monitor: green
    enc = FrameEncoder(quality=75)
    screen.apply(w, h, enc.encode(frame, 0.0)[0])
    assert np.array_equal(screen.array[..., :3], frame[..., :3])
