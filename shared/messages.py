"""Message set v1: what travels inside the encrypted channel.

Every message is one byte of type, then the body. Two body styles:

* **Control messages** (rare, small, read by people or policy): UTF-8 JSON object, strictly
  checked: exact key set, exact types (``true`` is not a number, ``1.0`` is not an integer),
  no duplicate keys, no NaN/Infinity, length caps on strings, body at most 64 KiB.
* **High-rate messages** (input, frames, cursor, flow control, ping): fixed big-endian
  :mod:`struct` layouts, documented on each class; strings inside are length-prefixed UTF-8.

Validation lives in each dataclass's ``__post_init__``, so a message that can be built can be
encoded, and :func:`decode` applies the very same rules to what arrives. Everything that is wrong
with received bytes raises :class:`~shared.errors.ProtocolError` (or a subclass), never another
exception type.

A :class:`Hello` with another protocol version raises :class:`~shared.errors.UnsupportedVersion`
from :func:`decode` before its other fields are checked (a newer peer may have more fields), so the
session can answer "please update".

Type bytes (wire contract, never reuse a number):

====  =================  ====  =================
0x01  Hello              0x10  PointerMove
0x02  ConsentRequest     0x11  PointerButton
0x03  ConsentDecision    0x12  Wheel
0x04  PermissionChange   0x13  Key
0x05  ChatText           0x20  FrameUpdate
0x06  End                0x21  FrameAck
0x07  Error              0x22  CursorUpdate
                         0x23  StreamSettings
                         0x30  Ping
                         0x31  Pong
====  =================  ====  =================
"""

from __future__ import annotations

import json
import re
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from shared.codec import MAX_DIMENSION as MAX_DIMENSION  # re-exported: the coordinate bound
from shared.codec import MAX_RECTS, FrameBudget, ResourceLimit
from shared.errors import MessageTooLarge, ProtocolError, UnsupportedVersion
from shared.text import PROBLEMS, name_problem

PROTOCOL_VERSION = 1
MAX_PLAINTEXT = 8 * 1024 * 1024
# MAX_DIMENSION (largest screen width/height) and the other frame budgets are defined once, in
# shared.codec; a FrameUpdate over them raises ResourceLimit.
#: Largest x or y of a pointer, cursor or rectangle: the last pixel of the largest screen.
MAX_COORDINATE = MAX_DIMENSION - 1
MAX_CONTROL_BODY = 64 * 1024
MAX_APP_VERSION = 32
MAX_CHAT = 4096
MAX_ERROR_MESSAGE = 1024
MAX_KEY_CODE = 32
MAX_KEY_TEXT = 32  # UTF-8 bytes
MAX_CURSOR = 256  # largest cursor image side (a budget, like the frame budgets)
MAX_QUALITY = 100
MAX_BYTES_PER_S = 0xFFFFFFFF  # 4 GB/s; 0 means unlimited

PERMISSIONS: frozenset[str] = frozenset({"view", "control", "clipboard", "files", "chat"})
ROLES: frozenset[str] = frozenset({"agent", "console"})
BUTTONS: tuple[str, ...] = ("left", "middle", "right", "back", "forward")
END_REASONS: frozenset[str] = frozenset(
    {
        "customer_ended",
        "technician_ended",
        "denied",
        "timeout",
        "wrong_code",
        "error",
        "unsupported_version",
        "peer_gone",
    }
)

_STABLE_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
_KEY_CODE = re.compile(r"[A-Za-z0-9]{1,32}")
# Format characters (bidi controls, zero-width characters...) and line/paragraph separators
# could make text read differently from what it is; no text field of any message may hold them.
_HIDDEN_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


# --------------------------------------------------------------------------------------------
# Field checks (shared by construction and decoding)


def _fail(what: str) -> ProtocolError:
    return ProtocolError(f"Malformed message from the other side: {what}.")


def _int(value: object, name: str, lo: int, hi: int) -> None:
    if type(value) is not int:
        raise _fail(f"{name} must be an integer")
    if not lo <= value <= hi:
        raise _fail(f"{name} = {value} is outside {lo}..{hi}")


def _bool(value: object, name: str) -> None:
    if type(value) is not bool:
        raise _fail(f"{name} must be true or false")


def _text(
    value: object,
    name: str,
    max_chars: int,
    *,
    min_chars: int = 0,
    allow_newlines: bool = False,
) -> None:
    if type(value) is not str:
        raise _fail(f"{name} must be text")
    if not min_chars <= len(value) <= max_chars:
        raise _fail(f"{name} must have {min_chars} to {max_chars} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(f"{name} is not valid Unicode") from None
    for ch in value:
        if (ch < " " or "\x7f" <= ch < "\xa0") and not (allow_newlines and ch in "\n\t"):
            raise _fail(f"{name} contains a control character")
        if ch > "\x7f" and unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            raise _fail(f"{name} contains an invisible formatting, text-direction or "
                        "line-separator character")


def _name(value: object, name: str) -> None:
    """A name a person reads (technician, organisation): the one rule in :mod:`shared.text`."""
    problem = name_problem(value)
    if problem is not None:
        raise _fail(f"{name} {PROBLEMS[problem]}")


def _stable_id(value: object, name: str) -> None:
    if type(value) is not str or not _STABLE_ID.fullmatch(value):
        raise _fail(f"{name} must be a short lowercase identifier")


def _permissions(value: object, name: str = "permissions") -> None:
    if type(value) is not frozenset:
        raise _fail(f"{name} must be a frozenset")
    for item in value:
        if type(item) is not str or item not in PERMISSIONS:
            raise _fail(f"{name} contains an unknown permission")


def _bytes(value: object, name: str) -> None:
    if type(value) is not bytes:
        raise _fail(f"{name} must be bytes")


# --------------------------------------------------------------------------------------------
# Messages


@dataclass(frozen=True)
class Hello:
    """First message of each side after the handshake: who is speaking, in which version."""

    TYPE: ClassVar[int] = 0x01
    protocol_version: int
    app_version: str
    role: Literal["agent", "console"]
    name: str
    organisation: str = ""

    def __post_init__(self) -> None:
        _int(self.protocol_version, "protocol_version", 0, 0xFFFF)
        _text(self.app_version, "app_version", MAX_APP_VERSION)
        if type(self.role) is not str or self.role not in ROLES:
            raise _fail("role must be 'agent' or 'console'")
        _name(self.name, "name")
        _name(self.organisation, "organisation")


@dataclass(frozen=True)
class ConsentRequest:
    """The console asks for permissions; at least one."""

    TYPE: ClassVar[int] = 0x02
    permissions: frozenset[str]

    def __post_init__(self) -> None:
        _permissions(self.permissions)
        if not self.permissions:
            raise _fail("a consent request must ask for at least one permission")


@dataclass(frozen=True)
class ConsentDecision:
    """The customer's answer. A denial grants nothing."""

    TYPE: ClassVar[int] = 0x03
    allowed: bool
    permissions: frozenset[str]

    def __post_init__(self) -> None:
        _bool(self.allowed, "allowed")
        _permissions(self.permissions)
        if not self.allowed and self.permissions:
            raise _fail("a denial cannot grant permissions")


@dataclass(frozen=True)
class PermissionChange:
    """The customer changed what is granted (e.g. revoked control); the full new set."""

    TYPE: ClassVar[int] = 0x04
    permissions: frozenset[str]

    def __post_init__(self) -> None:
        _permissions(self.permissions)


@dataclass(frozen=True)
class ChatText:
    """A chat line (needs the ``chat`` permission, enforced by the session)."""

    TYPE: ClassVar[int] = 0x05
    text: str

    def __post_init__(self) -> None:
        _text(self.text, "text", MAX_CHAT, min_chars=1, allow_newlines=True)


@dataclass(frozen=True)
class End:
    """Orderly end of the session; ``reason`` is a stable identifier (see ``END_REASONS``)."""

    TYPE: ClassVar[int] = 0x06
    reason: str

    def __post_init__(self) -> None:
        _stable_id(self.reason, "reason")


@dataclass(frozen=True)
class Error:
    """Something went wrong; ``code`` is stable for programs, ``message`` is for people."""

    TYPE: ClassVar[int] = 0x07
    code: str
    message: str

    def __post_init__(self) -> None:
        _stable_id(self.code, "code")
        _text(self.message, "message", MAX_ERROR_MESSAGE, allow_newlines=True)


@dataclass(frozen=True)
class PointerMove:
    """Absolute pointer position in the agent's screen coordinates. Body ``>HH`` x, y."""

    TYPE: ClassVar[int] = 0x10
    x: int
    y: int

    def __post_init__(self) -> None:
        _int(self.x, "x", 0, MAX_COORDINATE)
        _int(self.y, "y", 0, MAX_COORDINATE)


@dataclass(frozen=True)
class PointerButton:
    """A mouse button went down or up at (x, y). Body ``>BBHH`` button index, pressed, x, y."""

    TYPE: ClassVar[int] = 0x11
    button: Literal["left", "middle", "right", "back", "forward"]
    pressed: bool
    x: int
    y: int

    def __post_init__(self) -> None:
        if type(self.button) is not str or self.button not in BUTTONS:
            raise _fail("unknown mouse button")
        _bool(self.pressed, "pressed")
        _int(self.x, "x", 0, MAX_COORDINATE)
        _int(self.y, "y", 0, MAX_COORDINATE)


@dataclass(frozen=True)
class Wheel:
    """Wheel steps at (x, y); positive dy scrolls down, positive dx right. Body ``>hhHH``."""

    TYPE: ClassVar[int] = 0x12
    dx: int
    dy: int
    x: int
    y: int

    def __post_init__(self) -> None:
        _int(self.dx, "dx", -0x8000, 0x7FFF)
        _int(self.dy, "dy", -0x8000, 0x7FFF)
        _int(self.x, "x", 0, MAX_COORDINATE)
        _int(self.y, "y", 0, MAX_COORDINATE)


@dataclass(frozen=True)
class Key:
    """A key went down or up.

    ``code`` is the physical key identity in W3C ``KeyboardEvent.code`` style (``KeyA``,
    ``ShiftLeft``, ``Enter``, ``F5``) so shortcuts work; ``text`` is what it produced on the
    technician's layout (may be empty) so typing works across layouts.
    Body ``>BB`` pressed, len(code), code (ASCII), ``>B`` len(text), text (UTF-8).
    """

    TYPE: ClassVar[int] = 0x13
    code: str
    text: str
    pressed: bool

    def __post_init__(self) -> None:
        if type(self.code) is not str or not _KEY_CODE.fullmatch(self.code):
            raise _fail("key code must be 1-32 ASCII letters or digits, like 'KeyA'")
        if type(self.text) is not str:
            raise _fail("key text must be text")
        try:
            size = len(self.text.encode("utf-8"))
        except UnicodeEncodeError:
            raise _fail("key text is not valid Unicode") from None
        if size > MAX_KEY_TEXT:
            raise _fail(f"key text longer than {MAX_KEY_TEXT} bytes")
        _bool(self.pressed, "pressed")


@dataclass(frozen=True)
class Rect:
    """One updated screen rectangle; ``encoding`` names the codec (see ``shared.codec``).

    Wire: ``>HHHHBI`` x, y, w, h, encoding, len(payload), then payload.
    """

    x: int
    y: int
    w: int
    h: int
    encoding: int
    payload: bytes

    def __post_init__(self) -> None:
        _int(self.x, "rect x", 0, MAX_COORDINATE)
        _int(self.y, "rect y", 0, MAX_COORDINATE)
        _int(self.w, "rect width", 1, MAX_DIMENSION)
        _int(self.h, "rect height", 1, MAX_DIMENSION)
        _int(self.encoding, "rect encoding", 0, 0xFF)
        _bytes(self.payload, "rect payload")


@dataclass(frozen=True)
class FrameUpdate:
    """Changed parts of the screen; every rect lies inside ``width`` x ``height``.

    Within the budgets of :class:`shared.codec.FrameBudget` (screen area, rect count, covered
    area, decoded bytes), else :class:`shared.codec.ResourceLimit`.

    Wire: ``>HHIH`` width, height, seq, number of rects, then the rects.
    """

    TYPE: ClassVar[int] = 0x20
    width: int
    height: int
    rects: tuple[Rect, ...]
    seq: int

    def __post_init__(self) -> None:
        _int(self.width, "screen width", 1, 0xFFFF)  # the budget says what is too big
        _int(self.height, "screen height", 1, 0xFFFF)
        _int(self.seq, "seq", 0, 0xFFFFFFFF)
        budget = FrameBudget(self.width, self.height)
        if type(self.rects) is not tuple:
            raise _fail("rects must be a tuple")
        for rect in self.rects:
            if type(rect) is not Rect:
                raise _fail("rects must contain Rect values")
            budget.add(rect.w, rect.h, rect.encoding)
            if rect.x + rect.w > self.width or rect.y + rect.h > self.height:
                raise _fail(
                    f"rect {rect.w}x{rect.h} at ({rect.x}, {rect.y}) reaches outside the "
                    f"{self.width}x{self.height} screen"
                )


@dataclass(frozen=True)
class FrameAck:
    """The console has shown frame ``seq``: one flow-control credit back. Body ``>I``."""

    TYPE: ClassVar[int] = 0x21
    seq: int

    def __post_init__(self) -> None:
        _int(self.seq, "seq", 0, 0xFFFFFFFF)


def _cursor_size(width: object, height: object) -> None:
    """A cursor image of at most MAX_CURSOR x MAX_CURSOR (a budget: ResourceLimit beyond)."""
    _int(width, "cursor width", 1, 0xFFFF)
    _int(height, "cursor height", 1, 0xFFFF)
    if width > MAX_CURSOR or height > MAX_CURSOR:  # type: ignore[operator]
        raise ResourceLimit(f"a cursor image of {width}x{height} pixels is larger than the "
                            f"supported {MAX_CURSOR}x{MAX_CURSOR}")


@dataclass(frozen=True)
class CursorShape:
    """A cursor image: ``width*height*4`` bytes of straight RGBA, hot spot inside."""

    width: int
    height: int
    hot_x: int
    hot_y: int
    rgba: bytes

    def __post_init__(self) -> None:
        _cursor_size(self.width, self.height)
        _int(self.hot_x, "cursor hot_x", 0, self.width - 1)
        _int(self.hot_y, "cursor hot_y", 0, self.height - 1)
        _bytes(self.rgba, "cursor rgba")
        if len(self.rgba) != self.width * self.height * 4:
            raise _fail("cursor image size does not match its width and height")


@dataclass(frozen=True)
class CursorUpdate:
    """Where the agent's pointer is and, when it changed, its shape.

    Wire: ``>HHBB`` x, y, visible, has_shape; then if has_shape ``>HHHH`` width, height,
    hot_x, hot_y and the RGBA bytes.
    """

    TYPE: ClassVar[int] = 0x22
    x: int
    y: int
    visible: bool
    shape: CursorShape | None = None

    def __post_init__(self) -> None:
        _int(self.x, "cursor x", 0, MAX_COORDINATE)
        _int(self.y, "cursor y", 0, MAX_COORDINATE)
        _bool(self.visible, "visible")
        if self.shape is not None and type(self.shape) is not CursorShape:
            raise _fail("cursor shape must be a CursorShape")


@dataclass(frozen=True)
class StreamSettings:
    """The technician's choice of picture quality and bandwidth cap (console → agent only).

    ``quality`` is the JPEG quality 1..100 for changing photo-like areas, or 0 for lossless
    only; ``max_bytes_per_s`` caps the average send rate, 0 = unlimited. A control message (JSON
    body ``{"max_bytes_per_s": int, "quality": int}``): rare, and read by policy.
    """

    TYPE: ClassVar[int] = 0x23
    quality: int
    max_bytes_per_s: int

    def __post_init__(self) -> None:
        _int(self.quality, "quality", 0, MAX_QUALITY)
        _int(self.max_bytes_per_s, "max_bytes_per_s", 0, MAX_BYTES_PER_S)


@dataclass(frozen=True)
class Ping:
    """Round-trip probe; ``t`` is the sender's opaque timestamp, echoed by Pong. Body ``>Q``."""

    TYPE: ClassVar[int] = 0x30
    t: int

    def __post_init__(self) -> None:
        _int(self.t, "t", 0, 0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class Pong:
    """Answer to :class:`Ping` with the same ``t``. Body ``>Q``."""

    TYPE: ClassVar[int] = 0x31
    t: int

    def __post_init__(self) -> None:
        _int(self.t, "t", 0, 0xFFFFFFFFFFFFFFFF)


Message = (
    Hello
    | ConsentRequest
    | ConsentDecision
    | PermissionChange
    | ChatText
    | End
    | Error
    | PointerMove
    | PointerButton
    | Wheel
    | Key
    | FrameUpdate
    | FrameAck
    | CursorUpdate
    | StreamSettings
    | Ping
    | Pong
)

# --------------------------------------------------------------------------------------------
# JSON control bodies


def _json_body(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _fail(f"field {key!r} appears twice")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise _fail(f"{name} is not allowed")


def _parse_json(body: memoryview, name: str) -> dict[str, Any]:
    if len(body) > MAX_CONTROL_BODY:
        raise _fail(f"{name} is longer than {MAX_CONTROL_BODY} bytes")
    try:
        text = bytes(body).decode("utf-8")
        obj = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except ProtocolError:
        raise
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, huge ints
        raise _fail(f"{name} is not valid JSON") from None
    if type(obj) is not dict:
        raise _fail(f"{name} must be a JSON object")
    return obj


def _exact_keys(obj: dict[str, Any], keys: frozenset[str], name: str) -> None:
    if obj.keys() != keys:
        missing = sorted(keys - obj.keys())
        extra = sorted(obj.keys() - keys)
        raise _fail(f"{name} has missing fields {missing} or unknown fields {extra}")


def _perm_list(value: object) -> frozenset[str]:
    if type(value) is not list:
        raise _fail("permissions must be a list")
    result = frozenset(value) if all(type(v) is str for v in value) else None
    if result is None or len(result) != len(value):
        raise _fail("permissions must be distinct names")
    if value != sorted(value):
        raise _fail("permissions must be sorted")
    return result


_M = TypeVar("_M")


def _construct(factory: Callable[..., _M], **fields: Any) -> _M:
    """Build a message from decoded fields; field type errors become ProtocolError."""
    try:
        return factory(**fields)
    except ProtocolError:
        raise
    except (TypeError, ValueError):  # e.g. unhashable JSON values where a set is built
        raise _fail(f"bad fields for {getattr(factory, '__name__', 'message')}") from None


_HELLO_KEYS = frozenset({"protocol_version", "app_version", "role", "name", "organisation"})


def _enc_hello(m: Hello) -> bytes:
    return _json_body(
        {
            "protocol_version": m.protocol_version,
            "app_version": m.app_version,
            "role": m.role,
            "name": m.name,
            "organisation": m.organisation,
        }
    )


def _dec_hello(body: memoryview) -> Hello:
    obj = _parse_json(body, "Hello")
    version = obj.get("protocol_version")
    if type(version) is int and version != PROTOCOL_VERSION:
        newer = version > PROTOCOL_VERSION
        raise UnsupportedVersion(
            f"The other side speaks Fernhilfe protocol version {version}, this program version "
            f"{PROTOCOL_VERSION}. Please update "
            + ("this program." if newer else "the other side's program.")
        )
    _exact_keys(obj, _HELLO_KEYS, "Hello")
    return _construct(Hello, **obj)


def _enc_perms(m: ConsentRequest | PermissionChange) -> bytes:
    return _json_body({"permissions": sorted(m.permissions)})


def _dec_consent_request(body: memoryview) -> ConsentRequest:
    obj = _parse_json(body, "ConsentRequest")
    _exact_keys(obj, frozenset({"permissions"}), "ConsentRequest")
    return ConsentRequest(permissions=_perm_list(obj["permissions"]))


def _dec_permission_change(body: memoryview) -> PermissionChange:
    obj = _parse_json(body, "PermissionChange")
    _exact_keys(obj, frozenset({"permissions"}), "PermissionChange")
    return PermissionChange(permissions=_perm_list(obj["permissions"]))


def _enc_decision(m: ConsentDecision) -> bytes:
    return _json_body({"allowed": m.allowed, "permissions": sorted(m.permissions)})


def _dec_decision(body: memoryview) -> ConsentDecision:
    obj = _parse_json(body, "ConsentDecision")
    _exact_keys(obj, frozenset({"allowed", "permissions"}), "ConsentDecision")
    return ConsentDecision(allowed=obj["allowed"], permissions=_perm_list(obj["permissions"]))


def _enc_chat(m: ChatText) -> bytes:
    return _json_body({"text": m.text})


def _dec_chat(body: memoryview) -> ChatText:
    obj = _parse_json(body, "ChatText")
    _exact_keys(obj, frozenset({"text"}), "ChatText")
    return ChatText(text=obj["text"])


def _enc_end(m: End) -> bytes:
    return _json_body({"reason": m.reason})


def _dec_end(body: memoryview) -> End:
    obj = _parse_json(body, "End")
    _exact_keys(obj, frozenset({"reason"}), "End")
    return End(reason=obj["reason"])


def _enc_error(m: Error) -> bytes:
    return _json_body({"code": m.code, "message": m.message})


def _dec_error(body: memoryview) -> Error:
    obj = _parse_json(body, "Error")
    _exact_keys(obj, frozenset({"code", "message"}), "Error")
    return Error(code=obj["code"], message=obj["message"])


def _enc_stream_settings(m: StreamSettings) -> bytes:
    return _json_body({"quality": m.quality, "max_bytes_per_s": m.max_bytes_per_s})


def _dec_stream_settings(body: memoryview) -> StreamSettings:
    obj = _parse_json(body, "StreamSettings")
    _exact_keys(obj, frozenset({"quality", "max_bytes_per_s"}), "StreamSettings")
    return _construct(StreamSettings, **obj)


# --------------------------------------------------------------------------------------------
# struct bodies

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


def _exact(body: memoryview, layout: struct.Struct, name: str) -> tuple[Any, ...]:
    if len(body) != layout.size:
        raise _fail(f"{name} must be {layout.size} bytes, not {len(body)}")
    return layout.unpack(body)


def _flag(value: int, name: str) -> bool:
    if value > 1:
        raise _fail(f"{name} must be 0 or 1")
    return value == 1


def _dec_pointer_move(body: memoryview) -> PointerMove:
    x, y = _exact(body, _HH, "PointerMove")
    return PointerMove(x, y)


def _dec_pointer_button(body: memoryview) -> PointerButton:
    index, pressed, x, y = _exact(body, _BBHH, "PointerButton")
    if index >= len(BUTTONS):
        raise _fail("unknown mouse button")
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
        raise _fail("Key is too short")
    pressed, code_len = _BB.unpack_from(body, 0)
    end_code = 2 + code_len
    if len(body) < end_code + 1:
        raise _fail("Key is too short")
    text_len = body[end_code]
    if len(body) != end_code + 1 + text_len:
        raise _fail("Key has the wrong length")
    try:
        code = bytes(body[2:end_code]).decode("ascii")
        text = bytes(body[end_code + 1 :]).decode("utf-8")
    except UnicodeDecodeError:
        raise _fail("Key contains invalid text") from None
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
        raise _fail("FrameUpdate is too short")
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
            raise _fail("FrameUpdate is cut short")
        x, y, w, h, encoding, length = _RECT.unpack_from(body, offset)
        budget.add(w, h, encoding)
        offset += rect_size
        if size - offset < length:
            raise _fail("FrameUpdate rect payload is cut short")
        rects.append(Rect(x, y, w, h, encoding, bytes(body[offset : offset + length])))
        offset += length
    if offset != size:
        raise _fail("FrameUpdate has trailing bytes")
    return FrameUpdate(width, height, tuple(rects), seq)


def _enc_cursor(m: CursorUpdate) -> bytes:
    head = _CURSOR.pack(m.x, m.y, m.visible, m.shape is not None)
    if m.shape is None:
        return head
    s = m.shape
    return head + _SHAPE.pack(s.width, s.height, s.hot_x, s.hot_y) + s.rgba


def _dec_cursor(body: memoryview) -> CursorUpdate:
    if len(body) < _CURSOR.size:
        raise _fail("CursorUpdate is too short")
    x, y, visible, has_shape = _CURSOR.unpack_from(body, 0)
    shape = None
    if _flag(has_shape, "has_shape"):
        if len(body) < _CURSOR.size + _SHAPE.size:
            raise _fail("CursorUpdate is too short")
        w, h, hx, hy = _SHAPE.unpack_from(body, _CURSOR.size)
        # Size checks before the pixels are copied (a hostile 8 MiB "cursor" is not).
        _cursor_size(w, h)
        if len(body) - _CURSOR.size - _SHAPE.size != w * h * 4:
            raise _fail("cursor image size does not match its width and height")
        rgba = bytes(body[_CURSOR.size + _SHAPE.size :])
        shape = CursorShape(w, h, hx, hy, rgba)
    elif len(body) != _CURSOR.size:
        raise _fail("CursorUpdate has trailing bytes")
    return CursorUpdate(x, y, _flag(visible, "visible"), shape)


def _dec_frame_ack(body: memoryview) -> FrameAck:
    return FrameAck(*_exact(body, _I, "FrameAck"))


def _dec_ping(body: memoryview) -> Ping:
    return Ping(*_exact(body, _Q, "Ping"))


def _dec_pong(body: memoryview) -> Pong:
    return Pong(*_exact(body, _Q, "Pong"))


_ENCODERS: dict[type, Callable[[Any], bytes]] = {
    Hello: _enc_hello,
    ConsentRequest: _enc_perms,
    ConsentDecision: _enc_decision,
    PermissionChange: _enc_perms,
    ChatText: _enc_chat,
    End: _enc_end,
    Error: _enc_error,
    PointerMove: lambda m: _HH.pack(m.x, m.y),
    PointerButton: lambda m: _BBHH.pack(BUTTONS.index(m.button), m.pressed, m.x, m.y),
    Wheel: lambda m: _hhHH.pack(m.dx, m.dy, m.x, m.y),
    Key: _enc_key,
    FrameUpdate: _enc_frame,
    FrameAck: lambda m: _I.pack(m.seq),
    CursorUpdate: _enc_cursor,
    StreamSettings: _enc_stream_settings,
    Ping: lambda m: _Q.pack(m.t),
    Pong: lambda m: _Q.pack(m.t),
}

_DECODERS: dict[int, Callable[[memoryview], Any]] = {
    Hello.TYPE: _dec_hello,
    ConsentRequest.TYPE: _dec_consent_request,
    ConsentDecision.TYPE: _dec_decision,
    PermissionChange.TYPE: _dec_permission_change,
    ChatText.TYPE: _dec_chat,
    End.TYPE: _dec_end,
    Error.TYPE: _dec_error,
    PointerMove.TYPE: _dec_pointer_move,
    PointerButton.TYPE: _dec_pointer_button,
    Wheel.TYPE: _dec_wheel,
    Key.TYPE: _dec_key,
    FrameUpdate.TYPE: _dec_frame,
    FrameAck.TYPE: _dec_frame_ack,
    CursorUpdate.TYPE: _dec_cursor,
    StreamSettings.TYPE: _dec_stream_settings,
    Ping.TYPE: _dec_ping,
    Pong.TYPE: _dec_pong,
}


def encode(msg: Message) -> bytes:
    """Serialize a message: type byte, then body. Raises MessageTooLarge past 8 MiB."""
    encoder = _ENCODERS.get(type(msg))
    if encoder is None:
        raise TypeError(f"not a Fernhilfe message: {type(msg).__name__}")
    # Frames are built with their type byte in one join: no second copy of megabytes.
    data = encoder(msg) if type(msg) is FrameUpdate else bytes((msg.TYPE,)) + encoder(msg)
    if len(data) > MAX_PLAINTEXT:
        raise MessageTooLarge(
            f"A {type(msg).__name__} of {len(data)} bytes is larger than the limit of "
            f"{MAX_PLAINTEXT} bytes."
        )
    return data


def decode(data: bytes) -> Message:
    """Parse and validate one message; anything wrong raises ProtocolError."""
    if type(data) is not bytes:
        data = bytes(data)
    if not data:
        raise _fail("empty message")
    if len(data) > MAX_PLAINTEXT:
        raise MessageTooLarge(
            f"The other side sent a message of {len(data)} bytes, more than the limit of "
            f"{MAX_PLAINTEXT} bytes."
        )
    decoder = _DECODERS.get(data[0])
    if decoder is None:
        raise _fail(f"unknown message type 0x{data[0]:02x}")
    # A memoryview: large frame payloads are copied once, into their Rect, not twice.
    result: Message = decoder(memoryview(data)[1:])
    return result
