"""The encrypted channel between agent and console after the handshake.

Wire format of one message: ``XSalsa20-Poly1305(key_of_direction, nonce, plaintext)`` as produced
by libsodium's ``crypto_secretbox_easy`` (16-byte tag, then ciphertext): exactly what
``nacl.secret.SecretBox(key).encrypt(plaintext, nonce).ciphertext`` gives. The 24-byte nonce is
the message counter of that direction, big-endian, starting at 0; it is **not** transmitted. The
receiver decrypts with exactly the next counter it expects, so a replayed, dropped, reordered,
truncated or forged message fails authentication. After any failure the receiving direction is
dead: every later :meth:`SecureChannel.open` raises, because the session must close.

Each direction has its own key (derived in :mod:`shared.handshake`), so both sides counting from 0
never reuse a (key, nonce) pair.

Speed matters (frames of several hundred KiB at 30+ per second), so this calls
``nacl.bindings`` directly instead of building a ``SecretBox`` result object per message.

Sealing in two steps (issue 16, input first): :meth:`SecureChannel.reserve` takes the next
counter *now* (size and exhaustion are checked now, in the caller's order) and returns a
:class:`SealJob`; :meth:`SealJob.seal` does the expensive encryption later, anywhere (PyNaCl's
cffi call releases the GIL, so a worker thread really runs beside the network loop). Order on
the wire is the caller's duty: a reserved job's ciphertext goes out where it was reserved, and
everything sealed after it waits for it. A job seals at most once, so no counter is ever used
twice under one key.
"""

from __future__ import annotations

from typing import NoReturn

from nacl.bindings import (
    crypto_secretbox_easy,
    crypto_secretbox_KEYBYTES,
    crypto_secretbox_MACBYTES,
    crypto_secretbox_NONCEBYTES,
    crypto_secretbox_open_easy,
)
from nacl.exceptions import CryptoError

from shared.errors import (
    ChannelExhausted,
    IntegrityError,
    LocalProtocolError,
    MessageTooLarge,
)
from shared.messages import MAX_PLAINTEXT

KEY_SIZE: int = crypto_secretbox_KEYBYTES
TAG_SIZE: int = crypto_secretbox_MACBYTES
NONCE_SIZE: int = crypto_secretbox_NONCEBYTES
MAX_CIPHERTEXT = MAX_PLAINTEXT + TAG_SIZE
# Far beyond any session (2**64 messages); stops long before the 192-bit nonce could wrap.
MAX_MESSAGES = 2**64


class SecureChannel:
    """Seal and open messages of one session; one instance per side, not thread-safe.

    ``seal`` keeps working after an ``open`` failed, so the side can still tell its peer why it
    closes; ``open`` refuses everything after its first failure.
    """

    __slots__ = ("_broken", "_recv_counter", "_recv_key", "_send_counter", "_send_key")

    def __init__(self, send_key: bytes, recv_key: bytes) -> None:
        if not isinstance(send_key, bytes) or not isinstance(recv_key, bytes):
            raise TypeError("channel keys must be bytes")
        if len(send_key) != KEY_SIZE or len(recv_key) != KEY_SIZE:
            raise ValueError(f"channel keys must be {KEY_SIZE} bytes")
        if send_key == recv_key:
            # Same key both ways would let an attacker reflect our own messages back to us.
            raise ValueError("send and receive keys must differ")
        self._send_key = send_key
        self._recv_key = recv_key
        self._send_counter = 0
        self._recv_counter = 0
        self._broken: str | None = None

    @property
    def sent(self) -> int:
        """Number of messages sealed so far (= the next send nonce)."""
        return self._send_counter

    @property
    def received(self) -> int:
        """Number of messages opened so far (= the next expected nonce)."""
        return self._recv_counter

    @property
    def broken(self) -> bool:
        """True once an incoming message failed: the session must close."""
        return self._broken is not None

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt the next outgoing message."""
        return self.reserve(plaintext).seal()

    def reserve(self, plaintext: bytes) -> SealJob:
        """Take the next send counter for ``plaintext`` now; encrypt later with
        :meth:`SealJob.seal` (e.g. on a worker thread for a big frame)."""
        if len(plaintext) > MAX_PLAINTEXT:
            raise MessageTooLarge(
                f"A message of {len(plaintext)} bytes is larger than the limit of "
                f"{MAX_PLAINTEXT} bytes."
            )
        counter = self._send_counter
        if counter >= MAX_MESSAGES:
            raise ChannelExhausted(
                "This session has sent the largest possible number of messages; please start a "
                "new session."
            )
        self._send_counter = counter + 1
        return SealJob(self._send_key, counter, plaintext)

    def open(self, ciphertext: bytes) -> bytes:
        """Authenticate and decrypt the next incoming message, which must be exactly the next."""
        self._check_incoming(len(ciphertext))
        try:
            plaintext = crypto_secretbox_open_easy(
                ciphertext, self._recv_counter.to_bytes(NONCE_SIZE, "big"), self._recv_key
            )
        except CryptoError:
            self._failed_authentication()
        self._recv_counter += 1
        return plaintext

    def open_job(self, ciphertext: bytes) -> OpenJob:
        """The next incoming message to decrypt elsewhere (e.g. a big frame on a worker thread):
        nothing changes here until :meth:`open_result` takes the outcome, in order."""
        return OpenJob(self._recv_key, self._recv_counter, ciphertext)

    def open_result(self, job: OpenJob, plaintext: bytes | None) -> bytes:
        """Take the outcome of ``job`` (its :meth:`OpenJob.open`): the plaintext, or the same
        error and broken state as :meth:`open` would have given for that message."""
        if job.key is not self._recv_key or job.counter != self._recv_counter:
            raise LocalProtocolError("An incoming message was opened out of order.")
        self._check_incoming(job.size)
        if plaintext is None:
            self._failed_authentication()
        self._recv_counter += 1
        return plaintext

    def _check_incoming(self, size: int) -> None:
        """Refuse (and break) before any decryption: after a failure, past the size budget,
        cut short, or with the counter used up."""
        if self._broken is not None:
            raise IntegrityError(
                f"The connection is no longer trustworthy ({self._broken}); the session must end."
            )
        if size > MAX_CIPHERTEXT:
            self._broken = "a message was too large"
            raise MessageTooLarge(
                f"The other side sent {size - TAG_SIZE} bytes, more than the limit of "
                f"{MAX_PLAINTEXT} bytes; the session must end."
            )
        if size < TAG_SIZE:
            self._broken = "a message was cut short"
            raise IntegrityError(
                "A message was cut short or damaged on the way; the session must end."
            )
        if self._recv_counter >= MAX_MESSAGES:
            self._broken = "the message counter is used up"
            raise ChannelExhausted(
                "This session has received the largest possible number of messages; please "
                "start a new session."
            )

    def _failed_authentication(self) -> NoReturn:
        self._broken = "a message failed authentication"
        raise IntegrityError(
            "A message was altered, replayed, reordered or lost on the way; the session "
            "must end for safety."
        ) from None

class SealJob:
    """One message whose counter is taken but which is not encrypted yet (see the module doc).

    Pure and self-contained (key, counter, plaintext), so it may be sealed on another thread;
    :meth:`seal` works once: a second call raises, the same nonce never encrypts twice."""

    __slots__ = ("_counter", "_key", "_plaintext", "size")

    def __init__(self, key: bytes, counter: int, plaintext: bytes) -> None:
        self._key = key
        self._counter = counter
        self._plaintext: bytes | None = plaintext
        #: plaintext bytes: whether sealing is worth a hop to another thread
        self.size = len(plaintext)

    @property
    def counter(self) -> int:
        """The nonce this message is sealed under (its place in the direction's order)."""
        return self._counter

    @property
    def sealed(self) -> bool:
        """True once :meth:`seal` ran (or began): the job cannot seal again."""
        return self._plaintext is None

    def seal(self) -> bytes:
        """Encrypt under the reserved counter; once only."""
        plaintext = self._plaintext
        if plaintext is None:
            raise LocalProtocolError(
                f"Message {self._counter} was already sealed; a nonce is never used twice."
            )
        self._plaintext = None  # before the work: whatever happens next, never again
        return crypto_secretbox_easy(plaintext, self._counter.to_bytes(NONCE_SIZE, "big"),
                                     self._key)


class OpenJob:
    """One incoming message to decrypt elsewhere, under the counter that was next when it was
    made; pure (key, counter, ciphertext). :meth:`open` never raises: None means it did not
    open (wrong size or failed authentication); :meth:`SecureChannel.open_result` decides."""

    __slots__ = ("ciphertext", "counter", "key")

    def __init__(self, key: bytes, counter: int, ciphertext: bytes) -> None:
        self.key = key
        self.counter = counter
        self.ciphertext = ciphertext

    @property
    def size(self) -> int:
        return len(self.ciphertext)

    def open(self) -> bytes | None:
        """The plaintext, or None (then the channel breaks when the result is taken)."""
        if not TAG_SIZE <= self.size <= MAX_CIPHERTEXT or self.counter >= MAX_MESSAGES:
            return None  # not even tried: open_result reports exactly why
        try:
            return crypto_secretbox_open_easy(
                self.ciphertext, self.counter.to_bytes(NONCE_SIZE, "big"), self.key
            )
        except CryptoError:
            return None
