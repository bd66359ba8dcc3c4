"""What the technician shows on the customer's screen: a laser pointer trail and strokes.

Pure model, no Qt, no threads: the driver turns each :class:`shared.session.ShowReceived` into a
*show* in GLOBAL desktop coordinates (:func:`globalise`, adding the shared picture's origin), the
overlay layer (:mod:`agent.ui.annotation_layer`) feeds those to :class:`Annotations` and paints
what it holds. Time comes from an injected clock, so fading and expiry are tested without sleeps.

Everything here is bounded, whatever a hostile technician sends (DESIGN.md: budgets before
allocation): at most :data:`MAX_STROKES` strokes (a new one pushes the oldest out), at most
:data:`MAX_STROKE_POINTS` points per stroke (further points are ignored; an arrow keeps only its
first and last point), a laser trail of at most :data:`TRAIL_POINTS` positions younger than
:data:`TRAIL_LIFE` seconds. Nothing here is ever input: these are pictures on the overlay.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from shared import messages as m

#: Most strokes shown at once; a new stroke beyond this pushes the oldest one out.
MAX_STROKES = 32
#: Most points one stroke keeps; points beyond are ignored (an arrow only keeps two).
MAX_STROKE_POINTS = 2048
#: Most laser positions kept for the trail.
TRAIL_POINTS = 40
#: Seconds a laser position stays in the trail (it fades over this time).
TRAIL_LIFE = 0.7
#: Seconds a stroke stays after its last point arrived.
STROKE_LIFE = 5.0


# ---------------------------------------------------------------------- shows (global coords)


@dataclass(frozen=True)
class LaserAt:
    """The laser pointer at global (x, y), or gone (``visible`` False)."""

    visible: bool
    x: int
    y: int


@dataclass(frozen=True)
class StrokePoints:
    """Points (global) added to stroke ``stroke``; ``kind`` ``"line"`` or ``"arrow"``."""

    stroke: int
    kind: str
    points: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ClearStrokes:
    """Remove every stroke now."""


Show = LaserAt | StrokePoints | ClearStrokes


def globalise(msg: m.LaserPointer | m.Annotation | m.AnnotationClear,
              origin: tuple[int, int]) -> Show:
    """A show message from the wire (coordinates of the shared picture) in global desktop
    coordinates: the shared picture's top-left ``origin`` added to every point."""
    ox, oy = origin
    if isinstance(msg, m.LaserPointer):
        return LaserAt(msg.visible, msg.x + ox, msg.y + oy)
    if isinstance(msg, m.Annotation):
        return StrokePoints(msg.stroke, msg.kind,
                            tuple((x + ox, y + oy) for x, y in msg.points))
    if isinstance(msg, m.AnnotationClear):
        return ClearStrokes()
    raise TypeError(f"not a show message: {type(msg).__name__}")


# ---------------------------------------------------------------------- the model


@dataclass
class Stroke:
    """One stroke: its kind, its points (global) and when its last point came."""

    stroke: int
    kind: str
    points: list[tuple[int, int]] = field(default_factory=list)
    last: float = 0.0

    def add(self, points: tuple[tuple[int, int], ...], now: float) -> None:
        """Append within the bound; an arrow keeps its first point and the newest one."""
        self.last = now
        if self.kind == "arrow":  # from the first point ever to the newest one
            if not self.points and len(points) == 1:
                self.points = [points[0]]
            else:
                first = self.points[0] if self.points else points[0]
                self.points = [first, points[-1]]
            return
        room = MAX_STROKE_POINTS - len(self.points)
        if room > 0:
            self.points.extend(points[:room])

    def age(self, now: float) -> float:
        return now - self.last


@dataclass(frozen=True)
class TrailPoint:
    """One laser position and how far it has faded (0 = new, 1 = gone)."""

    x: int
    y: int
    fade: float


class Annotations:
    """The strokes and the laser trail the customer's overlay shows now.

    :meth:`apply` takes one show, :meth:`tick` drops what has expired (call it before
    painting), :attr:`version` changes whenever what is drawn changes apart from fading, so a
    painter knows when a repaint is needed; :attr:`empty` says nothing is left to draw.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, *,
                 stroke_life: float = STROKE_LIFE, trail_life: float = TRAIL_LIFE) -> None:
        self._clock = clock
        self.stroke_life = stroke_life
        self.trail_life = trail_life
        self._strokes: dict[int, Stroke] = {}  # insertion order = age order
        self._trail: deque[tuple[int, int, float]] = deque(maxlen=TRAIL_POINTS)
        self.laser_visible = False
        self.version = 0

    # --- input

    def apply(self, show: Show) -> None:
        """Take one show (global coordinates) at the clock's time."""
        now = self._clock()
        if isinstance(show, LaserAt):
            self.laser_visible = show.visible
            if show.visible:
                self._trail.append((show.x, show.y, now))
            self.version += 1
        elif isinstance(show, StrokePoints):
            self._add_points(show, now)
        elif isinstance(show, ClearStrokes):
            self.clear_strokes()
        else:
            raise TypeError(f"not a show: {type(show).__name__}")

    def _add_points(self, show: StrokePoints, now: float) -> None:
        if not show.points:
            return
        stroke = self._strokes.get(show.stroke)
        if stroke is not None and stroke.kind != show.kind:
            del self._strokes[show.stroke]  # the id was reused for another kind: a new stroke
            stroke = None
        if stroke is None:
            while len(self._strokes) >= MAX_STROKES:
                del self._strokes[next(iter(self._strokes))]  # the oldest goes
            stroke = self._strokes[show.stroke] = Stroke(show.stroke, show.kind)
        stroke.add(show.points, now)
        self.version += 1

    def clear_strokes(self) -> None:
        """Every stroke goes (the technician's Clear, the customer's click)."""
        if self._strokes:
            self._strokes.clear()
            self.version += 1

    def clear(self) -> None:
        """Everything goes, the laser too (pause, end of the session)."""
        self.clear_strokes()
        if self._trail or self.laser_visible:
            self._trail.clear()
            self.laser_visible = False
            self.version += 1

    # --- time

    def tick(self) -> bool:
        """Drop expired strokes and faded laser positions; True if anything went."""
        now = self._clock()
        changed = False
        for sid in [s for s, st in self._strokes.items() if st.age(now) >= self.stroke_life]:
            del self._strokes[sid]
            changed = True
        while self._trail and now - self._trail[0][2] >= self.trail_life:
            self._trail.popleft()
            changed = True
        if changed:
            self.version += 1
        return changed

    # --- what to draw

    @property
    def strokes(self) -> list[Stroke]:
        """The strokes, oldest first."""
        return list(self._strokes.values())

    def trail(self) -> list[TrailPoint]:
        """The laser trail, oldest first, each with how far it faded."""
        now = self._clock()
        life = self.trail_life if self.trail_life > 0 else 1.0
        return [TrailPoint(x, y, min(1.0, max(0.0, (now - t) / life)))
                for x, y, t in self._trail]

    @property
    def fading(self) -> bool:
        """True while a laser trail is left (it changes with every frame)."""
        return bool(self._trail)

    @property
    def empty(self) -> bool:
        """Nothing left to draw."""
        return not self._strokes and not self._trail

    def next_expiry(self) -> float | None:
        """Seconds until the next stroke expires (None: no stroke)."""
        if not self._strokes:
            return None
        now = self._clock()
        return max(0.0, min(self.stroke_life - s.age(now) for s in self._strokes.values()))

    def bounds(self) -> tuple[int, int, int, int] | None:
        """(left, top, right, bottom) of every point held, or None when empty (for tests and
        the painter's damage)."""
        xs: list[int] = []
        ys: list[int] = []
        for s in self._strokes.values():
            xs += [p[0] for p in s.points]
            ys += [p[1] for p in s.points]
        xs += [p[0] for p in self._trail]
        ys += [p[1] for p in self._trail]
        if not xs:
            return None
        return min(xs), min(ys), max(xs), max(ys)

    def point_count(self) -> int:
        """Every point held, strokes and trail (the bounds tests check it)."""
        return sum(len(s.points) for s in self._strokes.values()) + len(self._trail)
