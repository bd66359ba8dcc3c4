"""Console test fixtures: the real console app under Xvfb (the relay is tests/conftest.py's) and
the console's own translations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from console.app import ConsoleApp
from console.ui import install_translator


@pytest.fixture
def console(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            relay_url: str) -> Iterator[ConsoleApp]:
    """The technician's real console (connect window, worker), its records in ``tmp_path``."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "console-data"))
    app = ConsoleApp(relay_url, str(tmp_path / "console.ini"))  # never the user's settings
    qtbot.addWidget(app.connect_window)
    try:
        yield app
    finally:
        app.worker.stop()
        if app.session_window is not None:
            app.session_window.close()
        app.connect_window.close()
        QApplication.processEvents()


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """The console in English (the source language)."""
    install_translator(qapp, QLocale("en_US"))
    yield


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    """The console in German; English again afterwards for the tests that follow."""
    install_translator(qapp, QLocale("de_DE"))
    yield
    install_translator(qapp, QLocale("en_US"))
