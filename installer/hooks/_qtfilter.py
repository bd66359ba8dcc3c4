"""Shared body of the PySide6 hook overrides in this folder.

PyInstaller's own PySide6 hooks collect every plugin of every type a Qt module may use (GTK
theme, Wayland, EGL, SQL, TLS, ...) and then also bundle everything those plugins link to.
These overrides run the stock logic and drop the plugins we do not ship *before* PyInstaller
analyses their dependencies, so e.g. libgtk/cairo never enter the bundle.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import buildlib


def filtered_qt6_dependencies(hook_file: str) -> tuple[list, list, list]:
    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    binaries = [
        (src, dest) for src, dest in binaries
        if buildlib.keep_qt_plugin(f"{dest}/{Path(src).name}".replace("\\", "/"))
    ]
    hiddenimports = [m for m in hiddenimports if m not in buildlib.QT_EXCLUDES]
    return hiddenimports, binaries, datas
