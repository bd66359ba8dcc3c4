"""Customer-facing Qt widgets of the agent: they show state and emit intents, nothing else."""

from agent.ui.branding import Branding
from agent.ui.code_window import CodeWindow
from agent.ui.consent import ConsentDialog
from agent.ui.i18n import install_translator
from agent.ui.overlay import SessionOverlay
from agent.ui.session_view import SessionView

__all__ = ["Branding", "CodeWindow", "ConsentDialog", "SessionOverlay", "SessionView",
           "install_translator"]
