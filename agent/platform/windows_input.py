"""Windows input: pynput's injection, with Ctrl+Alt+Del sent the only way Windows takes it.

The console's "Send Ctrl+Alt+Del" arrives as three key presses (Ctrl, Alt, Delete). Windows
ignores that chord from SendInput: the secure attention sequence only comes from the keyboard
or ``SendSAS``. So when Delete is pressed while Ctrl and Alt are held, :class:`SasKeys` calls
``SendSAS`` where Windows allows it, and otherwise reports that it does not (the customer is
asked to press it), instead of silently doing nothing. The Delete press itself is not injected.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable, Hashable

from agent.input.pynput_backend import PynputInjector
from agent.platform.windows import SasOutcome, is_sas_chord, send_sas

log = logging.getLogger(__name__)


class SasKeys:
    """Spots the Ctrl+Alt+Del chord and answers it with ``send`` (pure but for ``send``).

    ``on_outcome(outcome)`` hears each attempt (the input thread calls it)."""

    def __init__(self, send: Callable[[], SasOutcome] = send_sas,
                 on_outcome: Callable[[SasOutcome], None] | None = None) -> None:
        self._send = send
        self.on_outcome = on_outcome

    def intercept(self, code: str, held: set[str]) -> bool:
        """True when pressing ``code`` is Ctrl+Alt+Del and was handled here (not injected)."""
        if not is_sas_chord(code, held):
            return False
        try:
            outcome = self._send()
        except OSError as exc:
            log.warning("Ctrl+Alt+Del could not be sent: %s", exc)
            outcome = SasOutcome.FAILED
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return True


class WindowsInjector(PynputInjector):
    """pynput's SendInput injection plus :class:`SasKeys` for Ctrl+Alt+Del."""

    def __init__(self, sas: SasKeys | None = None) -> None:
        super().__init__()
        self.sas = sas if sas is not None else SasKeys()

    def _press_code(self, code: str, text: str) -> Hashable | None:
        if self.sas.intercept(code, set(self.held.held_keys())):
            return None
        return super()._press_code(code, text)


def create_windows_injector(on_sas: Callable[[SasOutcome], None] | None = None
                            ) -> WindowsInjector:
    """The Windows injector, closed (everything released) when the agent exits, as
    :func:`agent.input.create_injector` does for the others."""
    injector = WindowsInjector(SasKeys(on_outcome=on_sas))
    atexit.register(injector.close)
    return injector
