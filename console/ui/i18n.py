"""Console translations: English source strings, German from ``console/i18n/*.qm``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from desktop.qt.i18n import load_translators

QM_DIR = Path(__file__).resolve().parent.parent / "i18n"
PREFIX = "fernhilfe_console"


def install_translator(app: QCoreApplication, locale: QLocale | None = None) -> QTranslator | None:
    """Install the console's translation for ``locale`` (default ``QLocale.system()``) on ``app``.

    Call before creating console windows. Returns the translator, or ``None`` for English.
    """
    return load_translators(app, QM_DIR, PREFIX, locale)
