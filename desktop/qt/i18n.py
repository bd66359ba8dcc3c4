"""Qt translator loading for the agent and console UIs (Qt-only, so it lives here, not shared/).

Source strings are English; a ``<prefix>_<lang>.qm`` beside the package's ``.ts`` adds a language.
Install the translator *before* building widgets: the widgets translate their texts when created.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_INSTALLED_ATTR = "_fernhilfe_translators"


def load_translators(
    app: QCoreApplication, qm_dir: Path, prefix: str, locale: QLocale | None = None
) -> QTranslator | None:
    """Replace earlier Fernhilfe translators on ``app`` with ones for ``locale``.

    Returns the application's own translator, or ``None`` when the locale needs none (English) or
    no ``.qm`` matches. Qt's own ``qtbase`` translation is loaded too, for built-in dialog texts.
    """
    if locale is None:
        locale = QLocale.system()
    previous: list[QTranslator] = getattr(app, _INSTALLED_ATTR, [])
    for translator in previous:
        QCoreApplication.removeTranslator(translator)
    installed: list[QTranslator] = []
    own: QTranslator | None = QTranslator(app)
    assert own is not None
    if own.load(locale, prefix, "_", str(qm_dir)):
        QCoreApplication.installTranslator(own)
        installed.append(own)
        qt_base = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_base.load(locale, "qtbase", "_", qt_dir):
            QCoreApplication.installTranslator(qt_base)
            installed.append(qt_base)
    else:
        own = None
    setattr(app, _INSTALLED_ATTR, installed)
    return own
