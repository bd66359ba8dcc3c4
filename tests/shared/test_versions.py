"""Protocol version 2 talks to version-1 peers (docs/PROTOCOL.md section 11).

A version-1 peer is the real session machine of this program introduced with the Hello a
version-1 program sends (``v1()``): no version mark, ``protocol_version`` 1. What a version-1
program *accepts* is pinned by :func:`v1_reads_hello`, the last release's Hello rules written
out (exact key set, ``protocol_version`` equal to 1, ``app_version`` free text of at most 32
characters), and by the session machine, which in a version-1 session refuses what version 1
does not have (``SystemNotice``), as the last release's decoder does (unknown type byte).
"""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared import session as session_module
from shared.codec import Encoding
from shared.errors import ProtocolError, UnsupportedVersion
from shared.messages.control import _HELLO_KEYS
from shared.messages.fields import check_text
from shared.session import (
    AgentSession,
    ConsoleSession,
    NoticeReceived,
    NotPermitted,
    PeerIntroduced,
    Phase,
    SessionEnded,
    Step,
)
from tests.shared.test_session import pump
from tests.shared.test_session_talk import BOTH, CODE, Clock, deliver, forge, resume

V1_KEYS = frozenset({"protocol_version", "app_version", "role", "name", "organisation"})


def v1_reads_hello(data: bytes) -> None:
    """The last release's Hello rules (protocol version 1): raises what it would refuse."""
    obj = json.loads(data[1:])
    assert data[0] == 0x01
    if obj["protocol_version"] != 1:
        raise UnsupportedVersion("Please update")
    assert obj.keys() == V1_KEYS
    check_text(obj["app_version"], "app_version", 32)


def hello_of(data: bytes) -> m.Hello:
    hello = m.decode(data)
    assert isinstance(hello, m.Hello)
    return hello


def v1(session: AgentSession | ConsoleSession) -> AgentSession | ConsoleSession:
    """``session`` introduced as a version-1 program introduces itself."""
    own = session._hello
    session._hello = m.Hello(1, "0.1.0", own.role, own.name, own.organisation)
    return session


def sessions(agent_v1: bool = False, console_v1: bool = False,
             grant: frozenset[str] | None = BOTH) -> tuple[AgentSession, ConsoleSession]:
    clock = Clock()
    a = AgentSession(CODE, clock=clock)
    c = ConsoleSession(CODE, name="Eva Technik", requested=BOTH, clock=clock)
    if agent_v1:
        v1(a)
    if console_v1:
        v1(c)
    pump(a, c, [a.start()], [c.start()])
    assert a.phase is Phase.CONSENT
    if grant is not None:
        pump(a, c, a.decide(True, grant).outgoing, [])
        assert a.phase is c.phase is Phase.ACTIVE
    return a, c


# ------------------------------------------------------------------ the Hello on the wire


def test_this_programs_hello_is_one_a_version_1_program_reads() -> None:
    a = AgentSession(CODE)
    data = m.encode(a._hello)
    v1_reads_hello(data)
    assert json.loads(data[1:])["protocol_version"] == m.MIN_PROTOCOL_VERSION == 1
    assert json.loads(data[1:])["app_version"] == "0.1.0 protocol/2"
    assert _HELLO_KEYS == V1_KEYS  # a new key would make every version-1 peer refuse us
    hello = hello_of(data)
    assert (hello.protocol_version, hello.max_version, hello.newest) == (1, 2, 2)
    assert hello.app_version == "0.1.0"


def test_a_version_1_hello_decodes_as_speaking_only_version_1() -> None:
    body = {"protocol_version": 1, "app_version": "0.1.0", "role": "console", "name": "Eva",
            "organisation": ""}
    hello = hello_of(b"\x01" + json.dumps(body).encode())
    assert (hello.max_version, hello.newest, hello.app_version) == (None, 1, "0.1.0")


@pytest.mark.parametrize(("oldest", "mark", "update"), [
    (3, "", "this program"),               # a newer peer that no longer speaks 2
    (3, " protocol/9", "this program"),
    (0, "", "the other side's program"),   # older than anything we speak
])
def test_no_common_version_asks_to_update_before_the_other_fields(
        oldest: int, mark: str, update: str) -> None:
    body = {"protocol_version": oldest, "app_version": "9.0" + mark, "role": "agent",
            "name": "Eva", "organisation": "", "new_field": [1]}
    with pytest.raises(UnsupportedVersion, match=f"Please update {update}"):
        m.decode(b"\x01" + json.dumps(body).encode())


def test_a_newer_peer_that_still_speaks_ours_is_taken() -> None:
    hello = hello_of(m.encode(m.Hello(1, "3.0", "agent", "Eva", max_version=7)))
    assert hello.newest == 7


@pytest.mark.parametrize("app_version", [
    "0.1.0 protocol/0", "0.1.0 protocol/01", "0.1.0 protocol/123456", "0.1.0 protocol/x",
    "0.1.0protocol/2", "0.1.0 protocol/2 ", "0.1.0 Protocol/2"])
def test_what_is_not_a_mark_is_app_version_text(app_version: str) -> None:
    hello = hello_of(m.encode(m.Hello(1, app_version, "agent", "Eva")))
    assert (hello.app_version, hello.max_version) == (app_version, None)


def test_a_mark_below_the_oldest_version_is_malformed() -> None:
    body = {"protocol_version": 2, "app_version": "x protocol/1", "role": "agent",
            "name": "Eva", "organisation": ""}
    with pytest.raises(ProtocolError, match="max_version"):
        m.decode(b"\x01" + json.dumps(body).encode())


def test_the_constructor_keeps_the_mark_its_own() -> None:
    with pytest.raises(ProtocolError, match="mark"):
        m.Hello(1, "0.1.0 protocol/2", "agent", "Eva")
    with pytest.raises(ProtocolError, match="max_version"):
        m.Hello(2, "0.1.0", "agent", "Eva", max_version=1)
    with pytest.raises(ProtocolError, match="app_version"):  # no room left for the mark
        m.Hello(1, "x" * 30, "agent", "Eva", max_version=2)
    m.Hello(1, "x" * 21, "agent", "Eva", max_version=2)  # 21 + " protocol/2" = 32


@settings(derandomize=True, max_examples=400, deadline=None)
@given(st.integers(0, 0xFFFF), st.none() | st.integers(0, 0x1FFFF), st.text(max_size=40))
def test_every_hello_that_can_be_built_round_trips_and_old_peers_read_it(
        oldest: int, newest: int | None, app: str) -> None:
    try:
        hello = m.Hello(oldest, app, "console", "Eva", max_version=newest)
    except ProtocolError:
        return
    data = m.encode(hello)
    obj = json.loads(data[1:])
    assert obj.keys() == V1_KEYS
    check_text(obj["app_version"], "app_version", m.MAX_APP_VERSION)  # v1's length rule
    try:
        assert hello_of(data) == hello
    except UnsupportedVersion:
        assert oldest > m.PROTOCOL_VERSION or hello.newest < m.MIN_PROTOCOL_VERSION


@settings(derandomize=True, max_examples=400, deadline=None)
@given(st.fixed_dictionaries({
    "protocol_version": st.integers(-2, 5) | st.booleans() | st.floats() | st.text(max_size=3),
    "app_version": st.text(max_size=36).map(lambda t: t + st_mark(t))
    | st.sampled_from(["0.1.0 protocol/2", " protocol/1", "a protocol/99999", "protocol/2"])
    | st.integers(),
    "role": st.sampled_from(["agent", "console", "relay"]),
    "name": st.text(max_size=8),
    "organisation": st.just(""),
}, optional={"extra": st.integers()}))
def test_the_hello_decoder_raises_only_protocol_errors(obj: dict[str, object]) -> None:
    data = b"\x01" + json.dumps(obj).encode("utf-8", "surrogatepass")
    with contextlib.suppress(ProtocolError):  # UnsupportedVersion is one
        hello = hello_of(data)
        assert hello.newest >= m.MIN_PROTOCOL_VERSION
        assert hello.protocol_version <= m.PROTOCOL_VERSION


def st_mark(text: str) -> str:
    """Some texts get a mark, deterministically (hypothesis shrinks the text, not this)."""
    return f" protocol/{len(text) % 4}" if len(text) % 3 == 0 else ""


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_random_hello_bodies_raise_only_protocol_errors(body: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        m.decode(b"\x01" + body)


# ------------------------------------------------------------------ the session's version


@pytest.mark.parametrize(("agent_v1", "console_v1", "version"), [
    (False, False, 2), (True, False, 1), (False, True, 1), (True, True, 1)])
def test_the_session_runs_at_the_lower_newest_version(
        agent_v1: bool, console_v1: bool, version: int) -> None:
    a, c = sessions(agent_v1, console_v1)
    assert a.version == c.version == version
    # frames, input, chat: all of version 1, both ways
    assert deliver(c, a.send_chat("Hallo"))
    assert deliver(a, c.send_chat("Guten Tag"))


def test_a_v2_agent_tells_a_v1_console_no_notice_and_ends_in_its_words() -> None:
    a, c = sessions(console_v1=True)
    for code in ("foreground_elevated", "ctrl_alt_del_refused", "screen_recording_missing"):
        assert a.send_notice(code).outgoing == []
    assert a.notices == set()  # nothing to say again after a resume either
    resume(a, c)
    events = deliver(c, a.restate())
    assert not [ev for ev in events if isinstance(ev, SessionEnded)]
    assert c.phase is Phase.ACTIVE
    step = a.end("restarting_elevated")
    assert a.end_reason == "restarting_elevated"  # the customer's record keeps what happened
    ends = [ev for ev in deliver(c, step) if isinstance(ev, SessionEnded)]
    assert [(ev.reason, ev.by_peer) for ev in ends] == [("customer_ended", True)]


def test_a_v2_agent_tells_a_v2_console_all_of_it() -> None:
    a, c = sessions()
    events = deliver(c, a.send_notice("foreground_elevated"))
    assert events == [NoticeReceived("foreground_elevated")]
    ends = [ev for ev in deliver(c, a.end("restarting_elevated")) if isinstance(ev, SessionEnded)]
    assert [ev.reason for ev in ends] == ["restarting_elevated"]


def test_a_v1_agent_with_a_v2_console_works_and_keeps_its_reasons() -> None:
    a, c = sessions(agent_v1=True)
    assert c.version == 1 and c.peer is not None and c.peer.newest == 1
    ends = [ev for ev in deliver(c, a.end("customer_ended")) if isinstance(ev, SessionEnded)]
    assert [ev.reason for ev in ends] == ["customer_ended"]


def test_a_notice_in_a_version_1_session_is_a_protocol_error_as_in_version_1() -> None:
    a, c = sessions(agent_v1=True)
    events = c.receive(forge(a, m.SystemNotice("foreground_elevated"))).events
    ended = [ev for ev in events if isinstance(ev, SessionEnded)]
    assert [ev.reason for ev in ended] == ["protocol_error"]
    assert "not part of protocol version 1" in ended[0].message


def test_sending_what_the_session_does_not_speak_is_our_bug() -> None:
    a, _c = sessions(console_v1=True)
    with pytest.raises(NotPermitted):
        a._send(Step(), m.SystemNotice("foreground_ok"))


def test_before_the_peers_hello_a_session_assumes_the_oldest_version() -> None:
    a, c = AgentSession(CODE), ConsoleSession(CODE, name="Eva")
    assert a.version == c.version == m.MIN_PROTOCOL_VERSION
    assert a.wire_reason("restarting_elevated") == "customer_ended"
    assert a.wire_reason("technician_ended") == "technician_ended"


def test_every_newer_thing_says_what_older_peers_get() -> None:
    assert m.MESSAGE_SINCE == {m.SystemNotice.TYPE: 2}
    for reason, (since, older) in m.END_REASON_SINCE.items():
        assert reason in m.END_REASONS and older in m.END_REASONS
        assert m.MIN_PROTOCOL_VERSION < since <= m.PROTOCOL_VERSION
        assert older not in m.END_REASON_SINCE


# ------------------------------------------------------------------ the record (converge20)


def test_each_side_hears_the_sessions_version_and_both_app_versions() -> None:
    """What the drivers write to the session records (``versions``): the session's version, our
    app version and the peer's as it said it, once, when the peer's Hello arrives."""
    clock = Clock()
    a = AgentSession(CODE, clock=clock)
    c = ConsoleSession(CODE, name="Eva", requested=BOTH, clock=clock)
    v1(c)
    a_ev, c_ev = pump(a, c, [a.start()], [c.start()])
    said_a = [e for e in a_ev if isinstance(e, PeerIntroduced)]
    said_c = [e for e in c_ev if isinstance(e, PeerIntroduced)]
    assert said_a == [PeerIntroduced(1, "0.1.0", "0.1.0")]  # a version-1 console: version 1
    assert said_c == [PeerIntroduced(1, "0.1.0", "0.1.0")]
    assert a.version == c.version == 1


# ------------------------------------------------------------------ rect encodings per version


def test_the_encoding_table_is_the_last_releases_and_covers_the_codec() -> None:
    """Version 1's encodings are the last release's decoder's (git: shared/codec/__init__.py
    before 3bfbabe, SOLID..VIDEO); every encoding the codec has is in the table, so a new one
    cannot be sent without saying since which version."""
    assert {e for e, since in m.ENCODING_SINCE.items() if since == 1} == {0, 1, 2, 3, 4, 5}
    assert set(m.ENCODING_SINCE) == {int(e) for e in Encoding}
    assert all(m.MIN_PROTOCOL_VERSION <= v <= m.PROTOCOL_VERSION
               for v in m.ENCODING_SINCE.values())
    assert m.encodings_in(1) == m.encodings_in(m.PROTOCOL_VERSION) == frozenset(range(6))


def frame_of(*encodings: int) -> m.FrameUpdate:
    return m.FrameUpdate(64, 64, tuple(
        m.Rect(0, 0, 8, 8, int(e), b"\0\0\0\0") for e in encodings), seq=1)


@pytest.fixture
def video_since_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if VIDEO had come with version 2: the gate a future encoding gets."""
    monkeypatch.setitem(m.ENCODING_SINCE, int(Encoding.VIDEO), 2)


@pytest.mark.usefixtures("video_since_2")
def test_a_newer_encoding_is_never_sealed_for_an_older_console() -> None:
    a, _c = sessions(console_v1=True)
    a.reserve_frame(frame_of(Encoding.SOLID, Encoding.COPY, Encoding.JPEG))
    with pytest.raises(NotPermitted, match="encoding 5 is newer"):
        a.reserve_frame(frame_of(Encoding.SOLID, Encoding.VIDEO))
    a2, _c2 = sessions()  # both of version 2: it goes
    a2.reserve_frame(frame_of(Encoding.VIDEO))


@pytest.mark.usefixtures("video_since_2")
def test_a_newer_encoding_from_the_agent_is_a_protocol_error_in_an_older_session() -> None:
    a, c = sessions(agent_v1=True)
    events = c.receive(forge(a, frame_of(Encoding.VIDEO))).events
    ended = [ev for ev in events if isinstance(ev, SessionEnded)]
    assert [ev.reason for ev in ended] == ["protocol_error"]
    assert "encoding 5 is newer" in ended[0].message


def test_an_encoding_missing_from_the_table_is_never_sent(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A codec that grew encoding 6 while nobody entered it in ``ENCODING_SINCE``."""
    monkeypatch.setattr(session_module, "_CODEC_ENCODINGS",
                        session_module._CODEC_ENCODINGS | {6})
    a, _c = sessions()
    a.reserve_frame(frame_of(Encoding.VIDEO))
    with pytest.raises(NotPermitted, match="encoding 6"):
        a.reserve_frame(frame_of(6))


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 255), min_size=1, max_size=6), st.integers(1, 3))
def test_what_a_session_seals_is_what_its_version_has(encodings: list[int], version: int
                                                      ) -> None:
    """Whatever rects a caller hands over: sealed only if every encoding is of the session's
    version (the check runs before any byte is sealed)."""
    a, _c = sessions()
    a.version = version
    a._encodings = frozenset(range(5))  # as if VIDEO (5) were newer than this session
    try:
        a.reserve_frame(frame_of(*encodings))
    except NotPermitted:
        assert not set(encodings) <= set(range(5))
    else:
        assert set(encodings) <= set(range(5))
