"""Encoders: one screen rectangle to ``(encoding, payload)``, choosing the format by content.

Choice (cheapest first): one colour -> SOLID; at most 256 colours (text, UI) -> PALETTE_ZSTD;
otherwise JPEG in lossy mode, RAW_ZSTD in lossless mode. Payload formats: see ``shared.codec``.

The zstd encodings need compressor state (costly to set up, not to be shared between threads):
a :class:`RectEncoder` holds it, and whoever encodes keeps one (the frame encoder owns one).
"""

from __future__ import annotations

import struct

import numpy as np
import simplejpeg
import zstandard

from shared.codec import Encoding
from shared.messages import Rect

__all__ = [
    "DEFAULT_ZSTD_LEVEL",
    "PHOTO_COLORS",
    "RectEncoder",
    "busy_tiles",
    "encode_copy",
    "encode_jpeg",
    "encode_solid",
    "find_palette",
]

#: zstd level for screen data: level 1-3 are several 100 MB/s; higher levels cost latency.
DEFAULT_ZSTD_LEVEL = 3
_SAMPLE = 4096


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


#: Odd multipliers for the palette lookup table's hash (tried in turn until one is collision-free).
_LUT_MULTS = (
    0x9E3779B1, 0x85EBCA6B, 0xC2B2AE35, 0x27D4EB2F, 0x165667B1, 0xFD7046C5,
    0xB55A4F09, 0x7FEB352D, 0x846CA68B, 0xE6546B65, 0x2545F491, 0x68E31DA5,
)
_LUT_BITS = 16


def _unique(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array: ``np.unique`` by a sort.

    Why: numpy >= 2.3 answers ``np.unique`` from a hash table, 6-11x slower here on a strip's
    uint32 pixels than a sort (4 000 of them: 89 against 14 us; 69 000: 1.1 ms against
    0.1 ms). The palette search runs it on every scroll strip: 9 % of the streamer's CPU
    in g2g's scroll (issue 16, scrollcpu20)."""
    out = np.sort(values, kind="quicksort")
    if out.size < 2:
        return out
    keep = np.empty(out.size, dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def _lut_for(palette: np.ndarray) -> tuple[np.uint32, np.ndarray] | None:
    """Multiplier and 2**16-entry table mapping ``(v * m) >> 16`` to the palette index of ``v``.

    Only for multipliers that hash the palette without collisions; None if none of them does.
    """
    shift = np.uint32(32 - _LUT_BITS)
    for m in _LUT_MULTS:
        mult = np.uint32(m)
        slots = (palette * mult) >> shift
        if _unique(slots).size == palette.size:
            lut = np.zeros(1 << _LUT_BITS, dtype=np.uint8)
            lut[slots] = np.arange(palette.size, dtype=np.uint8)
            return mult, lut
    return None


def _palette_indices(palette: np.ndarray, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8 index of every pixel in ``palette`` and the mask of pixels not in it (index junk)."""
    found = _lut_for(palette)
    if found is None:
        pos = np.searchsorted(palette, flat)
        np.minimum(pos, palette.size - 1, out=pos)
        idx = pos.astype(np.uint8)
    else:
        mult, lut = found
        slots = flat * mult
        slots >>= np.uint32(32 - _LUT_BITS)
        idx = np.take(lut, slots, mode="clip")  # slots < 2**16: no bounds checks needed
    return idx, np.take(palette, idx, mode="clip") != flat


def find_palette(px: np.ndarray, max_colors: int = 256) -> tuple[np.ndarray, np.ndarray] | None:
    """Sorted palette (uint32) and per-pixel uint8 indices, or None if over ``max_colors``.

    Exact: None only if the rectangle really has more than ``max_colors`` colours. A strided
    sample of ~4096 pixels rejects photo-like content early (more distinct colours in the sample
    than allowed is proof). The sample's colours are then mapped to every pixel through a
    collision-free hash table (a multiply, a shift and two small-table lookups per pixel; no sort
    of all pixels); pixels it misses add their colours and the mapping runs again. After a few
    rounds an exact ``np.unique`` decides, so a rare layout never misclassifies a <= 256-colour
    rectangle.
    """
    flat = np.ascontiguousarray(px).reshape(-1)
    if flat.dtype != np.uint32:
        raise ValueError("find_palette takes uint32 pixels")
    step = max(1, flat.size // _SAMPLE)
    palette = _unique(flat[::step])
    for _ in range(3):
        if palette.size > max_colors:
            return None
        idx, miss = _palette_indices(palette, flat)
        if not miss.any():
            return palette, idx
        missing = flat[miss]
        palette = _unique(np.concatenate((palette, missing[: 1 << 16])))
        if palette.size > max_colors:
            return None
    palette = _unique(flat)
    if palette.size > max_colors:
        return None
    idx, _miss = _palette_indices(palette, flat)
    return palette, idx


def encode_jpeg(region: np.ndarray, quality: int, subsampling: str = "420") -> bytes:
    """JPEG payload (lossy; alpha dropped)."""
    q = min(100, max(1, int(quality)))
    jpeg: bytes = simplejpeg.encode_jpeg(
        np.ascontiguousarray(region), quality=q, colorspace="BGRA", colorsubsampling=subsampling
    )
    return jpeg


#: A tile whose sampled columns show more colours than this is photo-like (JPEG's); fewer is
#: text or UI, which the palette keeps exact. Low on purpose: a photo's edge in a tile must
#: count, else the exact part around the photo fails the palette and goes JPEG after all.
PHOTO_COLORS = 64
#: :func:`busy_tiles` looks at this many columns of a tile (sorting the samples is its cost).
_BUSY_COLUMNS = 16


def busy_tiles(px: np.ndarray, x: int, y: int, tile: int) -> np.ndarray:
    """Which tiles of the frame's grid that the uint32 region ``px`` at ``(x, y)`` touches are
    photo-like (:data:`PHOTO_COLORS`), as a ``(rows, cols)`` bool grid whose first tile holds
    the region's top-left pixel. A heuristic (16 columns of each tile, padded with the
    region's first pixel): whoever uses it still checks the parts it calls exact."""
    h, w = px.shape
    ox, oy = x % tile, y % tile
    rows, cols = -(-(oy + h) // tile), -(-(ox + w) // tile)
    pad = np.full((rows * tile, cols * tile), px[0, 0], dtype=np.uint32)
    pad[oy : oy + h, ox : ox + w] = px
    stride = max(1, tile // _BUSY_COLUMNS)
    part = tile // stride
    sample = pad[:, ::stride].reshape(rows, tile, cols, part).transpose(0, 2, 1, 3)
    sample = np.sort(sample.reshape(rows, cols, tile * part), axis=2)
    distinct = 1 + np.count_nonzero(sample[..., 1:] != sample[..., :-1], axis=2)
    busy: np.ndarray = distinct > PHOTO_COLORS
    return busy


def encode_copy(src_x: int, src_y: int) -> bytes:
    """COPY payload: source origin as two little-endian uint32."""
    return struct.pack("<II", src_x, src_y)


class RectEncoder:
    """Encodes rectangles, reusing its zstd compressors (one per level) from call to call.

    Why an object: a compressor's context costs more to set up than a small rect costs to
    compress, and must not be used by two threads at once. The caller owns the encoder (one
    per encoding thread: :class:`shared.codec.frame.FrameEncoder` holds one), so the core
    keeps no state of its own.
    """

    __slots__ = ("_cctx",)

    def __init__(self) -> None:
        self._cctx: dict[int, zstandard.ZstdCompressor] = {}

    def _compressor(self, level: int) -> zstandard.ZstdCompressor:
        cctx = self._cctx.get(level)
        if cctx is None:
            cctx = self._cctx[level] = zstandard.ZstdCompressor(level=level,
                                                                write_content_size=True)
        return cctx

    def encode_raw(self, region: np.ndarray, level: int = DEFAULT_ZSTD_LEVEL) -> bytes:
        """RAW_ZSTD payload with 4 channels (exact, alpha included)."""
        data = np.ascontiguousarray(region)
        return b"\x04" + self._compressor(level).compress(data.data)

    def encode_palette(
        self, palette: np.ndarray, indices: np.ndarray, level: int = DEFAULT_ZSTD_LEVEL
    ) -> bytes:
        """PALETTE_ZSTD payload from a uint32 palette (BGRA little-endian) and uint8 indices."""
        n = int(palette.size)
        if not 1 <= n <= 256:
            raise ValueError("palette size must be 1..256")
        pal = palette.astype("<u4").tobytes()
        return bytes((n - 1,)) + pal + self._compressor(level).compress(
            np.ascontiguousarray(indices).data)

    def encode_rect(
        self,
        frame: np.ndarray,
        x: int,
        y: int,
        w: int,
        h: int,
        *,
        quality: int | None = None,
        level: int = DEFAULT_ZSTD_LEVEL,
    ) -> Rect:
        """Encode ``frame[y:y+h, x:x+w]`` with the best-fitting encoding.

        ``quality`` None means lossless (never JPEG); 1..100 allows JPEG at that quality for
        content with more than 256 colours. The result's ``encoding`` says whether it was lossy.
        """
        region = frame[y : y + h, x : x + w]
        px = _as_u32(region)
        exact = self._exact(region, px, x, y, level)
        if exact is not None:
            return exact
        if quality is not None:
            return Rect(x, y, w, h, Encoding.JPEG.value, encode_jpeg(region, quality))
        return Rect(x, y, w, h, Encoding.RAW_ZSTD.value, self.encode_raw(px, level=level))

    def _exact(self, region: np.ndarray, px: np.ndarray, x: int, y: int,
               level: int) -> Rect | None:
        """SOLID or PALETTE_ZSTD for the region if it has at most 256 colours, else None."""
        h, w = px.shape
        if (px == px[0, 0]).all():
            return Rect(x, y, w, h, Encoding.SOLID.value, encode_solid(region[0, 0].tobytes()))
        pal = find_palette(px)
        if pal is not None:
            return Rect(x, y, w, h, Encoding.PALETTE_ZSTD.value,
                        self.encode_palette(*pal, level=level))
        return None

    def encode_parts(
        self,
        frame: np.ndarray,
        x: int,
        y: int,
        w: int,
        h: int,
        *,
        quality: int | None,
        tile: int,
        level: int = DEFAULT_ZSTD_LEVEL,
    ) -> list[Rect]:
        """:meth:`encode_rect`, but a rectangle that would go JPEG whole is cut in two kinds
        of parts: the box of its photo-like tiles (:func:`busy_tiles`) as JPEG, and the bands
        around it, each encoded as :meth:`encode_rect` chooses (text and UI exact).

        Why (issue 16, dsl19): the strip a scroll exposes spans the document's width; with a
        photograph in it, the whole strip went JPEG, text included: on g2g's document
        four times the photograph's pixels, most of a scroll update's bytes on a 4 Mbit/s
        line, and text that stayed blurred until refined. The parts do not overlap and
        cover the rectangle exactly."""
        region = frame[y : y + h, x : x + w]
        px = _as_u32(region)
        exact = self._exact(region, px, x, y, level)
        if exact is not None:
            return [exact]
        if quality is None or w * h <= 4 * tile * tile:
            return [self.encode_rect(frame, x, y, w, h, quality=quality, level=level)]
        busy = busy_tiles(px, x, y, tile)
        rows, cols = np.flatnonzero(busy.any(axis=1)), np.flatnonzero(busy.any(axis=0))
        if rows.size == 0:
            return [Rect(x, y, w, h, Encoding.JPEG.value, encode_jpeg(region, quality))]
        gx, gy = x - x % tile, y - y % tile  # the region's first tile, in frame pixels
        bx0, by0 = max(x, gx + int(cols[0]) * tile), max(y, gy + int(rows[0]) * tile)
        bx1 = min(x + w, gx + (int(cols[-1]) + 1) * tile)
        by1 = min(y + h, gy + (int(rows[-1]) + 1) * tile)
        parts = [
            (x, y, w, by0 - y),  # above the photo's box
            (x, by1, w, y + h - by1),  # below it
            (x, by0, bx0 - x, by1 - by0),  # left of it
            (bx1, by0, x + w - bx1, by1 - by0),  # right of it
        ]
        out = [self.encode_rect(frame, px_, py_, pw, ph, quality=quality, level=level)
               for px_, py_, pw, ph in parts if pw > 0 and ph > 0]
        out.append(Rect(bx0, by0, bx1 - bx0, by1 - by0, Encoding.JPEG.value,
                        encode_jpeg(frame[by0:by1, bx0:bx1], quality)))
        return out
