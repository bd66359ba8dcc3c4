"""The customer's "Get a new code" click and the relay's expiry of the code in one loop step.

The relay side is a FAKE here (a stand-in for RelayConnection whose ``wait_paired`` reports the
expiry at once): the race needs both in the same step, which a real relay cannot be made to hit
reliably. Everything else is the real AgentHost.
"""

from __future__ import annotations

import asyncio

import pytest

from agent.config import AgentConfig
from agent.driver import AgentHost
from desktop.relay_client import RelayRejected
from shared import rendezvous as rv


class ExpiredAtOnce:
    async def wait_paired(self) -> None:
        raise RelayRejected(rv.ErrorCode.NAMEPLATE_EXPIRED, "The code has expired.")


class JoinedAtOnce:
    async def wait_paired(self) -> None:
        return None


def _race(conn: object) -> bool:
    async def main() -> bool:
        host = AgentHost(AgentConfig(relay_url="ws://127.0.0.1:9/v1"), lambda ev: None,
                         asyncio.get_running_loop())
        try:
            host.new_code()  # the customer's click is already there
            return await host._paired_unless_asked(conn)  # type: ignore[arg-type]
        finally:
            host.desktop.shutdown(wait=False)
    return asyncio.run(main())


def test_the_click_wins_over_a_simultaneous_expiry() -> None:
    """Showing "expired" would forget the click and make the customer click again."""
    assert _race(ExpiredAtOnce()) is False  # False: go and get the new code now


def test_a_join_wins_over_a_simultaneous_click() -> None:
    """Someone joined with the code: it is spent and the session must run."""
    assert _race(JoinedAtOnce()) is True


def test_an_expiry_alone_is_still_reported() -> None:
    async def main() -> None:
        host = AgentHost(AgentConfig(relay_url="ws://127.0.0.1:9/v1"), lambda ev: None,
                         asyncio.get_running_loop())
        try:
            await host._paired_unless_asked(ExpiredAtOnce())  # type: ignore[arg-type]
        finally:
            host.desktop.shutdown(wait=False)

    with pytest.raises(RelayRejected):
        asyncio.run(main())
