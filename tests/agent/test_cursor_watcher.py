"""CursorWatcher polls on its own thread (never on the network loop) and reports changes only.
The pointer source is a FAKE here (scripted positions); the real X11 one is in test_cursor."""

from __future__ import annotations

import threading

from agent.cursor import CursorWatcher, PointerShape
from shared import messages as m


class FakePointer:
    def __init__(self, positions: list[tuple[int, int]]) -> None:
        self.positions = positions
        self.closed_by: str | None = None

    def position(self) -> tuple[int, int] | None:
        return self.positions.pop(0) if len(self.positions) > 1 else self.positions[0]

    def shape(self) -> PointerShape | None:
        return None

    def close(self) -> None:
        self.closed_by = threading.current_thread().name


def test_watcher_reports_moves_from_its_own_thread_and_closes_the_source() -> None:
    source = FakePointer([(110, 60), (110, 60), (120, 70), (120, 70)])
    got: list[tuple[m.CursorUpdate, str]] = []
    moved = threading.Event()

    def on_update(update: m.CursorUpdate) -> None:
        got.append((update, threading.current_thread().name))
        if len(got) == 2:
            moved.set()

    watcher = CursorWatcher((100, 50), on_update, source=lambda: source)
    watcher.start()
    assert moved.wait(5)
    watcher.stop()
    watcher._thread.join(5)
    assert [(u.x, u.y) for u, _ in got] == [(10, 10), (20, 20)]  # nothing while it rests
    assert {name for _, name in got} == {"agent-cursor"}
    assert source.closed_by == "agent-cursor"
