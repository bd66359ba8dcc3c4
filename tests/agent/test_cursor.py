"""The pointer: position and shape go to the console only when they change."""

from __future__ import annotations

import numpy as np

from agent.cursor import (
    CursorReporter,
    PointerShape,
    _X11Pointer,
    argb_premultiplied_to_rgba,
    create_pointer_source,
)
from shared import messages as m

ARROW = PointerShape(1, 2, 2, 0, 1, bytes(16))
BEAM = PointerShape(2, 1, 3, 0, 1, bytes(range(12)))


class FakeSource:
    def __init__(self) -> None:
        self.pos: tuple[int, int] | None = (10, 20)
        self.current: PointerShape | None = ARROW

    def position(self) -> tuple[int, int] | None:
        return self.pos

    def shape(self) -> PointerShape | None:
        return self.current

    def close(self) -> None:
        pass


def test_resting_pointer_sends_nothing_and_shape_only_on_change() -> None:
    src = FakeSource()
    rep = CursorReporter(origin=(5, 5))
    first = rep.poll(src)
    assert first == m.CursorUpdate(5, 15, True, m.CursorShape(2, 2, 0, 1, bytes(16)))
    for _ in range(50):  # idle: nothing at all
        assert rep.poll(src) is None
    src.pos = (11, 20)
    assert rep.poll(src) == m.CursorUpdate(6, 15, True, None)  # moved, same shape: no pixels
    src.current = BEAM  # shape changes while the pointer rests (e.g. busy cursor)
    assert rep.poll(src) == m.CursorUpdate(6, 15, True, m.CursorShape(1, 3, 0, 1, BEAM.rgba))
    assert rep.poll(src) is None
    src.pos = None
    assert rep.poll(src) is None


def test_no_shape_platforms_still_send_positions() -> None:
    src = FakeSource()
    src.current = None
    rep = CursorReporter()
    assert rep.poll(src) == m.CursorUpdate(10, 20, True, None)
    assert rep.poll(src) is None


def test_premultiplied_argb_becomes_straight_rgba() -> None:
    # opaque red, half-transparent white (premultiplied 0x80808080), fully transparent
    rgba = argb_premultiplied_to_rgba([0xFFFF0000, 0x80808080, 0x00000000], 3, 1)
    px = np.frombuffer(rgba, np.uint8).reshape(3, 4)
    assert px[0].tolist() == [255, 0, 0, 255]
    assert px[1].tolist() == [255, 255, 255, 128]
    assert px[2].tolist() == [0, 0, 0, 0]


def test_x11_source_reads_the_real_cursor_image() -> None:
    src = create_pointer_source()
    try:
        assert isinstance(src, _X11Pointer)
        shape = src.shape()
        assert shape is not None, "XFixes GetCursorImage gave no shape"
        assert len(shape.rgba) == shape.width * shape.height * 4
        assert 0 <= shape.hot_x < shape.width and 0 <= shape.hot_y < shape.height
        assert src.shape() is shape  # same serial: cached, not converted again
        m.CursorShape(shape.width, shape.height, shape.hot_x, shape.hot_y, shape.rgba)
    finally:
        src.close()


def test_a_pointer_on_a_monitor_not_shared_is_not_shown() -> None:
    src = FakeSource()
    rep = CursorReporter(origin=(640, 0), size=(640, 800))  # monitor 2 of two side by side
    src.pos = (700, 30)
    update = rep.poll(src)
    assert update is not None and (update.x, update.y, update.visible) == (60, 30, True)
    src.pos = (100, 30)  # over to monitor 1: hidden, never stuck at the picture's left edge
    assert rep.poll(src) == m.CursorUpdate(0, 30, False, None)
    src.pos = (1279, 799)
    assert rep.poll(src) == m.CursorUpdate(639, 799, True, None)
