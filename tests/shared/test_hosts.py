"""The one loopback rule the relay, the programs and the build share."""

from __future__ import annotations

import pytest

from shared.hosts import is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost",
                                  "LOCALHOST", " localhost "])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "192.0.2.10", "relay.example.org",
                                  "localhost.example.org", "[::ffff:192.0.2.1]"])
def test_other_hosts(host: str) -> None:
    assert not is_loopback(host)
