"""Screenshots of the customer's session panel: view only, view and control, frame + panel.

Real widgets through their public slots, no network: :class:`agent.ui.SessionOverlay` with the
real hotkey (so the keys are written under the buttons, as in a session) when an X display is
there. Run under Xvfb (depth 24), e.g. ``xvfb-run -s '-screen 0 1280x800x24' python -c
'from bench.shots.panel import shoot; ...'``.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from agent.hotkey import create_hotkey
from agent.ui import SessionOverlay, install_translator

AREA = "panel"


def _settle(app: QApplication, seconds: float = 0.4) -> None:
    """Let Qt map and paint the windows before they are photographed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _desktop() -> QWidget:
    """A plain stand-in for the customer's desktop behind the frame."""
    backdrop = QLabel()
    backdrop.setWindowFlags(Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.X11BypassWindowManagerHint)
    backdrop.setStyleSheet("background: #dfe6ee;")
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        backdrop.setGeometry(screen.geometry())
    return backdrop


def shoot(out_dir: Path, lang: str) -> list[Path]:
    """Save ``panel-view``, ``panel-control`` and ``panel-screen`` for ``lang`` ("de"/"en")."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([])
    install_translator(app, QLocale("de_DE" if lang == "de" else "en_US"))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    backdrop = _desktop()
    backdrop.show()
    overlay = SessionOverlay("Anna Schmidt", control=False, hotkey=create_hotkey())
    try:
        overlay.show()
        _settle(app)
        for state, control in (("view", False), ("control", True)):
            overlay.set_control(control)
            _settle(app, 0.2)
            path = out_dir / f"{AREA}-{state}-{lang}.png"
            overlay.panel.grab().save(str(path))
            saved.append(path)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            path = out_dir / f"{AREA}-screen-{lang}.png"
            screen.grabWindow(0).save(str(path))
            saved.append(path)
    finally:
        overlay.close()
        backdrop.close()
        install_translator(app, QLocale("en_US"))
    return saved
