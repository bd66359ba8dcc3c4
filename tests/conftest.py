"""Test-wide setup: every test process gets its own real X display (Xvfb, depth 24).

Qt widgets (pytest-qt), mss capture and XTest injection in unit tests all use it. End-to-end tests
start further displays of their own for the customer and the technician.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from bench.support.relay import start_relay
from bench.support.xvfb import XvfbDisplay

_display: XvfbDisplay | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _display
    _display = XvfbDisplay(width=1280, height=800).start()
    os.environ["DISPLAY"] = _display.name
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.setdefault("LANG", "C.UTF-8")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _display is not None:
        _display.stop()


@pytest.fixture(scope="session")
def x_display() -> XvfbDisplay:
    """The real X display this test process runs on."""
    assert _display is not None
    return _display


@pytest.fixture
def relay_url() -> Iterator[str]:
    """A real relay (``python -m relay``) on 127.0.0.1 with its default limits, for one test."""
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
