"""A sealed message goes onto the socket in the loop step that sent it (issue 16: the agent's
network thread paid one more loop iteration per update and per Pong for a sender task's
wakeup), and the wire order still holds when the link applies back-pressure. Over a REAL relay
on loopback (``python -m relay``) and real websockets; :func:`start_eagerly` alone with plain
coroutines."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop.audit_store import AuditRecord
from desktop.relay_client import RelayConnection, start_eagerly
from shared.codes import SessionCode
from shared.session import AgentSession
from tests.desktop.test_session_driver import Recorder

CODE = SessionCode("123", "456789")


async def _pair(url: str) -> tuple[RelayConnection, RelayConnection, str]:
    agent = await RelayConnection.open(url)
    plate = (await agent.host()).nameplate
    console = await RelayConnection.open(url)
    await console.join(plate)
    await agent.wait_paired()
    return agent, console, plate


def test_a_sent_message_is_written_before_send_returns(relay_url: str, tmp_path: Path) -> None:
    """On main the driver only queued it; the sender task wrote it a loop iteration later."""

    async def main() -> list[bytes]:
        loop = asyncio.get_running_loop()
        conn, peer, plate = await _pair(relay_url)
        writes: list[bytes] = []
        transport = conn._ws.transport
        real_write = transport.write

        def write(data: bytes | bytearray | memoryview) -> None:
            writes.append(bytes(data))
            real_write(data)

        transport.write = write  # type: ignore[method-assign]  # observe it
        driver = Recorder(AgentSession(SessionCode(plate, CODE.secret)),
                          AuditRecord.create(tmp_path, "agent"), lambda ev: None, loop)
        run = asyncio.create_task(driver.run(conn))
        try:
            hello = await asyncio.wait_for(peer.recv(), 5)  # the handshake's first message
            writes.clear()
            for n in range(3):
                driver.send(b"message %d" % n)
                assert len(writes) == n + 1, "not written in the step that sent it"
            got = [await asyncio.wait_for(peer.recv(), 5) for _ in range(3)]
            assert hello
            return got
        finally:
            run.cancel()
            await asyncio.gather(run, return_exceptions=True)
            await conn.close()
            await peer.close()

    assert asyncio.run(main()) == [b"message 0", b"message 1", b"message 2"]


def test_order_holds_behind_back_pressure(relay_url: str) -> None:
    """Big messages to a peer that does not read fill the socket: what is sent at once then
    waits behind them (send_now says so), and the peer gets everything in order."""
    big = 6 * 1024 * 1024

    async def main() -> tuple[list[int], bool]:
        conn, peer, _plate = await _pair(relay_url)
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        sender = asyncio.create_task(conn.send_from(queue))
        try:
            refused = False
            for n in range(6):
                data = bytes([n]) * (big if n < 4 else 10)
                if queue.empty() and conn.send_now(data):
                    continue
                refused = True
                queue.put_nowait(data)  # as the driver does: behind what waits
            queue.put_nowait(None)
            got = []
            for _ in range(6):
                msg = await asyncio.wait_for(peer.recv(), 20)
                got.append(msg[0] if len(msg) == 10 or len(msg) == big else -1)
            await asyncio.wait_for(sender, 10)
            return got, refused
        finally:
            sender.cancel()
            await conn.close()
            await peer.close()

    got, refused = asyncio.run(main())
    assert refused, "6 MiB messages to a peer that does not read must meet back-pressure"
    assert got == [0, 1, 2, 3, 4, 5]


def test_start_eagerly_runs_until_the_first_wait() -> None:
    async def main() -> None:
        trace: list[str] = []

        async def quick() -> None:
            trace.append("quick")

        assert start_eagerly(quick()) is None
        assert trace == ["quick"]  # ran in this step, no task

        gate = asyncio.get_running_loop().create_future()

        async def waits() -> None:
            trace.append("before")
            trace.append(await gate)

        task = start_eagerly(waits())
        assert task is not None and trace[-1] == "before"
        gate.set_result("after")
        await task
        assert trace[-1] == "after"

        async def fails() -> None:
            raise ValueError("at once")

        with pytest.raises(ValueError):
            start_eagerly(fails())

        failing = asyncio.get_running_loop().create_future()

        async def fails_later() -> None:
            await failing

        task = start_eagerly(fails_later())
        assert task is not None
        failing.set_exception(KeyError("later"))
        with pytest.raises(KeyError):
            await task

        never = asyncio.get_running_loop().create_future()
        seen: list[str] = []

        async def cancelled() -> None:
            try:
                await never
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise

        task = start_eagerly(cancelled())
        assert task is not None
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert seen == ["cancelled"] and never.cancelled()

        async def sleeps() -> None:
            await asyncio.sleep(0)
            trace.append("slept")

        task = start_eagerly(sleeps())
        assert task is not None
        await task
        assert trace[-1] == "slept"

    asyncio.run(main())
