"""The words both sides read when the customer restarts Fernhilfe as administrator (English
and German), from the programs' real translations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

import console.ui
from agent.app import ended_text as agent_ended
from agent.app import restart_text
from agent.platform.elevation import RESTART_REASON
from agent.platform.windows import RestartOutcome
from console.app import ended_text as console_ended


@pytest.fixture
def console_german(qapp: QApplication) -> Iterator[None]:
    console.ui.install_translator(qapp, QLocale("de_DE"))
    yield
    console.ui.install_translator(qapp, QLocale("en_US"))


def test_english(english) -> None:
    assert agent_ended(RESTART_REASON, "") == (
        "Fernhilfe is restarting with administrator rights. Windows asks for your permission.")
    assert "did not give Fernhilfe administrator rights" in restart_text(
        RestartOutcome.CANCELLED)
    assert "could not be restarted" in restart_text(RestartOutcome.FAILED)


def test_german(german) -> None:
    assert agent_ended(RESTART_REASON, "") == (
        "Fernhilfe startet mit Administratorrechten neu. Windows fragt Sie um Erlaubnis.")
    assert restart_text(RestartOutcome.CANCELLED).startswith(
        "Windows hat Fernhilfe keine Administratorrechte gegeben.")


def test_the_technician_reads_why_in_both_languages(qapp, console_german) -> None:
    assert console_ended(RESTART_REASON, "") == (
        "Der Kunde startet Fernhilfe mit Administratorrechten neu; verbinden Sie sich mit dem "
        "neuen Code erneut.")
    console.ui.install_translator(qapp, QLocale("en_US"))
    assert console_ended(RESTART_REASON, "") == (
        "The customer is restarting Fernhilfe with administrator rights; connect again with "
        "the new code.")
