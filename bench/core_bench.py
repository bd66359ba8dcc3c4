"""Benchmark of the security core: handshake latency and channel throughput vs. raw PyNaCl.

Run: ``python -m bench.core_bench [--quick]``. Prints one JSON object. The raw PyNaCl baseline
(``SecretBox.encrypt`` with an explicit nonce + ``decrypt``) is measured in the same run, so the
ratios compare like with like on whatever machine this runs on. Targets: full handshake <= 40 ms,
channel/raw >= 0.8 on 1 MiB messages and >= 0.5 on 64-byte messages.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable

from nacl.secret import SecretBox

from shared.channel import SecureChannel
from shared.codes import SessionCode
from shared.handshake import AgentHandshake, ConsoleHandshake, Established

CODE = SessionCode("123", "456789")


def _handshake_times() -> tuple[float, float]:
    """One handshake in one process; returns (agent seconds, console seconds)."""
    agent, console = AgentHandshake(CODE), ConsoleHandshake(CODE)
    t0 = time.perf_counter()
    pake_a = agent.start()
    t1 = time.perf_counter()
    pake_c = console.start()
    t2 = time.perf_counter()
    step_a = agent.receive(pake_c)
    t3 = time.perf_counter()
    step_c = console.receive(pake_a)
    t4 = time.perf_counter()
    done_a = agent.receive(step_c.outgoing[0])
    t5 = time.perf_counter()
    done_c = console.receive(step_a.outgoing[0])
    t6 = time.perf_counter()
    if not (isinstance(done_a.outcome, Established) and isinstance(done_c.outcome, Established)):
        raise RuntimeError("benchmark handshake did not establish")
    return (t1 - t0) + (t3 - t2) + (t5 - t4), (t2 - t1) + (t4 - t3) + (t6 - t5)


def bench_handshake(runs: int) -> dict[str, float]:
    agent_times: list[float] = []
    console_times: list[float] = []
    full_times: list[float] = []
    for _ in range(runs):
        a, c = _handshake_times()
        agent_times.append(a)
        console_times.append(c)
        full_times.append(a + c)
    return {
        "runs": runs,
        "agent_ms_median": round(statistics.median(agent_times) * 1e3, 3),
        "console_ms_median": round(statistics.median(console_times) * 1e3, 3),
        "full_ms_median": round(statistics.median(full_times) * 1e3, 3),
    }


def _best_rate(fn: Callable[[], None], count: int, repeats: int) -> float:
    """Messages per second of the best of several timed batches (least disturbed by noise)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return count / best


def _channel_loop(payload: bytes, count: int) -> Callable[[], None]:
    key_a, key_b = os.urandom(32), os.urandom(32)

    def run() -> None:
        sender, receiver = SecureChannel(key_a, key_b), SecureChannel(key_b, key_a)
        seal, open_ = sender.seal, receiver.open
        for _ in range(count):
            open_(seal(payload))

    return run


def _raw_loop(payload: bytes, count: int) -> Callable[[], None]:
    box_send = box_recv = SecretBox(os.urandom(32))

    def run() -> None:
        encrypt, decrypt = box_send.encrypt, box_recv.decrypt
        for i in range(count):
            nonce = i.to_bytes(24, "big")
            decrypt(encrypt(payload, nonce).ciphertext, nonce)

    return run


def bench_channel(size: int, count: int, repeats: int) -> dict[str, float]:
    payload = os.urandom(size)
    # Interleave the two so drifting CPU clocks affect both alike.
    channel_rates: list[float] = []
    raw_rates: list[float] = []
    for _ in range(repeats):
        channel_rates.append(_best_rate(_channel_loop(payload, count), count, 1))
        raw_rates.append(_best_rate(_raw_loop(payload, count), count, 1))
    channel_rate, raw_rate = max(channel_rates), max(raw_rates)
    return {
        "size_bytes": size,
        "messages_per_batch": count,
        "channel_msgs_per_s": round(channel_rate, 1),
        "raw_secretbox_msgs_per_s": round(raw_rate, 1),
        "channel_MB_per_s": round(channel_rate * size / 1e6, 1),
        "raw_secretbox_MB_per_s": round(raw_rate * size / 1e6, 1),
        "ratio": round(channel_rate / raw_rate, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (smoke test)")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    handshake = bench_handshake(runs=max(5, 50 // scale))
    big = bench_channel(1024 * 1024, count=max(4, 40 // scale), repeats=max(3, 7 // scale))
    small = bench_channel(64, count=max(2000, 50_000 // scale), repeats=max(3, 7 // scale))
    result = {
        "python": sys.version.split()[0],
        "handshake": handshake,
        "channel_1MiB": big,
        "channel_64B": small,
        "targets": {
            "full_handshake_ms_le_40": handshake["full_ms_median"] <= 40,
            "ratio_1MiB_ge_0.8": big["ratio"] >= 0.8,
            "ratio_64B_ge_0.5": small["ratio"] >= 0.5,
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
