"""Decoder: apply one untrusted rectangle to a BGRA framebuffer.

Everything here treats sizes and payloads as hostile: bounds are checked before any allocation,
zstd output is capped at the exact expected size (no decompression bombs), JPEG dimensions are read
from the header before decoding, and every failure becomes a :class:`~shared.codec.CodecError`.
"""

from __future__ import annotations

import struct
import threading

import numpy as np
import simplejpeg
import zstandard

from shared.codec import CodecError, Encoding

__all__ = ["decode_rect", "zstd_decompress_exact"]

_local = threading.local()
_MAX_WINDOW = 1 << 25


def _dctx() -> zstandard.ZstdDecompressor:
    dctx = getattr(_local, "dctx", None)
    if dctx is None:
        dctx = _local.dctx = zstandard.ZstdDecompressor(max_window_size=_MAX_WINDOW)
    return dctx


def zstd_decompress_exact(data: bytes | memoryview, size: int) -> bytes:
    """Decompress one zstd frame that must yield exactly ``size`` bytes; never more is produced."""
    try:
        reader = _dctx().stream_reader(data)
        chunks: list[bytes] = []
        got = 0
        while got <= size:
            chunk = reader.read(size + 1 - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except zstandard.ZstdError as exc:
        raise CodecError(f"corrupt zstd data: {exc}") from None
    if got != size:
        raise CodecError(f"zstd data has the wrong size ({got if got <= size else 'more'}"
                         f" instead of {size} bytes)")
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


def _check_rect(fb: np.ndarray, x: int, y: int, w: int, h: int) -> None:
    fh, fw = fb.shape[:2]
    for v in (x, y, w, h):
        if not isinstance(v, int | np.integer):
            raise CodecError("rectangle coordinates must be integers")
    if w < 1 or h < 1 or x < 0 or y < 0 or x + w > fw or y + h > fh:
        raise CodecError(f"rectangle {x},{y} {w}x{h} is outside the {fw}x{fh} frame")


def decode_rect(
    fb: np.ndarray, x: int, y: int, w: int, h: int, encoding: int, payload: bytes
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
        src = fb[sy : sy + h, sx : sx + w]
        dst[:] = src.copy() if np.shares_memory(src, dst) else src
    elif enc is Encoding.RAW_ZSTD:
        if len(mv) < 1 or mv[0] not in (3, 4):
            raise CodecError("RAW_ZSTD payload must start with 3 or 4 (channels)")
        ch = mv[0]
        raw = zstd_decompress_exact(mv[1:], w * h * ch)
        pixels = np.frombuffer(raw, dtype=np.uint8).reshape(h, w, ch)
        if ch == 4:
            dst[:] = pixels
        else:
            dst[:, :, :3] = pixels
            dst[:, :, 3] = 255
    elif enc is Encoding.PALETTE_ZSTD:
        if len(mv) < 1:
            raise CodecError("PALETTE_ZSTD payload is empty")
        n = mv[0] + 1
        if len(mv) < 1 + 4 * n:
            raise CodecError("PALETTE_ZSTD palette is truncated")
        palette = np.frombuffer(mv[1 : 1 + 4 * n], dtype="<u4").astype(np.uint32)
        raw = zstd_decompress_exact(mv[1 + 4 * n :], w * h)
        idx = np.frombuffer(raw, dtype=np.uint8).reshape(h, w)
        if n < 256 and int(idx.max()) >= n:
            raise CodecError("PALETTE_ZSTD index beyond the palette")
        dst.view(np.uint32)[..., 0] = palette[idx]
    elif enc is Encoding.JPEG:
        _decode_jpeg(dst, w, h, mv)


def _decode_jpeg(dst: np.ndarray, w: int, h: int, mv: memoryview) -> None:
    """Decode into ``dst`` after checking the header's size (simplejpeg raises ValueError)."""
    data = bytes(mv)
    try:
        jh, jw, _, _ = simplejpeg.decode_jpeg_header(data)
    except Exception as exc:  # libjpeg reports every malformation as ValueError/RuntimeError
        raise CodecError(f"corrupt JPEG header: {exc}") from None
    if (jw, jh) != (w, h):
        raise CodecError(f"JPEG is {jw}x{jh}, rectangle is {w}x{h}")
    try:
        img = simplejpeg.decode_jpeg(data, colorspace="BGRA")
    except Exception as exc:  # see above
        raise CodecError(f"corrupt JPEG data: {exc}") from None
    if img.shape != (h, w, 4):
        raise CodecError("JPEG decoded to an unexpected shape")
    dst[:] = img
    dst[:, :, 3] = 255
