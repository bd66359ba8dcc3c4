"""Qt key/mouse values → wire (code, text), without real events."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.keymap import clean_text, key_to_wire, mouse_button_name

K = Qt.Key
CTRL = int(Qt.KeyboardModifier.ControlModifier.value)
KEYPAD = int(Qt.KeyboardModifier.KeypadModifier.value)


def wire(key: Qt.Key, text: str = "", mods: int = 0, scan: int = 0, vk: int = 0,
         platform: str = "xcb") -> tuple[str, str]:
    return key_to_wire(int(key.value), text, mods, scan, vk, platform=platform)


@pytest.mark.parametrize(
    ("key", "scan", "code"),
    [
        (K.Key_Shift, 50, "ShiftLeft"), (K.Key_Shift, 62, "ShiftRight"),
        (K.Key_Control, 37, "ControlLeft"), (K.Key_Control, 105, "ControlRight"),
        (K.Key_Alt, 64, "AltLeft"), (K.Key_Alt, 108, "AltRight"),
        (K.Key_AltGr, 108, "AltRight"), (K.Key_Meta, 133, "MetaLeft"),
        (K.Key_Super_L, 133, "MetaLeft"),
    ],
)
def test_modifiers_x11(key: Qt.Key, scan: int, code: str) -> None:
    assert wire(key, "", scan=scan) == (code, "")


def test_modifier_sides_windows_and_mac() -> None:
    assert wire(K.Key_Control, scan=0x11D, platform="windows") == ("ControlRight", "")
    assert wire(K.Key_Shift, scan=0x2A, platform="windows") == ("ShiftLeft", "")
    assert wire(K.Key_Shift, vk=0x3C, platform="cocoa") == ("ShiftRight", "")


def test_letters_digits_by_meaning() -> None:
    assert wire(K.Key_A, "a", scan=38) == ("KeyA", "a")
    assert wire(K.Key_Z, "z", scan=29) == ("KeyZ", "z")  # German Z sits where US has Y
    assert wire(K.Key_1, "1", scan=10) == ("Digit1", "1")
    assert wire(K.Key_C, "\x03", CTRL, 54) == ("KeyC", "")


@pytest.mark.parametrize(
    ("key", "text", "code"),
    [
        (K.Key_Return, "\r", "Enter"), (K.Key_Backspace, "\x08", "Backspace"),
        (K.Key_Tab, "\t", "Tab"), (K.Key_Backtab, "", "Tab"), (K.Key_Escape, "\x1b", "Escape"),
        (K.Key_Up, "", "ArrowUp"), (K.Key_F1, "", "F1"), (K.Key_F12, "", "F12"),
        (K.Key_Delete, "\x7f", "Delete"), (K.Key_Home, "", "Home"), (K.Key_End, "", "End"),
        (K.Key_PageUp, "", "PageUp"), (K.Key_PageDown, "", "PageDown"),
        (K.Key_Insert, "", "Insert"), (K.Key_CapsLock, "", "CapsLock"),
    ],
)
def test_named_keys_have_no_text(key: Qt.Key, text: str, code: str) -> None:
    assert wire(key, text) == (code, "")


def test_space_keeps_its_text() -> None:
    assert wire(K.Key_Space, " ", scan=65) == ("Space", " ")


def test_keypad() -> None:
    assert wire(K.Key_7, "7", KEYPAD, 79) == ("Numpad7", "7")
    assert wire(K.Key_Enter, "\r", KEYPAD, 104) == ("NumpadEnter", "")
    assert wire(K.Key_Plus, "+", KEYPAD, 86) == ("NumpadAdd", "+")


def test_character_keys_from_scan_code_or_unidentified() -> None:
    assert wire(K.Key_At, "@", scan=24) == ("KeyQ", "@")  # German AltGr+Q
    assert wire(K.Key_Udiaeresis, "ü", scan=34) == ("BracketLeft", "ü")
    assert wire(K.Key_ssharp, "ß", scan=20) == ("Minus", "ß")
    assert wire(K.Key_Less, "<", scan=94) == ("IntlBackslash", "<")
    assert wire(K.Key_Udiaeresis, "ü", scan=0x1A, platform="windows") == ("BracketLeft", "ü")
    assert wire(K.Key_Udiaeresis, "ü", vk=0x21, platform="cocoa") == ("BracketLeft", "ü")
    assert wire(K.Key_Udiaeresis, "ü", scan=34, platform="wayland") == ("Unidentified", "ü")
    assert wire(K.Key_unknown, "€", scan=0) == ("Unidentified", "€")


def test_platform_from_running_app(qapp: object) -> None:
    from PySide6.QtGui import QGuiApplication

    code, _ = key_to_wire(int(K.Key_At.value), "@", 0, 24, 0)
    assert code == ("KeyQ" if QGuiApplication.platformName() == "xcb" else "Unidentified")


def test_clean_text() -> None:
    assert clean_text("\x03") == ""
    assert clean_text("a\tb\r") == "ab"
    assert clean_text("ä€\u00a0") == "ä€\u00a0"


def test_mouse_buttons() -> None:
    B = Qt.MouseButton
    assert mouse_button_name(int(B.LeftButton.value)) == "left"
    assert mouse_button_name(int(B.RightButton.value)) == "right"
    assert mouse_button_name(int(B.MiddleButton.value)) == "middle"
    assert mouse_button_name(int(B.BackButton.value)) == "back"
    assert mouse_button_name(int(B.ForwardButton.value)) == "forward"
    assert mouse_button_name(int(B.NoButton.value)) is None
