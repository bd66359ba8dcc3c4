"""Fixed keys, certificates and bindings for the identity tests (deterministic: no randomness,
so the known-answer vectors in tests/shared/vectors/ can pin them)."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from shared.handshake import AgentHandshake, ConsoleHandshake, Established
from shared.identity import (
    CertificateFields,
    TrustedOrganisation,
    issue_certificate,
    issue_revocation_list,
    org_key_id,
    public_key_of,
)
from tests.shared.test_handshake import CODE, fixed_entropy, run


def seed(label: str) -> bytes:
    """A fixed 32-byte private key seed named by ``label``."""
    return hashlib.sha256(b"fernhilfe test seed " + label.encode()).digest()


ORG_SEED = seed("organisation")
OTHER_ORG_SEED = seed("other organisation")
TECH_SEED = seed("technician")
ORG_PUBLIC = public_key_of(ORG_SEED)
ORG_ID = org_key_id(ORG_PUBLIC)
TRUSTED = (TrustedOrganisation(ORG_PUBLIC),)
OTHER_TRUSTED = TrustedOrganisation(public_key_of(OTHER_ORG_SEED))
#: 2026-06-01 00:00 UTC: the tests' "now".
NOW = 1_780_272_000
DAY = 86_400

FIELDS = CertificateFields(
    organisation="Kanzleisoft GmbH",
    org_key_id=ORG_ID,
    technician="Max Mustermann",
    email="max.mustermann@kanzleisoft.example",
    phone="+49 30 1234567",
    technician_key=public_key_of(TECH_SEED),
    serial=1001,
    valid_from=NOW - 10 * DAY,
    valid_until=NOW + 80 * DAY,
)
CERT = issue_certificate(FIELDS, ORG_SEED)


def cert(org_seed: bytes = ORG_SEED, **changes: Any) -> bytes:
    """A certificate like :data:`CERT` with some fields changed (signed by ``org_seed``)."""
    fields = dataclasses.replace(FIELDS, **changes)
    if "org_key_id" not in changes:
        fields = dataclasses.replace(fields, org_key_id=org_key_id(public_key_of(org_seed)))
    return issue_certificate(fields, org_seed)


def revocation_list(serials: tuple[int, ...] = (), *, org_seed: bytes = ORG_SEED,
                    issued_at: int = NOW - DAY, next_update: int = NOW + 6 * DAY) -> bytes:
    """A signed revocation list (by default: ours, nothing revoked, fresh at NOW)."""
    return issue_revocation_list(org_seed, serials, issued_at=issued_at,
                                 next_update=next_update)


def revocations(serials: tuple[int, ...] = (), *, org_seed: bytes = ORG_SEED,
                issued_at: int = NOW - DAY, next_update: int = NOW + 6 * DAY
                ) -> dict[str, bytes | None]:
    """The lists an agent would have fetched: ``{ORG_ID: signed list}``."""
    return {ORG_ID: revocation_list(serials, org_seed=org_seed, issued_at=issued_at,
                                    next_update=next_update)}


def handshake(label: str) -> tuple[Established, Established]:
    """A real handshake (agent, console outcomes), deterministic per ``label``."""
    agent = AgentHandshake(CODE, entropy=fixed_entropy(f"agent {label}".encode()))
    console = ConsoleHandshake(CODE, entropy=fixed_entropy(f"console {label}".encode()))
    out_a, out_c, _ = run(agent, console)
    assert isinstance(out_a, Established) and isinstance(out_c, Established)
    return out_a, out_c
