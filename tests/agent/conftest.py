"""Fixtures the agent's UI tests share: the program's own translations, and a clock by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from agent.ui import install_translator


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """The agent in English (the source language)."""
    install_translator(qapp, QLocale("en_US"))
    yield


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    """The agent in German; English again afterwards for the tests that follow."""
    install_translator(qapp, QLocale("de_DE"))
    yield
    install_translator(qapp, QLocale("en_US"))
