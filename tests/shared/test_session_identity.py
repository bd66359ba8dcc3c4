"""The technician's proof inside the session (issue 12): sent by the console after its Hello,
checked by the agent on the consent request; an agent that requires verified technicians
refuses anyone else before the customer is asked."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared.channel import SecureChannel
from shared.identity import (
    IdentityFormatError,
    TechnicianIdentity,
    TrustPolicy,
    Verdict,
    sign_proof,
)
from shared.session import (
    AgentSession,
    ConsentRequested,
    ConsoleSession,
    PeerIntroduced,
    Phase,
    SessionEnded,
)
from tests.shared.identity_helpers import (
    CERT,
    DAY,
    FIELDS,
    NOW,
    ORG_ID,
    OTHER_ORG_SEED,
    TECH_SEED,
    TRUSTED,
    cert,
    handshake,
    revocations,
    seed,
)
from tests.shared.test_session import CODE, pump

IDENTITY = TechnicianIdentity(CERT, TECH_SEED)
REQUIRE = TrustPolicy(TRUSTED, require_verified=True)
ALLOW_UNVERIFIED = TrustPolicy(TRUSTED, require_verified=False)


def run(trust: TrustPolicy, identity: TechnicianIdentity | None, *,
        lists: dict[str, bytes | None] | None = None, now: int = NOW
        ) -> tuple[AgentSession, ConsoleSession, list[object], list[object]]:
    a = AgentSession(CODE, trust=trust, clock=lambda: now + 0.5)
    a.set_revocation_lists(revocations() if lists is None else lists)
    c = ConsoleSession(CODE, name="Max", organisation="Kanzleisoft GmbH", identity=identity)
    a_ev, c_ev = pump(a, c, [a.start()], [c.start()])
    return a, c, a_ev, c_ev


def requests(events: list[object]) -> list[ConsentRequested]:
    return [e for e in events if isinstance(e, ConsentRequested)]


def ends(events: list[object]) -> list[SessionEnded]:
    return [e for e in events if isinstance(e, SessionEnded)]


def test_a_verified_technician_reaches_the_consent_dialog_marked_verified() -> None:
    a, c, a_ev, _ = run(REQUIRE, IDENTITY)
    (request,) = requests(a_ev)
    assert request.identity.verified and request.identity.certificate == FIELDS
    assert a.identity == request.identity and a.now == NOW
    assert a.phase is Phase.CONSENT and c.phase is Phase.CONSENT
    assert c.presented == FIELDS


def test_an_unverified_technician_is_refused_before_consent() -> None:
    a, c, a_ev, c_ev = run(REQUIRE, None)
    assert requests(a_ev) == []
    (mine,) = ends(a_ev)
    assert mine.reason == "unverified_technician" and not mine.by_peer
    assert "(no_proof)" in mine.message
    (theirs,) = ends(c_ev)
    assert theirs == SessionEnded("unverified_technician", mine.message, by_peer=True)
    assert a.identity is not None and a.identity.verdict is Verdict.NO_PROOF
    assert a.ended and c.ended and a.end_reason == c.end_reason == "unverified_technician"
    assert c.presented is None


REFUSED: dict[str, tuple[dict[str, Any], Verdict]] = {
    "foreign": (dict(certificate=cert(OTHER_ORG_SEED)), Verdict.FOREIGN_ORGANISATION),
    "expired": (dict(certificate=cert(valid_from=NOW - 99 * DAY, valid_until=NOW - DAY)),
                Verdict.EXPIRED),
    "not yet valid": (dict(certificate=cert(valid_from=NOW + DAY, valid_until=NOW + 9 * DAY)),
                      Verdict.NOT_YET_VALID),
    "revoked": (dict(lists=revocations((FIELDS.serial,))), Verdict.REVOKED),
    "stale list": (dict(lists=revocations(issued_at=NOW - 9 * DAY, next_update=NOW - DAY)),
                   Verdict.REVOCATION_STALE),
    "missing list": (dict(lists={}), Verdict.REVOCATION_MISSING),
    "list not fetched": (dict(lists={ORG_ID: None}), Verdict.REVOCATION_MISSING),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_each_unverified_technician_is_refused_with_its_reason(case: str) -> None:
    options, verdict = REFUSED[case]
    certificate = options.get("certificate", CERT)
    assert isinstance(certificate, bytes)
    lists = options.get("lists")
    assert lists is None or isinstance(lists, dict)
    identity = TechnicianIdentity(certificate, TECH_SEED)
    a, _, a_ev, c_ev = run(REQUIRE, identity, lists=lists)
    assert requests(a_ev) == []
    assert a.identity is not None and a.identity.verdict is verdict
    (theirs,) = ends(c_ev)
    assert theirs.reason == "unverified_technician" and f"({verdict.value})" in theirs.message
    # An agent that allows unverified technicians asks the customer, with the verdict.
    a, _, a_ev, _ = run(ALLOW_UNVERIFIED, identity, lists=lists)
    (request,) = requests(a_ev)
    assert request.identity.verdict is verdict and not request.identity.verified


def test_lists_set_after_the_code_was_shown_count() -> None:
    a = AgentSession(CODE, trust=REQUIRE, clock=lambda: NOW)
    c = ConsoleSession(CODE, name="Max", identity=IDENTITY)
    a.set_revocation_lists({ORG_ID: None})  # first fetch failed
    a.set_revocation_lists({"0" * 16: None})  # another organisation: keeps ours
    a_start = a.start()
    first = a.receive(c.start())
    a.set_revocation_lists(revocations())  # the retry succeeded while the code was shown
    a_ev, _ = pump(a, c, [a_start, *first.outgoing], [])
    assert requests(a_ev)[0].identity.verified
    with pytest.raises(TypeError):
        a.set_revocation_lists({ORG_ID: "text"})  # type: ignore[dict-item]


def test_the_console_sends_its_proof_between_hello_and_request() -> None:
    agent_keys, _ = handshake("order")
    a = AgentSession(CODE, trust=REQUIRE)
    c = ConsoleSession(CODE, name="Max", identity=IDENTITY)
    out = [a.start()]
    sent: list[bytes] = []
    c_out = [c.start()]
    while out or c_out:
        to_c, out = out, []
        for data in to_c:
            step = c.receive(data)
            c_out += step.outgoing
            if c.phase is not Phase.HANDSHAKE:
                sent += step.outgoing
        to_a, c_out = c_out, []
        for data in to_a:
            if a.phase is Phase.HANDSHAKE:
                out += a.receive(data).outgoing
    assert a._channel is not None
    kinds = [type(m.decode(a._channel.open(data))) for data in sent]
    assert kinds == [m.Hello, m.TechnicianProof, m.ConsentRequest]
    assert agent_keys.binding != a._binding  # fresh sessions, fresh bindings


def test_a_console_without_identity_sends_no_proof() -> None:
    a = AgentSession(CODE)
    c = ConsoleSession(CODE, name="Max")
    a_ev, _ = pump(a, c, [a.start()], [c.start()])
    assert a._proof is None and requests(a_ev)[0].identity.verdict is Verdict.NO_TRUST


def impostor(session: AgentSession) -> SecureChannel:
    """Seals as the agent's peer would (its keys, counter 0): what a console could send."""
    channel = session._channel
    assert channel is not None
    return SecureChannel(channel._recv_key, channel._send_key)


def keyed_agent(trust: TrustPolicy) -> tuple[AgentSession, SecureChannel]:
    a = AgentSession(CODE, trust=trust, clock=lambda: NOW)
    a.set_revocation_lists(revocations())
    c = ConsoleSession(CODE, name="Max")
    out, c_out = [a.start()], [c.start()]
    while out or c_out:
        to_c, out = out, []
        for data in to_c:
            if c.phase is Phase.HANDSHAKE:
                c_out += c.receive(data).outgoing
        to_a, c_out = c_out, []
        for data in to_a:
            if a.phase is Phase.HANDSHAKE:
                out += a.receive(data).outgoing
    return a, impostor(a)


def send(a: AgentSession, peer: SecureChannel, *msgs: m.Message) -> list[object]:
    events: list[object] = []
    for msg in msgs:
        events += a.receive(peer.seal(m.encode(msg))).events
    return events


HELLO = m.Hello(m.PROTOCOL_VERSION, "0.1.0", "console", "Max", "Kanzleisoft GmbH")
REQUEST = m.ConsentRequest(frozenset({"view", "control"}))


def test_a_proof_replayed_from_another_real_session_is_refused() -> None:
    """Session one's proof, captured and replayed (or relayed) into session two."""
    one, _ = keyed_agent(REQUIRE)
    two, peer = keyed_agent(REQUIRE)
    assert one._binding != two._binding
    replayed = m.TechnicianProof(CERT, sign_proof(TECH_SEED, one._binding))
    events = send(two, peer, HELLO, replayed, REQUEST)
    assert requests(events) == []
    assert two.identity is not None and two.identity.verdict is Verdict.BAD_PROOF
    (end,) = ends(events)
    assert end.reason == "unverified_technician" and "(bad_proof)" in end.message
    # The same certificate with a proof over session two's own binding is accepted.
    three, peer3 = keyed_agent(REQUIRE)
    good = m.TechnicianProof(CERT, sign_proof(TECH_SEED, three._binding))
    assert requests(send(three, peer3, HELLO, good, REQUEST))[0].identity.verified


def test_a_garbled_certificate_is_refused_not_a_crash() -> None:
    a, peer = keyed_agent(REQUIRE)
    events = send(a, peer, HELLO, m.TechnicianProof(b"garbage", bytes(64)), REQUEST)
    assert requests(events) == [] and a.identity is not None
    assert a.identity.verdict is Verdict.MALFORMED
    assert ends(events)[0].reason == "unverified_technician"


def test_technician_identity_checks_its_key() -> None:
    with pytest.raises(IdentityFormatError, match="does not belong"):
        TechnicianIdentity(CERT, seed("someone else"))
    with pytest.raises(IdentityFormatError):
        TechnicianIdentity(b"junk", TECH_SEED)
    with pytest.raises(IdentityFormatError):
        TechnicianIdentity(CERT, b"short")
    assert TECH_SEED.hex() not in repr(IDENTITY) and "seed" not in repr(IDENTITY)
    assert IDENTITY.fields == FIELDS
    with pytest.raises(TypeError):
        ConsoleSession(CODE, name="x", identity=CERT)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AgentSession(CODE, trust=TRUSTED)  # type: ignore[arg-type]


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.sampled_from(["good", "foreign", "tampered", "garbage", "none", "other_binding"]),
    st.integers(NOW - 200 * DAY, NOW + 200 * DAY),
    st.sampled_from(["fresh", "stale", "missing", "revoked"]),
)
def test_a_policy_requiring_agent_never_asks_about_an_unverified_technician(
    kind: str, now: int, list_kind: str,
) -> None:
    """Whatever the console presents and whatever the relay served: ConsentRequested comes
    exactly when the verdict is VERIFIED, and the session then is in CONSENT; else it ended
    with ``unverified_technician`` and nothing else was emitted."""
    a, peer = keyed_agent(REQUIRE)
    a.clock = lambda: now
    lists: dict[str, bytes | None] = {
        "fresh": revocations(issued_at=now - DAY, next_update=now + DAY),
        "stale": revocations(issued_at=now - 9 * DAY, next_update=now - DAY),
        "missing": {},
        "revoked": revocations((FIELDS.serial,), issued_at=now - DAY, next_update=now + DAY),
    }[list_kind]
    a.set_revocation_lists(lists)
    certificate = {"good": CERT, "other_binding": CERT, "foreign": cert(OTHER_ORG_SEED),
                   "tampered": CERT[:30] + bytes([CERT[30] ^ 4]) + CERT[31:],
                   "garbage": b"FHCT\x01" + bytes(40), "none": b""}[kind]
    binding = bytes(32) if kind == "other_binding" else a._binding
    msgs: list[m.Message] = [HELLO]
    if certificate:
        msgs.append(m.TechnicianProof(certificate, sign_proof(TECH_SEED, binding)))
    events = send(a, peer, *msgs, REQUEST)
    assert a.identity is not None
    if a.identity.verified:
        assert [type(e) for e in events] == [PeerIntroduced, ConsentRequested]
        assert a.phase is Phase.CONSENT
    else:
        assert [type(e) for e in events] == [PeerIntroduced, SessionEnded] and a.ended
        assert a.end_reason == "unverified_technician"
    expected = (kind == "good" and list_kind == "fresh"
                and FIELDS.valid_from - 300 <= now <= FIELDS.valid_until + 300)
    assert a.identity.verified == expected


def test_fields_replace_keeps_the_checks() -> None:
    with pytest.raises(IdentityFormatError):
        dataclasses.replace(FIELDS, valid_until=FIELDS.valid_from)
