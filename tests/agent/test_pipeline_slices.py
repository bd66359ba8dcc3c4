"""Slices on a slow line (issue 16): a big update goes in pieces an echo can pass between.

The source and the line are fakes, as in tests/agent/test_pipeline_echo.py (a document of
photographs scrolling above nothing, then a new page below a text field, and a 4 Mbit/s line
with a 40 ms round trip modelled by tests/agent/test_pipeline_rate.py's ``ModelLink``): no real
X display changes a page and takes a key while a modelled DSL line carries the frames. The
real line is ``python -m bench.glass_to_glass --link dsl4`` (echo p95 154-191 ms before, 123-135
ms after, in runs of 48 keys).
"""

from __future__ import annotations

import threading
import time

import numpy as np

from agent.pipeline import ScreenStreamer
from bench.screens import photo
from bench.support.waiting import wait_for
from console.framebuffer import Framebuffer
from shared.codec.frame import EncodedFrame
from tests.agent.test_pipeline import FakeSource
from tests.agent.test_pipeline_rate import ModelLink

HEIGHT = 1080
PAGE_TOP = 64  # the new page: rows 64.. of the first PAGE_WIDTH columns (four bands of ~25 kB);
PAGE_WIDTH = 400  # the text field lies above it (rows 16..31)
DOC = photo(3000, 560, seed=3)
PAGE = photo(HEIGHT - PAGE_TOP, PAGE_WIDTH, seed=9)


class Screen:
    """A scrolling document until ``page`` is set, then a new page under the field; a glyph
    in the field per key."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.page = False
        self.keys = 0
        self.last: np.ndarray | None = None

    def __call__(self, n: int) -> np.ndarray:
        frame = np.full((HEIGHT, 640, 4), 255, np.uint8)
        with self.lock:
            page, keys = self.page, self.keys
        if page:
            frame[PAGE_TOP:, :PAGE_WIDTH] = PAGE
        else:
            top = 14 * n % (DOC.shape[0] - 240)
            frame[200:440, 40:600] = DOC[top:top + 240]
        for k in range(keys):
            x = 20 + 12 * k
            frame[16:32, x:x + 10, :3] = 20
        with self.lock:
            self.last = frame
        return frame


class Console(ModelLink):
    """The modelled line, and the console's picture: frames applied in the order sent."""

    def __init__(self) -> None:
        super().__init__(rate=500_000.0, rtt=0.040)
        self.fb = Framebuffer()
        self.frames: list[tuple[float, EncodedFrame]] = []
        self.shown: dict[int, float] = {}  # seq -> when the console has it (modelled)

    def send(self, update: EncodedFrame) -> None:  # streamer thread
        self.frames.append((time.monotonic(), update))
        self.fb.apply(update.width, update.height, update.rects, update.seq)
        super().send(update)
        with self._cv:
            self.shown[update.seq] = self._free_at + self.rtt / 2


def start() -> tuple[Screen, Console, ScreenStreamer]:
    """The streamer on the modelled line, once it has measured it (a scroll fills it)."""
    screen, console = Screen(), Console()
    st = ScreenStreamer(console.send, source=FakeSource(screen, 1 / 60), quality=75)
    console.streamer = st
    st.start()
    wait_for(lambda: st.link_estimate() is not None and st._flow.filled_pipe, 10,
             "the line measured")
    time.sleep(0.5)
    return screen, console, st


def page_frames(console: Console, after: float) -> list[EncodedFrame]:
    return [u for t, u in console.frames
            if t >= after and any(r.y >= PAGE_TOP for r in u.rects)]


def settle(screen: Screen, console: Console) -> None:
    """Until the console shows what the source shows (refinement included)."""
    def same() -> bool:
        with screen.lock:
            last = screen.last
        return last is not None and console.fb.array is not None and np.array_equal(
            console.fb.array, last)
    wait_for(same, 20, "the console's picture to match the screen")


def test_an_update_too_big_for_the_line_goes_in_slices() -> None:
    screen, console, st = start()
    try:
        changed = time.monotonic()
        with screen.lock:
            screen.page = True
        settle(screen, console)
    finally:
        assert st.stop()
        console.close()
    first = page_frames(console, changed)
    # the page's first update (three bands of 60-100 kB at quality 75, ~0.5 s of the line,
    # each over the 20 kB slice of this line) is one frame per band now; before, one frame
    # held all of it
    assert len(first) >= 3, [u.nbytes for u in first]
    limit = st._flow.slice_bytes()
    assert limit is not None
    assert all(len(u.rects) == 1 or u.nbytes <= 1.5 * limit for u in first), limit


def test_a_glyph_passes_the_slices_of_an_update_before_it() -> None:
    """The page's update is still being sent in slices when a key is typed: the glyph goes
    after the slice on the line, not after the whole page, and the
    console's picture is right in the end (no older slice paints over the glyph)."""
    screen, console, st = start()
    try:
        with screen.lock:
            screen.page = True
        changed = time.monotonic()
        wait_for(lambda: len(page_frames(console, changed)) >= 1, 5, "the page's first slice")
        with screen.lock:
            screen.keys += 1
        typed = time.monotonic()
        st.poke()
        settle(screen, console)
    finally:
        assert st.stop()
        console.close()
    order = [u for t, u in console.frames if t >= changed]
    glyph = next(u for u in order if any(r.y < PAGE_TOP for r in u.rects))
    last_band = max(r.y for u in order[:4] for r in u.rects)
    band_done = next(u for u in order if any(r.y == last_band for r in u.rects))
    # before, the whole page went first in one frame, and the glyph after it
    assert glyph.seq < band_done.seq, [(u.seq, [r.y for r in u.rects]) for u in order[:8]]
    assert console.shown[glyph.seq] < console.shown[band_done.seq]
    assert console.shown[glyph.seq] - typed < 0.15  # behind one slice on the line, not all
