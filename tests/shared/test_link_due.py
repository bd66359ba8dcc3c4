"""The watchdog's deadline (``LinkMonitor.due_in``, issue 16): a driver that sleeps until it
instead of ticking every TICK sees the same events, never later (hypothesis over message times,
held input, grace and release settings, with and without a known-down link)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shared.link import (
    QUIET_AFTER,
    RELEASE_AFTER,
    TICK,
    GraceExpired,
    LinkEvent,
    LinkInterrupted,
    LinkMonitor,
    ReleaseHeld,
)

STEP = 0.01  # the fine ticker the deadline-driven one is compared with
SLACK = 0.005  # what the driver adds to each deadline (desktop.session_driver.LINK_SLACK)


def _kinds(events: list[tuple[float, LinkEvent]]) -> list[str]:
    return [type(ev).__name__ for _t, ev in events]


def _run(gaps: list[tuple[float, bool]], grace: float, release: float | None, end: float,
         wake: str) -> list[tuple[float, LinkEvent]]:
    """Messages after ``gaps`` (seconds, each saying whether input is held from then on), the
    watchdog woken either every STEP (``fine``) or at its deadlines (``due``), until ``end``."""
    arrivals, t = [], 0.0
    for gap, held in gaps:
        t += gap
        arrivals.append((t, held))
    mon = LinkMonitor(0.0, grace=grace, quiet_after=min(QUIET_AFTER, grace),
                      release_after=release)
    out: list[tuple[float, LinkEvent]] = []
    held, now, nxt, k = False, 0.0, TICK, 0
    while now < end:
        now = min(nxt, end)
        while arrivals and arrivals[0][0] <= now:
            at, held = arrivals.pop(0)
            out += [(at, ev) for ev in mon.received(at)]
        mon.set_held(held)
        events = mon.tick(now)
        if any(isinstance(ev, ReleaseHeld) for ev in events):
            held = False  # the program released everything
        out += [(now, ev) for ev in events]
        if wake == "fine":
            k += 1
            nxt = k * STEP
        else:
            due = mon.due_in(now)
            if due is None:
                break
            nxt = now + due + SLACK
            if arrivals:  # (a message only moves the deadlines later: the driver is not woken)
                nxt = max(nxt, now)
    return out


@settings(max_examples=300, deadline=None)
@given(gaps=st.lists(st.tuples(st.floats(0.05, 6.0), st.booleans()), max_size=12),
       grace=st.floats(QUIET_AFTER + 1.0, 12.0),
       release=st.one_of(st.none(), st.floats(0.2, RELEASE_AFTER)))
def test_sleeping_until_due_loses_no_event_and_is_never_late(
        gaps: list[tuple[float, bool]], grace: float, release: float | None) -> None:
    # A message within a step of a mark may count before or after it (both right): not here.
    marks = [min(QUIET_AFTER, grace), grace] + ([release] if release is not None else [])
    assume(all(abs(gap - mark) > 2 * STEP for gap, _h in gaps for mark in marks))
    end = sum(g for g, _h in gaps) + grace + 1.0
    fine = _run(gaps, grace, release, end, "fine")
    due = _run(gaps, grace, release, end, "due")
    assert _kinds(due) == _kinds(fine)
    for (td, ed), (tf, ef) in zip(due, fine, strict=True):
        assert td <= tf + SLACK + 1e-9, (ed, td, ef, tf)


def test_a_quiet_running_link_is_looked_at_once_per_deadline() -> None:
    mon = LinkMonitor(0.0, grace=60.0)
    assert mon.due_in(0.0) == RELEASE_AFTER  # the agent: a key may be pressed meanwhile
    assert mon.due_in(1.0) == RELEASE_AFTER - 1.0
    assert mon.due_in(RELEASE_AFTER + 0.5) == TICK  # past the release mark: TICK again
    console = LinkMonitor(0.0, grace=60.0, release_after=None)
    assert console.due_in(1.0) == QUIET_AFTER - 1.0
    assert [type(e) for e in console.tick(QUIET_AFTER)] == [LinkInterrupted]
    assert console.due_in(QUIET_AFTER) == TICK  # interrupted: a message may end it any time
    assert console.due_in(60.0 - 0.05) == pytest.approx(0.05)
    assert [type(e) for e in console.tick(60.0)] == [GraceExpired]
    assert console.due_in(60.0) is None
