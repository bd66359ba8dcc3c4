"""One message to bytes and back: a type byte, then the body its codec module defines.

The dispatch tables join :mod:`shared.messages.control` and :mod:`shared.messages.binary`;
the plaintext limit applies to every message (the channel seals at most ``MAX_PLAINTEXT``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.errors import MessageTooLarge
from shared.messages import binary, control
from shared.messages.fields import fail
from shared.messages.limits import MAX_PLAINTEXT
from shared.messages.types import FrameUpdate, Message

_ENCODERS: dict[type, Callable[[Any], bytes]] = {**control.ENCODERS, **binary.ENCODERS}
_DECODERS: dict[int, Callable[[memoryview], Any]] = {**control.DECODERS, **binary.DECODERS}


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
        raise fail("empty message")
    if len(data) > MAX_PLAINTEXT:
        raise MessageTooLarge(
            f"The other side sent a message of {len(data)} bytes, more than the limit of "
            f"{MAX_PLAINTEXT} bytes."
        )
    decoder = _DECODERS.get(data[0])
    if decoder is None:
        raise fail(f"unknown message type 0x{data[0]:02x}")
    # A memoryview: large frame payloads are copied once, into their Rect, not twice.
    result: Message = decoder(memoryview(data)[1:])
    return result
