"""The console's decode thread: one frame at a time, none before the GUI took the last one."""

from __future__ import annotations

import threading

from console.frame_decoder import FrameDecoder, damage_patches
from console.framebuffer import Framebuffer
from shared import messages as m
from shared.codec import Encoding, ResourceLimit

SOLID = int(Encoding.SOLID)


def _frame(seq: int, colour: bytes = b"\1\2\3\xff", size: tuple[int, int] = (64, 48)
           ) -> m.FrameUpdate:
    w, h = size
    return m.FrameUpdate(w, h, (m.Rect(0, 0, w, h, SOLID, colour),), seq)


class _Sink:
    def __init__(self) -> None:
        self.done: list[tuple[int, int, list, int]] = []
        self.errors: list[Exception] = []
        self.event = threading.Event()

    def on_done(self, w: int, h: int, patches: list, seq: int) -> None:
        self.done.append((w, h, patches, seq))
        self.event.set()

    def on_error(self, exc: Exception) -> None:
        self.errors.append(exc)
        self.event.set()

    def wait(self) -> None:
        assert self.event.wait(5)
        self.event.clear()


def test_next_frame_waits_until_the_gui_took_the_last() -> None:
    sink = _Sink()
    decoder = FrameDecoder(sink.on_done, sink.on_error)
    try:
        decoder.put(_frame(1, b"\1\1\1\xff"))
        decoder.put(_frame(2, b"\2\2\2\xff"))
        sink.wait()
        assert [d[3] for d in sink.done] == [1]
        # the patch is a view of the framebuffer: it still shows frame 1 while the GUI has it
        assert not sink.event.wait(0.3)
        _x, _y, patch = sink.done[0][2][0]
        assert patch.pixel(0, 0) & 0xFFFFFF == 0x010101
        decoder.shown(7)  # not the frame it emitted: still waits
        assert not sink.event.wait(0.3)
        decoder.shown(1)
        sink.wait()
        assert [d[3] for d in sink.done] == [1, 2]
    finally:
        decoder.close()


def test_a_budget_error_stops_the_decoder_and_is_reported() -> None:
    sink = _Sink()
    decoder = FrameDecoder(sink.on_done, sink.on_error)

    class Huge:  # what a FrameUpdate would be if the message parser had let it through
        width, height, seq = 8192, 8192, 1
        rects = ()

    try:
        decoder.put(Huge())  # type: ignore[arg-type]
        sink.wait()
        assert isinstance(sink.errors[0], ResourceLimit)
        decoder.put(_frame(2))  # closed: nothing more is decoded
        assert not sink.event.wait(0.3)
        assert sink.done == []
    finally:
        decoder.close()


def test_patches_keep_the_old_screen_alive_after_a_resize() -> None:
    """A queued patch must stay valid even when the decoder moved on to a new framebuffer."""
    fb = Framebuffer()
    fb.apply(32, 16, [m.Rect(0, 0, 32, 16, SOLID, b"\x09\x08\x07\xff")])
    patches = damage_patches(fb.array, [(0, 0, 32, 16)])
    fb.apply(64, 64, [m.Rect(0, 0, 1, 1, SOLID, b"\0\0\0\xff")])  # new array, old one dropped
    _x, _y, image = patches[0]
    assert image.pixel(31, 15) & 0xFFFFFF == 0x070809
