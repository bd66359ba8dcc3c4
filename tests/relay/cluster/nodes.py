"""In-process relay clusters for tests: several RelayServer objects sharing one LocalState
(``LocalState.for_node``), each with its internal listener, real websockets on loopback."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from relay.cluster.local import LocalState
from relay.server import RelayServer
from relay.settings import RelaySettings
from tests.relay.helpers import FAST

#: A cluster secret for tests (the real one is random bytes in a file only the relay reads).
SECRET = b"k" * 40


@contextlib.asynccontextmanager
async def nodes(tmp: Path, count: int = 2, **overrides: Any) -> AsyncIterator[list[RelayServer]]:
    """``count`` relay nodes (ids n0, n1, ...) sharing one state, stopped afterwards."""
    secret = tmp / "cluster.secret"
    secret.write_bytes(SECRET)
    settings = RelaySettings(**{**FAST, "cluster_secret_file": str(secret), **overrides})
    shared = LocalState(settings, node="n0")
    servers = [RelayServer(settings, state=shared.for_node(f"n{i}")) for i in range(count)]
    try:
        for server in servers:
            await server.start()
        yield servers
    finally:
        for server in servers:
            await server.stop()
