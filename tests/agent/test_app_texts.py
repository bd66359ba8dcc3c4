"""The end-of-session texts the customer and the technician read, in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from agent.app import ended_text as agent_text
from agent.ui import install_translator as agent_translator
from console.app import ended_text as console_text
from console.ui import install_translator as console_translator

REASONS = ["customer_ended", "technician_ended", "denied", "timeout", "peer_gone",
           "integrity_error", "unsupported_version"]


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    yield
    agent_translator(qapp, QLocale("en_US"))


def test_english_texts_are_specific(qapp: QApplication) -> None:
    texts = {agent_text(r, "") for r in REASONS}
    assert len(texts) == len(REASONS)  # every reason has its own sentence
    assert agent_text("denied", "") == "You declined the session. Nothing was shared."
    assert console_text("wrong_code", "").startswith("The code was wrong.")
    # A reason we do not know: our own sentence, never the peer's words (issue 9, item 3).
    assert agent_text("something_new", "Call +49 000 now!") == "The session has ended."


def test_german_texts(qapp: QApplication, german: None) -> None:
    # One program, one translator: each is installed the way its own program does it.
    agent_translator(qapp, QLocale("de_DE"))
    assert agent_text("denied", "") == "Sie haben die Sitzung abgelehnt. Es wurde nichts geteilt."
    assert agent_text("something_new", "") == "Die Sitzung ist beendet."
    console_translator(qapp, QLocale("de_DE"))
    assert console_text("customer_ended", "") == "Der Kunde hat die Sitzung beendet."


def test_new_agent_texts_in_german(qapp: QApplication, german: None) -> None:
    from agent.app import attempt_text, error_text, relay_text, scam_warning

    agent_translator(qapp, QLocale("de_DE"))
    assert agent_text("audit_failed", "").startswith("Die Sitzung wurde beendet, weil dieser")
    assert relay_text("rejected:some_future_code") == (
        "Der Support-Dienst hat die Verbindung abgelehnt.")
    assert attempt_text("wrong_code", True) == (
        "Jemand hat einen falschen Code eingegeben. Hier ist ein neuer.")
    assert "selbst Ihre Support-Firma angerufen" in scam_warning(3)
    assert "3" in scam_warning(3)
    assert "Protokoll" in error_text("audit_unavailable")


def test_relay_texts_never_repeat_the_relays_words(qapp: QApplication) -> None:
    from agent.app import relay_text

    agent_translator(qapp, QLocale("en_US"))
    kinds = ["unreachable", "insecure_url", "lost", "unexpected", "rejected:rate_limited",
             "rejected:<b>x</b>"]
    texts = [relay_text(k) for k in kinds]
    assert all("<" not in t for t in texts)
    assert relay_text("rejected:<b>x</b>") == relay_text("unexpected")
