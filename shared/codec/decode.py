"""Decoder: apply one untrusted rectangle to a BGRA framebuffer.

Everything here treats sizes and payloads as hostile: bounds are checked before any allocation,
zstd output is capped at the exact expected size (no decompression bombs) and streamed into the
framebuffer in bounded chunks (a whole-screen rect never needs a second whole-screen buffer), a
JPEG must pass :func:`shared.codec.jpeg.check_baseline` before libjpeg sees it, and every failure
becomes a :class:`~shared.codec.CodecError`.

The zstd decompressor is state the caller holds: a :class:`RectDecoder` (the console's
framebuffer owns one), used by one thread at a time.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import numpy as np
import simplejpeg
import zstandard

from shared.codec import CodecError, Encoding
from shared.codec.jpeg import check_baseline
from shared.codec.video import VideoDecoder

__all__ = ["RectDecoder"]

_MAX_WINDOW = 1 << 25
#: Decoded bytes per step when streaming zstd output into the framebuffer.
_CHUNK = 1 << 20


def _zstd_rows(dctx: zstandard.ZstdDecompressor, data: memoryview, w: int, h: int,
               channels: int) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(y, rows)`` of a zstd frame decompressing to exactly ``w*h*channels`` bytes.

    ``rows`` is a ``(n, w, channels)`` view of a reused buffer of at most :data:`_CHUNK` bytes
    (valid until the next step); too little or too much output is a CodecError.
    """
    row_bytes = w * channels
    per_chunk = max(1, _CHUNK // row_bytes)
    buf = bytearray(min(per_chunk, h) * row_bytes)
    view = memoryview(buf)
    try:
        reader = dctx.stream_reader(data)
        y = 0
        while y < h:
            n = min(per_chunk, h - y)
            want = n * row_bytes
            got = 0
            while got < want:
                k = reader.readinto(view[got:want])
                if not k:
                    raise CodecError(f"zstd data has the wrong size (less than "
                                     f"{w * h * channels} bytes)")
                got += k
            yield y, np.frombuffer(buf, np.uint8, count=want).reshape(n, w, channels)
            y += n
        if reader.read(1):
            raise CodecError(f"zstd data has the wrong size (more than {w * h * channels} bytes)")
    except zstandard.ZstdError as exc:
        raise CodecError(f"corrupt zstd data: {exc}") from None


def _copy_block(fb: np.ndarray, sx: int, sy: int, x: int, y: int, w: int, h: int) -> None:
    """memmove of a ``w x h`` block inside ``fb`` through strips of at most :data:`_CHUNK` bytes.

    A full-screen COPY onto itself would otherwise need a whole-screen temporary. Strips go
    bottom-up when the block moves down, top-down otherwise, so no strip reads rows that an
    earlier strip already overwrote; each strip is read whole before it is written."""
    src, dst = fb[sy : sy + h, sx : sx + w], fb[y : y + h, x : x + w]
    if not np.shares_memory(src, dst):
        dst[:] = src
        return
    rows = max(1, _CHUNK // (w * 4))
    starts = range(0, h, rows)
    for r in reversed(starts) if y > sy else starts:
        n = min(rows, h - r)
        dst[r : r + n] = src[r : r + n].copy()


def _check_rect(fb: np.ndarray, x: int, y: int, w: int, h: int) -> None:
    fh, fw = fb.shape[:2]
    for v in (x, y, w, h):
        if not isinstance(v, int | np.integer):
            raise CodecError("rectangle coordinates must be integers")
    if w < 1 or h < 1 or x < 0 or y < 0 or x + w > fw or y + h > fh:
        raise CodecError(f"rectangle {x},{y} {w}x{h} is outside the {fw}x{fh} frame")


def _decode_jpeg(dst: np.ndarray, w: int, h: int, mv: memoryview) -> None:
    """Decode into ``dst`` after checking the header: baseline, one scan, exactly ``w x h``."""
    check_baseline(mv, w, h)
    data = bytes(mv)
    try:
        img = simplejpeg.decode_jpeg(data, colorspace="BGRA")
    except Exception as exc:  # see above
        raise CodecError(f"corrupt JPEG data: {exc}") from None
    if img.shape != (h, w, 4):
        raise CodecError("JPEG decoded to an unexpected shape")
    dst[:] = img
    dst[:, :, 3] = 255


class RectDecoder:
    """Applies untrusted rectangles to a framebuffer, reusing one zstd decompressor.

    Why an object: the decompressor's context is reused from rect to rect and must not be used
    by two threads at once; its owner (one per decoding thread) holds it, not the module.
    """

    __slots__ = ("_dctx", "_video")

    def __init__(self) -> None:
        self._dctx = zstandard.ZstdDecompressor(max_window_size=_MAX_WINDOW)
        self._video: VideoDecoder | None = None  # the running VIDEO stream (issue 16)

    def decode_rect(
        self, fb: np.ndarray, x: int, y: int, w: int, h: int, encoding: int, payload: bytes
    ) -> None:
        """Apply one rectangle to ``fb`` (uint8 ``(H, W, 4)`` BGRA, modified in place).

        Raises :class:`CodecError` for anything malformed; ``fb`` may be partly updated then (the
        session closes anyway).
        """
        _check_rect(fb, x, y, w, h)
        dst = fb[y : y + h, x : x + w]
        try:
            enc = Encoding(encoding)
        except ValueError:
            raise CodecError(f"unknown rectangle encoding {encoding!r}") from None
        if not isinstance(payload, bytes | bytearray | memoryview):
            raise CodecError("payload must be bytes")
        mv = memoryview(payload).cast("B")
        if enc is Encoding.SOLID:
            if len(mv) != 4:
                raise CodecError("SOLID payload must be 4 bytes")
            dst[:] = np.frombuffer(mv, dtype=np.uint8)
        elif enc is Encoding.COPY:
            if len(mv) != 8:
                raise CodecError("COPY payload must be 8 bytes")
            sx, sy = struct.unpack("<II", mv)
            fh, fw = fb.shape[:2]
            if sx + w > fw or sy + h > fh:
                raise CodecError("COPY source lies outside the frame")
            _copy_block(fb, sx, sy, x, y, w, h)
        elif enc is Encoding.RAW_ZSTD:
            if len(mv) < 1 or mv[0] not in (3, 4):
                raise CodecError("RAW_ZSTD payload must start with 3 or 4 (channels)")
            ch = mv[0]
            for row, pixels in _zstd_rows(self._dctx, mv[1:], w, h, ch):
                part = dst[row : row + len(pixels)]
                if ch == 4:
                    part[:] = pixels
                else:
                    part[:, :, :3] = pixels
                    part[:, :, 3] = 255
        elif enc is Encoding.PALETTE_ZSTD:
            if len(mv) < 1:
                raise CodecError("PALETTE_ZSTD payload is empty")
            n = mv[0] + 1
            if len(mv) < 1 + 4 * n:
                raise CodecError("PALETTE_ZSTD palette is truncated")
            palette = np.frombuffer(mv[1 : 1 + 4 * n], dtype="<u4").astype(np.uint32)
            out = dst.view(np.uint32)[..., 0]
            for row, chunk in _zstd_rows(self._dctx, mv[1 + 4 * n :], w, h, 1):
                idx = chunk[..., 0]
                if n < 256 and int(idx.max()) >= n:
                    raise CodecError("PALETTE_ZSTD index beyond the palette")
                out[row : row + len(idx)] = palette[idx]
        elif enc is Encoding.JPEG:
            _decode_jpeg(dst, w, h, mv)
        elif enc is Encoding.VIDEO:
            if self._video is None:
                self._video = VideoDecoder()
            self._video.decode(dst, w, h, mv)
