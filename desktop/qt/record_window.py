"""The "Session records" window: every session this computer took part in, in plain words.

Both programs open it (the agent for the customer, the console for the technician; ``--records``
on either command line). A customer or a data-protection officer reads here, in local time and
their own language, who connected, with which check number, what was allowed and changed, and how
the session ended; and saves one session (or all) as a PDF or a printable HTML page for the firm's
files. ``--show-audit`` stays the raw dump for scripts.

The records are files anyone with access to the folder can edit, and they hold text from outside
(the technician's claimed name and company): :mod:`shared.audit_summary` has already made every
text one bounded visible line; here it is shown in plain-text widgets only and escaped in HTML.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QMarginsF, QStandardPaths, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.audit_store import RecordEntry, list_summaries
from desktop.qt.plain import force_plain_text
from desktop.qt.sizes import size_text
from desktop.qt.widgets import named_button
from shared.audit import plain
from shared.audit_summary import (
    ChatLine,
    FileMoved,
    Identity,
    LinkEvent,
    SessionSummary,
    SharingEvent,
)

log = logging.getLogger(__name__)

#: Where an event without a readable time sorts among the chat (first).
_NO_TIME = datetime.min.replace(tzinfo=UTC)
# Where the list keeps each row's record (Qt's first free item data role).
ENTRY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Row:
    """One line of a session's details: a label and its value lines (texts already translated)."""

    label: str
    lines: tuple[str, ...]


class RecordWindow(QWidget):
    """The list of session records (newest first) and the details of the one selected.

    ``directory`` is the program's audit folder; ``tz`` the zone times are shown in (``None``:
    this computer's local time; tests inject one). ``closed`` is emitted when the window closes.
    """

    closed = Signal()

    def __init__(self, directory: Path, parent: QWidget | None = None, *,
                 tz: tzinfo | None = None, role: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)  # its own window, even with a parent
        self.directory = directory
        self.role = role  # None: every record in the folder; "agent"/"console": that program's
        self._tz = tz
        self.entries: list[RecordEntry] = []
        self.setWindowTitle(self.tr("Session records"))
        self.setObjectName("recordWindow")
        self.resize(900, 560)

        intro = QLabel(self.tr(
            "Every session leaves a session record on this computer: who connected, when, with "
            "which check number, what was allowed, and how the session ended. All times are "
            "local times."))
        intro.setWordWrap(True)
        intro.setObjectName("intro")

        self.list = QTreeWidget()
        self.list.setObjectName("sessions")
        self.list.setHeaderLabels([self.tr("Started"), self.tr("With"), self.tr("How it ended")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(self.tr("Sessions"))
        self.list.setAccessibleDescription(self.tr("Newest session first. Use the arrow keys "
                                                   "to choose a session."))
        self.list.header().setAccessibleName(self.tr("Column headings"))
        self.list.currentItemChanged.connect(self._show_current)

        self.details = QPlainTextEdit()
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAccessibleName(self.tr("Session details"))

        self.empty = QLabel(self.tr("No sessions recorded yet."))
        self.empty.setObjectName("empty")
        self.empty.setVisible(False)

        split = QSplitter(Qt.Orientation.Vertical)  # the list above: all its columns fit
        split.addWidget(self.list)
        split.addWidget(self.details)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        # Created in the order they stand, left to right: that is also the Tab order.
        self.refresh_button = named_button("refresh", self.tr("Refresh"), self.refresh)
        self.folder_button = named_button("openFolder", self.tr("Open folder"), self.open_folder)
        self.all_sessions = QCheckBox(self.tr("All sessions"))
        self.all_sessions.setObjectName("allSessions")
        self.all_sessions.setAccessibleName(self.tr("Save all sessions"))
        self.all_sessions.setAccessibleDescription(
            self.tr("When ticked, PDF and HTML contain every listed session, not only the "
                    "selected one."))
        self.pdf_button = named_button("savePdf", self.tr("Save as PDF…"), self._ask_pdf)
        self.html_button = named_button("saveHtml", self.tr("Save as HTML…"), self._ask_html)
        self.close_button = named_button("close", self.tr("Close"), self.close)

        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        actions = QHBoxLayout()
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.folder_button)
        actions.addStretch(1)
        for control in (self.all_sessions, self.pdf_button, self.html_button, self.close_button):
            actions.addWidget(control)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        force_plain_text(self)
        self._dialog: QFileDialog | None = None
        self.refresh()

    # ------------------------------------------------------------------ the list

    @Slot()
    def refresh(self) -> None:
        """Read the folder again (a session may have ended since the window opened)."""
        keep = self.current_entry()
        self.entries = list_summaries(self.directory, role=self.role)
        self.list.clear()
        for entry in self.entries:
            item = QTreeWidgetItem([self.when(entry.sort_key), self.who(entry.summary),
                                    self.ending_short(entry)])
            item.setData(0, ENTRY_ROLE, str(entry.path))
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)
        has = bool(self.entries)
        self.empty.setVisible(not has)
        for widget in (self.pdf_button, self.html_button, self.all_sessions):
            widget.setEnabled(has)
        if not has:
            self.details.setPlainText(self.tr("No sessions recorded yet."))
            return
        paths = [e.path for e in self.entries]
        self.select(paths.index(keep.path) if keep is not None and keep.path in paths else 0)

    def select(self, index: int) -> None:
        """Show the session in row ``index`` (0 is the newest)."""
        item = self.list.topLevelItem(index)
        if item is not None:
            self.list.setCurrentItem(item)

    def current_entry(self) -> RecordEntry | None:
        """The session whose details are shown."""
        item = self.list.currentItem()
        index = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self.entries[index] if 0 <= index < len(self.entries) else None

    @Slot()
    def show_latest(self) -> None:
        """Open the window on the newest session (what "Show record" after a session wants)."""
        self.refresh()
        self.select(0)
        self.show()
        self.raise_()
        self.activateWindow()
        self.list.setFocus()

    def _show_current(self, *_: object) -> None:
        entry = self.current_entry()
        if entry is not None:
            rows = self.rows(entry)
            metrics = self.details.fontMetrics()
            widest = max(metrics.horizontalAdvance(f"{row.label}:") for row in rows)
            self.details.setTabStopDistance(widest + metrics.horizontalAdvance("MM"))
            self.details.setPlainText(self.details_text(entry, rows))

    # ------------------------------------------------------------------ words

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the window's time zone (this computer's, unless one was injected)."""
        return moment.astimezone(self._tz)

    def when(self, moment: datetime | None) -> str:
        """Date and time, local, as people write them in the window's language."""
        if moment is None:
            return self.tr("unknown time")
        return self.local(moment).strftime(self.tr("%Y-%m-%d %H:%M"))

    def clock(self, moment: datetime | None) -> str:
        """Only the local time of day (events within one session)."""
        return self.local(moment).strftime("%H:%M:%S") if moment is not None else "--:--:--"

    def zone(self, moment: datetime | None) -> str:
        """The zone the times are in, as ``UTC+01:00``."""
        offset = self.local(moment or datetime.now().astimezone()).utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "+" if minutes >= 0 else "-"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def who(self, s: SessionSummary) -> str:
        """The other side in one line: the technician and company, or the customer."""
        if s.role == "console":
            return self.tr("Customer (check number {0})").format(s.verification or "?")
        if not s.technician:
            return self.tr("Unknown technician")
        if s.organisation:
            return self.tr("{0}, {1}").format(s.technician, s.organisation)
        return s.technician

    def permission_names(self, s: SessionSummary, permissions: Iterable[str]) -> str:
        """What the technician may do, in words, ``see your screen`` first."""
        own_screen = s.role != "console"
        # The two file directions are named from the reader's side, in the words of that
        # program's own permission boxes (the GLOSSARY's); "files" is the old, never-granted one.
        names = {
            "view": self.tr("see your screen") if own_screen else self.tr("see the screen"),
            "control": self.tr("control (mouse and keyboard)"),
            "clipboard": self.tr("clipboard"),
            "files_in": (self.tr("receive files from your technician") if own_screen
                         else self.tr("send files to the customer")),
            "files_out": (self.tr("send files to your technician") if own_screen
                          else self.tr("receive files from the customer")),
            "files": self.tr("files"),
            "chat": self.tr("chat"),
        }
        order = list(names)
        perms = sorted(permissions, key=lambda p: (order.index(p) if p in order else 99, p))
        return ", ".join(names.get(p, p) for p in perms) if perms else self.tr("nothing")

    def ending_text(self, s: SessionSummary) -> str:
        """How the session ended, as a sentence for the person who reads this record."""
        ending = s.ending
        if ending is None:
            return self.tr("The record has no end: the session may still be running, or the "
                           "program was stopped.")
        agent = s.role != "console"
        by_peer = bool(ending.by_peer)
        texts = {
            "customer_ended": (self.tr("You ended the session.") if agent
                               else self.tr("The customer ended the session.")),
            "technician_ended": (self.tr("The technician ended the session.") if agent
                                 else self.tr("You ended the session.")),
            "denied": (self.tr("You denied the session.") if agent
                       else self.tr("The customer denied the session.")),
            "timeout": self.tr("The request was not answered in time."),
            "wrong_code": self.tr("The code did not match."),
            "peer_gone": (self.tr("The connection to the technician was lost.") if agent
                          else self.tr("The connection to the customer was lost.")),
            "peer_timeout": (self.tr("The technician's computer stopped answering.") if agent
                             else self.tr("The customer's computer stopped answering.")),
            "error": (self.tr("An error on the other computer ended the session.") if by_peer
                      else self.tr("An error on this computer ended the session.")),
            "unsupported_version": self.tr("The two programs' versions do not fit together."),
            "audit_failed": (
                self.tr("The other computer could not save its session record, so the session "
                        "was ended.") if by_peer
                else self.tr("This computer could not save the session record, so the session "
                             "was ended.")),
            "agent_crashed": self.tr("Fernhilfe ended unexpectedly (for example, the computer "
                                     "was switched off)."),
            "connection_lost": self.tr("The connection was interrupted and did not come back "
                                       "in time."),
            "unverified_technician": (
                self.tr("You were not verified, so the customer's program refused the "
                        "session.") if not agent
                else self.tr("The technician was not verified, so the session was refused.")),
        }
        for safety in ("protocol_error", "integrity_error", "resource_limit"):
            texts[safety] = self.tr("The other computer sent data this program does not "
                                    "accept; the session was ended for safety.")
        known = texts.get(ending.reason)
        if known is not None:
            return known
        return self.tr("The session ended (reason: {0}).").format(ending.reason)

    def ending_short(self, entry: RecordEntry) -> str:
        """The list's last column: a few words."""
        s = entry.summary
        if entry.error:
            return self.tr("cannot be read")
        if s.ending is None:
            return self.tr("no end recorded")
        short = {
            "customer_ended": self.tr("ended by the customer"),
            "technician_ended": self.tr("ended by the technician"),
            "denied": self.tr("denied"),
            "timeout": self.tr("not answered in time"),
            "wrong_code": self.tr("code did not match"),
            "agent_crashed": self.tr("ended unexpectedly"),
            "peer_gone": self.tr("connection lost"),
            "peer_timeout": self.tr("connection lost"),
            "connection_lost": self.tr("connection lost"),
            "unverified_technician": self.tr("not verified, refused"),
        }
        return short.get(s.ending.reason, self.tr("ended by an error"))

    def rows(self, entry: RecordEntry) -> list[Row]:
        """The details of one session, label by label (shared by the window, PDF and HTML)."""
        s = entry.summary
        agent = s.role != "console"
        out: list[Row] = []
        if s.ended is None:
            end = self.tr("no end recorded")
        elif s.started is not None and self.local(s.started).date() == self.local(s.ended).date():
            end = self.clock(s.ended)
        else:  # over midnight, or a record whose times were changed
            end = self.when(s.ended)
        out.append(Row(self.tr("Date"), (
            self.tr("{0} to {1} (local time, {2})").format(
                self.when(s.started), end, self.zone(s.started)),)))
        if agent:
            out.append(Row(self.tr("Technician"), (s.technician or self.tr("unknown"),)))
            if s.organisation:
                out.append(Row(self.tr("Support company"), (s.organisation,)))
        else:
            out.append(Row(self.tr("Session with"), (self.tr("a customer"),)))
        out.append(Row(self.tr("Check number"), (s.verification or self.tr("none"),)))
        if s.identity is not None:
            out.append(Row(self.tr("Certificate"), self.identity_lines(s.identity, agent)))
        if s.requested:
            out.append(Row(self.tr("Asked for"), (self.permission_names(s, s.requested),)))
        out.append(Row(self.tr("Your answer") if agent else self.tr("The customer's answer"),
                       (self.consent_text(s),)))
        changes = [self.tr("{0}  allowed from then on: {1}").format(
            self.clock(c.time), self.permission_names(s, c.permissions)) for c in s.changes]
        if changes:
            out.append(Row(self.tr("Permissions"), tuple(changes)))
        if s.permissions_requested:
            out.append(Row(self.tr("Asked for later"),
                           (self.permission_names(s, s.permissions_requested),)))
        streams = [self.stream_text(c.time, c.quality, c.max_bytes_per_s)
                   for c in s.stream_changes]
        if streams:
            out.append(Row(self.tr("Picture settings"), tuple(streams)))
        links = self.link_lines(s.link_events)
        if links:
            out.append(Row(self.tr("Connection"), links))
        sharing = self.sharing_lines(s)
        if sharing:
            out.append(Row(self.tr("Screen sharing"), sharing))
        chat = self.chat_lines(s)
        if chat:
            out.append(Row(self.tr("Chat"), chat))
        clipboard = self.clipboard_lines(s)
        if clipboard:
            out.append(Row(self.tr("Clipboard"), clipboard))
        files = self.file_lines(s)
        if files:
            out.append(Row(self.tr("Files"), files))
        if s.shown:
            out.append(Row(self.tr("Laser pointer and drawings"), (self.shown_text(s),)))
        omitted = []
        if s.omitted_changes:
            omitted.append(self.tr("{0} further changes").format(s.omitted_changes))
        if s.omitted_chat:
            omitted.append(self.tr("{0} further chat messages").format(s.omitted_chat))
        if s.omitted_files:
            omitted.append(self.tr("{0} further files").format(s.omitted_files))
        if omitted:
            out.append(Row(self.tr("Not shown"), tuple(omitted)))
        # A crash note is dated when the next start found it: not a time of this session.
        ending_time = s.ending.time if s.ending is not None and not s.crashed else None
        out.append(Row(self.tr("How it ended"), (
            (f"{self.clock(ending_time)}  " if ending_time else "") + self.ending_text(s),)))
        if s.ending is not None and not s.crashed and (s.input_count or s.dropped_count
                                                       or s.permissions):
            out.append(Row(self.tr("Mouse and keyboard"), (self.input_text(s),)))
        if s.wrong_codes:
            out.append(Row(self.tr("Wrong codes"), (
                self.tr("{0} attempt(s) with a wrong code").format(s.wrong_codes),)))
        notes = []
        if entry.error:
            notes.append(self.tr("This record cannot be read."))
        if entry.truncated:
            notes.append(self.tr("Only the beginning and the end of this record were read "
                                 "(the record or the folder is very large)."))
        if s.damaged_lines:
            notes.append(self.tr("{0} line(s) of this record are damaged or were changed.")
                         .format(s.damaged_lines))
        if notes:
            out.append(Row(self.tr("Note"), tuple(notes)))
        out.append(Row(self.tr("File"), (plain(entry.path.name),)))  # anyone can name a file
        return out

    def identity_lines(self, who: Identity, agent: bool) -> tuple[str, ...]:
        """The certificate check: the verdict, the certificate's organisation and serial, and
        the refusal. On the customer's side the names are the certificate's, shown only when
        it checked out (an unverified certificate's names prove nothing)."""
        serial = self.tr("certificate no. {0}").format(who.serial) if who.serial else ""
        if who.verdict in ("verified", "presented"):
            facts = ", ".join(part for part in (who.technician, who.organisation, serial) if part)
            verdict = (self.tr("verified") if who.verdict == "verified"
                       else self.tr("presented"))
            line = f"{verdict} – {facts}" if facts else verdict
        elif not agent and who.verdict == "no_proof":
            line = self.tr("none presented")
        else:
            reasons = {
                "no_proof": self.tr("no certificate"),
                "no_trust": self.tr("this computer cannot check certificates"),
                "malformed": self.tr("the certificate is damaged"),
                "foreign_organisation": self.tr("from a company not trusted here"),
                "bad_signature": self.tr("the certificate was altered or forged"),
                "expired": self.tr("the certificate has expired"),
                "not_yet_valid": self.tr("the certificate is not valid yet"),
                "revoked": self.tr("the certificate is revoked"),
                "revocation_missing": self.tr("the revocation list could not be loaded"),
                "revocation_stale": self.tr("the revocation list is out of date"),
                "bad_proof": self.tr("the proof does not belong to this session"),
            }
            line = self.tr("not verified ({0})").format(
                reasons.get(who.verdict, self.tr("unknown result")))
            if serial:
                line += f", {serial}"
        if who.refused:
            return (line, self.tr("refused: {0}").format(who.refused))
        return (line,)

    def link_lines(self, events: Iterable[LinkEvent]) -> tuple[str, ...]:
        """Each interruption of the connection in one line, with how long until it was back;
        and the held keys and buttons let go of meanwhile."""
        causes = {
            "quiet": self.tr("nothing arrived"),
            "lost": self.tr("the connection dropped"),
            "restarting": self.tr("connection service restarting"),
        }
        lines: list[str] = []
        open_line: int | None = None  # the interruption a resume completes
        for ev in events:
            if ev.kind == "interrupted":
                cause = causes.get(ev.cause)
                lines.append(self.tr("{0}  Connection interrupted ({1})").format(
                    self.clock(ev.time), cause) if cause else
                    self.tr("{0}  Connection interrupted").format(self.clock(ev.time)))
                open_line = len(lines) - 1
            elif ev.kind == "resumed":
                back = (self.tr("back after {0} s").format(self.seconds(ev.seconds))
                        if ev.seconds is not None else self.tr("back"))
                if open_line is not None:
                    lines[open_line] += f"; {back}"
                else:
                    lines.append(f"{self.clock(ev.time)}  {back}")
                open_line = None
            elif ev.kind == "released":
                lines.append(self.tr("{0}  {1} held key(s) and mouse button(s) released").format(
                    self.clock(ev.time), ev.released))
        return tuple(lines)

    def sharing_lines(self, s: SessionSummary) -> tuple[str, ...]:
        """Monitor switches and hot-plugs, "still sharing?" and each pause (issue 15), one line
        each with its local time (the chat opt-in is told with the chat)."""
        agent = s.role != "console"
        lines = []
        for ev in s.sharing_events:
            text = self.sharing_text(ev, agent)
            if text:
                lines.append(f"{self.clock(ev.time)}  {text}")
        return tuple(lines)

    def sharing_text(self, ev: SharingEvent, agent: bool) -> str:
        """One sharing event in words (``""`` for the chat opt-in, told with the chat)."""
        if ev.kind == "monitor_shared":
            if ev.index == 0:
                text = self.tr("all monitors shared")
            elif ev.index is not None and ev.count:
                text = self.tr("monitor {0} of {1} shared").format(ev.index, ev.count)
            elif ev.index is not None:
                text = self.tr("monitor {0} shared").format(ev.index)
            else:
                text = self.tr("another monitor shared")
            if ev.width and ev.height:
                text += f" ({ev.width} × {ev.height})"
            return text
        if ev.kind == "monitors_changed":
            return (self.tr("monitors plugged in or out: now {0}").format(ev.count)
                    if ev.count else self.tr("monitors plugged in or out"))
        if ev.kind == "share_check_asked":
            return self.tr("asked: “Still sharing?”")
        if ev.kind == "share_check_confirmed":
            return self.tr("answered: Continue")
        if ev.kind == "sharing_paused":
            if ev.reason == "timeout":
                return self.tr("sharing paused: no answer in time")
            if ev.reason == "customer":
                return (self.tr("sharing paused by you") if agent
                        else self.tr("sharing paused by the customer"))
            return self.tr("sharing paused")
        if ev.kind == "sharing_resumed":
            return self.tr("sharing continued")
        if ev.kind == "system_notice":
            return self.notice_text(ev.reason, agent)
        if ev.kind == "ctrl_alt_del":
            return (self.tr("Ctrl+Alt+Del sent by your technician") if agent
                    else self.tr("Ctrl+Alt+Del sent"))
        return ""

    def notice_text(self, code: str, agent: bool) -> str:
        """What the customer's operating system blocked or allowed again (issue 18)."""
        if code == "foreground_elevated":
            return (self.tr("a window running as administrator was in front: your technician's "
                            "input could not reach it") if agent
                    else self.tr("a window running as administrator was in front on the "
                                 "customer's computer: input could not reach it"))
        texts = {
            "foreground_ok": self.tr("the window in front could be controlled again"),
            "ctrl_alt_del_refused": self.tr("Windows did not allow Ctrl+Alt+Del"),
            "screen_recording_missing": self.tr(
                "macOS did not allow Screen Recording: the picture was held back"),
            "screen_recording_ok": self.tr("macOS allowed Screen Recording: the picture went on"),
            "accessibility_missing": self.tr(
                "macOS did not allow control (Accessibility): input was held back"),
            "accessibility_ok": self.tr("macOS allowed control (Accessibility)"),
        }
        return texts.get(code, "")

    def chat_lines(self, s: SessionSummary) -> tuple[str, ...]:
        """The recorded chat with the customer's opt-in and opt-out, in order; or that it was
        not recorded (an allowed session without either)."""
        agent = s.role != "console"
        items: list[tuple[datetime, int, tuple[str, ...]]] = []
        for n, ev in enumerate(e for e in s.sharing_events if e.kind == "chat_recording"):
            if ev.on:
                text = (self.tr("You chose to record the chat.") if agent
                        else self.tr("The customer chose to record the chat."))
            else:
                text = (self.tr("You stopped recording the chat.") if agent
                        else self.tr("The customer stopped recording the chat."))
            items.append((ev.time or _NO_TIME, n, (f"{self.clock(ev.time)}  {text}",)))
        base = len(items)
        for n, line in enumerate(s.chat):
            items.append((line.time or _NO_TIME, base + n, self.chat_message(line, agent)))
        if not items:
            allowed = s.consent is not None and s.consent.allowed
            return ((self.tr("not recorded (you did not choose to record it)") if agent
                     else self.tr("not recorded (the customer did not choose to record it)")),
                    ) if allowed else ()
        items.sort(key=lambda item: (item[0], item[1]))
        return tuple(line for _, _, lines in items for line in lines)

    def chat_message(self, line: ChatLine, agent: bool) -> tuple[str, ...]:
        """One chat message: time, who wrote it, the text (further lines indented)."""
        names = {
            "technician": self.tr("Technician"),
            "customer": self.tr("You") if agent else self.tr("Customer"),
        }
        who = names.get(line.sender, self.tr("unknown"))
        first, *more = line.lines
        head = f"{self.clock(line.time)}  {who}: "
        return (head + first, *(" " * len(head) + text for text in more))

    def clipboard_lines(self, s: SessionSummary) -> tuple[str, ...]:
        """How often copied text crossed, per direction; the record never holds the text, and
        the reader is told so. Empty when the clipboard was neither allowed nor used."""
        agent = s.role != "console"
        texts = {
            "to_customer": (self.tr("text from your technician: {0} time(s)") if agent
                            else self.tr("text to the customer: {0} time(s)")),
            "to_technician": (self.tr("text to your technician: {0} time(s)") if agent
                              else self.tr("text from the customer: {0} time(s)")),
        }
        lines = [texts[d].format(s.clipboard[d]) for d in texts if s.clipboard.get(d)]
        if not lines and "clipboard" not in s.permissions_used:
            return ()
        if not lines:
            lines.append(self.tr("no text copied"))
        lines.append(self.tr("The copied text itself is not recorded."))
        return tuple(lines)

    def file_lines(self, s: SessionSummary) -> tuple[str, ...]:
        """Each file moved, in the order it was offered: when, which way, the name (plain, one
        line: the summary escaped it), size; then how it ended and by whom, the check sum and
        where the customer's computer saved it."""
        lines: list[str] = []
        indent = " " * len(f"{self.clock(None)}  ")
        for moved in s.files:
            name = moved.name or self.tr("(no name)")
            lines.append(f"{self.clock(moved.time)}  {self.direction_text(moved.direction, s)}: "
                         f"{name}, {size_text(moved.size, exact=True)}")
            lines.append(indent + self.outcome_text(moved, s))
            if moved.sha256:
                lines.append(indent + self.tr("Check sum (SHA-256): {0}").format(
                    moved.sha256))
            if moved.path:
                lines.append(indent + self.tr("saved as {0}").format(moved.path))
        return tuple(lines)

    def direction_text(self, direction: str, s: SessionSummary) -> str:
        """Which way a file went, from the reader's side."""
        agent = s.role != "console"
        if direction == "to_customer":
            return self.tr("From your technician") if agent else self.tr("To the customer")
        if direction == "to_technician":
            return self.tr("To your technician") if agent else self.tr("From the customer")
        return self.tr("Direction unknown")

    def outcome_text(self, moved: FileMoved, s: SessionSummary) -> str:
        """How one transfer ended, and who stopped it."""
        if moved.outcome == "completed":
            return self.tr("arrived complete, check sum matched")
        if moved.outcome == "open":
            if s.ending is not None:  # the session ended while the file was on its way
                return self.tr("not finished: the session ended first (sending the same file "
                               "again continues where it stopped)")
            return self.tr("not finished (no end recorded)")
        reasons = {
            "cancelled": self.tr("cancelled"),
            "refused": self.tr("refused: files were not allowed"),
            "revoked": self.tr("stopped: the permission for files was turned off"),
            "too_large": self.tr("refused: the file was too large"),
            "no_space": self.tr("refused: not enough free disk space"),
            "hash_mismatch": self.tr("arrived damaged (check sum did not match), not kept"),
            "error": self.tr("stopped by an error"),
        }
        text = reasons.get(moved.outcome.removeprefix("cancelled:"), self.tr("stopped"))
        agent = s.role != "console"
        by = {
            "customer": self.tr("by you") if agent else self.tr("by the customer"),
            "technician": self.tr("by your technician") if agent else self.tr("by you"),
        }.get(moved.by)
        return self.tr("{0} ({1})").format(text, by) if by else text

    def shown_text(self, s: SessionSummary) -> str:
        """What the technician showed on the customer's screen (never input)."""
        return self.tr("{0} laser pointer position(s), {1} drawing part(s), cleared {2} "
                       "time(s)").format(s.shown.get("LaserPointer", 0),
                                         s.shown.get("Annotation", 0),
                                         s.shown.get("AnnotationClear", 0))

    def seconds(self, value: float) -> str:
        """A duration like ``0.4`` or ``12`` (tenths below a minute), in the window's
        language's decimal sign."""
        text = f"{value:.1f}" if value < 60 else f"{value:.0f}"
        return text.replace(".", self.tr("."))  # translators: the decimal sign

    def consent_text(self, s: SessionSummary) -> str:
        """The customer's answer to the request."""
        c = s.consent
        if c is None:
            return self.tr("no answer recorded")
        if c.allowed:
            return self.tr("allowed at {0} – {1}").format(
                self.clock(c.time), self.permission_names(s, c.permissions))
        if c.timed_out:
            return self.tr("not answered in time ({0})").format(self.clock(c.time))
        return self.tr("denied at {0}").format(self.clock(c.time))

    def stream_text(self, moment: datetime | None, quality: int | None,
                    rate: int | None) -> str:
        """One change of the picture settings the technician chose."""
        if quality is None:
            picture = self.tr("quality unknown")
        elif quality == 0:
            picture = self.tr("best quality (lossless)")
        else:
            picture = self.tr("quality {0}").format(quality)
        if not rate:
            limit = self.tr("no bandwidth limit")
        else:
            limit = self.tr("at most {0} kB/s").format(max(1, round(rate / 1000)))
        return f"{self.clock(moment)}  {picture}, {limit}"

    def input_text(self, s: SessionSummary) -> str:
        """How much mouse and keyboard input crossed, for the side that wrote the record."""
        if s.role == "console":
            return self.tr("{0} action(s) sent").format(s.input_count)
        text = self.tr("{0} action(s) by the technician carried out").format(s.input_count)
        if s.dropped_count:
            text += self.tr("; {0} refused because control was not allowed").format(
                s.dropped_count)
        return text

    def details_text(self, entry: RecordEntry, rows: list[Row] | None = None) -> str:
        """The details of one session as plain text: ``label:<tab>value``, further values of
        the same label on their own lines after a tab (the window sets the tab stop)."""
        lines = []
        for row in rows if rows is not None else self.rows(entry):
            first, *more = row.lines or ("",)
            lines.append(f"{row.label}:\t{first}")
            lines.extend(f"\t{line}" for line in more)
        return "\n".join(lines)

    # ------------------------------------------------------------------ export

    def export_entries(self, all_sessions: bool | None = None) -> list[RecordEntry]:
        """What an export contains: the selected session, or all listed when ticked."""
        if all_sessions is None:
            all_sessions = self.all_sessions.isChecked()
        if all_sessions:
            return list(self.entries)
        current = self.current_entry()
        return [current] if current is not None else []

    def html_document(self, entries: list[RecordEntry]) -> str:
        """A printable HTML page of ``entries``; every text from a record is escaped."""
        title = html.escape(self.tr("Session records"))
        saved = self.tr("Saved on {0}.").format(self.when(datetime.now(UTC)))
        language = self.tr("en")  # translators: the page's language code (de, fr, ...)
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{html.escape(language, quote=True)}"><head><meta charset="utf-8">',
            f"<title>{title}</title>",
            "<style>body{font-family:sans-serif;margin:2em}th{text-align:left;"
            "vertical-align:top;padding-right:1em}td,th{padding-bottom:.3em}"
            "section{page-break-inside:avoid;margin-bottom:2em}</style></head><body>",
            f"<h1>{title}</h1>",
            f"<p>{html.escape(saved)}</p>",
        ]
        for entry in entries:
            parts.append(f"<section><h2>{html.escape(self.when(entry.sort_key))} &#8211; "
                         f"{html.escape(self.who(entry.summary))}</h2><table>")
            for row in self.rows(entry):
                value = "<br>".join(html.escape(line) for line in row.lines)
                parts.append(f"<tr><th>{html.escape(row.label)}</th><td>{value}</td></tr>")
            parts.append("</table></section>")
        parts.append("</body></html>")
        return "\n".join(parts)

    def export_html(self, path: Path, all_sessions: bool | None = None) -> Path:
        """Save a printable HTML page; raises OSError if the file cannot be written."""
        path.write_text(self.html_document(self.export_entries(all_sessions)), encoding="utf-8")
        return path

    def export_pdf(self, path: Path, all_sessions: bool | None = None) -> Path:
        """Save a PDF (A4) of the same page; raises OSError if the file cannot be written."""
        entries = self.export_entries(all_sessions)
        doc = QTextDocument()
        doc.setHtml(self.html_document(entries))  # escaped: see html_document
        writer = QPdfWriter(str(path))
        writer.setTitle(self.tr("Session records"))
        writer.setCreator("Fernhilfe")
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                         QPageLayout.Orientation.Portrait,
                                         QMarginsF(15, 15, 15, 15),
                                         QPageLayout.Unit.Millimeter))
        doc.print_(writer)  # lays the page out for the writer's page size and resolution
        del writer  # the file is complete only once the writer is gone
        if not path.is_file() or path.stat().st_size == 0:
            raise OSError(f"no PDF was written to {path}")
        return path

    def suggested_name(self, suffix: str) -> str:
        """A file name for the export: the record's word and the session's local date."""
        entries = self.export_entries()
        stamp = (self.local(entries[0].sort_key).strftime("%Y-%m-%d-%H%M")
                 if len(entries) == 1 else datetime.now().strftime("%Y-%m-%d"))
        base = self.tr("session-record")
        return f"{base}-{stamp}.{suffix}"

    @Slot()
    def _ask_pdf(self) -> None:
        self._ask("pdf", self.tr("Save as PDF"), self.tr("PDF files (*.pdf)"))

    @Slot()
    def _ask_html(self) -> None:
        self._ask("html", self.tr("Save as HTML"), self.tr("Web pages (*.html)"))

    def _ask(self, suffix: str, title: str, name_filter: str) -> None:
        """Ask where to save (window-modal, not blocking), then save there."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        dialog = QFileDialog(self, title, str(Path(folder) / self.suggested_name(suffix)),
                             name_filter)
        dialog.setObjectName("saveDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(lambda name: self.save(Path(name), suffix))
        self._dialog = dialog
        dialog.open()

    def save(self, path: Path, suffix: str) -> bool:
        """Export to ``path`` as ``pdf`` or ``html`` and say in the window how it went."""
        try:
            if suffix == "pdf":
                self.export_pdf(path)
            else:
                self.export_html(path)
        except OSError as exc:
            log.error("cannot save the session record to %s: %s", path, exc)
            self.status.setText(self.tr("The file could not be saved. Please choose another "
                                        "folder."))
            return False
        self.status.setText(self.tr("Saved: {0}").format(str(path)))
        return True

    @Slot()
    def open_folder(self) -> None:
        """Show the records folder in the file manager."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.directory))):
            self.status.setText(self.tr("The folder could not be opened: {0}").format(
                str(self.directory)))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dialog is not None:
            self._dialog.close()
        super().closeEvent(event)
        self.closed.emit()
