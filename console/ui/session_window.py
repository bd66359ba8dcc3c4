"""The technician's session window: verification number, then the remote screen, then the end."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.ui.chat_panel import ChatPanel
from console.ui.monitor_picker import MonitorPicker
from console.ui.notes_panel import NotesPanel
from console.ui.pause_banner import PauseBanner
from console.ui.permissions import ASKABLE, AskDialog, askable_now, granted_text, permission_label
from console.ui.remote_view import RemoteView
from console.ui.show_tools import ShowTools
from console.ui.system_notice import SystemNoticeBar
from console.ui.transfers_panel import TransfersPanel
from console.ui.view_geometry import ACTUAL, FIT
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import centred_label, digits_font
from shared.session import CONSENT_TIMEOUT

#: How long the "the customer allowed control" notice stays (the "stopped control" one stays
#: as long as control is off: it is what explains why the mouse does nothing).
GRANTED_NOTICE_MS = 10_000

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


def format_rate(bytes_per_s: float, decimal_point: str = ".") -> str:
    """``1536000`` → ``"1.5 MB/s"`` (decimal units, like network tools show; German passes
    ``","`` for ``"1,5 MB/s"``)."""
    value = float(bytes_per_s)
    for unit in ("B/s", "kB/s", "MB/s"):
        if value < 1000 or unit == "MB/s":
            if unit == "B/s":
                return f"{value:.0f} {unit}"
            return f"{value:.1f} {unit}".replace(".", decimal_point)
        value /= 1000
    return f"{value:.1f} MB/s"  # pragma: no cover


def format_bits(bytes_per_s: float, decimal_point: str = ".") -> str:
    """``487500`` bytes/s → ``"3.9 Mbit/s"``: a line's speed the way its contract states it
    (decimal units; German passes ``","``)."""
    bits = float(bytes_per_s) * 8
    if bits < 1e6:
        return f"{bits / 1e3:.0f} kbit/s"
    return f"{bits / 1e6:.1f} Mbit/s".replace(".", decimal_point)


class SessionWindow(QMainWindow):
    """One session with one customer.

    Slots: :meth:`show_verification` (with the customer's time to answer counting down),
    :meth:`show_streaming`, :meth:`show_ended`, :meth:`set_permissions` (a change during the
    session shows a notice at once: the customer stopped / allowed control), :meth:`set_stats`,
    :meth:`set_link_estimate` (the link the agent measured, issue 16),
    :meth:`enable_records`. The remote screen is :attr:`view` (a RemoteView): it sends input only
    while control is granted.
    Signals: ``end_requested()`` (End session, or the window closed while the session
    runs — emitted once), ``special_keys_requested(str)`` (``'ctrl_alt_del'``),
    ``closed()`` (the window was closed, in any state),
    ``stream_settings_requested(quality: int, max_bytes_per_s: int)`` (the technician picked
    another picture quality or bandwidth cap; quality 0 = lossless only, rate 0 = unlimited),
    ``records_requested()`` (the "Session records…" menu entry; shown only after
    :meth:`enable_records`).
    """

    end_requested = Signal()
    stream_settings_requested = Signal(int, int)
    special_keys_requested = Signal(str)
    closed = Signal()
    records_requested = Signal()
    #: the technician picked another of the customer's monitors (1..n, 0 = all)
    monitor_requested = Signal(int)
    #: "Ask for more…": a frozenset of permission names to ask the customer for now
    ask_permissions_requested = Signal(object)
    #: files to send to the customer (paths; "Send file…" or dropped onto the screen)
    send_files_requested = Signal(list)
    #: Cancel on a transfer: direction ("to_customer"/"to_technician"), id
    cancel_transfer_requested = Signal(str, int)
    #: the technician's own notes for the session history: customer, note
    notes_changed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fernhilfe – Session"))
        self.resize(1100, 720)
        self._state = "verifying"
        self._permissions: frozenset[str] = frozenset()
        self._end_emitted = False
        self._streamed = False  # the customer allowed: a session took place
        self._deadline = 0.0  # monotonic time the customer's time to answer runs out
        self._link = "live"  # "interrupted" / "reconnecting" / "restarting": the link went quiet
        self._link_deadline = 0.0  # monotonic time the session ends if the link stays quiet
        self._link_timer = QTimer(self)
        self._link_timer.setInterval(250)
        self._link_timer.timeout.connect(self._show_link_notice)
        self._paused = False  # the customer's sharing is paused ("still sharing?")

        self.view = RemoteView()
        self.view.setAccessibleName(self.tr("Customer's screen"))

        self._info_title = centred_label("infoTitle")
        self._info_number = centred_label("infoNumber", wrap=False)
        self._info_number.setFont(digits_font(self.font(), 4, bold=True, letter_spacing=8.0))
        self._info_text = centred_label("infoText")
        self._countdown_label = centred_label("countdown")
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)  # the shown second flips on time
        self._countdown.timeout.connect(self._show_time_left)
        self._close_button = QPushButton(self.tr("Close"))
        self._close_button.clicked.connect(self.close)
        info = QWidget()
        info.setObjectName("info")
        box = QVBoxLayout(info)
        box.addStretch(1)
        box.addWidget(self._info_title)
        box.addWidget(self._info_number)
        box.addWidget(self._info_text)
        box.addWidget(self._countdown_label)
        box.addWidget(self._close_button, 0, Qt.AlignmentFlag.AlignCenter)
        box.addStretch(2)
        info.setStyleSheet(
            "QLabel#infoTitle { font-size: 14pt; } QLabel#infoText { font-size: 12pt;"
            " color: #57606a; } QLabel#countdown { font-size: 12pt; color: #57606a; }"
            " QLabel#infoNumber { color: #111; }"
        )

        self._stack = QStackedWidget()
        self._stack.addWidget(info)
        self._stack.addWidget(self.view)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._make_notice())
        # what the customer's OS blocks now (issue 18): an elevated window, macOS permissions
        self.system_notice = SystemNoticeBar()
        self.system_notice.setContentsMargins(12, 0, 8, 4)
        column.addWidget(self.system_notice)
        #: "Paused by timeout…" above the greyed picture while the customer's sharing pauses
        self.pause_banner = PauseBanner(self.view)
        column.addWidget(self.pause_banner)
        column.addWidget(self._stack, 1)
        self.setCentralWidget(central)

        toolbar = QToolBar(self.tr("Session"))
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        self.end_action = QAction(self.tr("&End session"), self)
        self.end_action.triggered.connect(self._request_end)
        self.actual_size_action = QAction(self.tr("&Actual size (1:1)"), self)
        self.actual_size_action.setCheckable(True)
        self.actual_size_action.setToolTip(self.tr("Switch between fit to window and 1:1"))
        self.actual_size_action.toggled.connect(
            lambda on: self.view.set_scale_mode(ACTUAL if on else FIT)
        )
        self.ctrl_alt_del_action = QAction(self.tr("Send Ctrl+Alt+&Del"), self)
        self.ctrl_alt_del_action.triggered.connect(
            lambda: self.special_keys_requested.emit("ctrl_alt_del")
        )
        self.records_action = QAction(self.tr("Session &records…"), self)
        self.records_action.setVisible(False)
        self.records_action.triggered.connect(self.records_requested)
        # The chat with the customer, a dock beside the screen (hidden until used).
        self.chat = ChatPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.chat)
        self.chat.hide()
        # Files sent and received (issue 17), and the technician's notes for the history.
        self.transfers = TransfersPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.transfers)
        self.transfers.hide()
        self.transfers.files_chosen.connect(self.send_files_requested)
        self.transfers.cancel_requested.connect(self.cancel_transfer_requested)
        self.view.files_dropped.connect(self._on_files_dropped)
        self.notes = NotesPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.notes)
        self.notes.hide()
        self.notes.notes_changed.connect(self.notes_changed)
        self.ask_action = QAction(self.tr("Ask for &more…"), self)
        self.ask_action.setToolTip(self.tr("Ask the customer for control, the clipboard or "
                                           "files"))
        self.ask_action.triggered.connect(self.show_ask_dialog)
        self.ask_dialog: AskDialog | None = None
        self.send_file_action = QAction(self.tr("Send &file…"), self)
        self.send_file_action.setToolTip(self.tr("Send files to the customer (you can also "
                                                 "drop them onto the customer's screen)"))
        self.send_file_action.triggered.connect(self.transfers.choose_files)
        for action in (self.end_action, self.actual_size_action, self.ctrl_alt_del_action,
                       self.chat.toggle_action):
            toolbar.addAction(action)
        # The menu reaches every action by keyboard (Alt+S) while the remote view does not
        # take the keys (view only, or before the customer allowed).
        self.session_menu = self.menuBar().addMenu(self.tr("&Session"))
        for action in (self.actual_size_action, self.ctrl_alt_del_action,
                       self.chat.toggle_action):
            self.session_menu.addAction(action)
        for action in (self.ask_action, self.send_file_action, self.transfers.toggle_action,
                       self.notes.toggle_action):
            self.session_menu.addAction(action)
        self.session_menu.addAction(self.records_action)
        self.session_menu.addSeparator()
        self.session_menu.addAction(self.end_action)
        toolbar.addSeparator()
        quality_names = {"Sharp text": self.tr("Sharp text"), "Balanced": self.tr("Balanced"),
                         "Fast": self.tr("Fast")}
        self.quality_box = QComboBox()
        self.quality_box.setAccessibleName(self.tr("Picture quality"))
        self.quality_box.setToolTip(self.tr(
            "Picture quality: sharp text sends only exact pixels; fast sends moving pictures "
            "coarser. Resting areas always become exact."))
        for label, quality in QUALITY_PRESETS:
            self.quality_box.addItem(quality_names[label], quality)
        self.quality_box.setCurrentIndex(self.quality_box.findData(DEFAULT_QUALITY))
        self.bandwidth_box = QComboBox()
        self.bandwidth_box.setAccessibleName(self.tr("Bandwidth limit"))
        self.bandwidth_box.setToolTip(self.tr("Most bandwidth the customer's screen may use"))
        for label, rate in BANDWIDTH_PRESETS:
            self.bandwidth_box.addItem(self.tr("Unlimited") if rate == 0 else label, rate)
        self.quality_box.activated.connect(self._emit_stream_settings)
        self.bandwidth_box.activated.connect(self._emit_stream_settings)
        # Visible labels as buddies: on Linux a screen reader names a combo box by its label
        # (Qt reports the current item as the box's own name there).
        for text, combo in ((self.tr("&Quality:"), self.quality_box),
                            (self.tr("Band&width:"), self.bandwidth_box)):
            caption = QLabel(text)
            caption.setBuddy(combo)
            caption.setContentsMargins(8, 0, 4, 0)
            toolbar.addWidget(caption)
            toolbar.addWidget(combo)
        # A second row for what is shown: which monitor, and showing without controlling
        # (laser pointer, drawing, arrow; all ride on "view" alone). In one row with the
        # above they would not fit the window's default width, and Qt hides what does not fit.
        self.addToolBarBreak()
        show_bar = QToolBar(self.tr("Monitor and laser pointer"))
        show_bar.setMovable(False)
        show_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(show_bar)
        self.monitor_picker = MonitorPicker()
        self.monitor_picker.monitor_chosen.connect(self.monitor_requested)
        show_bar.addWidget(self.monitor_picker.caption)
        show_bar.addWidget(self.monitor_picker)
        show_bar.addSeparator()
        self.show_tools = ShowTools(self.view, self)
        self.show_tools.add_to(show_bar, self.session_menu)
        # Asking for more, files and notes (issue 17): their own bar beside the show tools.
        more_bar = QToolBar(self.tr("Clipboard, files and notes"))
        more_bar.setMovable(False)
        more_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(more_bar)
        for action in (self.ask_action, self.send_file_action, self.transfers.toggle_action,
                       self.notes.toggle_action):
            more_bar.addAction(action)

        self._conn_label = QLabel()
        self._perm_label = QLabel()
        self._stats_label = QLabel()
        self._link_label = QLabel()
        self._clip_label = QLabel()
        self._clip_label.setObjectName("clipboardStatus")
        for status, name in ((self._conn_label, self.tr("Session status")),
                             (self._perm_label, self.tr("What you may do")),
                             (self._clip_label, self.tr("Clipboard")),
                             (self._stats_label, self.tr("Picture statistics")),
                             (self._link_label, self.tr("Measured connection"))):
            status.setContentsMargins(6, 0, 10, 0)
            status.setAccessibleName(name)
        for status in (self._conn_label, self._perm_label, self._clip_label):
            self.statusBar().addWidget(status)
        self.statusBar().addPermanentWidget(self._stats_label)
        self.statusBar().addPermanentWidget(self._link_label)
        force_plain_text(self)  # end messages may come from outside: never rich text

        self.show_verification("")

    def _make_notice(self) -> QFrame:
        """The bar above the screen that says at once what the customer just changed
        (non-modal: the technician keeps watching while reading it)."""
        self.notice = QFrame()
        self.notice.setObjectName("notice")
        self.notice.setVisible(False)
        self._notice_text = QLabel()
        self._notice_text.setObjectName("noticeText")
        self._notice_text.setWordWrap(True)
        self._notice_text.setAccessibleName(self.tr("Notice"))
        self._notice_hide = QPushButton(self.tr("Hide"))
        self._notice_hide.setAccessibleName(self.tr("Hide the notice"))
        self._notice_hide.clicked.connect(self._hide_notice)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._hide_notice)
        row = QHBoxLayout(self.notice)
        row.setContentsMargins(12, 6, 8, 6)
        row.addWidget(self._notice_text, 1)
        row.addWidget(self._notice_hide)
        return self.notice

    # ----------------------------------------------------------------- slots

    @Slot(str)
    def show_verification(self, number: str, seconds_left: float = CONSENT_TIMEOUT) -> None:
        """Keys agreed: tell the technician to read ``number`` out and wait for consent, with
        the customer's time to answer (``seconds_left``) counting down."""
        self._state = "verifying"
        self._info_title.setText(self.tr("Read this check number to the customer:"))
        self._info_number.setText(number)
        self._info_number.setVisible(bool(number))
        self._info_text.setText(self.tr("Waiting for the customer to allow…"))
        self._close_button.setVisible(False)
        self._conn_label.setText(self.tr("Waiting for the customer"))
        self._deadline = time.monotonic() + seconds_left
        self._countdown_label.setVisible(bool(number))
        self._show_time_left()
        if number:
            self._countdown.start()
        self._stack.setCurrentIndex(0)
        self._update_actions()

    @Slot()
    def show_streaming(self) -> None:
        """Consent given: show the remote screen and give it keyboard focus."""
        self._state = "streaming"
        self._streamed = True
        self._countdown.stop()
        self._conn_label.setText(self.tr("Session running"))
        self._stack.setCurrentIndex(1)
        self._update_actions()
        self.chat.start()
        if "control" not in self._permissions:
            self._show_notice(self.tr("The customer allowed you to see the screen, not to "
                                      "control it."), "info")
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def show_ended(self, message: str) -> None:
        """The session is over; ``message`` (from the integrator, translated) says why."""
        self._state = "ended"
        self._countdown.stop()
        self._link = "live"
        self._link_timer.stop()
        self._hide_notice()
        self.system_notice.reset()
        self._paused = False
        self.pause_banner.clear()
        self._info_title.setText(self.tr("The session has ended.") if self._streamed
                                 else self.tr("No session took place."))
        self._info_number.setVisible(False)
        self._info_text.setText(message)
        self._countdown_label.setVisible(False)
        self._close_button.setVisible(True)
        self._conn_label.setText(self.tr("Session ended"))
        self.chat.stop()
        self.transfers.stop()
        self.notes.flush()
        if self.ask_dialog is not None:
            self.ask_dialog.reject()
        self._stack.setCurrentIndex(0)
        self._update_actions()
        self._close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(object)
    def set_permissions(self, permissions: frozenset[str]) -> None:
        """What the customer granted right now (``{'view'}`` or ``{'view', 'control'}``).

        During the session a change of control is said at once, above the screen; input stops
        (held keys and buttons are released) the moment control goes.
        """
        before = self._permissions
        had_control = "control" in self._permissions
        self._permissions = frozenset(permissions)
        control = "control" in self._permissions
        self._perm_label.setText(granted_text(self._permissions))
        if "clipboard" not in self._permissions:
            self._clip_label.setText("")
        self._update_actions()
        if self._state != "streaming":
            return
        if control == had_control:
            self._notice_optional(before)
            return
        if control:
            self._show_notice(self.tr("The customer allowed control. Your mouse and keyboard "
                                      "work on the customer's screen again."), "granted")
        elif "accessibility_missing" not in self.system_notice.active:  # else: macOS, not her
            self._show_notice(self.tr("The customer stopped control. You can still see the "
                                      "screen; your mouse and keyboard are not sent."),
                              "stopped")

    def _notice_optional(self, before: frozenset[str]) -> None:
        """Say at once when the customer allowed or stopped the clipboard or files."""
        allowed = [permission_label(n) for n in ASKABLE
                   if n in self._permissions and n not in before]
        stopped = [permission_label(n) for n in ASKABLE
                   if n not in self._permissions and n in before]
        if stopped:
            self._show_notice(self.tr("The customer stopped: {what}").format(
                what=", ".join(stopped)), "stopped")
        elif allowed:
            self._show_notice(self.tr("The customer allowed: {what}").format(
                what=", ".join(allowed)), "granted")

    @property
    def permissions(self) -> frozenset[str]:
        """What the customer granted right now."""
        return self._permissions

    def show_ask_dialog(self) -> None:
        """"Ask for more…": what is not granted now, ticked by the technician."""
        if self._state != "streaming" or not askable_now(self._permissions):
            return
        if self.ask_dialog is not None:
            self.ask_dialog.reject()
        dialog = AskDialog(self._permissions, self)
        dialog.ask_requested.connect(self._on_ask)
        dialog.finished.connect(lambda _r: setattr(self, "ask_dialog", None))
        self.ask_dialog = dialog
        dialog.show()

    def _on_ask(self, permissions: frozenset[str]) -> None:
        if self._state != "streaming":
            return
        self.ask_permissions_requested.emit(frozenset(permissions))
        self._show_notice(self.tr("Asked the customer for: {what}. The customer answers on "
                                  "their screen.").format(
            what=", ".join(permission_label(n) for n in sorted(permissions))), "info")

    def _on_files_dropped(self, paths: list[str]) -> None:
        if self.files_allowed:
            self.send_files_requested.emit(list(paths))

    @property
    def files_allowed(self) -> bool:
        """Files may be sent to the customer now (files_in granted, the session running and
        not paused: the session holds files while paused)."""
        return (self._state == "streaming" and "files_in" in self._permissions
                and not self._paused)

    @Slot(int)
    def show_clipboard_sent(self, chars: int) -> None:
        """The technician's copied text went to the customer's clipboard."""
        self._clip_label.setText(self.tr("Clipboard sent ({n} characters)").format(n=chars))

    @Slot(int)
    def show_clipboard_received(self, chars: int) -> None:
        """Text from the customer's clipboard is on the technician's clipboard now."""
        self._clip_label.setText(self.tr("Clipboard received ({n} characters)").format(
            n=chars))

    @Slot()
    def show_clipboard_refused(self) -> None:
        """The technician copied more text than travels (64 KiB): not sent."""
        self._clip_label.setText(self.tr("Clipboard not sent: the text is too long (at most "
                                         "64 KiB)."))

    def clipboard_text(self) -> str:
        return self._clip_label.text()

    @Slot(bool)
    @Slot(object, int)
    def set_monitors(self, monitors: object, shared: int) -> None:
        """The customer's monitors and the shared one (0 = all), for the monitor picker; the
        view takes the new picture's size with the next frame."""
        self.monitor_picker.set_monitors(monitors, shared)

    def enable_records(self, enabled: bool = True) -> None:
        """Show the "Session records…" menu entry (once something opens that window)."""
        self.records_action.setVisible(enabled)

    @Slot(str, float)
    def set_link(self, state: str, grace_left: float) -> None:
        """The link to the customer went quiet (``interrupted``), is being re-made
        (``reconnecting``; ``restarting`` when the relay restarts) or works again (``live``);
        ``grace_left``: seconds until the session ends if it does not come back. While it is
        not live no stale round trip is shown."""
        if self._state != "streaming":
            return
        was = self._link
        self._link = state if state in ("interrupted", "reconnecting", "restarting") else "live"
        if self._link == "live":
            self._link_timer.stop()
            self._conn_label.setText(self.tr("Session running"))
            if was != "live":
                self._show_notice(self.tr("The connection to the customer is back."),
                                  "granted")
            return
        self._link_deadline = time.monotonic() + max(0.0, grace_left)
        shown = {"interrupted": self.tr("Connection interrupted"),
                 "restarting": self.tr("The connection service is restarting…")}
        self._conn_label.setText(shown.get(self._link, self.tr("Reconnecting…")))
        self._stats_label.setText("")
        self._link_label.setText("")
        self._show_link_notice()
        self._link_timer.start()

    @Slot(bool, str)
    def set_paused(self, paused: bool, reason: str) -> None:
        """The customer's sharing paused (``reason`` ``"timeout"``: "still sharing?" went
        unanswered; ``"customer"``) or goes on: the bar says why, the frozen picture is
        greyed, and input is off meanwhile (held keys and buttons released)."""
        if self._state == "ended":
            return
        self._paused = paused
        self._show_pause(reason)
        self._update_actions()

    def _show_pause(self, reason: str) -> None:
        if not self._paused:
            self.pause_banner.clear()
        elif "screen_recording_missing" in self.system_notice.active:
            self.pause_banner.show_paused(reason, self.tr(
                "Paused by macOS: the customer's Mac does not yet allow Screen Recording. The "
                "picture resumes by itself once the customer allows it."))
        else:
            self.pause_banner.show_paused(reason)

    @Slot(str)
    def show_system_notice(self, code: str) -> None:
        """What the customer's OS blocks now, or no longer (a code of
        ``messages.NOTICE_CODES``): the bar says it in plain words, and while macOS holds the
        picture back the pause banner says so instead of "Paused by the customer"."""
        if self._state == "ended":
            return
        self.system_notice.apply(code)
        if self._paused:
            self._show_pause(self.pause_banner.reason)

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def link_state(self) -> str:
        """``'live'``, ``'interrupted'``, ``'reconnecting'`` or ``'restarting'`` (as shown)."""
        return self._link

    @Slot(float, float, float)
    def set_stats(self, fps: float, rtt_ms: float, bytes_per_s: float) -> None:
        """Frame rate, round trip and incoming bandwidth for the status bar."""
        if self._link != "live":
            return  # a round trip from before the link went quiet would be a lie
        self._stats_label.setText(
            self.tr("{fps:.0f} fps · {rtt:.0f} ms · {rate}").format(
                fps=fps, rtt=rtt_ms,
                rate=format_rate(bytes_per_s, self.tr(".", "decimal point in numbers"))
            )
        )

    @Slot(int, int, int, int)
    def set_link_estimate(self, rate_bytes_per_s: int, rtt_ms: int, min_rtt_ms: int,
                          queue_ms: int) -> None:
        """The link the customer's computer measured (at most once a second while the picture
        changes), beside the picture statistics; the details in the tooltip."""
        if self._link != "live":
            return  # measured before the link went quiet: no longer true
        rate = format_bits(rate_bytes_per_s, self.tr(".", "decimal point in numbers"))
        self._link_label.setText(self.tr("Link {rate} · {rtt} ms").format(rate=rate, rtt=rtt_ms))
        self._link_label.setToolTip(self.tr(
            "Measured by the customer's computer: {rate}, round trip {rtt} ms (at least "
            "{min_rtt} ms), waiting in the line {queue} ms").format(
                rate=rate, rtt=rtt_ms, min_rtt=min_rtt_ms, queue=queue_ms))

    def link_estimate_text(self) -> str:
        """The measured link as the status bar shows it (tests)."""
        return self._link_label.text()

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

    def notice_text(self) -> str:
        """The notice above the screen (empty when none is shown)."""
        return self._notice_text.text() if self.notice.isVisibleTo(self) else ""

    def countdown_text(self) -> str:
        """The customer's time to answer as shown (empty when not waiting)."""
        shown = self._countdown_label.isVisibleTo(self)
        return self._countdown_label.text() if shown else ""

    # ----------------------------------------------------------------- internals

    def _show_time_left(self) -> None:
        left = max(0, math.ceil(self._deadline - time.monotonic()))
        self._countdown_label.setText(
            self.tr("Time left for the customer to answer: {time}").format(
                time=f"{left // 60}:{left % 60:02d}"))
        if left == 0:
            self._countdown.stop()

    def _show_link_notice(self) -> None:
        left = max(0, math.ceil(self._link_deadline - time.monotonic()))
        when = f"{left // 60}:{left % 60:02d}"
        if self._link == "interrupted":
            text = self.tr("The connection to the customer is interrupted. Waiting for it to "
                           "come back… The session ends in {time} if it does not.")
        elif self._link == "restarting":
            text = self.tr("The connection service is restarting. Reconnecting… The session "
                           "ends in {time} if it does not come back.")
        else:
            text = self.tr("The connection to the customer was lost. Reconnecting… The "
                           "session ends in {time} if it does not come back.")
        self._show_notice(text.format(time=when), "stopped")
        if left == 0:
            self._link_timer.stop()

    def _show_notice(self, text: str, kind: str) -> None:
        """``kind``: ``stopped`` (stays while control is off), ``granted`` (goes after a
        while) or ``info``."""
        colours = {"stopped": ("#fff4ce", "#c99a06"), "granted": ("#e6f4ea", "#4c9a5f"),
                   "info": ("#e8f0fe", "#7b9bd1")}
        background, border = colours[kind]
        self.notice.setStyleSheet(
            f"QFrame#notice {{ background: {background}; border-bottom: 2px solid {border}; }}"
            " QLabel#noticeText { font-size: 11pt; font-weight: 600; color: #1f2328; }")
        self._notice_text.setText(text)
        self.notice.setAccessibleDescription(text)
        self.notice.setVisible(True)
        self._notice_timer.stop()
        if kind == "granted":
            self._notice_timer.start(GRANTED_NOTICE_MS)

    def _hide_notice(self) -> None:
        self._notice_timer.stop()
        self.notice.setVisible(False)
        if self._state == "streaming":
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_actions(self) -> None:
        streaming = self._state == "streaming"
        control = streaming and "control" in self._permissions and not self._paused
        self.end_action.setEnabled(self._state != "ended")
        self.ctrl_alt_del_action.setEnabled(control)
        self.actual_size_action.setEnabled(streaming)
        self.quality_box.setEnabled(streaming)
        self.bandwidth_box.setEnabled(streaming)
        self.monitor_picker.set_active(streaming)
        self.view.set_control_enabled(control)
        files = self.files_allowed
        self.send_file_action.setEnabled(files)
        self.transfers.set_sending_allowed(files)
        self.view.set_files_allowed(files)
        self.ask_action.setEnabled(streaming and askable_now(self._permissions))
        # Nothing is shown while paused: pointer and strokes wait for the customer too.
        self.show_tools.set_available(streaming and "view" in self._permissions
                                      and not self._paused)
        self.view.setAccessibleDescription(
            self.tr("You can see and control the customer's screen.") if control
            else self.tr("View only: your mouse and keyboard are not sent."))

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
