"""Screenshots of the technician's console in each state (issue 11): the real widgets, put into
each state through their public slots, no network.

    python -m bench.shots.console docs/screens de en
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from console.app import ended_text, failure_text
from console.ui import ConnectWindow, SessionWindow, install_translator

AREA = "console"
#: The customer's screen in the session shots: a painted desktop with one document window.
SCREEN_SIZE = (1280, 800)


def customer_screen() -> QImage:
    """A plausible customer desktop (painted, so the shots need no capture)."""
    width, height = SCREEN_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f5d8a"))
    painter = QPainter(image)
    window = QRect(160, 90, 900, 580)
    painter.fillRect(window, QColor("#ffffff"))
    painter.fillRect(QRect(window.x(), window.y(), window.width(), 36), QColor("#dfe3e8"))
    painter.setPen(QColor("#1f2328"))
    painter.setFont(QFont("DejaVu Sans", 12))
    painter.drawText(QRect(window.x() + 14, window.y(), 600, 36),
                     Qt.AlignmentFlag.AlignVCenter, "Rechnung 2026-114.odt – LibreOffice")
    painter.setFont(QFont("DejaVu Sans", 11))
    lines = ["Sehr geehrte Damen und Herren,", "",
             "anbei erhalten Sie die Rechnung für November.",
             "Bitte überweisen Sie den Betrag bis zum 15. Dezember.", "",
             "Mit freundlichen Grüßen", "Müller & Söhne GmbH"]
    for i, line in enumerate(lines):
        painter.drawText(window.x() + 60, window.y() + 90 + i * 26, line)
    painter.fillRect(QRect(0, height - 40, width, 40), QColor("#1b2430"))
    painter.end()
    return image


def _save(widget: QWidget, path: Path) -> Path:
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not save {path}")
    return path


def shoot(out_dir: Path, lang: str) -> list[Path]:
    """Save a PNG of each console state in ``lang`` (``de`` or ``en``) to ``out_dir``."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_translator(app, QLocale("de_DE" if lang == "de" else "en_US"))
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def name(state: str) -> Path:
        return out_dir / f"{AREA}-{state}-{lang}.png"

    with tempfile.TemporaryDirectory() as tmp:
        ini = Path(tmp) / "console.ini"
        ini.write_text("[technician]\nname=Eva Technik\norganisation=Acme IT\n"
                       "[relay]\nurl=wss://relay.example.com/v1\n")
        connect = ConnectWindow(str(ini))
        connect.resize(520, connect.sizeHint().height())
        shots.append(_save(connect, name("connect")))
        connect.code_edit.setText("123 456 789")
        connect.show_error(failure_text("rejected:unknown_nameplate"))
        shots.append(_save(connect, name("connect-error")))
        connect.close()

    screen = customer_screen()

    def session(prepare: Callable[[SessionWindow], None], state: str) -> None:
        win = SessionWindow()
        win.resize(1100, 750)
        prepare(win)
        shots.append(_save(win, name(state)))
        win.close()

    def streaming(win: SessionWindow, permissions: frozenset[str]) -> None:
        win.show_verification("4821")
        win.set_permissions(permissions)
        win.show_streaming()
        win.view.update_image(screen, [])
        win.view.set_remote_cursor(620, 330, True, None, 0, 0)
        win.set_stats(24.0, 38.0, 1_536_000)

    full = frozenset({"view", "control"})
    session(lambda w: w.show_verification("4821", seconds_left=103.0), "waiting")
    session(lambda w: streaming(w, full), "session-control")

    def revoked(win: SessionWindow) -> None:
        streaming(win, full)
        win.set_permissions(frozenset({"view"}))

    session(revoked, "session-view-only")

    def ended(win: SessionWindow) -> None:
        streaming(win, full)
        win.show_ended(ended_text("customer_ended", ""))

    session(ended, "ended")
    return shots


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screens")
    for language in sys.argv[2:] or ["de", "en"]:
        for shot in shoot(target, language):
            print(shot)
