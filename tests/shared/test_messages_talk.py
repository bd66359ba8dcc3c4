"""The issue-15 messages (chat, chat opt-in, pause, monitors, pointer, drawings) on the wire.

Every decoder of untrusted bytes is fuzzed (hypothesis): whatever arrives raises nothing but
ProtocolError (ResourceLimit is one); what can be built round-trips; the counts that size a
Monitors or Annotation body are checked from the header, before anything is built.
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
from shared.messages import binary

TALK_TYPES = (m.ChatText, m.ChatRecording, m.SharingPaused, m.Monitors, m.ChooseMonitor,
              m.LaserPointer, m.Annotation, m.AnnotationClear)

coord = st.integers(0, m.MAX_COORDINATE)
monitor = st.builds(m.Monitor, st.integers(-0x8000, 0x7FFF), st.integers(-0x8000, 0x7FFF),
                    st.integers(1, m.MAX_DIMENSION), st.integers(1, m.MAX_DIMENSION),
                    st.booleans())
monitors = st.lists(monitor, min_size=1, max_size=m.MAX_MONITORS).flatmap(
    lambda ms: st.builds(m.Monitors, st.just(tuple(ms)), st.integers(0, len(ms))))
annotation = st.builds(
    m.Annotation, st.integers(0, m.MAX_STROKE_ID), st.sampled_from(m.ANNOTATION_KINDS),
    st.lists(st.tuples(coord, coord), min_size=1, max_size=m.MAX_ANNOTATION_POINTS).map(tuple))
#: Chat text the protocol carries: letters, umlauts, emoji, tabs and newlines.
chat_text = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")) | st.sampled_from("\n\t"),
                    min_size=1, max_size=300)
talk = st.one_of(
    st.builds(m.ChatText, chat_text),
    st.builds(m.ChatRecording, st.booleans()),
    st.builds(m.SharingPaused, st.booleans(), st.sampled_from(sorted(m.PAUSE_REASONS))),
    monitors,
    st.builds(m.ChooseMonitor, st.integers(0, m.MAX_MONITORS)),
    st.builds(m.LaserPointer, st.booleans(), coord, coord),
    annotation,
    st.just(m.AnnotationClear()),
)


@settings(max_examples=400, derandomize=True)
@given(talk)
def test_what_can_be_built_round_trips(msg: m.Message) -> None:
    data = m.encode(msg)
    assert m.decode(data) == msg
    assert m.encode(m.decode(data)) == data


@pytest.mark.parametrize("kind", TALK_TYPES, ids=lambda k: k.__name__)
@settings(max_examples=300, derandomize=True)
@given(body=st.binary(max_size=200))
def test_random_bodies_raise_only_protocol_errors(kind: type[m.Message], body: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        assert type(m.decode(bytes((kind.TYPE,)) + body)) is kind


@settings(max_examples=400, derandomize=True)
@given(talk, st.data())
def test_mutated_talk_raises_only_protocol_errors(msg: m.Message, data: st.DataObject) -> None:
    raw = bytearray(m.encode(msg))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(1, max(1, len(raw) - 1)))
        what = data.draw(st.integers(0, 2))
        if what == 0 and len(raw) > 1:
            raw[min(pos, len(raw) - 1)] = data.draw(st.integers(0, 255))
        elif what == 1 and len(raw) > 1:
            del raw[min(pos, len(raw) - 1)]
        else:
            raw.insert(pos, data.draw(st.integers(0, 255)))
    with contextlib.suppress(ProtocolError):
        m.decode(bytes(raw))


def test_wire_layouts_are_pinned() -> None:
    """The bytes docs/PROTOCOL.md sections 7.1, 7.2 and 16 describe."""
    assert m.encode(m.ChatText("Grüße\n")) == b"\x05" + '{"text":"Grüße\\n"}'.encode()
    assert m.encode(m.ChatRecording(True)) == b'\x09{"recorded":true}'
    assert m.encode(m.SharingPaused(True, "timeout")) == (
        b'\x0a{"paused":true,"reason":"timeout"}')
    assert m.encode(m.Monitors((m.Monitor(-1280, 0, 1280, 1024),
                                m.Monitor(0, 0, 1920, 1080, True)), 2)) == (
        b"\x24\x02\x02" + struct.pack(">hhHHB", -1280, 0, 1280, 1024, 0)
        + struct.pack(">hhHHB", 0, 0, 1920, 1080, 1))
    assert m.encode(m.ChooseMonitor(2)) == b"\x25\x02"
    assert m.encode(m.LaserPointer(True, 300, 7)) == b"\x40\x01\x01\x2c\x00\x07"
    assert m.encode(m.Annotation(258, "arrow", ((1, 2), (3, 4)))) == (
        b"\x41\x01\x02\x01\x00\x02\x00\x01\x00\x02\x00\x03\x00\x04")
    assert m.encode(m.AnnotationClear()) == b"\x42"


def _json(type_byte: int, obj: object) -> bytes:
    return bytes((type_byte,)) + json.dumps(obj).encode()


MONITOR = struct.pack(">hhHHB", 0, 0, 640, 480, 1)

MALFORMED = {
    "chat empty": _json(0x05, {"text": ""}),
    "chat 10 kB": _json(0x05, {"text": "ä" * 10_000}),
    "chat 4097": _json(0x05, {"text": "x" * 4097}),
    "chat carriage return": _json(0x05, {"text": "a\rb"}),
    "chat bidi override": _json(0x05, {"text": "abc\u202edef"}),
    "chat zero width": _json(0x05, {"text": "a\u200bb"}),
    "chat line separator": _json(0x05, {"text": "a\u2028b"}),
    "chat lone surrogate": b'\x05{"text":"\\ud800"}',
    "chat number": _json(0x05, {"text": 5}),
    "chat extra key": _json(0x05, {"text": "hi", "html": "<b>"}),
    "recording as number": _json(0x09, {"recorded": 1}),
    "recording missing": _json(0x09, {}),
    "paused bad reason": _json(0x0A, {"paused": True, "reason": "bored"}),
    "paused reason number": _json(0x0A, {"paused": True, "reason": 1}),
    "paused as string": _json(0x0A, {"paused": "yes", "reason": "timeout"}),
    "paused extra": _json(0x0A, {"paused": True, "reason": "timeout", "x": 1}),
    "monitors none": b"\x24\x00\x00",
    "monitors 17": b"\x24\x00\x11" + MONITOR * 17,
    "monitors shared 2 of 1": b"\x24\x02\x01" + MONITOR,
    "monitors short": b"\x24\x01\x02" + MONITOR,
    "monitors trailing": b"\x24\x01\x01" + MONITOR + b"\x00",
    "monitors header only": b"\x24\x01",
    "monitor primary 2": b"\x24\x01\x01" + struct.pack(">hhHHB", 0, 0, 640, 480, 2),
    "monitor width 0": b"\x24\x01\x01" + struct.pack(">hhHHB", 0, 0, 0, 480, 1),
    "monitor height 8193": b"\x24\x01\x01" + struct.pack(">hhHHB", 0, 0, 640, 8193, 1),
    "choose 17": b"\x25\x11",
    "choose empty": b"\x25",
    "choose two bytes": b"\x25\x01\x01",
    "laser visible 2": b"\x40\x02\x00\x01\x00\x01",
    "laser x 8192": b"\x40\x01" + struct.pack(">HH", 8192, 0),
    "laser short": b"\x40\x01\x00\x01",
    "annotation kind 2": b"\x41\x00\x01\x02\x00\x01" + struct.pack(">HH", 1, 1),
    "annotation no points": b"\x41\x00\x01\x00\x00\x00",
    "annotation 257 points": b"\x41\x00\x01\x00\x01\x01" + struct.pack(">HH", 1, 1) * 257,
    "annotation short": b"\x41\x00\x01\x00\x00\x02" + struct.pack(">HH", 1, 1),
    "annotation trailing": b"\x41\x00\x01\x00\x00\x01" + struct.pack(">HH", 1, 1) + b"\x00",
    "annotation y 8192": b"\x41\x00\x01\x00\x00\x01" + struct.pack(">HH", 1, 8192),
    "annotation header cut": b"\x41\x00\x01\x00",
    "clear with a body": b"\x42\x00",
}


@pytest.mark.parametrize("data", MALFORMED.values(), ids=list(MALFORMED))
def test_malformed_talk_is_a_protocol_error(data: bytes) -> None:
    with pytest.raises(ProtocolError, match="Malformed message from the other side"):
        m.decode(data)


def test_chat_limits_are_code_points_not_bytes() -> None:
    """4096 umlauts (8192 UTF-8 bytes) are one legal line; tabs and newlines are allowed."""
    for text in ("ä" * m.MAX_CHAT, "Zeile 1\nZeile 2\tTab", "👍"):
        assert m.decode(m.encode(m.ChatText(text))) == m.ChatText(text)
    with pytest.raises(ProtocolError, match="1 to 4096 characters"):
        m.decode(MALFORMED["chat 10 kB"])


class _Built(Exception):
    """Raised by a stand-in constructor: the decoder got as far as building."""


def _refuse_building(*args: object, **kwargs: object) -> object:
    raise _Built


@pytest.mark.parametrize(("name", "type_byte", "head", "item", "limit"), [
    ("Monitor", 0x24, ">BB", MONITOR, m.MAX_MONITORS),
    ("Annotation", 0x41, ">HBH", struct.pack(">HH", 1, 1), m.MAX_ANNOTATION_POINTS),
])
def test_counts_over_the_limit_are_refused_from_the_header(
        monkeypatch: pytest.MonkeyPatch, name: str, type_byte: int, head: str, item: bytes,
        limit: int) -> None:
    """A count over the limit is refused before a single item is read or built, whether the
    body is short (27 bytes claiming thousands) or really that long."""
    monkeypatch.setattr(binary, name, _refuse_building)
    for count in (limit + 1, 0xFF if head == ">BB" else 0xFFFF):
        fields = (0, count) if head == ">BB" else (0, 0, count)
        for items in (1, count):
            data = bytes((type_byte,)) + struct.pack(head, *fields) + item * items
            with pytest.raises(ProtocolError, match=f"1 to {limit}"):
                m.decode(data)
    # and a legal count does get built (the stand-in is reached): the check above is real
    fields = (1, 1) if head == ">BB" else (0, 0, 1)
    with pytest.raises(_Built):
        m.decode(bytes((type_byte,)) + struct.pack(head, *fields) + item)


@pytest.mark.parametrize("build", [
    lambda: m.ChatText(""),
    lambda: m.ChatText("x" * 4097),
    lambda: m.ChatText("\x1b[31m"),
    lambda: m.ChatRecording(1),  # type: ignore[arg-type]
    lambda: m.SharingPaused(True, "bored"),
    lambda: m.SharingPaused(1, "timeout"),  # type: ignore[arg-type]
    lambda: m.Monitor(0, 0, 0, 10),
    lambda: m.Monitor(-0x8001, 0, 10, 10),
    lambda: m.Monitor(0, 0, 10, 10, 1),  # type: ignore[arg-type]
    lambda: m.Monitors((), 0),
    lambda: m.Monitors([m.Monitor(0, 0, 10, 10)], 0),  # type: ignore[arg-type]
    lambda: m.Monitors((m.Monitor(0, 0, 10, 10),) * 17, 0),
    lambda: m.Monitors((m.Monitor(0, 0, 10, 10),), 2),
    lambda: m.Monitors(((0, 0, 10, 10),), 0),  # type: ignore[arg-type]
    lambda: m.ChooseMonitor(17),
    lambda: m.ChooseMonitor(-1),
    lambda: m.LaserPointer(True, 8192, 0),
    lambda: m.LaserPointer("yes", 0, 0),  # type: ignore[arg-type]
    lambda: m.Annotation(0x10000, "line", ((0, 0),)),
    lambda: m.Annotation(0, "circle", ((0, 0),)),  # type: ignore[arg-type]
    lambda: m.Annotation(0, "line", ()),
    lambda: m.Annotation(0, "line", ((0, 0),) * 257),
    lambda: m.Annotation(0, "line", [(0, 0)]),  # type: ignore[arg-type]
    lambda: m.Annotation(0, "line", ((0, 0, 0),)),  # type: ignore[arg-type]
    lambda: m.Annotation(0, "line", ((0, -1),)),
])
def test_invalid_talk_cannot_be_built(build: object) -> None:
    with pytest.raises(ProtocolError):
        build()  # type: ignore[operator]
