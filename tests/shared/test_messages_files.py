"""Issue 17's messages: asking later, clipboard text and the seven file messages.

Every decoder of the peer's bytes is strict (exact layout, exact JSON keys and types, bounds
before anything is copied) and raises only ProtocolError, whatever arrives.
"""

from __future__ import annotations

import contextlib
import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared.errors import ProtocolError

HASH = "ab" * 32
NEW_TYPES = (0x0B, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56)


def test_pinned_layouts() -> None:
    assert m.encode(m.ClipboardText("Grüß")) == b"\x50" + "Grüß".encode()
    assert m.encode(m.FileChunk(2, 5, b"ab")) == b"\x53" + struct.pack(">IQ", 2, 5) + b"ab"
    assert m.encode(m.FileAck(2, 7)) == b"\x54" + struct.pack(">IQ", 2, 7)
    assert m.encode(m.PermissionRequest(frozenset({"files_out", "clipboard"}))) == (
        b'\x0b{"permissions":["clipboard","files_out"]}')
    assert m.encode(m.FileOffer(1, "a.txt", 3, HASH)) == (
        b'\x51{"id":1,"name":"a.txt","sha256":"' + HASH.encode() + b'","size":3}')
    assert m.encode(m.FileAccept(1, 0)) == b'\x52{"id":1,"offset":0}'
    assert m.encode(m.FileComplete(1)) == b'\x55{"id":1}'
    assert m.encode(m.FileCancel(1, "to_customer", "cancelled")) == (
        b'\x56{"direction":"to_customer","id":1,"reason":"cancelled"}')


def test_permission_vocabulary() -> None:
    assert {"view", "control", "clipboard", "files_in", "files_out", "chat"} == m.PERMISSIONS
    assert "files" not in m.PERMISSIONS  # the old, never granted name is gone
    assert {"control", "clipboard", "files_in", "files_out"} == m.REQUESTABLE
    assert m.FILE_DIRECTIONS == ("to_customer", "to_technician")
    assert m.MAX_CLIPBOARD == 65_536 and m.MAX_FILE_CHUNK == 262_144
    assert m.MAX_OPEN_TRANSFERS == 4


def _json(type_byte: int, obj: object) -> bytes:
    return bytes((type_byte,)) + json.dumps(obj).encode()


BAD = [
    ("request nothing", _json(0x0B, {"permissions": []})),
    ("request view", _json(0x0B, {"permissions": ["view"]})),
    ("request chat", _json(0x0B, {"permissions": ["chat"]})),
    ("request unknown", _json(0x0B, {"permissions": ["files"]})),
    ("request unsorted", _json(0x0B, {"permissions": ["files_in", "clipboard"]})),
    ("request twice", _json(0x0B, {"permissions": ["clipboard", "clipboard"]})),
    ("request extra key", _json(0x0B, {"permissions": ["clipboard"], "why": "x"})),
    ("clipboard empty", b"\x50"),
    ("clipboard too long", b"\x50" + b"x" * (m.MAX_CLIPBOARD + 1)),
    ("clipboard not utf-8", b"\x50\xff\xfe"),
    ("clipboard surrogate", b"\x50\xed\xa0\x80"),
    ("clipboard NUL", b"\x50a\x00b"),
    ("offer id 0", _json(0x51, {"id": 0, "name": "a", "size": 1, "sha256": HASH})),
    ("offer id too big", _json(0x51, {"id": 2**31, "name": "a", "size": 1, "sha256": HASH})),
    ("offer id bool", _json(0x51, {"id": True, "name": "a", "size": 1, "sha256": HASH})),
    ("offer empty name", _json(0x51, {"id": 1, "name": "", "size": 1, "sha256": HASH})),
    ("offer long name", _json(0x51, {"id": 1, "name": "a" * 256, "size": 1, "sha256": HASH})),
    ("offer NUL name", _json(0x51, {"id": 1, "name": "a\x00b", "size": 1, "sha256": HASH})),
    ("offer surrogate name", b'\x51{"id":1,"name":"\\ud800","sha256":"' + HASH.encode()
     + b'","size":1}'),
    ("offer name list", _json(0x51, {"id": 1, "name": ["a"], "size": 1, "sha256": HASH})),
    ("offer negative size", _json(0x51, {"id": 1, "name": "a", "size": -1, "sha256": HASH})),
    ("offer huge size", _json(0x51, {"id": 1, "name": "a", "size": 2**40 + 1, "sha256": HASH})),
    ("offer float size", _json(0x51, {"id": 1, "name": "a", "size": 1.0, "sha256": HASH})),
    ("offer upper hash", _json(0x51, {"id": 1, "name": "a", "size": 1, "sha256": HASH.upper()})),
    ("offer short hash", _json(0x51, {"id": 1, "name": "a", "size": 1, "sha256": HASH[:-1]})),
    ("offer missing key", _json(0x51, {"id": 1, "name": "a", "size": 1})),
    ("accept negative", _json(0x52, {"id": 1, "offset": -1})),
    ("accept past 1 TiB", _json(0x52, {"id": 1, "offset": 2**40 + 1})),
    ("accept extra", _json(0x52, {"id": 1, "offset": 0, "x": 1})),
    ("chunk empty", b"\x53" + struct.pack(">IQ", 1, 0)),
    ("chunk too big", b"\x53" + struct.pack(">IQ", 1, 0) + bytes(m.MAX_FILE_CHUNK + 1)),
    ("chunk short head", b"\x53\x00\x00\x00\x01"),
    ("chunk id 0", b"\x53" + struct.pack(">IQ", 0, 0) + b"a"),
    ("chunk id 2**31", b"\x53" + struct.pack(">IQ", 2**31, 0) + b"a"),
    ("chunk offset past 1 TiB", b"\x53" + struct.pack(">IQ", 1, 2**40 + 1) + b"a"),
    ("ack short", b"\x54" + struct.pack(">IQ", 1, 0)[:-1]),
    ("ack long", b"\x54" + struct.pack(">IQ", 1, 0) + b"\x00"),
    ("ack id 0", b"\x54" + struct.pack(">IQ", 0, 0)),
    ("complete id text", _json(0x55, {"id": "1"})),
    ("complete extra", _json(0x55, {"id": 1, "sha256": HASH})),
    ("cancel bad direction", _json(0x56, {"id": 1, "direction": "up", "reason": "cancelled"})),
    ("cancel bad reason", _json(0x56, {"id": 1, "direction": "to_customer", "reason": "boom"})),
    ("cancel missing", _json(0x56, {"id": 1, "reason": "cancelled"})),
    ("json array", _json(0x55, [1])),
    ("duplicate key", b'\x55{"id":1,"id":2}'),
]


@pytest.mark.parametrize(("why", "data"), BAD, ids=[b[0] for b in BAD])
def test_malformed_new_messages_are_protocol_errors(why: str, data: bytes) -> None:
    with pytest.raises(ProtocolError):
        m.decode(data)


def test_clipboard_text_is_the_texts_own() -> None:
    """Tabs, newlines, bidi marks and emoji are pasted as they are (never shown)."""
    text = "a\tb\r\nc\u202ed\u200b 👍"
    assert m.decode(m.encode(m.ClipboardText(text))) == m.ClipboardText(text)
    with pytest.raises(ProtocolError):
        m.ClipboardText("\ud800")
    with pytest.raises(ProtocolError):
        m.ClipboardText("ü" * (m.MAX_CLIPBOARD // 2 + 1))  # bytes count, not characters


def test_hostile_names_are_carried_not_judged() -> None:
    """The decoder carries any name but NUL (the receiver sanitises): a hostile name is a
    case for safe_name, never a protocol error."""
    for name in ("../../x", "CON", "a\u202egnp.exe", "x" * 255, "C:\\Windows\\a.exe", "\n"):
        offer = m.FileOffer(3, name, 10, HASH)
        assert m.decode(m.encode(offer)) == offer


@settings(max_examples=300, derandomize=True)
@given(st.sampled_from(NEW_TYPES), st.binary(max_size=400))
def test_random_bodies_raise_only_protocol_errors(type_byte: int, body: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        m.decode(bytes((type_byte,)) + body)


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-2**64, 2**64) | st.floats() | st.text(max_size=70),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=6)


@settings(max_examples=300, derandomize=True)
@given(st.sampled_from((0x0B, 0x51, 0x52, 0x55, 0x56)),
       st.dictionaries(st.sampled_from(["id", "name", "size", "sha256", "offset", "direction",
                                        "reason", "permissions", "x"]), _JSONISH, max_size=5))
def test_json_shaped_garbage_raises_only_protocol_errors(type_byte: int,
                                                         obj: dict[str, object]) -> None:
    try:
        data = bytes((type_byte,)) + json.dumps(obj).encode()
    except ValueError:  # NaN etc: json.dumps allows it, the decoder must refuse it anyway
        return
    with contextlib.suppress(ProtocolError):
        m.decode(data)


@settings(max_examples=200, derandomize=True)
@given(st.integers(1, 2**31 - 1), st.integers(0, 2**40), st.binary(min_size=1, max_size=64))
def test_chunk_and_ack_round_trip(file_id: int, offset: int, data: bytes) -> None:
    for msg in (m.FileChunk(file_id, max(0, offset - len(data)), data), m.FileAck(file_id, offset)):
        assert m.decode(m.encode(msg)) == msg


@settings(max_examples=200, derandomize=True)
@given(st.text(min_size=1, max_size=255).filter(lambda t: "\x00" not in t),
       st.integers(0, 2**40), st.from_regex(r"\A[0-9a-f]{64}\Z"))
def test_offer_round_trip(name: str, size: int, digest: str) -> None:
    try:
        offer = m.FileOffer(1, name, size, digest)
    except ProtocolError:  # a lone surrogate: not valid Unicode
        return
    assert m.decode(m.encode(offer)) == offer


@settings(max_examples=200, derandomize=True)
@given(st.text(min_size=1, max_size=200))
def test_clipboard_round_trip(text: str) -> None:
    try:
        msg = m.ClipboardText(text)
    except ProtocolError:
        assert "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)
        return
    assert m.decode(m.encode(msg)) == msg


@pytest.mark.parametrize("build", [
    lambda: m.ClipboardText(5),  # type: ignore[arg-type]
    lambda: m.FileChunk(1, 0, b""),
    lambda: m.FileChunk(1, 0, bytes(m.MAX_FILE_CHUNK + 1)),
    lambda: m.FileChunk(1, 0, "text"),  # type: ignore[arg-type]
    lambda: m.FileOffer(1, "a", 1, "0" * 63),
    lambda: m.FileCancel(1, "to_customer", "because"),
    lambda: m.PermissionRequest(frozenset({"view", "control"})),
])
def test_invalid_new_messages_cannot_be_built(build: object) -> None:
    with pytest.raises(ProtocolError):
        build()  # type: ignore[operator]
