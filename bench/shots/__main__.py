"""``python -m bench.shots [--out docs/screens] [--lang de en] [--only focus ...]``.

Imports every module of :mod:`bench.shots` that has ``shoot(out_dir, lang)``, runs each once per
language with the agent's and the console's translators for that language installed (English is
the source language: no translator), and writes ``README.md`` in ``out_dir`` listing the images
by area and state. Without ``DISPLAY`` it starts an Xvfb of its own (depth 24) and stops it after.
A module that fails is reported and skipped; the others still run (exit code 1 at the end).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

import agent.ui.i18n as agent_i18n
import bench.shots as package
import console.ui.i18n as console_i18n
from bench.support.xvfb import XvfbDisplay
from desktop.qt.style import install_focus_ring

DEFAULT_OUT = Path("docs/screens")
DEFAULT_LANGS = ("de", "en")
#: (folder, prefix) of every program's translations; the screenshots show both programs.
CATALOGUES = (
    (agent_i18n.QM_DIR, agent_i18n.PREFIX),
    (console_i18n.QM_DIR, console_i18n.PREFIX),
)
_INSTALLED_ATTR = "_fernhilfe_shots_translators"

Shooter = Callable[[Path, str], list[Path]]
log = logging.getLogger("bench.shots")


def discover(only: Iterable[str] = ()) -> dict[str, Shooter]:
    """The ``shoot`` function of every module in this package (or of those named in ``only``)."""
    wanted = set(only)
    found: dict[str, Shooter] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or (wanted and info.name not in wanted):
            continue
        module: ModuleType = importlib.import_module(f"{package.__name__}.{info.name}")
        shoot = getattr(module, "shoot", None)
        if callable(shoot):
            found[info.name] = shoot
    missing = wanted - set(found)
    if missing:
        raise SystemExit(f"bench.shots: no module with shoot(): {', '.join(sorted(missing))}")
    return found


def install_language(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install the agent's, the console's and Qt's own translation for ``lang`` at once.

    :func:`desktop.qt.i18n.load_translators` keeps one program's catalogue at a time; screenshots
    of both programs in one process need both, so this keeps its own list (replaced per call).
    """
    for old in getattr(app, _INSTALLED_ATTR, []):
        QCoreApplication.removeTranslator(old)
    installed: list[QTranslator] = []
    locale = QLocale(lang)
    if locale.language() != QLocale.Language.English:
        for qm_dir, prefix in CATALOGUES:
            translator = QTranslator(app)
            if translator.load(locale, prefix, "_", str(qm_dir)):
                installed.append(translator)
        qt_base = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_base.load(locale, "qtbase", "_", qt_dir):
            installed.append(qt_base)
        if not installed:
            log.warning("no translation for %s: the screenshots show English", lang)
    for translator in installed:
        QCoreApplication.installTranslator(translator)
    QLocale.setDefault(locale)
    setattr(app, _INSTALLED_ATTR, installed)
    return installed


def run(out_dir: Path, langs: Sequence[str], shooters: dict[str, Shooter]
        ) -> tuple[list[Path], list[str]]:
    """Run every shooter in every language; returns the images and the failures (as text)."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_focus_ring(app)  # as the programs look (desktop.qt.app.run_program)
    out_dir.mkdir(parents=True, exist_ok=True)
    images: list[Path] = []
    failures: list[str] = []
    previous_locale = QLocale()
    try:
        for lang in langs:
            install_language(app, lang)
            for name, shoot in shooters.items():
                try:
                    images += [Path(p) for p in shoot(out_dir, lang)]
                except Exception as exc:  # one broken area must not lose the others' images
                    log.exception("bench.shots: %s (%s) failed", name, lang)
                    failures.append(f"{name} ({lang}): {type(exc).__name__}: {exc}")
                _hide_windows(app)
    finally:
        install_language(app, "en")
        QLocale.setDefault(previous_locale)
    write_index(out_dir, images)
    return images, failures


def _hide_windows(app: QApplication) -> None:
    """Hide what a module left open, so that it never shows in the next module's pictures.

    Hidden, not closed: closing a window may ask a question first (a session in progress).
    """
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.hide()
    app.processEvents()


def write_index(out_dir: Path, images: Iterable[Path]) -> Path:
    """``README.md`` in ``out_dir``: one table per area, a row per state, a column per language.

    Names follow ``<area>-<state>-<lang>.png``; the area is before the first dash, the language
    after the last one.
    """
    table: dict[str, dict[str, dict[str, str]]] = {}
    langs: list[str] = []
    for image in sorted({Path(p) for p in images}):
        stem = image.stem
        area, _, rest = stem.partition("-")
        state, _, lang = rest.rpartition("-")
        if not state:
            state, lang = rest, ""
        if lang not in langs:
            langs.append(lang)
        rel = os.path.relpath(image, out_dir)
        table.setdefault(area, {}).setdefault(state, {})[lang] = rel
    lines = ["# Screenshots", "",
             "Made by `python -m bench.shots` from the real windows, one file per state and "
             "language (`<area>-<state>-<lang>.png`). Do not edit: run it again.", ""]
    for area in sorted(table):
        lines += [f"## {area}", "", "| state | " + " | ".join(langs) + " |",
                  "|---|" + "---|" * len(langs)]
        for state in sorted(table[area]):
            files = table[area][state]
            cells = [_thumbnail(files[lang], f"{area} {state} {lang}") if lang in files else "–"
                     for lang in langs]
            lines.append(f"| {state} | " + " | ".join(cells) + " |")
        lines.append("")
    index = out_dir / "README.md"
    index.write_text("\n".join(lines), encoding="utf-8")
    return index


def _thumbnail(rel: str, alt: str) -> str:
    return f'<a href="{rel}"><img src="{rel}" width="320" alt="{alt}"></a>'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.shots", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the images")
    parser.add_argument("--lang", nargs="+", default=list(DEFAULT_LANGS), help="languages")
    parser.add_argument("--only", nargs="+", default=[], help="module names, e.g. focus")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    shooters = discover(args.only)
    display: XvfbDisplay | None = None
    if not os.environ.get("DISPLAY"):
        display = XvfbDisplay(width=1280, height=800).start()
        os.environ["DISPLAY"] = display.name
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    try:
        images, failures = run(args.out, args.lang, shooters)
    finally:
        if display is not None:
            display.stop()
    print(f"bench.shots: {len(images)} images from {len(shooters)} modules in {args.out}")
    for failure in failures:
        print(f"bench.shots: FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
