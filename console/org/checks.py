"""What the admin tool checks before it signs or when it shows a file.

Names follow the one rule for names a person reads (:mod:`shared.text`), so a certificate the
tool issues is never refused by the customer's program for its name. Signature checks go through
:func:`shared.identity.verify.verify_technician`, the very function the customer's program runs,
so ``fernhilfe-org show`` cannot say "good" about a file the agent would refuse.
"""

from __future__ import annotations

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from shared.errors import FernhilfeError
from shared.identity.keys import org_key_id
from shared.identity.revocation import parse_revocation_list
from shared.identity.verify import TrustedOrganisation, Verdict, verify_technician
from shared.text import check_name

from .files import OrgToolError

#: Stand-ins for the proof and session binding: ``show`` checks a certificate outside any
#: session, so the proof (checked after signature and validity) always fails, which is how
#: we know that everything before it passed.
_NO_PROOF = b"\0" * 64
_NO_BINDING = b"\0" * 32


def _name(text: str, what: str) -> str:
    try:
        return check_name(text.strip(), what)
    except FernhilfeError as exc:
        raise OrgToolError(f"The {what} cannot be used: {exc}") from None


def organisation_name(text: str) -> str:
    return _name(text, "organisation name")


def technician_name(text: str) -> str:
    return _name(text, "technician name")


def _trusted(org_key: bytes) -> TrustedOrganisation:
    return TrustedOrganisation(public_key=org_key, key_id=org_key_id(org_key))


def certificate_problem(data: bytes, valid_from: int, org_key: bytes) -> str | None:
    """Why ``data`` is not a certificate signed by ``org_key`` (``None``: it is)."""
    v = verify_technician(data, _NO_PROOF, binding=_NO_BINDING, trusted=[_trusted(org_key)],
                          revocations={}, now=valid_from + 1)
    if v.verdict is Verdict.BAD_PROOF:  # signature and validity passed; only the proof failed
        return None
    if v.verdict is Verdict.FOREIGN_ORGANISATION:
        return (f"SIGNED BY ANOTHER ORGANISATION (not key id {org_key_id(org_key)}): customers "
                "who trust only this key refuse it")
    if v.verdict is Verdict.BAD_SIGNATURE:
        return "BAD SIGNATURE: the certificate was changed after it was signed"
    return f"REFUSED: {v.message}"


def revocation_problem(data: bytes, org_key: bytes) -> str | None:
    """Why ``data`` is not a revocation list signed by ``org_key`` (``None``: it is)."""
    try:
        rl = parse_revocation_list(data)
    except FernhilfeError as exc:
        return f"DAMAGED: {exc}"
    if rl.org_key_id != org_key_id(org_key):
        return (f"ANOTHER ORGANISATION'S LIST (key id {rl.org_key_id}, not "
                f"{org_key_id(org_key)})")
    try:
        VerifyKey(org_key).verify(rl.signed_part, rl.signature)
    except BadSignatureError:
        return "BAD SIGNATURE: the list was changed after it was signed"
    return None
