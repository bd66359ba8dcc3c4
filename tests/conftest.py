"""Test-wide setup: a real X display (Xvfb, depth 24) for the tests that need one, and no other.

Qt widgets (pytest-qt), mss capture and XTest injection in the agent, console, end-to-end and
installer tests use it; end-to-end tests start further displays of their own for the customer and
the technician. The pure core's tests (tests/shared) and the relay's (tests/relay) run without X:
the display starts only when the first test file of a folder in :data:`X_FOLDERS` is collected,
which is before that file is imported and before pytest-qt makes its QApplication.

``FERNHILFE_TESTS_WITHOUT_X=1`` makes any start of an X server an error: ``scripts/test`` runs
tests/shared that way (and with DISPLAY unset) to prove the core needs none.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.support.relay import start_relay, stop_process
from bench.support.xvfb import XvfbDisplay, XvfbError

TESTS = Path(__file__).resolve().parent
#: Folders of tests/ whose tests need the shared X display.
X_FOLDERS = frozenset({"agent", "console", "desktop", "e2e", "installer"})
WITHOUT_X = "FERNHILFE_TESTS_WITHOUT_X"

_display: XvfbDisplay | None = None


def _refuse_x(self: XvfbDisplay, timeout: float = 10.0) -> XvfbDisplay:
    """Stands in for XvfbDisplay.start in a run that must not start an X server."""
    raise XvfbError(f"{WITHOUT_X} is set: this run must not start an X server")


def ensure_display() -> XvfbDisplay:
    """Start the test process's display once and point DISPLAY (Qt, mss, XTest) at it."""
    global _display
    if _display is None:
        _display = XvfbDisplay(width=1280, height=800).start()
        os.environ["DISPLAY"] = _display.name
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    return _display


def needs_x(path: Path) -> bool:
    """Whether a file under tests/ belongs to a folder whose tests use the shared display."""
    try:
        rel = path.resolve().relative_to(TESTS)
    except ValueError:
        return False
    return len(rel.parts) > 1 and rel.parts[0] in X_FOLDERS


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("LANG", "C.UTF-8")
    if os.environ.get(WITHOUT_X):
        real_start = XvfbDisplay.start

        def restore() -> None:
            XvfbDisplay.start = real_start  # type: ignore[method-assign]

        config.add_cleanup(restore)
        XvfbDisplay.start = _refuse_x  # type: ignore[method-assign]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> None:
    if needs_x(file_path):
        ensure_display()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _display
    if _display is not None:
        _display.stop()
        _display = None


@pytest.fixture(scope="session")
def x_display() -> XvfbDisplay:
    """The real X display this test process runs on (started on first use if not yet)."""
    return ensure_display()


@pytest.fixture
def relay_url() -> Iterator[str]:
    """A real relay (``python -m relay``) on 127.0.0.1 with its default limits, for one test."""
    proc, url = start_relay()
    try:
        yield url
    finally:
        stop_process(proc)
