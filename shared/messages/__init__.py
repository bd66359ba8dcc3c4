"""Message set v2 (v1 plus SystemNotice): what travels inside the encrypted channel.

Every message is one byte of type, then the body. Three body styles:

* **Control messages** (rare, small, read by people or policy): UTF-8 JSON object, strictly
  checked: exact key set, exact types (``true`` is not a number, ``1.0`` is not an integer),
  no duplicate keys, no NaN/Infinity, length caps on strings, body at most 64 KiB.
* **High-rate messages** (input, frames, cursor, flow control, ping): fixed big-endian
  :mod:`struct` layouts, documented on each class; strings inside are length-prefixed UTF-8.
  :class:`TechnicianProof` (raw certificate bytes and a signature) uses a struct layout too,
  and so do :class:`FileChunk` and :class:`FileAck` (issue 17).
* :class:`ClipboardText` (issue 17) is the text as UTF-8 and nothing else (it is pasted, never
  read by policy), bounded by ``MAX_CLIPBOARD`` before it is decoded.

Validation lives in each dataclass's ``__post_init__``, so a message that can be built can be
encoded, and :func:`decode` applies the very same rules to what arrives. Everything that is wrong
with received bytes raises :class:`~shared.errors.ProtocolError` (or a subclass), never another
exception type.

A :class:`Hello` says the oldest protocol version its sender speaks (``protocol_version``, what a
version-1 program checks) and the newest (``max_version``, a mark at the end of ``app_version`` on
the wire: docs/PROTOCOL.md section 11.1). One with no version in common raises
:class:`~shared.errors.UnsupportedVersion` from :func:`decode` before its other fields are checked
(a peer of another version may have other fields), so the session can answer "please update".
``MESSAGE_SINCE``, ``END_REASON_SINCE`` and ``ENCODING_SINCE`` say what is newer than version 1.

Type bytes (wire contract, never reuse a number):

====  =================  ====  =================
0x01  Hello              0x10  PointerMove
0x02  ConsentRequest     0x11  PointerButton
0x03  ConsentDecision    0x12  Wheel
0x04  PermissionChange   0x13  Key
0x05  ChatText           0x20  FrameUpdate
0x06  End                0x21  FrameAck
0x07  Error              0x22  CursorUpdate
0x08  TechnicianProof    0x23  StreamSettings
0x09  ChatRecording      0x24  Monitors
0x0A  SharingPaused      0x25  ChooseMonitor
0x0B  PermissionRequest  0x26  LinkEstimate
0x0C  SystemNotice
0x30  Ping               0x40  LaserPointer
0x31  Pong               0x41  Annotation
0x50  ClipboardText      0x42  AnnotationClear
0x51  FileOffer          0x54  FileAck
0x52  FileAccept         0x55  FileComplete
0x53  FileChunk          0x56  FileCancel
====  =================  ====  =================

The package, by job: :mod:`~shared.messages.limits` (every bound and vocabulary),
:mod:`~shared.messages.fields` (the field checks), :mod:`~shared.messages.types` (the message
dataclasses), :mod:`~shared.messages.control` (JSON bodies), :mod:`~shared.messages.binary`
(struct bodies), :mod:`~shared.messages.wire` (``encode`` / ``decode``). Importers use the names
re-exported here: ``from shared import messages as m``, then ``m.Hello``, ``m.encode`` ...
"""

from shared.messages.limits import (
    ANNOTATION_KINDS,
    BUTTONS,
    ENCODING_SINCE,
    END_REASON_SINCE,
    END_REASONS,
    FILE_CANCEL_REASONS,
    FILE_DIRECTIONS,
    MAX_ANNOTATION_POINTS,
    MAX_APP_VERSION,
    MAX_BYTES_PER_S,
    MAX_CERTIFICATE_SIZE,
    MAX_CHAT,
    MAX_CLIPBOARD,
    MAX_CONTROL_BODY,
    MAX_COORDINATE,
    MAX_CURSOR,
    MAX_DIMENSION,
    MAX_ERROR_MESSAGE,
    MAX_FILE_CHUNK,
    MAX_FILE_ID,
    MAX_FILE_NAME,
    MAX_FILE_SIZE,
    MAX_KEY_CODE,
    MAX_KEY_TEXT,
    MAX_MONITORS,
    MAX_OPEN_TRANSFERS,
    MAX_PLAINTEXT,
    MAX_QUALITY,
    MAX_STROKE_ID,
    MESSAGE_SINCE,
    MIN_PROTOCOL_VERSION,
    NOTICE_CLEARS,
    NOTICE_CODES,
    PAUSE_REASONS,
    PERMISSIONS,
    PROTOCOL_VERSION,
    REQUESTABLE,
    ROLES,
    encodings_in,
)
from shared.messages.types import (
    Annotation,
    AnnotationClear,
    ChatRecording,
    ChatText,
    ChooseMonitor,
    ClipboardText,
    ConsentDecision,
    ConsentRequest,
    CursorShape,
    CursorUpdate,
    End,
    Error,
    FileAccept,
    FileAck,
    FileCancel,
    FileChunk,
    FileComplete,
    FileOffer,
    FrameAck,
    FrameUpdate,
    Hello,
    Key,
    LaserPointer,
    LinkEstimate,
    Message,
    Monitor,
    Monitors,
    PermissionChange,
    PermissionRequest,
    Ping,
    PointerButton,
    PointerMove,
    Pong,
    Rect,
    SharingPaused,
    StreamSettings,
    SystemNotice,
    TechnicianProof,
    Wheel,
)
from shared.messages.wire import decode, encode

__all__ = [
    "ANNOTATION_KINDS",
    "BUTTONS",
    "ENCODING_SINCE",
    "END_REASONS",
    "END_REASON_SINCE",
    "FILE_CANCEL_REASONS",
    "FILE_DIRECTIONS",
    "MAX_ANNOTATION_POINTS",
    "MAX_APP_VERSION",
    "MAX_BYTES_PER_S",
    "MAX_CERTIFICATE_SIZE",
    "MAX_CHAT",
    "MAX_CLIPBOARD",
    "MAX_CONTROL_BODY",
    "MAX_COORDINATE",
    "MAX_CURSOR",
    "MAX_DIMENSION",
    "MAX_ERROR_MESSAGE",
    "MAX_FILE_CHUNK",
    "MAX_FILE_ID",
    "MAX_FILE_NAME",
    "MAX_FILE_SIZE",
    "MAX_KEY_CODE",
    "MAX_KEY_TEXT",
    "MAX_MONITORS",
    "MAX_OPEN_TRANSFERS",
    "MAX_PLAINTEXT",
    "MAX_QUALITY",
    "MAX_STROKE_ID",
    "MESSAGE_SINCE",
    "MIN_PROTOCOL_VERSION",
    "NOTICE_CLEARS",
    "NOTICE_CODES",
    "PAUSE_REASONS",
    "PERMISSIONS",
    "PROTOCOL_VERSION",
    "REQUESTABLE",
    "ROLES",
    "Annotation",
    "AnnotationClear",
    "ChatRecording",
    "ChatText",
    "ChooseMonitor",
    "ClipboardText",
    "ConsentDecision",
    "ConsentRequest",
    "CursorShape",
    "CursorUpdate",
    "End",
    "Error",
    "FileAccept",
    "FileAck",
    "FileCancel",
    "FileChunk",
    "FileComplete",
    "FileOffer",
    "FrameAck",
    "FrameUpdate",
    "Hello",
    "Key",
    "LaserPointer",
    "LinkEstimate",
    "Message",
    "Monitor",
    "Monitors",
    "PermissionChange",
    "PermissionRequest",
    "Ping",
    "PointerButton",
    "PointerMove",
    "Pong",
    "Rect",
    "SharingPaused",
    "StreamSettings",
    "SystemNotice",
    "TechnicianProof",
    "Wheel",
    "decode",
    "encode",
    "encodings_in",
]
