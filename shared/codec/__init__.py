"""Screen codecs: the wire encodings of a screen rectangle and their exact payload formats.

Frames are numpy ``uint8`` arrays of shape ``(h, w, 4)`` in BGRA byte order (what mss gives). The
fourth byte is carried verbatim by every lossless encoding, so "pixel-exact" means all four bytes.

A ``FrameUpdate`` carries rectangles ``(x, y, w, h, encoding, payload)``. The console applies them
**in order** to its framebuffer; each rectangle must lie inside the frame and have ``w, h >= 1``.
All integers in payloads are little-endian.

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

Every decoder raises only :class:`CodecError` (a :class:`~shared.errors.ProtocolError`) on
malformed input. Functions live in the submodules: ``tiles``, ``scroll``, ``encode``, ``decode``,
``refine``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from shared.errors import ProtocolError

__all__ = ["MAX_DIMENSION", "CodecError", "EncodedRect", "Encoding"]

#: Largest frame width or height either side accepts (guards allocations from untrusted sizes).
MAX_DIMENSION = 16384


class Encoding(enum.IntEnum):
    """Wire id of a rectangle's payload format (see the module docstring for the formats)."""

    SOLID = 0
    RAW_ZSTD = 1
    PALETTE_ZSTD = 2
    JPEG = 3
    COPY = 4


class CodecError(ProtocolError):
    """A rectangle or its payload is malformed: the peer is broken or hostile."""


@dataclass(frozen=True, slots=True)
class EncodedRect:
    """One encoded rectangle; maps 1:1 to ``messages.Rect(x, y, w, h, encoding, payload)``."""

    x: int
    y: int
    w: int
    h: int
    encoding: int
    payload: bytes
