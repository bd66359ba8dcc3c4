"""What the remote view remembers as held on the remote side, so it can always let go."""

from __future__ import annotations

from console.ui.remote_input import HeldInput

A = (0x41, "a", 0, 38, 0x61)          # (qt_key, text, modifiers, scan code, virtual key)
SHIFT_A = (0x41, "A", 0x02000000, 38, 0x41)
NO_SCAN = (0x01000020, "", 0, 0, 0)   # no scan code: known by its Qt key


def test_a_release_matches_its_press_by_scan_code_even_when_the_text_changed() -> None:
    held = HeldInput()
    held.press_key(A)
    assert held.release_key(SHIFT_A)
    assert not held.release_key(A)  # already let go: nothing more to forward


def test_a_key_without_scan_code_is_known_by_its_qt_key() -> None:
    held = HeldInput()
    held.press_key(NO_SCAN)
    assert held.release_key(NO_SCAN)


def test_a_release_without_press_is_not_forwarded() -> None:
    held = HeldInput()
    assert not held.release_key(A)
    assert not held.release_button("left")


def test_buttons_track_a_drag() -> None:
    held = HeldInput()
    assert not held.any_button
    held.press_button("left")
    assert held.any_button
    assert held.release_button("left")
    assert not held.any_button


def test_take_all_returns_everything_once() -> None:
    held = HeldInput()
    held.press_key(A)
    held.press_key(NO_SCAN)
    held.press_button("right")
    held.press_button("left")
    held.last_pos = (12, 34)
    keys, buttons = held.take_all()
    assert keys == [A, NO_SCAN]
    assert buttons == ["left", "right"]
    assert held.take_all() == ([], [])
    assert held.last_pos == (12, 34)  # where synthetic button releases land
