"""Message set v1: every message round-trips, and anything malformed is a ProtocolError."""

from __future__ import annotations

import contextlib
import json
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared.errors import MessageTooLarge, ProtocolError, UnsupportedVersion
from shared.messages import (
    MAX_PLAINTEXT,
    PROTOCOL_VERSION,
    ChatText,
    ConsentDecision,
    ConsentRequest,
    CursorShape,
    CursorUpdate,
    End,
    Error,
    FrameAck,
    FrameUpdate,
    Hello,
    Key,
    Message,
    PermissionChange,
    Ping,
    PointerButton,
    PointerMove,
    Pong,
    Rect,
    StreamSettings,
    TechnicianProof,
    Wheel,
    decode,
    encode,
)

SAMPLES: list[Message] = [
    Hello(PROTOCOL_VERSION, "0.1.0", "console", "Jörg Müller", "Musterfirma GmbH"),
    Hello(PROTOCOL_VERSION, "0.1.0", "agent", "", ""),
    ConsentRequest(frozenset({"view", "control"})),
    ConsentDecision(True, frozenset({"view"})),
    ConsentDecision(False, frozenset()),
    PermissionChange(frozenset()),
    PermissionChange(frozenset({"view", "control", "clipboard", "files_in", "files_out",
                                "chat"})),
    ChatText("Hallo!\nIch sehe jetzt Ihren Bildschirm. 👍"),
    End("customer_ended"),
    Error("unsupported_version", "Please update Fernhilfe."),
    Error("unverified_technician", "This computer accepts only verified technicians."),
    TechnicianProof(b"FHCT\x01" + bytes(200), bytes(range(64))),
    TechnicianProof(bytes(1024), bytes(64)),
    PointerMove(0, 0),
    PointerMove(8191, 1079),
    PointerButton("left", True, 10, 20),
    PointerButton("forward", False, 0, 0),
    Wheel(-3, 1, 5, 6),
    Wheel(-32768, 32767, 0, 0),
    Key("KeyA", "a", True),
    Key("ShiftLeft", "", False),
    Key("BracketLeft", "ü", True),
    Key("Enter", "\r", True),
    FrameUpdate(1920, 1080, (), 0),
    FrameUpdate(
        1920,
        1080,
        (Rect(0, 0, 64, 64, 0, b"\x01\x02\x03\xff"), Rect(1856, 1016, 64, 64, 3, bytes(500))),
        4294967295,
    ),
    FrameAck(17),
    CursorUpdate(100, 200, True),
    CursorUpdate(0, 0, False, CursorShape(2, 3, 1, 2, bytes(range(24)))),
    StreamSettings(75, 0),
    StreamSettings(0, 64_000),
    StreamSettings(100, 0xFFFFFFFF),
    Ping(0),
    Pong(2**64 - 1),
    m.ChatRecording(True),
    m.SharingPaused(True, "timeout"),
    m.SharingPaused(False, "customer"),
    m.SystemNotice("foreground_elevated"),
    m.Monitors((m.Monitor(0, 0, 1920, 1080, True), m.Monitor(-1280, -24, 1280, 1024)), 2),
    m.Monitors((m.Monitor(0, 0, 8192, 8192),), 0),
    m.ChooseMonitor(0),
    m.ChooseMonitor(16),
    m.LinkEstimate(0, 0, 0, 0),
    m.LinkEstimate(0xFFFFFFFF, 0xFFFF, 0xFFFF, 0xFFFF),
    m.LaserPointer(True, 8191, 0),
    m.LaserPointer(False, 0, 0),
    m.Annotation(65535, "line", ((0, 0),) * 256),
    m.Annotation(0, "arrow", ((1, 2), (3, 4))),
    m.AnnotationClear(),
    m.PermissionRequest(frozenset({"clipboard"})),
    m.PermissionRequest(frozenset({"control", "clipboard", "files_in", "files_out"})),
    m.ClipboardText("Lizenz: ABCD-1234\n\tzweite Zeile \u202e ok"),
    m.ClipboardText("x" * m.MAX_CLIPBOARD),
    m.FileOffer(1, "../../x", 0, "0" * 64),
    m.FileOffer(2**31 - 1, "a\u202egnp.exe" + "ä" * 240, 2**40, "f" * 64),
    m.FileAccept(7, 0),
    m.FileAccept(7, 2**40),
    m.FileChunk(1, 0, b"\x00"),
    m.FileChunk(2**31 - 1, 2**40 - 1, bytes(m.MAX_FILE_CHUNK)),
    m.FileAck(1, 0),
    m.FileAck(3, 2**40),
    m.FileComplete(9),
    m.FileCancel(1, "to_customer", "revoked"),
    m.FileCancel(4, "to_technician", "hash_mismatch"),
]


@pytest.mark.parametrize("msg", SAMPLES, ids=lambda m: type(m).__name__)
def test_round_trip(msg: Message) -> None:
    data = encode(msg)
    assert decode(data) == msg
    assert encode(decode(data)) == data  # canonical


def test_every_message_type_is_sampled() -> None:
    assert {type(m) for m in SAMPLES} == set(Message.__args__)


def test_type_bytes_and_compact_layouts() -> None:
    """Pin the wire layout of the high-rate messages."""
    assert encode(PointerMove(1, 2)) == b"\x10\x00\x01\x00\x02"
    assert encode(PointerButton("right", True, 3, 4)) == b"\x11\x02\x01\x00\x03\x00\x04"
    assert encode(Wheel(-1, 2, 3, 4)) == b"\x12\xff\xff\x00\x02\x00\x03\x00\x04"
    assert encode(Key("KeyA", "a", True)) == b"\x13\x01\x04KeyA\x01a"
    assert encode(FrameAck(1)) == b"\x21\x00\x00\x00\x01"
    assert encode(Ping(1)) == b"\x30" + (1).to_bytes(8, "big")
    assert encode(Pong(1))[0] == 0x31
    assert encode(TechnicianProof(b"abc", bytes(64))) == b"\x08\x00\x03abc" + bytes(64)
    assert encode(FrameUpdate(4, 2, (Rect(1, 0, 3, 2, 7, b"ab"),), 9)) == (
        b"\x20"
        + struct.pack(">HHIH", 4, 2, 9, 1)
        + struct.pack(">HHHHBI", 1, 0, 3, 2, 7, 2)
        + b"ab"
    )
    assert encode(CursorUpdate(1, 2, True)) == b"\x22\x00\x01\x00\x02\x01\x00"
    assert encode(End("timeout")) == b'\x06{"reason":"timeout"}'
    assert encode(StreamSettings(40, 250000)) == (
        b'\x23{"max_bytes_per_s":250000,"quality":40}'
    )
    assert encode(ConsentRequest(frozenset({"view", "control"}))) == (
        b'\x02{"permissions":["control","view"]}'
    )


def control(type_byte: int, obj: object) -> bytes:
    return bytes((type_byte,)) + json.dumps(obj).encode()


HELLO = {
    "protocol_version": 1,
    "app_version": "0.1.0",
    "role": "console",
    "name": "Jörg",
    "organisation": "",
}

BAD: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("unknown type", b"\x99"),
    ("reserved type zero", b"\x00"),
    ("trailing byte", encode(PointerMove(1, 2)) + b"\x00"),
    ("short pointer", encode(PointerMove(1, 2))[:-1]),
    ("x out of range", b"\x10" + struct.pack(">HH", 8192, 0)),
    ("unknown button", b"\x11\x05\x01\x00\x00\x00\x00"),
    ("pressed is 2", b"\x11\x00\x02\x00\x00\x00\x00"),
    ("key code not ascii", b"\x13\x01\x02\xc3\xa4\x00"),
    ("key code empty", b"\x13\x01\x00\x00"),
    ("key text bad utf8", b"\x13\x01\x04KeyA\x01\xff"),
    ("key text short", b"\x13\x01\x04KeyA\x05ab"),
    ("key trailing", b"\x13\x01\x04KeyA\x00x"),
    ("frame ack short", b"\x21\x00"),
    ("ping long", b"\x30" + bytes(9)),
    ("frame no header", b"\x20\x00"),
    ("frame zero width", b"\x20" + struct.pack(">HHIH", 0, 10, 0, 0)),
    ("frame too wide", b"\x20" + struct.pack(">HHIH", 16385, 10, 0, 0)),
    (
        "rect outside screen",
        b"\x20" + struct.pack(">HHIH", 100, 100, 0, 1) + struct.pack(">HHHHBI", 90, 0, 11, 1, 0, 0),
    ),
    (
        "rect zero size",
        b"\x20" + struct.pack(">HHIH", 100, 100, 0, 1) + struct.pack(">HHHHBI", 0, 0, 0, 1, 0, 0),
    ),
    (
        "rect payload cut",
        b"\x20" + struct.pack(">HHIH", 100, 100, 0, 1) + struct.pack(">HHHHBI", 0, 0, 1, 1, 0, 5),
    ),
    ("frame missing rect", b"\x20" + struct.pack(">HHIH", 100, 100, 0, 1)),
    ("frame trailing", encode(FrameUpdate(10, 10, (), 1)) + b"\x00"),
    ("cursor visible 3", b"\x22\x00\x00\x00\x00\x03\x00"),
    ("cursor trailing", encode(CursorUpdate(1, 2, True)) + b"\x00"),
    (
        "cursor shape size",
        b"\x22" + bytes(4) + b"\x01\x01" + struct.pack(">HHHH", 2, 2, 0, 0) + bytes(15),
    ),
    (
        "cursor hotspot outside",
        b"\x22" + bytes(4) + b"\x01\x01" + struct.pack(">HHHH", 1, 1, 1, 0) + bytes(4),
    ),
    (
        "cursor too big",
        b"\x22" + bytes(4) + b"\x01\x01" + struct.pack(">HHHH", 257, 1, 0, 0) + bytes(1028),
    ),
    ("not json", b"\x01{nope"),
    ("json not object", control(0x01, [1, 2])),
    ("json bad utf8", b"\x05" + b'{"text":"\xff"}'),
    ("hello missing field", control(0x01, {k: v for k, v in HELLO.items() if k != "name"})),
    ("hello unknown field", control(0x01, {**HELLO, "admin": True})),
    ("hello role", control(0x01, {**HELLO, "role": "relay"})),
    ("hello role unhashable", control(0x01, {**HELLO, "role": ["agent"]})),
    ("hello name type", control(0x01, {**HELLO, "name": 5})),
    ("hello name too long", control(0x01, {**HELLO, "name": "x" * 101})),
    ("hello name control char", control(0x01, {**HELLO, "name": "Bob\x1b[31m"})),
    ("hello name bidi override", control(0x01, {**HELLO, "name": "Bob\u202eevil"})),
    ("hello version float", control(0x01, {**HELLO, "protocol_version": 1.0})),
    ("hello version bool", control(0x01, {**HELLO, "protocol_version": True})),
    ("duplicate key", b'\x06{"reason":"timeout","reason":"denied"}'),
    ("NaN", b'\x01{"protocol_version":NaN}'),
    ("lone surrogate", b'\x05{"text":"\\ud800"}'),
    ("deep nesting", b"\x05" + b"[" * 50000 + b"]" * 50000),
    ("huge int", b'\x06{"reason":' + b"9" * 5000 + b"}"),
    ("permission unknown", control(0x02, {"permissions": ["view", "root"]})),
    ("permission empty request", control(0x02, {"permissions": []})),
    ("permission duplicate", control(0x04, {"permissions": ["view", "view"]})),
    ("permission unsorted", control(0x04, {"permissions": ["view", "control"]})),
    ("permission not a list", control(0x04, {"permissions": "view"})),
    ("permission not strings", control(0x04, {"permissions": [["view"]]})),
    ("denial with permissions", control(0x03, {"allowed": False, "permissions": ["view"]})),
    ("allowed not bool", control(0x03, {"allowed": 1, "permissions": ["view"]})),
    ("end reason format", control(0x06, {"reason": "Customer Ended"})),
    ("end reason type", control(0x06, {"reason": None})),
    ("error message too long", control(0x07, {"code": "x", "message": "m" * 1025})),
    ("chat empty", control(0x05, {"text": ""})),
    ("chat too long", control(0x05, {"text": "x" * 4097})),
    ("control body too long", control(0x05, {"text": "x" * 70000})),
    ("stream quality 101", control(0x23, {"quality": 101, "max_bytes_per_s": 0})),
    ("stream quality negative", control(0x23, {"quality": -1, "max_bytes_per_s": 0})),
    ("stream quality float", control(0x23, {"quality": 75.0, "max_bytes_per_s": 0})),
    ("stream quality bool", control(0x23, {"quality": True, "max_bytes_per_s": 0})),
    ("stream quality null", control(0x23, {"quality": None, "max_bytes_per_s": 0})),
    ("stream rate negative", control(0x23, {"quality": 75, "max_bytes_per_s": -1})),
    ("stream rate too big", control(0x23, {"quality": 75, "max_bytes_per_s": 2**32})),
    ("stream rate string", control(0x23, {"quality": 75, "max_bytes_per_s": "10M"})),
    ("stream missing field", control(0x23, {"quality": 75})),
    ("stream unknown field", control(0x23, {"quality": 75, "max_bytes_per_s": 0, "fps": 30})),
    ("stream not object", control(0x23, [75, 0])),
    ("stream empty body", b"\x23"),
    ("proof empty body", b"\x08"),
    ("proof one byte", b"\x08\x00"),
    ("proof empty certificate", b"\x08\x00\x00" + bytes(64)),
    ("proof certificate over the cap", b"\x08\x04\x01" + bytes(1025 + 64)),
    ("proof length lies", b"\x08\xff\xff" + bytes(100)),
    ("proof signature short", b"\x08\x00\x05" + bytes(5 + 63)),
    ("proof signature long", b"\x08\x00\x05" + bytes(5 + 65)),
]


@pytest.mark.parametrize(("why", "data"), BAD, ids=[why for why, _ in BAD])
def test_malformed_is_protocol_error(why: str, data: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode(data)


def test_newer_hello_asks_to_update_before_checking_fields() -> None:
    data = control(0x01, {**HELLO, "protocol_version": PROTOCOL_VERSION + 1, "new_field": "x"})
    with pytest.raises(UnsupportedVersion, match="Please update this program"):
        decode(data)
    with pytest.raises(UnsupportedVersion, match="Please update the other"):
        decode(encode(Hello(0, "0.0.1", "agent", "", "")))


def test_size_limits() -> None:
    with pytest.raises(MessageTooLarge):
        decode(b"\x20" + bytes(MAX_PLAINTEXT))
    big = FrameUpdate(4096, 4096, (Rect(0, 0, 4096, 4096, 0, bytes(MAX_PLAINTEXT)),), 1)
    with pytest.raises(MessageTooLarge):
        encode(big)
    fits = FrameUpdate(10, 10, (Rect(0, 0, 10, 10, 0, bytes(MAX_PLAINTEXT - 30)),), 1)
    assert decode(encode(fits)) == fits


def wrong(value: object) -> Any:
    """A value of the wrong type on purpose: the constructor's own check is under test."""
    return value


@pytest.mark.parametrize(
    "build",
    [
        lambda: PointerMove(-1, 0),
        lambda: PointerMove(wrong(1.5), 0),
        lambda: PointerButton(wrong("thumb"), True, 0, 0),
        lambda: PointerButton("left", wrong(1), 0, 0),
        lambda: Wheel(40000, 0, 0, 0),
        lambda: Key("Key A", "", True),
        lambda: Key("KeyA", "x" * 33, True),
        lambda: Key("KeyA", "\ud800", True),
        lambda: ConsentRequest(wrong({"view"})),
        lambda: ConsentRequest(frozenset()),
        lambda: Hello(1, "0.1", "agent", "\ud800", ""),
        lambda: FrameUpdate(10, 10, wrong([Rect(0, 0, 1, 1, 0, b"")]), 0),
        lambda: FrameUpdate(10, 10, (Rect(5, 5, 6, 1, 0, b""),), 0),
        lambda: Rect(0, 0, 1, 1, 256, b""),
        lambda: Rect(0, 0, 1, 1, 0, wrong(bytearray())),
        lambda: FrameAck(-1),
        lambda: Ping(2**64),
        lambda: CursorUpdate(0, 0, True, wrong((1, 1, 0, 0, bytes(4)))),
        lambda: StreamSettings(101, 0),
        lambda: StreamSettings(50, -1),
        lambda: StreamSettings(wrong(50.0), 0),
        lambda: TechnicianProof(b"", bytes(64)),
        lambda: TechnicianProof(bytes(1025), bytes(64)),
        lambda: TechnicianProof(bytes(10), bytes(63)),
        lambda: TechnicianProof(wrong(bytearray(10)), bytes(64)),
        lambda: TechnicianProof(bytes(10), wrong("x" * 64)),
    ],
)
def test_invalid_messages_cannot_be_built(build: object) -> None:
    with pytest.raises(ProtocolError):
        build()  # type: ignore[operator]


def test_encode_rejects_non_messages() -> None:
    with pytest.raises(TypeError):
        encode(Rect(0, 0, 1, 1, 0, b""))  # type: ignore[arg-type]


@settings(max_examples=1000, derandomize=True)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_protocol_errors(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        decode(data)


@settings(max_examples=500, derandomize=True)
@given(st.sampled_from(SAMPLES), st.data())
def test_mutated_messages_raise_only_protocol_errors(msg: Message, data: st.DataObject) -> None:
    raw = bytearray(encode(msg))
    for _ in range(data.draw(st.integers(1, 4))):
        choice = data.draw(st.integers(0, 2))
        pos = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if choice == 0 and raw:
            raw[pos] = data.draw(st.integers(0, 255))
        elif choice == 1 and raw:
            del raw[pos]
        else:
            raw.insert(pos, data.draw(st.integers(0, 255)))
    with contextlib.suppress(ProtocolError):
        decode(bytes(raw))


@settings(derandomize=True)
@given(
    st.integers(0, 8191),
    st.integers(0, 8191),
    st.sampled_from(["left", "middle", "right", "back", "forward"]),
    st.booleans(),
)
def test_pointer_round_trip_property(x: int, y: int, button: str, pressed: bool) -> None:
    for msg in (PointerMove(x, y), PointerButton(button, pressed, x, y)):  # type: ignore[arg-type]
        assert decode(encode(msg)) == msg


@settings(derandomize=True)
@given(st.from_regex(r"\A[A-Za-z0-9]{1,32}\Z"), st.text(max_size=8), st.booleans())
def test_key_round_trip_property(code: str, text: str, pressed: bool) -> None:
    try:
        msg = Key(code, text, pressed)
    except ProtocolError:
        return  # text that is not encodable or too long
    assert decode(encode(msg)) == msg


@settings(derandomize=True)
@given(st.text(max_size=100), st.text(max_size=100))
def test_hello_round_trip_property(name: str, organisation: str) -> None:
    try:
        msg = Hello(PROTOCOL_VERSION, "0.1.0", "console", name, organisation)
    except ProtocolError:
        return
    assert decode(encode(msg)) == msg


# ----------------------------------------------------------------------------- hostile names


def _raw_hello(name: str, organisation: str = "Acme") -> bytes:
    """A Hello as a hostile peer would write it by hand (the constructor would refuse it)."""
    body = json.dumps({"protocol_version": PROTOCOL_VERSION, "app_version": "0.1.0",
                       "role": "console", "name": name, "organisation": organisation})
    return bytes((Hello.TYPE,)) + body.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize(
    "name",
    ["Eva\u2028Identity checked", "Eva\u2029Safe to allow", "Eva\u202eTI emcA", "E\u200bva",
     "Eva\u2066x\u2069", "Eva\ufeff", "Eva\u00ad", "x" * 10_000, "山" * 5000, "Eva\u3164",
     "a" + "\u0301" * 50],
    ids=["LS", "PS", "RLO", "ZWSP", "isolate", "BOM", "soft-hyphen", "10kB", "wide", "filler",
         "zalgo"],
)
@pytest.mark.parametrize("field", ["name", "organisation"])
def test_hello_decoder_rejects_hostile_names(name: str, field: str) -> None:
    data = _raw_hello(name) if field == "name" else _raw_hello("Eva", name)
    with pytest.raises(ProtocolError, match=field):
        decode(data)
    with pytest.raises(ProtocolError):
        names = {"name": "Eva", "organisation": "", field: name}
        Hello(PROTOCOL_VERSION, "0.1.0", "console", names["name"], names["organisation"])


@settings(derandomize=True, max_examples=300)
@given(st.text(max_size=60), st.sampled_from("\u2028\u2029\u200b\u200d\u202e\u2067\ufeff\x85"))
def test_hello_decoder_never_accepts_separators_or_format_chars(name: str, bad: str) -> None:
    with pytest.raises(ProtocolError):
        decode(_raw_hello(name + bad))


def test_other_text_fields_reject_separators_and_format_chars() -> None:
    for text in ("a\u2028b", "a\u200bb", "a\u202eb"):
        with pytest.raises(ProtocolError):
            Error("error", text)
        with pytest.raises(ProtocolError):
            ChatText(text)


def test_hostile_name_ends_the_session_with_a_protocol_error() -> None:
    """A forged Hello never reaches a widget: the agent's session ends, the console is told."""
    from shared.codes import SessionCode
    from shared.session import AgentSession, ConsentRequested, ConsoleSession, SessionEnded
    from tests.shared.test_session import pump

    code = SessionCode("123", "456789")
    agent = AgentSession(code)
    console = ConsoleSession(code, name="Eva", organisation="Acme")
    forged = object.__new__(Hello)
    for key, value in {"protocol_version": PROTOCOL_VERSION, "app_version": "0.1.0",
                       "role": "console", "name": "Eva\u2028Identity checked",
                       "organisation": "Acme"}.items():
        object.__setattr__(forged, key, value)
    console._hello = forged  # the console's own constructor would refuse this name
    agent_events, console_events = pump(agent, console, [agent.start()], [console.start()])
    assert not any(isinstance(ev, ConsentRequested) for ev in agent_events)
    ended = [ev for ev in agent_events if isinstance(ev, SessionEnded)]
    assert [ev.reason for ev in ended] == ["protocol_error"]
    assert "line or paragraph break" in ended[0].message
    assert [ev.reason for ev in console_events if isinstance(ev, SessionEnded)] == [
        "protocol_error"]
