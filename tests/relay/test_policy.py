"""Nameplate allocation and join limiting with a fake clock (no sleeping)."""

from __future__ import annotations

import random

import pytest

from relay.policy import (
    ClaimResult,
    JoinLimiter,
    NameplateAllocator,
    client_key,
    forwarded_client,
    parse_networks,
)
from shared.rendezvous import ErrorCode


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def allocator(clock: FakeClock, **kwargs: float) -> NameplateAllocator:
    return NameplateAllocator(clock=clock, rng=random.Random(7), **kwargs)


def test_three_digits_random_and_unique() -> None:
    clock = FakeClock()
    alloc = allocator(clock)
    plates = [alloc.allocate() for _ in range(400)]
    assert len(set(plates)) == 400
    assert all(len(p) == 3 and 100 <= int(p) <= 999 for p in plates)
    assert plates != sorted(plates)


def test_more_digits_only_when_crowded() -> None:
    clock = FakeClock()
    alloc = allocator(clock)
    plates = [alloc.allocate() for _ in range(520)]
    assert sum(len(p) == 3 for p in plates) == 500
    assert all(len(p) == 4 for p in plates[500:])


def test_expiry_then_hold_for_a_day() -> None:
    clock = FakeClock()
    alloc = allocator(clock, lifetime=600, hold=86_400)
    plate = alloc.allocate()
    clock.now += 601
    assert alloc.claim(plate) is ClaimResult.EXPIRED
    assert alloc.claim(plate) is ClaimResult.EXPIRED
    clock.now += 86_400
    assert alloc.claim(plate) is ClaimResult.UNKNOWN


def test_spent_nameplate_not_reissued_within_24_hours() -> None:
    clock = FakeClock()
    alloc = allocator(clock, hold=86_400)
    plate = alloc.allocate()
    assert alloc.claim(plate) is ClaimResult.OK
    assert alloc.claim(plate) is ClaimResult.ALREADY_JOINED
    alloc.release(plate)
    assert alloc.claim(plate) is ClaimResult.SPENT
    # Fill most of the 3-digit space repeatedly within the day: the spent one never comes back.
    for _ in range(3):
        for p in [alloc.allocate() for _ in range(300)]:
            assert p != plate
            alloc.release(p)
        clock.now += 3600
    clock.now += 86_400
    alloc.claim(plate)  # purges
    assert alloc.claim(plate) is ClaimResult.UNKNOWN


def test_withdrawn_is_unknown_and_held() -> None:
    clock = FakeClock()
    alloc = allocator(clock)
    plate = alloc.allocate()
    alloc.release(plate)
    assert alloc.claim(plate) is ClaimResult.UNKNOWN
    assert all(alloc.allocate() != plate for _ in range(450))


def test_claim_result_error_codes() -> None:
    assert ClaimResult.OK.error is None
    assert ClaimResult.SPENT.error is ErrorCode.NAMEPLATE_SPENT
    assert ClaimResult.ALREADY_JOINED.error is ErrorCode.ALREADY_JOINED


def test_join_rate_sliding_minute() -> None:
    clock = FakeClock()
    limiter = JoinLimiter(per_minute=3, free_failures=100, clock=clock)
    assert [limiter.check("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.check("b")
    clock.now += 61
    assert limiter.check("a")


def test_lockout_grows_exponentially_and_success_resets() -> None:
    clock = FakeClock()
    limiter = JoinLimiter(
        per_minute=1000, free_failures=2, base_lockout=2, max_lockout=10, clock=clock
    )
    lockouts = []
    for _ in range(6):
        assert limiter.check("a")
        limiter.failed("a")
        lockouts.append(limiter.locked_for("a"))
        assert (limiter.check("a") is False) == (lockouts[-1] > 0)
        clock.now += lockouts[-1]
    assert lockouts == [0, 0, 2, 4, 8, 10]
    limiter.succeeded("a")
    assert limiter.locked_for("a") == 0
    limiter.failed("a")
    assert limiter.locked_for("a") == 0


def test_client_key_groups_ipv6_by_64() -> None:
    assert client_key("192.0.2.1") == "192.0.2.1"
    assert client_key("2001:db8::1") == client_key("2001:db8::ffff") == "2001:db8::/64"
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_key("not-an-ip") == "not-an-ip"


TRUSTED = parse_networks(["127.0.0.1", "10.0.0.0/8", "::1"])


@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        # not a trusted proxy: the header is the attacker's, ignored
        ("192.0.2.1", ["203.0.113.7"], "192.0.2.1"),
        # trusted proxy, one hop
        ("127.0.0.1", ["203.0.113.7"], "203.0.113.7"),
        # spoofed entries left of the real client are ignored: walk from the right
        ("127.0.0.1", ["6.6.6.6, 203.0.113.7"], "203.0.113.7"),
        ("127.0.0.1", ["6.6.6.6", "203.0.113.7"], "203.0.113.7"),  # several header lines
        # trusted hops are skipped
        ("127.0.0.1", ["6.6.6.6, 203.0.113.7, 10.1.2.3"], "203.0.113.7"),
        # a client spoofing a trusted address left of itself gains nothing
        ("127.0.0.1", ["10.9.9.9, 203.0.113.7"], "203.0.113.7"),
        # ports and brackets, IPv6, IPv4-mapped
        ("127.0.0.1", ["203.0.113.7:4711"], "203.0.113.7"),
        ("127.0.0.1", ["[2001:db8::5]:4711"], "2001:db8::5"),
        ("::1", ["2001:db8::5"], "2001:db8::5"),
        ("::ffff:127.0.0.1", ["::ffff:203.0.113.7"], "203.0.113.7"),
        # no header, garbage, all trusted: never header text as the address
        ("127.0.0.1", [], "127.0.0.1"),
        ("127.0.0.1", ["unknown"], "127.0.0.1"),
        ("127.0.0.1", ["203.0.113.7, garbage"], "127.0.0.1"),
        ("127.0.0.1", ["garbage, 10.1.2.3"], "10.1.2.3"),
        ("127.0.0.1", ["10.1.2.3, 10.4.5.6"], "10.1.2.3"),
    ],
)
def test_forwarded_client(peer: str, header: list[str], client: str) -> None:
    assert forwarded_client(peer, header, TRUSTED) == client


def test_forwarded_client_off_without_trusted_proxies() -> None:
    assert forwarded_client("127.0.0.1", ["203.0.113.7"], ()) == "127.0.0.1"


def test_parse_networks() -> None:
    assert [str(n) for n in parse_networks(["10.1.2.3/8", " ::1 ", "fd00::/8"])] == [
        "10.0.0.0/8",
        "::1/128",
        "fd00::/8",
    ]
    with pytest.raises(ValueError, match=r"proxy\.example"):
        parse_networks(["proxy.example"])
