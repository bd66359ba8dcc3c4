"""Known-answer vectors of issue 12's formats: fixed inputs give exactly the bytes in
tests/shared/vectors/identity.json (certificate, revocation list, the session binding of the
handshake KAT in test_handshake.py, the proof, the TechnicianProof message, a sealed key file).
Another implementation can check itself against the same file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared import messages as m
from shared.handshake import AgentHandshake, ConsoleHandshake, Established
from shared.identity import (
    CertificateFields,
    TrustedOrganisation,
    Verdict,
    format_org_key,
    format_technician_key,
    issue_certificate,
    issue_revocation_list,
    open_with_passphrase,
    org_key_id,
    parse_certificate,
    parse_revocation_list,
    public_key_of,
    seal_with_passphrase,
    sign_proof,
    verify_technician,
)
from tests.shared.test_handshake import KAT_CODE, fixed_entropy, run

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "vectors" / "identity.json").read_text(encoding="utf-8"))
ORG_SEED = bytes.fromhex(VECTORS["org_seed"])
TECH_SEED = bytes.fromhex(VECTORS["technician_seed"])


def fields() -> CertificateFields:
    raw = dict(VECTORS["certificate_fields"])
    raw["technician_key"] = bytes.fromhex(raw["technician_key"])
    return CertificateFields(**raw)


def kat_binding() -> bytes:
    hs = VECTORS["handshake"]
    assert hs["code"] == KAT_CODE.digits
    agent = AgentHandshake(KAT_CODE, entropy=fixed_entropy(hs["agent_entropy_label"].encode()))
    console = ConsoleHandshake(KAT_CODE,
                               entropy=fixed_entropy(hs["console_entropy_label"].encode()))
    out_a, out_c, _ = run(agent, console)
    assert isinstance(out_a, Established) and isinstance(out_c, Established)
    assert out_a.verification == hs["verification"] and out_a.binding == out_c.binding
    return out_a.binding


def test_keys() -> None:
    public = public_key_of(ORG_SEED)
    assert public.hex() == VECTORS["org_public"]
    assert format_org_key(public) == VECTORS["org_key_text"]
    assert org_key_id(public) == VECTORS["org_key_id"]
    assert format_technician_key(public_key_of(TECH_SEED)) == VECTORS["technician_key_text"]


def test_certificate() -> None:
    data = issue_certificate(fields(), ORG_SEED)
    assert data.hex() == VECTORS["certificate"]
    assert parse_certificate(data).fields == fields()


def test_revocation_list() -> None:
    rl = VECTORS["revocation_list"]
    data = issue_revocation_list(ORG_SEED, rl["serials"], issued_at=rl["issued_at"],
                                 next_update=rl["next_update"])
    assert data.hex() == rl["data"]
    assert parse_revocation_list(data).serials == frozenset(rl["serials"])


def test_binding_of_the_handshake_kat_and_the_proof() -> None:
    binding = kat_binding()
    assert binding.hex() == VECTORS["handshake"]["binding"]
    proof = sign_proof(TECH_SEED, binding)
    assert proof.hex() == VECTORS["proof"]
    message = m.encode(m.TechnicianProof(bytes.fromhex(VECTORS["certificate"]), proof))
    assert message.hex() == VECTORS["technician_proof_message"]
    rl = VECTORS["revocation_list"]
    result = verify_technician(
        bytes.fromhex(VECTORS["certificate"]), proof, binding=binding,
        trusted=[TrustedOrganisation.from_text(VECTORS["org_key_text"])],
        revocations={VECTORS["org_key_id"]: bytes.fromhex(rl["data"])},
        now=rl["issued_at"] + 60)
    assert result.verdict is Verdict.REVOKED  # serial 1001 is on the vector's list


def test_sealed_key_file() -> None:
    sealed = VECTORS["sealed"]
    data = seal_with_passphrase(ORG_SEED, sealed["passphrase"], label=sealed["label"],
                                strength=sealed["strength"], entropy=lambda n: bytes(range(n)))
    assert data.hex() == sealed["data"]
    assert open_with_passphrase(data, sealed["passphrase"], label=sealed["label"]) == ORG_SEED
