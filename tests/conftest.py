"""Test-wide setup: every test process gets its own real X display (Xvfb, depth 24).

Qt widgets (pytest-qt), mss capture and XTest injection in unit tests all use it. End-to-end tests
start further displays of their own for the customer and the technician.
"""

from __future__ import annotations

import os

import pytest

from tests.support.xvfb import XvfbDisplay

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
