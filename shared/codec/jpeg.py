"""Check that untrusted JPEG bytes are a plain baseline image before libjpeg sees them.

Why: libjpeg accepts progressive, arithmetic-coded, 12-bit and multi-scan streams. A progressive
stream with thousands of scans makes it walk the whole coefficient buffer once per scan: minutes of
CPU for one 8 MiB message. The agent only ever sends what simplejpeg's encoder makes (baseline,
SOF0, 8-bit, one interleaved scan), so that is all the console accepts; anything else is a
:class:`~shared.codec.CodecError` found by walking the marker segments, which costs microseconds
for the headers and one C-speed search over the entropy-coded data.

Accepted stream: ``SOI``, then any of ``APPn``/``COM``/``DQT`` (8-bit tables)/``DHT``/``DRI``,
exactly one ``SOF0`` (precision 8, size ``w x h``, 1 or 3 components with sampling factors 1..4),
then exactly one ``SOS`` carrying every component with ``Ss=0, Se=63, Ah=Al=0``, its entropy-coded
data (byte stuffing and ``RSTn`` markers allowed) and ``EOI`` as the very last two bytes.
"""

from __future__ import annotations

import re
import struct

from shared.codec import CodecError

__all__ = ["check_baseline"]

_SOI, _EOI, _SOF0, _DHT, _SOS, _DQT, _DRI, _COM = 0xD8, 0xD9, 0xC0, 0xC4, 0xDA, 0xDB, 0xDD, 0xFE
#: Segments allowed before the scan, besides SOF0 and SOS: tables, restart interval, metadata.
_TABLES = frozenset({_DHT, _DQT, _DRI, _COM, *range(0xE0, 0xF0)})
#: A marker inside entropy-coded data: 0xFF followed by anything but 0x00 (stuffing), RSTn or
#: another 0xFF (fill byte before a marker).
_MARKER_IN_SCAN = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")
_H = struct.Struct(">H")


def _fail(what: str) -> CodecError:
    return CodecError(f"JPEG rejected: {what} (only baseline single-scan JPEG is accepted)")


def _check_dqt(seg: memoryview) -> None:
    """Baseline quantisation tables are 8-bit (Pq = 0) with ids 0..3, 64 bytes each."""
    pos = 0
    while pos < len(seg):
        pq, tq = seg[pos] >> 4, seg[pos] & 0x0F
        if pq != 0 or tq > 3:
            raise _fail("a quantisation table is not an 8-bit baseline table")
        pos += 65
    if pos != len(seg):
        raise _fail("a quantisation table segment has the wrong length")


def _check_sof0(seg: memoryview, w: int, h: int) -> list[int]:
    """Frame header: 8-bit, exactly ``w x h``, 1 or 3 components. Returns the component ids."""
    if len(seg) < 6:
        raise _fail("the frame header is too short")
    precision = seg[0]
    height, width = _H.unpack_from(seg, 1)[0], _H.unpack_from(seg, 3)[0]
    count = seg[5]
    if precision != 8:
        raise _fail(f"{precision}-bit samples")
    if (width, height) != (w, h):
        raise _fail(f"the image is {width}x{height}, the rectangle {w}x{h}")
    if count not in (1, 3) or len(seg) != 6 + 3 * count:
        raise _fail("the frame header has a wrong number of components")
    ids = []
    for i in range(count):
        cid, sampling, tq = seg[6 + 3 * i], seg[7 + 3 * i], seg[8 + 3 * i]
        if not (1 <= sampling >> 4 <= 4 and 1 <= sampling & 0x0F <= 4) or tq > 3:
            raise _fail("a component has invalid sampling factors or table")
        if cid in ids:
            raise _fail("two components have the same id")
        ids.append(cid)
    return ids


def _check_sos(seg: memoryview, ids: list[int]) -> None:
    """The one scan holds every component, sequential: Ss=0, Se=63, Ah=Al=0."""
    if len(seg) < 1:
        raise _fail("the scan header is too short")
    count = seg[0]
    if count != len(ids) or len(seg) != 1 + 2 * count + 3:
        raise _fail("the scan does not carry every component at once")
    scan_ids = [seg[1 + 2 * i] for i in range(count)]
    if sorted(scan_ids) != sorted(ids):
        raise _fail("the scan names unknown components")
    for i in range(count):
        tables = seg[2 + 2 * i]
        if tables >> 4 > 1 or tables & 0x0F > 1:
            raise _fail("a scan uses a Huffman table a baseline decoder does not have")
    ss, se, a = seg[1 + 2 * count], seg[2 + 2 * count], seg[3 + 2 * count]
    if (ss, se, a) != (0, 63, 0):
        raise _fail("the scan is progressive")


def check_baseline(data: bytes | memoryview, w: int, h: int) -> None:
    """Raise :class:`CodecError` unless ``data`` is a baseline single-scan ``w x h`` JPEG."""
    mv = memoryview(data).cast("B")
    size = len(mv)
    if size < 4 or mv[0] != 0xFF or mv[1] != _SOI:
        raise _fail("it does not start with a JPEG start-of-image marker")
    pos = 2
    ids: list[int] | None = None
    while True:
        if pos + 4 > size:
            raise _fail("the header is cut short")
        if mv[pos] != 0xFF:
            raise _fail("garbage between header segments")
        marker = mv[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length = _H.unpack_from(mv, pos + 2)[0]
        if length < 2 or pos + 2 + length > size:
            raise _fail("a header segment has an impossible length")
        seg = mv[pos + 4 : pos + 2 + length]
        pos += 2 + length
        if marker == _SOF0:
            if ids is not None:
                raise _fail("more than one frame header")
            ids = _check_sof0(seg, w, h)
        elif marker == _SOS:
            if ids is None:
                raise _fail("the scan comes before the frame header")
            _check_sos(seg, ids)
            break
        elif marker == _DQT:
            _check_dqt(seg)
        elif marker not in _TABLES:
            # SOF1..SOF15 (extended, progressive, lossless, arithmetic), DAC, DNL, EXP, ...
            raise _fail(f"marker 0x{marker:02X} is not allowed")
    # Entropy-coded data: the only marker allowed after it is EOI, as the last two bytes.
    found = _MARKER_IN_SCAN.search(mv, pos)
    if found is None:
        raise _fail("the image data has no end marker")
    if found.group()[1] != _EOI:
        raise _fail(f"marker 0x{found.group()[1]:02X} after the scan (a second scan?)")
    if found.end() != size:
        raise _fail("bytes after the end-of-image marker")
