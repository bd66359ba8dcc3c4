"""The console applies VIDEO rects (issue 16): through the wire format, the decode thread and
the QImage patches the view draws; a broken stream stops the decoder with a CodecError.

Real libx264 (the agent's FrameEncoder) and libavcodec; real Qt images.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

from bench.screens import photo
from console.frame_decoder import FrameDecoder
from shared import messages as m
from shared.codec import CodecError, Encoding
from shared.codec.frame import FrameEncoder
from shared.codec.video import available
from tests.console.test_frame_decoder import _Sink

VIDEO = int(Encoding.VIDEO)
pytestmark = pytest.mark.skipif(not available(), reason="PyAV with libx264 is a dependency")


def _updates(w: int, h: int, n: int) -> tuple[list[m.FrameUpdate], np.ndarray]:
    """A panning photo through the agent's encoder and the wire format, as the console gets it."""
    big = photo(h + 3 * n, w + 5 * n, seed=5)
    enc = FrameEncoder()
    updates = []
    frame = big[:h, :w]
    for i in range(n):
        frame = np.ascontiguousarray(big[3 * i : 3 * i + h, 5 * i : 5 * i + w])
        rects, _changed = enc.encode(frame, i / 30)
        wire = m.encode(m.FrameUpdate(w, h, tuple(rects), i + 1))
        update = m.decode(wire)
        assert isinstance(update, m.FrameUpdate)
        updates.append(update)
    return updates, frame


def _qimage_bgr(image: QImage, w: int, h: int) -> np.ndarray:
    out = np.zeros((h, w, 3), np.int16)
    for y in range(0, h, 7):
        for x in range(0, w, 7):
            p = image.pixel(x, y)
            out[y, x] = (p & 0xFF, (p >> 8) & 0xFF, (p >> 16) & 0xFF)
    return out


def test_the_console_draws_video_rects() -> None:
    w, h = 320, 192
    updates, last = _updates(w, h, 25)
    assert any(r.encoding == VIDEO for u in updates for r in u.rects)
    sink = _Sink()
    decoder = FrameDecoder(sink.on_done, sink.on_error)
    try:
        for u in updates:
            decoder.put(u)
            sink.wait()
            assert not sink.errors
            decoder.shown(u.seq)
        _w, _h, patches, seq = sink.done[-1]
        assert seq == updates[-1].seq
        x, y, image = patches[0]
        assert (x, y, image.width(), image.height()) == (0, 0, w, h)
        got = _qimage_bgr(image, w, h)[::7, ::7]
        want = last[::7, ::7, :3].astype(np.int16)
        assert np.abs(got - want).mean() < 6  # lossy, but the same picture
    finally:
        decoder.close()


def test_a_broken_video_stream_stops_the_decoder_with_a_codec_error() -> None:
    w, h = 128, 96
    updates, _last = _updates(w, h, 20)
    first = next(i for i, u in enumerate(updates) if any(r.encoding == VIDEO for r in u.rects))
    sink = _Sink()
    decoder = FrameDecoder(sink.on_done, sink.on_error)
    try:
        for u in updates[:first]:  # the stream's keyframe never arrives
            decoder.put(u)
            sink.wait()
            decoder.shown(u.seq)
        decoder.put(updates[first + 1])
        sink.wait()
        assert isinstance(sink.errors[0], CodecError)
        assert "never started" in str(sink.errors[0])
    finally:
        decoder.close()
