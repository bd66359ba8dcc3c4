"""The messages of set v1 as frozen dataclasses, each validating its fields when built.

A message that can be built can be encoded, and the decoders build them, so what arrives is
checked by the very same rules (:mod:`shared.messages.fields`). The wire layouts are in
:mod:`shared.messages.control` (JSON) and :mod:`shared.messages.binary` (struct).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from shared.codec import FrameBudget
from shared.messages.fields import (
    check_bool,
    check_bytes,
    check_cursor_size,
    check_int,
    check_name,
    check_permissions,
    check_stable_id,
    check_text,
    fail,
)
from shared.messages.limits import (
    ANNOTATION_KINDS,
    BUTTONS,
    FILE_CANCEL_REASONS,
    FILE_DIRECTIONS,
    MAX_ANNOTATION_POINTS,
    MAX_APP_VERSION,
    MAX_BYTES_PER_S,
    MAX_CERTIFICATE_SIZE,
    MAX_CHAT,
    MAX_CLIPBOARD,
    MAX_COORDINATE,
    MAX_DIMENSION,
    MAX_ERROR_MESSAGE,
    MAX_FILE_CHUNK,
    MAX_FILE_ID,
    MAX_FILE_NAME,
    MAX_FILE_SIZE,
    MAX_KEY_CODE,
    MAX_KEY_TEXT,
    MAX_MONITORS,
    MAX_QUALITY,
    MAX_STROKE_ID,
    PAUSE_REASONS,
    PROOF_SIGNATURE_SIZE,
    REQUESTABLE,
    ROLES,
)

_KEY_CODE = re.compile(rf"[A-Za-z0-9]{{1,{MAX_KEY_CODE}}}")
_SHA256 = re.compile(r"[0-9a-f]{64}")



#: How a Hello says the newest version its sender speaks (docs/PROTOCOL.md section 11): the
#: end of ``app_version`` on the wire, ``"0.2.0 protocol/2"``. Version 1 programs take only
#: the exact v1 key set and ``protocol_version`` 1, and read ``app_version`` as free text, so
#: this is the one place a newer program can say more and still be understood by them.
VERSION_MARK = " protocol/"
_MARKED = re.compile(r"(.*) protocol/([1-9][0-9]{0,4})", re.DOTALL)


def split_version_mark(app_version: str) -> tuple[str, int | None]:
    """``app_version`` as sent, split into the app version and the newest protocol version it
    names (None: no mark, a version-1 program)."""
    found = _MARKED.fullmatch(app_version)
    if found is None:
        return app_version, None
    return found.group(1), int(found.group(2))


@dataclass(frozen=True)
class Hello:
    """First message of each side after the handshake: who is speaking, in which versions.

    ``protocol_version`` is the **oldest** version the sender speaks (a version-1 program
    checks it for equality with 1), ``max_version`` the newest (None: the same, as from a
    version-1 program); on the wire it rides at the end of ``app_version``
    (:data:`VERSION_MARK`), so the whole app version stays within ``MAX_APP_VERSION``.
    """

    TYPE: ClassVar[int] = 0x01
    protocol_version: int
    app_version: str
    role: Literal["agent", "console"]
    name: str
    organisation: str = ""
    max_version: int | None = None

    def __post_init__(self) -> None:
        check_int(self.protocol_version, "protocol_version", 0, 0xFFFF)
        room = MAX_APP_VERSION
        if self.max_version is not None:
            check_int(self.max_version, "max_version", self.protocol_version, 0xFFFF)
            room -= len(f"{VERSION_MARK}{self.max_version}")
        check_text(self.app_version, "app_version", room)
        if _MARKED.fullmatch(self.app_version):
            raise fail("app_version must not end with a protocol version mark")
        if type(self.role) is not str or self.role not in ROLES:
            raise fail("role must be 'agent' or 'console'")
        check_name(self.name, "name")
        check_name(self.organisation, "organisation")

    @property
    def newest(self) -> int:
        """The newest protocol version the sender speaks."""
        return self.protocol_version if self.max_version is None else self.max_version


@dataclass(frozen=True)
class ConsentRequest:
    """The console asks for permissions; at least one."""

    TYPE: ClassVar[int] = 0x02
    permissions: frozenset[str]

    def __post_init__(self) -> None:
        check_permissions(self.permissions)
        if not self.permissions:
            raise fail("a consent request must ask for at least one permission")


@dataclass(frozen=True)
class ConsentDecision:
    """The customer's answer. A denial grants nothing."""

    TYPE: ClassVar[int] = 0x03
    allowed: bool
    permissions: frozenset[str]

    def __post_init__(self) -> None:
        check_bool(self.allowed, "allowed")
        check_permissions(self.permissions)
        if not self.allowed and self.permissions:
            raise fail("a denial cannot grant permissions")


@dataclass(frozen=True)
class PermissionChange:
    """The customer changed what is granted (e.g. revoked control); the full new set."""

    TYPE: ClassVar[int] = 0x04
    permissions: frozenset[str]

    def __post_init__(self) -> None:
        check_permissions(self.permissions)


@dataclass(frozen=True)
class ChatText:
    """A chat line, either way, plain text (rides on ``view``: any active session may chat).

    1..``MAX_CHAT`` characters, ``\\n`` and ``\\t`` allowed, no other control or hidden
    characters. Body JSON ``{"text": s}``.
    """

    TYPE: ClassVar[int] = 0x05
    text: str

    def __post_init__(self) -> None:
        check_text(self.text, "text", MAX_CHAT, min_chars=1, allow_newlines=True)


@dataclass(frozen=True)
class ChatRecording:
    """Agent → console: whether the customer opted in to keep the chat in both audit records.

    Off unless the customer turns it on; the console records chat lines only while it is on.
    Body JSON ``{"recorded": b}``.
    """

    TYPE: ClassVar[int] = 0x09
    recorded: bool

    def __post_init__(self) -> None:
        check_bool(self.recorded, "recorded")


@dataclass(frozen=True)
class SharingPaused:
    """Agent → console: screen and control are paused (or go on again), and why.

    ``reason`` is ``"timeout"`` (nobody answered "still sharing?" in time) or ``"customer"``
    (the customer paused or resumed). While paused the agent sends no frames, cursor updates
    or monitor lists it would not send anyway, and drops input and pointer messages.
    Body JSON ``{"paused": b, "reason": s}``.
    """

    TYPE: ClassVar[int] = 0x0A
    paused: bool
    reason: str

    def __post_init__(self) -> None:
        check_bool(self.paused, "paused")
        if type(self.reason) is not str or self.reason not in PAUSE_REASONS:
            raise fail("pause reason must be 'timeout' or 'customer'")


@dataclass(frozen=True)
class SystemNotice:
    """Agent → console (issue 18): what the customer's operating system blocks right now, or
    that it no longer does, as a ``code`` (``NOTICE_CODES``: ``foreground_elevated``,
    ``screen_recording_missing`` ...). Never text: the console says it in its own words.

    Any short lowercase identifier decodes, so a newer agent may add codes: the console ignores
    (and counts) the ones it does not know. Body JSON ``{"code": s}``.
    """

    TYPE: ClassVar[int] = 0x0C
    code: str

    def __post_init__(self) -> None:
        check_stable_id(self.code, "notice code")


@dataclass(frozen=True)
class End:
    """Orderly end of the session; ``reason`` is a stable identifier (see ``END_REASONS``)."""

    TYPE: ClassVar[int] = 0x06
    reason: str

    def __post_init__(self) -> None:
        check_stable_id(self.reason, "reason")


@dataclass(frozen=True)
class Error:
    """Something went wrong; ``code`` is stable for programs, ``message`` is for people."""

    TYPE: ClassVar[int] = 0x07
    code: str
    message: str

    def __post_init__(self) -> None:
        check_stable_id(self.code, "code")
        check_text(self.message, "message", MAX_ERROR_MESSAGE, allow_newlines=True)


@dataclass(frozen=True)
class TechnicianProof:
    """The console's certificate and its signature over the session binding (issue 12).

    Sent right after the console's Hello, before its ConsentRequest, only when the technician
    has an identity; the agent judges it (:func:`shared.identity.verify_technician`), this
    class checks sizes only. Body: ``>H`` len(certificate), certificate, 64-byte signature.
    """

    TYPE: ClassVar[int] = 0x08
    certificate: bytes
    signature: bytes

    def __post_init__(self) -> None:
        check_bytes(self.certificate, "certificate")
        check_bytes(self.signature, "signature")
        if not 0 < len(self.certificate) <= MAX_CERTIFICATE_SIZE:
            raise fail(f"a certificate has 1 to {MAX_CERTIFICATE_SIZE} bytes")
        if len(self.signature) != PROOF_SIGNATURE_SIZE:
            raise fail(f"a proof signature has {PROOF_SIGNATURE_SIZE} bytes")


@dataclass(frozen=True)
class PointerMove:
    """Absolute pointer position in the agent's screen coordinates. Body ``>HH`` x, y."""

    TYPE: ClassVar[int] = 0x10
    x: int
    y: int

    def __post_init__(self) -> None:
        check_int(self.x, "x", 0, MAX_COORDINATE)
        check_int(self.y, "y", 0, MAX_COORDINATE)


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
            raise fail("unknown mouse button")
        check_bool(self.pressed, "pressed")
        check_int(self.x, "x", 0, MAX_COORDINATE)
        check_int(self.y, "y", 0, MAX_COORDINATE)


@dataclass(frozen=True)
class Wheel:
    """Wheel steps at (x, y); positive dy scrolls down, positive dx right. Body ``>hhHH``."""

    TYPE: ClassVar[int] = 0x12
    dx: int
    dy: int
    x: int
    y: int

    def __post_init__(self) -> None:
        check_int(self.dx, "dx", -0x8000, 0x7FFF)
        check_int(self.dy, "dy", -0x8000, 0x7FFF)
        check_int(self.x, "x", 0, MAX_COORDINATE)
        check_int(self.y, "y", 0, MAX_COORDINATE)


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
            raise fail(f"key code must be 1-{MAX_KEY_CODE} ASCII letters or digits, like 'KeyA'")
        if type(self.text) is not str:
            raise fail("key text must be text")
        try:
            size = len(self.text.encode("utf-8"))
        except UnicodeEncodeError:
            raise fail("key text is not valid Unicode") from None
        if size > MAX_KEY_TEXT:
            raise fail(f"key text longer than {MAX_KEY_TEXT} bytes")
        check_bool(self.pressed, "pressed")


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
        check_int(self.x, "rect x", 0, MAX_COORDINATE)
        check_int(self.y, "rect y", 0, MAX_COORDINATE)
        check_int(self.w, "rect width", 1, MAX_DIMENSION)
        check_int(self.h, "rect height", 1, MAX_DIMENSION)
        check_int(self.encoding, "rect encoding", 0, 0xFF)
        check_bytes(self.payload, "rect payload")


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
        check_int(self.width, "screen width", 1, 0xFFFF)  # the budget says what is too big
        check_int(self.height, "screen height", 1, 0xFFFF)
        check_int(self.seq, "seq", 0, 0xFFFFFFFF)
        budget = FrameBudget(self.width, self.height)
        if type(self.rects) is not tuple:
            raise fail("rects must be a tuple")
        for rect in self.rects:
            if type(rect) is not Rect:
                raise fail("rects must contain Rect values")
            budget.add(rect.w, rect.h, rect.encoding)
            if rect.x + rect.w > self.width or rect.y + rect.h > self.height:
                raise fail(
                    f"rect {rect.w}x{rect.h} at ({rect.x}, {rect.y}) reaches outside the "
                    f"{self.width}x{self.height} screen"
                )


@dataclass(frozen=True)
class FrameAck:
    """The console has shown frame ``seq``: one flow-control credit back. Body ``>I``."""

    TYPE: ClassVar[int] = 0x21
    seq: int

    def __post_init__(self) -> None:
        check_int(self.seq, "seq", 0, 0xFFFFFFFF)


@dataclass(frozen=True)
class CursorShape:
    """A cursor image: ``width*height*4`` bytes of straight RGBA, hot spot inside."""

    width: int
    height: int
    hot_x: int
    hot_y: int
    rgba: bytes

    def __post_init__(self) -> None:
        check_cursor_size(self.width, self.height)
        check_int(self.hot_x, "cursor hot_x", 0, self.width - 1)
        check_int(self.hot_y, "cursor hot_y", 0, self.height - 1)
        check_bytes(self.rgba, "cursor rgba")
        if len(self.rgba) != self.width * self.height * 4:
            raise fail("cursor image size does not match its width and height")


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
        check_int(self.x, "cursor x", 0, MAX_COORDINATE)
        check_int(self.y, "cursor y", 0, MAX_COORDINATE)
        check_bool(self.visible, "visible")
        if self.shape is not None and type(self.shape) is not CursorShape:
            raise fail("cursor shape must be a CursorShape")


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
        check_int(self.quality, "quality", 0, MAX_QUALITY)
        check_int(self.max_bytes_per_s, "max_bytes_per_s", 0, MAX_BYTES_PER_S)


@dataclass(frozen=True)
class Monitor:
    """One monitor of the customer's desktop, in virtual-screen pixels; ``primary`` if so.

    Wire: ``>hhHHB`` x, y, width, height, primary.
    """

    x: int
    y: int
    width: int
    height: int
    primary: bool = False

    def __post_init__(self) -> None:
        check_int(self.x, "monitor x", -0x8000, 0x7FFF)
        check_int(self.y, "monitor y", -0x8000, 0x7FFF)
        check_int(self.width, "monitor width", 1, MAX_DIMENSION)
        check_int(self.height, "monitor height", 1, MAX_DIMENSION)
        check_bool(self.primary, "primary")


@dataclass(frozen=True)
class Monitors:
    """Agent → console: the customer's monitors and which one is shared.

    ``shared`` is 0 for all monitors as one picture, or 1..n for ``monitors[shared - 1]``.
    Sent when sharing starts, after every switch and whenever monitors are plugged in or out.
    Wire: ``>BB`` shared, count (1..``MAX_MONITORS``), then count :class:`Monitor` layouts.
    """

    TYPE: ClassVar[int] = 0x24
    monitors: tuple[Monitor, ...]
    shared: int

    def __post_init__(self) -> None:
        if type(self.monitors) is not tuple or not all(type(x) is Monitor
                                                      for x in self.monitors):
            raise fail("monitors must be a tuple of Monitor values")
        if not 1 <= len(self.monitors) <= MAX_MONITORS:
            raise fail(f"a monitor list has 1 to {MAX_MONITORS} monitors")
        check_int(self.shared, "shared monitor", 0, len(self.monitors))


@dataclass(frozen=True)
class ChooseMonitor:
    """Console → agent: share monitor ``index`` (1..n of the last Monitors), or 0 for all.

    An index the agent no longer has is not an error (a monitor may just have been unplugged):
    the agent answers with its current Monitors. Body ``>B``.
    """

    TYPE: ClassVar[int] = 0x25
    index: int

    def __post_init__(self) -> None:
        check_int(self.index, "monitor index", 0, MAX_MONITORS)


@dataclass(frozen=True)
class LinkEstimate:
    """Agent → console: the link the agent measured from its frame acks (issue 16), for the
    technician's status bar; at most once a second while sharing, so it rides on ``view``.

    ``rate_bytes_per_s`` the delivery rate, ``rtt_ms`` the smoothed frame round trip,
    ``min_rtt_ms`` the round trip without a queue, ``queue_ms`` the queue the agent estimates it
    has built. Informational only: the console never acts on it. Body ``>IHHH``.
    """

    TYPE: ClassVar[int] = 0x26
    rate_bytes_per_s: int
    rtt_ms: int
    min_rtt_ms: int
    queue_ms: int

    def __post_init__(self) -> None:
        check_int(self.rate_bytes_per_s, "rate_bytes_per_s", 0, 0xFFFFFFFF)
        check_int(self.rtt_ms, "rtt_ms", 0, 0xFFFF)
        check_int(self.min_rtt_ms, "min_rtt_ms", 0, 0xFFFF)
        check_int(self.queue_ms, "queue_ms", 0, 0xFFFF)


@dataclass(frozen=True)
class LaserPointer:
    """Console → agent: the technician's laser pointer at (x, y) of the shared picture, or gone.

    Drawn by the agent's overlay as a fading trail; never input. Body ``>BHH`` visible, x, y.
    """

    TYPE: ClassVar[int] = 0x40
    visible: bool
    x: int
    y: int

    def __post_init__(self) -> None:
        check_bool(self.visible, "visible")
        check_int(self.x, "x", 0, MAX_COORDINATE)
        check_int(self.y, "y", 0, MAX_COORDINATE)


@dataclass(frozen=True)
class Annotation:
    """Console → agent: points added to stroke ``stroke`` (a new id starts a new stroke).

    ``kind`` is ``"line"`` (free hand through the points) or ``"arrow"`` (from the stroke's
    first point to its last). Drawn by the agent's overlay, gone after a few seconds or on a
    click; never input. Wire: ``>HBH`` stroke, kind index, count (1..``MAX_ANNOTATION_POINTS``),
    then count ``>HH`` points.
    """

    TYPE: ClassVar[int] = 0x41
    stroke: int
    kind: Literal["line", "arrow"]
    points: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        check_int(self.stroke, "stroke", 0, MAX_STROKE_ID)
        if type(self.kind) is not str or self.kind not in ANNOTATION_KINDS:
            raise fail("unknown annotation kind")
        if type(self.points) is not tuple:
            raise fail("points must be a tuple")
        if not 1 <= len(self.points) <= MAX_ANNOTATION_POINTS:
            raise fail(f"an annotation has 1 to {MAX_ANNOTATION_POINTS} points")
        for point in self.points:
            if type(point) is not tuple or len(point) != 2:
                raise fail("a point is a pair (x, y)")
            check_int(point[0], "x", 0, MAX_COORDINATE)
            check_int(point[1], "y", 0, MAX_COORDINATE)


@dataclass(frozen=True)
class AnnotationClear:
    """Console → agent: remove every stroke now (the technician clicked). Empty body."""

    TYPE: ClassVar[int] = 0x42


@dataclass(frozen=True)
class PermissionRequest:
    """Console → agent, while active (issue 17): please ask the customer for these too.

    1..4 names from ``REQUESTABLE`` (``control``, ``clipboard``, ``files_in``, ``files_out``).
    The agent asks the customer (Allow / Not now); a grant arrives as a PermissionChange.
    Body JSON ``{"permissions": [sorted names]}``.
    """

    TYPE: ClassVar[int] = 0x0B
    permissions: frozenset[str]

    def __post_init__(self) -> None:
        check_permissions(self.permissions)
        if not self.permissions or not self.permissions <= REQUESTABLE:
            raise fail("a permission request asks for 1 to 4 of control, clipboard, files_in "
                       "and files_out")


@dataclass(frozen=True)
class ClipboardText:
    """Clipboard text, either way, while ``clipboard`` is granted (issue 17).

    Body: the text as UTF-8, nothing else, 1..``MAX_CLIPBOARD`` bytes, no NUL. Other characters
    are the text's own (it is pasted, never shown), so tabs, newlines and bidi marks pass.
    """

    TYPE: ClassVar[int] = 0x50
    text: str

    def __post_init__(self) -> None:
        if type(self.text) is not str:
            raise fail("clipboard text must be text")
        try:
            size = len(self.text.encode("utf-8"))
        except UnicodeEncodeError:
            raise fail("clipboard text is not valid Unicode") from None
        if not 1 <= size <= MAX_CLIPBOARD:
            raise fail(f"clipboard text has 1 to {MAX_CLIPBOARD} bytes")
        if "\x00" in self.text:
            raise fail("clipboard text contains a NUL character")


def check_file_id(value: object) -> None:
    check_int(value, "file id", 1, MAX_FILE_ID)


def check_direction(value: object) -> None:
    if type(value) is not str or value not in FILE_DIRECTIONS:
        raise fail("direction must be 'to_customer' or 'to_technician'")


@dataclass(frozen=True)
class FileOffer:
    """The sender offers a file (issue 17): ``id`` (sender's count, 1..2**31-1, rising per
    direction), ``name`` as the sender calls it (1..255 characters, no NUL: NOT judged here,
    the receiver sanitises it), ``size`` 0..2**40 bytes, ``sha256`` of the whole file as 64
    lowercase hex digits. Body JSON ``{"id", "name", "sha256", "size"}``."""

    TYPE: ClassVar[int] = 0x51
    id: int
    name: str
    size: int
    sha256: str

    def __post_init__(self) -> None:
        check_file_id(self.id)
        if type(self.name) is not str or not 1 <= len(self.name) <= MAX_FILE_NAME:
            raise fail(f"a file name has 1 to {MAX_FILE_NAME} characters")
        try:
            self.name.encode("utf-8")
        except UnicodeEncodeError:
            raise fail("the file name is not valid Unicode") from None
        if "\x00" in self.name:
            raise fail("the file name contains a NUL character")
        check_int(self.size, "file size", 0, MAX_FILE_SIZE)
        if type(self.sha256) is not str or not _SHA256.fullmatch(self.sha256):
            raise fail("sha256 must be 64 lowercase hexadecimal digits")


@dataclass(frozen=True)
class _FileAt:
    """What FileAccept, FileChunk and FileAck share: file ``id`` and a byte ``offset`` in it
    (0..2**40), checked once here."""

    id: int
    offset: int

    def __post_init__(self) -> None:
        check_file_id(self.id)
        check_int(self.offset, "file offset", 0, MAX_FILE_SIZE)


@dataclass(frozen=True)
class FileAccept(_FileAt):
    """The receiver takes offered file ``id`` from byte ``offset`` on (0..size; more than 0:
    it holds that prefix already). Said again after a resume: the sender rewinds there.
    Body JSON ``{"id", "offset"}``."""

    TYPE: ClassVar[int] = 0x52


@dataclass(frozen=True)
class FileChunk(_FileAt):
    """The sender's bytes ``offset`` .. ``offset + len(data)`` of file ``id`` (1..256 KiB,
    exactly the next bytes the receiver expects). Body ``>IQ`` id, offset, then the data."""

    TYPE: ClassVar[int] = 0x53
    data: bytes

    def __post_init__(self) -> None:
        super().__post_init__()
        check_bytes(self.data, "file data")
        if not 1 <= len(self.data) <= MAX_FILE_CHUNK:
            raise fail(f"a file chunk has 1 to {MAX_FILE_CHUNK} bytes")


@dataclass(frozen=True)
class FileAck(_FileAt):
    """The receiver has written every byte of file ``id`` before ``offset``: the sender's
    window moves on. Body ``>IQ`` id, offset."""

    TYPE: ClassVar[int] = 0x54


@dataclass(frozen=True)
class FileComplete:
    """The receiver wrote all of file ``id`` and its sha256 matched. Body JSON ``{"id"}``."""

    TYPE: ClassVar[int] = 0x55
    id: int

    def __post_init__(self) -> None:
        check_file_id(self.id)


@dataclass(frozen=True)
class FileCancel:
    """Either side ends transfer ``id`` of ``direction`` early, for ``reason`` (one of
    ``FILE_CANCEL_REASONS``). Body JSON ``{"direction", "id", "reason"}``."""

    TYPE: ClassVar[int] = 0x56
    id: int
    direction: str
    reason: str

    def __post_init__(self) -> None:
        check_file_id(self.id)
        check_direction(self.direction)
        if type(self.reason) is not str or self.reason not in FILE_CANCEL_REASONS:
            raise fail("unknown reason for cancelling a file")


@dataclass(frozen=True)
class Ping:
    """Round-trip probe; ``t`` is the sender's opaque timestamp, echoed by Pong. Body ``>Q``."""

    TYPE: ClassVar[int] = 0x30
    t: int

    def __post_init__(self) -> None:
        check_int(self.t, "t", 0, 0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class Pong:
    """Answer to :class:`Ping` with the same ``t``. Body ``>Q``."""

    TYPE: ClassVar[int] = 0x31
    t: int

    def __post_init__(self) -> None:
        check_int(self.t, "t", 0, 0xFFFFFFFFFFFFFFFF)


Message = (
    Hello
    | ConsentRequest
    | ConsentDecision
    | PermissionChange
    | ChatText
    | End
    | Error
    | TechnicianProof
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
    | ChatRecording
    | SharingPaused
    | SystemNotice
    | Monitors
    | ChooseMonitor
    | LinkEstimate
    | LaserPointer
    | Annotation
    | AnnotationClear
    | PermissionRequest
    | ClipboardText
    | FileOffer
    | FileAccept
    | FileChunk
    | FileAck
    | FileComplete
    | FileCancel
)
