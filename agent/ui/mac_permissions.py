"""What macOS must allow before Fernhilfe can show or control this computer, said plainly.

:class:`MacPermissionNotice` is a box for the code window, the consent dialog and the session
panel: for each permission macOS has not given (a :class:`~agent.platform.readiness.Readiness`)
one sentence with the way there in macOS's own words ("System Settings → Privacy & Security →
Screen Recording") and two buttons, Open settings and Ask macOS (the system's own dialog); after
the customer asked for Screen Recording, a note that macOS may need Fernhilfe started again, with
a button where that is safe (outside a session). It shows state and emits intents; on Linux and
Windows the probes say "allowed" and the box stays hidden.

:class:`PermissionWatch` asks the probes off the GUI thread (a probe may take a moment while
macOS consults its privacy database) and reports each answer as a queued signal; while polling
it asks every :data:`~agent.platform.readiness.POLL_INTERVAL` seconds.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from agent.platform import macos
from agent.platform.readiness import POLL_INTERVAL, Probes, Readiness

__all__ = ["MacPermissionNotice", "PermissionWatch", "current_probes"]

log = logging.getLogger(__name__)


def current_probes() -> Probes:
    """Ask the OS now, without showing any dialog (elsewhere than macOS: all allowed)."""
    return Probes(screen_recording=macos.screen_recording_allowed(),
                  accessibility=macos.accessibility_allowed(prompt=False))


class PermissionWatch(QObject):
    """Runs ``probe`` on a short-lived thread and emits ``answered(Probes)`` in the GUI thread.

    :meth:`check_now` asks once; :meth:`set_polling` asks every ``interval`` seconds until
    switched off. One probe at a time: a check asked for while one runs is skipped.
    """

    answered = Signal(object)  # Probes

    def __init__(self, probe: Callable[[], Probes], interval: float = POLL_INTERVAL,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.probe = probe
        self._busy = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(int(interval * 1000))
        self._timer.timeout.connect(self.check_now)

    @property
    def polling(self) -> bool:
        return self._timer.isActive()

    def set_polling(self, on: bool) -> None:
        """Ask every ``interval`` while ``on``; never where the answer cannot change: off macOS
        the real probes always say allowed, and a thread every 2 s for the whole session
        would be work for nothing."""
        on = on and (self.probe is not current_probes or sys.platform == "darwin")
        if on and not self._timer.isActive():
            self._timer.start()
        elif not on and self._timer.isActive():
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def check_now(self) -> None:
        if not self._busy.acquire(blocking=False):
            return  # the last probe still runs: its answer is as new as this one would be
        probe = self.probe
        threading.Thread(target=self._run, args=(probe,), name="os-permissions",
                         daemon=True).start()

    def _run(self, probe: Callable[[], Probes]) -> None:
        try:
            answer = probe()
        except Exception:  # a probe must never take the agent down: say "missing", log why
            log.exception("asking the OS for its privacy permissions failed")
            answer = Probes(screen_recording=False, accessibility=False)
        finally:
            self._busy.release()
        # queued: the receiver lives in the GUI thread; RuntimeError: the watch was deleted
        # meanwhile (the agent is quitting)
        with contextlib.suppress(RuntimeError):
            self.answered.emit(answer)


class _PaneRow(QWidget):
    """One missing permission: the sentence, Open settings, Ask macOS."""

    def __init__(self, pane: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pane = pane
        self.label = QLabel()
        self.label.setObjectName("macPermissionText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton()
        self.open_button.setObjectName("macOpenSettings")
        self.ask_button = QPushButton()
        self.ask_button.setObjectName("macAsk")
        for button in (self.open_button, self.ask_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.ask_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addLayout(buttons)


class MacPermissionNotice(QFrame):
    """What macOS has not allowed yet and how to allow it; hidden while nothing is missing.

    ``in_session``: the words of a running session (the picture or control waits and goes on
    by itself); ``restart_offered``: a Restart Fernhilfe button where quitting loses nothing
    (never during a session). Signals: ``open_settings_requested(pane)``,
    ``ask_requested(pane)``, ``restart_requested()``.
    """

    open_settings_requested = Signal(str)
    ask_requested = Signal(str)
    restart_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, in_session: bool = False,
                 restart_offered: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("macPermissions")
        self._in_session = in_session
        self._restart_offered = restart_offered
        self._readiness = Readiness()
        self.rows = {pane: _PaneRow(pane) for pane in (macos.SCREEN_RECORDING,
                                                       macos.ACCESSIBILITY)}
        self.restart_note = QLabel()
        self.restart_note.setObjectName("macRestartNote")
        self.restart_note.setWordWrap(True)
        self.restart_note.setTextFormat(Qt.TextFormat.PlainText)
        self.restart_button = QPushButton()
        self.restart_button.setObjectName("macRestart")
        self.restart_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.restart_button.clicked.connect(self.restart_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        for pane, row in self.rows.items():
            row.open_button.clicked.connect(
                lambda _=False, p=pane: self.open_settings_requested.emit(p))
            row.ask_button.clicked.connect(lambda _=False, p=pane: self.ask_requested.emit(p))
            layout.addWidget(row)
        restart_row = QHBoxLayout()
        restart_row.addWidget(self.restart_note, 1)
        restart_row.addWidget(self.restart_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(restart_row)
        self.setStyleSheet(
            """
            QFrame#macPermissions { background: #fff8c5; border: 1px solid #d4a72c;
                                    border-radius: 6px; }
            QLabel { color: #1f2328; font-size: 10pt; }
            QPushButton { font-size: 10pt; padding: 3px 10px; }
            QPushButton:focus { border: 3px solid #0969da; }
            """
        )
        self.setVisible(False)
        self._retranslate()

    @Slot(object)
    def show_readiness(self, readiness: Readiness) -> None:
        """Show what ``readiness`` says is missing (hidden when nothing is)."""
        self._readiness = readiness
        self._retranslate()
        self.setVisible(not readiness.ready)

    @property
    def readiness(self) -> Readiness:
        return self._readiness

    def text(self) -> str:
        """Every sentence shown now (for tests and screen readers)."""
        parts = [row.label.text() for row in self.rows.values() if not row.isHidden()]
        if not self.restart_note.isHidden():
            parts.append(self.restart_note.text())
        return "\n".join(parts)

    def _retranslate(self) -> None:
        screen = self.rows[macos.SCREEN_RECORDING]
        control = self.rows[macos.ACCESSIBILITY]
        if self._in_session:
            screen.label.setText(self.tr(
                "Your screen is not shown yet: macOS does not allow Fernhilfe to record it. "
                "Switch Fernhilfe on in System Settings → Privacy & Security → Screen "
                "Recording. Your screen is shown as soon as macOS allows it."))
            control.label.setText(self.tr(
                "Your technician cannot control this computer yet: macOS does not allow it. "
                "Switch Fernhilfe on in System Settings → Privacy & Security → Accessibility. "
                "Control starts as soon as macOS allows it."))
            self.restart_note.setText(self.tr(
                "Still not shown after you allowed it? macOS may only notice once Fernhilfe "
                "is started again: end the session, start Fernhilfe again and give your "
                "technician the new code."))
        else:
            screen.label.setText(self.tr(
                "To show your screen, macOS must allow Fernhilfe to record it: System "
                "Settings → Privacy & Security → Screen Recording."))
            control.label.setText(self.tr(
                "To let your technician control your mouse and keyboard, macOS must allow "
                "Fernhilfe to control this computer: System Settings → Privacy & Security → "
                "Accessibility."))
            self.restart_note.setText(self.tr(
                "Already allowed? macOS may only notice once Fernhilfe is started again."))
        for row in self.rows.values():
            row.open_button.setText(self.tr("Open settings"))
            row.ask_button.setText(self.tr("Ask macOS"))
        screen.open_button.setAccessibleDescription(self.tr(
            "Opens System Settings at Privacy & Security → Screen Recording."))
        control.open_button.setAccessibleDescription(self.tr(
            "Opens System Settings at Privacy & Security → Accessibility."))
        for row in self.rows.values():
            row.ask_button.setAccessibleDescription(self.tr(
                "macOS asks you in its own window."))
            for button in (row.open_button, row.ask_button):
                button.setAccessibleName(button.text())
            row.label.setAccessibleName(row.label.text())
        self.restart_button.setText(self.tr("Restart Fernhilfe"))
        self.restart_button.setAccessibleName(self.restart_button.text())
        self.restart_button.setAccessibleDescription(self.tr(
            "Closes Fernhilfe and starts it again. You get a new code."))
        missing = {item.pane for item in self._readiness.missing}
        for pane, row in self.rows.items():
            row.setVisible(pane in missing)
        restart = self._readiness.restart_may_help
        self.restart_note.setVisible(restart)
        self.restart_button.setVisible(restart and self._restart_offered)
        self.setAccessibleName(self.text())
