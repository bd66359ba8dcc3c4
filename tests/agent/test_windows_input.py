"""The Windows injector's Ctrl+Alt+Del, with pynput injecting for real into a private Xvfb.

On Windows pynput injects with SendInput; here its X backend (XTEST) stands in, which is the
same pynput code path above the OS call. What this proves on any platform: the chord is
answered by SendSAS's stand-in (the real one needs Windows), the Delete press is never
injected, Ctrl and Alt are, and every key is up again afterwards (the X server's own key map
says so)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from Xlib import XK
from Xlib import display as xdisplay

from agent.platform.windows import SasOutcome
from agent.platform.windows_input import SasKeys, WindowsInjector
from bench.support.xvfb import XvfbDisplay


@pytest.fixture
def private_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[XvfbDisplay]:
    with XvfbDisplay(width=640, height=480) as disp:
        monkeypatch.setenv("DISPLAY", disp.name)
        yield disp


def keys_down(disp: XvfbDisplay, names: list[str]) -> dict[str, bool]:
    conn = xdisplay.Display(disp.name)
    try:
        keymap = conn.query_keymap()
        out = {}
        for name in names:
            code = conn.keysym_to_keycode(XK.string_to_keysym(name))
            out[name] = bool(keymap[code // 8] & (1 << (code % 8)))
        return out
    finally:
        conn.close()


def test_ctrl_alt_del_goes_to_sendsas_and_delete_is_never_pressed(private_display):
    answered: list[SasOutcome] = []
    sent: list[int] = []

    def send() -> SasOutcome:
        sent.append(1)
        return SasOutcome.NOT_ALLOWED

    injector = WindowsInjector(SasKeys(send, answered.append))
    try:
        injector.key("ControlLeft", "", True)
        injector.key("AltLeft", "", True)
        injector.key("Delete", "", True)
        down = keys_down(private_display, ["Control_L", "Alt_L", "Delete"])
        assert down == {"Control_L": True, "Alt_L": True, "Delete": False}
        assert sent == [1] and answered == [SasOutcome.NOT_ALLOWED]
        injector.key("Delete", "", False)
        injector.key("AltLeft", "", False)
        injector.key("ControlLeft", "", False)
        assert not any(keys_down(private_display, ["Control_L", "Alt_L", "Delete"]).values())
        # Delete alone is an ordinary key
        injector.key("Delete", "", True)
        assert keys_down(private_display, ["Delete"]) == {"Delete": True}
        assert sent == [1]
    finally:
        injector.close()  # releases what is held
    assert not any(keys_down(private_display, ["Control_L", "Alt_L", "Delete"]).values())
