"""What a technician's proof costs at session set-up: ``python -m bench.identity_setup``.

Issue 12's figures: the time from "paired" to the consent request reaching the agent, with and
without a technician proof, and the sizes on the wire. A real ``python -m relay`` on loopback
serves the organisation's revocation list; each trial is a fresh pairing through it with the
real relay client (desktop.relay_client) and the real session machines (shared.session):

- ``with_proof``: the console holds a certificate issued by an organisation key, the agent trusts
  that organisation, requires verification, and got the organisation's signed revocation list
  from the relay beforehand (as the agent does while the code is shown, so the fetch is not part
  of paired -> consent; it is timed on its own, ``revocation_fetch_ms``);
- ``without_proof``: the same with no identity and a policy that trusts nobody (today's session).

Trials alternate between the two, so load from elsewhere hits both alike. Timed: from the
agent's ``paired`` to its ``ConsentRequested`` event (key agreement, confirmation, Hello, the
proof and its checks, the consent request; both ends run in this one process, so their CPU work
adds up as it would not across two machines). Then the same again while ``--load`` busy Python
processes of this bench's own compete for the CPU (a ``stress``-like load; they are ended by
their process ids afterwards).

Prints one JSON object; the target is ``difference_ms.p50`` < 5 (``target_met``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench.support.relay import http_base, start_relay
from desktop.relay_client import RelayConnection
from shared import messages as m
from shared.channel import TAG_SIZE
from shared.codes import SessionCode, new_secret
from shared.identity import TechnicianIdentity, TrustPolicy
from shared.identity.certificate import CertificateFields, issue_certificate
from shared.identity.keys import org_key_id
from shared.identity.proof import sign_proof
from shared.identity.revocation import issue_revocation_list, revocation_path
from shared.identity.verify import (
    TrustedOrganisation,
    Verdict,
    verify_technician,
)
from shared.session import (
    AgentSession,
    ConsentRequested,
    ConsoleSession,
    SessionEnded,
    Step,
)

TARGET_MS = 5.0
DAY = 86_400


@dataclass(frozen=True)
class Organisation:
    """An organisation key, a technician certificate under it, and its revocation list."""

    seed: bytes
    public: bytes
    key_id: str
    identity: TechnicianIdentity
    revocation_list: bytes

    @classmethod
    def make(cls, now: int) -> Organisation:
        from nacl.signing import SigningKey

        org, tech = SigningKey.generate(), SigningKey.generate()
        public = bytes(org.verify_key)
        key_id = org_key_id(public)
        fields = CertificateFields(
            organisation="Kanzleisoft GmbH", org_key_id=key_id, technician="Max Mustermann",
            email="max.mustermann@kanzleisoft.example", phone="+49 30 1234567",
            technician_key=bytes(tech.verify_key), serial=1042,
            valid_from=now - DAY, valid_until=now + 90 * DAY,
        )
        certificate = issue_certificate(fields, bytes(org))
        listed = issue_revocation_list(bytes(org), [7, 99, 1001], issued_at=now - 60,
                                       next_update=now + 7 * DAY)
        return cls(bytes(org), public, key_id, TechnicianIdentity(certificate, bytes(tech)),
                   listed)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": round(percentile(values, 0.5), 3),
            "p95": round(percentile(values, 0.95), 3), "mean": round(statistics.fmean(values), 3),
            "min": round(min(values), 3), "max": round(max(values), 3)}


class Pump:
    """One end's receive loop: feeds the machine, sends what it says, keeps its events."""

    def __init__(self, session: AgentSession | ConsoleSession, conn: RelayConnection,
                 sent: list[int] | None = None) -> None:
        self.session, self.conn, self.sent = session, conn, sent
        self.events: asyncio.Queue[object] = asyncio.Queue()
        self.task = asyncio.create_task(self._receive())

    async def apply(self, step: Step) -> None:
        for data in step.outgoing:
            if self.sent is not None:
                self.sent.append(len(data))
            await self.conn.send(data)
        for event in step.events:
            self.events.put_nowait(event)

    async def _receive(self) -> None:
        while not self.session.ended:
            await self.apply(self.session.receive(await self.conn.recv()))

    async def expect(self, kinds: tuple[type, ...]) -> object:
        async with asyncio.timeout(20):
            while True:
                event = await self.events.get()
                if isinstance(event, kinds):
                    return event

    async def close(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.conn.close()


async def one_trial(url: str, org: Organisation, lists: dict[str, bytes | None],
                    proof: bool, clock: Callable[[], float],
                    sent: list[int] | None = None) -> float:
    """One pairing through the relay; milliseconds from the agent's paired to ConsentRequested."""
    agent_conn = await RelayConnection.open(url)
    console_conn = await RelayConnection.open(url)
    agent = console = None
    try:
        plate = await agent_conn.host()
        code = SessionCode(plate.nameplate, new_secret())
        await console_conn.join(plate.nameplate)
        await agent_conn.wait_paired()
        t0 = time.perf_counter()
        if proof:
            policy = TrustPolicy((TrustedOrganisation(org.public, org.key_id),),
                                 require_verified=True)
        else:
            policy = TrustPolicy()
        customer = AgentSession(code, name="", organisation="", trust=policy, clock=clock)
        customer.set_revocation_lists(lists)
        technician = ConsoleSession(code, name="Max Mustermann", organisation="Kanzleisoft GmbH",
                                    identity=org.identity if proof else None)
        agent = Pump(customer, agent_conn)
        console = Pump(technician, console_conn, sent)
        await agent.conn.send(customer.start())
        first = technician.start()
        if sent is not None:
            sent.append(len(first))
        await console.conn.send(first)
        event = await agent.expect((ConsentRequested, SessionEnded))
        elapsed = (time.perf_counter() - t0) * 1000
        if not isinstance(event, ConsentRequested):
            raise SystemExit(f"bench: the session ended instead of asking for consent: {event}")
        expected = Verdict.VERIFIED if proof else Verdict.NO_TRUST
        if event.identity.verdict is not expected:
            raise SystemExit(f"bench: verdict {event.identity.verdict}, expected {expected}")
        return elapsed
    finally:
        for side in (agent, console):
            if side is not None:
                await side.close()
        await agent_conn.close()
        await console_conn.close()


def fetch_list(url: str, key_id: str) -> tuple[bytes, float]:
    """The organisation's list from the relay over plain HTTP on loopback, and the time it took."""
    t0 = time.perf_counter()
    with urllib.request.urlopen(http_base(url) + revocation_path(key_id), timeout=5) as reply:
        body = reply.read(64 * 1024 + 1)
    return body, (time.perf_counter() - t0) * 1000


async def measure(url: str, org: Organisation, trials: int) -> dict[str, Any]:
    clock = time.time
    fetched: list[float] = []
    body = b""
    for _ in range(5):
        body, ms = await asyncio.to_thread(fetch_list, url, org.key_id)
        fetched.append(ms)
    if body != org.revocation_list:
        raise SystemExit("bench: the relay did not serve the list as stored")
    lists: dict[str, bytes | None] = {org.key_id: body}
    for proof in (True, False):  # warm-up: imports, first connections
        await one_trial(url, org, lists, proof, clock)
    times: dict[bool, list[float]] = {True: [], False: []}
    for i in range(2 * trials):
        proof = i % 2 == 0
        times[proof].append(await one_trial(url, org, lists, proof, clock))
    with_p, without_p = summary(times[True]), summary(times[False])
    return {
        "with_proof_ms": with_p,
        "without_proof_ms": without_p,
        "difference_ms": {"p50": round(with_p["p50"] - without_p["p50"], 3),
                          "p95": round(with_p["p95"] - without_p["p95"], 3),
                          "mean": round(with_p["mean"] - without_p["mean"], 3)},
        "revocation_fetch_ms": summary(fetched),
    }


async def sizes(url: str, org: Organisation) -> dict[str, Any]:
    """Bytes the console sends up to the consent request, with and without the proof."""
    lists: dict[str, bytes | None] = {org.key_id: org.revocation_list}
    with_sent: list[int] = []
    without_sent: list[int] = []
    await one_trial(url, org, lists, True, time.time, with_sent)
    await one_trial(url, org, lists, False, time.time, without_sent)
    plain = m.encode(m.TechnicianProof(org.identity.certificate, bytes(64)))
    return {
        "certificate_bytes": len(org.identity.certificate),
        "technician_proof_plaintext_bytes": len(plain),
        "technician_proof_sealed_bytes": len(plain) + TAG_SIZE,
        "console_messages_until_consent": {"with_proof": with_sent, "without_proof": without_sent},
        "extra_bytes_on_the_wire": sum(with_sent) - sum(without_sent),
        "revocation_list_bytes": len(org.revocation_list),
        "note": "sealed = websocket payload; a client's websocket frame adds 8 bytes (2 header, "
                "2 length, 4 mask) for payloads of 126..65535 bytes",
    }


def proof_cpu(org: Organisation, rounds: int = 300) -> dict[str, Any]:
    """The proof's own CPU work, without the network: the console's signature, and the agent's
    whole check (certificate, proof, revocation list), in microseconds per session."""
    binding = bytes(range(32))
    trusted = (TrustedOrganisation(org.public, org.key_id),)
    lists: dict[str, bytes | None] = {org.key_id: org.revocation_list}
    now = int(time.time())
    signed: list[float] = []
    checked: list[float] = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        proof = sign_proof(org.identity.seed, binding)
        t1 = time.perf_counter()
        verdict = verify_technician(org.identity.certificate, proof, binding=binding,
                                    trusted=trusted, revocations=lists, now=now)
        t2 = time.perf_counter()
        if not verdict.verified:
            raise SystemExit(f"bench: the proof did not verify: {verdict}")
        signed.append((t1 - t0) * 1e6)
        checked.append((t2 - t1) * 1e6)
    return {"sign_proof_us": summary(signed), "verify_technician_us": summary(checked)}


def busy_processes(count: int) -> list[subprocess.Popen[bytes]]:
    """``count`` Python processes spinning on the CPU: a stress-like load of the bench's own."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=60, help="trials per mode (default 60)")
    parser.add_argument("--load", type=int, default=2,
                        help="busy processes for the loaded run (default 2; 0: skip it)")
    args = parser.parse_args(argv)
    if args.trials < 1:
        parser.error("--trials must be at least 1")
    now = int(time.time())
    org = Organisation.make(now)
    with TemporaryDirectory(prefix="fh-identity-") as tmp:
        folder = Path(tmp) / "revocations"
        folder.mkdir()
        (folder / f"{org.key_id}.fhrl").write_bytes(org.revocation_list)
        relay, url = start_relay("--revocations-dir", str(folder),
                                 "--host-attempts-per-minute", "100000",
                                 "--join-attempts-per-minute", "100000")
        try:
            result: dict[str, Any] = {
                "bench": "identity_setup",
                "meta": {"trials_per_mode": args.trials,
                         "load_avg_1m": os.getloadavg()[0], "cpus": os.cpu_count()},
                "sizes": asyncio.run(sizes(url, org)),
                "proof_cpu": proof_cpu(org),
                "baseline": asyncio.run(measure(url, org, args.trials)),
            }
            if args.load:
                busy = busy_processes(args.load)
                try:
                    time.sleep(0.5)
                    loaded = asyncio.run(measure(url, org, args.trials))
                    loaded["proof_cpu"] = proof_cpu(org)
                finally:
                    for proc in busy:
                        proc.kill()
                        proc.wait()
                result["under_load"] = {"busy_processes": args.load, **loaded}
        finally:
            relay.terminate()
            relay.wait(10)
    result["meta"]["load_avg_1m_end"] = os.getloadavg()[0]
    result["target_ms"] = TARGET_MS
    result["target_met"] = all(result[k]["difference_ms"]["p50"] < TARGET_MS
                               for k in ("baseline", "under_load") if k in result)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
