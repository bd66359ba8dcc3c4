"""Keys and buttons the technician holds are released on every ending, on every platform.

The technician's Shift and left button go down through the agent's real input path
(:class:`agent.input.InputThread` over the platform's backend); a real window sees them go down,
and the operating system's own input state says they are down (Linux: XQueryKeymap and the
pointer mask; Windows: GetAsyncKeyState; macOS: CGEventSourceKeyState/ButtonState). Then control
ends one of the ways it can end, and both must say "released":

- control revoked, the session ended, the link went silent: the agent calls
  ``InputThread.release_all`` for each (agent/driver.py; tests/agent proves that wiring on Linux);
- the agent stops its input thread (``InputThread.close``, agent exit);
- the injector itself is closed (the atexit guard of ``create_injector``);
- the injector fails mid-session (the input thread releases what it can, then reports).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt

from agent.input import InputInjector, InputThread
from shared import messages as m
from tests.platform.conftest import Probe, focus, injector_point, os_held


class Failing:
    """The real injector, except that a wheel turn fails (a backend error mid-session)."""

    def __init__(self, inner: InputInjector) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def wheel(self, dx: int, dy: int) -> None:
        raise OSError("the input backend failed")


def revoke(thread: InputThread, injector: InputInjector) -> None:
    thread.release_all()


def stop_thread(thread: InputThread, injector: InputInjector) -> None:
    thread.close()


def close_injector(thread: InputThread, injector: InputInjector) -> None:
    injector.close()


def fail(thread: InputThread, injector: InputInjector) -> None:
    thread.apply(m.Wheel(0, 1, 10, 10))


ENDINGS: dict[str, Callable[[InputThread, InputInjector], None]] = {
    "control revoked / session ended / link silent": revoke,
    "input thread stopped (agent exit)": stop_thread,
    "injector closed": close_injector,
    "injector failed": fail,
}


@pytest.fixture(params=list(ENDINGS))
def ending(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def thread(injector: InputInjector, ending: str) -> Iterator[InputThread]:
    errors: list[BaseException] = []
    used = Failing(injector) if ending == "injector failed" else injector
    t = InputThread(used, on_error=errors.append, name="platform-test-input")  # type: ignore[arg-type]
    yield t
    t.close()


def test_held_keys_and_buttons_are_released(qtbot, injector: InputInjector, probe: Probe,
                                            thread: InputThread, ending: str) -> None:
    focus(qtbot, injector, probe)
    x, y = injector_point(probe.pad, QPoint(60, 60))
    thread.apply(m.Key("ShiftLeft", "", True))
    thread.apply(m.PointerButton("left", True, x, y))
    assert thread.wait_idle()
    qtbot.waitUntil(lambda: any(e.key == Qt.Key.Key_Shift for e in probe.seen("key_down", ""))
                    and bool(probe.seen("press")), timeout=5000)
    qtbot.waitUntil(lambda: os_held() == (True, True), timeout=5000)
    assert thread.holds_buttons and thread.holds_input

    ENDINGS[ending](thread, injector)
    thread.wait_idle()

    qtbot.waitUntil(lambda: os_held() == (False, False), timeout=5000)
    qtbot.waitUntil(lambda: bool(probe.seen("release"))
                    and any(e.key == Qt.Key.Key_Shift for e in probe.seen("key_up", "")),
                    timeout=5000)
    if ending in ("control revoked / session ended / link silent", "injector failed"):
        assert not thread.holds_buttons  # the thread goes on, knowing nothing is held
