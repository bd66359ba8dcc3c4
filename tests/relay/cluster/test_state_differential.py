"""LocalState and RedisState answer every sequence of calls alike (hypothesis, a real Redis).

The contract suite checks the rules one by one; here hypothesis draws sequences of calls over
two nodes (nameplates named by the order they were allocated in, since the numbers themselves
are random) and both implementations must give the same answers, step by step. Times are the
production defaults, so nothing expires within a sequence.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.support.redis import RedisProcess
from relay.cluster.state import Owner, SharedState
from tests.relay.cluster.conftest import StatePair

NODES = st.integers(0, 1)
SMALL = st.integers(0, 3)
KEYS = st.integers(0, 1)  # few address blocks, so limits are reached within a sequence
ROLES = st.sampled_from(["agent", "console"])

STEPS = st.lists(st.one_of(
    st.tuples(st.just("allocate"), NODES, st.sampled_from([3, 3, 3, 5])),
    st.tuples(st.just("claim"), NODES, SMALL),
    st.tuples(st.just("release"), NODES, SMALL),
    st.tuples(st.just("expire"), NODES, SMALL),
    st.tuples(st.just("claim_unknown"), NODES),
    st.tuples(st.just("present"), NODES, SMALL, ROLES, SMALL),
    st.tuples(st.just("spend"), NODES, SMALL),
    st.tuples(st.just("unresume"), NODES, SMALL),
    st.tuples(st.just("withdraw"), NODES, SMALL, NODES, SMALL),
    st.tuples(st.just("host"), NODES, KEYS),
    st.tuples(st.just("join"), NODES, KEYS),
    st.tuples(st.just("refund"), NODES, KEYS),
    st.tuples(st.just("failed"), NODES, KEYS),
    st.tuples(st.just("may_enter"), NODES, KEYS),
    st.tuples(st.just("unpaired"), NODES, KEYS, st.integers(-1, 2)),
    st.tuples(st.just("digits"), NODES),
    st.tuples(st.just("counts"), NODES),
), min_size=30, max_size=80)

LIMITS = {"host_attempts_per_minute": 2, "join_attempts_per_minute": 2, "join_free_failures": 3,
          "join_lockout_base": 30.0, "failed_joins_per_minute": 4}


async def answers(pair: StatePair, steps: list[tuple[Any, ...]]) -> tuple[list[Any], bool]:
    """Each step's answer, with nameplates and owners named by their order of appearance; and
    whether every allocation drew a number not seen before in the sequence (a freed number
    drawn again is chance, ~1 in 900 per draw, and names two plates alike in only one run)."""
    out: list[Any] = []
    async with pair(**LIMITS) as (a, b):
        nodes: tuple[SharedState, SharedState] = (a, b)
        plates: list[str] = []

        def plate(i: int) -> str:
            return plates[i % len(plates)] if plates else "100"

        def owner(node: int, conn: int) -> Owner:
            return Owner("ab"[node], f"c{conn}")

        for step in steps:
            op, state = step[0], nodes[step[1]]
            if op == "allocate":
                plates.append(await state.allocate(step[2], owner(step[1], len(plates))))
                out.append(len(plates[-1]))
            elif op == "claim":
                result, who = await state.claim(plate(step[2]))
                out.append((result, who))
            elif op == "claim_unknown":
                out.append(await state.claim("9999999"))
            elif op == "release":
                await state.release(plate(step[2]))
                out.append(await nodes[1 - step[1]].counts())
            elif op == "expire":
                await state.expire(plate(step[2]))
                out.append(await nodes[1 - step[1]].counts())
            elif op == "present":
                out.append(await state.present(f"t{step[2]}", step[3], owner(step[1], step[4])))
            elif op == "spend":
                await state.spend(f"t{step[2]}")
            elif op == "unresume":
                await state.unresume(f"t{step[2]}")
            elif op == "withdraw":
                await state.withdraw(f"t{step[2]}", owner(step[3], step[4]))
            elif op == "host":
                out.append(await state.host_allowed(f"k{step[2]}"))
            elif op == "join":
                out.append(await state.join_allowed(f"k{step[2]}"))
            elif op == "refund":
                await state.join_refund(f"k{step[2]}")
            elif op == "failed":
                await state.join_failed(f"k{step[2]}")
                out.append(await state.locked_for(f"k{step[2]}") > 0)
            elif op == "may_enter":
                out.append(await state.may_enter(f"k{step[2]}"))
            elif op == "unpaired":
                await state.add_unpaired(f"k{step[2]}", step[3])
                out.append(await nodes[1 - step[1]].unpaired(f"k{step[2]}"))
            elif op == "digits":
                out.append(await state.nameplate_digits())
            else:
                out.append(await state.counts())
    return out, len(set(plates)) == len(plates)


def test_local_and_redis_answer_every_sequence_alike(tmp_path: Path) -> None:
    server = RedisProcess(tmp_path / "redis")
    server.start()
    try:
        check(server)
    finally:
        server.kill()


def check(server: RedisProcess) -> None:
    @settings(max_examples=200, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(STEPS)
    def same(steps: list[tuple[Any, ...]]) -> None:
        local, local_distinct = asyncio.run(answers(StatePair("local"), steps))
        remote, remote_distinct = asyncio.run(answers(StatePair("redis", server.url), steps))
        assume(local_distinct and remote_distinct)  # else the runs name different plates
        assert remote == local

    same()
