"""The relay's pairing bookkeeping without a network: nameplates and connections as tables,
walked with a fake clock. Every listed transition is taken, every unlisted one is refused (a
bug in the relay) and leaves the state as it was."""

from __future__ import annotations

import random

import pytest

from relay.pairing import (
    CLAIM_RESULTS,
    CONNECTION_TRANSITIONS,
    NAMEPLATE_TRANSITIONS,
    ClaimResult,
    Conn,
    Connection,
    ConnEvent,
    NameplateAllocator,
    NameplatesExhausted,
    Pairing,
    Plate,
    PlateEvent,
)
from shared.codes import MAX_NAMEPLATE_DIGITS
from shared.errors import LocalProtocolError
from shared.rendezvous import ErrorCode
from tests.relay.test_rate_limits import FakeClock


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


def test_never_joined_is_released_at_expiry() -> None:
    """Holding never-joined nameplates for a day let one client burn the space (issue 9)."""
    clock = FakeClock()
    alloc = allocator(clock, lifetime=600, hold=86_400)
    plate = alloc.allocate()
    clock.now += 601
    assert alloc.claim(plate) is ClaimResult.EXPIRED  # a late technician still hears why
    assert alloc.claim(plate) is ClaimResult.EXPIRED
    assert alloc.open_count == 0
    # Free at once: it no longer counts against the 3-digit space (the whole uncrowded share
    # of 500 is still 3 digits) ...
    plates = [alloc.allocate() for _ in range(500)]
    assert all(len(p) == 3 for p in plates)
    # ... though while other numbers are easy to find it is avoided for a while, so a
    # technician still typing the old code hears "expired" instead of burning a new code.
    assert plate not in plates
    for p in plates:
        alloc.release(p)
    clock.now += 601
    assert plate in {alloc.allocate() for _ in range(500)}
    assert alloc.claim(plate) is ClaimResult.OK
    clock.now += 600
    other = allocator(clock, lifetime=600, hold=86_400)
    p2 = other.allocate()
    clock.now += 601
    other.claim(p2)
    clock.now += 601  # the "expired" memory is short, not a day
    assert other.claim(p2) is ClaimResult.UNKNOWN


def test_joined_nameplate_is_held_for_a_day() -> None:
    clock = FakeClock()
    alloc = allocator(clock, hold=86_400)
    plate = alloc.allocate()
    assert alloc.claim(plate) is ClaimResult.OK
    alloc.release(plate)
    clock.now += 86_000
    for _ in range(600):
        p = alloc.allocate()
        assert p != plate
        alloc.release(p)  # never joined: freed at once
    assert alloc.claim(plate) is ClaimResult.SPENT
    clock.now += 401
    assert alloc.claim(plate) is ClaimResult.UNKNOWN


def test_hosting_and_leaving_cannot_exhaust_short_nameplates() -> None:
    clock = FakeClock()
    alloc = allocator(clock)
    for _ in range(6000):
        alloc.release(alloc.allocate())
        clock.now += 0.0025
    assert len(alloc.allocate()) == 3


def test_min_digits_and_the_seven_digit_cap() -> None:
    clock = FakeClock()
    alloc = allocator(clock)
    assert len(alloc.allocate(min_digits=5)) == 5
    assert len(alloc.allocate(min_digits=9)) == MAX_NAMEPLATE_DIGITS == 7
    tiny = allocator(clock)
    tiny._taken_by_digits.update({d: 10**d for d in range(3, 8)})  # every length crowded
    with pytest.raises(NameplatesExhausted):
        tiny.allocate()


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


def test_withdrawn_is_unknown_and_free_again() -> None:
    clock = FakeClock()
    alloc = allocator(clock)
    plate = alloc.allocate()
    alloc.release(plate)
    assert alloc.claim(plate) is ClaimResult.UNKNOWN
    assert plate in {alloc.allocate() for _ in range(500)}


def test_claim_result_error_codes() -> None:
    assert ClaimResult.OK.error is None
    assert ClaimResult.SPENT.error is ErrorCode.NAMEPLATE_SPENT
    assert ClaimResult.ALREADY_JOINED.error is ErrorCode.ALREADY_JOINED


# ------------------------------------------------------------------ the nameplate table


def plate_in(state: Plate, clock: FakeClock) -> tuple[NameplateAllocator, str]:
    """An allocator (lifetime 600 s, hold a day) with one nameplate in ``state``."""
    alloc = allocator(clock, lifetime=600, hold=86_400)
    if state is Plate.FREE:
        return alloc, "123"
    plate = alloc.allocate()
    if state is Plate.JOINED or state is Plate.HELD:
        alloc.claim(plate)
    if state is Plate.HELD:
        alloc.release(plate)
    if state is Plate.EXPIRED:
        alloc.expire(plate)
    assert alloc.state(plate) is state
    return alloc, plate


PLATE_CASES = [(state, event) for state in Plate for event in PlateEvent]


@pytest.mark.parametrize(("state", "event"), PLATE_CASES,
                         ids=[f"{s.value}-{e.value}" for s, e in PLATE_CASES])
def test_every_nameplate_event_in_every_state_follows_the_table(
    state: Plate, event: PlateEvent
) -> None:
    clock = FakeClock()
    alloc, plate = plate_in(state, clock)
    taken = alloc.taken_count
    after = NAMEPLATE_TRANSITIONS[state].get(event)
    if after is None:
        with pytest.raises(LocalProtocolError, match=f"{state.value}: {event.value}"):
            alloc._move(plate, event)
        assert alloc.state(plate) is state and alloc.taken_count == taken
        return
    assert alloc._move(plate, event) is after
    assert alloc.state(plate) is after
    was, now = state in {Plate.OPEN, Plate.JOINED, Plate.HELD}, after in {
        Plate.OPEN, Plate.JOINED, Plate.HELD}
    assert alloc.taken_count == taken + now - was  # the crowding count follows the state


@pytest.mark.parametrize("state", list(Plate))
def test_a_join_attempt_is_answered_by_the_nameplates_state(state: Plate) -> None:
    alloc, plate = plate_in(state, FakeClock())
    assert alloc.claim(plate) is CLAIM_RESULTS[state]
    assert alloc.state(plate) is (Plate.JOINED if state is Plate.OPEN else state)


@pytest.mark.parametrize("state", list(Plate))
def test_release_and_expire_do_what_the_table_allows_and_nothing_else(state: Plate) -> None:
    for method, event in (("release", PlateEvent.RELEASE), ("expire", PlateEvent.EXPIRE)):
        alloc, plate = plate_in(state, FakeClock())
        getattr(alloc, method)(plate)
        assert alloc.state(plate) is NAMEPLATE_TRANSITIONS[state].get(event, state)


def test_the_clock_moves_nameplates_on() -> None:
    """Expiry after the lifetime, the spent day, and the short 'expired' memory, by time."""
    clock = FakeClock()
    alloc = allocator(clock, lifetime=600, hold=86_400)
    waiting, spent = alloc.allocate(), alloc.allocate()
    alloc.claim(spent)
    alloc.release(spent)
    clock.now += 601
    assert alloc.open_count == 0 and alloc.state(waiting) is Plate.EXPIRED
    clock.now += 600
    assert alloc.held_count == 1  # purges: the short memory of the expired one is over
    assert alloc.state(waiting) is Plate.FREE and alloc.state(spent) is Plate.HELD
    clock.now += 86_400
    assert alloc.held_count == 0 and alloc.state(spent) is Plate.FREE
    assert alloc.taken_count == 0


def test_the_expired_memory_is_bounded() -> None:
    clock = FakeClock()
    alloc = allocator(clock)
    alloc.EXPIRED_MEMORY = 2
    plates = [alloc.allocate() for _ in range(3)]
    for plate in plates:
        alloc.expire(plate)
    assert [alloc.state(p) for p in plates] == [Plate.FREE, Plate.EXPIRED, Plate.EXPIRED]


# ------------------------------------------------------------------ the connection table
# Which nameplate and whether a claim succeeds is the shared state's (relay/cluster/local.py and
# tests/relay/cluster/); this table is only what one node holds.


def pairing() -> Pairing[str]:
    return Pairing()


_plates = iter(range(100, 10_000_000))


def fresh_plate() -> str:
    return str(next(_plates))


def conn_in(state: Conn) -> tuple[Pairing[str], Connection[str]]:
    """A pairing with one connection (key "k") in ``state``."""
    p = pairing()
    conn = p.connect("k", "me")
    if state is Conn.HOSTING or state is Conn.PAIRED:
        p.host(conn, fresh_plate())
    if state is Conn.PAIRED:
        assert p.join(p.connect("k2", "console"), conn.nameplate) is not None
    if state is Conn.CLOSED:
        p.leave(conn)
    if state is Conn.RESUMING:
        p.wait_resume(conn, "t" * 64, "agent")
    assert conn.state is state
    return p, conn


def fire(p: Pairing[str], conn: Connection[str], event: ConnEvent) -> None:
    """``event`` as the relay causes it."""
    if event is ConnEvent.HOST:
        p.host(conn, fresh_plate())
    elif event is ConnEvent.JOIN:
        agent = p.connect("k3", "agent")
        p.join(conn, p.host(agent, fresh_plate()))
    elif event is ConnEvent.JOINED:
        p.join(p.connect("k3", "console"), conn.nameplate)
    elif event is ConnEvent.EXPIRE:
        p.expire(conn)
    elif event is ConnEvent.UNHOST:
        p.unhost(conn)
    elif event is ConnEvent.RESUME:
        p.wait_resume(conn, "r" * 64, "agent")
    elif event is ConnEvent.REJOIN:
        p.wait_resume(p.connect("k3", "agent"), "j" * 64, "agent")
        p.rejoin(conn, "j" * 64, "console")
    elif event is ConnEvent.RESUMED:
        p.rejoin(p.connect("k3", "console"), conn.token or "x" * 64, "console")
    elif event is ConnEvent.UNRESUME:
        p.unresume(conn)
    elif event is ConnEvent.ATTACHED:
        p.attached(conn, "123")
    else:
        p.leave(conn)


CONN_CASES = [(state, event) for state in Conn for event in ConnEvent]


@pytest.mark.parametrize(("state", "event"), CONN_CASES,
                         ids=[f"{s.value}-{e.value}" for s, e in CONN_CASES])
def test_every_connection_event_in_every_state_follows_the_table(
    state: Conn, event: ConnEvent
) -> None:
    p, conn = conn_in(state)
    after = CONNECTION_TRANSITIONS[state].get(event)
    if event is ConnEvent.LEAVE:  # always allowed: leaving a closed connection does nothing
        fire(p, conn, event)
        assert conn.state is Conn.CLOSED
    elif (event is ConnEvent.JOINED and state is not Conn.HOSTING) or (
            event is ConnEvent.RESUMED and state is not Conn.RESUMING):
        # Only a waiting agent can be joined (anyone else's nameplate is not open), only a
        # waiting resume resumed (anyone else's token is another one).
        fire(p, conn, event)
        assert conn.state is state
    elif after is None:
        with pytest.raises(LocalProtocolError, match=state.value):
            fire(p, conn, event)
        assert conn.state is state
    else:
        fire(p, conn, event)
        assert conn.state is after


def test_hosting_then_joined_pairs_both_and_the_counts_follow() -> None:
    seen: list[tuple[str, int]] = []
    p: Pairing[str] = Pairing(lambda key, delta: seen.append((key, delta)))
    agent, console = p.connect("a", "agent"), p.connect("c", "console")
    assert (p.unpaired("a"), p.unpaired("c"), p.waiting_count) == (1, 1, 0)
    plate = p.host(agent, "123")
    assert p.waiting_count == 1 and p.unpaired("a") == 1  # hosting is not paired yet
    assert p.waiter("123") is agent
    pair = p.join(console, plate)
    assert pair is not None
    assert (pair.agent.owner, pair.console.owner) == ("agent", "console")
    assert pair.other(pair.agent) is pair.console and pair.other(pair.console) is pair.agent
    assert (p.unpaired("a"), p.unpaired("c"), p.waiting_count, p.paired_count) == (0, 0, 0, 1)
    assert p.pairs == {pair}
    # The relay ends the pair from both pumps: only the first counts.
    assert p.end(pair) is True and p.end(pair) is False
    assert p.paired_count == 0
    p.leave(agent)
    p.leave(console)
    assert (p.unpaired("a"), p.unpaired("c")) == (0, 0)  # paired ones were counted off once
    # The shared state heard every change once, in order (it counts every node's).
    assert seen == [("a", 1), ("c", 1), ("a", -1), ("c", -1)]


def test_a_join_nobody_waits_on_here_pairs_nothing() -> None:
    p = pairing()
    console = p.connect("c", "console")
    assert p.join(console, "555") is None
    assert console.state is Conn.CONNECTED and p.unpaired("c") == 1
    p.leave(console)
    assert p.unpaired("c") == 0


def test_the_unpaired_count_has_one_owner_whatever_the_way_out() -> None:
    """Every connection is counted off exactly once: leaving unpaired, hosting, or paired."""
    p = pairing()
    conns = [p.connect("k", str(i)) for i in range(6)]
    assert p.unpaired("k") == 6
    p.host(conns[0], "100")
    p.host(conns[1], "101")
    p.expire(conns[1])
    p.host(conns[2], "102")
    p.join(conns[3], conns[2].nameplate)
    p.attached(conns[4], "103")  # paired with an agent on another node
    assert p.unpaired("k") == 3  # the pairs left the count at pairing time
    for conn in conns:
        if conn.state is Conn.HOSTING:
            p.unhost(conn)
        p.leave(conn)
        p.leave(conn)  # twice: nothing more
    assert p.unpaired("k") == 0 and p._unpaired == {}
    assert p.waiting_count == 0


def test_unhost_and_expire_say_whether_the_nameplate_was_still_theirs() -> None:
    """The shell releases or expires the nameplate in the shared state only if it was."""
    p = pairing()
    agent = p.connect("a", "agent")
    p.host(agent, "123")
    assert p.unhost(agent) is True and p.waiter("123") is None
    p.host(agent, "124")
    assert p.expire(agent) is True and agent.state is Conn.CONNECTED


def test_a_late_timer_does_not_touch_a_reissued_nameplate() -> None:
    """The state expired a nameplate by its clock and gave it to another agent here before
    the first agent's timer fired: that timer must not expire the second agent's wait."""
    p = pairing()
    first = p.connect("a", "first")
    p.host(first, "123")
    second = p.connect("b", "second")
    p.host(second, "123")  # the state reissued it
    assert p.expire(first) is False  # not its nameplate any more: the state is not told
    assert p.waiting_count == 1
    pair = p.join(p.connect("c", "console"), "123")
    assert pair is not None and pair.agent is second
