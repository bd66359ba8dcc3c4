"""ScreenStreamer.set_paused (issue 15, "still sharing?"): while paused nothing is grabbed and
nothing is sent; going on sends the whole screen again with fresh credits."""

from __future__ import annotations

import numpy as np

from agent.pipeline import ScreenStreamer
from bench.support.waiting import settled, wait_for
from console.framebuffer import Framebuffer
from shared.codec.frame import EncodedFrame
from tests.agent.test_pipeline import FakeSource


def test_paused_streamer_neither_grabs_nor_sends_and_resumes_with_a_full_frame() -> None:
    counter = {"n": 0}

    def make(n: int) -> np.ndarray:
        frame = np.zeros((120, 160, 4), np.uint8)
        frame[:, :, counter["n"] % 3] = 200  # a new colour each time the test asks for one
        return frame

    src = FakeSource(make)
    got: list[EncodedFrame] = []
    fb = Framebuffer()
    st: ScreenStreamer

    def on_frame(update: EncodedFrame) -> None:
        got.append(update)
        fb.apply(update.width, update.height, update.rects, update.seq)
        st.ack(update.seq)

    st = ScreenStreamer(on_frame, source=src, window=1)
    st.start()
    try:
        wait_for(lambda: len(got) >= 1, 5, "the first frame")
        st.set_paused(True)
        assert st.paused
        grabs = settled(lambda: src.grabs, 0.3, 5, "the streamer to stop grabbing")
        sent = len(got)
        counter["n"] += 1  # the screen changes while paused
        settled(lambda: src.grabs, 0.5, 5, "no grab while paused")
        assert src.grabs == grabs and len(got) == sent, "grabbed or sent while paused"
        st.set_paused(True)  # twice: still paused, no harm
        st.set_paused(False)
        wait_for(lambda: len(got) > sent, 5, "a frame after resuming")
        first = got[sent]
        # The whole screen, not only what changed: one rect covering it all.
        covered = sum(r.w * r.h for r in first.rects)
        assert covered == 120 * 160
        wait_for(lambda: int(fb.array[0, 0, counter["n"] % 3]) == 200, 5,
                 "the changed screen at the console")
    finally:
        assert st.stop()
