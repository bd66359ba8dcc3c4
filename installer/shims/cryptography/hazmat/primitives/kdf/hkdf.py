"""HKDF (RFC 5869) over hashlib/hmac, API-compatible with what spake2 uses."""

from __future__ import annotations

import hashlib
import hmac


class HKDF:
    def __init__(self, algorithm: object, length: int, salt: bytes | None, info: bytes | None,
                 backend: object = None) -> None:
        name = getattr(algorithm, "name", None)
        if name not in hashlib.algorithms_guaranteed:
            raise TypeError(f"unsupported hash algorithm {algorithm!r}")
        self._hash = name
        self._digest_size = hashlib.new(name).digest_size
        if not 0 < length <= 255 * self._digest_size:
            raise ValueError(f"cannot derive keys larger than {255 * self._digest_size} bytes")
        self._length = length
        self._salt = salt or bytes(self._digest_size)
        self._info = info or b""
        self._used = False

    def derive(self, key_material: bytes) -> bytes:
        if self._used:
            raise RuntimeError("HKDF instances can only be used once")
        self._used = True
        prk = hmac.new(self._salt, bytes(key_material), self._hash).digest()
        okm, block, counter = b"", b"", 1
        while len(okm) < self._length:
            block = hmac.new(prk, block + self._info + bytes([counter]), self._hash).digest()
            okm += block
            counter += 1
        return okm[: self._length]
