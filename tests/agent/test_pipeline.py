"""The encoder core and the streamer thread with a fake frame source (deterministic)."""

from __future__ import annotations

import threading
import time

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.pipeline import EncodedFrame, FrameEncoder, ScreenStreamer
from bench.screens import photo, text_document
from bench.support.waiting import settled, wait_for
from console.framebuffer import Framebuffer
from shared import messages as m
from shared.codec import Encoding
from shared.codec.scroll import band_row_hashes


class FakeSource:
    """Frames from a list/callable; fast fixed interval; counts grabs."""

    def __init__(self, make: object, interval: float = 0.005) -> None:
        self.make = make
        self._interval = interval
        self.grabs = 0
        self.closed = threading.Event()
        self.thread: threading.Thread | None = None

    def grab(self) -> np.ndarray:
        self.thread = threading.current_thread()
        self.grabs += 1
        return self.make(self.grabs)  # type: ignore[operator]

    def interval(self) -> float:
        return self._interval

    def poke(self) -> None:
        pass

    def note_frame(self, changed: bool) -> None:
        pass

    def close(self) -> None:
        self.closed.set()


def test_encoder_scroll_yields_copy_and_small_strip() -> None:
    doc = text_document(3000, 1920)
    enc = FrameEncoder(quality=75)
    fb = Framebuffer()
    rects, _ = enc.encode(doc[0:1080].copy(), 0.0)
    fb.apply(1920, 1080, rects)
    full_bytes = sum(len(r.payload) for r in rects)
    for i, off in enumerate((40, 80, 120, 180)):
        frame = doc[off : off + 1080].copy()
        rects, changed = enc.encode(frame, 0.1 * (i + 1))
        assert changed
        assert rects[0].encoding == Encoding.COPY
        strip_bytes = sum(len(r.payload) for r in rects)
        assert strip_bytes < full_bytes / 8
        fb.apply(1920, 1080, rects)
        assert np.array_equal(fb.array, frame)


def test_resting_lossy_content_converges_pixel_exact() -> None:
    base = text_document(600, 800)
    enc = FrameEncoder(quality=50, refine_delay=0.3)
    fb = Framebuffer()
    frames = []
    for i in range(3):  # a photo moving around: sent as JPEG
        f = base.copy()
        f[100:400, 100 + 40 * i : 500 + 40 * i] = photo(300, 400, seed=i)
        frames.append(f)
    t = 0.0
    for f in frames:
        rects, _ = enc.encode(f, t)
        fb.apply(800, 600, rects)
        t += 0.05
    assert any(r.encoding == Encoding.JPEG for r in rects)
    assert not np.array_equal(fb.array, frames[-1])
    rects, changed = enc.encode(frames[-1], t + 0.1)  # resting, not yet due
    assert not changed and not rects
    rects, _ = enc.encode(frames[-1], t + 0.4)  # due: lossless re-send
    assert rects and all(r.encoding != Encoding.JPEG for r in rects)
    fb.apply(800, 600, rects)
    assert np.array_equal(fb.array, frames[-1])
    assert not enc.tracker.any_lossy
    assert enc.encode(frames[-1], t + 1.0)[0] == []


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


def test_small_changes_go_out_lossless_at_once() -> None:
    """Typing-sized changes are sent exact (PALETTE/RAW), never JPEG-then-refine; big photo-like
    areas still go as JPEG."""
    base = text_document(600, 800)
    enc = FrameEncoder(quality=50)
    fb = Framebuffer()
    fb.apply(800, 600, enc.encode(base, 0.0)[0])
    small = base.copy()
    small[130:180, 70:120] = photo(50, 50, seed=4)  # many colours, inside 2x2 tiles
    rects, _ = enc.encode(small, 0.1)
    assert rects and all(r.encoding in (Encoding.RAW_ZSTD, Encoding.PALETTE_ZSTD) for r in rects)
    changed = np.argwhere((small != base).any(axis=2))
    (y0, x0), (y1, x1) = changed.min(axis=0), changed.max(axis=0) + 1
    # only the box of changed pixels, not the four 64x64 tiles around it
    assert [(r.x, r.y, r.w, r.h) for r in rects] == [(x0, y0, x1 - x0, y1 - y0)]
    fb.apply(800, 600, rects)
    assert np.array_equal(fb.array, small)
    assert not enc.tracker.any_lossy
    big = small.copy()
    big[256:512, 0:512] = photo(256, 512, seed=5)
    rects, _ = enc.encode(big, 0.2)
    assert any(r.encoding == Encoding.JPEG for r in rects)
    assert enc.tracker.any_lossy
    # a small exact change inside a JPEG tile leaves the tile due for refinement
    fb.apply(800, 600, rects)
    touched = big.copy()
    touched[300:310, 300:310] = (1, 2, 3, 255)
    fb.apply(800, 600, enc.encode(touched, 0.3)[0])
    assert enc.tracker.lossy[300 // 64, 300 // 64]
    fb.apply(800, 600, enc.encode(touched, 1.0)[0])
    assert np.array_equal(fb.array, touched) and not enc.tracker.any_lossy


def _scroll_script(seed: int, steps: int) -> list[np.ndarray]:
    """Frames of a window whose document scrolls by random amounts, with random small edits,
    a static title bar and a changing counter (like the bench's stimulus)."""
    rng = np.random.default_rng(seed)
    doc = text_document(4000, 700, seed=seed)
    frames = []
    top = 0
    for _ in range(steps):
        top = int(np.clip(top + rng.integers(-90, 120), 0, 4000 - 400))
        f = np.full((480, 760, 4), 230, np.uint8)
        f[0:40] = (90, 60, 30, 255)
        f[60:460, 20:720] = doc[top : top + 400]
        f[5:25, 700:740] = (rng.integers(0, 255), 0, 0, 255)  # a counter in the title bar
        if rng.random() < 0.3:
            y, x = int(rng.integers(60, 440)), int(rng.integers(20, 680))
            f[y : y + 12, x : x + 30] = (0, 0, int(rng.integers(0, 255)), 255)
        frames.append(f)
    return frames


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), budget=st.sampled_from([6 * 1024 * 1024, 1500]))
def test_hash_cache_changes_nothing_on_the_wire(seed: int, budget: int) -> None:
    """Scroll detection with the previous frame's cached hashes: the same rects byte for byte as
    hashing both frames every time (also when the byte budget cuts updates short), and the
    console still ends up exact."""
    frames = _scroll_script(seed, 25)
    cached = FrameEncoder(quality=60, max_frame_bytes=budget)
    plain = FrameEncoder(quality=60, max_frame_bytes=budget, hash_cache=False)
    fb = Framebuffer()
    for i, f in enumerate(frames):
        a, _ = cached.encode(f, 0.05 * i)
        b, _ = plain.encode(f, 0.05 * i)
        assert a == b
        fb.apply(760, 480, a)
        # the cache's invariant: fresh rows hold the hashes of what the console has
        if cached._hashes is not None:
            assert cached.ref is not None
            fresh = ~cached._stale
            truth = band_row_hashes(cached.ref.view(np.uint32)[..., 0])
            assert np.array_equal(cached._hashes[fresh], truth[fresh])
    assert cached.stats["moves"] > 0
    t = 0.05 * len(frames)
    for k in range(40):  # rest: budget-limited catch-up and refinement converge to exact
        fb.apply(760, 480, cached.encode(frames[-1], t + 0.5 * (k + 1))[0])
    assert np.array_equal(fb.array, frames[-1])


def test_no_update_exceeds_what_one_message_may_carry() -> None:
    """Noise on an 8K-wide screen in lossless mode: each update must fit one sealed message
    (MAX_PLAINTEXT), however incompressible the screen; what does not fit comes in the next
    updates, and the console still ends up exact."""
    rng = np.random.default_rng(7)
    grey = np.full((2160, 7680, 4), 128, dtype=np.uint8)
    frame = rng.integers(0, 256, (2160, 7680, 4), dtype=np.uint8)
    frame[..., 3] = 255
    # The first band changes over two thirds of its width only: a rect that uses most of the
    # byte budget but not all of it, followed by whole-width bands of noise.
    frame[:256, 5120:] = grey[:256, 5120:]
    enc = FrameEncoder(quality=None)
    fb = Framebuffer()
    fb.apply(7680, 2160, enc.encode(grey, 0.0)[0])
    sizes = []
    for k in range(1, 40):
        rects, _ = enc.encode(frame, 0.05 * k)
        if not rects:
            break
        update = m.FrameUpdate(7680, 2160, tuple(
            m.Rect(r.x, r.y, r.w, r.h, int(r.encoding), r.payload) for r in rects), k)
        size = len(m.encode(update))
        assert size <= m.MAX_PLAINTEXT, f"update {k} is {size} bytes"
        sizes.append(size)
        fb.apply(7680, 2160, rects)
    assert len(sizes) > 1, "the screen should have needed several updates"
    assert np.array_equal(fb.array, frame)
