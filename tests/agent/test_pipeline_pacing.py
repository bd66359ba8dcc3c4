"""The streamer's pacing follows a link that became fast (issue 16, lane fps).

On loopback, glass_to_glass's scroll sometimes ran at 5 frames/s: an estimate made too low
earlier paced every frame so long that it left with nothing in flight, and such frames never
corrected the estimate. Here the link is a model (tests/agent/test_pipeline_rate.py's
``ModelLink``: a FIFO at a rate plus a round trip, acks from a thread) and the source a fake
60 Hz slideshow: first a 1 Mbit/s line, then one a thousand times faster. Before the fix the
estimate stayed at the slow line's 125 kB/s for good (so did the video stage's target rate:
frames of ~1 kB on a line of 125 MB/s). The real relay and
console are tests/e2e/test_link_rate.py and ``python -m bench.frame_path --warm``.

The frames/s are counted over the time the streamer's threads were given a CPU
(tests/cpu_wait.py): on a loaded machine they waited for one for most of the window (11-19 fps
by wall time, 4 of 4 runs failed); slow pacing makes them sleep, which still counts.
"""

from __future__ import annotations

import time

from agent.pipeline import ScreenStreamer
from bench.support.waiting import wait_for
from tests.agent.test_pipeline import FakeSource
from tests.agent.test_pipeline_rate import ModelLink, photos
from tests.cpu_wait import Window


def test_frames_follow_the_screen_once_the_link_is_fast_again() -> None:
    link = ModelLink()  # 1 Mbit/s, 30 ms
    st = ScreenStreamer(link.send, source=FakeSource(photos, 1 / 60), quality=75)
    link.streamer = st
    st.start()
    try:
        wait_for(lambda: (e := st.link_estimate()) is not None and e[0] < 400_000, 10,
                 "an estimate of the slow line")
        time.sleep(1.0)
        link.rate, link.rtt = 125_000_000.0, 0.002  # the line is fast now
        time.sleep(1.0)
        before, window = st.frames_sent, Window(st._thread, link._thread)
        time.sleep(2.0)
        fps = (st.frames_sent - before) / window.close().given
        estimate = st.link_estimate()
        assert estimate is not None and estimate[0] >= 40 * 125_000, estimate
        target = st._encoder.target_rate  # what the video stage's bitrate follows
        assert target is not None and target >= 40 * 125_000, target
        assert fps >= 30, (fps, window)  # the screen offers 60 (and more after acks)
    finally:
        assert st.stop()
        link.close()
