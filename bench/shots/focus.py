"""Screenshots of the focus ring (issue 11 item 6) on the customer's two most important buttons.

``focus-consent-<lang>.png``: the consent dialog as it opens, Deny focused (Enter denies);
``focus-copy-<lang>.png``: the code window with the keyboard on Copy (a button with its own
colours). Real widgets, put into their state through public slots; no network.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from agent.ui import CodeWindow, ConsentDialog

#: How long to wait for the window manager (or bare X) to give a window the keyboard.
FOCUS_WAIT_S = 3.0


def focus_and_grab(window: QWidget, button: QAbstractButton, path: Path) -> Path:
    """Show ``window``, give ``button`` the keyboard focus, save the window's pixels to ``path``.

    The ring is drawn only while the button really has focus, which needs an active window.
    """
    window.show()
    window.raise_()
    window.activateWindow()
    deadline = time.monotonic() + FOCUS_WAIT_S
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if window.isActiveWindow():
            break
        time.sleep(0.02)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(5):
        QApplication.processEvents()
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def shoot(out_dir: Path, lang: str) -> list[Path]:
    """Save the focused-button screenshots for ``lang`` (translators already installed)."""
    paths: list[Path] = []
    consent = ConsentDialog("Erika Mustermann", "Muster IT", "4711")
    try:
        paths.append(focus_and_grab(consent, consent.deny_button,
                                    out_dir / f"focus-consent-{lang}.png"))
    finally:
        consent.done(0)  # nobody listens: deny and close
        consent.deleteLater()
    code = CodeWindow()
    try:
        code.show_code("123456789", 600)
        copy = code.findChild(QAbstractButton, "copy")
        assert copy is not None, "the code window has no Copy button"
        paths.append(focus_and_grab(code, copy, out_dir / f"focus-copy-{lang}.png"))
    finally:
        code.hide()
        code.deleteLater()
    return paths
