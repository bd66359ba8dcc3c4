"""Issue 17's session rules: permissions asked for later, clipboard text and file transfers.

Both machines are real (real handshake and channel); a hostile peer is the other machine's
channel sealing what it likes (``forge``). Time is an injected clock. ``Shell`` plays what
desktop/transfers.py does around the session: it writes received chunks into a bytearray and
reads what the window asks for from bytes, so whole transfers run here without files.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared.errors import LocalProtocolError
from shared.session import (
    CLIPBOARD_BURST,
    CLIPBOARD_PROBLEMS,
    DEFAULT_MAX_FILE,
    GRANTABLE,
    OPTIONAL,
    REQUEST_BURST,
    AgentSession,
    ClipboardReceived,
    ClipboardRefused,
    ConsoleSession,
    Event,
    FileAccepted,
    FileCancelled,
    FileChunkReceived,
    FileCompleted,
    FileOffered,
    FileProgress,
    FileVerified,
    NotPermitted,
    PermissionsChanged,
    PermissionsRequested,
    Phase,
    SessionEnded,
    Step,
    TransferRefused,
    clipboard_problem,
    offer_name,
)
from shared.transfer import FileInfo
from tests.shared.test_session import CODE, pump
from tests.shared.test_session_talk import Clock, deliver, forge, resume

ALL = frozenset({"view", "control", "clipboard", "files_in", "files_out"})
VIEW = frozenset({"view"})
Session = AgentSession | ConsoleSession


def pair(grant: frozenset[str] | None = ALL, requested: frozenset[str] = ALL,
         clock: Clock | None = None) -> tuple[AgentSession, ConsoleSession]:
    """Both sides after the consent request (``grant`` None), or active with ``grant``."""
    clock = clock or Clock()
    a = AgentSession(CODE, clock=clock, transfer_clock=clock)
    c = ConsoleSession(CODE, name="Eva", requested=requested, clock=clock, transfer_clock=clock)
    pump(a, c, [a.start()], [c.start()])
    assert a.phase is Phase.CONSENT
    if grant is not None:
        pump(a, c, a.decide(True, grant).outgoing, [])
        assert a.phase is c.phase is Phase.ACTIVE
    return a, c


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def of(events: Sequence[object], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def ended(events: Sequence[object]) -> SessionEnded:
    end = events[-1]
    assert isinstance(end, SessionEnded), events
    return end


# ------------------------------------------------------------------ permissions


def test_the_permission_sets() -> None:
    assert GRANTABLE == ALL and {"clipboard", "files_in", "files_out"} == OPTIONAL
    assert ConsoleSession(CODE, name="E").requested == {"view", "control"}  # optional: on purpose


def test_the_customer_grants_only_what_she_ticked_of_what_was_asked() -> None:
    a, c = pair(grant=None)
    pump(a, c, a.decide(True, frozenset({"view", "clipboard", "files_in", "chat"})).outgoing, [])
    assert a.permissions == c.permissions == {"view", "clipboard", "files_in"}


def test_set_permission_grants_and_revokes_what_was_asked_for() -> None:
    a, c = pair(grant=VIEW, requested=frozenset({"view", "clipboard"}))
    step = a.set_permission("clipboard", True)
    assert PermissionsChanged(frozenset({"view", "clipboard"})) in step.events
    assert PermissionsChanged(frozenset({"view", "clipboard"})) in deliver(c, step)
    for name in ("files_in", "control", "view", "chat", "nonsense"):  # never asked / not so
        assert a.set_permission(name, True).outgoing == []
    assert a.set_permission("view", False).outgoing == []  # the session itself: End instead
    step = a.set_permission("clipboard", False)
    assert deliver(c, step) == [PermissionsChanged(VIEW)] and c.permissions == VIEW
    assert a.set_permission("clipboard", False).outgoing == []  # no change, no message


def test_set_control_still_works() -> None:
    a, c = pair(grant=frozenset({"view", "control"}))
    assert deliver(c, a.set_control(False)) == [PermissionsChanged(VIEW)]
    assert deliver(c, a.set_control(True)) == [PermissionsChanged(frozenset({"view", "control"}))]


def test_asking_later_reaches_the_customer_and_her_grant_is_no_protocol_error() -> None:
    a, c = pair(grant=VIEW, requested=VIEW)
    step = c.ask_permissions(frozenset({"files_in", "clipboard"}))
    assert c.requested == {"view", "files_in", "clipboard"}
    assert deliver(a, step) == [PermissionsRequested(frozenset({"clipboard", "files_in"}))]
    assert a.requested >= {"clipboard", "files_in"}
    events = deliver(c, a.set_permission("files_in", True))
    assert events == [PermissionsChanged(frozenset({"view", "files_in"}))] and not c.ended
    # Asking for what is granted: the console sends nothing, a forged request shows nothing.
    assert c.ask_permissions(frozenset({"files_in"})).outgoing == []
    assert a.receive(forge(c, m.PermissionRequest(frozenset({"files_in"})))).events == []


def test_asking_needs_an_active_session_and_known_names() -> None:
    _a, c = pair(grant=None)
    assert c.ask_permissions(frozenset({"clipboard"})).outgoing == []
    for bad in (frozenset(), frozenset({"view"}), frozenset({"chat"})):
        with pytest.raises(ValueError):
            c.ask_permissions(bad)


def test_permission_requests_have_a_budget() -> None:
    clock = Clock()
    a, c = pair(grant=VIEW, requested=VIEW, clock=clock)
    asked = [a.receive(forge(c, m.PermissionRequest(frozenset({"clipboard"})))).events
             for _ in range(REQUEST_BURST + 2)]
    assert [bool(e) for e in asked] == [True] * REQUEST_BURST + [False, False]
    assert a.dropped_inputs["PermissionRequest"] == 2
    clock.t += 10.0
    assert a.receive(forge(c, m.PermissionRequest(frozenset({"clipboard"})))).events
    assert not a.receive(forge(c, m.PermissionRequest(frozenset({"clipboard"})))).events


# ------------------------------------------------------------------ clipboard


def test_clipboard_goes_both_ways_while_allowed_and_is_counted() -> None:
    a, c = pair()
    assert deliver(a, c.send_clipboard("Lizenz: AB-12")) == [ClipboardReceived("Lizenz: AB-12")]
    assert deliver(c, a.send_clipboard("C:\\Temp\tx\n")) == [ClipboardReceived("C:\\Temp\tx\n")]
    assert (a.clipboard_sent, a.clipboard_received, c.clipboard_sent, c.clipboard_received) == (
        1, 1, 1, 1)


def _no_clipboard_nor_file_is_sealed(*sessions: Session) -> None:
    for s in sessions:
        assert s.send_clipboard("geheim").outgoing == []
        with pytest.raises(NotPermitted):
            s.offer_file("a.txt", 1, "0" * 64)
        assert not s.clipboard_allowed and not s.files_allowed


def test_nothing_crosses_without_the_permission_on_every_path() -> None:
    """Before consent, denied, never granted, revoked, paused: no ClipboardText, FileOffer or
    FileChunk is sealed (send_clipboard is silent, offer_file raises, chunks are dropped)."""
    a, c = pair(grant=None)  # before consent
    _no_clipboard_nor_file_is_sealed(a, c)
    step = a.decide(False, ALL)  # denied
    pump(a, c, step.outgoing, [])
    _no_clipboard_nor_file_is_sealed(a, c)
    a, c = pair(grant=frozenset({"view", "control"}))  # not granted
    _no_clipboard_nor_file_is_sealed(a, c)
    a, c = pair()  # granted, then a transfer each way, then revoked
    sending = c.offer_file("in.bin", 10, "0" * 64)[0]
    pump(a, c, [], [])
    for name in ("clipboard", "files_in", "files_out"):
        pump(a, c, a.set_permission(name, False).outgoing, [])
    _no_clipboard_nor_file_is_sealed(a, c)
    assert c.send_file_chunk(sending, 0, b"x" * 10).outgoing == []
    a, c = pair()  # granted, then paused
    c_id, offer = c.offer_file("in.bin", 10, "0" * 64)
    pump(a, c, a.accept_file(c_id, 0).outgoing if deliver(a, offer) else [], [])
    pump(a, c, a.set_paused(True, "customer").outgoing, [])
    _no_clipboard_nor_file_is_sealed(a, c)
    assert c.send_file_chunk(c_id, 0, b"x" * 10).outgoing == []
    assert c.outgoing(c_id) is not None and c.outgoing(c_id).next_chunk(0.0) is None  # type: ignore[union-attr]


@pytest.mark.parametrize("receiver", ["agent", "console"])
def test_forged_clipboard_without_the_permission_is_dropped_and_counted(receiver: str) -> None:
    a, c = pair(grant=frozenset({"view", "control"}))
    target, sender = (a, c) if receiver == "agent" else (c, a)
    assert target.receive(forge(sender, m.ClipboardText("rm -rf /"))).events == []
    dropped = a.dropped_inputs if receiver == "agent" else c.dropped
    assert dropped["ClipboardText"] == 1 and not target.ended


def test_clipboard_in_flight_after_a_revoke_is_dropped() -> None:
    a, c = pair()
    in_flight = c.send_clipboard("one more")
    pump(a, c, a.set_permission("clipboard", False).outgoing, [])
    assert deliver(a, in_flight) == [] and a.dropped_inputs["ClipboardText"] == 1


def test_clipboard_budget_is_a_burst_then_one_per_second() -> None:
    clock = Clock()
    a, c = pair(clock=clock)
    got = [deliver(a, c.send_clipboard(f"t{i}")) for i in range(CLIPBOARD_BURST + 3)]
    assert sum(bool(e) for e in got) == CLIPBOARD_BURST
    assert a.dropped_inputs["ClipboardText"] == 3
    clock.t += 1.0
    assert deliver(a, c.send_clipboard("later")) == [ClipboardReceived("later")]


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"), ("x" * (m.MAX_CLIPBOARD + 1), "too_long"), ("a\x00b", "characters"),
    ("\ud800", "characters")])
def test_clipboard_text_the_protocol_cannot_carry_is_refused(text: str, problem: str) -> None:
    a, _c = pair()
    assert clipboard_problem(text) == problem
    with pytest.raises(ClipboardRefused) as info:
        a.send_clipboard(text)
    assert info.value.problem == problem and str(info.value) == CLIPBOARD_PROBLEMS[problem]
    assert issubclass(ClipboardRefused, LocalProtocolError)
    assert clipboard_problem("x" * m.MAX_CLIPBOARD) is None


# ------------------------------------------------------------------ files: a shell in memory


class Shell:
    """What desktop/transfers.py does around one session, in memory: sends what the windows
    ask for, writes what arrives, accepts every offer (maybe with a held prefix)."""

    def __init__(self, session: Session, files: dict[int, bytes] | None = None) -> None:
        self.session = session
        self.files = files or {}  # outgoing id -> content
        self.written: dict[int, bytearray] = {}
        self.prefix: bytes = b""  # a partial file held for the next offer
        self.accept = True
        #: a verified file lands (False: the disk refused it; None: not yet, see ``verified``)
        self.saves: bool | None = True
        self.verified: list[int] = []
        self.events: list[Event] = []
        self.now = 0.0

    def send(self, name: str, data: bytes) -> tuple[int, Step]:
        file_id, step = self.session.offer_file(name, len(data), digest(data))
        self.files[file_id] = data
        return file_id, step

    def handle(self, events: list[Event]) -> list[bytes]:
        out: list[bytes] = []
        for ev in events:
            self.events.append(ev)
            if isinstance(ev, FileOffered) and self.accept:
                incoming = self.session.incoming(ev.info.id)
                assert incoming is not None
                incoming.absorb_prefix(self.prefix)
                self.written[ev.info.id] = bytearray(self.prefix)
                out += self.run(self.session.accept_file(ev.info.id, len(self.prefix)))
            elif isinstance(ev, FileChunkReceived):
                buf = self.written[ev.id]
                assert len(buf) == ev.offset
                buf += ev.data
                out += self.run(self.session.file_written(ev.id, len(buf)))
            elif isinstance(ev, FileVerified):  # put in place (or not), then say so
                self.verified.append(ev.info.id)
                if self.saves is not None:
                    out += self.run(self.session.file_landed(ev.info.id, saved=self.saves))
            elif isinstance(ev, FileAccepted | FileProgress):
                out += self.fill()
        return out

    def run(self, step: Step) -> list[bytes]:
        return step.outgoing + self.handle(step.events)

    def fill(self) -> list[bytes]:
        out: list[bytes] = []
        for file_id, data in self.files.items():
            window = self.session.outgoing(file_id)
            while window is not None and (ask := window.next_chunk(self.now)) is not None:
                offset, length = ask
                out += self.session.send_file_chunk(file_id, offset,
                                                    data[offset:offset + length]).outgoing
        return out


def talk(a: Shell, c: Shell, a_out: list[bytes], c_out: list[bytes],
         limit: int | None = None) -> tuple[list[bytes], list[bytes]]:
    """Deliver both ways until quiet (or ``limit`` rounds): what is left to deliver (the
    agent's, the console's)."""
    delivered = 0
    while (a_out or c_out) and (limit is None or delivered < limit):
        to_c, a_out = a_out, []
        to_a, c_out = c_out, []
        for data in to_c:
            c_out += c.run(c.session.receive(data))
        for data in to_a:
            a_out += a.run(a.session.receive(data))
        delivered += 1
    return a_out, c_out


CONTENT = bytes(range(256)) * 3000 + b"tail"  # 768 004 bytes: three chunks
BIG = bytes(range(251)) * 12_600  # 3.2 MB: more than the first window


@pytest.mark.parametrize("sender", ["console", "agent"])
def test_a_file_goes_over_whole_and_checked(sender: str) -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    src, dst = (sc, sa) if sender == "console" else (sa, sc)
    file_id, step = src.send("../../Bericht.pdf", CONTENT)
    if sender == "console":
        talk(sa, sc, [], step.outgoing)
    else:
        talk(sa, sc, step.outgoing, [])
    offered = of(dst.events, FileOffered)
    direction = "to_customer" if sender == "console" else "to_technician"
    assert offered == [FileOffered(FileInfo(file_id, "Bericht.pdf", len(CONTENT),
                                            digest(CONTENT), direction))]
    assert bytes(dst.written[file_id]) == CONTENT
    assert of(dst.events, FileCompleted) == of(src.events, FileCompleted) == [
        FileCompleted(offered[0].info)]
    progress = of(src.events, FileProgress)
    assert progress[-1] == FileProgress(direction, file_id, len(CONTENT), len(CONTENT))
    assert a.outgoing(file_id) is c.outgoing(file_id) is None
    assert a.incoming(file_id) is c.incoming(file_id) is None


def test_an_empty_file_completes_at_its_accept() -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    _, step = sc.send("leer.txt", b"")
    talk(sa, sc, [], step.outgoing)
    assert len(of(sa.events, FileCompleted)) == len(of(sc.events, FileCompleted)) == 1


def test_a_wrong_hash_is_never_a_file() -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = c.offer_file("x.exe", len(CONTENT), digest(b"something else"))
    sc.files[file_id] = CONTENT
    talk(sa, sc, [], step.outgoing)
    assert of(sa.events, FileCompleted) == []
    assert of(sa.events, FileCancelled) == [FileCancelled("to_customer", file_id,
                                                          "hash_mismatch", False)]
    assert of(sc.events, FileCancelled) == [FileCancelled("to_customer", file_id,
                                                          "hash_mismatch", True)]


def test_an_offer_without_the_permission_is_refused_never_a_file() -> None:
    a, c = pair(grant=frozenset({"view", "files_out"}))
    step = a.receive(forge(c, m.FileOffer(1, "evil.exe", 3, "0" * 64)))
    assert of(step.events, FileOffered) == [] and a.incoming(1) is None and not a.ended
    assert a.dropped_inputs["FileOffer"] == 1 and len(step.outgoing) == 1  # FileCancel refused
    # A console that offered it while the customer revoked (crossing): one cancel, no file.
    a, c = pair()
    revoke = a.set_permission("files_in", False)
    file_id, offer = c.offer_file("a.txt", 3, "0" * 64)
    refusal = deliver_out(a, offer)
    assert a.incoming(file_id) is None and a.dropped_inputs["FileOffer"] == 1
    events = deliver(c, revoke) + deliver(c, Step(outgoing=refusal))
    assert of(events, FileCancelled) == [FileCancelled("to_customer", file_id, "revoked", True)]
    assert c.outgoing(file_id) is None and not c.ended


def deliver_out(receiver: Session, step: Step) -> list[bytes]:
    out: list[bytes] = []
    for data in step.outgoing:
        out += receiver.receive(data).outgoing
    return out


def test_an_offer_over_the_receivers_cap_is_too_large() -> None:
    a, c = pair()
    assert a.max_file_size == DEFAULT_MAX_FILE == 4 * 1024**3
    a.max_file_size = 1000
    file_id, offer = c.offer_file("big.iso", 1001, "0" * 64)
    step = Step()
    for data in offer.outgoing:
        got = a.receive(data)
        step.outgoing += got.outgoing
        step.events += got.events
    assert step.events == [FileCancelled("to_customer", file_id, "too_large", False)]
    assert deliver(c, step) == [FileCancelled("to_customer", file_id, "too_large", True)]


@pytest.mark.parametrize(("name", "safe"), [
    ("C:\\Users\\eva\\Desktop\\a.txt", "a.txt"), ("../../x", "x"), ("CON", "_CON"),
    ("a\u202egnp.exe", "agnp.exe"), ("a\x00b", "ab")])
def test_hostile_names_are_sanitised_when_offered_and_when_received(name: str, safe: str) -> None:
    assert offer_name(name) == safe
    a, c = pair()
    _, offer = c.offer_file(name, 1, "0" * 64)
    assert of(deliver(a, offer), FileOffered)[0].info.name == safe
    if "\x00" not in name:  # a forged offer with the raw name: the receiver sanitises too
        step = a.receive(forge(c, m.FileOffer(2, name, 1, "0" * 64)))
        assert of(step.events, FileOffered)[0].info.name == safe


def test_a_300_character_name_is_cut_with_its_extension() -> None:
    """The sender cuts it before offering; a forged one of 255 (the wire's most) is cut by
    the receiver; 256 and more is a malformed message (test_messages_files.py)."""
    a, c = pair()
    _, offer = c.offer_file("n" * 296 + ".exe", 1, "0" * 64)
    name = of(deliver(a, offer), FileOffered)[0].info.name
    assert name.endswith(".exe") and len(name.encode()) <= 200
    step = a.receive(forge(c, m.FileOffer(2, "ü" * 251 + ".exe", 1, "0" * 64)))
    name = of(step.events, FileOffered)[0].info.name
    assert name.endswith(".exe") and len(name.encode()) <= 200


def test_offer_file_refuses_a_fifth_and_bad_values() -> None:
    a, c = pair()
    ids = [c.offer_file(f"{i}.txt", 1, "0" * 64)[0] for i in range(m.MAX_OPEN_TRANSFERS)]
    assert ids == [1, 2, 3, 4]
    with pytest.raises(TransferRefused) as info:
        c.offer_file("5.txt", 1, "0" * 64)
    assert info.value.problem == "too_many"
    c.cancel_file("to_customer", 2)
    assert c.offer_file("5.txt", 1, "0" * 64)[0] == 5  # ids only rise
    with pytest.raises(ValueError):
        a.offer_file("a", -1, "0" * 64)
    with pytest.raises(ValueError):
        a.offer_file("a", 1, "XYZ")
    with pytest.raises(ValueError):
        a.cancel_file("to_customer", 1, "because")


# ------------------------------------------------------------------ files: a hostile sender


def _offered(a: AgentSession, c: ConsoleSession, size: int = 10, accept: bool = True) -> int:
    step = a.receive(forge(c, m.FileOffer(1, "a.bin", size, digest(bytes(size)))))
    assert of(step.events, FileOffered)
    if accept:
        a.accept_file(1)
    return 1


@pytest.mark.parametrize(("msg", "text"), [
    (m.FileChunk(1, 1, b"x"), "byte 1; byte 0 was next"),
    (m.FileChunk(1, 0, b"x" * 11), "past the announced size"),
    (m.FileChunk(7, 0, b"x"), "never offered"),
    (m.FileAck(7, 0), "never offered"),
    (m.FileComplete(7), "never offered"),
    (m.FileCancel(7, "to_customer", "cancelled"), "never offered"),
    (m.FileAccept(1, 0), "never offered"),
    (m.FileOffer(1, "b.bin", 3, "0" * 64), "two files with one id"),
])
def test_a_hostile_sender_ends_the_session_as_protocol_error(msg: m.Message, text: str) -> None:
    a, c = pair()
    _offered(a, c)
    step = a.receive(forge(c, msg))
    end = ended(step.events)
    assert end.reason == "protocol_error" and text in end.message and a.ended
    assert of(step.events, FileChunkReceived) == []


def test_a_chunk_before_the_accept_is_a_protocol_error() -> None:
    a, c = pair()
    _offered(a, c, accept=False)
    end = ended(a.receive(forge(c, m.FileChunk(1, 0, b"x"))).events)
    assert "before the file was accepted" in end.message


def test_more_than_four_open_transfers_is_a_protocol_error() -> None:
    a, c = pair()
    for i in range(1, m.MAX_OPEN_TRANSFERS + 1):
        assert of(a.receive(forge(c, m.FileOffer(i, "a", 1, "0" * 64))).events, FileOffered)
    end = ended(a.receive(forge(c, m.FileOffer(9, "a", 1, "0" * 64))).events)
    assert end.reason == "protocol_error" and "more than 4" in end.message


def test_messages_in_flight_after_a_cancel_are_ignored_and_counted() -> None:
    a, c = pair()
    _offered(a, c)
    step = a.refuse_file(1, "no_space")
    assert step.events == [FileCancelled("to_customer", 1, "no_space", False)]
    assert a.receive(forge(c, m.FileChunk(1, 0, b"x"))).events == []
    assert a.receive(forge(c, m.FileCancel(1, "to_customer", "cancelled"))).events == []
    assert a.dropped_inputs["FileChunk"] == 1 and not a.ended
    assert a.refuse_file(1, "cancelled").outgoing == []  # gone already


def test_a_chunk_is_handed_on_never_kept() -> None:
    a, c = pair()
    _offered(a, c)
    step = a.receive(forge(c, m.FileChunk(1, 0, b"12345")))
    assert step.events == [FileChunkReceived(1, 0, b"12345")]
    incoming = a.incoming(1)
    assert incoming is not None and incoming.received == 5
    assert not any(isinstance(v, bytes | bytearray) and b"12345" in v for v in vars(a).values())


def test_a_hostile_receiver_cannot_ack_or_complete_what_was_not_sent() -> None:
    a, c = pair()
    file_id, offer = c.offer_file("a.bin", 100, "0" * 64)
    pump(a, c, [], offer.outgoing)  # the agent sees the offer; nobody accepts
    end = ended(c.receive(forge(a, m.FileAck(file_id, 1))).events)
    assert "was not sent" in end.message
    a, c = pair()
    file_id, offer = c.offer_file("a.bin", 100, "0" * 64)
    pump(a, c, [], offer.outgoing)
    c.receive(forge(a, m.FileAccept(file_id, 0)))
    end = ended(c.receive(forge(a, m.FileComplete(file_id))).events)
    assert "before it was sent" in end.message
    a, c = pair()
    file_id, offer = c.offer_file("a.bin", 100, "0" * 64)
    pump(a, c, [], offer.outgoing)
    c.receive(forge(a, m.FileAccept(file_id, 0)))
    end = ended(c.receive(forge(a, m.FileAccept(file_id, 0))).events)
    assert "accepted a file twice" in end.message
    a, c = pair()
    file_id, offer = c.offer_file("a.bin", 100, "0" * 64)
    pump(a, c, [], offer.outgoing)
    end = ended(c.receive(forge(a, m.FileAccept(file_id, 101))).events)
    assert "outside 0..100" in end.message


# ------------------------------------------------------------------ revoke, pause, resume


def test_revoking_files_in_cancels_both_sides_and_stops_the_flow() -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = sc.send("setup.exe", CONTENT)
    talk(sa, sc, [], step.outgoing, limit=2)  # offer, accept, first chunks on their way
    in_flight = sc.fill()
    revoke = a.set_permission("files_in", False)
    assert FileCancelled("to_customer", file_id, "revoked", False) in revoke.events
    assert a.incoming(file_id) is None
    events = deliver(c, revoke)
    assert FileCancelled("to_customer", file_id, "revoked", True) in events
    assert c.outgoing(file_id) is None
    assert c.send_file_chunk(file_id, 0, b"x").outgoing == []
    for data in in_flight:
        assert a.receive(data).events == []
    assert not a.ended and not c.ended


def test_revoking_files_out_cancels_the_customers_own_transfers() -> None:
    a, c = pair()
    file_id, offer = a.offer_file("scan.pdf", 5, "0" * 64)
    deliver(c, offer)
    step = a.set_permission("files_out", False)
    assert FileCancelled("to_technician", file_id, "revoked", False) in step.events
    assert FileCancelled("to_technician", file_id, "revoked", True) in deliver(c, step)
    assert c.incoming(file_id) is None


def test_pause_holds_the_window_and_the_transfer_goes_on_after() -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = sc.send("update.msi", BIG)
    _, chunks = talk(sa, sc, [], step.outgoing, limit=2)  # offer, accept, the first window
    window = c.outgoing(file_id)
    assert window is not None and 0 < window.sent < len(BIG) and chunks
    pause = a.set_paused(True, "customer")
    deliver(c, pause)
    talk(sa, sc, [], chunks)  # what was on its way arrives and is acknowledged: no more
    assert window.next_chunk(0.0) is None and window.acked_bytes == window.sent
    stale = (window.sent, BIG[window.sent:window.sent + 1000])  # a read from before the pause
    assert c.send_file_chunk(file_id, *stale).outgoing == []
    assert not of(sa.events, FileCompleted)
    unpause = a.set_paused(False, "customer")
    events = deliver(c, unpause)
    assert of(events, FileProgress)  # the shell's cue to fill the window again
    talk(sa, sc, [], sc.handle(events))
    assert bytes(sa.written[file_id]) == BIG
    assert len(of(sa.events, FileCompleted)) == 1


def test_a_dropped_link_resumes_where_the_receiver_stands() -> None:
    """What was in flight on the dropped link is lost; after the resume the receiver says
    where it stands and the sender goes on from there: the hash matches."""
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = sc.send("big.bin", BIG)
    _, chunks = talk(sa, sc, [], step.outgoing, limit=2)
    for data in chunks[:2]:  # two chunks arrive, the rest is lost with the link
        sa.run(a.receive(data))
    resume(a, c)
    window = c.outgoing(file_id)
    assert window is not None and window.next_chunk(0.0) is None  # waits for the receiver
    back_c = c.restate_transfers()
    back_a = a.restate()  # the agent's restate says the transfers again too
    assert c.restate_transfers().outgoing == []  # once per resume
    received = a.incoming(file_id).received  # type: ignore[union-attr]
    assert received == 2 * m.MAX_FILE_CHUNK
    events = deliver(c, back_a)
    assert FileAccepted(file_id, received) in events
    talk(sa, sc, deliver_out(a, back_c), sc.handle(events))
    assert bytes(sa.written[file_id]) == BIG
    assert len(of(sc.events, FileCompleted)) == 1


def test_an_offer_said_again_after_a_resume_gets_the_receivers_answer() -> None:
    """The receiver completed (or cancelled) while its answer was lost with the link: the
    offer said again is answered from what it remembers."""
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = sc.send("small.txt", b"hello")
    # Everything up to the receiver's FileComplete, which is lost.
    c_out = step.outgoing
    for _ in range(3):
        a_out = [x for d in c_out for x in sa.run(a.receive(d))]
        if of(sa.events, FileCompleted):
            break
        c_out = [x for d in a_out for x in sc.run(c.receive(d))]
    assert of(sa.events, FileCompleted) and not of(sc.events, FileCompleted)
    resume(a, c)
    again = c.restate_transfers()
    assert deliver(c, Step(outgoing=deliver_out(a, again)))[-1] == FileCompleted(
        FileInfo(file_id, "small.txt", 5, digest(b"hello"), "to_customer"))


def test_a_partial_file_is_absorbed_and_the_rest_follows() -> None:
    """Resumable across sessions: the receiver holds a prefix, accepts at its length."""
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    sa.prefix = CONTENT[:300_000]
    file_id, step = sc.send("big.bin", CONTENT)
    talk(sa, sc, [], step.outgoing)
    assert FileAccepted(file_id, 300_000) in sc.events
    assert bytes(sa.written[file_id]) == CONTENT and of(sa.events, FileCompleted)
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    sa.prefix = b"X" * 10  # a prefix of another file: the hash tells
    file_id, step = sc.send("big.bin", CONTENT)
    talk(sa, sc, [], step.outgoing)
    assert of(sa.events, FileCancelled)[0].reason == "hash_mismatch"


def test_accepting_wrongly_is_the_callers_bug() -> None:
    a, c = pair()
    _offered(a, c, accept=False)
    with pytest.raises(LocalProtocolError):
        a.accept_file(1, 5)  # no prefix was absorbed
    a.accept_file(1)
    with pytest.raises(LocalProtocolError):
        a.accept_file(1)
    with pytest.raises(LocalProtocolError):
        a.file_written(1, 3)  # nothing received yet
    assert a.accept_file(99).outgoing == [] and a.file_written(99, 0).outgoing == []


# ------------------------------------------------------------------ fuzz


_FILE_MESSAGES = st.one_of(
    st.builds(m.FileOffer, st.integers(1, 6), st.sampled_from(["a", "../x", "CON"]),
              st.integers(0, 40), st.just("0" * 64)),
    st.builds(m.FileAccept, st.integers(1, 6), st.integers(0, 40)),
    st.builds(m.FileChunk, st.integers(1, 6), st.integers(0, 40),
              st.binary(min_size=1, max_size=12)),
    st.builds(m.FileAck, st.integers(1, 6), st.integers(0, 40)),
    st.builds(m.FileComplete, st.integers(1, 6)),
    st.builds(m.FileCancel, st.integers(1, 6), st.sampled_from(m.FILE_DIRECTIONS),
              st.sampled_from(sorted(m.FILE_CANCEL_REASONS))),
    st.builds(m.ClipboardText, st.text(min_size=1, max_size=5).filter(lambda t: "\x00" not in t)),
)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.lists(_FILE_MESSAGES, max_size=25), st.sampled_from(["agent", "console"]))
def test_any_sequence_of_file_messages_only_ever_ends_cleanly(msgs: list[m.Message],
                                                              receiver: str) -> None:
    a, c = pair()
    target, peer = (a, c) if receiver == "agent" else (c, a)
    Shell(target).send("mine.bin", bytes(20))  # something of the target's own is open too
    shell = Shell(target)
    for msg in msgs:
        try:
            step = target.receive(forge(peer, msg))
        except UnicodeEncodeError:  # a surrogate the message itself refuses to encode
            continue
        shell.run(step)
        if target.ended:
            assert ended(step.events).reason == "protocol_error"
            break
    assert len(target._receiving_files) <= m.MAX_OPEN_TRANSFERS


# ------------------------------------------------------------------ the shell's odd moments


def test_send_file_chunk_sends_only_the_next_bytes_on_the_wire() -> None:
    a, c = pair()
    file_id, offer = c.offer_file("a.bin", 3 * m.MAX_FILE_CHUNK, "0" * 64)
    deliver(a, offer)
    deliver(c, a.accept_file(file_id))
    window = c.outgoing(file_id)
    assert window is not None
    first, second = window.next_chunk(0.0), window.next_chunk(0.0)
    assert first == (0, m.MAX_FILE_CHUNK) and second is not None
    data = bytes(m.MAX_FILE_CHUNK)
    assert c.send_file_chunk(file_id, *second[:1], data).outgoing == []  # a gap: asked again
    assert window.sent == 0
    assert of(deliver(a, c.send_file_chunk(file_id, 0, data)), FileChunkReceived)
    assert c.send_file_chunk(file_id, 0, data).outgoing == []  # sent already
    half = c.send_file_chunk(file_id, m.MAX_FILE_CHUNK // 2, data)  # overlaps: the new half
    events = deliver(a, half)
    assert [type(e) for e in events] == [FileChunkReceived] and events[0].offset == (  # type: ignore[union-attr]
        m.MAX_FILE_CHUNK)
    assert len(events[0].data) == m.MAX_FILE_CHUNK // 2  # type: ignore[union-attr]
    with pytest.raises(LocalProtocolError):
        c.send_file_chunk(file_id, 3 * m.MAX_FILE_CHUNK - 1, b"xy")
    assert c.send_file_chunk(file_id, 0, b"").outgoing == []
    assert c.send_file_chunk(99, 0, b"x").outgoing == []


def test_receiver_progress_is_at_most_every_percent_or_quarter_second() -> None:
    clock = Clock(0.0)
    a, c = pair(clock=clock)
    deliver(a, c.offer_file("a.bin", 1000, digest(b"abcd" * 250))[1])
    a.accept_file(1)
    got = []
    for offset in range(0, 1000, 4):
        a.receive(forge(c, m.FileChunk(1, offset, b"abcd")))
        got += of(a.file_written(1, offset + 4).events, FileProgress)
    assert 0 < len(got) <= 101 and got[-1].done == 1000
    assert all(b.done - p.done >= 10 for p, b in itertools.pairwise(got[:-1]))


def test_a_receiver_remembers_a_bounded_number_of_ended_transfers() -> None:
    from shared.session import REMEMBERED_TRANSFERS
    a, c = pair()
    for i in range(1, REMEMBERED_TRANSFERS + 3):
        a.receive(forge(c, m.FileOffer(i, "a", 1, "0" * 64)))
        a.refuse_file(i, "cancelled")
    assert len(a._closed_in) == REMEMBERED_TRANSFERS and 1 not in a._closed_in
    answer = a.receive(forge(c, m.FileOffer(1, "a", 1, "0" * 64)))  # forgotten: cancelled
    assert len(answer.outgoing) == 1 and not a.ended


def test_acks_of_the_old_link_may_come_before_the_receivers_word() -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = sc.send("big.bin", BIG)
    _, chunks = talk(sa, sc, [], step.outgoing, limit=2)
    for data in chunks[:2]:
        a.receive(data)  # received, not yet written
    resume(a, c)
    ack = a.file_written(file_id, m.MAX_FILE_CHUNK)  # the writer was done after the resume
    assert of(deliver(c, ack), FileProgress) and not c.ended
    window = c.outgoing(file_id)
    assert window is not None and window.next_chunk(0.0) is None  # still waits for its word


def test_a_cancel_lost_with_the_link_is_said_again() -> None:
    """The sender cancelled while the link was down: the receiver's restated FileAccept is
    answered with the cancel again, so its side does not wait for ever."""
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = sc.send("big.bin", BIG)
    talk(sa, sc, [], step.outgoing, limit=2)
    c.cancel_file("to_customer", file_id)  # sealed for the old link: lost
    resume(a, c)
    back = a.restate()
    answer = deliver_out(c, back)
    assert c.dropped["FileAccept"] == 1
    events = deliver(a, Step(outgoing=answer))
    assert FileCancelled("to_customer", file_id, "cancelled", True) in events
    assert a.incoming(file_id) is None and not a.ended and not c.ended


# ------------------------------------------------------------------ saved before "completed"

def held_at_landing(name: str = "small.txt", data: bytes = b"hello"
                    ) -> tuple[AgentSession, ConsoleSession, Shell, Shell, int]:
    """The console sent ``data``; the agent verified it and is still putting it in place:
    nothing is in flight meanwhile (no FileComplete yet)."""
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    sa.saves = None
    file_id, step = sc.send(name, data)
    a_out, c_out = talk(sa, sc, [], step.outgoing)
    assert sa.verified == [file_id] and a_out == c_out == []
    return a, c, sa, sc, file_id


def test_the_sender_hears_completed_only_once_the_file_is_saved() -> None:
    """Art. 28: both records say the same. FileComplete went out when the hash matched, and
    the receiver saved the file a moment later; a save that then failed left the sender's
    record at "completed" and the receiver's at "cancelled"."""
    a, c, sa, sc, file_id = held_at_landing("Bericht.pdf", CONTENT)
    assert not of(sc.events, FileCompleted) and not of(sa.events, FileCompleted)
    assert a.file_written(file_id, len(CONTENT)).outgoing == []  # said twice: nothing new
    landed = a.file_landed(file_id, saved=True)
    assert of(landed.events, FileCompleted) == [FileCompleted(a_info := FileInfo(
        file_id, "Bericht.pdf", len(CONTENT), digest(CONTENT), "to_customer"))]
    talk(sa, sc, landed.outgoing, [])
    assert of(sc.events, FileCompleted) == [FileCompleted(a_info)]
    assert a.incoming(file_id) is None and c.outgoing(file_id) is None
    assert a.file_landed(file_id, saved=True).outgoing == []  # ended: nothing


def test_a_file_that_could_not_be_saved_is_cancelled_on_both_sides() -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    sa.saves = False
    file_id, step = sc.send("Bericht.pdf", CONTENT)
    talk(sa, sc, [], step.outgoing)
    assert not of(sc.events, FileCompleted) and not of(sa.events, FileCompleted)
    assert of(sa.events, FileCancelled) == [
        FileCancelled("to_customer", file_id, "error", False)]
    assert of(sc.events, FileCancelled) == [
        FileCancelled("to_customer", file_id, "error", True)]


def test_only_a_verified_file_can_land() -> None:
    a, c = pair()
    sa, sc = Shell(a), Shell(c)
    file_id, step = sc.send("big.bin", CONTENT)
    talk(sa, sc, [], step.outgoing, limit=2)  # accepted, not all written yet
    assert a.incoming(file_id) is not None
    with pytest.raises(LocalProtocolError):
        a.file_landed(file_id, saved=True)
    assert a.file_landed(99, saved=True).outgoing == []


def test_a_cancel_while_the_file_is_saved_ends_it_and_the_landing_says_nothing() -> None:
    a, c, sa, sc, file_id = held_at_landing()
    cancel = c.cancel_file("to_customer", file_id)
    assert of(deliver(a, cancel), FileCancelled) == [
        FileCancelled("to_customer", file_id, "cancelled", True)]
    assert a.file_landed(file_id, saved=True).outgoing == []  # the shell removes the file
    assert not of(sa.events, FileCompleted) and not of(sc.events, FileCompleted)


def test_a_resume_while_the_file_is_saved_waits_for_the_landing() -> None:
    """The link drops while the receiver saves: the restated transfer says every byte
    arrived (the sender sends nothing again), the offer said again gets no answer yet, and
    the landing's FileComplete goes on the new link."""
    a, c, _sa, _sc, file_id = held_at_landing()
    resume(a, c)
    back_a = a.restate()
    again = c.restate_transfers()
    events = deliver(c, back_a)
    assert FileAccepted(file_id, 5) in events
    assert deliver_out(a, again) == []  # known and being saved: the answer comes with it
    window = c.outgoing(file_id)
    assert window is not None and window.next_chunk(0.0) is None  # nothing to send again
    landed = a.file_landed(file_id, saved=True)
    assert of(deliver(c, landed), FileCompleted) == [FileCompleted(
        FileInfo(file_id, "small.txt", 5, digest(b"hello"), "to_customer"))]
