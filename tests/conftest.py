"""Test-wide setup: a real X display (Xvfb, depth 24) for the tests that need one, and no other.

Qt widgets (pytest-qt), mss capture and XTest injection in the agent, console, end-to-end and
installer tests use it; end-to-end tests start further displays of their own for the customer and
the technician. The pure core's tests (tests/shared) and the relay's (tests/relay) run without X:
the display starts only when the first test file of a folder in :data:`X_FOLDERS` is collected,
which is before that file is imported and before pytest-qt makes its QApplication.

``FERNHILFE_TESTS_WITHOUT_X=1`` makes any start of an X server an error: ``scripts/test`` runs
tests/shared that way (and with DISPLAY unset) to prove the core needs none.

On Windows and macOS (.github/workflows/platforms.yml) there is no Xvfb: the tests use the real
desktop, Qt its native platform plugin. Tests that need Debian's servers or POSIX process
signals are skipped there with the reason (:data:`LINUX_ONLY`); Linux CI (.ci/run) runs them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.support.relay import start_relay, stop_process
from bench.support.xvfb import XvfbDisplay, XvfbError

TESTS = Path(__file__).resolve().parent
#: Folders of tests/ whose tests need the shared X display.
X_FOLDERS = frozenset({"agent", "console", "desktop", "e2e", "installer", "platform"})
WITHOUT_X = "FERNHILFE_TESTS_WITHOUT_X"
#: An X server of our own only where the desktop is X11; Windows and macOS have their own.
USES_XVFB = sys.platform.startswith("linux")
#: Tests (paths under tests/) that only Linux can run, and why: skipped elsewhere.
LINUX_ONLY = {
    "relay/cluster": "runs Debian's Redis and HAProxy",
    "relay/test_behind_proxy.py": "runs Debian's Caddy and nginx",
    "relay/test_relay_kit.py": "checks the Debian deployment kit (nft, systemd units, venv paths)",
    "relay/test_process.py": "sends POSIX signals (SIGTERM drain) to the relay process",
}

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
    if not USES_XVFB:
        return False
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


def linux_only_reason(path: Path) -> str | None:
    """Why a test file cannot run off Linux (:data:`LINUX_ONLY`), or None."""
    try:
        rel = path.resolve().relative_to(TESTS).as_posix()
    except ValueError:
        return None
    for prefix, why in LINUX_ONLY.items():
        if rel == prefix or rel.startswith(prefix + "/"):
            return why
    return None


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Off Linux, the :data:`LINUX_ONLY` files are not even imported (their imports may be
    POSIX-only); the run's header lists each with its reason."""
    if sys.platform.startswith("linux") or linux_only_reason(collection_path) is None:
        return None
    return True


def pytest_report_header(config: pytest.Config) -> list[str]:
    if sys.platform.startswith("linux"):
        return []
    return [f"skipped on {sys.platform} (Linux only, .ci/run runs them): tests/{path}: {why}"
            for path, why in LINUX_ONLY.items()]


def pytest_unconfigure(config: pytest.Config) -> None:
    global _display
    if _display is not None:
        _display.stop()
        _display = None


@pytest.fixture(scope="session")
def x_display() -> XvfbDisplay:
    """The real X display this test process runs on (started on first use if not yet)."""
    if not USES_XVFB:
        pytest.skip(f"no X display on {sys.platform}: this test is about X11")
    return ensure_display()


@pytest.fixture
def relay_url() -> Iterator[str]:
    """A real relay (``python -m relay``) on 127.0.0.1 with its default limits, for one test."""
    proc, url = start_relay()
    try:
        yield url
    finally:
        stop_process(proc)
