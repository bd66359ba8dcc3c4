"""Agent translations: English source strings, German (and later more) from ``agent/i18n/*.qm``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from desktop.qt.i18n import load_translators

QM_DIR = Path(__file__).resolve().parent.parent / "i18n"
PREFIX = "fernhilfe_agent"


def install_translator(app: QCoreApplication, locale: QLocale | None = None) -> QTranslator | None:
    """Install the agent's translation for ``locale`` (default ``QLocale.system()``) on ``app``.

    Call before creating any agent window. Calling again swaps the language for windows created
    afterwards. Returns the installed translator, or ``None`` for English / unknown languages.
    """
    return load_translators(app, QM_DIR, PREFIX, locale)
