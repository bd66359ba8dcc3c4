"""Text forms and ids of the public keys: an organisation's and a technician's (pure).

Text form: a prefix naming what the key is, then the 32 bytes of the Ed25519 verify key in
base64url without padding (``fhorg1:`` 43 characters, ``fhtech1:`` 43 characters). The prefix
stops a technician's key being pasted where the branding file wants an organisation's.

``org_key_id`` names an organisation key in file names and URLs (revocation lists): the first
8 bytes of ``BLAKE2b(public, person=b"fh1 org key id", digest_size=32)`` as 16 lowercase hex
characters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from shared.identity.errors import IdentityFormatError

ORG_KEY_PREFIX = "fhorg1:"
TECH_KEY_PREFIX = "fhtech1:"
PUBLIC_KEY_SIZE = 32
SEED_SIZE = 32
SIGNATURE_SIZE = 64
KEY_ID_SIZE = 8
PERSON_KEY_ID = b"fh1 org key id"
_B64_KEY = re.compile(r"[A-Za-z0-9_-]{43}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")


def _check_public(public: object) -> bytes:
    if type(public) is not bytes or len(public) != PUBLIC_KEY_SIZE:
        raise IdentityFormatError(f"A public key must be {PUBLIC_KEY_SIZE} bytes.")
    return public


def _format(prefix: str, public: bytes) -> str:
    return prefix + base64.urlsafe_b64encode(_check_public(public)).decode("ascii").rstrip("=")


def _parse(prefix: str, text: object, what: str) -> bytes:
    if type(text) is not str:
        raise IdentityFormatError(f"The {what} must be text.")
    text = text.strip()
    if not text.startswith(prefix):
        raise IdentityFormatError(
            f"This is not a Fernhilfe {what}: it must start with {prefix!r}."
        )
    body = text[len(prefix):]
    if not _B64_KEY.fullmatch(body):
        raise IdentityFormatError(
            f"The {what} is damaged: after {prefix!r} come exactly 43 letters, digits, "
            "'-' or '_'. Copy it again, completely."
        )
    try:
        public = base64.urlsafe_b64decode(body + "=")
    except (binascii.Error, ValueError):  # pragma: no cover - the pattern admits only valid text
        raise IdentityFormatError(f"The {what} is damaged.") from None
    if _format(prefix, public) != prefix + body:  # non-canonical last character
        raise IdentityFormatError(f"The {what} is damaged: its last character is wrong.")
    return public


def format_org_key(public: bytes) -> str:
    """An organisation's public key as text (for the branding file and the admin page)."""
    return _format(ORG_KEY_PREFIX, public)


def parse_org_key(text: str) -> bytes:
    """The 32 bytes of an organisation key from its text form; :class:`IdentityFormatError`."""
    return _parse(ORG_KEY_PREFIX, text, "organisation key")


def format_technician_key(public: bytes) -> str:
    """A technician's public key as text (what the technician sends the admin)."""
    return _format(TECH_KEY_PREFIX, public)


def parse_technician_key(text: str) -> bytes:
    """The 32 bytes of a technician key from its text form; :class:`IdentityFormatError`."""
    return _parse(TECH_KEY_PREFIX, text, "technician key")


def org_key_id(public: bytes) -> str:
    """16 lowercase hex characters naming an organisation key (file names, URLs)."""
    digest = hashlib.blake2b(_check_public(public), person=PERSON_KEY_ID, digest_size=32)
    return digest.digest()[:KEY_ID_SIZE].hex()


def check_key_id(key_id: object) -> str:
    """``key_id`` if it has the form of :func:`org_key_id`'s result, else IdentityFormatError."""
    if type(key_id) is not str or not _KEY_ID.fullmatch(key_id):
        raise IdentityFormatError("An organisation key id is 16 lowercase hex characters.")
    return key_id
