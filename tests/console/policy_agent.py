"""The customer's side reduced to its session machine, for the console's identity tests.

:class:`PolicyAgent` hosts a code on the real relay (loopback) and runs the real
:class:`shared.session.AgentSession` with a :class:`TrustPolicy` and revocation lists, as a
branded agent does; when it is asked for consent it records the verdict and answers "allow"
(in the product that is the customer's click in the agent's dialog, which tests/agent and
tests/e2e drive; here the console is under test, so the customer's program is a stand-in).
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop.relay_client import RelayConnection, RelayError
from shared.codes import SessionCode
from shared.identity import TrustPolicy
from shared.session import AgentSession, ConsentRequested, SessionEnded
from tests.console.hosted_agent import HostedAgent


class PolicyAgent(HostedAgent):
    def __init__(self, relay_url: str, trust: TrustPolicy,
                 revocations: Mapping[str, bytes | None] | None = None) -> None:
        super().__init__(relay_url, "policy-agent")
        self.trust = trust
        self.revocations = dict(revocations or {})

    async def _session(self, conn: RelayConnection, code: SessionCode) -> None:
        session = self.session = AgentSession(code, trust=self.trust)
        session.set_revocation_lists(self.revocations)
        await conn.send(session.start())
        while not session.ended:
            try:
                data = await conn.recv()
            except RelayError:
                return
            step = session.receive(data)
            for ev in step.events:
                if isinstance(ev, ConsentRequested):
                    self.consent = ev
                    step.outgoing.extend(session.decide(True, ev.permissions).outgoing)
                elif isinstance(ev, SessionEnded):
                    self.ended = ev
            for out in step.outgoing:
                await conn.send(out)
