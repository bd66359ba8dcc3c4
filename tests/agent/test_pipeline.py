"""The streamer thread with a fake frame source (deterministic); the encoder core itself is
tested in tests/shared/codec/test_frame.py."""

from __future__ import annotations

import threading
import time

import numpy as np

from agent.pipeline import ScreenStreamer
from bench.screens import photo, text_document
from bench.support.waiting import settled, wait_for
from console.framebuffer import Framebuffer
from shared.codec.frame import EncodedFrame


class FakeSource:
    """Frames from a list/callable; fast fixed interval; counts grabs."""

    def __init__(self, make: object, interval: float = 0.005) -> None:
        self.make = make
        self._interval = interval
        self.grabs = 0
        self.pokes = 0
        self.closed = threading.Event()
        self.thread: threading.Thread | None = None

    def grab(self) -> np.ndarray:
        self.thread = threading.current_thread()
        self.grabs += 1
        return self.make(self.grabs)  # type: ignore[operator]

    def interval(self) -> float:
        return self._interval

    def poke(self) -> None:
        self.pokes += 1

    def note_frame(self, changed: bool) -> None:
        pass

    def close(self) -> None:
        self.closed.set()


def test_streamer_respects_window_and_slow_consumer() -> None:
    """No acks: exactly `window` frames go out, then the worker idles (no queue, no grabs)."""
    doc = text_document(4000, 640)
    src = FakeSource(lambda n: doc[(n * 7) % 3000 : (n * 7) % 3000 + 480])
    got: list[EncodedFrame] = []
    st = ScreenStreamer(got.append, source=src, window=3)
    st.start()
    wait_for(lambda: len(got) >= 3, 5, "a window's worth of frames")
    # blocked on credit: not even capturing (no grab for 0.3 s)
    settled(lambda: src.grabs, 0.3, 5, "the streamer to stop grabbing")
    assert len(got) == 3 and st.in_flight == 3
    assert st.stop()
    assert src.closed.is_set() and src.thread is not threading.current_thread()


def test_streamer_end_to_end_converges_with_acks() -> None:
    doc = text_document(4000, 640)
    offsets = [0, 10, 20, 30, 45, 60, 60]
    fb = Framebuffer()
    last_frame: list[np.ndarray] = []

    def make(n: int) -> np.ndarray:
        off = offsets[min(n - 1, len(offsets) - 1)]
        f = doc[off : off + 480].copy()
        f[50:150, 50:250] = photo(100, 200, seed=min(n, 6))
        last_frame[:] = [f]
        return f

    st: ScreenStreamer

    def on_frame(update: EncodedFrame) -> None:
        fb.apply(update.width, update.height, update.rects, update.seq)
        st.ack(update.seq)

    src = FakeSource(make, interval=0.01)
    st = ScreenStreamer(on_frame, source=src, window=2, quality=60, refine_delay=0.05)
    st.start()
    wait_for(lambda: src.grabs > len(offsets) + 10 and np.array_equal(fb.array, last_frame[0]),
             5, "the console to converge on the last frame")
    assert st.stop()
    assert st.error is None
    assert np.array_equal(fb.array, last_frame[0])
    assert st.rtt is not None


def test_full_refresh_and_stop_never_hangs() -> None:
    frame = text_document(200, 300)
    got: list[EncodedFrame] = []
    st: ScreenStreamer

    def on_frame(u: EncodedFrame) -> None:
        got.append(u)
        st.ack(u.seq)

    st = ScreenStreamer(on_frame, source=FakeSource(lambda n: frame), window=2)
    st.start()
    wait_for(lambda: got, 5, "a first frame")
    assert len(got) == 1
    st.request_full_refresh()
    wait_for(lambda: len(got) >= 2, 5, "the full refresh")
    assert len(got) == 2 and sum(r.w * r.h for r in got[1].rects) == 300 * 200
    st.set_quality(None)
    st.set_bandwidth_cap(1000)
    st.poke()
    t0 = time.monotonic()
    assert st.stop()
    assert time.monotonic() - t0 < 2


def test_pokes_acks_and_refreshes_from_other_threads_while_streaming() -> None:
    """ack, poke, screen_changed and request_full_refresh come from other threads (network loop,
    input, change watcher) while the worker grabs: the flags they share with it are taken under
    the streamer's lock, nothing fails, and the console still ends up with the last frame."""
    doc = text_document(1200, 320)
    fb = Framebuffer()
    frames: list[np.ndarray] = []
    st: ScreenStreamer

    def make(n: int) -> np.ndarray:
        frames[:] = [doc[(n * 3) % 900 : (n * 3) % 900 + 240].copy()]
        return frames[0]

    def on_frame(update: EncodedFrame) -> None:
        fb.apply(update.width, update.height, update.rects, update.seq)
        st.ack(update.seq)

    src = FakeSource(make, interval=0.002)
    st = ScreenStreamer(on_frame, source=src, window=2)
    stop = threading.Event()

    def hammer(call: object) -> None:
        while not stop.is_set():
            call()  # type: ignore[operator]

    threads = [threading.Thread(target=hammer, args=(f,))
               for f in (st.poke, st.screen_changed, st.request_full_refresh)]
    st.start()
    for t in threads:
        t.start()
    deadline = time.monotonic() + 5
    while src.grabs < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    for t in threads:
        t.join()
    assert st.stop()
    assert st.error is None and src.grabs >= 60 and src.pokes > 0
    assert np.array_equal(fb.array, frames[0])


def test_streamer_reports_source_errors() -> None:
    def boom(n: int) -> np.ndarray:
        raise RuntimeError("capture broke")

    errors: list[BaseException] = []
    st = ScreenStreamer(lambda u: None, source=FakeSource(boom), on_error=errors.append)
    st.start()
    assert st.stop()
    assert isinstance(st.error, RuntimeError) and errors


def test_streamer_with_real_capture(x_display: object) -> None:
    got: list[EncodedFrame] = []
    st = ScreenStreamer(got.append, window=1)
    st.start()
    wait_for(lambda: got, 5, "a first frame")
    assert st.stop()
    assert (got[0].width, got[0].height) == (1280, 800)
    fb = Framebuffer()
    fb.apply(got[0].width, got[0].height, got[0].rects)


def test_an_ack_that_shrinks_the_window_mid_grab_keeps_the_frame_for_the_next_credit() -> None:
    """The credit checked before a grab can be gone when the frame is ready: an ack with a long
    round trip (a link that was frozen) frees one frame and shrinks the adaptive window below
    what is still in flight. The streamer once died there ("no credit"), ending the picture for
    the rest of the session; now the frame waits for the next credit and goes out in order."""
    doc = text_document(4000, 640)
    offset = [0.0]  # added to the real clock: the streamer's timers keep running
    st: ScreenStreamer

    def make(n: int) -> np.ndarray:
        if n == 2:
            st.ack(1)  # a round trip of 0 s: the adaptive window opens to its maximum
        if n == 5:  # credit was checked (3 in flight < 4); now a 1 s round trip arrives
            offset[0] += 1.0
            st.ack(2)  # frees one, but shrinks the window to 2 with 2 still in flight
        return doc[n * 40 : n * 40 + 480]

    got: list[EncodedFrame] = []
    st = ScreenStreamer(got.append, source=FakeSource(make), window=None,
                        clock=lambda: time.monotonic() + offset[0])
    st.start()
    try:
        wait_for(lambda: len(got) >= 4, 5, "four frames")
        settled(lambda: len(got), 0.3, 5, "the streamer to wait for credit")
        assert st.error is None, st.error
        assert [u.seq for u in got] == [1, 2, 3, 4]
        st.ack(4)
        wait_for(lambda: len(got) >= 5, 5, "the kept frame")
        assert got[4].seq == 5 and st.error is None
    finally:
        assert st.stop()
