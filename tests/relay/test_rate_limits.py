"""Host and join limits and the flood budget with a fake clock (no sleeping)."""

from __future__ import annotations

from relay.limits import FloodGuard, JoinLimiter, KeyedRate, SlidingCount


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_join_rate_sliding_minute() -> None:
    clock = FakeClock()
    limiter = JoinLimiter(per_minute=3, free_failures=100, clock=clock)
    assert [limiter.check("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.check("b")
    clock.now += 61
    assert limiter.check("a")


def test_lockout_grows_exponentially_and_success_does_not_reset() -> None:
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
    # A random join that happens to hit a waiting customer pairs: that must not wipe the
    # guesser's record (there is no "succeeded" any more); the next failure locks at once.
    assert not hasattr(limiter, "succeeded")
    limiter.failed("a")
    assert limiter.locked_for("a") == 10


def test_failures_age_out() -> None:
    clock = FakeClock()
    limiter = JoinLimiter(free_failures=1, base_lockout=2, max_lockout=8, clock=clock,
                          failure_memory=100)  # fmt: skip
    limiter.failed("a")
    limiter.failed("a")
    assert limiter.locked_for("a") == 2
    clock.now += 101
    limiter.failed("a")
    assert limiter.locked_for("a") == 0


def test_sliding_count_is_bounded_and_slides() -> None:
    count = SlidingCount(60)
    for i in range(100_000):
        count.add(1000 + i / 1000)  # 100 000 events in 100 s
    assert len(count._buckets) <= 62
    assert 59_000 <= count.count(1100) <= 61_000
    assert count.count(1200) == 0


def test_keyed_rate() -> None:
    clock = FakeClock()
    hosts = KeyedRate(3, clock=clock)
    assert [hosts.take("a") for _ in range(4)] == [True, True, True, False]
    assert hosts.full("a") and not hosts.full("b") and hosts.take("b")
    clock.now += 61
    assert hosts.take("a")


def test_flood_guard_lengthens_nameplates_only_over_budget() -> None:
    clock = FakeClock()
    guard = FloodGuard(failed_joins_per_minute=60, cooldown=600, clock=clock)
    for _ in range(100):
        guard.failed()
        clock.now += 1.2  # 50 a minute, steadily: within the budget
    assert guard.nameplate_digits() == 3 and not guard.under_pressure()
    assert 49 <= guard.failures() <= 51
    for _ in range(12):
        guard.failed()
    assert guard.nameplate_digits() >= 5  # over 60 failures/min: space >= 60 000
    for _ in range(6000):
        guard.failed()
    assert guard.nameplate_digits() == 7  # capped
    burst = FloodGuard(failed_joins_per_minute=60, clock=clock)
    for _ in range(11):  # 11 in a few seconds: more than 60 a minute pro rata
        burst.failed()
    assert burst.nameplate_digits() >= 5
    clock.now += 61  # the flood stopped: still long during the cooldown ...
    assert guard.failures() == 0 and guard.nameplate_digits() == 7
    clock.now += 600  # ... then back to short codes
    assert guard.nameplate_digits() == 3


def test_flood_guard_gates_short_joins_only_under_pressure() -> None:
    clock = FakeClock()
    guard = FloodGuard(
        failed_joins_per_minute=10, short_joins_per_second=2, max_wait=1.0, clock=clock
    )
    assert [guard.admit("123") for _ in range(50)] == [0.0] * 50  # no flood: no gate
    for _ in range(11):
        guard.failed()
    assert guard.admit("1234567") == 0.0  # long codes are never slowed
    waits = [guard.admit("123") for _ in range(5)]
    assert waits == [0.0, 0.5, 1.0, None, None]  # two per second, at most 1 s of waiting
    clock.now += 1.0
    assert guard.admit("456") == 0.5
    clock.now += FloodGuard.BURST  # no failure for a while: the gate opens, codes stay long
    assert guard.under_pressure()
    assert [guard.admit("123") for _ in range(5)] == [0.0] * 5


def test_one_address_block_alone_never_slows_everybodys_joins() -> None:
    """Its failures lengthen new codes (free for honest people) but never close the gate for
    short ones: beyond a small share they are the per-address limits' job."""
    clock = FakeClock()
    guard = FloodGuard(failed_joins_per_minute=60, clock=clock)
    for _ in range(1000):
        guard.failed("127.0.0.0/24")
    assert guard.failures() == 1000
    assert guard.nameplate_digits() >= 5  # new codes are long: guessing them is hopeless
    assert [guard.admit("123") for _ in range(20)] == [0.0] * 20  # older short codes: no gate
    for i in range(40):  # many blocks: the gate closes for short codes
        guard.failed(f"10.0.{i}.0/24")
    assert [guard.admit("123") for _ in range(3)] == [0.0, 2.0, None]


def test_flood_guard_forgets_quiet_blocks_when_it_must() -> None:
    clock = FakeClock()
    guard = FloodGuard(failed_joins_per_minute=10**9, clock=clock)
    guard.MAX_KEYS = 100
    for i in range(100):
        guard.failed(f"k{i}")
    clock.now += 61
    guard.failed("new")
    assert len(guard._per_key) == 1


def test_flood_guard_off() -> None:
    guard = FloodGuard(failed_joins_per_minute=0, clock=FakeClock())
    for _ in range(10_000):
        guard.failed()
    assert guard.nameplate_digits() == 3 and guard.admit("123") == 0.0
