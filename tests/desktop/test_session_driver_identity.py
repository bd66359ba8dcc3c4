"""Both session records say who the technician was (issue 12), through the REAL relay on
loopback: the agent's verdict (before the consent dialog, or with its refusal) and the console's
certificate as presented, plus the agent's refusal. The programs' windows are not involved: the
driver writes the identity event itself, for both programs."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from desktop.audit_store import read_record
from desktop.relay_client import RelayConnection
from shared.audit_summary import summarise
from shared.codes import SessionCode
from shared.identity import TechnicianIdentity, TrustPolicy
from shared.session import AgentSession, ConsentRequested, ConsoleSession, SessionEnded
from tests.desktop.test_session_driver import CODE, Recorder, _record
from tests.shared.identity_helpers import CERT, FIELDS, ORG_ID, TECH_SEED, TRUSTED, revocations

REQUIRE = TrustPolicy(TRUSTED, require_verified=True)


async def _session(relay_url: str, tmp_path: Path, identity: TechnicianIdentity | None
                   ) -> tuple[list[object], list[object], Recorder, Recorder]:
    loop = asyncio.get_running_loop()
    agent_conn = await RelayConnection.open(relay_url)
    console_conn = await RelayConnection.open(relay_url)
    plate = await agent_conn.host()
    await asyncio.gather(agent_conn.wait_paired(), console_conn.join(plate.nameplate))
    code = SessionCode(plate.nameplate, CODE.secret)
    agent_session = AgentSession(code, trust=REQUIRE, clock=lambda: FIELDS.valid_from + 3600)
    agent_session.set_revocation_lists(revocations(issued_at=FIELDS.valid_from,
                                                   next_update=FIELDS.valid_from + 86_400))
    seen_a: list[object] = []
    seen_c: list[object] = []
    agent = Recorder(agent_session, _record(tmp_path, "agent"), seen_a.append, loop)
    console = Recorder(ConsoleSession(code, name="Max", identity=identity),
                       _record(tmp_path, "console"), seen_c.append, loop)
    runs = asyncio.gather(agent.run(agent_conn), console.run(console_conn))

    async def settled() -> None:
        while not (any(isinstance(e, ConsentRequested) for e in seen_a)
                   or any(isinstance(e, SessionEnded) for e in seen_c)):
            await asyncio.sleep(0.01)

    await asyncio.wait_for(settled(), 10)
    if not agent.session.ended:
        agent.end("customer_ended")
    await asyncio.wait_for(runs, 10)
    return seen_a, seen_c, agent, console


def _identities(driver: Recorder) -> list[dict[str, Any]]:
    assert driver.record is not None
    return [e["identity"] for e in read_record(driver.record.path) if e["event"] == "identity"]


def test_a_verified_technician_is_recorded_on_both_sides(relay_url: str, tmp_path: Path) -> None:
    seen_a, _, agent, console = asyncio.run(
        _session(relay_url, tmp_path, TechnicianIdentity(CERT, TECH_SEED)))
    (request,) = [e for e in seen_a if isinstance(e, ConsentRequested)]
    assert request.identity.verified
    checked = {"serial": FIELDS.serial, "organisation": "Kanzleisoft GmbH",
               "org_key_id": ORG_ID, "technician": "Max Mustermann"}
    assert _identities(agent) == [{"verdict": "verified", **checked}]
    assert _identities(console) == [{"verdict": "presented", **checked}]
    assert agent.record is not None
    summary = summarise(read_record(agent.record.path), "agent")
    assert summary.identity is not None and summary.identity.verified


def test_a_refused_technician_is_recorded_on_both_sides(relay_url: str, tmp_path: Path) -> None:
    seen_a, seen_c, agent, console = asyncio.run(_session(relay_url, tmp_path, None))
    assert not any(isinstance(e, ConsentRequested) for e in seen_a)
    (end,) = [e for e in seen_c if isinstance(e, SessionEnded)]
    assert end.reason == "unverified_technician" and end.by_peer
    nothing = {"serial": None, "organisation": None, "org_key_id": None, "technician": None}
    (agent_side,) = _identities(agent)
    assert agent_side == {"verdict": "no_proof", **nothing, "refused": end.message}
    assert _identities(console) == [{"verdict": "no_proof", **nothing},
                                    {"verdict": "no_proof", **nothing, "refused": end.message}]
    assert console.record is not None
    summary = summarise(read_record(console.record.path), "console")
    assert summary.identity is not None and summary.identity.refused == end.message
    assert summary.ending is not None and summary.ending.reason == "unverified_technician"
