"""``python -m relay`` as a real process: the ready line, and SIGTERM shutting down cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from shared.rendezvous import Error, ErrorCode, Paired, parse_server
from tests.relay.helpers import host, join, recv_json

ROOT = Path(__file__).resolve().parents[2]


def start_relay(*args: str) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FERNHILFE_RELAY_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the relay prints this as soon as it listens
    ready = json.loads(line)
    assert ready["event"] == "listening"
    return proc, ready["url"]


def test_sigterm_tells_peers_and_exits_zero() -> None:
    proc, url = start_relay("--handshake-timeout", "5", "--drain-timeout", "0")
    try:
        assert url.startswith("ws://127.0.0.1:") and url.endswith("/v1")

        async def scenario() -> None:
            async with asyncio.timeout(20):
                kw: dict[str, Any] = {"compression": None, "open_timeout": 5}
                async with connect(url, **kw) as agent, connect(url, **kw) as console:
                    nameplate = await host(agent)
                    assert await join(console, nameplate) == Paired()
                    assert await recv_json(agent) == Paired()
                    await agent.send(b"ping")
                    assert await console.recv() == b"ping"
                    proc.send_signal(signal.SIGTERM)
                    for ws in (agent, console):
                        assert parse_server(await ws.recv()) == Error.of(ErrorCode.SHUTTING_DOWN)
                        await ws.wait_closed()
                        assert ws.close_code == 1012

        asyncio.run(scenario())
        assert proc.wait(timeout=15) == 0
        assert proc.stderr is not None
        events = [json.loads(line)["event"] for line in proc.stderr.read().splitlines()]
        assert "paired" in events and events[-1] == "stopped"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_idle_relay_sigterm_exits_zero() -> None:
    proc, _ = start_relay()
    try:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
