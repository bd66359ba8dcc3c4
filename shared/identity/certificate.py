"""Technician certificates: an organisation vouches that a technician's key is theirs (pure).

Layout (version 1, big-endian; the signature covers every byte before it)::

    "FHCT"  magic, 4 bytes
    0x01    format version
    8       org_key_id (raw; its text form is 16 hex characters, see shared.identity.keys)
    8       serial (u64)
    8       valid_from  (u64, unix seconds)
    8       valid_until (u64, unix seconds)
    32      technician's Ed25519 public key
    1+n     organisation  (u8 length, UTF-8, n <= 192)
    1+n     technician    (u8 length, UTF-8, n <= 192)
    1+n     email         (u8 length, UTF-8, n <= 254, may be empty)
    1+n     phone         (u8 length, UTF-8, n <= 32, may be empty)
    64      Ed25519 signature by the organisation key

Names follow the one display rule of :mod:`shared.text` (the dialog shows them beside the
verified mark); e-mail and phone are plain one-line text. :func:`parse_certificate` checks
structure only: whether to *trust* a certificate is :mod:`shared.identity.verify`'s decision.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from nacl.signing import SigningKey

from shared.identity import _wire
from shared.identity.errors import IdentityFormatError
from shared.identity.keys import (
    KEY_ID_SIZE,
    PUBLIC_KEY_SIZE,
    SEED_SIZE,
    SIGNATURE_SIZE,
    check_key_id,
    org_key_id,
)
from shared.text import MAX_NAME_BYTES, MAX_NAME_WIDTH, PROBLEMS, name_problem

MAGIC = b"FHCT"
VERSION = 1
DEFAULT_VALIDITY_DAYS = 90
MAX_VALIDITY_DAYS = 366
DAY = 86_400
MAX_EMAIL = 254  # RFC 5321's longest address
MAX_PHONE = 32
#: Largest encoded certificate: header, fixed fields, four texts at their caps, signature.
MAX_CERTIFICATE_SIZE = 1024
_FIXED = len(MAGIC) + 1 + KEY_ID_SIZE + 3 * 8 + PUBLIC_KEY_SIZE
assert _FIXED + 4 + 2 * MAX_NAME_BYTES + MAX_EMAIL + MAX_PHONE + SIGNATURE_SIZE \
    <= MAX_CERTIFICATE_SIZE


def _check_int(value: object, what: str, lo: int = 0, hi: int = _wire.U64_MAX) -> int:
    if type(value) is not int or not lo <= value <= hi:
        raise IdentityFormatError(f"The certificate's {what} must be a whole number "
                                  f"from {lo} to {hi}.")
    return value


def _check_text(value: object, what: str, *, max_bytes: int = MAX_NAME_BYTES,
                max_width: int = MAX_NAME_WIDTH, required: bool = True) -> None:
    """The display rule of :mod:`shared.text` (names: its width too), plus no outer spaces."""
    problem = name_problem(value, max_width=max_width, max_bytes=max_bytes)
    if problem is not None:
        reason = (f"is longer than {max_bytes} bytes" if problem == "too_long"
                  else PROBLEMS[problem])
        raise IdentityFormatError(f"The certificate's {what} {reason}.")
    assert isinstance(value, str)
    if required and not value.strip():
        raise IdentityFormatError(f"The certificate's {what} must not be empty.")
    if value != value.strip():
        raise IdentityFormatError(f"The certificate's {what} must not start or end with a space.")


@dataclass(frozen=True)
class CertificateFields:
    """What an organisation states about a technician; checked when built (and so when parsed).

    Times are unix seconds; ``valid_until`` is after ``valid_from`` and at most
    :data:`MAX_VALIDITY_DAYS` later.
    """

    organisation: str
    org_key_id: str
    technician: str
    email: str
    phone: str
    technician_key: bytes
    serial: int
    valid_from: int
    valid_until: int

    def __post_init__(self) -> None:
        _check_text(self.organisation, "organisation")
        _check_text(self.technician, "technician name")
        _check_text(self.email, "e-mail address", max_bytes=MAX_EMAIL, max_width=MAX_EMAIL,
                    required=False)
        _check_text(self.phone, "phone number", max_bytes=MAX_PHONE, max_width=MAX_PHONE,
                    required=False)
        check_key_id(self.org_key_id)
        if type(self.technician_key) is not bytes or len(self.technician_key) != PUBLIC_KEY_SIZE:
            raise IdentityFormatError(f"The technician's key must be {PUBLIC_KEY_SIZE} bytes.")
        _check_int(self.serial, "serial number")
        _check_int(self.valid_from, "start of validity")
        _check_int(self.valid_until, "end of validity")
        if self.valid_until <= self.valid_from:
            raise IdentityFormatError("A certificate must end after it starts.")
        if self.valid_until - self.valid_from > MAX_VALIDITY_DAYS * DAY:
            raise IdentityFormatError(
                f"A certificate may be valid for at most {MAX_VALIDITY_DAYS} days."
            )

    def encode(self) -> bytes:
        """The signed part: the canonical bytes of these fields (header included)."""
        return b"".join((
            MAGIC, _wire.u8(VERSION), bytes.fromhex(self.org_key_id), _wire.u64(self.serial),
            _wire.u64(self.valid_from), _wire.u64(self.valid_until), self.technician_key,
            _wire.short_text(self.organisation), _wire.short_text(self.technician),
            _wire.short_text(self.email), _wire.short_text(self.phone),
        ))


@dataclass(frozen=True)
class Certificate:
    """A parsed certificate: its fields, the bytes the signature covers, and the signature.

    Parsing is not trusting: :func:`shared.identity.verify.verify_technician` decides that.
    """

    fields: CertificateFields
    signed_part: bytes
    signature: bytes


def _signing_key(seed: object, what: str) -> SigningKey:
    if type(seed) is not bytes or len(seed) != SEED_SIZE:
        raise IdentityFormatError(f"The {what} private key must be {SEED_SIZE} bytes.")
    return SigningKey(seed)


def org_signing_key(seed: bytes) -> SigningKey:
    """The organisation's signing key from its 32-byte seed (IdentityFormatError otherwise)."""
    return _signing_key(seed, "organisation's")


def issue_certificate(fields: CertificateFields, org_signing_seed: bytes) -> bytes:
    """The signed certificate (deterministic: canonical encoding, Ed25519 signature).

    The certificate names the signing key's id; a mismatch with ``fields.org_key_id`` is
    refused here, so a certificate never claims another organisation than its signer.
    """
    key = org_signing_key(org_signing_seed)
    if org_key_id(bytes(key.verify_key)) != fields.org_key_id:
        raise IdentityFormatError("The certificate names another organisation key than the "
                                  "one signing it.")
    signed = fields.encode()
    return signed + key.sign(signed).signature


def parse_certificate(data: bytes) -> Certificate:
    """The structure of a certificate (no trust decision); :class:`IdentityFormatError`."""
    if type(data) is not bytes:
        raise IdentityFormatError("A certificate must be bytes.")
    if len(data) > MAX_CERTIFICATE_SIZE:
        raise IdentityFormatError(
            f"This certificate is larger than {MAX_CERTIFICATE_SIZE} bytes: not a Fernhilfe "
            "certificate."
        )
    r = _wire.Reader(data, "certificate")
    r.header(MAGIC, VERSION)
    key_id = r.take(KEY_ID_SIZE, "organisation key id").hex()
    serial = r.u64("serial number")
    valid_from = r.u64("start of validity")
    valid_until = r.u64("end of validity")
    technician_key = r.take(PUBLIC_KEY_SIZE, "technician key")
    organisation = r.short_text("organisation", MAX_NAME_BYTES)
    technician = r.short_text("technician name", MAX_NAME_BYTES)
    email = r.short_text("e-mail address", MAX_EMAIL)
    phone = r.short_text("phone number", MAX_PHONE)
    signed_size = len(data) - r.remaining
    signature = r.take(SIGNATURE_SIZE, "signature")
    r.end()
    fields = CertificateFields(organisation, key_id, technician, email, phone, technician_key,
                               serial, valid_from, valid_until)
    return Certificate(fields, data[:signed_size], signature)


# ------------------------------------------------------------------------------------------
# Text armour: what admins paste into e-mails and save as .fhcert / .fhrl / key files

ARMOUR_LINE = 64
#: Largest armoured payload accepted (a revocation list is the largest thing armoured).
MAX_ARMOURED = 96 * 1024
_KIND = re.compile(r"[A-Z][A-Z ]{0,39}")
_B64 = re.compile(r"[A-Za-z0-9+/=]*")


def _check_kind(kind: str) -> str:
    if type(kind) is not str or not _KIND.fullmatch(kind):
        raise ValueError("the armour kind is upper-case words, like 'CERTIFICATE'")
    return kind


def armour(kind: str, data: bytes) -> str:
    """``data`` as a text block an admin can paste into an e-mail (base64, 64 per line)."""
    text = base64.b64encode(data).decode("ascii")
    lines = [text[i:i + ARMOUR_LINE] for i in range(0, len(text), ARMOUR_LINE)]
    kind = _check_kind(kind)
    return "\n".join([f"-----BEGIN FERNHILFE {kind}-----", *lines,
                      f"-----END FERNHILFE {kind}-----"]) + "\n"


def dearmour(kind: str, text: str) -> bytes:
    """The bytes inside the first ``kind`` block of ``text`` (text around it is ignored, as
    in a pasted e-mail); :class:`IdentityFormatError` when missing, cut or damaged."""
    kind = _check_kind(kind)
    what = f"Fernhilfe {kind.lower()}"
    if type(text) is not str:
        raise IdentityFormatError(f"The {what} must be text.")
    begin, end = f"-----BEGIN FERNHILFE {kind}-----", f"-----END FERNHILFE {kind}-----"
    start = text.find(begin)
    if start < 0:
        raise IdentityFormatError(f"No {what} found: the line {begin!r} is missing.")
    start += len(begin)
    stop = text.find(end, start)
    if stop < 0:
        raise IdentityFormatError(f"The {what} is cut off: the line {end!r} is missing.")
    # The bound before the copy: base64 of the largest payload, with generous room for line
    # breaks and indentation (a quoted e-mail).
    if stop - start > 2 * (MAX_ARMOURED * 4 // 3 + 4):
        raise IdentityFormatError(f"The {what} is far too large.")
    body = "".join(text[start:stop].split())
    if len(body) > MAX_ARMOURED * 4 // 3 + 4:
        raise IdentityFormatError(f"The {what} is far too large.")
    if not _B64.fullmatch(body):
        raise IdentityFormatError(f"The {what} is damaged: it contains characters that do not "
                                  "belong there. Copy it again, completely.")
    try:
        data = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise IdentityFormatError(f"The {what} is damaged or incomplete. Copy it again, "
                                  "completely.") from None
    if base64.b64encode(data).decode("ascii") != body:
        raise IdentityFormatError(f"The {what} is damaged or incomplete.")
    return data
