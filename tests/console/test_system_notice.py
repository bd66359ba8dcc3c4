"""The technician hears what the customer's OS blocks (issue 18): a SystemNotice code becomes
plain words above the picture, its ``_ok`` code takes them back, and while macOS holds the
picture back the pause banner says so, not "Paused by the customer". English and German."""

from __future__ import annotations

from console.ui import SessionWindow
from shared import messages as m
from tests.console.test_pause_banner import streaming  # noqa: F401  (the fixture)

# ruff: noqa: F811  (each test takes the imported fixture by name)

ELEVATED = ("The window in front on the customer's computer runs as administrator: your input "
            "does not reach it. The customer can restart Fernhilfe as administrator.")
SAS = "Windows did not allow Ctrl+Alt+Del; ask the customer to press it."


def test_elevated_window_is_told_and_taken_back(qtbot, streaming: SessionWindow, english
                                                ) -> None:
    bar = streaming.system_notice
    assert bar.notice_text() == ""
    streaming.show_system_notice("foreground_elevated")
    assert bar.notice_text() == ELEVATED
    assert bar.isVisible()
    streaming.show_system_notice("foreground_ok")
    assert bar.notice_text() == ""
    assert not bar.isVisible()


def test_notices_add_up_and_hide_keeps_what_still_holds(qtbot, streaming: SessionWindow,
                                                        english) -> None:
    bar = streaming.system_notice
    streaming.show_system_notice("foreground_elevated")
    streaming.show_system_notice("ctrl_alt_del_refused")
    assert bar.notice_text() == ELEVATED + "\n" + SAS
    bar.button.click()  # Hide: the one-off goes, the lasting one comes back with a change
    assert bar.notice_text() == ""
    streaming.show_system_notice("accessibility_missing")
    assert bar.notice_text().startswith("The customer's Mac does not yet allow Accessibility")
    assert bar.notice_text().endswith(ELEVATED)


def test_every_known_code_has_words_and_unknown_ones_change_nothing(
        qtbot, streaming: SessionWindow, english) -> None:
    bar = streaming.system_notice
    for code in m.NOTICE_CODES - set(m.NOTICE_CLEARS):
        assert bar.words(code), code
    streaming.show_system_notice("firewall_blocks")
    streaming.show_system_notice("screen_recording_ok")  # nothing to take back
    assert bar.notice_text() == ""


def test_macos_holds_the_picture_and_the_banner_says_so(qtbot, streaming: SessionWindow,
                                                       english) -> None:
    """The agent says why first, then pauses with reason "customer" (agent/worker.py)."""
    streaming.show_system_notice("screen_recording_missing")
    streaming.set_paused(True, "customer")
    banner = streaming.pause_banner.text()
    assert banner.startswith("Paused by macOS: the customer's Mac does not yet allow Screen "
                             "Recording.")
    assert "Paused by the customer" not in banner
    assert streaming.system_notice.notice_text().startswith(
        "The customer's Mac does not yet allow Screen Recording")
    streaming.show_system_notice("screen_recording_ok")  # the customer allowed it
    assert streaming.pause_banner.text().startswith("Paused by the customer.")  # still paused
    streaming.set_paused(False, "customer")
    assert streaming.pause_banner.text() == ""
    assert streaming.system_notice.notice_text() == ""


def test_the_order_does_not_matter_for_the_banner(qtbot, streaming: SessionWindow,
                                                  english) -> None:
    streaming.set_paused(True, "customer")
    assert streaming.pause_banner.text().startswith("Paused by the customer.")
    streaming.show_system_notice("screen_recording_missing")
    assert streaming.pause_banner.text().startswith("Paused by macOS")


def test_missing_accessibility_is_not_called_the_customers_stop(
        qtbot, streaming: SessionWindow, english) -> None:
    streaming.show_system_notice("accessibility_missing")
    streaming.set_permissions(frozenset({"view"}))  # the agent holds control back
    assert "The customer stopped control" not in streaming._notice_text.text()
    assert streaming.system_notice.notice_text().startswith(
        "The customer's Mac does not yet allow Accessibility")


def test_the_end_clears_every_notice(qtbot, streaming: SessionWindow, english) -> None:
    streaming.show_system_notice("foreground_elevated")
    streaming.show_ended("The customer ended the session.")
    assert streaming.system_notice.notice_text() == ""
    streaming.show_system_notice("foreground_elevated")  # late: the session is over
    assert streaming.system_notice.notice_text() == ""


def test_german(qtbot, streaming: SessionWindow, german) -> None:
    streaming.show_system_notice("foreground_elevated")
    streaming.show_system_notice("ctrl_alt_del_refused")
    assert streaming.system_notice.notice_text() == (
        "Das Fenster im Vordergrund auf dem Computer des Kunden läuft als Administrator: Ihre "
        "Eingaben kommen dort nicht an. Der Kunde kann Fernhilfe als Administrator neu "
        "starten.\nWindows hat Strg+Alt+Entf nicht zugelassen; bitten Sie den Kunden, die "
        "Tasten selbst zu drücken.")
    streaming.show_system_notice("screen_recording_missing")
    streaming.set_paused(True, "customer")
    assert streaming.pause_banner.text().startswith(
        "Von macOS angehalten: Der Mac des Kunden erlaubt die Bildschirmaufnahme noch nicht.")
    streaming.show_system_notice("accessibility_missing")
    assert "Bedienungshilfen" in streaming.system_notice.notice_text()
