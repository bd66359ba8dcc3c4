"""The error types of Fernhilfe's core.

Every error the sans-I/O core raises derives from :class:`FernhilfeError`, so an I/O shell can catch
exactly the errors that mean "this peer or input is bad" and turn them into a clear message and a
close, while a genuine bug still surfaces as a trace. Messages are written for the person who sees
them.
"""

from __future__ import annotations


class FernhilfeError(Exception):
    """Base of every error the core raises on bad input."""


class CodeError(FernhilfeError, ValueError):
    """A session code as typed by a person cannot be used."""


class CodeLengthError(CodeError):
    """The code has too few or too many digits."""


class CodeCharacterError(CodeError):
    """The code contains something other than digits and separators."""


class ProtocolError(FernhilfeError):
    """A message is malformed, unknown, or not allowed in the current state."""


class UnsupportedVersion(ProtocolError):
    """The peer speaks a protocol version this program does not support."""


class MessageTooLarge(ProtocolError):
    """A message exceeds the size limit."""


class IntegrityError(FernhilfeError):
    """A message failed authentication or arrived out of order: the session must close."""


class HandshakeError(FernhilfeError):
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
