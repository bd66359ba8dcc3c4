"""The encrypted channel: exact-next-counter rule, size limits, and that nonces never repeat."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.bindings import crypto_secretbox_easy, crypto_secretbox_open_easy
from nacl.secret import SecretBox

from shared import channel as channel_module
from shared.channel import MAX_MESSAGES, NONCE_SIZE, TAG_SIZE, SecureChannel
from shared.errors import ChannelExhausted, FernhilfeError, IntegrityError, MessageTooLarge
from shared.messages import MAX_PLAINTEXT

K_A2C = bytes(range(32))
K_C2A = bytes(range(32, 64))


def pair() -> tuple[SecureChannel, SecureChannel]:
    """(agent, console) channels as the handshake would make them."""
    return SecureChannel(K_A2C, K_C2A), SecureChannel(K_C2A, K_A2C)


def test_round_trip_both_directions() -> None:
    agent, console = pair()
    for i in range(5):
        assert console.open(agent.seal(b"frame %d" % i)) == b"frame %d" % i
        assert agent.open(console.seal(b"ack %d" % i)) == b"ack %d" % i
    assert agent.sent == agent.received == console.sent == console.received == 5
    assert console.open(agent.seal(b"")) == b""


def test_wire_format_is_secretbox_with_counter_nonce() -> None:
    """The ciphertext is exactly SecretBox's, with the counter as nonce (interoperability)."""
    agent, _ = pair()
    box = SecretBox(K_A2C)
    for counter in range(3):
        nonce = counter.to_bytes(NONCE_SIZE, "big")
        assert agent.seal(b"hello") == box.encrypt(b"hello", nonce).ciphertext
    assert len(agent.seal(b"x")) == 1 + TAG_SIZE


def _fails_and_stays_broken(receiver: SecureChannel, bad: bytes, good: bytes) -> None:
    with pytest.raises(IntegrityError):
        receiver.open(bad)
    assert receiver.broken
    with pytest.raises(IntegrityError):
        receiver.open(good)


def test_tampered_message_fails() -> None:
    agent, console = pair()
    sealed = bytearray(agent.seal(b"move mouse"))
    sealed[-1] ^= 1
    _fails_and_stays_broken(console, bytes(sealed), agent.seal(b"next"))


def test_replay_fails() -> None:
    agent, console = pair()
    first = agent.seal(b"one")
    assert console.open(first) == b"one"
    _fails_and_stays_broken(console, first, agent.seal(b"two"))


def test_reorder_fails() -> None:
    agent, console = pair()
    one, two = agent.seal(b"one"), agent.seal(b"two")
    _fails_and_stays_broken(console, two, one)


def test_drop_fails() -> None:
    agent, console = pair()
    agent.seal(b"lost on the way")
    _fails_and_stays_broken(console, agent.seal(b"after"), b"")


def test_truncation_fails() -> None:
    agent, console = pair()
    sealed = agent.seal(b"some text")
    _fails_and_stays_broken(console, sealed[:-1], sealed)
    agent, console = pair()
    _fails_and_stays_broken(console, sealed[: TAG_SIZE - 1], sealed)


def test_reflection_of_own_message_fails() -> None:
    """A relay that echoes our message back cannot make us accept it (keys differ per direction)."""
    agent, _ = pair()
    sealed = agent.seal(b"hello")
    with pytest.raises(IntegrityError):
        agent.open(sealed)


def test_wrong_key_fails() -> None:
    agent, _ = pair()
    stranger = SecureChannel(K_A2C, bytes(32))
    with pytest.raises(IntegrityError):
        stranger.open(agent.seal(b"secret"))


def test_oversize_on_seal_and_open() -> None:
    agent, console = pair()
    assert console.open(agent.seal(bytes(MAX_PLAINTEXT))) == bytes(MAX_PLAINTEXT)
    with pytest.raises(MessageTooLarge):
        agent.seal(bytes(MAX_PLAINTEXT + 1))
    assert agent.sent == 1  # a refused seal uses no counter
    with pytest.raises(MessageTooLarge):
        console.open(bytes(MAX_PLAINTEXT + TAG_SIZE + 1))
    assert console.broken
    with pytest.raises(IntegrityError):
        console.open(agent.seal(b"later"))


def test_seal_still_works_after_receive_failure() -> None:
    """The side can still tell its peer why it closes."""
    agent, console = pair()
    with pytest.raises(IntegrityError):
        console.open(b"\x00" * 40)
    assert agent.open(console.seal(b"closing: integrity")) == b"closing: integrity"


def test_key_checks() -> None:
    with pytest.raises(ValueError):
        SecureChannel(bytes(31), K_C2A)
    with pytest.raises(ValueError):
        SecureChannel(K_A2C, K_A2C)
    with pytest.raises(TypeError):
        SecureChannel(bytearray(32), K_C2A)  # type: ignore[arg-type]


def test_no_nonce_repeats_over_100000_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every seal and every open uses a distinct nonce (instrumented libsodium calls)."""
    seal_nonces: list[bytes] = []
    open_nonces: list[bytes] = []
    real_seal = crypto_secretbox_easy  # the functions shared.channel imported, patched below
    real_open = crypto_secretbox_open_easy

    def spy_seal(message: bytes, nonce: bytes, key: bytes) -> bytes:
        seal_nonces.append(nonce)
        return real_seal(message, nonce, key)

    def spy_open(ciphertext: bytes, nonce: bytes, key: bytes) -> bytes:
        open_nonces.append(nonce)
        return real_open(ciphertext, nonce, key)

    monkeypatch.setattr(channel_module, "crypto_secretbox_easy", spy_seal)
    monkeypatch.setattr(channel_module, "crypto_secretbox_open_easy", spy_open)
    agent, console = pair()
    count = 100_000
    for i in range(count):
        payload = i.to_bytes(4, "big")
        assert console.open(agent.seal(payload)) == payload
    assert len(seal_nonces) == len(open_nonces) == count
    assert len(set(seal_nonces)) == count
    assert seal_nonces == open_nonces
    assert seal_nonces[0] == bytes(NONCE_SIZE)
    assert seal_nonces[-1] == (count - 1).to_bytes(NONCE_SIZE, "big")
    assert agent.sent == console.received == count


def test_counter_exhaustion_is_a_clean_error() -> None:
    agent, console = pair()
    agent._send_counter = MAX_MESSAGES - 1
    console._recv_counter = MAX_MESSAGES - 1
    assert console.open(agent.seal(b"last")) == b"last"
    with pytest.raises(ChannelExhausted):
        agent.seal(b"one too many")
    with pytest.raises(ChannelExhausted):
        console.open(bytes(TAG_SIZE))


@settings(max_examples=300, derandomize=True)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=3))
def test_open_of_arbitrary_bytes_raises_only_fernhilfe_errors(data: bytes, skip: int) -> None:
    agent, console = pair()
    for _ in range(skip):
        console.open(agent.seal(b"warm-up"))
    with pytest.raises(FernhilfeError):
        console.open(data)
    with pytest.raises(FernhilfeError):
        console.open(agent.seal(b"good, but too late"))
