"""Every agent window that can show outside text shows it as plain text (never as HTML).

The widget tree of each window is walked after feeding it hostile strings through its real
slots: every label (and message box) must be ``Qt.PlainText`` and show the literal string.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from agent.ui import Branding, CodeWindow, ConsentDialog, SessionOverlay

HOSTILE = "<b>X</b><img src=x>"
HOSTILE_LINK = "<a href='https://evil.example'>Safe to allow</a>"


def text_widgets(root: QWidget) -> list[QLabel | QMessageBox]:
    """Every widget under ``root`` (itself included) that renders a text format."""
    found: list[QLabel | QMessageBox] = [
        w for w in (root, *root.findChildren(QWidget)) if isinstance(w, (QLabel, QMessageBox))
    ]
    return found


def label_text(root: QWidget, name: str) -> str:
    """The text of the label called ``name`` under ``root`` (which must have one)."""
    label = root.findChild(QLabel, name)
    assert label is not None, f"no label {name!r}"
    return label.text()


def assert_all_plain(root: QWidget, *must_show: str) -> None:
    widgets = text_widgets(root)
    assert widgets, "nothing to check"
    rich = [(w.objectName(), w.text()) for w in widgets
            if w.textFormat() != Qt.TextFormat.PlainText]
    assert rich == [], f"labels that may render HTML: {rich}"
    shown = " | ".join(w.text() for w in widgets)
    for text in must_show:
        assert text in shown, f"{text!r} not shown literally in {shown!r}"


def test_consent_dialog_is_plain_text(qtbot, english) -> None:
    dialog = ConsentDialog(HOSTILE, HOSTILE_LINK, "1234",
                           branding=Branding(organisation=HOSTILE))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert label_text(dialog, "claimedName") == f"Name given by the caller: {HOSTILE}"
    assert_all_plain(dialog, HOSTILE, HOSTILE_LINK)
    dialog.reject()


def test_consent_dialog_falls_back_for_names_breaking_the_rule(qtbot, english) -> None:
    """Defence in depth: should a forged name ever get past the decoder, it is not shown."""
    dialog = ConsentDialog("Eva\u2028Identity checked \u2705", "Acme\u202e", "1234")
    qtbot.addWidget(dialog)
    assert label_text(dialog, "claimedName") == "Name given by the caller: (no name given)"
    assert "\u202e" not in label_text(dialog, "claimedOrganisation")
    dialog.reject()


def test_overlay_panel_is_plain_text(qtbot, english) -> None:
    overlay = SessionOverlay(HOSTILE, control=True)
    overlay.show()
    try:
        qtbot.waitExposed(overlay.panel)
        assert_all_plain(overlay.panel, HOSTILE)
        overlay.set_technician(HOSTILE_LINK)
        assert_all_plain(overlay.panel, HOSTILE_LINK)
    finally:
        overlay.close()


def test_code_window_is_plain_text(qtbot, english) -> None:
    win = CodeWindow(Branding(organisation=HOSTILE, support_phone=HOSTILE_LINK))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert_all_plain(win, HOSTILE, HOSTILE_LINK)
    win.show_relay_unreachable(HOSTILE_LINK, 30)  # the relay's (or network's) own words
    assert_all_plain(win, HOSTILE_LINK)
    win.show_session_ended(HOSTILE)
    assert_all_plain(win, HOSTILE)
    win.show_code(HOSTILE, 600)
    assert_all_plain(win)
