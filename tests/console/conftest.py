"""Console test fixtures: a real relay on loopback and the real console app under Xvfb."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from bench.hostile_agent import start_relay
from console.app import ConsoleApp


@pytest.fixture
def relay_url() -> Iterator[str]:
    """``python -m relay`` on 127.0.0.1 with its default limits, stopped after the test."""
    proc: subprocess.Popen[str]
    proc, url = start_relay()
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def console(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            relay_url: str) -> Iterator[ConsoleApp]:
    """The technician's real console (connect window, worker), its records in ``tmp_path``."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "console-data"))
    app = ConsoleApp(relay_url)
    qtbot.addWidget(app.connect_window)
    try:
        yield app
    finally:
        app.worker.stop()
        if app.session_window is not None:
            app.session_window.close()
        app.connect_window.close()
        QApplication.processEvents()
