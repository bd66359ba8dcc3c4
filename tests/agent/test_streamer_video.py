"""The streamer thread with full-screen motion (issue 16): a playing film goes to the console
as VIDEO rects, and once it stops the console's screen becomes exact again.

The frame source is generated (a panning photo at the source's 60 Hz): the capture itself is
tested in test_capture.py; everything after it is real (streamer thread, flow control, the
frame encoder with libx264, the console's Framebuffer with libavcodec).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from agent.pipeline import ScreenStreamer
from bench.screens import photo
from bench.support.waiting import wait_for
from console.framebuffer import Framebuffer
from shared.codec import Encoding
from shared.codec.frame import EncodedFrame
from shared.codec.video import available
from tests.agent.test_pipeline import FakeSource

pytestmark = pytest.mark.skipif(not available(), reason="PyAV with libx264 is a dependency")
W, H = 640, 360


def test_a_film_goes_as_video_and_the_still_picture_ends_exact() -> None:
    big = photo(H + 400, W + 600, seed=9)
    playing = [True]
    shown: list[np.ndarray] = []
    t0 = time.monotonic()

    def make(_n: int) -> np.ndarray:
        if playing[0]:
            i = int((time.monotonic() - t0) * 60) % 120
            shown[:] = [np.ascontiguousarray(big[3 * i : 3 * i + H, 5 * i : 5 * i + W])]
        return shown[0]

    fb = Framebuffer()
    encodings: list[set[int]] = []
    st: ScreenStreamer

    def on_frame(update: EncodedFrame) -> None:
        fb.apply(update.width, update.height, update.rects, update.seq)
        encodings.append({r.encoding for r in update.rects})
        st.ack(update.seq)

    st = ScreenStreamer(on_frame, source=FakeSource(make, interval=1 / 60))
    st.start()
    try:
        wait_for(lambda: sum(Encoding.VIDEO in e for e in encodings) >= 10, 20,
                 "ten VIDEO updates while the film plays")
        playing[0] = False  # the film stops: its last picture stays
        wait_for(lambda: np.array_equal(fb.array, shown[0]), 20,
                 "the still picture to arrive exactly")
    finally:
        assert st.stop()
    assert st.error is None
