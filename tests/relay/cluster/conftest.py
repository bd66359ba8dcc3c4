"""Fixtures for the cluster state tests: a real ``redis-server`` (Debian's package) on a free
loopback port in the test's own directory, and two nodes' views of one shared state.

:func:`state_pair` is parametrized over both implementations, so every test that takes it runs
once against :class:`~relay.cluster.local.LocalState` (``for_node``: one process) and once
against :class:`~relay.cluster.redis_state.RedisState` (two clients of one real Redis): the same
contract, the same numbers.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.support.redis import RedisProcess
from relay.cluster.local import LocalState
from relay.cluster.redis_state import RedisState
from relay.cluster.state import SharedState
from relay.settings import RelaySettings

_prefixes = itertools.count()


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisProcess]:
    """A scratch redis-server (no files), stopped after the test whatever happened."""
    server = RedisProcess(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.kill()


#: How long a pair's RedisState waits for Redis. The pairs check the RULES (both states answer
#: alike); under load (10 on 2 cores) Redis did not answer a heartbeat within the production
#: 1 s and the differential test failed on StateUnavailable. The deadline itself is tested
#: where it is the point (test_state_redis.py, test_store_down.py), with its own timeouts.
RULES_TIMEOUT = 10.0


class StatePair:
    """``async with pair(**settings) as (a, b)``: nodes "a" and "b" sharing one state, both
    started (registered), both closed afterwards."""

    def __init__(self, kind: str, redis_url: str = "") -> None:
        self.kind = kind
        self.redis_url = redis_url

    def node(self, settings: RelaySettings, node: str, base: Any = None,
             heartbeat: float = 1.0, prefix: str = "") -> SharedState:
        """One node's view: of ``base`` (LocalState) or of the Redis under ``prefix``."""
        if self.kind == "local":
            if base is None:
                return LocalState(settings, node=node)
            return base.for_node(node, f"ws://{node}/internal/v1")
        return RedisState(settings, url=self.redis_url, node=node,
                          internal_url=f"ws://{node}/internal/v1", heartbeat=heartbeat,
                          prefix=prefix, timeout=RULES_TIMEOUT)

    @contextlib.asynccontextmanager
    async def __call__(self, **overrides: Any) -> AsyncIterator[tuple[SharedState, SharedState]]:
        settings = RelaySettings(**overrides)
        prefix = f"t{os.getpid()}.{next(_prefixes)}:"  # never shared between test runs
        a = self.node(settings, "a", prefix=prefix)
        b = self.node(settings, "b", base=a, prefix=prefix)
        await a.start()
        await b.start()
        try:
            yield a, b
        finally:
            await a.close()
            await b.close()


@pytest.fixture(params=["local", "redis"])
def state_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StatePair]:
    """Two nodes' views of one state, for LocalState and for RedisState on a real Redis."""
    if request.param == "local":
        yield StatePair("local")
        return
    server = RedisProcess(tmp_path / "redis")
    server.start()
    try:
        yield StatePair("redis", server.url)
    finally:
        server.kill()
