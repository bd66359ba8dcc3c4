"""An idle agent: a resting screen sends nothing and grabs slowly; input makes it grab at once."""

from __future__ import annotations

import itertools
import threading
import time

import numpy as np

from agent.capture import AdaptiveRate
from agent.pipeline import ScreenStreamer
from bench.support.waiting import grew, settled, wait_for
from shared.codec.frame import EncodedFrame


class RatedSource:
    """A constant screen with the real adaptive rate (as ScreenCapturer has)."""

    def __init__(self, idle_hz: float) -> None:
        self.rate = AdaptiveRate(fast_hz=60.0, idle_hz=idle_hz, linger=0.2)
        self.frame = np.full((120, 160, 4), 90, np.uint8)
        self.grab_times: list[float] = []
        self.lock = threading.Lock()

    def grab(self) -> np.ndarray:
        with self.lock:
            self.grab_times.append(time.monotonic())
        return self.frame.copy()

    def interval(self) -> float:
        return self.rate.interval()

    def poke(self) -> None:
        self.rate.poke()

    def note_frame(self, changed: bool) -> None:
        self.rate.note_frame(changed)

    def close(self) -> None:
        pass


def at_rest(src: RatedSource, got: list[EncodedFrame]) -> None:
    """Wait for the first frame, then for the capture to rest: no grab for 0.1 s, six fast-rate
    intervals (the linger, 0.2 s, and the refinement pass lie before that)."""
    wait_for(lambda: got, 5.0, "a first frame")
    settled(lambda: len(src.grab_times), 0.1, what="the capture to rest")


def test_resting_screen_sends_nothing_and_input_pokes_a_grab() -> None:
    src = RatedSource(idle_hz=0.2)  # one grab per 5 s at rest
    got: list[EncodedFrame] = []
    st: ScreenStreamer

    def on_frame(u: EncodedFrame) -> None:
        got.append(u)
        st.ack(u.seq)

    st = ScreenStreamer(on_frame, source=src, refine_delay=0.05)
    st.start()
    try:
        at_rest(src, got)
        assert len(got) == 1
        settled = len(src.grab_times)
        time.sleep(1.0)  # the stimulus: a second of resting screen, watched
        assert len(got) == 1, "a resting screen must send nothing"
        assert len(src.grab_times) - settled <= 1, "at rest the capture rate drops"
        before = len(src.grab_times)
        poked = time.monotonic()
        st.poke()  # input arrived: grab now, not in 5 s
        wait_for(grew(src.grab_times, before), 1.0, "poke to make the streamer grab")
        assert src.grab_times[before] - poked < 0.2
        # after input it keeps the fast rate a while (60 Hz; at rest 3 grabs would take 15 s)
        wait_for(lambda: len(src.grab_times) - before >= 3, 1.0, "3 grabs at the fast rate")
    finally:
        assert st.stop()


def test_change_report_grabs_a_resting_screen_at_once_and_keeps_the_fast_rate() -> None:
    """screen_changed() (a change watcher) wakes a resting capture at once, but while the screen
    is active it keeps the fast-rate spacing instead of grabbing on every report."""
    src = RatedSource(idle_hz=0.1)  # one grab per 10 s at rest
    got: list[EncodedFrame] = []
    st: ScreenStreamer

    def on_frame(u: EncodedFrame) -> None:
        got.append(u)
        st.ack(u.seq)

    st = ScreenStreamer(on_frame, source=src, refine_delay=0.05)
    st.start()
    try:
        at_rest(src, got)
        before = len(src.grab_times)
        t0 = time.monotonic()
        st.screen_changed()
        wait_for(grew(src.grab_times, before), 1.0, "the report to make the streamer grab")
        assert src.grab_times[before] - t0 < 0.05
        # now active (fast rate 60 Hz): a storm of reports must not grab faster than that
        start = len(src.grab_times)
        end = time.monotonic() + 0.15
        while time.monotonic() < end:
            st.screen_changed()
            time.sleep(0.001)  # the stimulus: a storm of reports, one a millisecond
        grabs = src.grab_times[start:]
        gaps = [b - a for a, b in itertools.pairwise(grabs)]
        assert gaps and min(gaps) > 1 / 60 - 0.004, gaps
    finally:
        assert st.stop()
