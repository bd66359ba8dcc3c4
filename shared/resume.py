"""Resuming a session after the relay link dropped, without a new code (sans-I/O).

Why: a Wi-Fi hiccup or a relay restart must not make the customer read out a second code. Both
ends already share secret channel keys; from them they derive a *resume secret* and continue the
same session on a new relay connection, with no help (and no memory) from the relay.

Key schedule (``B(data, key, person, n)`` = keyed BLAKE2b, as in :mod:`shared.handshake`;
``n8`` = the reconnect number ``n`` as 8 bytes big-endian, ``n`` from 1)
    ``R``         = ``B(k_c2a, k_a2c, b"fh1 resume key", 32)`` (the resume secret; both ends
    know both channel keys, and ``R`` is a one-way function of them)

    ``token_n``   = ``B(n8, R, b"fh1 resume tok", 32)``: what both ends present to the relay
    for reconnect ``n`` (``{"op":"resume","token":hex,...}``). It looks random to the relay,
    is unlinkable to the nameplate and to other reconnects, and the same on both ends, so a
    *fresh* relay (after its restart) pairs them without any memory.

    ``S``         = ``n8 || nonce_A || nonce_C`` (both 32-byte random nonces of this resume)

    ``mac_A``     = ``B(S, R, b"fh1 resume A", 32)``; ``mac_C`` = ``B(S, R, b"fh1 resume C", 32)``

    ``k_a2c(n)``  = ``B(S, R, b"fh1 res a2c", 32)``; ``k_c2a(n)`` = ``B(S, R, b"fh1 res c2a", 32)``:
    NEW channel keys for epoch ``n``. The counters start again at 0, but under new keys, so no
    (key, nonce) pair is ever used twice; the fresh nonces make the keys new even if a broken
    resume were retried with the same ``n``.

Resume messages (binary, after the relay said ``paired`` for the token, before the channel)
    ``0x52 ('R') | version (0x01) | kind | body``: HELLO (0x01, body ``n8 || nonce``, 40 bytes)
    then CONFIRM (0x02, body the 32-byte MAC). Each side sends its HELLO at once, its CONFIRM
    when it has the peer's HELLO, and is done when the peer's CONFIRM checks out. A wrong
    ``n``, a wrong MAC (a third party that holds a token but not ``R``), or anything malformed
    is a :class:`ResumeRefused`; the session then keeps trying until its grace period ends.

Back-off (:func:`backoff_delay`): 0.1, 0.25, 0.5, 1, 2, 2, ... seconds, each times a random
factor in [0.8, 1.2] so that many programs that lost the same relay do not return in step.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from shared.channel import KEY_SIZE, SecureChannel
from shared.errors import HandshakeError, LocalProtocolError

MAGIC = 0x52
VERSION = 1
KIND_HELLO = 0x01
KIND_CONFIRM = 0x02
NONCE_SIZE = 32
TOKEN_SIZE = 32
HELLO_BODY_SIZE = 8 + NONCE_SIZE
CONFIRM_BODY_SIZE = 32
HEADER_SIZE = 3
#: Reconnect numbers fit in 8 bytes; far beyond any session.
MAX_RECONNECTS = 2**63

PERSON_SECRET = b"fh1 resume key"
PERSON_TOKEN = b"fh1 resume tok"
PERSON_MAC_A = b"fh1 resume A"
PERSON_MAC_C = b"fh1 resume C"
PERSON_KEY_A2C = b"fh1 res a2c"
PERSON_KEY_C2A = b"fh1 res c2a"

#: The back-off steps before jitter; the last one repeats.
BACKOFF_STEPS = (0.1, 0.25, 0.5, 1.0, 2.0)
JITTER = 0.2

Entropy = Callable[[int], bytes]
Random = Callable[[], float]


class ResumeRefused(HandshakeError):
    """The resume could not be authenticated (wrong peer, replay, or garbage): try again."""


def _b2b(data: bytes, key: bytes, person: bytes) -> bytes:
    return hashlib.blake2b(data, key=key, person=person, digest_size=32).digest()


def _n8(n: int) -> bytes:
    if type(n) is not int or not 1 <= n < MAX_RECONNECTS:
        raise LocalProtocolError("the reconnect number must be an integer from 1")
    return n.to_bytes(8, "big")


def resume_secret(k_a2c: bytes, k_c2a: bytes) -> bytes:
    """The resume secret ``R`` from the session's two channel keys (the same on both ends)."""
    if len(k_a2c) != KEY_SIZE or len(k_c2a) != KEY_SIZE:
        raise LocalProtocolError("channel keys have the wrong size")
    return _b2b(k_c2a, k_a2c, PERSON_SECRET)


def token(secret: bytes, n: int) -> bytes:
    """The relay token for reconnect ``n`` (32 bytes; the relay sees it as 64 hex digits)."""
    return _b2b(_n8(n), secret, PERSON_TOKEN)


def backoff_delay(attempt: int, rand: Random) -> float:
    """Seconds to wait before reconnect attempt ``attempt`` (0 = the first retry)."""
    base = BACKOFF_STEPS[min(max(attempt, 0), len(BACKOFF_STEPS) - 1)]
    return base * (1.0 - JITTER + 2 * JITTER * rand())


def frame(kind: int, body: bytes) -> bytes:
    """Wrap a resume body in the ``R | version | kind`` header."""
    return bytes((MAGIC, VERSION, kind)) + body


def parse_frame(data: object) -> tuple[int, bytes]:
    """Check a resume message's header and length; return (kind, body). Untrusted bytes."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ResumeRefused("A resume message must be bytes.")
    raw = bytes(data)
    if len(raw) < HEADER_SIZE or raw[0] != MAGIC:
        raise ResumeRefused("The other side did not answer with a Fernhilfe resume message.")
    if raw[1] != VERSION:
        raise ResumeRefused(f"The other side resumes with version {raw[1]}, this program "
                            f"with {VERSION}.")
    kind, body = raw[2], raw[HEADER_SIZE:]
    expected = {KIND_HELLO: HELLO_BODY_SIZE, KIND_CONFIRM: CONFIRM_BODY_SIZE}.get(kind)
    if expected is None:
        raise ResumeRefused(f"Unknown resume message kind 0x{kind:02x}.")
    if len(body) != expected:
        raise ResumeRefused(f"A resume message has {len(body)} bytes instead of {expected}.")
    return kind, body


@dataclass(frozen=True)
class Resumed:
    """The resume is authenticated: the channel of epoch ``n`` (new keys, counters at 0)."""

    n: int
    channel: SecureChannel = field(repr=False)


@dataclass(frozen=True)
class ResumeStep:
    """What one received message leads to: messages to send, and the outcome once known."""

    outgoing: list[bytes]
    outcome: Resumed | None = None


class _State(Enum):
    NEW = "new"
    AWAIT_HELLO = "await_hello"
    AWAIT_CONFIRM = "await_confirm"
    DONE = "done"


class ResumeHandshake:
    """One resume attempt on one side: HELLO both ways, then CONFIRM both ways (sans-I/O).

    ``role`` is ``"agent"`` or ``"console"``; ``n`` the reconnect number both ends agree on.
    """

    def __init__(self, secret: bytes, role: str, n: int, *,
                 entropy: Entropy = secrets.token_bytes) -> None:
        if role not in ("agent", "console"):
            raise LocalProtocolError("role must be 'agent' or 'console'")
        if len(secret) != 32:
            raise LocalProtocolError("the resume secret has the wrong size")
        self._secret = secret
        self._agent = role == "agent"
        self._n8 = _n8(n)
        self.n = n
        self._nonce = entropy(NONCE_SIZE)
        if len(self._nonce) != NONCE_SIZE:
            raise LocalProtocolError("entropy gave the wrong number of bytes")
        self._state = _State.NEW
        self._peer_mac = b""
        self._keys: tuple[bytes, bytes] | None = None

    def start(self) -> bytes:
        """This side's HELLO; call exactly once, right after the relay paired the token."""
        if self._state is not _State.NEW:
            raise LocalProtocolError("The resume was already started.")
        self._state = _State.AWAIT_HELLO
        return frame(KIND_HELLO, self._n8 + self._nonce)

    def receive(self, data: object) -> ResumeStep:
        """Feed one message from the peer. Raises :class:`ResumeRefused` on anything wrong."""
        if self._state in (_State.NEW, _State.DONE):
            raise LocalProtocolError("The resume is not waiting for a message now.")
        try:
            kind, body = parse_frame(data)
            if self._state is _State.AWAIT_HELLO:
                if kind != KIND_HELLO:
                    raise ResumeRefused("Expected the other side's resume hello first.")
                return self._on_hello(body)
            if kind != KIND_CONFIRM:
                raise ResumeRefused("Expected the other side's resume confirmation.")
            return self._on_confirm(body)
        except ResumeRefused:
            self._state = _State.DONE  # fail closed: no second try on this attempt
            raise

    def _on_hello(self, body: bytes) -> ResumeStep:
        if not hmac.compare_digest(body[:8], self._n8):
            raise ResumeRefused("The other side resumes another reconnect.")
        peer_nonce = body[8:]
        nonce_a, nonce_c = ((self._nonce, peer_nonce) if self._agent
                            else (peer_nonce, self._nonce))
        transcript = self._n8 + nonce_a + nonce_c
        mac_a = _b2b(transcript, self._secret, PERSON_MAC_A)
        mac_c = _b2b(transcript, self._secret, PERSON_MAC_C)
        k_a2c = _b2b(transcript, self._secret, PERSON_KEY_A2C)
        k_c2a = _b2b(transcript, self._secret, PERSON_KEY_C2A)
        if self._agent:
            mine, self._peer_mac, self._keys = mac_a, mac_c, (k_a2c, k_c2a)
        else:
            mine, self._peer_mac, self._keys = mac_c, mac_a, (k_c2a, k_a2c)
        self._state = _State.AWAIT_CONFIRM
        return ResumeStep([frame(KIND_CONFIRM, mine)])

    def _on_confirm(self, body: bytes) -> ResumeStep:
        self._state = _State.DONE
        keys, self._keys = self._keys, None
        assert keys is not None
        if not hmac.compare_digest(body, self._peer_mac):
            raise ResumeRefused("The other side could not prove it belongs to this session.")
        return ResumeStep([], Resumed(self.n, SecureChannel(*keys)))


__all__ = [
    "BACKOFF_STEPS",
    "ResumeHandshake",
    "ResumeRefused",
    "ResumeStep",
    "Resumed",
    "backoff_delay",
    "parse_frame",
    "resume_secret",
    "token",
]
