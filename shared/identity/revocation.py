"""Revocation lists: the serials an organisation no longer vouches for (pure).

Layout (version 1, big-endian; the signature covers every byte before it)::

    "FHRL"  magic, 4 bytes
    0x01    format version
    8       org_key_id (raw) of the signing organisation key
    8       issued_at   (u64, unix seconds)
    8       next_update (u64, unix seconds; after issued_at)
    4       count (u32)
    8*count serials (u64 each, strictly ascending: one encoding per list)
    64      Ed25519 signature by the organisation key

At most :data:`MAX_REVOCATION_LIST_SIZE` bytes. The relay serves the file (binary) at
:func:`revocation_path`; it is untrusted: the agent checks the signature and ``next_update``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.identity import _wire
from shared.identity.certificate import org_signing_key
from shared.identity.errors import IdentityFormatError
from shared.identity.keys import KEY_ID_SIZE, SIGNATURE_SIZE, check_key_id, org_key_id

MAGIC = b"FHRL"
VERSION = 1
MAX_REVOCATION_LIST_SIZE = 64 * 1024
REVOCATION_PATH_TEMPLATE = "/.well-known/fernhilfe/revocations/{key_id}.fhrl"
_HEADER = len(MAGIC) + 1 + KEY_ID_SIZE + 8 + 8 + 4
#: Most serials one list can hold within the size cap.
MAX_REVOKED = (MAX_REVOCATION_LIST_SIZE - _HEADER - SIGNATURE_SIZE) // 8


@dataclass(frozen=True)
class RevocationList:
    """A parsed revocation list (structure only: the signature is checked by the verifier)."""

    org_key_id: str
    issued_at: int
    next_update: int
    serials: frozenset[int]
    signed_part: bytes
    signature: bytes


def revocation_path(key_id: str) -> str:
    """The relay's URL path of the list for organisation key id ``key_id``."""
    return REVOCATION_PATH_TEMPLATE.format(key_id=check_key_id(key_id))


def _check_times(issued_at: int, next_update: int) -> None:
    for value, what in ((issued_at, "issue time"), (next_update, "next update")):
        if type(value) is not int or not 0 <= value <= _wire.U64_MAX:
            raise IdentityFormatError(f"The revocation list's {what} must be a unix time.")
    if next_update <= issued_at:
        raise IdentityFormatError("A revocation list's next update must be after its issue time.")


def issue_revocation_list(org_signing_seed: bytes, serials: Iterable[int], *, issued_at: int,
                          next_update: int) -> bytes:
    """The signed list revoking ``serials`` (deterministic: sorted, signed with Ed25519)."""
    key = org_signing_key(org_signing_seed)
    _check_times(issued_at, next_update)
    ordered = sorted(set(serials))
    for serial in ordered:
        if type(serial) is not int or not 0 <= serial <= _wire.U64_MAX:
            raise IdentityFormatError("A serial number is a whole number from 0 to 2^64-1.")
    if len(ordered) > MAX_REVOKED:
        raise IdentityFormatError(f"A revocation list holds at most {MAX_REVOKED} serials.")
    signed = b"".join((
        MAGIC, _wire.u8(VERSION), bytes.fromhex(org_key_id(bytes(key.verify_key))),
        _wire.u64(issued_at), _wire.u64(next_update), _wire.u32(len(ordered)),
        *(_wire.u64(s) for s in ordered),
    ))
    return signed + key.sign(signed).signature


def parse_revocation_list(data: bytes) -> RevocationList:
    """The structure of a revocation list (no trust decision); :class:`IdentityFormatError`."""
    if type(data) is not bytes:
        raise IdentityFormatError("A revocation list must be bytes.")
    if len(data) > MAX_REVOCATION_LIST_SIZE:
        raise IdentityFormatError(
            f"This revocation list is larger than {MAX_REVOCATION_LIST_SIZE} bytes."
        )
    r = _wire.Reader(data, "revocation list")
    r.header(MAGIC, VERSION)
    key_id = r.take(KEY_ID_SIZE, "organisation key id").hex()
    issued_at = r.u64("issue time")
    next_update = r.u64("next update")
    count = r.u32("count")
    # The count is checked against the bytes that are there before a serial is read.
    if r.remaining != count * 8 + SIGNATURE_SIZE:
        raise r.fail(f"it says {count} serials, but its length does not match")
    serials: list[int] = []
    for _ in range(count):
        serial = r.u64("serials")
        if serials and serial <= serials[-1]:
            raise r.fail("the serials are not in strictly ascending order")
        serials.append(serial)
    signed_size = len(data) - r.remaining
    signature = r.take(SIGNATURE_SIZE, "signature")
    r.end()
    _check_times(issued_at, next_update)
    return RevocationList(key_id, issued_at, next_update, frozenset(serials),
                          data[:signed_size], signature)
