"""The link the customer's computer measured (issue 16) in the technician's status bar, next
to the picture statistics; gone while the link is interrupted."""

from __future__ import annotations

from console.ui import SessionWindow
from console.ui.session_window import format_bits


def window(qtbot) -> SessionWindow:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.set_permissions(frozenset({"view", "control"}))
    win.show_streaming()
    return win


def test_the_measured_link_is_shown_beside_the_statistics(qtbot, english) -> None:
    win = window(qtbot)
    win.set_stats(24.6, 41.0, 1_536_000)
    win.set_link_estimate(487_500, 46, 41, 5)
    assert win.link_estimate_text() == "Link 3.9 Mbit/s · 46 ms"
    assert win.status_texts()[2] == "25 fps · 41 ms · 1.5 MB/s"
    tip = win._link_label.toolTip()
    assert "3.9 Mbit/s" in tip and "46 ms" in tip and "41 ms" in tip and "5 ms" in tip
    win.set_link("interrupted", 60.0)
    assert win.link_estimate_text() == ""  # measured before the link went quiet
    win.set_link_estimate(487_500, 46, 41, 5)  # a late one must not bring it back
    assert win.link_estimate_text() == ""
    win.set_link("live", 0.0)
    win.set_link_estimate(62_500, 20, 18, 0)
    assert win.link_estimate_text() == "Link 500 kbit/s · 20 ms"


def test_german(qtbot, german) -> None:
    win = window(qtbot)
    win.set_link_estimate(2_000_000, 21, 20, 1)
    assert win.link_estimate_text() == "Verbindung 16,0 Mbit/s · 21 ms"
    assert win._link_label.toolTip().startswith("Gemessen vom Computer des Kunden: 16,0 Mbit/s")
    assert win._link_label.accessibleName() == "Gemessene Verbindung"


def test_format_bits() -> None:
    assert format_bits(0) == "0 kbit/s"
    assert format_bits(124_999) == "1000 kbit/s"
    assert format_bits(125_000) == "1.0 Mbit/s"
    assert format_bits(6_250_000, ",") == "50,0 Mbit/s"
