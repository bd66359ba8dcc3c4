"""The tests' loopback ports (bench.support.relay.free_port): never the same one twice.

A relay cluster draws several ports (HAProxy front and stats, each node's two, Redis) before
any of its servers binds one; a draw that repeated a port left two servers on it, and HAProxy
exited with "Address already in use" (seen in CI).
"""

from __future__ import annotations

from bench.support.relay import free_port


def test_free_port_never_hands_out_a_port_twice() -> None:
    ports = [free_port() for _ in range(1000)]  # unremembered, 1000 draws of ~22 000 repeat one
    assert len(set(ports)) == len(ports)
    assert all(1024 <= p < 65536 for p in ports)
