"""desktop.qt.sizes: the one size formatter of the file list, the transfers and the record."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from agent.ui import install_translator as agent_translator
from console.ui import install_translator as console_translator
from desktop.qt.sizes import size_text


@pytest.fixture
def app() -> Iterator[QApplication]:
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication([])
    yield qapp
    agent_translator(qapp, QLocale("en"))  # the next test is English again


@pytest.mark.parametrize(("size", "text"), [
    (None, "size unknown"), (-5, "0 bytes"), (0, "0 bytes"), (999, "999 bytes"),
    (1000, "1.0 kB"), (1500, "1.5 kB"), (999_949, "999.9 kB"),
    (999_950, "1.0 MB"),  # rounds up into the next unit, never "1000.0 kB"
    (1_536_000, "1.5 MB"), (4 * 1024 ** 3, "4.3 GB"), (2 * 10 ** 15, "2000.0 TB")])
def test_sizes_as_people_read_them(app: QApplication, size: int | None, text: str) -> None:
    agent_translator(app, QLocale("en"))
    assert size_text(size) == text


def test_exact_adds_the_bytes(app: QApplication) -> None:
    agent_translator(app, QLocale("en"))
    assert size_text(1_536_000, exact=True) == "1.5 MB (1536000 bytes)"
    assert size_text(12, exact=True) == "12 bytes"


@pytest.mark.parametrize("install", [agent_translator, console_translator])
def test_both_programs_say_it_in_german(app: QApplication,
                                        install: Callable[[QApplication, QLocale], object]) -> None:
    install(app, QLocale("de"))
    assert size_text(1_536_000) == "1,5 MB"
    assert size_text(1_536_000, exact=True) == "1,5 MB (1536000 Byte)"
    assert size_text(7) == "7 Byte"
    assert size_text(None) == "Größe unbekannt"
