"""Secrets sealed with a passphrase: the organisation key on the admin's machine, a
technician's key where no OS keyring is available (pure).

Layout (version 1, big-endian)::

    "FHSK"  magic, 4 bytes
    0x01    format version
    1+n     label (u8 length, ASCII, what the secret is: "organisation key", ...)
    8       Argon2id opslimit (u64)
    8       Argon2id memlimit in bytes (u64)
    16      salt
    24+16+m SecretBox: nonce, then ciphertext with its tag (m <= 1024)

The box key is ``BLAKE2b(header, key=Argon2id(passphrase, salt, opslimit, memlimit),
person=b"fh1 sealed key")`` where ``header`` is every byte before the box: a changed label or
limit opens nothing. The stored limits are checked against caps before Argon2 runs, so a
hostile file cannot make this program allocate gigabytes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable

from nacl.exceptions import CryptoError
from nacl.pwhash import argon2id
from nacl.secret import SecretBox

from shared.identity import _wire
from shared.identity.errors import IdentityFormatError, WrongPassphrase

MAGIC = b"FHSK"
VERSION = 1
MAX_SECRET = 1024
MAX_PASSPHRASE = 1024
SALT_SIZE = argon2id.SALTBYTES
PERSON_SEALED = b"fh1 sealed key"
STRENGTHS: dict[str, tuple[int, int]] = {
    "interactive": (argon2id.OPSLIMIT_INTERACTIVE, argon2id.MEMLIMIT_INTERACTIVE),
    "moderate": (argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE),
}
#: Caps on what a file may ask of Argon2 (the "moderate" memory; a few times its work).
MAX_MEMLIMIT = argon2id.MEMLIMIT_MODERATE
MAX_OPSLIMIT = 4 * argon2id.OPSLIMIT_MODERATE
MIN_MEMLIMIT = argon2id.MEMLIMIT_MIN
MIN_OPSLIMIT = argon2id.OPSLIMIT_MIN
_LABEL = re.compile(r"[a-z0-9][a-z0-9 ._-]{0,63}")
_BOX_OVERHEAD = SecretBox.NONCE_SIZE + SecretBox.MACBYTES


def _check_label(label: object) -> bytes:
    if type(label) is not str or not _LABEL.fullmatch(label):
        raise ValueError("a sealed file's label is 1-64 lowercase ASCII characters")
    return label.encode("ascii")


def _passphrase(passphrase: object) -> bytes:
    if type(passphrase) is not str or not passphrase:
        raise IdentityFormatError("The passphrase must not be empty.")
    if len(passphrase) > MAX_PASSPHRASE:
        raise IdentityFormatError(f"A passphrase has at most {MAX_PASSPHRASE} characters.")
    try:
        return passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise IdentityFormatError("The passphrase is not valid text.") from None


def _box(header: bytes, passphrase: bytes, salt: bytes, ops: int, mem: int) -> SecretBox:
    stretched = argon2id.kdf(32, passphrase, salt, opslimit=ops, memlimit=mem)
    key = hashlib.blake2b(header, key=stretched, person=PERSON_SEALED, digest_size=32).digest()
    return SecretBox(key)


def seal_with_passphrase(secret: bytes, passphrase: str, *, label: str,
                         strength: str = "moderate",
                         entropy: Callable[[int], bytes] = secrets.token_bytes) -> bytes:
    """``secret`` sealed under ``passphrase`` (Argon2id + SecretBox), self-describing."""
    if type(secret) is not bytes or not 0 < len(secret) <= MAX_SECRET:
        raise ValueError(f"a sealed secret is 1 to {MAX_SECRET} bytes")
    if strength not in STRENGTHS:
        raise ValueError(f"strength is one of {sorted(STRENGTHS)}")
    ops, mem = STRENGTHS[strength]
    name = _check_label(label)
    salt = entropy(SALT_SIZE)
    header = b"".join((MAGIC, _wire.u8(VERSION), _wire.u8(len(name)), name, _wire.u64(ops),
                       _wire.u64(mem), salt))
    box = _box(header, _passphrase(passphrase), salt, ops, mem)
    return header + bytes(box.encrypt(secret, entropy(SecretBox.NONCE_SIZE)))


def open_with_passphrase(blob: bytes, passphrase: str, *, label: str) -> bytes:
    """The secret inside ``blob``; :class:`WrongPassphrase` or :class:`IdentityFormatError`."""
    expected = _check_label(label)
    if type(blob) is not bytes:
        raise IdentityFormatError("A sealed key file must be bytes.")
    if len(blob) > 256 + 64 + _BOX_OVERHEAD + MAX_SECRET:
        raise IdentityFormatError("This file is too large to be a Fernhilfe key file.")
    r = _wire.Reader(blob, "key file")
    r.header(MAGIC, VERSION)
    name = r.take(r.u8("label"), "label")
    if name != expected:
        shown = name.decode("ascii", "replace") if _LABEL.fullmatch(
            name.decode("ascii", "replace")) else "something else"
        raise IdentityFormatError(
            f"This key file holds {shown!r}, not {label!r}: choose the right file."
        )
    ops = r.u64("Argon2 limits")
    mem = r.u64("Argon2 limits")
    if not (MIN_OPSLIMIT <= ops <= MAX_OPSLIMIT and MIN_MEMLIMIT <= mem <= MAX_MEMLIMIT):
        raise IdentityFormatError(
            "This key file asks for more (or less) passphrase-hashing work than this program "
            "allows: it is damaged or was not made by Fernhilfe."
        )
    salt = r.take(SALT_SIZE, "salt")
    header_size = len(blob) - r.remaining
    if not _BOX_OVERHEAD < r.remaining <= _BOX_OVERHEAD + MAX_SECRET:
        raise r.fail("the sealed part has the wrong length")
    sealed = r.take(r.remaining, "sealed part")
    box = _box(blob[:header_size], _passphrase(passphrase), salt, ops, mem)
    try:
        return bytes(box.decrypt(sealed))
    except CryptoError:
        raise WrongPassphrase(
            "The passphrase is wrong (or the key file was changed)."
        ) from None
