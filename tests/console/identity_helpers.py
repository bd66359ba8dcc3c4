"""Certificates, keys and revocation lists for the console's identity tests, made with the real
formats of :mod:`shared.identity` (the admin tool's own round trip is test_org_cli.py).

Key files here are sealed with Argon2id's "interactive" strength so that tests stay quick; the
admin tool seals with "moderate" (the format names its parameters, so both open the same way).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey

from console.org.files import CERTIFICATE_KIND, TECH_KEY_KIND, TECH_KEY_LABEL
from shared.identity import (
    CertificateFields,
    TrustedOrganisation,
    armour,
    format_org_key,
    issue_certificate,
    issue_revocation_list,
    org_key_id,
    seal_with_passphrase,
)

DAY = 86400
KEY_PASSPHRASE = "handed over by phone"


@dataclass
class Org:
    name: str
    seed: bytes

    @property
    def public(self) -> bytes:
        return bytes(SigningKey(self.seed).verify_key)

    @property
    def key_id(self) -> str:
        return org_key_id(self.public)

    @property
    def text(self) -> str:
        return format_org_key(self.public)

    def trusted(self) -> TrustedOrganisation:
        return TrustedOrganisation(public_key=self.public, key_id=self.key_id)

    def certificate(self, tech_seed: bytes, *, technician: str = "Max Mustermann",
                    serial: int = 1, valid_from: int | None = None, days: int = 90) -> bytes:
        start = int(time.time()) - 60 if valid_from is None else valid_from
        fields = CertificateFields(
            organisation=self.name, org_key_id=self.key_id, technician=technician,
            email="max@example.com", phone="", technician_key=bytes(
                SigningKey(tech_seed).verify_key),
            serial=serial, valid_from=start, valid_until=start + days * DAY)
        return issue_certificate(fields, self.seed)

    def revocations(self, *serials: int, next_update_days: int = 7) -> bytes:
        now = int(time.time())
        return issue_revocation_list(self.seed, serials, issued_at=now - 60,
                                     next_update=now + next_update_days * DAY)


def new_org(name: str = "Kanzleisoft GmbH") -> Org:
    return Org(name, secrets.token_bytes(32))


def write_pair(directory: Path, certificate: bytes, tech_seed: bytes,
               passphrase: str = KEY_PASSPHRASE, stem: str = "max") -> tuple[Path, Path]:
    """The two files an admin hands over: ``<stem>.fhcert`` and ``<stem>.fhkey``."""
    cert_path = directory / f"{stem}.fhcert"
    key_path = directory / f"{stem}.fhkey"
    cert_path.write_text(armour(CERTIFICATE_KIND, certificate))
    blob = seal_with_passphrase(tech_seed, passphrase, label=TECH_KEY_LABEL,
                                strength="interactive")
    key_path.write_text(armour(TECH_KEY_KIND, blob))
    return cert_path, key_path
