"""The technician's proof: a signature over this session's binding (pure).

``binding`` is :attr:`shared.handshake.Established.binding`: derived from the SPAKE2 key and the
handshake transcript, so it is known only to the two ends of *this* session and differs in
every session. A proof therefore cannot be replayed into another session, nor relayed by a
man in the middle (who has a different key with each side). The context string keeps the
signature from meaning anything else a technician's key might ever sign.
"""

from __future__ import annotations

from nacl.exceptions import CryptoError
from nacl.signing import SigningKey, VerifyKey

from shared.identity.errors import IdentityFormatError
from shared.identity.keys import PUBLIC_KEY_SIZE, SEED_SIZE, SIGNATURE_SIZE

PROOF_CONTEXT = b"fernhilfe technician proof v1"
BINDING_SIZE = 32


def _check_binding(binding: object) -> bytes:
    if type(binding) is not bytes or len(binding) != BINDING_SIZE:
        raise IdentityFormatError(f"A session binding is {BINDING_SIZE} bytes.")
    return binding


def sign_proof(technician_seed: bytes, binding: bytes) -> bytes:
    """The 64-byte Ed25519 signature over ``PROOF_CONTEXT + binding``."""
    if type(technician_seed) is not bytes or len(technician_seed) != SEED_SIZE:
        raise IdentityFormatError(f"The technician's private key must be {SEED_SIZE} bytes.")
    signed = SigningKey(technician_seed).sign(PROOF_CONTEXT + _check_binding(binding))
    return signed.signature


def check_proof(technician_key: bytes, binding: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the technician's proof for ``binding``."""
    if (type(signature) is not bytes or len(signature) != SIGNATURE_SIZE
            or type(technician_key) is not bytes or len(technician_key) != PUBLIC_KEY_SIZE):
        return False
    try:
        VerifyKey(technician_key).verify(PROOF_CONTEXT + _check_binding(binding), signature)
    except (CryptoError, ValueError):  # BadSignatureError, or a key that is no curve point
        return False
    return True
