"""Screen codecs: the wire encodings of a screen rectangle and their exact payload formats.

Frames are numpy ``uint8`` arrays of shape ``(h, w, 4)`` in BGRA byte order (what mss gives). The
fourth byte is carried verbatim by every lossless encoding, so "pixel-exact" means all four bytes.

A ``FrameUpdate`` carries rectangles ``(x, y, w, h, encoding, payload)``
(:class:`shared.messages.Rect`, the one rectangle type from the encoder to the framebuffer). The
console applies them **in order** to its framebuffer; each rectangle must lie inside the frame and
have ``w, h >= 1``. All integers in payloads are little-endian.

Payload of each :class:`Encoding`:

``SOLID`` (0)
    Exactly 4 bytes ``B G R A``: fill the rectangle with this colour.
``RAW_ZSTD`` (1)
    1 byte ``channels`` (3 = BGR, alpha becomes 255; 4 = BGRA), then one zstd frame that
    decompresses to exactly ``w * h * channels`` bytes, rows top to bottom, no padding.
``PALETTE_ZSTD`` (2)
    1 byte ``n - 1`` (``n`` = palette size, 1..256), then ``n * 4`` bytes of palette entries
    ``B G R A``, then one zstd frame that decompresses to exactly ``w * h`` bytes: one palette index
    per pixel, rows top to bottom. An index ``>= n`` is malformed.
``JPEG`` (3)
    A baseline JFIF stream (libjpeg-turbo via simplejpeg) whose image is exactly ``w x h``; alpha of
    the decoded pixels becomes 255. Lossy: the agent re-sends such areas losslessly once they rest.
``COPY`` (4)
    8 bytes ``src_x: uint32, src_y: uint32``: copy the ``w x h`` block whose top-left corner is
    ``(src_x, src_y)`` in the framebuffer *as it is when this rectangle is applied* to ``(x, y)``.
    Source and destination may overlap (memmove semantics). Used for scrolling and moved content;
    the agent sends COPY rectangles first in an update.
``VIDEO`` (5)
    1 byte flags (bit 0 = keyframe: the decoder starts a new stream; any other bit set is
    malformed), then one H.264 Annex-B access unit (libx264 through PyAV) of a picture of
    exactly ``w x h`` pixels (both even); alpha becomes 255. A non-keyframe with no stream
    running, or continuing a stream of another size, is malformed. Lossy like JPEG: the agent
    sends it only while a large region keeps moving (``motion``) and re-sends the region
    losslessly once it rests. At most ``2*w*h + 65536`` payload bytes (``video``).

Every decoder raises only :class:`CodecError` (a :class:`~shared.errors.ProtocolError`) on
malformed input, and :class:`ResourceLimit` (a ``CodecError``) on input that is well formed but
would cost more memory or CPU than any honest agent needs: the peer may be hostile, so every
size below is checked *before* anything is allocated for it (:class:`FrameBudget`).

Budgets (one definition each; ``shared.messages`` takes them from here):

* a frame is at most :data:`MAX_DIMENSION` pixels per side and :data:`MAX_FRAME_PIXELS` in all
  (two 4K monitors side by side, 7680x2160, fit; a console then holds 64 MiB per BGRA copy);
* one update has at most :data:`MAX_RECTS` rectangles whose areas add up to at most
  :data:`MAX_TOUCH_FACTOR` times the frame (the agent's moves never overlap each other, its
  other rectangles never overlap each other: an honest update touches each pixel at most twice);
* the codec output of one update (zstd, JPEG and video) is at most :data:`MAX_DECODED_BYTES`;
* one JPEG rect has at most :data:`MAX_JPEG_PIXELS` (libjpeg decodes a rect into a buffer of its
  own: this bounds that buffer; the agent's JPEG rects are at most 4 tile rows, 8192x256).

Functions live in the submodules: ``tiles``, ``scroll``, ``encode``, ``decode``, ``refine``,
``jpeg``, ``frame`` (the frame encoder), ``motion`` (when a region goes to video) and ``video``
(the H.264 stream).
"""

from __future__ import annotations

import enum

from shared.errors import ProtocolError

__all__ = [
    "MAX_DECODED_BYTES",
    "MAX_DIMENSION",
    "MAX_FRAME_PIXELS",
    "MAX_JPEG_PIXELS",
    "MAX_RECTS",
    "MAX_TOUCH_FACTOR",
    "CodecError",
    "Encoding",
    "FrameBudget",
    "ResourceLimit",
    "check_frame_size",
]

#: Largest frame width or height either side accepts (guards allocations from untrusted sizes).
MAX_DIMENSION = 8192
#: Largest frame area: 16 Mi pixels (7680x2160, 3840x4320 and 8192x2048 fit), 64 MiB as BGRA.
MAX_FRAME_PIXELS = 1 << 24
#: Most rectangles in one update: four times the 64-px tiles of the largest frame.
MAX_RECTS = 4 * MAX_FRAME_PIXELS // (64 * 64)
#: The rectangles of one update cover at most this many times the frame's area.
MAX_TOUCH_FACTOR = 2
#: Most bytes the zstd and JPEG decoders may produce for one update (a whole BGRA frame).
MAX_DECODED_BYTES = 4 * MAX_FRAME_PIXELS
#: Largest JPEG rect: 4 Mi pixels (16 MiB decoded), twice the agent's largest (8192x256).
MAX_JPEG_PIXELS = 1 << 22


class Encoding(enum.IntEnum):
    """Wire id of a rectangle's payload format (see the module docstring for the formats)."""

    SOLID = 0
    RAW_ZSTD = 1
    PALETTE_ZSTD = 2
    JPEG = 3
    COPY = 4
    VIDEO = 5


class CodecError(ProtocolError):
    """A rectangle or its payload is malformed: the peer is broken or hostile."""


class ResourceLimit(CodecError):
    """Well-formed input that would cost more memory or CPU than the budgets allow."""


def _decoded_bytes(w: int, h: int, encoding: int) -> int:
    """Bytes the decoder of ``encoding`` produces for a ``w x h`` rect (RAW counts 4 channels)."""
    if encoding in (Encoding.RAW_ZSTD, Encoding.JPEG, Encoding.VIDEO):
        return 4 * w * h
    if encoding == Encoding.PALETTE_ZSTD:
        return w * h
    return 0


class FrameBudget:
    """Running totals of one update, checked before each rectangle is allocated or decoded.

    Why a class: the message parser checks each rect header before it copies the payload, so a
    27-byte update cannot make anyone allocate a 16384x16384 screen or 65535 rect objects.
    """

    __slots__ = ("area", "count", "decoded", "max_touch", "touched")

    def __init__(self, width: int, height: int) -> None:
        check_frame_size(width, height)
        self.area = width * height
        self.max_touch = MAX_TOUCH_FACTOR * self.area
        self.count = 0
        self.touched = 0
        self.decoded = 0

    def add(self, w: int, h: int, encoding: int) -> None:
        """Account one ``w x h`` rect; ResourceLimit once the update exceeds a budget."""
        self.count += 1
        if self.count > MAX_RECTS:
            raise ResourceLimit(f"a screen update has more than {MAX_RECTS} rectangles")
        if encoding == Encoding.JPEG and w * h > MAX_JPEG_PIXELS:
            raise ResourceLimit(f"a JPEG rectangle of {w}x{h} pixels is larger than the "
                                f"supported {MAX_JPEG_PIXELS} pixels")
        self.touched += w * h
        if self.touched > self.max_touch:
            raise ResourceLimit(
                f"the rectangles of one screen update cover more than {MAX_TOUCH_FACTOR} times "
                "the screen")
        self.decoded += _decoded_bytes(w, h, encoding)
        if self.decoded > MAX_DECODED_BYTES:
            raise ResourceLimit(
                f"one screen update would decode to more than {MAX_DECODED_BYTES} bytes")


def check_frame_size(width: int, height: int) -> None:
    """ResourceLimit unless ``width x height`` is within :data:`MAX_DIMENSION` and the area cap."""
    if not (1 <= width <= MAX_DIMENSION and 1 <= height <= MAX_DIMENSION):
        raise ResourceLimit(
            f"a screen of {width}x{height} pixels is larger than the supported "
            f"{MAX_DIMENSION}x{MAX_DIMENSION}")
    if width * height > MAX_FRAME_PIXELS:
        raise ResourceLimit(
            f"a screen of {width}x{height} pixels has more than the supported "
            f"{MAX_FRAME_PIXELS} pixels")
