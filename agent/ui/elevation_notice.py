"""Windows: tell the customer when Windows keeps the technician out of the window in front.

Windows does not let a program without administrator rights control a window that runs with
them (Task Manager, an installer). Without a word the technician would click into the void.
:class:`ElevationNotice` says so in the session view and offers "Restart as administrator…";
:class:`ConfirmRestart` first says what happens (the session ends, Windows asks for permission,
a new code is shown that the customer reads out again). :class:`ElevationMonitor` samples the
desktop a few times a second and lets :class:`agent.platform.elevation.ElevationWatcher` decide
when the notice comes and goes; it is started only on Windows (the app decides).
:class:`SasNotice` is the line that asks the customer to press Ctrl+Alt+Del herself when
Windows does not let Fernhilfe send it.

Widgets show state and emit intents; restarting is the app's job.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from agent.platform.elevation import Change, ElevationWatcher, Sample
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import NoticeBar, tab_only

# How often the desktop is sampled (each sample is a few cheap Win32 calls).
SAMPLE_INTERVAL_MS = 250


class ElevationNotice(NoticeBar):
    """"The window in front runs as administrator…" with Restart as administrator… / Not now.

    Signals: ``restart_requested()`` (the customer wants to restart; the app confirms first),
    ``dismissed()`` (Not now: not again while this window stays in front)."""

    restart_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "elevationNotice", self.tr("Restart as administrator…"),
            self.tr("Ends the session and starts Fernhilfe again with administrator rights. "
                    "Windows asks for your permission first."),
            parent)
        self.button.clicked.connect(self.restart_requested)
        self.later = tab_only(QPushButton(self.tr("Not now")))
        self.later.setObjectName("elevationNoticeLater")
        self.later.setAccessibleName(self.later.text())
        self.later.clicked.connect(self.clear)
        self.later.clicked.connect(self.dismissed)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.later)
        force_plain_text(self)

    def show_notice(self) -> None:
        self.show_text(self.tr(
            "The window in front runs as administrator. Windows does not let your technician "
            "control it while Fernhilfe runs without administrator rights."))


class ConfirmRestart(QMessageBox):
    """What restarting means, before Windows' own prompt. Opened with :meth:`open` (never
    blocks); ``restart_confirmed()`` means: restart."""

    restart_confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmRestart")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("Restart as administrator"))
        self.setText(self.tr("Restart Fernhilfe with administrator rights?"))
        self.setInformativeText(self.tr(
            "The session with your technician ends now. Windows then asks for your permission. "
            "Fernhilfe starts again and shows a new code: please read it out to your "
            "technician again."))
        self.restart_button = self.addButton(self.tr("Restart as administrator"),
                                             QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(self.tr("Cancel"),
                                            QMessageBox.ButtonRole.RejectRole)
        self.buttonClicked.connect(self._clicked)
        self.setDefaultButton(self.cancel_button)  # Enter does not end the session
        self.setEscapeButton(self.cancel_button)
        force_plain_text(self)

    def _clicked(self, button: object) -> None:
        if button is self.restart_button:
            self.restart_confirmed.emit()


class SasNotice(NoticeBar):
    """Ctrl+Alt+Del could not be sent: the customer is asked to press it herself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("sasNotice", self.tr("OK"), self.tr("Hides this note."), parent)
        force_plain_text(self)

    def show_refused(self) -> None:
        self.show_text(self.tr(
            "Your technician sent Ctrl+Alt+Del. Windows does not allow Fernhilfe to send it on "
            "this computer: please press Ctrl+Alt+Del on your keyboard yourself."))


class ElevationMonitor(QObject):
    """Samples the desktop on a timer and shows or hides ``notice`` as the watcher says.

    ``agent_elevated()`` and ``foreground()`` (window, elevated?) are the probes
    (:mod:`agent.platform.windows` on Windows; tests give their own). The app tells it whether
    the technician may control (:meth:`set_control`) and stops it when the session ends.
    ``shown()`` is emitted when the notice appears (the app brings its window up)."""

    shown = Signal()
    #: what the technician is told (issue 18): the window in front runs as administrator (True)
    #: or no longer (False); a second watcher the customer's "Not now" does not silence
    technician = Signal(bool)

    def __init__(self, notice: ElevationNotice, agent_elevated: Callable[[], bool],
                 foreground: Callable[[], tuple[int | None, bool | None]],
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notice = notice
        self.watcher = ElevationWatcher()
        self._told = ElevationWatcher()
        self._agent_elevated = agent_elevated
        self._foreground = foreground
        self._clock = clock
        self._elevated: bool | None = None  # asked once: a process's token does not change
        self._control = False
        self.timer = QTimer(self)
        self.timer.setInterval(SAMPLE_INTERVAL_MS)
        self.timer.timeout.connect(self.sample)
        notice.dismissed.connect(self.watcher.dismiss)
        notice.restart_requested.connect(self.watcher.dismiss)

    def start(self) -> None:
        self.watcher.reset()
        self._told.reset()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watcher.reset()
        self._told.reset()
        self.notice.clear()

    def set_control(self, control: bool) -> None:
        self._control = control

    def sample(self) -> None:
        """One look (the timer's tick; tests call it)."""
        try:
            if self._elevated is None:
                self._elevated = bool(self._agent_elevated())
            window, elevated = self._foreground()
        except OSError:  # a failed lookup is "unknown", never a crash
            window, elevated = None, None
        sample = Sample(bool(self._elevated), window, elevated, self._control, self._clock())
        told = self._told.feed(sample)
        if told is not None:
            self.technician.emit(told is Change.SHOW)
        change = self.watcher.feed(sample)
        if change is Change.SHOW:
            self.notice.show_notice()
            self.shown.emit()
        elif change is Change.HIDE:
            self.notice.clear()


def windows_monitor(notice: ElevationNotice, parent: QObject | None = None) -> ElevationMonitor:
    """The monitor with Windows' own probes (only ever made on Windows)."""
    from agent.platform.windows import agent_is_elevated, foreground_is_elevated

    return ElevationMonitor(notice, agent_is_elevated, foreground_is_elevated, parent=parent)
