"""The clipboard end to end on the customer's side (issue 17): the real agent, its real consent
dialog (clipboard ticked by a real click, or left unticked), its real X clipboard, a real relay.

What this proves, exactly: text the technician's side sends arrives in the customer's *X*
clipboard (read by ``xclip``, another X client, on the agent's display), and text copied in
another X client on that display reaches the technician; the customer's switch stops it at
once; without the permission nothing crosses. The technician is a scripted ``ConsoleSession``
(tests/e2e/technician.py) with no clipboard of its own, so the one X clipboard on this display
is the customer's: nothing here can pass as "arrived" by sharing a QClipboard between the two
programs. (The console's own clipboard bridge is the console lane's test.)

"Nothing crosses" is checked where it would have to start: every message sealed in this process
(agent and technician alike) is recorded by its type byte, and no ClipboardText (0x50) is
sealed; the sessions' counters agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox

from agent.app import AgentApp
from shared import channel
from shared import messages as m
from shared.session import ClipboardReceived, PermissionsChanged, Step
from tests.desktop.test_clipboard import Clients
from tests.e2e.conftest import shown_code
from tests.e2e.technician import ScriptedTechnician
from tests.e2e.test_chat import named, records

pytestmark = pytest.mark.e2e

CLIPBOARD_TEXT = 0x50
FROM_TECHNICIAN = "Lizenzschlüssel: ÄÖÜ-4711-ß\nZeile 2"
FROM_CUSTOMER = "Die Kundin kopiert: Grüße aus Köln"


@pytest.fixture
def clients() -> Iterator[Clients]:
    with Clients() as got:
        yield got


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The type byte of every message sealed in this process, in order."""
    return record_sealed(monkeypatch)


def record_sealed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the type byte of every message sealed in this process from now on."""
    types: list[int] = []
    real = channel.SecureChannel.seal

    def seal(self: channel.SecureChannel, plaintext: bytes) -> bytes:
        types.append(plaintext[0])
        return real(self, plaintext)

    monkeypatch.setattr(channel.SecureChannel, "seal", seal)
    return types


def tick(qtbot, box: QCheckBox) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def join(qtbot, agent: AgentApp, relay_url: str, requested: set[str], ticked: set[str]
         ) -> ScriptedTechnician:
    """The technician joins asking for ``requested``; the customer ticks ``ticked`` in the real
    consent dialog and clicks its real Allow button."""
    tech = ScriptedTechnician(relay_url, shown_code(qtbot, agent), frozenset(requested))
    qtbot.waitUntil(lambda: agent.consent is not None, timeout=15000)
    dialog = agent.consent
    assert dialog is not None
    qtbot.waitExposed(dialog)
    for name, box in dialog.optional_boxes.items():
        assert not box.isChecked()
        if name in ticked:
            tick(qtbot, box)
    qtbot.mouseClick(dialog.allow_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.overlay is not None, timeout=15000)
    tech.wait_for(PermissionsChanged)
    return tech


def paste_is(qtbot, clients: Clients, text: str, timeout: float = 10.0) -> bool:
    """Whether another X client pastes ``text`` within ``timeout`` seconds."""
    for _ in range(int(timeout / 0.25)):
        if clients.paste(qtbot) == text:
            return True
        qtbot.wait(250)
    return False


def test_clipboard_both_ways_through_the_x_clipboard_and_the_switch_stops_it(
        qtbot, agent: AgentApp, relay_url: str, clients: Clients, sealed: list[int],
        tmp_path: Path) -> None:
    tech = join(qtbot, agent, relay_url, {"view", "control", "clipboard"}, {"clipboard"})
    try:
        assert tech.session.permissions == frozenset({"view", "control", "clipboard"})
        assert agent.overlay is not None
        assert agent.overlay.permission_marker_text() == "Clipboard shared"

        # Technician -> the customer's X clipboard (another X client pastes it).
        tech.call(lambda s: s.send_clipboard(FROM_TECHNICIAN))
        assert paste_is(qtbot, clients, FROM_TECHNICIAN)
        # ... and it is not sent back (no echo): the technician got nothing.
        qtbot.wait(500)
        assert not tech.seen(ClipboardReceived)

        # The customer copies in another X client -> the technician.
        clients.xclip_copy(FROM_CUSTOMER.encode())
        got = tech.wait_for(ClipboardReceived)
        assert got.text == FROM_CUSTOMER
        assert sealed.count(CLIPBOARD_TEXT) == 2

        # The customer turns the clipboard off with the switch in the Fernhilfe window.
        agent.window.showNormal()
        qtbot.waitExposed(agent.window)
        box = agent.window.session_view.permissions.boxes["clipboard"]
        assert box.isVisible() and box.isChecked()
        tick(qtbot, box)
        tech.wait_for(PermissionsChanged, lambda e: "clipboard" not in e.permissions)
        qtbot.waitUntil(lambda: not agent.clipboard.enabled, timeout=5000)
        assert agent.overlay.permission_marker_text() == ""

        # Both sides copy again: nothing crosses, in either direction.
        clients.xclip_copy(b"nach dem Ausschalten, Kundin")
        tech.call(lambda s: s.send_clipboard("nach dem Ausschalten, Techniker"))
        qtbot.wait(1500)
        assert sealed.count(CLIPBOARD_TEXT) == 2
        assert [e.text for e in tech.seen(ClipboardReceived)] == [FROM_CUSTOMER]
        assert clients.paste(qtbot) == "nach dem Ausschalten, Kundin"
        assert agent.worker.active is not None
        session = agent.worker.active.session
        assert (session.clipboard_sent, session.clipboard_received) == (1, 1)
        assert (tech.session.clipboard_sent, tech.session.clipboard_received) == (1, 1)
    finally:
        tech.close()

    # Both directions are in the customer's record as counts, never the text.
    def clip_events() -> list[dict[str, object]]:
        return named(records(tmp_path, "agent"), "clipboard")

    qtbot.waitUntil(lambda: len(clip_events()) == 2, timeout=5000)
    assert [(e["direction"], e["chars"]) for e in clip_events()] == [
        ("to_customer", len(FROM_TECHNICIAN)), ("to_technician", len(FROM_CUSTOMER))]
    text = "".join((tmp_path / "agent-data" / "audit").glob("*-agent.jsonl").__next__()
                   .read_text(encoding="utf-8").splitlines())
    assert "Lizenz" not in text and "Kundin kopiert" not in text
    changes = named(records(tmp_path, "agent"), "permissions_changed")
    assert changes[-1]["permissions"] == ["control", "view"]


def test_without_the_permission_no_clipboard_text_crosses(
        qtbot, agent: AgentApp, relay_url: str, clients: Clients, sealed: list[int]) -> None:
    """The technician asked for the clipboard; the customer left it unticked. Both sides copy:
    no ClipboardText is sealed anywhere, and a hostile technician's forced one is dropped."""
    tech = join(qtbot, agent, relay_url, {"view", "control", "clipboard"}, set())
    try:
        assert tech.session.permissions == frozenset({"view", "control"})
        assert agent.overlay is not None and agent.overlay.permission_marker_text() == ""
        assert not agent.clipboard.enabled
        clients.xclip_copy(FROM_CUSTOMER.encode())
        tech.call(lambda s: s.send_clipboard(FROM_TECHNICIAN))  # the session sends nothing
        qtbot.wait(1500)
        assert CLIPBOARD_TEXT not in sealed
        assert not tech.seen(ClipboardReceived)
        assert clients.paste(qtbot) == FROM_CUSTOMER  # the customer's clipboard untouched
        assert agent.worker.active is not None
        session = agent.worker.active.session
        assert (session.clipboard_sent, session.clipboard_received) == (0, 0)
        assert (tech.session.clipboard_sent, tech.session.clipboard_received) == (0, 0)

        # A hostile console seals one anyway: the agent drops and counts it, the customer's
        # clipboard keeps what she copied.
        def force(s) -> Step:
            step = Step()
            s._send(step, m.ClipboardText("untergeschoben"))
            return step

        tech.call(force)
        qtbot.waitUntil(lambda: session.dropped_inputs["ClipboardText"] == 1, timeout=5000)
        assert clients.paste(qtbot) == FROM_CUSTOMER
        assert session.clipboard_received == 0
    finally:
        tech.close()


def test_asked_later_the_customer_allows_on_the_panel_then_it_works(
        qtbot, agent: AgentApp, relay_url: str, clients: Clients, sealed: list[int],
        tmp_path: Path) -> None:
    """The technician did not ask at first: nothing optional in the dialog; asked later, the
    panel asks (Allow / Not now) and only the customer's Allow turns the clipboard on."""
    tech = join(qtbot, agent, relay_url, {"view", "control"}, set())
    try:
        assert agent.overlay is not None
        request = agent.overlay.panel.permission_request
        tech.call(lambda s: s.ask_permissions(frozenset({"clipboard"})))
        qtbot.waitUntil(request.isVisible, timeout=10000)
        assert request.text.text() == "Eva Technik also asks to:"
        assert request.asked() == frozenset({"clipboard"})
        # "Not now" first: nothing changes, nothing crosses.
        qtbot.mouseClick(request.not_now_button, Qt.MouseButton.LeftButton)
        tech.call(lambda s: s.send_clipboard("zu früh"))
        qtbot.wait(500)
        assert CLIPBOARD_TEXT not in sealed and not agent.clipboard.enabled
        # Asked again (the budget allows a few), this time allowed.
        tech.call(lambda s: s.ask_permissions(frozenset({"clipboard"})))
        qtbot.waitUntil(request.isVisible, timeout=10000)
        qtbot.mouseClick(request.allow_button, Qt.MouseButton.LeftButton)
        tech.wait_for(PermissionsChanged, lambda e: "clipboard" in e.permissions)
        qtbot.waitUntil(lambda: agent.clipboard.enabled, timeout=5000)
        assert agent.overlay.permission_marker_text() == "Clipboard shared"
        tech.call(lambda s: s.send_clipboard(FROM_TECHNICIAN))
        assert paste_is(qtbot, clients, FROM_TECHNICIAN)
    finally:
        tech.close()
    asked = named(records(tmp_path, "agent"), "permissions_requested")
    assert [e["permissions"] for e in asked] == [["clipboard"], ["clipboard"]]
