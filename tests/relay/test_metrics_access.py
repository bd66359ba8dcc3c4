"""Who may read /metrics: this computer and the trusted proxies by default, others only by opt-in.

A relay serving TLS itself on a public address used to answer /metrics to anybody (issue 11). The
integration tests connect to the real relay on 127.0.0.1 *from* this machine's own non-loopback
address (Linux delivers that over lo, so nothing listens on a reachable interface): the relay
then sees a peer that is not loopback, exactly as it would see a client on the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from pathlib import Path

import pytest

from relay import endpoints
from relay.addresses import parse_networks
from relay.settings import RelaySettings, SettingsError, load_settings
from tests.relay.helpers import relay, run_async
from tests.relay.test_tls import make_cert


def outside_address() -> str:
    """A non-loopback IPv4 address of this machine (skips the test when there is none)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("198.51.100.1", 9))  # UDP connect: picks a route, sends nothing
        address = str(probe.getsockname()[0])
    except OSError:
        pytest.skip("this machine has no non-loopback IPv4 address to connect from")
    finally:
        probe.close()
    if ipaddress.ip_address(address).is_loopback:
        pytest.skip("this machine has no non-loopback IPv4 address to connect from")
    return address


async def get_metrics(port: int, source: str, tls: ssl.SSLContext | None = None) -> int:
    """HTTP status of GET /metrics on 127.0.0.1:``port``, connecting from ``source``."""
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", port, local_addr=(source, 0), ssl=tls,
        server_hostname="127.0.0.1" if tls else None,
    )
    try:
        writer.write(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        await writer.drain()
        async with asyncio.timeout(5):
            head = await reader.readline()
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await writer.wait_closed()
    return int(head.split()[1])


def test_only_loopback_and_listed_peers_may_read_metrics() -> None:
    listed = parse_networks(["192.0.2.10", "2001:db8::/64"])
    assert endpoints.metrics_allowed("127.0.0.1", ())
    assert endpoints.metrics_allowed("127.0.0.2", ())
    assert endpoints.metrics_allowed("::1", ())
    assert endpoints.metrics_allowed("::ffff:127.0.0.1", ())
    assert not endpoints.metrics_allowed("192.0.2.10", ())
    assert not endpoints.metrics_allowed("::ffff:192.0.2.10", ())
    assert endpoints.metrics_allowed("192.0.2.10", listed)
    assert endpoints.metrics_allowed("::ffff:192.0.2.10", listed)
    assert endpoints.metrics_allowed("2001:db8::5", listed)
    assert not endpoints.metrics_allowed("192.0.2.11", listed)
    assert not endpoints.metrics_allowed("fe80::1%eth0", listed)
    assert not endpoints.metrics_allowed(None, listed)
    assert not endpoints.metrics_allowed("unix-socket", listed)
    assert endpoints.forbidden().status_code == 403


def test_metrics_allow_is_a_list_setting() -> None:
    assert RelaySettings().metrics_allow == ()
    assert load_settings(["--metrics-allow", "192.0.2.10, 10.0.0.0/8"], {}).metrics_allow == (
        "192.0.2.10", "10.0.0.0/8")
    env = {"FERNHILFE_RELAY_METRICS_ALLOW": "2001:db8::1"}
    assert load_settings([], env).metrics_allow == ("2001:db8::1",)
    with pytest.raises(SettingsError, match="metrics_allow"):
        RelaySettings(metrics_allow=("not-an-address",))
    with pytest.raises(SettingsError, match="metrics_allow"):
        RelaySettings(metrics_allow="192.0.2.10")  # type: ignore[arg-type]


def test_direct_tls_relay_keeps_metrics_to_itself_by_default(tmp_path: Path) -> None:
    outside = outside_address()
    cert, key = make_cert(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))

    @run_async(20)
    async def scenario() -> None:
        async with relay(tls_cert=str(cert), tls_key=str(key)) as server:
            assert await get_metrics(server.port, "127.0.0.1", trust) == 200
            assert await get_metrics(server.port, outside, trust) == 403
        async with relay(tls_cert=str(cert), tls_key=str(key), metrics_allow=(outside,)) as server:
            assert await get_metrics(server.port, outside, trust) == 200

    scenario()


def test_trusted_proxy_may_read_metrics_it_filters_itself() -> None:
    outside = outside_address()

    @run_async(20)
    async def scenario() -> None:
        async with relay() as server:
            assert await get_metrics(server.port, outside) == 403
        async with relay(trusted_proxies=(outside,)) as server:
            assert await get_metrics(server.port, outside) == 200

    scenario()
