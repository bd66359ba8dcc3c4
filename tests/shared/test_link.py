"""The link watchdog (shared.link): silence -> release, interrupted, resumed, grace expired."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.link import (
    CONNECTION_LOST,
    DEFAULT_GRACE,
    HELD_PING_INTERVAL,
    MAX_GRACE,
    MIN_GRACE,
    PING_INTERVAL,
    QUIET_AFTER,
    RELEASE_AFTER,
    TICK,
    GraceExpired,
    LinkInterrupted,
    LinkMonitor,
    LinkResumed,
    LinkState,
    ReleaseHeld,
    check_grace,
    ping_interval,
)


def test_targets_of_issue_13_hold() -> None:
    # Released within 2 s, "interrupted" within 5 s (a tick late at most), grace 2 minutes.
    assert RELEASE_AFTER + TICK < 2.0
    assert QUIET_AFTER + TICK < 5.0
    assert DEFAULT_GRACE == 120.0
    # Two pings in a row may be late before a held key is released by mistake.
    assert HELD_PING_INTERVAL * 3 <= RELEASE_AFTER
    assert ping_interval(True) == HELD_PING_INTERVAL
    assert ping_interval(False) == PING_INTERVAL < QUIET_AFTER
    assert CONNECTION_LOST == "connection_lost"


def test_a_live_link_says_nothing() -> None:
    mon = LinkMonitor(0.0)
    mon.set_held(True)
    t = 0.0
    while t < 30:
        t += HELD_PING_INTERVAL
        assert mon.received(t) == []
        assert mon.tick(t + TICK) == []
    assert mon.state is LinkState.LIVE


def test_silence_releases_then_interrupts_then_resumes() -> None:
    mon = LinkMonitor(10.0, grace=60.0)
    mon.set_held(True)
    assert mon.tick(10.0 + RELEASE_AFTER - 0.01) == []
    assert mon.tick(10.0 + RELEASE_AFTER) == [ReleaseHeld(RELEASE_AFTER)]
    assert mon.tick(10.0 + RELEASE_AFTER + 0.5) == []  # released once
    events = mon.tick(10.0 + QUIET_AFTER)
    assert events == [LinkInterrupted(QUIET_AFTER, 60.0 - QUIET_AFTER)]
    assert mon.state is LinkState.INTERRUPTED
    assert mon.tick(20.0) == []
    assert mon.silent_for(20.0) == 10.0
    assert mon.grace_left(20.0) == 50.0
    assert mon.received(21.0) == [LinkResumed(21.0 - 10.0 - QUIET_AFTER)]
    assert mon.state is LinkState.LIVE
    assert mon.interruptions == 1


def test_nothing_held_nothing_released() -> None:
    mon = LinkMonitor(0.0)
    assert mon.tick(QUIET_AFTER) == [LinkInterrupted(QUIET_AFTER, DEFAULT_GRACE - QUIET_AFTER)]


def test_console_side_never_releases() -> None:
    mon = LinkMonitor(0.0, release_after=None)
    mon.set_held(True)
    assert mon.tick(2.9) == []


def test_grace_expires_once_and_ends_for_good() -> None:
    mon = LinkMonitor(0.0, grace=8.0)
    mon.tick(QUIET_AFTER)
    assert mon.tick(7.9) == []
    assert mon.tick(8.0) == [GraceExpired(8.0)]
    assert mon.state is LinkState.LOST
    assert mon.tick(100.0) == []
    assert mon.received(101.0) == []  # too late: the session is over
    assert mon.state is LinkState.LOST
    assert mon.grace_left(101.0) == 0.0


def test_a_late_tick_reports_everything_in_order() -> None:
    mon = LinkMonitor(0.0, grace=8.0)
    mon.set_held(True)
    assert mon.tick(9.0) == [ReleaseHeld(9.0), LinkInterrupted(9.0, 0.0), GraceExpired(9.0)]


def test_link_down_acts_at_once() -> None:
    mon = LinkMonitor(0.0)
    mon.set_held(True)
    assert mon.link_down(0.2) == [ReleaseHeld(0.2), LinkInterrupted(0.2, DEFAULT_GRACE - 0.2)]
    assert mon.received(1.0) == [LinkResumed(0.8)]
    assert mon.tick(1.5) == []  # down no more


def test_clock_going_backwards_is_harmless() -> None:
    mon = LinkMonitor(5.0)
    assert mon.received(4.0) == []
    assert mon.tick(4.5) == []
    assert mon.silent_for(3.0) == 0.0


@pytest.mark.parametrize("kwargs", [dict(quiet_after=0.0), dict(grace=2.0, quiet_after=3.0),
                                    dict(release_after=0.0)])
def test_bad_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        LinkMonitor(0.0, **kwargs)


def test_check_grace() -> None:
    assert check_grace(120) == 120.0
    assert check_grace(MIN_GRACE) == MIN_GRACE
    for bad in (MIN_GRACE - 0.5, MAX_GRACE + 1, -1.0):
        with pytest.raises(ValueError, match="grace period"):
            check_grace(bad)


@given(st.lists(st.tuples(st.booleans(), st.floats(0, 3)), max_size=60), st.booleans())
def test_any_timeline_keeps_the_promises(steps: list[tuple[bool, float]], held: bool) -> None:
    """Whatever arrives when: no release while traffic flows faster than RELEASE_AFTER, a
    release at most once per silence, interrupted always before resumed or expired."""
    mon = LinkMonitor(0.0, grace=20.0)
    mon.set_held(held)
    now, last = 0.0, 0.0
    seen: list[object] = []
    for arrives, gap in steps:
        now += gap
        events = mon.received(now) if arrives else mon.tick(now)
        for ev in events:
            if isinstance(ev, ReleaseHeld):
                assert now - last >= RELEASE_AFTER
            if isinstance(ev, (LinkResumed, GraceExpired)):
                assert any(isinstance(s, LinkInterrupted) for s in seen)
        seen.extend(events)
        if arrives and mon.state is not LinkState.LOST:
            last = now
    assert sum(isinstance(s, ReleaseHeld) for s in seen) <= 1
    assert sum(isinstance(s, GraceExpired) for s in seen) <= 1


def test_reading_paused_holds_off_quiet_but_never_ends_an_interruption() -> None:
    """Our own back-pressure is not the peer's silence, nor a sign of it (converge20: a
    console behind with frames when the link dropped recorded ``link_resumed`` twice)."""
    mon = LinkMonitor(0.0, grace=60.0, release_after=None)
    assert mon.reading_paused(2.9) == [] and mon.tick(5.0) == []  # paused: not quiet
    assert [type(e) for e in mon.link_down(5.5)] == [LinkInterrupted]
    assert mon.reading_paused(5.6) == [] and mon.state is LinkState.INTERRUPTED
    assert mon.tick(9.0) == []  # still one interruption, however long the reconnect
    assert [type(e) for e in mon.received(9.5)] == [LinkResumed]
    assert mon.received(9.6) == [] and mon.interruptions == 1
    quiet = LinkMonitor(0.0, grace=60.0, release_after=None)
    assert [type(e) for e in quiet.tick(3.5)] == [LinkInterrupted]
    assert quiet.reading_paused(3.6) == [] and quiet.state is LinkState.INTERRUPTED
