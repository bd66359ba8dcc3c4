"""desktop/chat.py: the one rule both drivers follow for the chat's record and sending.

Real session machines on both sides (shared.session, keys agreed and consent given as in
tests/shared/test_session.py); the driver around them is a recorder of what it is asked to do
(audit, handle, sink), because the rule is what is tested here. The real drivers run it in
tests/e2e/test_chat.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.chat import (
    CUSTOMER,
    TECHNICIAN,
    ChatNotSent,
    ChatSent,
    chat_received,
    send_chat,
)
from shared.session import AgentSession, ChatReceived, ConsoleSession, Step
from tests.shared.test_session import active, pump


@dataclass
class Recorder:
    session: AgentSession | ConsoleSession
    link_down: bool = False
    audited: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    sent: list[bytes] = field(default_factory=list)
    sunk: list[object] = field(default_factory=list)
    audit_works: bool = True

    def audit(self, event: str, **details: object) -> bool:
        if self.audit_works:
            self.audited.append((event, details))
        return self.audit_works

    def handle(self, step: Step) -> None:
        self.sent += step.outgoing

    def sink(self, ev: object) -> None:
        self.sunk.append(ev)


def test_not_recorded_unless_the_customer_opted_in_then_on_both_sides() -> None:
    a, c, _ = active(frozenset({"view"}))
    agent, console = Recorder(a), Recorder(c)
    send_chat(console, "Grüße aus Köln\nÄrger? Nö.", TECHNICIAN)
    assert console.sunk == [ChatSent("Grüße aus Köln\nÄrger? Nö.")] and console.audited == []
    a_ev, _ = pump(a, c, [], console.sent)
    received = [e for e in a_ev if isinstance(e, ChatReceived)]
    assert received == [ChatReceived("Grüße aus Köln\nÄrger? Nö.", 0)]
    chat_received(agent, received[0], TECHNICIAN)
    assert agent.sunk == received and agent.audited == []

    # What AgentSessionDriver.set_chat_recording asks of it; ChatRecording tells the console.
    pump(a, c, a.set_chat_recording(True).outgoing, [])
    assert c.chat_recorded
    send_chat(agent, "Jetzt mit Protokoll.", CUSTOMER)
    assert agent.audited == [("chat", {"sender": "customer", "text": "Jetzt mit Protokoll."})]
    _, c_ev = pump(a, c, agent.sent, [])
    line = next(e for e in c_ev if isinstance(e, ChatReceived))
    chat_received(console, line, CUSTOMER)
    assert console.audited == [("chat", {"sender": "customer", "text": "Jetzt mit Protokoll."})]


def test_a_line_that_cannot_be_recorded_is_neither_sent_nor_shown() -> None:
    a, _c, _ = active()
    a.set_chat_recording(True)
    agent = Recorder(a, audit_works=False)
    send_chat(agent, "hallo", CUSTOMER)
    assert agent.sent == [] and agent.sunk == []
    chat_received(agent, ChatReceived("hi"), TECHNICIAN)
    assert agent.sunk == []


def test_refused_text_and_a_link_being_re_made_send_nothing_and_never_raise() -> None:
    _a, c, _ = active()
    console = Recorder(c)
    send_chat(console, "x" * 10_240, TECHNICIAN)  # the window checks first; still safe
    send_chat(console, "", TECHNICIAN)
    assert console.sent == [] and console.sunk == []
    console.link_down = True
    send_chat(console, "noch da?", TECHNICIAN)
    assert console.sent == [] and console.sunk == [ChatNotSent("noch da?")]


def test_nothing_after_the_session_ended() -> None:
    _a, c, _ = active()
    c.end("technician_ended")
    console = Recorder(c)
    send_chat(console, "zu spät", TECHNICIAN)
    assert console.sent == [] and console.sunk == []
