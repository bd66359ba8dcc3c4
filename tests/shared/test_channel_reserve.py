"""Sealing in two steps (issue 16): a reserved job keeps its place in the order, seals once,
and any mix of reserved and plain seals opens at the peer in counter order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.secret import SecretBox

from shared import channel as channel_module
from shared.channel import NONCE_SIZE, SealJob, SecureChannel
from shared.errors import ChannelExhausted, IntegrityError, LocalProtocolError, MessageTooLarge
from shared.messages import MAX_PLAINTEXT

K_A2C = bytes(range(32))
K_C2A = bytes(range(32, 64))


def pair() -> tuple[SecureChannel, SecureChannel]:
    return SecureChannel(K_A2C, K_C2A), SecureChannel(K_C2A, K_A2C)


def test_reserve_takes_the_counter_now_and_seals_like_seal() -> None:
    agent, console = pair()
    job = agent.reserve(b"big frame")
    assert job.counter == 0 and job.size == 9 and agent.sent == 1 and not job.sealed
    later = agent.seal(b"input ack")  # sealed after the reservation: counter 1
    box = SecretBox(K_A2C)
    sealed = job.seal()
    assert job.sealed
    assert sealed == box.encrypt(b"big frame", (0).to_bytes(NONCE_SIZE, "big")).ciphertext
    assert console.open(sealed) == b"big frame"
    assert console.open(later) == b"input ack"


def test_a_job_seals_only_once() -> None:
    agent, _ = pair()
    job = agent.reserve(b"frame")
    job.seal()
    with pytest.raises(LocalProtocolError, match="already sealed"):
        job.seal()


def test_reserve_checks_size_and_exhaustion_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    agent, _ = pair()
    with pytest.raises(MessageTooLarge):
        agent.reserve(bytes(MAX_PLAINTEXT + 1))
    assert agent.sent == 0  # a refused reservation takes no counter
    monkeypatch.setattr(channel_module, "MAX_MESSAGES", 1)
    agent.reserve(b"last")
    with pytest.raises(ChannelExhausted):
        agent.reserve(b"one too many")


def test_out_of_order_sending_fails_at_the_peer() -> None:
    """Why the driver must keep wire order: a later counter sent first is refused."""
    agent, console = pair()
    first = agent.reserve(b"first")
    second = agent.seal(b"second")
    with pytest.raises(IntegrityError):
        console.open(second)
    assert first.seal()  # sealing still works; the receiving side is broken for good
    assert console.broken


@settings(max_examples=150, deadline=None)
@given(
    ops=st.lists(st.tuples(st.booleans(), st.binary(max_size=64)), min_size=1, max_size=30),
    seal_order=st.randoms(use_true_random=False),
)
def test_any_interleaving_opens_in_counter_order(
    ops: list[tuple[bool, bytes]], seal_order: object
) -> None:
    """Reserve or seal at once, in any mix; jobs sealed in ANY order (as worker threads would);
    sent in reservation order, the peer opens every message, in order, and no nonce repeats."""
    import random

    assert isinstance(seal_order, random.Random)
    agent, console = pair()
    wire: list[SealJob | bytes] = []
    for reserve, text in ops:
        wire.append(agent.reserve(text) if reserve else agent.seal(text))
    jobs = [item for item in wire if isinstance(item, SealJob)]
    sealed: dict[int, bytes] = {}
    for job in seal_order.sample(jobs, len(jobs)):
        sealed[job.counter] = job.seal()
    out = [sealed[item.counter] if isinstance(item, SealJob) else item for item in wire]
    assert [console.open(data) for data in out] == [text for _, text in ops]
    assert len(set(out)) == len(out)  # every nonce once: even equal texts differ
    assert console.received == agent.sent == len(ops)


def test_open_job_gives_what_open_gives_and_takes_effect_in_order() -> None:
    agent, console = pair()
    first, second = agent.seal(b"big frame"), agent.seal(b"next")
    job = console.open_job(first)
    assert console.received == 0  # nothing changes until the result is taken
    opened = job.open()
    assert opened == b"big frame"
    assert console.open_result(job, opened) == b"big frame"
    assert console.received == 1 and console.open(second) == b"next"
    with pytest.raises(LocalProtocolError, match="out of order"):
        console.open_result(job, opened)  # taken twice: a bug here, never a second delivery


def test_an_open_job_that_fails_breaks_the_channel_like_open() -> None:
    agent, console = pair()
    sealed = bytearray(agent.seal(b"frame"))
    sealed[-1] ^= 1
    job = console.open_job(bytes(sealed))
    assert job.open() is None
    with pytest.raises(IntegrityError):
        console.open_result(job, None)
    assert console.broken
    with pytest.raises(IntegrityError):
        console.open_result(console.open_job(agent.seal(b"x")), b"x")
    for bad in (b"short", bytes(MAX_PLAINTEXT + 17)):
        _, fresh = pair()
        job = fresh.open_job(bad)
        assert job.open() is None  # not even tried
        with pytest.raises((IntegrityError, MessageTooLarge)):
            fresh.open_result(job, None)
        assert fresh.broken


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.binary(max_size=64), min_size=1, max_size=20),
       later=st.lists(st.booleans(), min_size=20, max_size=20),
       flip=st.one_of(st.none(), st.integers(min_value=0, max_value=19)))
def test_any_mix_of_open_and_open_jobs_opens_in_order(
        texts: list[bytes], later: list[bool], flip: int | None) -> None:
    """Opened here or by a job, in any mix: the same plaintexts in order; a damaged message
    breaks the channel at that point whichever way it was opened."""
    agent, console = pair()
    wire = [agent.seal(t) for t in texts]
    if flip is not None and flip < len(wire):
        wire[flip] = bytes([wire[flip][0] ^ 1]) + wire[flip][1:]
    got: list[bytes] = []
    for data, use_job in zip(wire, later, strict=False):
        try:
            if use_job:
                job = console.open_job(data)
                got.append(console.open_result(job, job.open()))
            else:
                got.append(console.open(data))
        except IntegrityError:
            break
    good = len(texts) if flip is None or flip >= len(texts) else flip
    assert got == texts[:good]
    assert console.broken == (good < len(texts))
