"""A visible focus ring on every button (issue 11 item 6), seen in the buttons' own pixels.

Real widgets on the test's Xvfb: a plain button, the consent dialog's Deny and Allow and the code
window's Copy (which has colours of its own), grabbed with ``QWidget.grab`` while they have the
keyboard focus and while they do not. Also the screenshot runner ``python -m bench.shots``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QVBoxLayout, QWidget

from agent.ui import CodeWindow, ConsentDialog
from desktop.qt.style import RING_COLOUR, RING_WIDTH, FocusRingStyle, install_focus_ring


@pytest.fixture
def ring(qapp: QApplication) -> Iterator[FocusRingStyle]:
    """The focus-ring style on the test's application, the previous style restored after."""
    before = qapp.style().name()
    style = install_focus_ring(qapp)
    yield style
    qapp.setStyle(before)


def edge_share(image: QImage, colour: QColor = RING_COLOUR) -> float:
    """Share of the pixels of the outer ``RING_WIDTH`` px band that have exactly ``colour``."""
    w, h = image.width(), image.height()
    band = [(x, y) for y in range(h) for x in range(w)
            if min(x, y, w - 1 - x, h - 1 - y) < RING_WIDTH]
    hits = sum(image.pixelColor(x, y).rgb() == colour.rgb() for x, y in band)
    return hits / len(band)


def focus(qtbot, window: QWidget, button: QAbstractButton) -> None:
    """Give ``button`` the keyboard focus for real: the window must be the active one."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus, timeout=2000)


def test_install_is_idempotent_and_keeps_the_base_style(qapp) -> None:
    before = qapp.style().name()
    ring = install_focus_ring(qapp)
    try:
        assert qapp.style() is ring
        assert install_focus_ring(qapp) is ring
        assert ring.baseStyle().name() == before  # Fusion (or the platform's) stays the look
    finally:
        qapp.setStyle(before)


def test_focused_plain_button_has_the_ring_and_others_not(qtbot, ring) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    first, second = QPushButton("First"), QPushButton("Second")
    box = QVBoxLayout(window)
    box.addWidget(first)
    box.addWidget(second)
    focus(qtbot, window, first)
    geometry = first.geometry(), second.geometry()
    assert edge_share(first.grab().toImage()) > 0.95
    assert edge_share(second.grab().toImage()) == 0.0

    qtbot.keyClick(window, Qt.Key.Key_Tab)  # the keyboard moves the ring along
    qtbot.waitUntil(second.hasFocus, timeout=2000)
    assert edge_share(second.grab().toImage()) > 0.95
    assert edge_share(first.grab().toImage()) == 0.0
    assert (first.geometry(), second.geometry()) == geometry  # focus never moves the layout


def test_consent_buttons_show_the_ring_where_the_keyboard_is(qtbot, ring) -> None:
    dialog = ConsentDialog("Erika Mustermann", "Muster IT", "4711")
    qtbot.addWidget(dialog)
    focus(qtbot, dialog, dialog.deny_button)  # Deny has the focus when the dialog opens
    assert edge_share(dialog.deny_button.grab().toImage()) > 0.95
    assert edge_share(dialog.allow_button.grab().toImage()) == 0.0
    focus(qtbot, dialog, dialog.allow_button)
    assert edge_share(dialog.allow_button.grab().toImage()) > 0.95  # on the accent colour too
    assert edge_share(dialog.deny_button.grab().toImage()) == 0.0
    focus(qtbot, dialog, dialog.control_box)  # the permission check boxes get it too
    assert edge_share(dialog.control_box.grab().toImage()) > 0.95
    assert edge_share(dialog.allow_button.grab().toImage()) == 0.0
    dialog.done(0)


def test_copy_button_with_its_own_colours_shows_the_ring(qtbot, ring) -> None:
    window = CodeWindow()
    qtbot.addWidget(window)
    window.show_code("123456789", 600)
    copy = window.findChild(QAbstractButton, "copy")
    assert copy is not None
    focus(qtbot, window, copy)
    assert edge_share(copy.grab().toImage()) > 0.95


def test_without_the_style_there_is_no_ring(qtbot, qapp) -> None:
    """The check itself is sound: Qt's own style draws no such ring (today's look)."""
    assert not isinstance(qapp.style(), FocusRingStyle)
    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("Only")
    QVBoxLayout(window).addWidget(button)
    focus(qtbot, window, button)
    assert edge_share(button.grab().toImage()) < 0.5


def test_screenshot_runner_writes_both_languages_and_an_index(tmp_path: Path, ring,
                                                              qapp) -> None:
    from bench.shots.__main__ import discover, run

    shooters = discover(["focus"])
    locale_before = QLocale().name()
    images, failures = run(tmp_path, ["de", "en"], shooters)
    assert failures == []
    names = sorted(p.name for p in images)
    assert names == ["focus-consent-de.png", "focus-consent-en.png",
                     "focus-copy-de.png", "focus-copy-en.png"]
    for image in images:
        assert not QImage(str(image)).isNull()
    german, english = QImage(str(tmp_path / "focus-consent-de.png")), QImage(
        str(tmp_path / "focus-consent-en.png"))
    assert german != english  # the German one was made with the German texts
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "## focus" in index and "| consent |" in index and "focus-copy-de.png" in index
    assert QLocale().name() == locale_before  # the runner put the default locale back
