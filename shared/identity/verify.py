"""The agent's decision about a technician: who is it, and does this agent trust that (pure).

:func:`verify_technician` takes what the console presented (certificate and proof), the
session's binding, the organisations this agent trusts (from its branding) and the revocation
lists fetched from the relay, and returns a :class:`Verification`: one :class:`Verdict` and a
sentence for the admin. It never raises for anything the peer or the relay sent: every way a
proof can be wrong is a verdict of its own, checked in the order documented in
docs/PROTOCOL.md ("Technician certificates and proof").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from nacl.exceptions import CryptoError
from nacl.signing import VerifyKey

from shared.identity.certificate import CertificateFields, parse_certificate
from shared.identity.errors import IdentityFormatError
from shared.identity.keys import PUBLIC_KEY_SIZE, org_key_id, parse_org_key
from shared.identity.proof import check_proof
from shared.identity.revocation import parse_revocation_list

#: Seconds a certificate's validity is stretched at both ends (clocks of PCs drift).
CLOCK_SKEW = 300


@dataclass(frozen=True)
class TrustedOrganisation:
    """An organisation key an agent trusts (from its branding file)."""

    public_key: bytes
    key_id: str = ""

    def __post_init__(self) -> None:
        if type(self.public_key) is not bytes or len(self.public_key) != PUBLIC_KEY_SIZE:
            raise IdentityFormatError(f"An organisation key is {PUBLIC_KEY_SIZE} bytes.")
        real = org_key_id(self.public_key)
        if not self.key_id:
            object.__setattr__(self, "key_id", real)
        elif self.key_id != real:
            raise IdentityFormatError("The organisation key id does not match the key.")

    @classmethod
    def from_text(cls, text: str) -> TrustedOrganisation:
        """From the ``fhorg1:`` text form (branding file); :class:`IdentityFormatError`."""
        return cls(parse_org_key(text))


class Verdict(StrEnum):
    """The outcome of checking a technician; the UI maps each to its own translated text."""

    VERIFIED = "verified"
    NO_PROOF = "no_proof"
    MALFORMED = "malformed"
    FOREIGN_ORGANISATION = "foreign_organisation"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    REVOCATION_MISSING = "revocation_missing"
    REVOCATION_STALE = "revocation_stale"
    BAD_PROOF = "bad_proof"
    NO_TRUST = "no_trust"


@dataclass(frozen=True)
class Verification:
    """A verdict, the certificate's fields when they could be read, and a sentence for admins.

    ``certificate`` is set from MALFORMED on only when the certificate parsed; it is the
    *claimed* content unless :attr:`verified`: never show it as verified otherwise.
    """

    verdict: Verdict
    certificate: CertificateFields | None
    message: str

    @property
    def verified(self) -> bool:
        return self.verdict is Verdict.VERIFIED

    def audit(self) -> dict[str, Any]:
        """The ``identity`` field of an audit event (shared/audit.py)."""
        return identity_record(self.verdict.value, self.certificate)


def identity_record(verdict: str, fields: CertificateFields | None) -> dict[str, Any]:
    """``{verdict, serial, organisation, org_key_id, technician}`` for the audit records
    (``None`` where no certificate was read)."""
    return {
        "verdict": verdict,
        "serial": fields.serial if fields else None,
        "organisation": fields.organisation if fields else None,
        "org_key_id": fields.org_key_id if fields else None,
        "technician": fields.technician if fields else None,
    }


#: What an agent that checked nothing says (the default of ``ConsentRequested.identity``).
UNCHECKED = Verification(Verdict.NO_PROOF, None, "The technician presented no certificate.")


def _signed_by(public: bytes, signed: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public).verify(signed, signature)
    except (CryptoError, ValueError):
        return False
    return True


def _when(seconds: int) -> str:
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, OSError, ValueError):
        return f"unix time {seconds}"


def verify_technician(certificate: bytes | None, proof: bytes | None, *, binding: bytes,
                      trusted: Sequence[TrustedOrganisation],
                      revocations: Mapping[str, bytes | None], now: int,
                      clock_skew: int = CLOCK_SKEW) -> Verification:
    """Check a technician's certificate and proof; see the module docstring for the order."""
    if certificate is None or proof is None:
        if not trusted:
            return Verification(Verdict.NO_TRUST, None, "This program trusts no organisation, "
                                "and the technician presented no certificate.")
        return Verification(Verdict.NO_PROOF, None, "The technician presented no certificate.")
    try:
        parsed = parse_certificate(certificate)
    except IdentityFormatError as exc:
        return Verification(Verdict.MALFORMED, None, f"The technician's certificate cannot be "
                            f"read: {exc}")
    fields = parsed.fields
    if not trusted:
        return Verification(Verdict.NO_TRUST, fields, "This program trusts no organisation, so "
                            "it cannot check the technician's certificate.")
    org = next((t for t in trusted if t.key_id == fields.org_key_id), None)
    if org is None:
        return Verification(Verdict.FOREIGN_ORGANISATION, fields, "The technician's "
                            "certificate was issued by an organisation this program does not "
                            f"trust (key id {fields.org_key_id}).")
    if not _signed_by(org.public_key, parsed.signed_part, parsed.signature):
        return Verification(Verdict.BAD_SIGNATURE, fields, "The technician's certificate was "
                            "changed after the organisation signed it, or forged.")
    if now + clock_skew < fields.valid_from:
        return Verification(Verdict.NOT_YET_VALID, fields, "The technician's certificate is "
                            f"not valid before {_when(fields.valid_from)}; is this "
                            "computer's clock right?")
    if now - clock_skew > fields.valid_until:
        return Verification(Verdict.EXPIRED, fields, "The technician's certificate expired "
                            f"on {_when(fields.valid_until)}.")
    if not check_proof(fields.technician_key, binding, proof):
        return Verification(Verdict.BAD_PROOF, fields, "The technician's proof does not belong "
                            "to this session: it was copied from another session, or someone "
                            "is in between.")
    return _check_revocation(org, fields, revocations.get(org.key_id), now)


def _check_revocation(org: TrustedOrganisation, fields: CertificateFields,
                      data: bytes | None, now: int) -> Verification:
    where = f"the revocation list of {fields.organisation} (key id {org.key_id})"
    if data is None:
        return Verification(Verdict.REVOCATION_MISSING, fields, f"{where[0].upper()}"
                            f"{where[1:]} could not be fetched from the relay, so a revoked "
                            "certificate cannot be ruled out.")
    try:
        rl = parse_revocation_list(data)
    except IdentityFormatError as exc:
        return Verification(Verdict.REVOCATION_MISSING, fields, f"The relay served a damaged "
                            f"revocation list for key id {org.key_id}: {exc}")
    if rl.org_key_id != org.key_id or not _signed_by(org.public_key, rl.signed_part,
                                                     rl.signature):
        return Verification(Verdict.REVOCATION_MISSING, fields, "The relay served a "
                            f"revocation list for key id {org.key_id} that this organisation "
                            "did not sign.")
    if now > rl.next_update:
        return Verification(Verdict.REVOCATION_STALE, fields, f"{where[0].upper()}{where[1:]} "
                            f"is out of date (it should have been renewed by "
                            f"{_when(rl.next_update)}).")
    if fields.serial in rl.serials:
        return Verification(Verdict.REVOKED, fields, f"{fields.organisation} has revoked this "
                            f"technician's certificate (serial {fields.serial}).")
    return Verification(Verdict.VERIFIED, fields, f"{fields.technician}, verified by "
                        f"{fields.organisation}.")
