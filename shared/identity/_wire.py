"""Strict readers and writers for the identity formats' binary layouts (big-endian).

Every length is read and checked against what is left (and against the field's cap) before
anything is copied; leftover bytes are an error: one encoding per value, so a signature covers
exactly one meaning.
"""

from __future__ import annotations

import struct

from shared.identity.errors import IdentityFormatError

_U8 = struct.Struct(">B")
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
U64_MAX = 0xFFFFFFFFFFFFFFFF


def u8(value: int) -> bytes:
    return _U8.pack(value)


def u32(value: int) -> bytes:
    return _U32.pack(value)


def u64(value: int) -> bytes:
    return _U64.pack(value)


def short_text(value: str) -> bytes:
    """UTF-8 with a one-byte length (callers have capped the text below 256 bytes)."""
    data = value.encode("utf-8")
    return u8(len(data)) + data


class Reader:
    """Reads one blob front to back; ``what`` names it in error messages ("certificate")."""

    def __init__(self, data: bytes, what: str) -> None:
        self._data = data
        self._pos = 0
        self.what = what

    def fail(self, detail: str) -> IdentityFormatError:
        return IdentityFormatError(f"The {self.what} is damaged: {detail}.")

    @property
    def remaining(self) -> int:
        return len(self._data) - self._pos

    def take(self, size: int, field: str) -> bytes:
        if size > self.remaining:
            raise self.fail(f"it ends inside the {field}")
        chunk = self._data[self._pos:self._pos + size]
        self._pos += size
        return chunk

    def u8(self, field: str) -> int:
        value: int = _U8.unpack(self.take(1, field))[0]
        return value

    def u32(self, field: str) -> int:
        value: int = _U32.unpack(self.take(4, field))[0]
        return value

    def u64(self, field: str) -> int:
        value: int = _U64.unpack(self.take(8, field))[0]
        return value

    def short_text(self, field: str, max_bytes: int) -> str:
        size = self.u8(field)
        if size > max_bytes:
            raise self.fail(f"the {field} is longer than {max_bytes} bytes")
        try:
            return self.take(size, field).decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail(f"the {field} is not valid UTF-8") from None

    def header(self, magic: bytes, version: int) -> None:
        """Check the magic and the version byte (an unknown version asks for an update)."""
        if self.remaining < len(magic) + 1 or self.take(len(magic), "header") != magic:
            raise IdentityFormatError(
                f"This is not a Fernhilfe {self.what} (or it is damaged)."
            )
        found = self.u8("version")
        if found != version:
            raise IdentityFormatError(
                f"This {self.what} has format version {found}; this program reads version "
                f"{version}. " + ("Please update Fernhilfe." if found > version
                                  else "It is damaged or very old.")
            )

    def end(self) -> None:
        if self.remaining:
            raise self.fail(f"{self.remaining} unexpected bytes follow it")
