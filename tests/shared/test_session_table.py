"""The session machines' transition tables, enumerated.

Every listed (role, phase, message) transition is taken and lands where the table says; every
pair the table does not list ends the session with ``protocol_error`` and the documented
"Unexpected ..." text, so a new message type or phase cannot slip in unlisted. The local actions
are enumerated the same way: allowed ones move the session as listed, the rest do nothing (or
raise LocalProtocolError where doing nothing would hide a bug).
"""

from __future__ import annotations

import typing
from collections.abc import Callable

import pytest

from shared import messages as m
from shared.channel import SecureChannel
from shared.errors import LocalProtocolError
from shared.session import (
    LOCAL_TRANSITIONS,
    TRANSITIONS,
    AgentSession,
    ConsoleSession,
    NotPermitted,
    Phase,
    SessionEnded,
    Step,
    event_key,
)
from tests.shared.test_session import CODE

Session = AgentSession | ConsoleSession
BOTH = frozenset({"view", "control"})
#: What the sessions of these tables ask for and are granted: everything, so that every local
#: action (clipboard, files) does something while active.
FULL = frozenset({"view", "control", "clipboard", "files_in", "files_out"})
HASH = "0" * 64
#: Phases in which messages go through the tables (HANDSHAKE takes handshake frames, ENDED
#: ignores everything).
TABLED = (Phase.INTRODUCING, Phase.CONSENT, Phase.ACTIVE)


def samples(receiver: str) -> list[m.Message]:
    """One valid message of every type (both kinds of consent answer) for ``receiver``."""
    peer_role: typing.Any = "console" if receiver == "agent" else "agent"
    return [
        m.Hello(m.PROTOCOL_VERSION, "0.1.0", peer_role, "Eva"),
        m.ConsentRequest(BOTH),
        m.ConsentDecision(True, BOTH),
        m.ConsentDecision(False, frozenset()),
        m.PermissionChange(frozenset({"view"})),
        m.ChatText("hello"),
        m.End("technician_ended"),
        m.Error("protocol_error", "Broken."),
        m.TechnicianProof(b"not a certificate", bytes(64)),
        m.PointerMove(1, 1),
        m.PointerButton("left", True, 1, 1),
        m.Wheel(0, 1, 1, 1),
        m.Key("KeyA", "a", True),
        m.FrameUpdate(4, 4, (), 0),
        m.FrameAck(0),
        m.CursorUpdate(0, 0, True),
        m.StreamSettings(75, 0),
        m.Ping(1),
        m.Pong(1),
        m.ChatRecording(True),
        m.SharingPaused(True, "customer"),
        m.SystemNotice("foreground_elevated"),
        m.Monitors((m.Monitor(0, 0, 640, 480, True),), 1),
        m.ChooseMonitor(1),
        m.LinkEstimate(500_000, 45, 40, 5),
        m.LaserPointer(True, 5, 5),
        m.Annotation(1, "arrow", ((1, 1), (9, 9))),
        m.AnnotationClear(),
        m.PermissionRequest(frozenset({"clipboard"})),
        m.ClipboardText("Lizenz 1234"),
        m.FileOffer(1, "a.txt", 1, HASH),
        m.FileAccept(1, 0),
        m.FileChunk(1, 0, b"x"),
        m.FileAck(1, 1),
        m.FileComplete(1),
        m.FileCancel(1, "to_customer", "cancelled"),
    ]


def _name(key: object) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return "-".join(p if isinstance(p, str) else p.__name__ for p in parts)


def test_the_samples_cover_every_message_type() -> None:
    """A new message type must be added here, and so to the enumeration below."""
    assert {type(msg) for msg in samples("agent")} == set(typing.get_args(m.Message))


def keyed() -> tuple[AgentSession, ConsoleSession]:
    """Both sides past the handshake (INTRODUCING); everything sealed after it is dropped."""
    a, c = AgentSession(CODE), ConsoleSession(CODE, name="Eva", requested=FULL)
    a_out, c_out = [a.start()], [c.start()]
    while a_out or c_out:
        to_c, a_out = a_out, []
        to_a, c_out = c_out, []
        for data in to_c:
            if c.phase is Phase.HANDSHAKE:
                c_out += c.receive(data).outgoing
        for data in to_a:
            if a.phase is Phase.HANDSHAKE:
                a_out += a.receive(data).outgoing
    assert a.phase is c.phase is Phase.INTRODUCING
    return a, c


def impostor(of: Session) -> SecureChannel:
    """A channel sealing as ``of`` would, counter 0: the peer's messages are written here."""
    channel = of._channel
    assert isinstance(channel, SecureChannel)
    return SecureChannel(channel._send_key, channel._recv_key)


def feed(session: Session, peer: SecureChannel, msg: m.Message) -> Step:
    return session.receive(peer.seal(m.encode(msg)))


def at(role: str, phase: Phase) -> tuple[Session, SecureChannel | None]:
    """A session of ``role`` in ``phase``, and the channel its peer's messages are sealed with."""
    if phase is Phase.HANDSHAKE:
        fresh: Session = AgentSession(CODE) if role == "agent" else ConsoleSession(CODE, name="E")
        fresh.start()
        return fresh, None
    a, c = keyed()
    session: Session = a if role == "agent" else c
    peer = impostor(c if role == "agent" else a)
    steps: list[m.Message] = []
    if phase in (Phase.CONSENT, Phase.ACTIVE):
        steps.append(samples(role)[0])  # the peer's Hello
        if role == "agent":
            steps.append(m.ConsentRequest(FULL))
        elif phase is Phase.ACTIVE:
            steps.append(m.ConsentDecision(True, FULL))
    for msg in steps:
        feed(session, peer, msg)
    if role == "agent" and phase is Phase.ACTIVE:
        assert isinstance(session, AgentSession)
        session.decide(True, FULL)
    if phase is Phase.ENDED:
        session.end("technician_ended")
    assert session.phase is phase
    return session, peer


CASES = [
    (role, phase, msg)
    for role in ("agent", "console")
    for phase in TABLED
    for msg in samples(role)
]


def _case_id(case: tuple[str, Phase, m.Message]) -> str:
    role, phase, msg = case
    return f"{role}-{phase.value}-{_name(event_key(msg))}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_every_message_in_every_phase_follows_the_table(
    case: tuple[str, Phase, m.Message],
) -> None:
    role, phase, msg = case
    session, peer = at(role, phase)
    assert peer is not None
    if role == "agent" and phase is Phase.INTRODUCING and isinstance(
            msg, m.ConsentRequest | m.TechnicianProof):
        feed(session, peer, samples(role)[0])  # the agent takes these after the Hello
    after = TRANSITIONS[role][phase].get(event_key(msg))
    if after is not None:
        in_context(session, peer, msg)
    step = feed(session, peer, msg)
    if after is None:
        end = step.events[-1]
        assert isinstance(end, SessionEnded) and not end.by_peer
        assert end.reason == "protocol_error"
        assert end.message == (f"Unexpected {type(msg).__name__} while the session is "
                               f"{phase.value}.")
        assert session.phase is Phase.ENDED
    else:
        assert session.phase is after
        ended = [e for e in step.events if isinstance(e, SessionEnded)]
        assert (after is Phase.ENDED) == bool(ended)
        assert all(e.by_peer for e in ended)  # only the peer's End/Error ends it here


def in_context(session: Session, peer: SecureChannel, msg: m.Message) -> None:
    """Open transfer 1 where ``msg`` needs one (a file message for a transfer that was never
    offered ends the session: test_session_files.py)."""
    def sending() -> None:
        session.offer_file("a.txt", 1, HASH)
        if not isinstance(msg, m.FileAccept):
            feed(session, peer, m.FileAccept(1, 0))
            session.send_file_chunk(1, 0, b"x")

    def receiving() -> None:
        feed(session, peer, m.FileOffer(1, "a.txt", 1, HASH))
        session.accept_file(1)

    if isinstance(msg, m.FileAccept | m.FileAck | m.FileComplete):
        sending()
    elif isinstance(msg, m.FileChunk):
        receiving()
    elif isinstance(msg, m.FileCancel):
        receiving() if isinstance(session, AgentSession) else sending()


def test_ended_sessions_ignore_every_message() -> None:
    for role in ("agent", "console"):
        session, peer = at(role, Phase.ENDED)
        assert peer is not None
        for msg in samples(role):
            step = feed(session, peer, msg)
            assert step.outgoing == [] and step.events == []


PROOF = m.TechnicianProof(b"not a certificate", bytes(64))


def test_the_agent_takes_one_hello_and_the_request_only_after_it() -> None:
    """The rules the table's keys cannot say, checked where the message is handled: one Hello,
    the request and at most one proof only after it."""
    hello = samples("agent")[0]
    for prelude, msg in (([], m.ConsentRequest(BOTH)),
                         ([hello], hello),
                         ([], PROOF),
                         ([hello, PROOF], PROOF)):
        session, peer = at("agent", Phase.INTRODUCING)
        assert peer is not None
        for earlier in prelude:
            feed(session, peer, earlier)
        end = feed(session, peer, msg).events[-1]
        assert isinstance(end, SessionEnded) and end.reason == "protocol_error"
        assert f"Unexpected {type(msg).__name__} while the session is introducing" in end.message


#: The session's rules written out independently of the tables, so that a change to a table
#: must be made here too, on purpose: (role, phase) -> what the peer may send.
ANYTIME = {"End", "Error", "Ping"}
INPUT = {"PointerMove", "PointerButton", "Wheel", "Key"}
SHOW = {"LaserPointer", "Annotation", "AnnotationClear"}
FILES = {"ClipboardText", "FileOffer", "FileAccept", "FileChunk", "FileAck", "FileComplete",
         "FileCancel"}
EXPECTED: dict[tuple[str, Phase], set[str]] = {
    ("agent", Phase.INTRODUCING): ANYTIME | {"Hello", "TechnicianProof", "ConsentRequest"},
    ("agent", Phase.CONSENT): ANYTIME | INPUT | {"FrameAck"},
    ("agent", Phase.ACTIVE): ANYTIME | INPUT | SHOW | FILES | {
        "FrameAck", "StreamSettings", "Pong", "ChatText", "ChooseMonitor", "PermissionRequest"},
    ("console", Phase.INTRODUCING): ANYTIME | {"Hello"},
    ("console", Phase.CONSENT): ANYTIME | {"ConsentDecision-allowed", "ConsentDecision-denied"},
    ("console", Phase.ACTIVE): ANYTIME | FILES | {
        "FrameUpdate", "CursorUpdate", "PermissionChange", "Pong", "ChatText", "ChatRecording",
        "SharingPaused", "Monitors", "LinkEstimate", "SystemNotice"},
}


def test_the_tables_say_what_the_protocol_documents() -> None:
    for (role, phase), allowed in EXPECTED.items():
        assert {_name(k) for k in TRANSITIONS[role][phase]} == allowed, (role, phase)
    assert TRANSITIONS["console"][Phase.CONSENT][(m.ConsentDecision, "denied")] is Phase.CONSENT
    assert TRANSITIONS["agent"][Phase.INTRODUCING][m.ConsentRequest] is Phase.CONSENT
    assert TRANSITIONS["console"][Phase.INTRODUCING][m.Hello] is Phase.CONSENT


def test_every_phase_of_both_roles_has_a_table() -> None:
    for table in (TRANSITIONS, LOCAL_TRANSITIONS):
        assert set(table) == {"agent", "console"}
        for phases in table.values():
            assert set(phases) == set(Phase)
            assert phases[Phase.ENDED] == {}


# ------------------------------------------------------------------ local actions

Action = Callable[[Session], Step | bytes]
ACTIONS: dict[str, dict[str, Action]] = {
    "agent": {
        "allow": lambda s: typing.cast(AgentSession, s).decide(True, BOTH),
        "deny": lambda s: typing.cast(AgentSession, s).decide(False, BOTH),
        "set_permission": lambda s: typing.cast(AgentSession, s).set_control(False),
        "seal": lambda s: typing.cast(AgentSession, s).seal_frame(m.FrameUpdate(4, 4, (), 0)),
        "chat": lambda s: s.send_chat("Grüß Gott"),
        "chat_recording": lambda s: typing.cast(AgentSession, s).set_chat_recording(True),
        "pause": lambda s: typing.cast(AgentSession, s).set_paused(True, "timeout"),
        "monitors": lambda s: typing.cast(AgentSession, s).set_monitors(
            (m.Monitor(0, 0, 640, 480, True), m.Monitor(640, 0, 800, 600)), 2),
        "clipboard": lambda s: s.send_clipboard("Lizenz 1234"),
        "files": lambda s: s.offer_file("a.txt", 1, HASH)[1],
        "notice": lambda s: typing.cast(AgentSession, s).send_notice("foreground_elevated"),
        "end": lambda s: s.end("customer_ended"),
    },
    "console": {
        "send_input": lambda s: typing.cast(ConsoleSession, s).send_input(m.PointerMove(1, 1)),
        "ack": lambda s: typing.cast(ConsoleSession, s).ack(3),
        "stream_settings": lambda s: typing.cast(ConsoleSession, s).set_stream_settings(50, 0),
        "ping": lambda s: typing.cast(ConsoleSession, s).ping(),
        "chat": lambda s: s.send_chat("Grüß Gott"),
        "show": lambda s: typing.cast(ConsoleSession, s).send_show(m.LaserPointer(True, 3, 4)),
        "choose_monitor": lambda s: typing.cast(ConsoleSession, s).choose_monitor(2),
        "ask_permissions": lambda s: _ask_again(typing.cast(ConsoleSession, s)),
        "clipboard": lambda s: s.send_clipboard("Lizenz 1234"),
        "files": lambda s: s.offer_file("a.txt", 1, HASH)[1],
        "end": lambda s: s.end("technician_ended"),
    },
}
#: Local actions that raise NotPermitted outside their phase (doing nothing would hide a bug).
RAISING = {"seal", "files"}


def _ask_again(session: ConsoleSession) -> Step:
    """Ask for the clipboard again after the customer took it away."""
    session.permissions -= {"clipboard"}
    return session.ask_permissions(frozenset({"clipboard"}))


LOCAL_CASES = [
    (role, phase, action)
    for role, actions in ACTIONS.items()
    for phase in Phase
    for action in actions
]


def test_the_actions_cover_the_local_table() -> None:
    for role, phases in LOCAL_TRANSITIONS.items():
        for actions in phases.values():
            assert set(actions) <= set(ACTIONS[role])


@pytest.mark.parametrize(("role", "phase", "action"), LOCAL_CASES,
                         ids=[f"{r}-{p.value}-{a}" for r, p, a in LOCAL_CASES])
def test_every_local_action_in_every_phase_follows_the_table(
    role: str, phase: Phase, action: str,
) -> None:
    session, _ = at(role, phase)
    after = LOCAL_TRANSITIONS[role][phase].get(action)
    if action in RAISING and after is None:
        with pytest.raises(NotPermitted):
            ACTIONS[role][action](session)
        assert issubclass(NotPermitted, LocalProtocolError)  # our bug, never the peer's
        assert session.phase is phase
        return
    result = ACTIONS[role][action](session)
    if after is None:
        assert isinstance(result, Step) and result.outgoing == [] and result.events == []
        assert session.phase is phase
    else:
        assert result if isinstance(result, bytes) else (result.outgoing or result.events)
        assert session.phase is after
