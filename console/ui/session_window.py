"""The technician's session window: verification number, then the remote screen, then the end."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.ui.remote_view import RemoteView
from console.ui.view_geometry import ACTUAL, FIT
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import centred_label, digits_font

#: (label, quality) — quality 0 = lossless only; JPEG quality for changing photo-like areas.
QUALITY_PRESETS: tuple[tuple[str, int], ...] = (
    ("Sharp text", 0),
    ("Balanced", 75),
    ("Fast", 40),
)
DEFAULT_QUALITY = 75
#: (label, bytes per second) — 0 = unlimited.
BANDWIDTH_PRESETS: tuple[tuple[str, int], ...] = (
    ("Unlimited", 0),
    ("10 Mbit/s", 10_000_000 // 8),
    ("2 Mbit/s", 2_000_000 // 8),
    ("512 kbit/s", 512_000 // 8),
)


def format_rate(bytes_per_s: float) -> str:
    """``1536000`` → ``"1.5 MB/s"`` (decimal units, like network tools show)."""
    value = float(bytes_per_s)
    for unit in ("B/s", "kB/s", "MB/s"):
        if value < 1000 or unit == "MB/s":
            return f"{value:.0f} {unit}" if unit == "B/s" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} MB/s"  # pragma: no cover


class SessionWindow(QMainWindow):
    """One session with one customer.

    Slots: :meth:`show_verification`, :meth:`show_streaming`, :meth:`show_ended`,
    :meth:`set_permissions`, :meth:`set_stats`. The remote screen is :attr:`view` (a RemoteView).
    Signals: ``end_requested()`` (toolbar End session, or the window closed while the session
    runs — emitted once), ``special_keys_requested(str)`` (``'ctrl_alt_del'``),
    ``closed()`` (the window was closed, in any state),
    ``stream_settings_requested(quality: int, max_bytes_per_s: int)`` (the technician picked
    another picture quality or bandwidth cap; quality 0 = lossless only, rate 0 = unlimited).
    """

    end_requested = Signal()
    stream_settings_requested = Signal(int, int)
    special_keys_requested = Signal(str)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fernhilfe – Session"))
        self.resize(1100, 720)
        self._state = "verifying"
        self._permissions: frozenset[str] = frozenset()
        self._end_emitted = False

        self.view = RemoteView()

        self._info_title = centred_label("infoTitle")
        self._info_number = centred_label("infoNumber", wrap=False)
        self._info_number.setFont(digits_font(self.font(), 4, bold=True, letter_spacing=8.0))
        self._info_text = centred_label("infoText")
        self._close_button = QPushButton(self.tr("Close"))
        self._close_button.clicked.connect(self.close)
        info = QWidget()
        info.setObjectName("info")
        box = QVBoxLayout(info)
        box.addStretch(1)
        box.addWidget(self._info_title)
        box.addWidget(self._info_number)
        box.addWidget(self._info_text)
        box.addWidget(self._close_button, 0, Qt.AlignmentFlag.AlignCenter)
        box.addStretch(2)
        info.setStyleSheet(
            "QLabel#infoTitle { font-size: 14pt; } QLabel#infoText { font-size: 12pt;"
            " color: #57606a; } QLabel#infoNumber { color: #111; }"
        )

        self._stack = QStackedWidget()
        self._stack.addWidget(info)
        self._stack.addWidget(self.view)
        self.setCentralWidget(self._stack)

        toolbar = QToolBar(self.tr("Session"))
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        self.end_action = QAction(self.tr("End session"), self)
        self.end_action.triggered.connect(self._request_end)
        self.actual_size_action = QAction(self.tr("Actual size (1:1)"), self)
        self.actual_size_action.setCheckable(True)
        self.actual_size_action.setToolTip(self.tr("Switch between fit to window and 1:1"))
        self.actual_size_action.toggled.connect(
            lambda on: self.view.set_scale_mode(ACTUAL if on else FIT)
        )
        self.ctrl_alt_del_action = QAction(self.tr("Send Ctrl+Alt+Del"), self)
        self.ctrl_alt_del_action.triggered.connect(
            lambda: self.special_keys_requested.emit("ctrl_alt_del")
        )
        for action in (self.end_action, self.actual_size_action, self.ctrl_alt_del_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        quality_names = {"Sharp text": self.tr("Sharp text"), "Balanced": self.tr("Balanced"),
                         "Fast": self.tr("Fast")}
        self.quality_box = QComboBox()
        self.quality_box.setToolTip(self.tr(
            "Picture quality: sharp text sends only exact pixels; fast sends moving pictures "
            "coarser. Resting areas always become exact."))
        for label, quality in QUALITY_PRESETS:
            self.quality_box.addItem(quality_names[label], quality)
        self.quality_box.setCurrentIndex(self.quality_box.findData(DEFAULT_QUALITY))
        self.bandwidth_box = QComboBox()
        self.bandwidth_box.setToolTip(self.tr("Most bandwidth the customer's screen may use"))
        for label, rate in BANDWIDTH_PRESETS:
            self.bandwidth_box.addItem(self.tr("Unlimited") if rate == 0 else label, rate)
        self.quality_box.activated.connect(self._emit_stream_settings)
        self.bandwidth_box.activated.connect(self._emit_stream_settings)
        toolbar.addWidget(self.quality_box)
        toolbar.addWidget(self.bandwidth_box)

        self._conn_label = QLabel()
        self._perm_label = QLabel()
        self._stats_label = QLabel()
        for status in (self._conn_label, self._perm_label, self._stats_label):
            status.setContentsMargins(6, 0, 10, 0)
        for status in (self._conn_label, self._perm_label):
            self.statusBar().addWidget(status)
        self.statusBar().addPermanentWidget(self._stats_label)
        force_plain_text(self)  # end messages may come from outside: never rich text

        self.show_verification("")

    # ----------------------------------------------------------------- slots

    @Slot(str)
    def show_verification(self, number: str) -> None:
        """Keys agreed: tell the technician to read ``number`` out and wait for consent."""
        self._state = "verifying"
        self._info_title.setText(self.tr("Read this number to the customer:"))
        self._info_number.setText(number)
        self._info_number.setVisible(bool(number))
        self._info_text.setText(self.tr("Waiting for the customer to allow…"))
        self._close_button.setVisible(False)
        self._conn_label.setText(self.tr("Waiting for consent"))
        self._stack.setCurrentIndex(0)
        self._update_actions()

    @Slot()
    def show_streaming(self) -> None:
        """Consent given: show the remote screen and give it keyboard focus."""
        self._state = "streaming"
        self._conn_label.setText(self.tr("Connected"))
        self._stack.setCurrentIndex(1)
        self._update_actions()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def show_ended(self, message: str) -> None:
        """The session is over; ``message`` (from the integrator, translated) says why."""
        self._state = "ended"
        self._info_title.setText(self.tr("The session has ended."))
        self._info_number.setVisible(False)
        self._info_text.setText(message)
        self._close_button.setVisible(True)
        self._conn_label.setText(self.tr("Disconnected"))
        self._stack.setCurrentIndex(0)
        self._update_actions()

    @Slot(object)
    def set_permissions(self, permissions: frozenset[str]) -> None:
        """What the customer granted right now (``{'view'}`` or ``{'view', 'control'}``)."""
        self._permissions = frozenset(permissions)
        if "control" in self._permissions:
            self._perm_label.setText(self.tr("View and control"))
        elif "view" in self._permissions:
            self._perm_label.setText(self.tr("View only"))
        else:
            self._perm_label.setText("")
        self._update_actions()

    @Slot(float, float, float)
    def set_stats(self, fps: float, rtt_ms: float, bytes_per_s: float) -> None:
        """Frame rate, round trip and incoming bandwidth for the status bar."""
        self._stats_label.setText(
            self.tr("{fps:.0f} fps · {rtt:.0f} ms · {rate}").format(
                fps=fps, rtt=rtt_ms, rate=format_rate(bytes_per_s)
            )
        )

    # ----------------------------------------------------------------- queries (tests)

    @property
    def state(self) -> str:
        """``'verifying'``, ``'streaming'`` or ``'ended'``."""
        return self._state

    def info_texts(self) -> tuple[str, str, str]:
        """Title, number and text of the info page."""
        number = self._info_number.text() if self._info_number.isVisibleTo(self) else ""
        return self._info_title.text(), number, self._info_text.text()

    def status_texts(self) -> tuple[str, str, str]:
        """Connection, permissions and stats texts of the status bar."""
        return self._conn_label.text(), self._perm_label.text(), self._stats_label.text()

    # ----------------------------------------------------------------- internals

    def _update_actions(self) -> None:
        streaming = self._state == "streaming"
        control = streaming and "control" in self._permissions
        self.end_action.setEnabled(self._state != "ended")
        self.ctrl_alt_del_action.setEnabled(control)
        self.actual_size_action.setEnabled(streaming)
        self.quality_box.setEnabled(streaming)
        self.bandwidth_box.setEnabled(streaming)
        self.view.set_control_enabled(control)

    def stream_settings(self) -> tuple[int, int]:
        """The chosen (quality, max_bytes_per_s)."""
        return int(self.quality_box.currentData()), int(self.bandwidth_box.currentData())

    def _emit_stream_settings(self, _index: int = 0) -> None:
        if self._state == "streaming":
            self.stream_settings_requested.emit(*self.stream_settings())

    def _request_end(self) -> None:
        if self._state != "ended" and not self._end_emitted:
            self._end_emitted = True
            self.end_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window while the session runs ends it."""
        self._request_end()
        self.closed.emit()
        event.accept()
