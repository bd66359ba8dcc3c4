"""The error types of Fernhilfe's core.

Every error the sans-I/O core raises derives from :class:`FernhilfeError`. Protocol errors come
in two kinds, as in h11, because they call for opposite handling:

* :class:`RemoteProtocolError`: *the peer's fault* (malformed, forged, unexpected, oversized).
  Never a trace: the session ends cleanly, the peer is told :attr:`~RemoteProtocolError.reason`
  (a stable close reason) and the person reads the plain message.
* :class:`LocalProtocolError`: *our bug*, this program asked the machine for something the state
  forbids. Raised loudly and never turned into a polite close, so it is found and fixed.

Messages are written for the person who sees them.
"""

from __future__ import annotations

from typing import ClassVar


class FernhilfeError(Exception):
    """Base of every error the core raises on bad input."""


class CodeError(FernhilfeError, ValueError):
    """A session code as typed by a person cannot be used."""


class CodeLengthError(CodeError):
    """The code has too few or too many digits."""


class CodeCharacterError(CodeError):
    """The code contains something other than digits and separators."""


class LocalProtocolError(FernhilfeError):
    """This program tried to do something the protocol state forbids: a bug in the caller.

    Never caused by what the peer sends, so no session machine turns it into a close: it
    propagates to the caller as a trace.
    """


class RemoteProtocolError(FernhilfeError):
    """The peer sent something the protocol forbids: the session ends cleanly, never a trace.

    :attr:`reason` is the stable close reason the peer is told (an ``Error`` message's code, a
    ``SessionEnded`` reason); the text of the exception is the plain message for the person.
    """

    reason: ClassVar[str] = "protocol_error"


class ProtocolError(RemoteProtocolError):
    """A message is malformed, unknown, or not allowed in the current state."""


class UnsupportedVersion(ProtocolError):
    """The peer speaks a protocol version this program does not support."""

    reason: ClassVar[str] = "unsupported_version"


class MessageTooLarge(ProtocolError):
    """A message exceeds the size limit."""


class IntegrityError(RemoteProtocolError):
    """A message failed authentication or arrived out of order: the session must close."""

    reason: ClassVar[str] = "integrity_error"


class HandshakeError(RemoteProtocolError):
    """The key exchange could not be completed (malformed or unexpected handshake message)."""


class UnsupportedHandshakeVersion(UnsupportedVersion, HandshakeError):
    """The peer's handshake uses another protocol version.

    Both a :class:`HandshakeError` (the key exchange cannot go on) and an
    :class:`UnsupportedVersion` (the fix is to update), so either ``except`` clause catches it.
    """

    def __init__(self, message: str, *, peer_version: int) -> None:
        super().__init__(message)
        self.peer_version = peer_version


class ChannelExhausted(FernhilfeError):
    """A direction of the encrypted channel has used up its message counter.

    Continuing would repeat a nonce, so the session must end (and a new one be started).
    """
