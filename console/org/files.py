"""The organisation admin tool's files: the sealed organisation key, its state file, the
certificates, technician keys and revocation lists it writes.

The formats are :mod:`shared.identity`'s; this module only decides where they live and how they
are written: secrets 0600 and never over an existing file (a typo must not destroy the
organisation key), public outputs atomically (a half-written revocation list on the relay would
lock every technician out). Everything read is size-capped before it is parsed.

The state file sits beside the key (``organisation.fhkey`` -> ``organisation.fhstate``): the
organisation's name, its public key, the next serial and every serial issued and revoked.
Losing it means serials could be handed out twice, so the admin backs it up with the key
(docs/org-admin.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.errors import FernhilfeError
from shared.identity.certificate import MAX_CERTIFICATE_SIZE, dearmour
from shared.identity.revocation import MAX_REVOCATION_LIST_SIZE

#: Armour kinds ("-----BEGIN FERNHILFE <KIND>-----") of the files this tool writes.
ORG_KEY_KIND = "ORGANISATION KEY"
TECH_KEY_KIND = "TECHNICIAN KEY"
CERTIFICATE_KIND = "CERTIFICATE"
REVOCATION_KIND = "REVOCATION LIST"
#: Labels bound into the sealed blobs: an organisation key file cannot be opened as a
#: technician's key and the other way round.
ORG_KEY_LABEL = "organisation key"
TECH_KEY_LABEL = "technician key"

DEFAULT_KEY_FILE = "organisation.fhkey"
STATE_SUFFIX = ".fhstate"
CERT_SUFFIX = ".fhcert"
TECH_KEY_SUFFIX = ".fhkey"
REVOCATION_SUFFIX = ".fhrl"
STATE_VERSION = 1
#: Most bytes read of a key or state file (a few hundred bytes each; a state file holds one
#: short line per certificate ever issued).
MAX_KEY_FILE_SIZE = 16 * 1024
MAX_STATE_FILE_SIZE = 4 * 1024 * 1024
#: A passphrase shorter than this is refused: the sealed key may be copied and attacked offline.
MIN_PASSPHRASE_CHARS = 10
#: Armoured files are about 4/3 the binary size plus the lines around them.
_ARMOUR_SLACK = 2


class OrgToolError(FernhilfeError):
    """Something the admin can fix: a missing or wrong file, a wrong passphrase, bad input."""


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path`` (at most ``limit``), or an OrgToolError that names the file."""
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise OrgToolError(f"{path}: no such file ({what} expected).") from None
    except IsADirectoryError:
        raise OrgToolError(f"{path}: is a folder, not {what}.") from None
    except OSError as exc:
        raise OrgToolError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise OrgToolError(f"{path}: too large for {what} (more than {limit} bytes): "
                           "is it the right file?")
    return data


def write_secret(path: Path, data: bytes) -> None:
    """Create ``path`` (mode 0600) with ``data``; refuse when it exists (never overwrite a key)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise OrgToolError(f"{path} already exists: it is not overwritten. Move it away or "
                           "choose another file name.") from None
    except OSError as exc:
        raise OrgToolError(f"{path}: cannot be created ({exc.strerror or exc}).") from None
    try:
        _write_durably(fd, data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        raise OrgToolError(f"{path}: cannot be written ({exc.strerror or exc}).") from None


def write_new(path: Path, data: bytes) -> None:
    """Create a public file (certificate): refuse to overwrite one, like a key."""
    write_secret(path, data)
    with contextlib.suppress(OSError):
        path.chmod(0o644)


def write_replacing(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``path`` atomically (temporary file, fsync, rename): a reader never sees half."""
    directory = path.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OrgToolError(f"{path}: cannot be written ({exc.strerror or exc}).") from None
    try:
        _write_durably(fd, data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OrgToolError(f"{path}: cannot be written ({exc.strerror or exc}).") from None


def _write_durably(fd: int, data: bytes) -> None:
    """Write ``data`` to the open ``fd``, close it, and fsync first: a key or list that a crash
    could leave half-written is worse than none."""
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def state_path(key_path: Path) -> Path:
    """The state file beside ``key_path``."""
    return key_path.with_suffix(STATE_SUFFIX)


# ---------------------------------------------------------------------- armoured files


def read_armoured(path: Path, kind: str, what: str, limit: int) -> bytes:
    """The binary content of an armoured file of ``kind``; a clear error for any other file."""
    data = read_capped(path, limit * _ARMOUR_SLACK + 256, what)
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise OrgToolError(f"{path}: not {what} (the file is not text).") from None
    try:
        return dearmour(kind, text)
    except FernhilfeError as exc:
        raise OrgToolError(f"{path}: not {what} ({exc})") from None


def read_certificate_file(path: Path) -> bytes:
    """A certificate file, armoured (``.fhcert``) or binary; its bytes, not yet checked."""
    data = read_capped(path, MAX_CERTIFICATE_SIZE * _ARMOUR_SLACK + 256, "a certificate")
    if data.lstrip().startswith(b"-----BEGIN"):
        return read_armoured(path, CERTIFICATE_KIND, "a certificate", MAX_CERTIFICATE_SIZE)
    if len(data) > MAX_CERTIFICATE_SIZE:
        raise OrgToolError(f"{path}: too large for a certificate: is it the right file?")
    return data


def read_revocation_file(path: Path) -> bytes:
    """A revocation list, binary (``.fhrl``, as the relay serves it) or armoured."""
    data = read_capped(path, MAX_REVOCATION_LIST_SIZE * _ARMOUR_SLACK + 256,
                       "a revocation list")
    if data.lstrip().startswith(b"-----BEGIN"):
        return read_armoured(path, REVOCATION_KIND, "a revocation list",
                             MAX_REVOCATION_LIST_SIZE)
    if len(data) > MAX_REVOCATION_LIST_SIZE:
        raise OrgToolError(f"{path}: too large for a revocation list: is it the right file?")
    return data


# ---------------------------------------------------------------------- the state file


@dataclass
class IssuedRecord:
    """One certificate this key issued (for ``revoke`` and the admin's overview)."""

    serial: int
    technician: str
    valid_from: int
    valid_until: int


@dataclass
class OrgState:
    """What the tool remembers beside the key (``<key>.fhstate``, JSON)."""

    organisation: str
    public_key: str  # fhorg1:...
    key_id: str
    next_serial: int = 1
    issued: list[IssuedRecord] = field(default_factory=list)
    revoked: list[int] = field(default_factory=list)

    def to_json(self) -> bytes:
        doc: dict[str, Any] = {
            "version": STATE_VERSION,
            "organisation": self.organisation,
            "public_key": self.public_key,
            "key_id": self.key_id,
            "next_serial": self.next_serial,
            "issued": [vars(r) for r in self.issued],
            "revoked": sorted(set(self.revoked)),
        }
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, path: Path) -> OrgState:
        """Parse a state file; a hand-edited or damaged one gets an error naming the file."""
        def bad(why: str) -> OrgToolError:
            return OrgToolError(f"{path}: the state file is damaged ({why}). Restore it from "
                                "your backup.")
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise bad("not JSON") from None
        if not isinstance(doc, dict) or doc.get("version") != STATE_VERSION:
            raise bad("unknown version")
        try:
            issued = [IssuedRecord(int(r["serial"]), str(r["technician"]),
                                   int(r["valid_from"]), int(r["valid_until"]))
                      for r in doc["issued"]]
            state = cls(str(doc["organisation"]), str(doc["public_key"]), str(doc["key_id"]),
                        int(doc["next_serial"]), issued, [int(s) for s in doc["revoked"]])
        except (KeyError, TypeError, ValueError, OverflowError):
            raise bad("a field is missing or of the wrong kind") from None
        if state.next_serial < 1:
            raise bad("next_serial below 1")
        return state


def load_state(key_path: Path) -> OrgState:
    path = state_path(key_path)
    if not path.exists():
        raise OrgToolError(f"{path}: the state file beside the organisation key is missing. "
                           "Restore it from your backup (it holds the serial counter).")
    return OrgState.from_json(read_capped(path, MAX_STATE_FILE_SIZE, "a state file"), path)


def save_state(key_path: Path, state: OrgState) -> None:
    write_replacing(state_path(key_path), state.to_json(), 0o600)


# ---------------------------------------------------------------------- names


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                         "Ü": "Ue"})


def file_stem(technician: str, serial: int) -> str:
    """A safe file name stem for a technician's files: ``max-mustermann-7``."""
    text = unicodedata.normalize("NFKD", technician.translate(_GERMAN))
    ascii_text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40] or "technician"
    return f"{slug}-{serial}"
