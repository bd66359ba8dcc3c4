"""The message set's limits and vocabularies: every bound a received message is checked against.

One definition each. The frame budgets (screen size, rect count, decoded bytes) live in
:mod:`shared.codec`, beside the codecs they protect; ``MAX_DIMENSION`` is re-exported here
because coordinates are bounded by it.
"""

from __future__ import annotations

from shared.codec import MAX_DIMENSION as MAX_DIMENSION  # re-exported: the coordinate bound
from shared.identity.certificate import MAX_CERTIFICATE_SIZE as MAX_CERTIFICATE_SIZE
from shared.identity.keys import SIGNATURE_SIZE

#: The newest protocol version this program speaks (docs/PROTOCOL.md section 11). A session runs
#: at the lower of both sides' newest versions.
PROTOCOL_VERSION = 2
#: The oldest version it still speaks: a Hello carries it as ``protocol_version``, the one
#: number a version-1 program checks (for equality with 1), so old peers still talk to us.
MIN_PROTOCOL_VERSION = 1
#: Message types added after version 1, by type byte, with the version that added them: never
#: sent in a session of an older version, and from the peer there a protocol error.
MESSAGE_SINCE: dict[int, int] = {0x0C: 2}  # SystemNotice
#: End reasons added after version 1: (the version that added them, what an older peer is told
#: instead). The local reason (audit, the customer's window) stays the new one.
END_REASON_SINCE: dict[str, tuple[int, str]] = {"restarting_elevated": (2, "customer_ended")}
#: Rect encodings (``shared.codec.Encoding`` ids) with the version that added them. Version 1's
#: are what the last release's decoder takes (SOLID, RAW_ZSTD, PALETTE_ZSTD, JPEG, COPY, VIDEO:
#: 0..5, as of the commit before version 2, 3bfbabe^); version 2 added none. Written out, not
#: derived from ``Encoding``: a new encoding is sent in no session until it is entered here
#: with its version (``encodings_in``; tests/shared/test_versions.py pins the table), and is
#: then never sealed in an older session, and from the peer there a protocol error.
ENCODING_SINCE: dict[int, int] = {0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1}


def encodings_in(version: int) -> frozenset[int]:
    """The rect encodings a session of protocol ``version`` may carry."""
    return frozenset(e for e, since in ENCODING_SINCE.items() if since <= version)
PROOF_SIGNATURE_SIZE = SIGNATURE_SIZE  # a TechnicianProof's Ed25519 signature
MAX_PLAINTEXT = 8 * 1024 * 1024
# MAX_DIMENSION (largest screen width/height) and the other frame budgets are defined once, in
# shared.codec (re-exported here); a FrameUpdate over them raises ResourceLimit.
#: Largest x or y of a pointer, cursor or rectangle: the last pixel of the largest screen.
MAX_COORDINATE = MAX_DIMENSION - 1
MAX_CONTROL_BODY = 64 * 1024
MAX_APP_VERSION = 32
MAX_CHAT = 4096
MAX_ERROR_MESSAGE = 1024
MAX_KEY_CODE = 32
MAX_KEY_TEXT = 32  # UTF-8 bytes
MAX_CURSOR = 256  # largest cursor image side (a budget, like the frame budgets)
MAX_QUALITY = 100
MAX_BYTES_PER_S = 0xFFFFFFFF  # 4 GB/s; 0 means unlimited
#: Most monitors a Monitors message lists (issue 15); ChooseMonitor picks 0 (all) or 1..this.
MAX_MONITORS = 16
#: Most points one Annotation message adds to a stroke (the agent also bounds a whole stroke).
MAX_ANNOTATION_POINTS = 256
#: Largest stroke id (``>H``): the console numbers its strokes and wraps around.
MAX_STROKE_ID = 0xFFFF

#: Every permission name the protocol knows (issue 17): ``files_in`` lets files go technician ->
#: customer, ``files_out`` customer -> technician, each on its own. ``chat`` is never granted
#: (it rides on the session), the name stays known.
PERMISSIONS: frozenset[str] = frozenset(
    {"view", "control", "clipboard", "files_in", "files_out", "chat"})
#: What a PermissionRequest may ask for later (issue 17): what the customer can grant or revoke
#: during a session (``view`` is the session itself, never asked for later).
REQUESTABLE: frozenset[str] = frozenset({"control", "clipboard", "files_in", "files_out"})
#: Largest clipboard text, in UTF-8 bytes (issue 17).
MAX_CLIPBOARD = 64 * 1024
#: Largest data of one FileChunk: small next to a frame, so a file never delays the screen long.
MAX_FILE_CHUNK = 256 * 1024
#: Largest file a FileOffer can announce (1 TiB; each receiver has its own, smaller cap).
MAX_FILE_SIZE = 2**40
#: Largest transfer id (``>I`` on the wire, a positive signed 32-bit number everywhere).
MAX_FILE_ID = 2**31 - 1
#: Longest file name in a FileOffer, in characters (the receiver sanitises it anyway).
MAX_FILE_NAME = 255
#: Transfers per direction that may be open at once (offered and not finished or cancelled).
MAX_OPEN_TRANSFERS = 4
#: The two directions of a file: ``to_customer`` needs ``files_in``, ``to_technician``
#: needs ``files_out``.
FILE_DIRECTIONS: tuple[str, ...] = ("to_customer", "to_technician")
#: Why a transfer was cancelled (FileCancel.reason).
FILE_CANCEL_REASONS: frozenset[str] = frozenset(
    {"cancelled", "refused", "revoked", "too_large", "no_space", "hash_mismatch", "error"})
ROLES: frozenset[str] = frozenset({"agent", "console"})
BUTTONS: tuple[str, ...] = ("left", "middle", "right", "back", "forward")
#: What an Annotation draws (index on the wire): a free-hand line, or an arrow from its first
#: point to its last.
ANNOTATION_KINDS: tuple[str, ...] = ("line", "arrow")
#: Why sharing is paused (SharingPaused.reason): the customer did not answer "still sharing?"
#: in time, or the customer paused/resumed it.
PAUSE_REASONS: frozenset[str] = frozenset({"timeout", "customer"})
#: What a SystemNotice (agent -> console) can say: what the customer's OS blocks now, or that
#: it no longer does. A code, never text: the console words it in the technician's language.
#: A well-formed code not listed here (a newer agent's) is ignored and counted by the console.
NOTICE_CODES: frozenset[str] = frozenset({
    "foreground_elevated", "foreground_ok", "ctrl_alt_del_refused",
    "screen_recording_missing", "screen_recording_ok", "accessibility_missing",
    "accessibility_ok"})
#: Each ``_ok`` code and the notice it clears (``ctrl_alt_del_refused`` is said once, no pair).
NOTICE_CLEARS: dict[str, str] = {
    "foreground_ok": "foreground_elevated",
    "screen_recording_ok": "screen_recording_missing",
    "accessibility_ok": "accessibility_missing",
}
END_REASONS: frozenset[str] = frozenset(
    {
        "customer_ended",
        "technician_ended",
        "denied",
        "timeout",
        "wrong_code",
        "error",
        "unsupported_version",
        "peer_gone",
        # The agent requires verified technicians and this one was not (issue 12); also the
        # code of the Error it sends before ending.
        "unverified_technician",
        # The customer restarts the agent as administrator (Windows, issue 18; protocol v2).
        "restarting_elevated",
    }
)
