"""Key policy, held-input bookkeeping and the input thread, with a recording fake backend."""

from __future__ import annotations

import threading
from collections.abc import Hashable

import pytest

from agent.input import InputInjector, InputThread, InputUnavailable, UnknownButton
from agent.input import create_injector as create
from agent.input.base import BaseInjector, HeldInputTracker
from agent.input.pynput_backend import BUTTONS, CHAR_KEYS, SPECIAL_KEYS
from agent.input.x11 import CODE_KEYSYMS, EVDEV_KEYCODES, char_keysyms, keysym_char
from console.keymap import EVDEV_CODES
from shared import messages as m


class Recorder(BaseInjector):
    """Records primitive calls; 'types' any text unless told the layout cannot."""

    def __init__(self, can_type: bool = True) -> None:
        super().__init__()
        self.calls: list[tuple[object, ...]] = []
        self.can_type = can_type

    def _move(self, x: int, y: int) -> None:
        self.calls.append(("move", x, y))

    def _button(self, name: str, pressed: bool) -> None:
        self.calls.append(("button", name, pressed))

    def _scroll(self, dx: int, dy: int) -> None:
        self.calls.append(("scroll", dx, dy))

    def _press_code(self, code: str, text: str) -> Hashable | None:
        if code == "Unknown":
            return None
        self.calls.append(("press", code))
        return f"tok:{code}"

    def _release_token(self, token: Hashable) -> None:
        self.calls.append(("release", token))

    def _type_text(self, text: str) -> bool:
        if self.can_type:
            self.calls.append(("type", text))
        return self.can_type

    def _shutdown(self) -> None:
        self.calls.append(("shutdown",))


def test_recorder_is_an_injector() -> None:
    assert isinstance(Recorder(), InputInjector)


def test_text_is_typed_and_release_has_nothing_to_undo() -> None:
    r = Recorder()
    r.key("KeyQ", "@", True)
    r.key("KeyQ", "@", False)
    assert r.calls == [("type", "@")]
    assert r.held.held_keys() == {}


@pytest.mark.parametrize("modifier", ["ControlLeft", "ControlRight", "AltLeft", "MetaLeft"])
def test_shortcut_modifier_makes_identity(modifier: str) -> None:
    r = Recorder()
    r.key(modifier, "", True)
    r.key("KeyC", "c", True)
    r.key("KeyC", "c", False)
    assert r.calls == [("press", modifier), ("press", "KeyC"), ("release", "tok:KeyC")]


def test_ctrl_plus_altright_is_altgr_not_shortcut() -> None:
    r = Recorder()
    r.key("ControlLeft", "", True)
    r.key("AltRight", "", True)
    r.key("KeyQ", "@", True)
    assert r.calls[-1] == ("type", "@")


def test_shift_and_altgr_alone_keep_typing() -> None:
    r = Recorder()
    r.key("ShiftLeft", "", True)
    r.key("AltRight", "", True)
    r.key("Digit7", "{", True)
    assert r.calls[-1] == ("type", "{")


@pytest.mark.parametrize("text", ["", "\r", "\x03", "\t", "\x7f"])
def test_control_text_goes_by_identity(text: str) -> None:
    r = Recorder()
    r.key("Enter", text, True)
    assert r.calls == [("press", "Enter")]


def test_untypable_text_falls_back_to_identity() -> None:
    r = Recorder(can_type=False)
    r.key("KeyA", "a", True)
    r.key("KeyA", "a", False)
    assert r.calls == [("press", "KeyA"), ("release", "tok:KeyA")]


def test_unknown_key_is_ignored() -> None:
    r = Recorder()
    r.key("Unknown", "", True)
    r.key("Unknown", "", False)
    assert r.calls == []


def test_release_all_releases_exactly_what_is_held() -> None:
    r = Recorder()
    r.key("ShiftLeft", "", True)
    r.key("KeyA", "A", True)  # typed: nothing held
    r.key("ControlLeft", "", True)
    r.key("ControlLeft", "", False)
    r.button("left", True)
    r.button("right", True)
    r.button("right", False)
    r.calls.clear()
    r.release_all()
    assert r.calls == [("button", "left", False), ("release", "tok:ShiftLeft")]
    r.calls.clear()
    r.release_all()
    assert r.calls == []


def test_release_without_press_is_not_injected() -> None:
    r = Recorder()
    r.key("ShiftLeft", "", False)
    r.button("left", False)
    assert r.calls == []


def test_repeat_press_repeats_identity_key() -> None:
    r = Recorder()
    r.key("Backspace", "", True)
    r.key("Backspace", "", True)
    r.key("Backspace", "", False)
    assert r.calls == [
        ("press", "Backspace"), ("release", "tok:Backspace"), ("press", "Backspace"),
        ("release", "tok:Backspace"),
    ]


def test_wheel_is_clamped_and_zero_ignored() -> None:
    r = Recorder()
    r.wheel(0, 0)
    r.wheel(-1000, 3)
    assert r.calls == [("scroll", -50, 3)]


def test_unknown_button_rejected() -> None:
    with pytest.raises(UnknownButton):
        Recorder().button("thumb", True)


def test_close_releases_then_ignores_everything() -> None:
    r = Recorder()
    r.key("AltLeft", "", True)
    r.close()
    r.close()
    r.key("KeyA", "a", True)
    r.move(1, 2)
    assert r.calls == [("press", "AltLeft"), ("release", "tok:AltLeft"), ("shutdown",)]


def test_tracker_drain_newest_first() -> None:
    t = HeldInputTracker()
    t.key_down("ShiftLeft", 50)
    t.key_down("ControlLeft", 37)
    t.button_down("left")
    assert t.drain() == ([("ControlLeft", 37), ("ShiftLeft", 50)], ["left"])
    assert t.drain() == ([], [])


def test_input_thread_replays_in_order_off_the_calling_thread_and_releases() -> None:
    """What the session machine admitted is replayed in order, on the input thread, at the
    shared screen's origin; the wire's wheel sign (positive dy = down) becomes the injector's
    (Qt's: positive = up) here only; revoking releases what is held."""
    r = Recorder()
    threads: set[str] = set()
    applied = threading.Event()
    def on_applied() -> None:
        threads.add(threading.current_thread().name)
        applied.set()

    inp = InputThread(r, on_applied=on_applied)
    try:
        inp.apply(m.PointerButton("left", True, 10, 20), (100, 50))
        inp.apply(m.Wheel(0, 1, 11, 21), (100, 50))  # one notch down on the wire
        inp.apply(m.Key("ShiftLeft", "", True))
        assert inp.wait_idle()
        assert applied.is_set() and threads == {"agent-input"}
        assert not inp.released
        assert r.calls == [("move", 110, 70), ("button", "left", True), ("move", 111, 71),
                           ("scroll", 0, -1), ("press", "ShiftLeft")]
        r.calls.clear()
        inp.release_all()
        assert inp.wait_idle() and inp.released
        assert r.calls == [("button", "left", False), ("release", "tok:ShiftLeft")]
    finally:
        inp.close()
    assert r.calls[-1] == ("shutdown",)
    inp.apply(m.PointerMove(1, 1))  # after close: ignored, never a crash
    assert r.calls[-1] == ("shutdown",)


def test_release_all_drops_input_still_waiting() -> None:
    """Input admitted before a revoke but not yet replayed is never applied after it."""
    r = Recorder()
    gate = threading.Event()
    inp = InputThread(r)
    try:
        def slow() -> None:  # the thread is busy (a slow X server)
            gate.wait()

        inp._put(slow)
        for i in range(5):
            inp.apply(m.PointerMove(i, i))
        inp.release_all()
        gate.set()
        assert inp.wait_idle()
        assert r.calls == []  # nothing held, nothing moved
    finally:
        inp.close()


def test_a_failing_injector_is_reported_and_released() -> None:
    r = Recorder()
    r.key("ControlLeft", "", True)
    errors: list[BaseException] = []
    inp = InputThread(r, on_error=errors.append)
    try:
        def broken(x: int, y: int) -> None:
            raise OSError("X server gone")

        r._move = broken  # type: ignore[method-assign]
        inp.apply(m.PointerMove(1, 1))
        assert inp.wait_idle()
        assert [type(e) for e in errors] == [OSError]
        assert ("release", "tok:ControlLeft") in r.calls
    finally:
        inp.close()


def test_create_injector_without_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    with pytest.raises(InputUnavailable, match="Wayland"):
        create(register_atexit=False)
    monkeypatch.delenv("WAYLAND_DISPLAY")
    with pytest.raises(InputUnavailable, match="DISPLAY"):
        create(register_atexit=False)


def test_x11_broken_display_is_input_unavailable() -> None:
    from agent.input.x11 import X11Injector

    with pytest.raises(InputUnavailable):
        X11Injector(":9999")


def test_char_keysyms() -> None:
    assert char_keysyms("a")[0] == 0x61
    assert char_keysyms("ß")[0] == 0xDF
    assert char_keysyms("€")[0] == 0x20AC
    assert char_keysyms("ж") == (0x01000436,)
    for ch in "a@ßÜ€ж„":
        assert keysym_char(char_keysyms(ch)[0]) == ch


def test_x11_tables_cover_the_wire_codes() -> None:
    for code in ["KeyA", "Digit1", "ShiftLeft", "ControlLeft", "AltLeft", "AltRight", "MetaLeft",
                 "Enter", "Backspace", "Tab", "Escape", "ArrowUp", "F1", "F12", "Delete",
                 "Home", "End", "PageUp", "PageDown", "Space", "Insert", "CapsLock"]:
        assert CODE_KEYSYMS[code] and all(CODE_KEYSYMS[code]), code


def test_agent_and_console_evdev_tables_agree() -> None:
    for evdev, code in EVDEV_CODES.items():
        assert EVDEV_KEYCODES[code] == evdev + 8, code


def test_pynput_table_names_exist() -> None:
    from pynput.keyboard._base import Key
    from pynput.mouse._base import Button

    for code, name in SPECIAL_KEYS.items():
        assert name in Key.__members__, (code, name)
    assert all(len(ch) == 1 for ch in CHAR_KEYS.values())
    assert set(BUTTONS) == {"left", "middle", "right", "back", "forward"}
    assert {"left", "middle", "right"} <= set(Button.__members__)
    for code in ["KeyA", "Digit1", "ShiftLeft", "ControlLeft", "AltLeft", "AltRight", "Enter",
                 "Backspace", "Tab", "Escape", "ArrowUp", "F1", "F12", "Space"]:
        assert code in SPECIAL_KEYS or code in CHAR_KEYS


class FakeInput:
    """Stands in for InputThread (no thread, no injector): records what would be replayed."""

    def __init__(self) -> None:
        self.applied: list[m.Message] = []
        self.releases = 0

    def apply(self, msg: m.Message, origin: tuple[int, int] = (0, 0)) -> None:
        self.applied.append(msg)

    def release_all(self) -> None:
        self.releases += 1

    def set_callbacks(self, **_: object) -> None:
        pass


def test_the_session_machine_alone_decides_what_input_is_replayed(tmp_path) -> None:
    """``control`` is checked in one place (shared.session): input the console sealed while it
    had control, arriving after the customer revoked it, never reaches the input thread; a
    revoke releases what is held; after a re-grant input flows again."""
    import asyncio

    from agent.config import AgentConfig
    from agent.driver import AgentHost, AgentSessionDriver
    from bench.support.sessions import pump as _pump
    from desktop.audit_store import AuditRecord
    from shared.codes import SessionCode
    from shared.session import AgentSession, ConsoleSession

    code = SessionCode("123", "456789")
    a, c = AgentSession(code), ConsoleSession(code, name="Eva")
    _pump(a, c, [a.start()], [c.start()])
    _pump(a, c, a.decide(True, frozenset({"view", "control"})).outgoing, [])
    loop = asyncio.new_event_loop()
    try:
        host = AgentHost(AgentConfig(), lambda ev: None, loop)
        fake = FakeInput()
        host.attach_input(fake)  # type: ignore[arg-type]
        driver = AgentSessionDriver(a, AuditRecord.create(tmp_path, "agent"), lambda ev: None,
                                    loop, host=host)
        driver._sharing = True  # the screen is shared already (streaming is not under test)
        sealed = [c.send_input(m.PointerMove(i, i)).outgoing[0] for i in range(3)]
        driver.handle(a.receive(sealed[0]))
        assert fake.applied == [m.PointerMove(0, 0)]
        driver.set_control(False)  # the customer revokes: in flight from the console meanwhile
        assert fake.releases == 1
        driver.handle(a.receive(sealed[1]))
        assert fake.applied == [m.PointerMove(0, 0)]
        assert a.dropped_inputs["PointerMove"] == 1
        driver.set_control(True)
        driver.handle(a.receive(sealed[2]))
        assert fake.applied == [m.PointerMove(0, 0), m.PointerMove(2, 2)]
    finally:
        loop.close()
