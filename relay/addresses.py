"""Client addresses as the relay's limits see them: address blocks and trusted proxies.

Every per-address limit counts a client's whole block (IPv4 /24, IPv6 /56 by default), and
behind a trusted proxy the client is read from ``X-Forwarded-For``, never from anyone else's
header. Pure: no sockets.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence


def client_key(address: str, ipv4_prefix: int = 24, ipv6_prefix: int = 56) -> str:
    """The rate-limit key for a peer address: its IPv4 /24 or IPv6 /56 (both configurable).

    One person or attacker usually holds a whole block (a home router's IPv6 /56, a server's
    IPv4 /24), so every per-address limit counts the block, never single addresses.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = ipv4_prefix if ip.version == 4 else ipv6_prefix
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """IPs or CIDRs (``10.0.0.0/8``, ``::1``) as networks; ValueError names a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip().strip("[]"), strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {entry!r}") from exc
    return tuple(networks)


def _hop_address(hop: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """One ``X-Forwarded-For`` entry as an address: ``1.2.3.4``, ``1.2.3.4:5``, ``[::1]:5``."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1 : hop.find("]")] if "]" in hop else ""
    elif hop.count(":") == 1:  # IPv4 with a port
        hop = hop.partition(":")[0]
    try:
        ip = ipaddress.ip_address(hop)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(ip.version == net.version and ip in net for net in trusted)


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The client address behind trusted proxies; ``peer`` itself unless it is one of them.

    Only when the TCP peer is a trusted proxy is ``X-Forwarded-For`` (all header lines, in
    order) read, from the right: each trusted proxy appended the address it was connected from,
    so the first entry that is not a trusted proxy is the client. Everything left of it is
    whatever the client chose to send and is ignored. An entry that is not an address ends the
    walk at the hop to its right (a proxy's address), so header text never becomes a key.
    """
    peer_ip = _hop_address(peer)
    if not trusted or peer_ip is None or not _trusted(peer_ip, trusted):
        return peer
    current = peer_ip
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        ip = _hop_address(hop)
        if ip is None:
            break
        current = ip
        if not _trusted(ip, trusted):
            break
    return str(current)
