"""bench/shots/console.py still drives every console state the docs show (issue 11)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from bench.shots.console import shoot
from console.ui import install_translator


def test_shots_of_every_state_in_both_languages(qapp: QApplication, tmp_path: Path) -> None:
    try:
        shots = shoot(tmp_path, "de") + shoot(tmp_path, "en")
    finally:
        install_translator(qapp, QLocale("en_US"))
    names = sorted(p.name for p in shots)
    states = ["connect", "connect-error", "waiting", "session-control", "session-view-only",
              "ended"]
    assert names == sorted(f"console-{s}-{lang}.png" for s in states for lang in ("de", "en"))
    for path in shots:
        image = QImage(str(path))
        assert image.width() > 300 and image.height() > 150, path
