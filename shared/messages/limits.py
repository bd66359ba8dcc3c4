"""The message set's limits and vocabularies: every bound a received message is checked against.

One definition each. The frame budgets (screen size, rect count, decoded bytes) live in
:mod:`shared.codec`, beside the codecs they protect; ``MAX_DIMENSION`` is re-exported here
because coordinates are bounded by it.
"""

from __future__ import annotations

from shared.codec import MAX_DIMENSION as MAX_DIMENSION  # re-exported: the coordinate bound
from shared.identity.certificate import MAX_CERTIFICATE_SIZE as MAX_CERTIFICATE_SIZE
from shared.identity.keys import SIGNATURE_SIZE

PROTOCOL_VERSION = 1
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

PERMISSIONS: frozenset[str] = frozenset({"view", "control", "clipboard", "files", "chat"})
ROLES: frozenset[str] = frozenset({"agent", "console"})
BUTTONS: tuple[str, ...] = ("left", "middle", "right", "back", "forward")
#: What an Annotation draws (index on the wire): a free-hand line, or an arrow from its first
#: point to its last.
ANNOTATION_KINDS: tuple[str, ...] = ("line", "arrow")
#: Why sharing is paused (SharingPaused.reason): the customer did not answer "still sharing?"
#: in time, or the customer paused/resumed it.
PAUSE_REASONS: frozenset[str] = frozenset({"timeout", "customer"})
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
    }
)
