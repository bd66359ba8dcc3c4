"""The clipboard as both programs share it: plain text out when the person copies, in when the
peer sends, never an echo, and nothing at all while the permission is off (issue 17, api17 §5).

The policy (who may send clipboard text when, the size cap, the receive budget) is
:mod:`shared.session`'s; this bridge is the GUI-thread half both shells use. It watches the
system clipboard (the CLIPBOARD selection on X11, never the PRIMARY selection that every mouse
selection changes) and emits :attr:`ClipboardBridge.local_text` when the person copied *text*:
a copy that also carries URLs (files copied in a file manager) or an image is not text and is
ignored, so no file or picture ever travels through the clipboard. Text put there by
:meth:`ClipboardBridge.set_remote_text` is remembered and not emitted back when the clipboard
reports the change, and neither is the same text twice in a row (X11 owners and Qt itself may
report one copy more than once).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

from shared.messages import MAX_CLIPBOARD
from shared.session import clipboard_problem

log = logging.getLogger(__name__)

#: Most UTF-8 bytes of clipboard text that travels (the protocol's MAX_CLIPBOARD, 64 KiB):
#: a longer copy is reported through :attr:`ClipboardBridge.local_refused`, not sent.
MAX_CLIPBOARD_BYTES = MAX_CLIPBOARD

_MODE = QClipboard.Mode.Clipboard


class ClipboardBridge(QObject):
    """The system clipboard, text only, as the session's clipboard permission allows.

    Lives on the GUI thread (QClipboard does). The shell connects :attr:`local_text` to the
    session's ``send_clipboard`` (through its worker) and calls :meth:`set_remote_text` on each
    ``ClipboardReceived``; it sets :attr:`enabled` from the ``clipboard`` permission.
    """

    #: the person copied this text here (not text that came from the peer): send it
    local_text = Signal(str)
    #: the person copied text that may not travel: a key of shared.session's
    #: CLIPBOARD_PROBLEMS ("too_long", "characters"); the shell may say so
    local_refused = Signal(str)

    def __init__(
        self,
        clipboard: QClipboard | None = None,
        parent: QObject | None = None,
        *,
        max_bytes: int = MAX_CLIPBOARD_BYTES,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._max_bytes = max_bytes
        self._enabled = False
        self._watching = True
        #: the text both sides already know (last set from the peer or last sent): not news
        self._known: str | None = None
        self._clipboard.dataChanged.connect(self._changed)

    @property
    def enabled(self) -> bool:
        """Whether the clipboard permission is on: while False nothing is emitted or set."""
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        if on and not self._enabled:
            # What the clipboard held before the permission stays here: only later copies go.
            self._known = self._text()
        self._enabled = bool(on)

    def set_remote_text(self, text: str) -> None:
        """Put ``text`` from the peer on the clipboard (nothing while disabled or empty)."""
        if not self._enabled or not text:
            return
        self._known = text
        self._clipboard.setText(text, _MODE)

    def close(self) -> None:
        """Stop watching (the session ended); the clipboard keeps what it holds."""
        self._enabled = False
        if self._watching:
            self._watching = False
            self._clipboard.dataChanged.disconnect(self._changed)

    def _text(self) -> str | None:
        """The clipboard's content if it is plain text only (no URLs, no image), else None."""
        mime = self._clipboard.mimeData(_MODE)
        if mime is None or not mime.hasText() or mime.hasUrls() or mime.hasImage():
            return None
        return mime.text()

    def _changed(self) -> None:
        if not self._enabled:
            return
        text = self._text()
        if not text or text == self._known:
            return
        self._known = text
        problem = clipboard_problem(text)
        if problem is None and len(text.encode("utf-8")) > self._max_bytes:
            problem = "too_long"
        if problem is not None:
            log.info("clipboard text of %d characters not sent: %s", len(text), problem)
            self.local_refused.emit(problem)
            return
        self.local_text.emit(text)
