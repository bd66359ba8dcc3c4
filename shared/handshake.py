"""End-to-end key agreement between agent and console, through the untrusted relay (sans-I/O).

Wire contract (protocol version 1). Changing anything here breaks compatibility; the
known-answer test in ``tests/shared/test_handshake.py`` pins it.

Handshake message framing
    ``0x46 ('F') | version (0x01) | kind | body``

    ========  ======  =====================================================================
    kind      value   body
    ========  ======  =====================================================================
    PAKE      0x01    the 33 bytes of ``spake2`` ``start()`` output: side byte ``A``/``B``
                      then the 32-byte Ed25519 element
    CONFIRM   0x02    32-byte key-confirmation MAC
    ========  ======  =====================================================================

    Any other magic, kind or body length is a :class:`HandshakeError`; another version byte is an
    :class:`UnsupportedHandshakeVersion` ("please update").

Flow (both sides symmetric, no ordering dependency between them)
    1. Each side sends its PAKE message at once (``start()``).
    2. On the peer's PAKE message each side computes the SPAKE2 key and sends its CONFIRM.
    3. On the peer's CONFIRM each side checks the MAC and ends with :class:`Established` or
       :class:`WrongCode`. Nothing else is accepted, before or after.

SPAKE2
    ``spake2`` package, Ed25519 group, password = ``SessionCode.digits`` as ASCII, agent is
    ``SPAKE2_A``, console ``SPAKE2_B``, ``idA = b"fernhilfe/agent/v1"``,
    ``idB = b"fernhilfe/console/v1"``. Result: 32-byte key ``K``.

Key schedule (``B(data, key, person, n)`` = ``hashlib.blake2b(data, key=key, person=person,
digest_size=n).digest()``; person strings are ASCII, zero-padded to 16 bytes by BLAKE2b)
    ``T``      = the agent's full framed PAKE message ``||`` the console's full framed PAKE
    message (A then B, 36 bytes each, 72 bytes in all)

    ``Kc``     = ``B(b"", K, b"fh1 confirm key", 32)``

    ``mac_A``  = ``B(T, Kc, b"fh1 confirm A", 32)``  (sent by the agent)

    ``mac_B``  = ``B(T, Kc, b"fh1 confirm B", 32)``  (sent by the console)

    ``k_a2c``  = ``B(T, K, b"fh1 key a2c", 32)``     (agent → console channel key)

    ``k_c2a``  = ``B(T, K, b"fh1 key c2a", 32)``     (console → agent channel key)

    ``binding`` = ``B(T, K, b"fh1 proof bind", 32)`` (what a technician's proof signs, see
    :mod:`shared.identity.proof`: secret to both ends and new in every session, so a proof
    cannot be replayed into another session or relayed by someone in between)

    ``verification`` = ``int.from_bytes(B(T, K, b"fh1 verify", 64), "big") % 10000``, written
    as four decimal digits with leading zeros (``"0000"`` .. ``"9999"``)

    MACs are compared with :func:`hmac.compare_digest`. A mismatch is :class:`WrongCode` (the
    SPAKE2 keys differ exactly when the passwords differ), not an exception: it is an expected
    outcome that the agent answers by burning the code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from spake2 import SPAKE2_A, SPAKE2_B
from spake2.ed25519_basic import NotOnCurve
from spake2.spake2 import SPAKEError

from shared.channel import SecureChannel
from shared.codes import SessionCode
from shared.errors import HandshakeError, LocalProtocolError, UnsupportedHandshakeVersion

MAGIC = 0x46
VERSION = 1
KIND_PAKE = 0x01
KIND_CONFIRM = 0x02
ID_AGENT = b"fernhilfe/agent/v1"
ID_CONSOLE = b"fernhilfe/console/v1"
PAKE_BODY_SIZE = 33
CONFIRM_BODY_SIZE = 32
HEADER_SIZE = 3

PERSON_CONFIRM_KEY = b"fh1 confirm key"
PERSON_CONFIRM_A = b"fh1 confirm A"
PERSON_CONFIRM_B = b"fh1 confirm B"
PERSON_KEY_A2C = b"fh1 key a2c"
PERSON_KEY_C2A = b"fh1 key c2a"
PERSON_VERIFY = b"fh1 verify"
PERSON_PROOF_BIND = b"fh1 proof bind"

Entropy = Callable[[int], bytes]


@dataclass(frozen=True)
class Established:
    """Keys agreed and confirmed. ``repr`` hides the keys."""

    send_key: bytes = field(repr=False)
    recv_key: bytes = field(repr=False)
    verification: str
    #: What a technician's proof signs (see the module docstring); 32 bytes, secret.
    binding: bytes = field(default=b"", repr=False)
    _channel: SecureChannel | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def channel(self) -> SecureChannel:
        """The session's encrypted channel.

        Always the same instance: two channels with the same keys would reuse nonces.
        """
        if self._channel is None:
            object.__setattr__(self, "_channel", SecureChannel(self.send_key, self.recv_key))
        assert self._channel is not None
        return self._channel


@dataclass(frozen=True)
class WrongCode:
    """The peer used another code (or someone in between tried to guess it)."""


@dataclass(frozen=True)
class HandshakeStep:
    """What one received message leads to: messages to send, and the outcome once known."""

    outgoing: list[bytes]
    outcome: Established | WrongCode | None = None


def _b2b(data: bytes, key: bytes, person: bytes, size: int = 32) -> bytes:
    return hashlib.blake2b(data, key=key, person=person, digest_size=size).digest()


def frame(kind: int, body: bytes) -> bytes:
    """Wrap a handshake body in the ``F | version | kind`` header."""
    return bytes((MAGIC, VERSION, kind)) + body


def parse_frame(data: bytes) -> tuple[int, bytes]:
    """Check a handshake message's header and length; return (kind, body)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise HandshakeError("A handshake message must be bytes.")
    data = bytes(data)
    if len(data) < HEADER_SIZE or data[0] != MAGIC:
        raise HandshakeError(
            "The other side did not send a Fernhilfe handshake; is it a Fernhilfe program?"
        )
    if data[1] != VERSION:
        newer = data[1] > VERSION
        raise UnsupportedHandshakeVersion(
            f"The other side uses Fernhilfe protocol version {data[1]}, this program version "
            f"{VERSION}. Please update " + ("this program." if newer else "the other program."),
            peer_version=data[1],
        )
    kind, body = data[2], data[HEADER_SIZE:]
    expected = {KIND_PAKE: PAKE_BODY_SIZE, KIND_CONFIRM: CONFIRM_BODY_SIZE}.get(kind)
    if expected is None:
        raise HandshakeError(f"Unknown handshake message kind 0x{kind:02x}.")
    if len(body) != expected:
        raise HandshakeError(
            f"A handshake message has {len(body)} bytes of content instead of {expected}."
        )
    return kind, body


class _State(Enum):
    NEW = "new"
    AWAIT_PAKE = "await_pake"
    AWAIT_CONFIRM = "await_confirm"
    DONE = "done"


class _Handshake:
    """Shared logic; the subclasses fix the SPAKE2 side and the key directions."""

    _is_agent: bool

    def __init__(self, code: SessionCode, *, entropy: Entropy | None = None) -> None:
        if not isinstance(code, SessionCode):
            raise TypeError("code must be a SessionCode")
        spake_cls = SPAKE2_A if self._is_agent else SPAKE2_B
        self._spake = spake_cls(
            code.digits.encode("ascii"),
            idA=ID_AGENT,
            idB=ID_CONSOLE,
            entropy_f=entropy if entropy is not None else secrets.token_bytes,
        )
        self._state = _State.NEW
        self._my_pake = b""
        self._keys: tuple[bytes, bytes, str, bytes] | None = None
        self._peer_mac = b""

    def start(self) -> bytes:
        """The first message to send (this side's PAKE message); call exactly once."""
        if self._state is not _State.NEW:
            raise LocalProtocolError("The handshake was already started.")
        self._my_pake = frame(KIND_PAKE, self._spake.start())
        self._state = _State.AWAIT_PAKE
        return self._my_pake

    def receive(self, data: bytes) -> HandshakeStep:
        """Feed one message from the peer; see the module docstring for the order."""
        if self._state is _State.NEW:
            raise LocalProtocolError("Call start() before feeding handshake messages.")
        if self._state is _State.DONE:
            raise LocalProtocolError(
                "The handshake is already finished; no more messages expected."
            )
        try:
            kind, body = parse_frame(data)
        except HandshakeError:
            self._state = _State.DONE  # fail closed: a broken peer gets no second try
            raise
        if self._state is _State.AWAIT_PAKE:
            if kind != KIND_PAKE:
                self._state = _State.DONE
                raise HandshakeError("Expected the other side's key exchange message first.")
            return self._on_pake(body)
        if kind != KIND_CONFIRM:
            self._state = _State.DONE
            raise HandshakeError("Expected the other side's key confirmation.")
        return self._on_confirm(body)

    def _on_pake(self, body: bytes) -> HandshakeStep:
        self._state = _State.DONE  # until proven good: any failure ends the handshake
        try:
            key = self._spake.finish(body)
        except (SPAKEError, NotOnCurve, ValueError):
            raise HandshakeError(
                "The other side's key exchange message is invalid; the connection was "
                "tampered with or is not a Fernhilfe program."
            ) from None
        peer_pake = frame(KIND_PAKE, body)
        transcript = self._my_pake + peer_pake if self._is_agent else peer_pake + self._my_pake
        confirm_key = _b2b(b"", key, PERSON_CONFIRM_KEY)
        mac_a = _b2b(transcript, confirm_key, PERSON_CONFIRM_A)
        mac_b = _b2b(transcript, confirm_key, PERSON_CONFIRM_B)
        k_a2c = _b2b(transcript, key, PERSON_KEY_A2C)
        k_c2a = _b2b(transcript, key, PERSON_KEY_C2A)
        wide = _b2b(transcript, key, PERSON_VERIFY, 64)
        verification = f"{int.from_bytes(wide, 'big') % 10000:04d}"
        binding = _b2b(transcript, key, PERSON_PROOF_BIND)
        if self._is_agent:
            my_mac, self._peer_mac = mac_a, mac_b
            self._keys = (k_a2c, k_c2a, verification, binding)
        else:
            my_mac, self._peer_mac = mac_b, mac_a
            self._keys = (k_c2a, k_a2c, verification, binding)
        self._state = _State.AWAIT_CONFIRM
        return HandshakeStep(outgoing=[frame(KIND_CONFIRM, my_mac)], outcome=None)

    def _on_confirm(self, body: bytes) -> HandshakeStep:
        self._state = _State.DONE
        keys, self._keys = self._keys, None
        assert keys is not None
        if not hmac.compare_digest(body, self._peer_mac):
            return HandshakeStep(outgoing=[], outcome=WrongCode())
        send_key, recv_key, verification, binding = keys
        return HandshakeStep(outgoing=[], outcome=Established(send_key, recv_key, verification,
                                                              binding))


class AgentHandshake(_Handshake):
    """The customer's side (SPAKE2 side A)."""

    _is_agent = True


class ConsoleHandshake(_Handshake):
    """The technician's side (SPAKE2 side B)."""

    _is_agent = False
