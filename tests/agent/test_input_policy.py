"""Key policy, held-input bookkeeping and the control gate, with a recording fake backend."""

from __future__ import annotations

from collections.abc import Hashable

import pytest

from agent.input import ControlGate, InputInjector, InputUnavailable, UnknownButton
from agent.input import create_injector as create
from agent.input.base import BaseInjector, HeldInputTracker
from agent.input.pynput_backend import BUTTONS, CHAR_KEYS, SPECIAL_KEYS
from agent.input.x11 import CODE_KEYSYMS, EVDEV_KEYCODES, char_keysyms, keysym_char
from console.keymap import EVDEV_CODES


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


def test_gate_drops_and_counts_until_granted() -> None:
    r = Recorder()
    gate = ControlGate(r)
    assert gate.move(1, 1) is False
    assert gate.key("KeyA", "a", True) is False
    assert gate.wheel(0, 1, 5, 5) is False
    assert r.calls == []
    gate.set_control(True)
    assert gate.button("left", True, 10, 20) is True
    assert gate.wheel(0, -1, 11, 21) is True
    assert r.calls == [("move", 10, 20), ("button", "left", True), ("move", 11, 21),
                       ("scroll", 0, -1)]
    r.calls.clear()
    gate.set_control(False)
    assert r.calls == [("button", "left", False)]
    assert gate.counts.applied == 2 and gate.counts.dropped == 3
    gate.set_control(True)
    gate.key("ShiftLeft", "", True)
    r.calls.clear()
    gate.end()
    assert r.calls == [("release", "tok:ShiftLeft")]
    assert not gate.granted
    gate.close()
    assert r.calls[-1] == ("shutdown",)


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
