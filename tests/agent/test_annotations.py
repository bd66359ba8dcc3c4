"""The pointer/annotation model of the customer's overlay: bounds, fading, expiry, clearing.

Pure model (no Qt, no display); the clock is moved by hand. Last, the driver's part: what it
hands the window.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.annotations import (
    MAX_STROKE_POINTS,
    MAX_STROKES,
    STROKE_LIFE,
    TRAIL_LIFE,
    TRAIL_POINTS,
    Annotations,
    ClearStrokes,
    LaserAt,
    StrokePoints,
    globalise,
)
from agent.config import AgentConfig
from agent.driver import AgentHost, AgentSessionDriver
from bench.support.sessions import pump
from desktop.audit_store import AuditRecord, read_record
from shared import messages as m
from shared.codes import SessionCode
from shared.session import AgentSession, ConsoleSession
from tests.agent.conftest import FakeClock


def test_globalise_adds_the_origin_of_the_shared_picture() -> None:
    assert globalise(m.LaserPointer(True, 10, 20), (1280, 0)) == LaserAt(True, 1290, 20)
    assert globalise(m.Annotation(7, "arrow", ((1, 2), (3, 4))), (100, 50)) == StrokePoints(
        7, "arrow", ((101, 52), (103, 54)))
    assert globalise(m.AnnotationClear(), (5, 5)) == ClearStrokes()
    with pytest.raises(TypeError):
        globalise(m.Ping(1), (0, 0))  # type: ignore[arg-type]


def test_laser_trail_fades_within_its_life() -> None:
    clock = FakeClock()
    model = Annotations(clock)
    for i in range(5):
        model.apply(LaserAt(True, 100 + i, 200))
        clock.now += 0.05
    trail = model.trail()
    assert [p.x for p in trail] == [100, 101, 102, 103, 104]
    assert trail[0].fade > trail[-1].fade > 0  # the oldest has faded most
    clock.now += TRAIL_LIFE
    model.tick()
    assert model.trail() == [] and model.empty


def test_trail_keeps_only_the_newest_positions() -> None:
    clock = FakeClock()
    model = Annotations(clock)
    for i in range(TRAIL_POINTS * 3):
        model.apply(LaserAt(True, i, i))
    assert len(model.trail()) == TRAIL_POINTS
    assert model.trail()[-1].x == TRAIL_POINTS * 3 - 1


def test_hidden_laser_adds_no_point_and_the_trail_fades_out() -> None:
    clock = FakeClock()
    model = Annotations(clock)
    model.apply(LaserAt(True, 5, 5))
    model.apply(LaserAt(False, 0, 0))
    assert not model.laser_visible and [(p.x, p.y) for p in model.trail()] == [(5, 5)]


def test_stroke_grows_then_expires_after_its_last_point() -> None:
    clock = FakeClock()
    model = Annotations(clock)
    model.apply(StrokePoints(1, "line", ((0, 0), (10, 10))))
    clock.now += STROKE_LIFE - 1
    model.apply(StrokePoints(1, "line", ((20, 20),)))
    clock.now += STROKE_LIFE - 0.5
    assert not model.tick()
    assert model.strokes[0].points == [(0, 0), (10, 10), (20, 20)]
    assert model.next_expiry() == pytest.approx(0.5)
    clock.now += 0.5
    assert model.tick() and model.empty and model.next_expiry() is None


def test_arrow_keeps_first_and_newest_point() -> None:
    model = Annotations(FakeClock())
    model.apply(StrokePoints(2, "arrow", ((1, 1),)))
    assert model.strokes[0].points == [(1, 1)]
    for i in range(3000):
        model.apply(StrokePoints(2, "arrow", ((i, 2 * i), (i + 1, 2 * i))))
    assert model.strokes[0].points == [(1, 1), (3000, 5998)]


def test_stroke_points_beyond_the_bound_are_ignored() -> None:
    model = Annotations(FakeClock())
    batch = tuple((i, i) for i in range(m.MAX_ANNOTATION_POINTS))
    for _ in range(MAX_STROKE_POINTS // m.MAX_ANNOTATION_POINTS + 3):
        model.apply(StrokePoints(3, "line", batch))
    assert len(model.strokes[0].points) == MAX_STROKE_POINTS


def test_new_strokes_beyond_the_bound_push_the_oldest_out() -> None:
    model = Annotations(FakeClock())
    for sid in range(MAX_STROKES + 5):
        model.apply(StrokePoints(sid, "line", ((sid, sid),)))
    ids = [s.stroke for s in model.strokes]
    assert ids == list(range(5, MAX_STROKES + 5))


def test_reused_id_of_another_kind_is_a_new_stroke() -> None:
    model = Annotations(FakeClock())
    model.apply(StrokePoints(4, "line", ((0, 0), (5, 5))))
    model.apply(StrokePoints(4, "arrow", ((9, 9),)))
    assert [(s.kind, s.points) for s in model.strokes] == [("arrow", [(9, 9)])]


def test_clear_removes_strokes_and_clear_all_the_laser_too() -> None:
    model = Annotations(FakeClock())
    model.apply(StrokePoints(1, "line", ((0, 0),)))
    model.apply(LaserAt(True, 3, 3))
    before = model.version
    model.apply(ClearStrokes())
    assert model.strokes == [] and model.fading and model.version > before
    model.clear()
    assert model.empty and not model.laser_visible
    assert model.bounds() is None


def test_bounds_cover_every_point() -> None:
    model = Annotations(FakeClock())
    model.apply(StrokePoints(1, "line", ((10, 40), (30, 5))))
    model.apply(LaserAt(True, 50, 60))
    assert model.bounds() == (10, 5, 50, 60)
    assert model.point_count() == 3


def test_apply_refuses_what_is_not_a_show() -> None:
    with pytest.raises(TypeError):
        Annotations(FakeClock()).apply(object())  # type: ignore[arg-type]


points = st.lists(st.tuples(st.integers(0, m.MAX_COORDINATE), st.integers(0, m.MAX_COORDINATE)),
                  min_size=1, max_size=m.MAX_ANNOTATION_POINTS).map(tuple)
shows = st.one_of(
    st.builds(m.LaserPointer, st.booleans(), st.integers(0, m.MAX_COORDINATE),
              st.integers(0, m.MAX_COORDINATE)),
    st.builds(m.Annotation, st.integers(0, m.MAX_STROKE_ID), st.sampled_from(["line", "arrow"]),
              points),
    st.just(m.AnnotationClear()),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(shows, st.floats(0, 2.0)), max_size=120),
       st.tuples(st.integers(-4000, 4000), st.integers(-4000, 4000)))
def test_any_message_sequence_stays_within_the_bounds(
        sequence: list[tuple[m.Message, float]], origin: tuple[int, int]) -> None:
    """A hostile technician cannot make the overlay hold more than the bounds allow."""
    clock = FakeClock()
    model = Annotations(clock)
    for msg, pause in sequence:
        model.apply(globalise(msg, origin))  # type: ignore[arg-type]
        clock.now += pause
        model.tick()
        assert len(model.strokes) <= MAX_STROKES
        assert all(len(s.points) <= MAX_STROKE_POINTS for s in model.strokes)
        assert all(len(s.points) <= 2 for s in model.strokes if s.kind == "arrow")
        assert len(model.trail()) <= TRAIL_POINTS
        assert all(0.0 <= p.fade < 1.0 for p in model.trail())
    clock.now += STROKE_LIFE + TRAIL_LIFE
    model.tick()
    assert model.empty


@settings(max_examples=30, deadline=None)
@given(st.integers(0, m.MAX_STROKE_ID))
def test_a_flood_of_full_strokes_is_bounded(first: int) -> None:
    model = Annotations(FakeClock())
    batch = tuple((i % 100, i // 100) for i in range(m.MAX_ANNOTATION_POINTS))
    for i in range(MAX_STROKES * 2):
        sid = (first + i) % (m.MAX_STROKE_ID + 1)
        for _ in range(MAX_STROKE_POINTS // m.MAX_ANNOTATION_POINTS + 1):
            model.apply(StrokePoints(sid, "line", batch))
    assert model.point_count() <= MAX_STROKES * MAX_STROKE_POINTS + TRAIL_POINTS


# ---------------------------------------------------------------------- through the driver


def test_driver_hands_shows_to_the_window_in_global_coordinates(tmp_path: Path) -> None:
    """The console's picture coordinates + the shared monitor's origin; nothing to the input
    thread; the session's end record counts what was shown."""
    code = SessionCode("123", "456789")
    a, c = AgentSession(code), ConsoleSession(code, name="Eva", requested=frozenset({"view"}))
    pump(a, c, [a.start()], [c.start()])
    pump(a, c, a.decide(True, frozenset({"view"})).outgoing, [])
    loop = asyncio.new_event_loop()
    sunk: list[object] = []
    applied: list[object] = []
    try:
        host = AgentHost(AgentConfig(), sunk.append, loop)
        audit = AuditRecord.create(tmp_path, "agent")
        driver = AgentSessionDriver(a, audit, sunk.append, loop, host=host)
        driver._apply_input = applied.append  # type: ignore[method-assign,assignment]
        driver.origin = (1280, 0)  # the second monitor is shared
        for msg in (m.LaserPointer(True, 10, 20), m.Annotation(1, "line", ((0, 0), (5, 6))),
                    m.AnnotationClear()):
            driver.handle(a.receive(c.send_show(msg).outgoing[0]))
        driver.handle(a.end("customer_ended"))
    finally:
        loop.close()
    shows = [e for e in sunk if isinstance(e, LaserAt | StrokePoints | ClearStrokes)]
    assert shows == [LaserAt(True, 1290, 20), StrokePoints(1, "line", ((1280, 0), (1285, 6))),
                     ClearStrokes()]
    assert applied == []
    ended = [e for e in read_record(audit.path) if e["event"] == "session_ended"]
    assert ended[0]["shown"] == {"LaserPointer": 1, "Annotation": 1, "AnnotationClear": 1}
