"""The frame encoder (the pure core of the agent's screen stream), decoded by the core alone."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared import messages as m
from shared.codec import Encoding, FrameBudget
from shared.codec.decode import RectDecoder
from shared.codec.frame import EncodedFrame, FrameEncoder
from shared.codec.scroll import band_row_hashes


class Screen:
    """What the console holds: the core's decoder on one array, every update within budget."""

    def __init__(self) -> None:
        self.array = np.zeros((0, 0, 4), np.uint8)
        self._decoder = RectDecoder()

    def apply(self, width: int, height: int, rects: Iterable[m.Rect]) -> None:
        rects = list(rects)
        budget = FrameBudget(width, height)
        for r in rects:
            budget.add(r.w, r.h, r.encoding)
        if self.array.shape[:2] != (height, width):
            self.array = np.zeros((height, width, 4), np.uint8)
            self.array[..., 3] = 255
        for r in rects:
            self._decoder.decode_rect(self.array, r.x, r.y, r.w, r.h, r.encoding, r.payload)


def test_encoder_scroll_yields_copy_and_small_strip() -> None:
    doc = text_document(3000, 1920)
    enc = FrameEncoder(quality=75)
    fb = Screen()
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
    fb = Screen()
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


def test_small_changes_go_out_lossless_at_once() -> None:
    """Typing-sized changes are sent exact (PALETTE/RAW), never JPEG-then-refine; big photo-like
    areas still go as JPEG."""
    base = text_document(600, 800)
    enc = FrameEncoder(quality=50)
    fb = Screen()
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
    # Random jumps of up to 120 px at 20 fps with a 1500-byte budget can look like film to
    # the motion policy, which then stops scroll detection: this test is about the hash cache.
    cached.video.enabled = plain.video.enabled = False
    fb = Screen()
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
    fb = Screen()
    fb.apply(7680, 2160, enc.encode(grey, 0.0)[0])
    sizes = []
    for k in range(1, 40):
        rects, _ = enc.encode(frame, 0.05 * k)
        if not rects:
            break
        update = m.FrameUpdate(7680, 2160, tuple(rects), k)
        size = len(m.encode(update))
        assert size <= m.MAX_PLAINTEXT, f"update {k} is {size} bytes"
        sizes.append(size)
        fb.apply(7680, 2160, rects)
    assert len(sizes) > 1, "the screen should have needed several updates"
    assert np.array_equal(fb.array, frame)


def test_encoder_regions_match_full_diff() -> None:
    """Given regions covering every change, the encoder sends byte for byte what a full diff
    sends, also when the byte budget cuts updates short (the next one is then diffed whole)."""
    rng = np.random.default_rng(7)
    base = text_document(480, 640)
    for budget in (6 * 1024 * 1024, 800):
        a, b = FrameEncoder(quality=60, max_frame_bytes=budget), FrameEncoder(
            quality=60, max_frame_bytes=budget)
        fa, fb = Screen(), Screen()
        frame = base.copy()
        fa.apply(640, 480, a.encode(frame, 0.0)[0])
        fb.apply(640, 480, b.encode(frame, 0.0)[0])
        for i in range(30):
            regions = []
            for _ in range(int(rng.integers(0, 4))):
                x, y = int(rng.integers(0, 640 - 50)), int(rng.integers(0, 480 - 30))
                w, h = int(rng.integers(1, 50)), int(rng.integers(1, 30))
                frame[y : y + h, x : x + w] = rng.integers(0, 255, (h, w, 4), dtype=np.uint8)
                regions.append((x, y, w, h))
            ra, _ = a.encode(frame, 0.05 * (i + 1), regions)
            rb, _ = b.encode(frame, 0.05 * (i + 1))
            assert ra == rb
            fa.apply(640, 480, ra)
            fb.apply(640, 480, rb)
        for k in range(20):
            fa.apply(640, 480, a.encode(frame, 3.0 + k, [])[0])
        assert np.array_equal(fa.array, frame)


def test_reset_repaints_everything_and_refinement_keeps_to_the_budget() -> None:
    """JPEG areas that come due for refinement go out only as far as the byte budget reaches,
    the rest in later updates; after ``reset`` the next update is the whole screen again."""
    frame = text_document(480, 640)
    for k, (y, x) in enumerate(((0, 0), (0, 320), (256, 0), (256, 320))):
        frame[y : y + 192, x : x + 192] = photo(192, 192, seed=k)  # 9 tiles each: JPEG
    enc = FrameEncoder(quality=40, refine_delay=0.1, max_frame_bytes=300_000)
    screen = Screen()
    screen.apply(640, 480, enc.encode(frame, 0.0)[0])
    assert enc.tracker.any_lossy
    refined = []
    for k in range(1, 20):
        rects, changed = enc.encode(frame, 0.2 * k)
        assert not changed and sum(len(r.payload) for r in rects) <= 300_000
        refined.append(len(rects))
        screen.apply(640, 480, rects)
        if not enc.tracker.any_lossy:
            break
    assert len(refined) > 1 and np.array_equal(screen.array, frame)
    enc.reset()
    rects, _ = enc.encode(frame, 10.0)
    update = EncodedFrame(640, 480, 1, rects)
    assert update.nbytes == sum(len(r.payload) for r in rects) + 16 * len(rects)
    assert sum(r.w * r.h for r in rects) == 640 * 480
