"""What the customer's operating system blocks, told to the technician (issue 18).

The agent sends a code (``messages.NOTICE_CODES``), never text: the words are this console's,
in the technician's language. An ``_ok`` code takes its notice back (``NOTICE_CLEARS``). The
bar lists what holds now, one line each; "Hide" puts it away until something changes.
State only: nothing here talks to the network.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import NoticeBar
from shared import messages as m

# The notices that are said once and not taken back by an ``_ok`` code.
MOMENTARY = frozenset({"ctrl_alt_del_refused"})
# The order the lines appear in (what matters most first).
ORDER = ("screen_recording_missing", "accessibility_missing", "foreground_elevated",
         "ctrl_alt_del_refused")


class SystemNoticeBar(NoticeBar):
    """"The window in front on the customer's computer runs as administrator: …" [Hide]."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("systemNotice", "", "", parent)  # tr needs the QObject built first
        self.button.setText(self.tr("Hide"))
        self.button.setAccessibleName(self.tr("Hide"))
        self.button.setAccessibleDescription(
            self.tr("Hide the note about the customer's computer"))
        self.active: set[str] = set()
        self.button.clicked.connect(lambda: self.active.difference_update(MOMENTARY))
        force_plain_text(self)

    def words(self, code: str) -> str:
        """The technician's words for a notice code."""
        if code == "foreground_elevated":
            return self.tr("The window in front on the customer's computer runs as "
                           "administrator: your input does not reach it. The customer can "
                           "restart Fernhilfe as administrator.")
        if code == "ctrl_alt_del_refused":
            return self.tr("Windows did not allow Ctrl+Alt+Del; ask the customer to press it.")
        if code == "screen_recording_missing":
            return self.tr("The customer's Mac does not yet allow Screen Recording: the picture "
                           "stays paused until the customer allows it.")
        if code == "accessibility_missing":
            return self.tr("The customer's Mac does not yet allow Accessibility: your mouse and "
                           "keyboard do not reach it until the customer allows it.")
        return ""

    def apply(self, code: str) -> None:
        """A code from the agent: show its notice, or take the matching one back."""
        cleared = m.NOTICE_CLEARS.get(code)
        if cleared is not None:
            if cleared not in self.active:
                return
            self.active.discard(cleared)
        elif code in ORDER:
            self.active.add(code)
        else:
            return
        lines = [self.words(c) for c in ORDER if c in self.active]
        if lines:
            self.show_text("\n".join(lines))
        else:
            self.clear()

    def reset(self) -> None:
        """The session is over: nothing holds any more."""
        self.active.clear()
        self.clear()
