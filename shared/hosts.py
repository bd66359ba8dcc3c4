"""Whether a host name or address is this computer: the one rule for "loopback only".

The relay refuses plain ``ws://`` unless it listens on loopback, the programs send over plain
``ws://`` only to a loopback relay, and a branding file may name a plain ``ws://`` relay only on
loopback (DESIGN.md §6). All three ask this function, so they cannot disagree.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """True if ``host`` names only loopback interfaces: ``localhost`` or a loopback address,
    IPv6 with or without brackets. An empty host (all interfaces) or any other name is not."""
    host = host.strip()
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
