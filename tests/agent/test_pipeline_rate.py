"""Rate control in the streamer: the measured link steers the encoder's target rate and the JPEG
quality (issue 16). The frame source is a fake (changing photographs, deterministic) and so is
the link: a thread that acknowledges each update once a modelled 1 Mbit/s line with a 30 ms
round trip would have carried it. The real link (shaping proxy, relay, console) is
tests/e2e/test_link_rate.py."""

from __future__ import annotations

import threading
import time

import numpy as np

from agent.pipeline import ScreenStreamer
from bench.screens import photo
from bench.support.waiting import wait_for
from shared.codec.frame import EncodedFrame
from tests.agent.test_pipeline import FakeSource

RATE = 125_000.0  # bytes/s: 1 Mbit/s
RTT = 0.03


class ModelLink:
    """Acknowledges each update after the modelled line's FIFO and round trip."""

    def __init__(self, rate: float = RATE, rtt: float = RTT) -> None:
        self.rate, self.rtt = rate, rtt
        self.streamer: ScreenStreamer | None = None
        self._free_at = time.monotonic()
        self._acks: list[tuple[float, int]] = []
        self._cv = threading.Condition()
        self._stop = False
        self.sizes: list[int] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def send(self, update: EncodedFrame) -> None:  # streamer thread
        now = time.monotonic()
        with self._cv:
            self._free_at = max(now, self._free_at) + update.nbytes / self.rate
            self._acks.append((self._free_at + self.rtt, update.seq))
            self.sizes.append(update.nbytes)
            self._cv.notify()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._stop and not self._acks:
                    self._cv.wait()
                if self._stop:
                    return
                due, seq = self._acks[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._cv.wait(wait)
                    continue
                self._acks.pop(0)
            assert self.streamer is not None
            self.streamer.ack(seq)

    def close(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify()
        self._thread.join(2)


def photos(n: int) -> np.ndarray:
    """A 480x640 screen whose photograph changes on every grab (a slideshow)."""
    frame = np.zeros((480, 640, 4), np.uint8)
    frame[40:440, 40:600] = photo(400, 560, seed=n % 50)
    return frame


def stream(quality: int | None, cap: float | None = None) -> tuple[ScreenStreamer, ModelLink]:
    link = ModelLink()
    st = ScreenStreamer(link.send, source=FakeSource(photos, 0.005), quality=quality,
                        bandwidth_cap=cap)
    link.streamer = st
    st.start()
    return st, link


def test_the_link_is_measured_and_steers_rate_and_quality() -> None:
    st, link = stream(75)
    try:
        wait_for(lambda: (e := st.link_estimate()) is not None and e[0] > 0, 10,
                 "a link estimate from the acks")
        wait_for(lambda: st._encoder.quality is not None and st._encoder.quality < 75, 10,
                 "the JPEG quality to come down on a full 1 Mbit/s line")
        time.sleep(1.0)
        estimate = st.link_estimate()
        assert estimate is not None
        rate, srtt, min_rtt, queue = estimate
        assert queue >= 0
        assert 0.5 * RATE <= rate <= 1.5 * RATE, estimate
        assert RTT * 0.5 <= min_rtt <= srtt
        target = st._encoder.target_rate
        assert target is not None and 0.5 * RATE <= target <= 1.5 * RATE
        assert st._encoder.quality is not None and 30 <= st._encoder.quality < 75
    finally:
        assert st.stop()
        link.close()


def test_the_technicians_choice_and_cap_win() -> None:
    st, link = stream(40, cap=50_000.0)
    try:
        wait_for(lambda: st._encoder.target_rate is not None, 10, "a target rate")
        for _ in range(20):
            time.sleep(0.05)
            assert st._encoder.target_rate is not None and st._encoder.target_rate <= 50_000
            q = st._encoder.quality
            assert q is not None and q <= 40  # never above the technician's quality
        st.set_quality(None)  # lossless only: stays lossless
        time.sleep(0.3)
        assert st._encoder.quality is None
    finally:
        assert st.stop()
        link.close()
