"""The chat's half of each program's Qt bridge: the same four signals on both sides.

Both workers (agent/worker.py, console/worker.py) inherit :class:`ChatSignals` and hand every
event from their network loop to :meth:`ChatSignals.emit_chat` first, so the chat is wired
once for both programs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.chat import ChatNotSent, ChatSent
from shared.session import ChatReceived, ChatRecordingChanged


class ChatSignals(QObject):
    """Chat events as queued signals for the chat widgets (desktop/qt/chat_log.py)."""

    #: a chat line from the other side (plain text) and how many were dropped before it
    chat_received = Signal(str, int)
    #: our own chat line went out (the session was active)
    chat_sent = Signal(str)
    #: our own chat line could not go out (the link is being re-made): offer it again
    chat_not_sent = Signal(str)
    #: the customer keeps (True) or no longer keeps the chat in both records
    chat_recording_changed = Signal(bool)

    def emit_chat(self, ev: object) -> bool:
        """Emit the signal for chat event ``ev``; False if ``ev`` is not a chat event."""
        if isinstance(ev, ChatReceived):
            self.chat_received.emit(ev.text, ev.dropped_before)
        elif isinstance(ev, ChatSent):
            self.chat_sent.emit(ev.text)
        elif isinstance(ev, ChatNotSent):
            self.chat_not_sent.emit(ev.text)
        elif isinstance(ev, ChatRecordingChanged):
            self.chat_recording_changed.emit(ev.recorded)
        else:
            return False
        return True
