"""The binary messages' bodies: fixed big-endian :mod:`struct` layouts (input, frames,
cursor, flow control, ping, and the technician's proof, which carries raw certificate bytes),
documented on each class in :mod:`shared.messages.types`.

Frames and cursor images are checked against their budgets from the headers, before a payload
is copied. ``ENCODERS`` / ``DECODERS`` are this module's part of the dispatch in
:mod:`shared.messages.wire`.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from shared.codec import MAX_RECTS, FrameBudget, ResourceLimit
from shared.messages.fields import check_cursor_size, fail
from shared.messages.limits import (
    ANNOTATION_KINDS,
    BUTTONS,
    MAX_ANNOTATION_POINTS,
    MAX_CERTIFICATE_SIZE,
    MAX_CLIPBOARD,
    MAX_FILE_CHUNK,
    MAX_MONITORS,
    PROOF_SIGNATURE_SIZE,
)
from shared.messages.types import (
    Annotation,
    AnnotationClear,
    ChooseMonitor,
    ClipboardText,
    CursorShape,
    CursorUpdate,
    FileAck,
    FileChunk,
    FrameAck,
    FrameUpdate,
    Key,
    LaserPointer,
    LinkEstimate,
    Monitor,
    Monitors,
    Ping,
    PointerButton,
    PointerMove,
    Pong,
    Rect,
    TechnicianProof,
    Wheel,
)

_HH = struct.Struct(">HH")
_BBHH = struct.Struct(">BBHH")
_hhHH = struct.Struct(">hhHH")
_BB = struct.Struct(">BB")
_B = struct.Struct(">B")
_I = struct.Struct(">I")
_Q = struct.Struct(">Q")
_FRAME = struct.Struct(">HHIH")
_FRAME_HEAD = struct.Struct(">BHHIH")  # type byte + frame header, to build frames in one join
_RECT = struct.Struct(">HHHHBI")
_CURSOR = struct.Struct(">HHBB")
_SHAPE = struct.Struct(">HHHH")
_H = struct.Struct(">H")
_BHH = struct.Struct(">BHH")
_MONITOR = struct.Struct(">hhHHB")
_STROKE = struct.Struct(">HBH")
_LINK = struct.Struct(">IHHH")
_FILE_AT = struct.Struct(">IQ")  # file id, byte offset (FileChunk's head, FileAck)


def _exact(body: memoryview, layout: struct.Struct, name: str) -> tuple[Any, ...]:
    if len(body) != layout.size:
        raise fail(f"{name} must be {layout.size} bytes, not {len(body)}")
    return layout.unpack(body)


def _flag(value: int, name: str) -> bool:
    if value > 1:
        raise fail(f"{name} must be 0 or 1")
    return value == 1


def _dec_pointer_move(body: memoryview) -> PointerMove:
    x, y = _exact(body, _HH, "PointerMove")
    return PointerMove(x, y)


def _dec_pointer_button(body: memoryview) -> PointerButton:
    index, pressed, x, y = _exact(body, _BBHH, "PointerButton")
    if index >= len(BUTTONS):
        raise fail("unknown mouse button")
    return PointerButton(BUTTONS[index], _flag(pressed, "pressed"), x, y)


def _dec_wheel(body: memoryview) -> Wheel:
    dx, dy, x, y = _exact(body, _hhHH, "Wheel")
    return Wheel(dx, dy, x, y)


def _enc_key(m: Key) -> bytes:
    code = m.code.encode("ascii")
    text = m.text.encode("utf-8")
    return _BB.pack(m.pressed, len(code)) + code + _B.pack(len(text)) + text


def _dec_key(body: memoryview) -> Key:
    if len(body) < 3:
        raise fail("Key is too short")
    pressed, code_len = _BB.unpack_from(body, 0)
    end_code = 2 + code_len
    if len(body) < end_code + 1:
        raise fail("Key is too short")
    text_len = body[end_code]
    if len(body) != end_code + 1 + text_len:
        raise fail("Key has the wrong length")
    try:
        code = bytes(body[2:end_code]).decode("ascii")
        text = bytes(body[end_code + 1 :]).decode("utf-8")
    except UnicodeDecodeError:
        raise fail("Key contains invalid text") from None
    return Key(code=code, text=text, pressed=_flag(pressed, "pressed"))


def _enc_frame(m: FrameUpdate) -> bytes:
    parts = [_FRAME_HEAD.pack(m.TYPE, m.width, m.height, m.seq, len(m.rects))]
    for r in m.rects:
        parts.append(_RECT.pack(r.x, r.y, r.w, r.h, r.encoding, len(r.payload)))
        parts.append(r.payload)
    return b"".join(parts)


def _dec_frame(body: memoryview) -> FrameUpdate:
    size = len(body)
    if size < _FRAME.size:
        raise fail("FrameUpdate is too short")
    width, height, seq, count = _FRAME.unpack_from(body, 0)
    # Budgets before allocation: the screen size, the rect count and each rect's area are
    # checked from the headers, before a payload is copied or a Rect object is made.
    budget = FrameBudget(width, height)
    if count > MAX_RECTS:
        raise ResourceLimit(f"a screen update has more than {MAX_RECTS} rectangles")
    offset = _FRAME.size
    rects: list[Rect] = []
    rect_size = _RECT.size
    for _ in range(count):
        if size - offset < rect_size:
            raise fail("FrameUpdate is cut short")
        x, y, w, h, encoding, length = _RECT.unpack_from(body, offset)
        budget.add(w, h, encoding)
        offset += rect_size
        if size - offset < length:
            raise fail("FrameUpdate rect payload is cut short")
        rects.append(Rect(x, y, w, h, encoding, bytes(body[offset : offset + length])))
        offset += length
    if offset != size:
        raise fail("FrameUpdate has trailing bytes")
    return FrameUpdate(width, height, tuple(rects), seq)


def _enc_cursor(m: CursorUpdate) -> bytes:
    head = _CURSOR.pack(m.x, m.y, m.visible, m.shape is not None)
    if m.shape is None:
        return head
    s = m.shape
    return head + _SHAPE.pack(s.width, s.height, s.hot_x, s.hot_y) + s.rgba


def _dec_cursor(body: memoryview) -> CursorUpdate:
    if len(body) < _CURSOR.size:
        raise fail("CursorUpdate is too short")
    x, y, visible, has_shape = _CURSOR.unpack_from(body, 0)
    shape = None
    if _flag(has_shape, "has_shape"):
        if len(body) < _CURSOR.size + _SHAPE.size:
            raise fail("CursorUpdate is too short")
        w, h, hx, hy = _SHAPE.unpack_from(body, _CURSOR.size)
        # Size checks before the pixels are copied (a hostile 8 MiB "cursor" is not).
        check_cursor_size(w, h)
        if len(body) - _CURSOR.size - _SHAPE.size != w * h * 4:
            raise fail("cursor image size does not match its width and height")
        rgba = bytes(body[_CURSOR.size + _SHAPE.size :])
        shape = CursorShape(w, h, hx, hy, rgba)
    elif len(body) != _CURSOR.size:
        raise fail("CursorUpdate has trailing bytes")
    return CursorUpdate(x, y, _flag(visible, "visible"), shape)


def _dec_frame_ack(body: memoryview) -> FrameAck:
    return FrameAck(*_exact(body, _I, "FrameAck"))


def _dec_ping(body: memoryview) -> Ping:
    return Ping(*_exact(body, _Q, "Ping"))


def _dec_pong(body: memoryview) -> Pong:
    return Pong(*_exact(body, _Q, "Pong"))


def _enc_proof(m: TechnicianProof) -> bytes:
    return _H.pack(len(m.certificate)) + m.certificate + m.signature


def _dec_proof(body: memoryview) -> TechnicianProof:
    if len(body) < _H.size:
        raise fail("TechnicianProof is too short")
    (size,) = _H.unpack_from(body, 0)
    # Both caps from the header, before anything is copied.
    if size > MAX_CERTIFICATE_SIZE:
        raise fail(f"the certificate is larger than {MAX_CERTIFICATE_SIZE} bytes")
    if len(body) != _H.size + size + PROOF_SIGNATURE_SIZE:
        raise fail("TechnicianProof has the wrong length")
    return TechnicianProof(bytes(body[_H.size:_H.size + size]), bytes(body[_H.size + size:]))


def _enc_monitors(m: Monitors) -> bytes:
    return _BB.pack(m.shared, len(m.monitors)) + b"".join(
        _MONITOR.pack(x.x, x.y, x.width, x.height, x.primary) for x in m.monitors)


def _dec_monitors(body: memoryview) -> Monitors:
    if len(body) < _BB.size:
        raise fail("Monitors is too short")
    shared, count = _BB.unpack_from(body, 0)
    if not 1 <= count <= MAX_MONITORS:  # from the header, before anything is built
        raise fail(f"a monitor list has 1 to {MAX_MONITORS} monitors")
    if len(body) != _BB.size + count * _MONITOR.size:
        raise fail("Monitors has the wrong length")
    monitors = []
    for i in range(count):
        x, y, w, h, primary = _MONITOR.unpack_from(body, _BB.size + i * _MONITOR.size)
        monitors.append(Monitor(x, y, w, h, _flag(primary, "primary")))
    return Monitors(tuple(monitors), shared)


def _dec_choose_monitor(body: memoryview) -> ChooseMonitor:
    return ChooseMonitor(*_exact(body, _B, "ChooseMonitor"))


def _dec_link(body: memoryview) -> LinkEstimate:
    return LinkEstimate(*_exact(body, _LINK, "LinkEstimate"))


def _dec_laser(body: memoryview) -> LaserPointer:
    visible, x, y = _exact(body, _BHH, "LaserPointer")
    return LaserPointer(_flag(visible, "visible"), x, y)


def _enc_annotation(m: Annotation) -> bytes:
    head = _STROKE.pack(m.stroke, ANNOTATION_KINDS.index(m.kind), len(m.points))
    return head + b"".join(_HH.pack(x, y) for x, y in m.points)


def _dec_annotation(body: memoryview) -> Annotation:
    if len(body) < _STROKE.size:
        raise fail("Annotation is too short")
    stroke, kind, count = _STROKE.unpack_from(body, 0)
    if kind >= len(ANNOTATION_KINDS):
        raise fail("unknown annotation kind")
    if not 1 <= count <= MAX_ANNOTATION_POINTS:  # from the header, before anything is built
        raise fail(f"an annotation has 1 to {MAX_ANNOTATION_POINTS} points")
    if len(body) != _STROKE.size + count * _HH.size:
        raise fail("Annotation has the wrong length")
    points = tuple(_HH.unpack_from(body, _STROKE.size + i * _HH.size) for i in range(count))
    return Annotation(stroke, ANNOTATION_KINDS[kind], points)


def _dec_annotation_clear(body: memoryview) -> AnnotationClear:
    if len(body):
        raise fail("AnnotationClear has no body")
    return AnnotationClear()


def _dec_clipboard(body: memoryview) -> ClipboardText:
    if not 1 <= len(body) <= MAX_CLIPBOARD:  # before anything is copied or decoded
        raise fail(f"clipboard text has 1 to {MAX_CLIPBOARD} bytes")
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise fail("clipboard text is not valid UTF-8") from None
    return ClipboardText(text)


def _dec_file_chunk(body: memoryview) -> FileChunk:
    size = len(body) - _FILE_AT.size
    if not 1 <= size <= MAX_FILE_CHUNK:  # from the length, before the data is copied
        raise fail(f"a file chunk has 1 to {MAX_FILE_CHUNK} bytes")
    file_id, offset = _FILE_AT.unpack_from(body, 0)
    return FileChunk(file_id, offset, bytes(body[_FILE_AT.size:]))


def _dec_file_ack(body: memoryview) -> FileAck:
    return FileAck(*_exact(body, _FILE_AT, "FileAck"))


ENCODERS: dict[type, Callable[[Any], bytes]] = {
    TechnicianProof: _enc_proof,
    PointerMove: lambda m: _HH.pack(m.x, m.y),
    PointerButton: lambda m: _BBHH.pack(BUTTONS.index(m.button), m.pressed, m.x, m.y),
    Wheel: lambda m: _hhHH.pack(m.dx, m.dy, m.x, m.y),
    Key: _enc_key,
    FrameUpdate: _enc_frame,  # with its type byte: see shared.messages.wire.encode
    FrameAck: lambda m: _I.pack(m.seq),
    CursorUpdate: _enc_cursor,
    Ping: lambda m: _Q.pack(m.t),
    Pong: lambda m: _Q.pack(m.t),
    Monitors: _enc_monitors,
    ChooseMonitor: lambda m: _B.pack(m.index),
    LinkEstimate: lambda m: _LINK.pack(m.rate_bytes_per_s, m.rtt_ms, m.min_rtt_ms, m.queue_ms),
    LaserPointer: lambda m: _BHH.pack(m.visible, m.x, m.y),
    Annotation: _enc_annotation,
    AnnotationClear: lambda m: b"",
    ClipboardText: lambda m: m.text.encode("utf-8"),
    FileChunk: lambda m: _FILE_AT.pack(m.id, m.offset) + m.data,
    FileAck: lambda m: _FILE_AT.pack(m.id, m.offset),
}

DECODERS: dict[int, Callable[[memoryview], Any]] = {
    TechnicianProof.TYPE: _dec_proof,
    PointerMove.TYPE: _dec_pointer_move,
    PointerButton.TYPE: _dec_pointer_button,
    Wheel.TYPE: _dec_wheel,
    Key.TYPE: _dec_key,
    FrameUpdate.TYPE: _dec_frame,
    FrameAck.TYPE: _dec_frame_ack,
    CursorUpdate.TYPE: _dec_cursor,
    Ping.TYPE: _dec_ping,
    Pong.TYPE: _dec_pong,
    Monitors.TYPE: _dec_monitors,
    ChooseMonitor.TYPE: _dec_choose_monitor,
    LinkEstimate.TYPE: _dec_link,
    LaserPointer.TYPE: _dec_laser,
    Annotation.TYPE: _dec_annotation,
    AnnotationClear.TYPE: _dec_annotation_clear,
    ClipboardText.TYPE: _dec_clipboard,
    FileChunk.TYPE: _dec_file_chunk,
    FileAck.TYPE: _dec_file_ack,
}
