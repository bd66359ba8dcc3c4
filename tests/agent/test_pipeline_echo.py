"""Input first in the streamer (issue 16): a typed glyph goes ahead of the big update beside it.

The source is a fake (a document of photographs scrolling 7 px on every grab, and a glyph
drawn in a text field above it after each key) and so is the
link (tests/agent/test_pipeline_rate.py's ``ModelLink``, here a 4 Mbit/s line with a 40 ms
round trip): no real X display types into a field while a modelled DSL line carries the
frames. The real line (shaping proxy, relay, console) is tests/e2e/test_link_rate.py and
``python -m bench.glass_to_glass --link dsl4``.

The key -> grab waits leave out the time the streamer's thread waited for a CPU held by other
processes (tests/cpu_wait.py): on a loaded machine that alone was 15-40 ms (3 of 4 runs
failed); waiting for the pacing is sleep, which still counts.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from agent.pipeline import ECHO_SETTLE, ScreenStreamer
from bench.support.waiting import wait_for
from shared.codec.frame import EncodedFrame
from shared.flow import ECHO_BYTES
from tests.agent.test_pipeline import FakeSource
from tests.agent.test_pipeline_rate import ModelLink
from tests.cpu_wait import run_queue_wait

FIELD_ROWS = 48  # the text field: rows 0..47; the document lies well below it
DOC = np.random.default_rng(7).integers(0, 256, (3000, 560, 4), dtype=np.uint8)  # noisy photos
STEP = 14  # rows per grab: more than the line carries


class Screen:
    """The glyphs typed so far in the field, and a document that scrolls on every grab."""

    def __init__(self, step: int = STEP) -> None:
        self.keys, self.step = 0, step
        self.lock = threading.Lock()

    def __call__(self, n: int) -> np.ndarray:
        frame = np.full((480, 640, 4), 255, np.uint8)
        top = self.step * n % (DOC.shape[0] - 240)
        frame[200:440, 40:600] = DOC[top:top + 240]
        with self.lock:
            keys = self.keys
        for k in range(keys):  # a 10x16 "glyph" per key
            x = 20 + 12 * (k % 48)
            frame[16:32, x:x + 10, :3] = 20
        return frame


class Recorder(ModelLink):
    """The modelled line, recording when each update would be shown and what it holds."""

    def __init__(self) -> None:
        super().__init__(rate=500_000.0, rtt=0.040)
        self.shown: list[tuple[float, EncodedFrame]] = []
        self.sent: list[float] = []
        self.sent_queued: list[float] = []  # the streamer thread's run-queue wait at each send
        self.key_queued: list[float] = []  # ... and at each key

    def send(self, update: EncodedFrame) -> None:
        super().send(update)
        with self._cv:
            self.shown.append((self._free_at + self.rtt / 2, update))
            self.sent.append(time.monotonic())
            self.sent_queued.append(run_queue_wait())


def field_only(update: EncodedFrame) -> bool:
    return all(r.y + r.h <= FIELD_ROWS for r in update.rects)


def touches_field(update: EncodedFrame) -> bool:
    return any(r.y < FIELD_ROWS for r in update.rects)


def type_while_scrolling(step: int) -> tuple[ScreenStreamer, Recorder, list[float]]:
    """12 keys, 120 ms apart, into the field while the document scrolls ``step`` rows a grab;
    returns the streamer (stopped), the line's record and when each key was applied (and in
    ``link.key_queued`` the streamer thread's run-queue wait at that moment)."""
    screen, link = Screen(step), Recorder()
    st = ScreenStreamer(link.send, source=FakeSource(screen, 1 / 60), quality=75)
    link.streamer = st
    st.start()
    try:
        wait_for(lambda: st.link_estimate() is not None, 10, "an estimate of the line")
        time.sleep(1.5)
        keys: list[float] = []
        worker = st._thread.native_id if st._thread is not None else None
        for _ in range(12):
            with screen.lock:
                screen.keys += 1
            keys.append(time.monotonic())
            link.key_queued.append(run_queue_wait(worker) if worker is not None else 0.0)
            st.poke()  # the input thread does this once a key is applied
            time.sleep(0.12)
        time.sleep(0.5)
    finally:
        assert st.stop()
        link.close()
    return st, link, keys


def first_glyph(link: Recorder, t_key: float) -> tuple[float, float, EncodedFrame]:
    """(sent, shown, update) of the first update after ``t_key`` that draws in the field."""
    i = first_glyph_index(link, t_key)
    return link.sent[i], link.shown[i][0], link.shown[i][1]


def first_glyph_index(link: Recorder, t_key: float) -> int:
    found = next((i for i, (sent, (_, u)) in enumerate(zip(link.sent, link.shown, strict=True))
                  if touches_field(u) and sent > t_key and u.seq > 2), None)
    assert found is not None
    return found


def test_a_glyph_goes_in_a_small_frame_of_its_own_ahead_of_the_scroll() -> None:
    st, link, keys = type_while_scrolling(STEP)
    echoes, alone = [], 0
    for t_key in keys:
        _, at, update = first_glyph(link, t_key)
        echoes.append(at - t_key)
        alone += field_only(update) and update.nbytes <= ECHO_BYTES
    assert alone >= 10, alone  # before: every glyph rode with the scroll (0 alone)
    assert st.echo_frames >= 10, st.echo_frames
    echoes.sort()
    # key -> shown over the modelled line: the frames ahead of it, never a big update of its own
    assert echoes[len(echoes) // 2] <= 0.150, echoes


def test_the_grab_after_a_key_does_not_wait_for_the_pacing_of_big_updates() -> None:
    """Updates of ~40 kB on the 4 Mbit/s line are paced ~80 ms apart: the glyph was grabbed
    up to a whole pacing interval after its key. Now the grab that catches it comes
    ECHO_SETTLE after the key (then the encode), once per key."""
    _, link, keys = type_while_scrolling(160)
    waits = []
    for t_key, key_queued in zip(keys, link.key_queued, strict=True):
        i = first_glyph_index(link, t_key)
        waits.append(link.sent[i] - t_key - (link.sent_queued[i] - key_queued))
    waits.sort()
    sizes = sorted(link.sizes)
    assert sizes[len(sizes) // 2] >= 25_000, sizes  # the pacing is long here
    assert waits[len(waits) // 2] <= ECHO_SETTLE + 0.02, waits


def test_the_grab_for_an_echo_does_not_wait_for_the_window_s_credit() -> None:
    """A full line: every frame the window allows is in flight. The glyph's grab used to wait
    for the next ack (on the 4 Mbit/s line up to 200 ms after the key, bench.glass_to_glass
    --link dsl4); the echo has credit of its own, so the grab comes ECHO_SETTLE after the key
    all the same, and without input nothing is grabbed before an ack."""
    clock = [100.0]
    st = ScreenStreamer(lambda update: None, source=FakeSource(Screen()), quality=75,
                        clock=lambda: clock[0])
    flow = st._flow
    seq = 0
    while flow.send_delay() is not None:  # fill the window
        seq += 1
        flow.on_sent(seq, 30_000)
    with st._lock:
        assert st._echo_early(flow.send_delay()) is None  # no input: wait for an ack
    st.poke()  # a key was applied
    with st._lock:
        wait = st._echo_early(flow.send_delay())
    assert wait is not None and 0 < wait <= ECHO_SETTLE
    clock[0] += ECHO_SETTLE
    with st._lock:
        assert st._echo_early(flow.send_delay()) == 0.0  # grab now: the echo's own credit
        assert st._echo_early(flow.send_delay()) is None  # once per input; then the ack
