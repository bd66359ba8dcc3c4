"""verify_technician: every way a technician's certificate or proof can be wrong is refused with
its own verdict (issue 12), each tested on its own, with real handshake bindings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from shared.identity import (
    CLOCK_SKEW,
    IdentityFormatError,
    TrustedOrganisation,
    Verdict,
    Verification,
    format_org_key,
    issue_revocation_list,
    sign_proof,
    verify_technician,
)
from tests.shared.identity_helpers import (
    CERT,
    DAY,
    FIELDS,
    NOW,
    ORG_ID,
    OTHER_ORG_SEED,
    OTHER_TRUSTED,
    TECH_SEED,
    TRUSTED,
    cert,
    handshake,
    revocation_list,
    revocations,
    seed,
)

AGENT, CONSOLE = handshake("session one")
BINDING = AGENT.binding
PROOF = sign_proof(TECH_SEED, CONSOLE.binding)  # the console signs its own binding


def check(certificate: bytes | None = CERT, proof: bytes | None = PROOF, *,
          binding: bytes = BINDING, trusted: Sequence[TrustedOrganisation] = TRUSTED,
          lists: Mapping[str, bytes | None] | None = None, now: int = NOW) -> Verification:
    return verify_technician(certificate, proof, binding=binding, trusted=trusted,
                             revocations=revocations(issued_at=now - DAY, next_update=now + DAY)
                             if lists is None else lists, now=now)


def test_a_good_certificate_and_proof_are_verified() -> None:
    result = check()
    assert result.verdict is Verdict.VERIFIED and result.verified
    assert result.certificate == FIELDS
    assert result.message == "Max Mustermann, verified by Kanzleisoft GmbH."
    assert result.audit() == {"verdict": "verified", "serial": 1001,
                              "organisation": "Kanzleisoft GmbH", "org_key_id": ORG_ID,
                              "technician": "Max Mustermann"}


def test_both_ends_of_a_session_share_the_binding_and_sessions_differ() -> None:
    other_agent, other_console = handshake("session two")
    assert AGENT.binding == CONSOLE.binding and len(BINDING) == 32
    assert other_agent.binding == other_console.binding != BINDING
    assert BINDING not in (AGENT.send_key, AGENT.recv_key)
    assert BINDING.hex() not in repr(AGENT)


def test_no_proof() -> None:
    for certificate, proof in ((None, None), (CERT, None), (None, PROOF)):
        result = check(certificate, proof)
        assert result.verdict is Verdict.NO_PROOF and result.certificate is None
        assert not result.verified


def test_an_agent_that_trusts_no_organisation() -> None:
    assert check(None, None, trusted=()).verdict is Verdict.NO_TRUST
    result = check(trusted=())
    assert result.verdict is Verdict.NO_TRUST and result.certificate == FIELDS
    assert not result.verified


@pytest.mark.parametrize("certificate", [b"", b"FHCT", CERT[:-1], CERT + b"\0",
                                         b"FHCT\x02" + CERT[5:], bytes(2000)])
def test_malformed_certificate(certificate: bytes) -> None:
    result = check(certificate)
    assert result.verdict is Verdict.MALFORMED and result.certificate is None
    assert "cannot be read" in result.message


def test_another_organisations_certificate() -> None:
    result = check(cert(OTHER_ORG_SEED))
    assert result.verdict is Verdict.FOREIGN_ORGANISATION
    assert OTHER_TRUSTED.key_id in result.message
    # Trusting both makes it fine (revocation list of the other organisation given).
    both = (*TRUSTED, OTHER_TRUSTED)
    lists = {OTHER_TRUSTED.key_id: issue_revocation_list(
        OTHER_ORG_SEED, [], issued_at=NOW - DAY, next_update=NOW + DAY)}
    assert check(cert(OTHER_ORG_SEED), trusted=both, lists=lists).verified


def test_a_certificate_signed_by_another_organisation_claiming_our_id() -> None:
    """The key id is just a claim: the signature decides."""
    body = CERT[:-64]
    forged = body + SigningKey(OTHER_ORG_SEED).sign(body).signature
    assert check(forged).verdict is Verdict.BAD_SIGNATURE


def _offsets() -> dict[str, int]:
    """Byte offsets of each field of CERT (see the layout in shared/identity/certificate.py)."""
    org_len = len(FIELDS.organisation.encode())
    tech_len = len(FIELDS.technician.encode())
    email_len = len(FIELDS.email.encode())
    texts = 5 + 8 + 24 + 32
    return {
        "serial": 5 + 8 + 7,
        "valid_from": 5 + 16 + 7,
        "valid_until": 5 + 24 + 7,
        "technician_key": 5 + 32,
        "organisation": texts + 1,
        "technician": texts + 1 + org_len + 1,
        "email": texts + 2 + org_len + tech_len + 1,
        "phone": texts + 3 + org_len + tech_len + email_len + 1,
        "signature": len(CERT) - 1,
    }


@pytest.mark.parametrize("field", list(_offsets()))
def test_each_field_tampered(field: str) -> None:
    data = bytearray(CERT)
    offset = _offsets()[field]
    data[offset] ^= 0x01  # still parses (one letter or bit of a number changes)
    result = check(bytes(data))
    assert result.verdict is Verdict.BAD_SIGNATURE, field
    assert result.certificate is not None and not result.verified


def test_expired_and_the_skew() -> None:
    end = FIELDS.valid_until
    assert check(now=end + CLOCK_SKEW).verified  # within the tolerance
    result = check(now=end + CLOCK_SKEW + 1)
    assert result.verdict is Verdict.EXPIRED
    assert "expired on 2026-08-20 00:00 UTC" in result.message


def test_not_yet_valid_and_the_skew() -> None:
    start = FIELDS.valid_from
    assert check(now=start - CLOCK_SKEW).verified
    result = check(now=start - CLOCK_SKEW - 1)
    assert result.verdict is Verdict.NOT_YET_VALID and "clock" in result.message


def test_a_custom_skew() -> None:
    start = FIELDS.valid_from
    assert verify_technician(CERT, PROOF, binding=BINDING, trusted=TRUSTED,
                             revocations=revocations(), now=start - 10,
                             clock_skew=0).verdict is Verdict.NOT_YET_VALID


def test_revoked() -> None:
    result = check(lists=revocations((5, 1001, 7000)))
    assert result.verdict is Verdict.REVOKED and "1001" in result.message
    assert check(lists=revocations((5, 1000, 1002))).verified


def test_stale_revocation_list() -> None:
    lists = revocations(issued_at=NOW - 8 * DAY, next_update=NOW - 1)
    result = check(lists=lists)
    assert result.verdict is Verdict.REVOCATION_STALE and "out of date" in result.message
    assert check(lists=revocations(issued_at=NOW - 8 * DAY, next_update=NOW)).verified


def test_missing_revocation_list() -> None:
    for lists in ({}, {ORG_ID: None}, {OTHER_TRUSTED.key_id: revocation_list()}):
        result = check(lists=lists)
        assert result.verdict is Verdict.REVOCATION_MISSING
        assert "could not be fetched" in result.message


def test_revocation_list_signed_by_another_key() -> None:
    foreign = revocation_list(org_seed=OTHER_ORG_SEED)  # signed by, and naming, the other
    result = check(lists={ORG_ID: foreign})
    assert result.verdict is Verdict.REVOCATION_MISSING and "did not sign" in result.message
    # Naming our key id, signed by another key.
    genuine = revocation_list()
    body = genuine[:-64]
    forged = body + SigningKey(OTHER_ORG_SEED).sign(body).signature
    assert check(lists={ORG_ID: forged}).verdict is Verdict.REVOCATION_MISSING


def test_damaged_revocation_list() -> None:
    genuine = revocation_list()
    for data in (b"", genuine[:-1], genuine + b"\0", b"<html>Not found</html>"):
        result = check(lists={ORG_ID: data})
        assert result.verdict is Verdict.REVOCATION_MISSING and "damaged" in result.message


def test_a_proof_replayed_from_another_session() -> None:
    """Two real handshakes: the proof the technician made in session two does not verify in
    session one (nor the other way round)."""
    other_agent, other_console = handshake("session two")
    replayed = sign_proof(TECH_SEED, other_console.binding)
    assert check(proof=replayed).verdict is Verdict.BAD_PROOF
    assert check(binding=other_agent.binding).verdict is Verdict.BAD_PROOF
    assert check(proof=replayed, binding=other_agent.binding).verified


def test_a_proof_over_another_binding() -> None:
    for proof in (sign_proof(TECH_SEED, bytes(32)),  # another binding
                  sign_proof(seed("someone else"), BINDING),  # another key
                  bytes(64), PROOF[:-1], PROOF + b"\0"):
        result = check(proof=proof)
        assert result.verdict is Verdict.BAD_PROOF, proof.hex()
        assert "another session" in result.message


def test_the_order_of_checks() -> None:
    """Several faults at once: the first one in the documented order is reported."""
    expired_foreign = cert(OTHER_ORG_SEED, valid_from=NOW - 100 * DAY,
                           valid_until=NOW - 50 * DAY)
    assert check(expired_foreign).verdict is Verdict.FOREIGN_ORGANISATION
    expired = cert(valid_from=NOW - 100 * DAY, valid_until=NOW - 50 * DAY)
    assert check(expired, bytes(64), lists={}).verdict is Verdict.EXPIRED
    assert check(proof=bytes(64), lists={}).verdict is Verdict.BAD_PROOF
    assert check(lists={}, now=NOW).verdict is Verdict.REVOCATION_MISSING
    stale_revoked = revocations((1001,), next_update=NOW - 1)
    assert check(lists=stale_revoked).verdict is Verdict.REVOCATION_STALE


def test_trusted_organisation_from_text_and_its_checks() -> None:
    org = TrustedOrganisation.from_text(format_org_key(TRUSTED[0].public_key))
    assert org == TRUSTED[0] and org.key_id == ORG_ID
    with pytest.raises(IdentityFormatError):
        TrustedOrganisation(TRUSTED[0].public_key, "0" * 16)
    with pytest.raises(IdentityFormatError):
        TrustedOrganisation(bytes(31))


def test_times_beyond_the_calendar_are_still_named() -> None:
    far = cert(valid_from=2**62, valid_until=2**62 + DAY)
    result = check(far)
    assert result.verdict is Verdict.NOT_YET_VALID and f"unix time {2**62}" in result.message


def test_a_trusted_organisation_with_its_correct_key_id() -> None:
    org = TrustedOrganisation(TRUSTED[0].public_key, ORG_ID)
    assert org == TRUSTED[0]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.binary(max_size=300) | st.sampled_from([CERT]), st.binary(max_size=70),
       st.binary(max_size=200) | st.none(), st.integers(0, 2**64))
def test_verify_never_raises_for_anything_the_peer_or_relay_sends(
    certificate: bytes, proof: bytes, listed: bytes | None, now: int,
) -> None:
    """Arbitrary certificate, proof and revocation list bytes, any time: a verdict, never an
    exception, and never VERIFIED."""
    result = check(certificate, proof, lists={ORG_ID: listed}, now=now)
    assert isinstance(result.verdict, Verdict) and not result.verified
    assert result.message
