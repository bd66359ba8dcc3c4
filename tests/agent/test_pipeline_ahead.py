"""Input first, before the encoding (issue 16): a glyph typed while the whole screen scrolls
goes out before the scroll frame is encoded, not split off it afterwards.

The streamer is driven step by step (``_step``, a fixed clock) with the frames of
tests/agent/test_pipeline_echo.py's fake screen (a document of photographs scrolling, a text
field above it) and the damage a real capturer reports with them (``last_damage``: the whole
screen for the scroll, the field for the key); the real capturer's ``last_damage`` is
tests/agent/test_capture_region.py's. The real line is ``bench.glass_to_glass --link dsl4``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from agent.pipeline import AHEAD_REGION_PIXELS, ScreenStreamer, _Slice
from shared.codec.frame import EncodedFrame
from shared.messages import Rect
from tests.agent.test_pipeline import FakeSource
from tests.agent.test_pipeline_echo import FIELD_ROWS, Screen, field_only

WHOLE = (0, 0, 640, 480)  # the scroll's damage: more than AHEAD_REGION_PIXELS
FIELD = (8, 8, 600, 32)  # the text field's


class DamagedSource(FakeSource):
    """A fake source that says what was damaged, as :class:`agent.capture.ScreenCapturer`."""

    def __init__(self, make: object) -> None:
        super().__init__(make)
        self.last_damage: list[tuple[int, int, int, int]] = []


class Run:
    """One streamer, its frames, and the order of encodes and frames handed out."""

    def __init__(self) -> None:
        self.screen = Screen()
        self.src = DamagedSource(self.screen)
        self.sent: list[EncodedFrame] = []
        self.st = ScreenStreamer(self.sent.append, source=self.src, quality=75,
                                 clock=lambda: 100.0)
        self.encodes: list[int] = []  # frames handed out when each encode began
        encode = self.st._encoder.encode

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.encodes.append(len(self.sent))
            return encode(*args, **kwargs)

        self.st._encoder.encode = spy  # type: ignore[method-assign]
        self.n = 0

    def step(self, damage: list[tuple[int, int, int, int]]) -> list[EncodedFrame]:
        """Grab the next frame with ``damage``; the frames it sent; every one acknowledged."""
        self.n += 1
        before = len(self.sent)
        self.src.last_damage = damage
        self.st._step(self.src, self.screen(self.n), None)
        for update in self.sent[before:]:
            self.st.ack(update.seq)
        return self.sent[before:]


def test_the_glyph_goes_before_the_scroll_frame_is_encoded() -> None:
    run = Run()
    run.step([WHOLE])  # the first picture
    run.step([WHOLE])  # a scroll: what the update before wrote is the document, not the field
    run.screen.keys = 1
    run.st.poke()  # a key was applied; its glyph is drawn, the document scrolls on
    encodes_before = len(run.encodes)
    frames = run.step([WHOLE, FIELD])
    assert run.st.ahead_frames == 1
    echo, rest = frames[0], frames[1:]
    assert field_only(echo) and [(r.x, r.y, r.w, r.h) for r in echo.rects] == [(20, 16, 10, 16)]
    # the scroll's encode began after the echo was handed out (before: after it was encoded)
    assert run.encodes[encodes_before] == len(run.sent) - len(frames) + 1
    assert rest and not any(r.y < FIELD_ROWS for u in rest for r in u.rects)
    # the same picture once both are applied: the encoder's reference is the frame
    ref = run.st._encoder.ref
    assert ref is not None and np.array_equal(ref, run.screen(run.n))


def test_without_input_or_without_a_small_region_nothing_goes_ahead() -> None:
    run = Run()
    run.step([WHOLE])
    run.step([WHOLE])
    run.screen.keys = 1  # drawn, but no input came: an animation, not an echo
    run.step([WHOLE, FIELD])
    run.screen.keys = 2
    run.st.poke()
    run.step([WHOLE])  # the field's damage not reported apart: nothing known to be small
    assert run.st.ahead_frames == 0
    assert WHOLE[2] * WHOLE[3] > AHEAD_REGION_PIXELS


def test_a_glyph_an_older_slice_still_covers_does_not_go_ahead() -> None:
    """What is still to be sent of an update before is applied after the echo: where it
    meets the glyph it would paint over it, so the glyph goes with its update instead."""
    run = Run()
    run.step([WHOLE])
    run.step([WHOLE])
    run.screen.keys = 1
    run.st.poke()
    with run.st._lock:  # a slice of an older update, not sent yet, over the field
        run.st._backlog.append(_Slice(640, 480, [Rect(0, 0, 640, 48, 0, b"")], None, None))
    run.src.last_damage = [WHOLE, FIELD]
    run.st._step(run.src, run.screen(3), None)
    assert run.st.ahead_frames == 0
