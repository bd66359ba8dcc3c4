"""Address blocks and X-Forwarded-For behind trusted proxies (pure, no network)."""

from __future__ import annotations

import pytest

from relay.addresses import client_key, forwarded_client, parse_networks

TRUSTED = parse_networks(["127.0.0.1", "10.0.0.0/8", "::1"])


def test_client_key_groups_ipv4_by_24_and_ipv6_by_56() -> None:
    assert client_key("192.0.2.1") == client_key("192.0.2.254") == "192.0.2.0/24"
    assert client_key("192.0.3.1") != client_key("192.0.2.1")
    assert client_key("2001:db8:0:ff::1") == client_key("2001:db8:0:1::2") == "2001:db8::/56"
    assert client_key("2001:db8:0:100::1") == "2001:db8:0:100::/56"
    assert client_key("::ffff:192.0.2.1") == "192.0.2.0/24"
    assert client_key("not-an-ip") == "not-an-ip"
    assert client_key("192.0.2.1", ipv4_prefix=32) == "192.0.2.1/32"
    assert client_key("2001:db8::1", ipv6_prefix=64) == "2001:db8::/64"


@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        # not a trusted proxy: the header is the attacker's, ignored
        ("192.0.2.1", ["203.0.113.7"], "192.0.2.1"),
        # trusted proxy, one hop
        ("127.0.0.1", ["203.0.113.7"], "203.0.113.7"),
        # spoofed entries left of the real client are ignored: walk from the right
        ("127.0.0.1", ["6.6.6.6, 203.0.113.7"], "203.0.113.7"),
        ("127.0.0.1", ["6.6.6.6", "203.0.113.7"], "203.0.113.7"),  # several header lines
        # trusted hops are skipped
        ("127.0.0.1", ["6.6.6.6, 203.0.113.7, 10.1.2.3"], "203.0.113.7"),
        # a client spoofing a trusted address left of itself gains nothing
        ("127.0.0.1", ["10.9.9.9, 203.0.113.7"], "203.0.113.7"),
        # ports and brackets, IPv6, IPv4-mapped
        ("127.0.0.1", ["203.0.113.7:4711"], "203.0.113.7"),
        ("127.0.0.1", ["[2001:db8::5]:4711"], "2001:db8::5"),
        ("::1", ["2001:db8::5"], "2001:db8::5"),
        ("::ffff:127.0.0.1", ["::ffff:203.0.113.7"], "203.0.113.7"),
        # no header, garbage, all trusted: never header text as the address
        ("127.0.0.1", [], "127.0.0.1"),
        ("127.0.0.1", ["unknown"], "127.0.0.1"),
        ("127.0.0.1", ["203.0.113.7, garbage"], "127.0.0.1"),
        ("127.0.0.1", ["garbage, 10.1.2.3"], "10.1.2.3"),
        ("127.0.0.1", ["10.1.2.3, 10.4.5.6"], "10.1.2.3"),
    ],
)
def test_forwarded_client(peer: str, header: list[str], client: str) -> None:
    assert forwarded_client(peer, header, TRUSTED) == client


def test_forwarded_client_off_without_trusted_proxies() -> None:
    assert forwarded_client("127.0.0.1", ["203.0.113.7"], ()) == "127.0.0.1"


def test_parse_networks() -> None:
    assert [str(n) for n in parse_networks(["10.1.2.3/8", " ::1 ", "fd00::/8"])] == [
        "10.0.0.0/8",
        "::1/128",
        "fd00::/8",
    ]
    with pytest.raises(ValueError, match=r"proxy\.example"):
        parse_networks(["proxy.example"])
