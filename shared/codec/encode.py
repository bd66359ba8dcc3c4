"""Encoders: one screen rectangle to ``(encoding, payload)``, choosing the format by content.

Choice (cheapest first): one colour -> SOLID; at most 256 colours (text, UI) -> PALETTE_ZSTD;
otherwise JPEG in lossy mode, RAW_ZSTD in lossless mode. Payload formats: see ``shared.codec``.
"""

from __future__ import annotations

import struct
import threading

import numpy as np
import simplejpeg
import zstandard

from shared.codec import EncodedRect, Encoding

__all__ = [
    "DEFAULT_ZSTD_LEVEL",
    "encode_copy",
    "encode_jpeg",
    "encode_palette",
    "encode_raw",
    "encode_rect",
    "encode_solid",
    "find_palette",
]

#: zstd level for screen data: level 1-3 are several 100 MB/s; higher levels cost latency.
DEFAULT_ZSTD_LEVEL = 3
_SAMPLE = 4096
_local = threading.local()


def _compressor(level: int) -> zstandard.ZstdCompressor:
    """A per-thread zstd compressor (compressor objects must not be shared between threads)."""
    cache: dict[int, zstandard.ZstdCompressor] | None = getattr(_local, "cctx", None)
    if cache is None:
        cache = _local.cctx = {}
    cctx = cache.get(level)
    if cctx is None:
        cctx = cache[level] = zstandard.ZstdCompressor(level=level, write_content_size=True)
    return cctx


def _as_u32(region: np.ndarray) -> np.ndarray:
    """Contiguous ``(h, w)`` uint32 view of a BGRA region (copies only if the region is strided)."""
    region = np.ascontiguousarray(region)
    return region.view(np.uint32).reshape(region.shape[0], region.shape[1])


def encode_solid(color: np.ndarray | bytes) -> bytes:
    """SOLID payload: the 4 BGRA bytes of the colour."""
    data = bytes(np.asarray(color, dtype=np.uint8).reshape(4)) if not isinstance(
        color, bytes) else color
    if len(data) != 4:
        raise ValueError("a SOLID colour is 4 bytes")
    return data


def encode_raw(region: np.ndarray, level: int = DEFAULT_ZSTD_LEVEL) -> bytes:
    """RAW_ZSTD payload with 4 channels (exact, alpha included)."""
    data = np.ascontiguousarray(region)
    return b"\x04" + _compressor(level).compress(data.data)


def find_palette(px: np.ndarray, max_colors: int = 256) -> tuple[np.ndarray, np.ndarray] | None:
    """Sorted palette (uint32) and per-pixel uint8 indices, or None if over ``max_colors``.

    A strided sample rejects photo-like content early; the full check then maps every pixel with a
    binary search against the small palette instead of sorting all pixels (``np.unique`` on a full
    1080p frame costs ~100 ms, this ~10 ms).
    """
    flat = px.reshape(-1)
    step = max(1, flat.size // _SAMPLE)
    palette = np.unique(flat[::step])
    for _ in range(3):
        if palette.size > max_colors:
            return None
        idx = np.searchsorted(palette, flat)
        np.minimum(idx, palette.size - 1, out=idx)
        miss = palette[idx] != flat
        if not miss.any():
            return palette, idx.astype(np.uint8)
        palette = np.union1d(palette, np.unique(flat[miss][: 1 << 16]))
    return None


def encode_palette(
    palette: np.ndarray, indices: np.ndarray, level: int = DEFAULT_ZSTD_LEVEL
) -> bytes:
    """PALETTE_ZSTD payload from a uint32 palette (BGRA little-endian) and uint8 indices."""
    n = int(palette.size)
    if not 1 <= n <= 256:
        raise ValueError("palette size must be 1..256")
    pal = palette.astype("<u4").tobytes()
    return bytes((n - 1,)) + pal + _compressor(level).compress(np.ascontiguousarray(indices).data)


def encode_jpeg(region: np.ndarray, quality: int, subsampling: str = "420") -> bytes:
    """JPEG payload (lossy; alpha dropped)."""
    q = min(100, max(1, int(quality)))
    return simplejpeg.encode_jpeg(
        np.ascontiguousarray(region), quality=q, colorspace="BGRA", colorsubsampling=subsampling
    )


def encode_copy(src_x: int, src_y: int) -> bytes:
    """COPY payload: source origin as two little-endian uint32."""
    return struct.pack("<II", src_x, src_y)


def encode_rect(
    frame: np.ndarray,
    x: int,
    y: int,
    w: int,
    h: int,
    *,
    quality: int | None = None,
    level: int = DEFAULT_ZSTD_LEVEL,
) -> EncodedRect:
    """Encode ``frame[y:y+h, x:x+w]`` with the best-fitting encoding.

    ``quality`` None means lossless (never JPEG); 1..100 allows JPEG at that quality for content
    with more than 256 colours. The result's ``encoding`` says whether it was lossy (JPEG).
    """
    region = frame[y : y + h, x : x + w]
    px = _as_u32(region)
    first = px[0, 0]
    if (px == first).all():
        return EncodedRect(x, y, w, h, Encoding.SOLID, encode_solid(region[0, 0].tobytes()))
    pal = find_palette(px)
    if pal is not None:
        return EncodedRect(x, y, w, h, Encoding.PALETTE_ZSTD, encode_palette(*pal, level=level))
    if quality is not None:
        return EncodedRect(x, y, w, h, Encoding.JPEG, encode_jpeg(region, quality))
    return EncodedRect(x, y, w, h, Encoding.RAW_ZSTD, encode_raw(px, level=level))
