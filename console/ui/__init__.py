"""Technician-facing Qt widgets of the console: they show state and emit intents, nothing else."""

from console.ui.connect_window import ConnectWindow
from console.ui.i18n import install_translator
from console.ui.remote_view import RemoteView
from console.ui.session_window import SessionWindow

__all__ = ["ConnectWindow", "RemoteView", "SessionWindow", "install_translator"]
