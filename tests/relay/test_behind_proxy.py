"""The relay behind the shipped Caddy and nginx configs, each run by Debian's own server.

For each proxy: the shipped file rendered for loopback ports and a throw-away certificate, the
real server as a child process, the real relay (with the shipped example settings) behind it, and
then what an operator relies on, over real TLS with verification:

* a whole session (agent and console session machines, key agreement, consent, frames, input,
  ping, end) through desktop.relay_client.RelayConnection over wss://;
* /metrics answers the monitoring address and refuses every other one, /healthz is public, other
  paths are 404;
* the relay's per-address limits see the real client address the proxy passes on (and not a
  header the client made up): one address is limited, its neighbour is not;
* an organisation's revocation list reaches the client unchanged (path, bytes, type, caching),
  and no spelling of a path through the proxy reaches another file or /metrics.

Loopback has many addresses (127.0.0.0/8), so each "client" binds its own source address.
"""

from __future__ import annotations

import asyncio
import http.client
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from websockets.asyncio.client import connect

from desktop.relay_client import RelayConnection
from shared import messages as m
from shared.codes import SessionCode, new_secret
from shared.identity.keys import org_key_id
from shared.identity.revocation import issue_revocation_list, revocation_path
from shared.rendezvous import Error, ErrorCode, Host, Nameplate, encode, parse_server
from shared.session import (
    AgentSession,
    ConsentAnswered,
    ConsentRequested,
    ConsoleSession,
    FrameReceived,
    InputReceived,
    KeysAgreed,
    RoundTripMeasured,
    SessionEnded,
    Step,
)
from tests.relay.helpers import run_async
from tests.relay.proxies import MONITOR, proxy_process, relay_process
from tests.relay.test_tls import make_cert

PROXIES = ["caddy", "nginx"]
#: The relay's own flags for this test: the shipped example settings (trusted_proxies
#: 127.0.0.1 and ::1 among them), plus single addresses as blocks so that neighbouring loopback
#: addresses count apart, and a small hosting budget to reach quickly.
HOSTS_PER_MINUTE = 2
RELAY_FLAGS = ("--ipv4-prefix", "32", "--host-attempts-per-minute", str(HOSTS_PER_MINUTE))


@dataclass
class Setup:
    url: str
    port: int
    trust: ssl.SSLContext
    relay_log: Path
    lists: Path


@pytest.fixture(params=PROXIES)
def behind_proxy(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    cert, key = make_cert(tmp_path)
    # RelayConnection uses the system's trust store, exactly as the programs do: point it at the
    # throw-away certificate (OpenSSL reads SSL_CERT_FILE whenever a default context is made).
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    trust = ssl.create_default_context(cafile=str(cert))
    lists = tmp_path / "revocations"
    lists.mkdir()
    with relay_process(tmp_path, *RELAY_FLAGS, "--revocations-dir", str(lists)) as relay, \
            proxy_process(request.param, relay.port, cert, key, tmp_path / request.param) as port:
        yield Setup(f"wss://127.0.0.1:{port}/v1", port, trust, relay.log, lists)


def get(setup: Setup, path: str, source: str) -> tuple[int, bytes]:
    """GET ``path`` through the proxy over TLS, connecting from loopback address ``source``."""
    conn = http.client.HTTPSConnection("127.0.0.1", setup.port, timeout=10, context=setup.trust,
                                       source_address=(source, 0))
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Side:
    """One end of a session: a session machine, its relay connection, one ordered sender."""

    def __init__(self, session: AgentSession | ConsoleSession, conn: RelayConnection) -> None:
        self.session, self.conn = session, conn
        self.outgoing: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.events: asyncio.Queue[object] = asyncio.Queue()
        self.tasks = [asyncio.create_task(conn.send_from(self.outgoing)),
                      asyncio.create_task(self._receive())]

    def apply(self, step: Step) -> None:
        """Queue what a step sends, in sealing order, and publish its events."""
        for data in step.outgoing:
            self.outgoing.put_nowait(data)
        for event in step.events:
            self.events.put_nowait(event)

    async def _receive(self) -> None:
        while not self.session.ended:
            self.apply(self.session.receive(await self.conn.recv()))

    async def expect(self, kind: type) -> object:
        """The next event of ``kind`` (others are skipped), within 10 s."""
        async with asyncio.timeout(10):
            while True:
                event = await self.events.get()
                if isinstance(event, kind):
                    return event

    async def close(self) -> None:
        self.outgoing.put_nowait(None)
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.conn.close()


async def session_through(url: str) -> None:
    """A whole session over ``url``: the real client code and the real session machines."""
    agent_conn = await RelayConnection.open(url)
    console_conn = await RelayConnection.open(url)
    try:
        plate = await agent_conn.host()
        code = SessionCode(plate.nameplate, new_secret())
        await console_conn.join(plate.nameplate)
        await agent_conn.wait_paired()
        customer = AgentSession(code, name="", organisation="")
        technician = ConsoleSession(code, name="Eva Technik", organisation="Acme IT")
        agent, console = Side(customer, agent_conn), Side(technician, console_conn)
        agent.outgoing.put_nowait(customer.start())
        console.outgoing.put_nowait(technician.start())
        agreed = await agent.expect(KeysAgreed)
        assert agreed == await console.expect(KeysAgreed)
        request = await agent.expect(ConsentRequested)
        assert isinstance(request, ConsentRequested) and request.name == "Eva Technik"
        grant = frozenset({"view", "control"})
        agent.apply(customer.decide(True, grant))
        assert await console.expect(ConsentAnswered) == ConsentAnswered(True, grant)

        frame = m.FrameUpdate(4, 4, (m.Rect(0, 0, 4, 4, 1, b"\0\1\2\3"),), 1)
        agent.outgoing.put_nowait(customer.seal_frame(frame))
        assert await console.expect(FrameReceived) == FrameReceived(frame)
        key = m.Key("KeyA", "a", True)
        console.apply(technician.send_input(key))
        assert await agent.expect(InputReceived) == InputReceived(key)
        console.apply(technician.ping())
        await console.expect(RoundTripMeasured)

        console.apply(technician.end("technician_ended"))
        ended = await agent.expect(SessionEnded)
        assert isinstance(ended, SessionEnded) and ended.by_peer
        await agent.close()
        await console.close()
    finally:
        await agent_conn.close()
        await console_conn.close()


async def host_from(setup: Setup, source: str, forwarded: str | None = None) -> object:
    """Ask for a nameplate from loopback address ``source`` (optionally claiming another
    address in X-Forwarded-For); returns the relay's answer."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else None
    async with connect(setup.url, ssl=setup.trust, compression=None, open_timeout=10,
                       local_addr=(source, 0), additional_headers=headers) as ws:
        await ws.send(encode(Host()))
        async with asyncio.timeout(10):
            return parse_server(await ws.recv())


def test_session_over_wss_through_the_proxy(behind_proxy: Setup) -> None:
    run_async(60)(session_through)(behind_proxy.url)
    assert '"paired"' in behind_proxy.relay_log.read_text()


def test_metrics_only_for_the_monitoring_address(behind_proxy: Setup) -> None:
    status, body = get(behind_proxy, "/metrics", MONITOR)
    assert status == 200 and b"fernhilfe_relay_connections" in body
    for other in ("127.0.0.2", "127.0.0.3"):
        status, body = get(behind_proxy, "/metrics", other)
        assert status == 403 and b"fernhilfe_relay" not in body
    assert get(behind_proxy, "/healthz", "127.0.0.2") == (200, b"ok\n")
    for path in ("/", "/v1/", "/metrics/", "/admin"):
        assert get(behind_proxy, path, "127.0.0.2")[0] == 404


def test_limits_count_the_real_client_address(behind_proxy: Setup) -> None:
    @run_async(60)
    async def scenario() -> None:
        for _ in range(HOSTS_PER_MINUTE):
            assert isinstance(await host_from(behind_proxy, "127.0.0.3"), Nameplate)
        limited = Error.of(ErrorCode.RATE_LIMITED)
        assert await host_from(behind_proxy, "127.0.0.3") == limited
        # A header the client writes itself does not make it somebody else: the proxy replaces
        # it with the address the connection really came from.
        assert await host_from(behind_proxy, "127.0.0.3", forwarded="127.0.0.5") == limited
        # Its neighbour is a different client: not limited (behind a proxy whose address the
        # relay counted, it would be).
        assert isinstance(await host_from(behind_proxy, "127.0.0.4"), Nameplate)
        assert isinstance(await host_from(behind_proxy, "127.0.0.5"), Nameplate)

    scenario()


def test_revocation_list_passes_through_unchanged(behind_proxy: Setup) -> None:
    org = SigningKey.generate()  # a real signed list (neither proxy nor relay looks inside)
    key_id = org_key_id(bytes(org.verify_key))
    listed = issue_revocation_list(bytes(org), [3, 17], issued_at=1_790_000_000,
                                   next_update=1_790_604_800)
    path = revocation_path(key_id)
    assert get(behind_proxy, path, "127.0.0.2")[0] == 404  # not there yet: the relay's 404
    (behind_proxy.lists / f"{key_id}.fhrl").write_bytes(listed)
    conn = http.client.HTTPSConnection("127.0.0.1", behind_proxy.port, timeout=10,
                                       context=behind_proxy.trust)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        assert (response.status, response.read()) == (200, listed)
        assert response.getheader("Content-Type") == "application/octet-stream"
        assert response.getheader("Cache-Control") == "max-age=60"
    finally:
        conn.close()
    # The relay saw exactly the path the client asked for (its counter of served lists moved).
    status, body = get(behind_proxy, "/metrics", MONITOR)
    assert b'fernhilfe_relay_revocation_requests_total{outcome="served"} 1.0' in body
    secret = behind_proxy.lists.parent / "secret.fhrl"
    secret.write_bytes(b"not for you")
    prefix = "/.well-known/fernhilfe/revocations/"
    for trick in (prefix + "../secret.fhrl", prefix + "%2e%2e/secret.fhrl",
                  prefix + "..%2Fsecret.fhrl", prefix + "../../../metrics",
                  prefix + "%2e%2e/%2e%2e/%2e%2e/metrics", prefix + key_id.upper() + ".fhrl",
                  prefix + key_id + ".fhrl?x", prefix, prefix + "./" + key_id + ".fhrl/"):
        status, body = get(behind_proxy, trick, "127.0.0.2")
        assert status in (400, 403, 404), (trick, status)
        assert b"not for you" not in body and b"fernhilfe_relay" not in body, trick
