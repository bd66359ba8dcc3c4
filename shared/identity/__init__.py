"""Verified technicians (issue 12): organisation keys, certificates, revocation lists, the
proof bound to a session, and the agent's verdict. Pure: bytes in, bytes or objects out, the
time always a parameter.

Modules: :mod:`~shared.identity.keys` (text forms, key ids), :mod:`~shared.identity.sealed`
(passphrase-sealed key files), :mod:`~shared.identity.certificate` (certificates, text armour),
:mod:`~shared.identity.revocation`, :mod:`~shared.identity.proof`,
:mod:`~shared.identity.verify`. The byte layouts and the order of checks are in
docs/PROTOCOL.md, "Technician certificates and proof".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nacl.signing import SigningKey

from shared.identity.certificate import (
    DEFAULT_VALIDITY_DAYS,
    MAX_CERTIFICATE_SIZE,
    MAX_VALIDITY_DAYS,
    Certificate,
    CertificateFields,
    armour,
    dearmour,
    issue_certificate,
    parse_certificate,
)
from shared.identity.errors import IdentityFormatError, WrongPassphrase
from shared.identity.keys import (
    ORG_KEY_PREFIX,
    SEED_SIZE,
    TECH_KEY_PREFIX,
    format_org_key,
    format_technician_key,
    org_key_id,
    parse_org_key,
    parse_technician_key,
)
from shared.identity.proof import PROOF_CONTEXT, sign_proof
from shared.identity.revocation import (
    MAX_REVOCATION_LIST_SIZE,
    REVOCATION_PATH_TEMPLATE,
    RevocationList,
    issue_revocation_list,
    parse_revocation_list,
    revocation_path,
)
from shared.identity.sealed import open_with_passphrase, seal_with_passphrase
from shared.identity.verify import (
    CLOCK_SKEW,
    UNCHECKED,
    TrustedOrganisation,
    Verdict,
    Verification,
    identity_record,
    verify_technician,
)


def public_key_of(seed: bytes) -> bytes:
    """The Ed25519 public key of a 32-byte private key seed."""
    if type(seed) is not bytes or len(seed) != SEED_SIZE:
        raise IdentityFormatError(f"A private key is {SEED_SIZE} bytes.")
    return bytes(SigningKey(seed).verify_key)


@dataclass(frozen=True)
class TechnicianIdentity:
    """What a console presents: its certificate and the private key it proves possession of.

    Checked when built: the certificate must parse and name the public key of ``seed`` (a
    console with the wrong key would be refused in every session; better to say so on import).
    """

    certificate: bytes
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        parsed = parse_certificate(self.certificate)
        if public_key_of(self.seed) != parsed.fields.technician_key:
            raise IdentityFormatError("This private key does not belong to this certificate: "
                                      "import the key the certificate was issued for.")

    @property
    def fields(self) -> CertificateFields:
        """The certificate's content (as issued: the console does not judge it)."""
        return parse_certificate(self.certificate).fields


@dataclass(frozen=True)
class TrustPolicy:
    """An agent's trust (from its branding): whom it trusts, and whether it accepts no one else.

    ``require_verified``: refuse, before any consent dialog, every technician who is not
    verified by one of ``trusted``.
    """

    trusted: tuple[TrustedOrganisation, ...] = ()
    require_verified: bool = False


__all__ = [
    "CLOCK_SKEW",
    "DEFAULT_VALIDITY_DAYS",
    "MAX_CERTIFICATE_SIZE",
    "MAX_REVOCATION_LIST_SIZE",
    "MAX_VALIDITY_DAYS",
    "ORG_KEY_PREFIX",
    "PROOF_CONTEXT",
    "REVOCATION_PATH_TEMPLATE",
    "TECH_KEY_PREFIX",
    "UNCHECKED",
    "Certificate",
    "CertificateFields",
    "IdentityFormatError",
    "RevocationList",
    "TechnicianIdentity",
    "TrustPolicy",
    "TrustedOrganisation",
    "Verdict",
    "Verification",
    "WrongPassphrase",
    "armour",
    "dearmour",
    "format_org_key",
    "format_technician_key",
    "identity_record",
    "issue_certificate",
    "issue_revocation_list",
    "open_with_passphrase",
    "org_key_id",
    "parse_certificate",
    "parse_org_key",
    "parse_revocation_list",
    "parse_technician_key",
    "public_key_of",
    "revocation_path",
    "seal_with_passphrase",
    "sign_proof",
    "verify_technician",
]
