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
        "Der Verbindungsdienst hat die Verbindung nicht angenommen. Wenn das wieder passiert, "
        "rufen Sie bitte Ihren IT-Dienstleister an.")
    assert attempt_text("wrong_code", True) == (
        "Der eingegebene Code passte nicht. Hier ist ein neuer Code.")
    assert "Ihren IT-Dienstleister selbst angerufen" in scam_warning(3)
    assert "3" in scam_warning(3)
    assert "Sitzungsprotokolle" in error_text("audit_unavailable")
    assert agent_text("timeout", "").startswith("Sie haben nicht innerhalb von 2 Minuten")


GLOSSARY_NOT = ("Support-Dienst", "Support-Firma", "Support-Techniker", "Fernwartungssitzung",
                "Anbieter", "Bestätigungsnummer", "sieht zu", "Relay", "Server", "Errno")


def test_german_agent_texts_follow_the_glossary(qapp: QApplication, german: None) -> None:
    """Every customer text of agent/app.py in German: the glossary's words, no English."""
    from agent.app import attempt_text, error_text, relay_text, scam_warning
    from agent.ui import Branding

    agent_translator(qapp, QLocale("de_DE"))
    branded = Branding(organisation="Acme IT", support_phone="030 1234")
    kinds = ["unreachable", "insecure_url", "lost", "unexpected", "rejected:rate_limited",
             "rejected:too_many_connections", "rejected:shutting_down",
             "rejected:bad_request"]
    texts = [agent_text(r, "") for r in [*REASONS, "error", "audit_failed",
                                          "peer_audit_failed", "peer_timeout", "x"]]
    texts += [relay_text(k) for k in kinds] + [relay_text(k, branded) for k in kinds]
    texts += [attempt_text(r, a) for r in ("wrong_code", "peer_timeout", "x")
              for a in (True, False)]
    texts += [scam_warning(3), error_text("audit_unavailable"), error_text("error", branded)]
    for text in texts:
        assert not any(word in text for word in GLOSSARY_NOT), text
        assert not any(word in text for word in (" the ", "The ", "Please", "your ")), text
    assert "Acme IT unter 030 1234" in relay_text("unreachable", branded)
    assert "Ihren IT-Dienstleister an" in relay_text("unreachable")


def test_relay_texts_never_repeat_the_relays_words(qapp: QApplication) -> None:
    from agent.app import relay_text

    agent_translator(qapp, QLocale("en_US"))
    kinds = ["unreachable", "insecure_url", "lost", "unexpected", "rejected:rate_limited",
             "rejected:<b>x</b>"]
    texts = [relay_text(k) for k in kinds]
    assert all("<" not in t for t in texts)
    assert relay_text("rejected:<b>x</b>") == relay_text("unexpected")
