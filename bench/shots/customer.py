"""Screenshots of the customer's windows in every state, in one language.

``shoot(out_dir, lang)`` puts the real widgets (code window, consent dialog, session view) into
each state through their public slots, with the real translated texts of agent/app.py, and saves
``customer-<state>-<lang>.png``. No network: the states are what the worker's signals would
cause. Needs an X display (Xvfb is fine).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QWidget

from agent.app import attempt_text, ended_text, relay_text
from agent.ui import Branding, CodeWindow, ConsentDialog, install_translator

BRANDING = Branding(organisation="Muster IT GmbH", support_phone="030 1234567")
#: A fixed start time, so the screenshots do not change from run to run.
STARTED = datetime(2026, 11, 30, 14, 5)


class _FixedClock:
    def __call__(self) -> float:
        return 1000.0


def _save(widget: QWidget, out_dir: Path, state: str, lang: str, prefix: str = "customer"
          ) -> Path:
    widget.show()
    widget.adjustSize()
    for _ in range(5):
        QCoreApplication.processEvents()
    path = out_dir / f"{prefix}-{state}-{lang}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def shoot(out_dir: Path, lang: str) -> list[Path]:
    """Save one PNG per customer state in ``lang`` ("de" or "en") under ``out_dir``."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_translator(app, QLocale(lang))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    win = CodeWindow(BRANDING, clock=_FixedClock())
    states: list[tuple[str, Callable[[], None]]] = [
        ("connecting", win.show_connecting),
        ("code", lambda: win.show_code("123456789", 600)),
        ("relay-unreachable",
         lambda: win.show_relay_unreachable(relay_text("unreachable", BRANDING), 10)),
        ("code-entered", win.show_code_used),
        ("waiting-for-answer", win.show_waiting_for_consent),
        ("session-view-only",
         lambda: win.show_session("Anna Schmidt", frozenset({"view"}), STARTED, True)),
        ("session-view-and-control",
         lambda: win.show_session("Anna Schmidt", frozenset({"view", "control"}), STARTED,
                                  True)),
        ("ended-after-session",
         lambda: win.show_session_ended(ended_text("customer_ended", ""), began=True)),
        ("ended-declined",
         lambda: win.show_session_ended(ended_text("denied", ""), began=False)),
        ("failed-attempt",
         lambda: win.show_failed_attempt(attempt_text("wrong_code", False), automatic=False)),
    ]
    try:
        for state, enter in states:
            enter()
            saved.append(_save(win, out_dir, state, lang))
        dialog = ConsentDialog("Anna Schmidt", "Muster IT GmbH", "4821", branding=BRANDING,
                               clock=_FixedClock())
        try:
            saved.append(_save(dialog, out_dir, "consent", lang))
        finally:
            dialog.reject()
    finally:
        win.hide()
        win.deleteLater()
        install_translator(app, QLocale("en_US"))
    return saved
