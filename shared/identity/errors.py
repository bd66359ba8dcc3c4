"""The errors of organisation keys, certificates, revocation lists and sealed key files.

They live here and not in :mod:`shared.errors` because they are about files an admin or a
technician handles (and bytes from the peer, which the session turns into a verdict, never an
exception): the message says what to do, in words an admin understands.
"""

from __future__ import annotations

from shared.errors import FernhilfeError


class IdentityFormatError(FernhilfeError, ValueError):
    """A key text, certificate, revocation list or sealed key file is damaged, foreign, too
    large, or of a version this program does not know."""


class WrongPassphrase(FernhilfeError):
    """A sealed key file did not open with the passphrase given (or was changed after sealing:
    the two look the same by design, the authentication tag covers both)."""
