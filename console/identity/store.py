"""The technician's certificate and private key, kept in the console's data folder.

Import checks the pair once (the key is the one the certificate names, the certificate is not
expired) and keeps it: the certificate as a file, the private key either in the operating
system's keyring (``keyring``: Windows Credential Locker, macOS Keychain, the Secret Service of a
Linux desktop) or, where none is usable, sealed with a passphrase the technician chooses
(Argon2id, :mod:`shared.identity.sealed`), asked once per console run.

A keyring counts as usable only when it is a real, recommended backend (priority above zero, not
``keyring.backends.fail``/``null`` and not the plain-text files of ``keyrings.alt``) and a
written secret reads back. On a Linux machine without a desktop session (no D-Bus session bus
or no Secret Service on it, e.g. over SSH) keyring picks its ``fail`` backend: the passphrase
is used. The folder is ``$FERNHILFE_DATA_DIR/identity`` or the platformdirs user data folder's
``Fernhilfe/identity``, next to the session records.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from console.org.files import (
    CERTIFICATE_KIND,
    MAX_KEY_FILE_SIZE,
    TECH_KEY_KIND,
    TECH_KEY_LABEL,
    read_armoured,
    read_capped,
    read_certificate_file,
    write_replacing,
)
from shared.errors import FernhilfeError
from shared.identity import (
    TechnicianIdentity,
    WrongPassphrase,
    open_with_passphrase,
    seal_with_passphrase,
)
from shared.identity.certificate import CertificateFields, armour, parse_certificate

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Fernhilfe console"
CERT_FILE = "certificate.fhcert"
SEALED_KEY_FILE = "key.fhkey"
META_FILE = "identity.json"
#: Label of the console's own sealed copy (not the admin's hand-over file: another passphrase).
STORE_KEY_LABEL = "console technician key"
KEYRING = "keyring"
PASSPHRASE = "passphrase"
MIN_PASSPHRASE_CHARS = 8


class IdentityError(FernhilfeError):
    """The certificate or key cannot be imported or used; the message says what to do."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # stable word the window translates (see console.app.identity_text)


class IdentityWrongPassphrase(IdentityError):
    def __init__(self, what: str) -> None:
        super().__init__("wrong_passphrase", f"Wrong passphrase for {what}.")


def default_identity_dir() -> Path:
    """``identity`` beside the session records (``FERNHILFE_DATA_DIR`` overrides the base)."""
    import platformdirs

    base = os.environ.get("FERNHILFE_DATA_DIR") or platformdirs.user_data_dir("Fernhilfe", False)
    return Path(base) / "identity"


def usable_keyring() -> Any | None:
    """The OS keyring backend if a recommended one is there, else ``None``."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:  # an install without the package: passphrase only
        return None
    try:
        backend = keyring.get_keyring()
        priority = float(backend.priority)
    except Exception as exc:  # a broken backend must not break the console
        log.info("no usable keyring: %s", exc)
        return None
    if isinstance(backend, fail.Keyring | null.Keyring) or priority < 1:
        return None
    if type(backend).__module__.startswith("keyrings.alt"):  # plain-text or home-made crypto
        return None
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        return None
    return backend


@dataclass(frozen=True)
class StoredIdentity:
    """What the console shows about the stored certificate (no secret in here)."""

    fields: CertificateFields
    storage: str  # KEYRING or PASSPHRASE

    def expired(self, now: int) -> bool:
        return now >= self.fields.valid_until


def check_pair(certificate: bytes, seed: bytes, now: int) -> CertificateFields:
    """The certificate's fields, if ``seed`` is its key and it is valid at ``now``."""
    try:
        fields = parse_certificate(certificate).fields
    except FernhilfeError as exc:
        raise IdentityError("bad_certificate", f"This is not a valid certificate: {exc}") \
            from None
    if bytes(SigningKey(seed).verify_key) != fields.technician_key:
        raise IdentityError("key_mismatch", "The key file does not belong to this certificate.")
    if now >= fields.valid_until:
        raise IdentityError("expired", "This certificate has expired: ask your administrator "
                                       "for a renewed one.")
    return fields


def read_import_files(cert_path: Path, key_path: Path, key_passphrase: str,
                      now: int) -> tuple[bytes, bytes, CertificateFields]:
    """Certificate bytes, private key seed and fields from the files the admin handed over."""
    try:
        certificate = read_certificate_file(cert_path)
        blob = read_armoured(key_path, TECH_KEY_KIND, "a technician's key file",
                             MAX_KEY_FILE_SIZE)
    except FernhilfeError as exc:
        raise IdentityError("bad_file", str(exc)) from None
    try:
        seed = open_with_passphrase(blob, key_passphrase, label=TECH_KEY_LABEL)
    except WrongPassphrase:
        raise IdentityWrongPassphrase(str(key_path)) from None
    except FernhilfeError as exc:
        raise IdentityError("bad_file", f"{key_path}: not a usable key file ({exc})") from None
    return certificate, seed, check_pair(certificate, seed, now)


class IdentityStore:
    """The console's one stored identity (importing again replaces it: a renewal)."""

    def __init__(self, directory: Path | None = None, keyring_backend: Any | None = None,
                 *, use_keyring: bool = True) -> None:
        """``keyring_backend``: a backend to use instead of the detected one; ``use_keyring``
        False: passphrase only (the technician's or a test's choice)."""
        self.directory = directory if directory is not None else default_identity_dir()
        self._backend = keyring_backend
        self._use_keyring = use_keyring
        self._detected = False

    # ------------------------------------------------------------------ keyring

    def keyring(self) -> Any | None:
        if not self._use_keyring:
            return None
        if self._backend is None and not self._detected:
            self._backend = usable_keyring()
            self._detected = True
        return self._backend

    def _keyring_user(self, fields: CertificateFields) -> str:
        return f"{fields.org_key_id}/{fields.serial}"

    # ------------------------------------------------------------------ reading

    def stored(self) -> StoredIdentity | None:
        """The stored certificate, or ``None`` (nothing stored, or damaged: logged)."""
        cert_path = self.directory / CERT_FILE
        if not cert_path.exists():
            return None
        try:
            certificate = read_certificate_file(cert_path)
            fields = parse_certificate(certificate).fields
            meta = json.loads(read_capped(self.directory / META_FILE, 4096, "identity.json"))
            storage = meta["storage"]
        except (FernhilfeError, ValueError, KeyError, TypeError) as exc:
            log.warning("the stored identity in %s cannot be read: %s", self.directory, exc)
            return None
        if storage not in (KEYRING, PASSPHRASE):
            return None
        return StoredIdentity(fields, storage)

    def load(self, passphrase: str | None = None) -> TechnicianIdentity:
        """Certificate and private key for a session (``passphrase`` for a sealed key)."""
        info = self.stored()
        if info is None:
            raise IdentityError("none", "No certificate is imported.")
        certificate = read_certificate_file(self.directory / CERT_FILE)
        if info.storage == KEYRING:
            seed = self._seed_from_keyring(info.fields)
        else:
            if passphrase is None:
                raise IdentityWrongPassphrase("the stored key")
            blob = read_armoured(self.directory / SEALED_KEY_FILE, TECH_KEY_KIND,
                                 "a technician's key file", MAX_KEY_FILE_SIZE)
            try:
                seed = open_with_passphrase(blob, passphrase, label=STORE_KEY_LABEL)
            except WrongPassphrase:
                raise IdentityWrongPassphrase("the stored key") from None
        if bytes(SigningKey(seed).verify_key) != info.fields.technician_key:
            raise IdentityError("key_mismatch", "The stored key does not belong to the stored "
                                                "certificate: import it again.")
        return TechnicianIdentity(certificate=certificate, seed=seed)

    def _seed_from_keyring(self, fields: CertificateFields) -> bytes:
        backend = self.keyring()
        if backend is None:
            raise IdentityError("keyring_gone", "The key is kept in this computer's keyring, "
                                                "which is not available now.")
        try:
            text = backend.get_password(KEYRING_SERVICE, self._keyring_user(fields))
        except Exception as exc:
            log.warning("keyring read failed: %s", exc)
            raise IdentityError("keyring_gone", "The keyring did not give the key back (is it "
                                                "locked?).") from None
        if text is None:
            raise IdentityError("keyring_gone", "The key is no longer in this computer's "
                                                "keyring: import the certificate again.")
        try:
            seed = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            seed = b""
        if len(seed) != 32:
            raise IdentityError("keyring_gone", "The keyring holds a damaged key: import the "
                                                "certificate again.")
        return seed

    # ------------------------------------------------------------------ writing

    def save(self, certificate: bytes, seed: bytes, *, passphrase: str | None = None) -> str:
        """Keep a checked pair: in the keyring if usable, else sealed with ``passphrase``.

        Returns KEYRING or PASSPHRASE. ``IdentityError("needs_passphrase")`` when no keyring is
        usable (or it refused the key) and no passphrase was given.
        """
        fields = parse_certificate(certificate).fields
        old = self.stored()
        storage = PASSPHRASE
        backend = self.keyring()
        if backend is not None and passphrase is None:
            user = self._keyring_user(fields)
            try:
                backend.set_password(KEYRING_SERVICE, user,
                                     base64.b64encode(seed).decode("ascii"))
                if backend.get_password(KEYRING_SERVICE, user) != \
                        base64.b64encode(seed).decode("ascii"):
                    raise RuntimeError("the keyring gave back something else")
                storage = KEYRING
            except Exception as exc:
                log.warning("the keyring refused the key (%s): a passphrase is needed", exc)
        if storage == PASSPHRASE:
            if passphrase is None:
                raise IdentityError("needs_passphrase", "Choose a passphrase to protect your "
                                                        "key on this computer.")
            if len(passphrase) < MIN_PASSPHRASE_CHARS:
                raise IdentityError("short_passphrase", f"The passphrase needs at least "
                                                        f"{MIN_PASSPHRASE_CHARS} characters.")
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if storage == PASSPHRASE:
                blob = seal_with_passphrase(seed, passphrase or "", label=STORE_KEY_LABEL)
                write_replacing(self.directory / SEALED_KEY_FILE,
                                armour(TECH_KEY_KIND, blob).encode("ascii"), 0o600)
            else:
                with contextlib.suppress(OSError):
                    (self.directory / SEALED_KEY_FILE).unlink()
            write_replacing(self.directory / CERT_FILE,
                            armour(CERTIFICATE_KIND, certificate).encode("ascii"))
            write_replacing(self.directory / META_FILE,
                            json.dumps({"version": 1, "storage": storage}).encode("ascii"),
                            0o600)
        except OSError as exc:
            raise IdentityError("not_writable", f"{self.directory} cannot be written "
                                                f"({exc.strerror or exc}).") from None
        except FernhilfeError as exc:
            raise IdentityError("not_writable", str(exc)) from None
        if old is not None and old.storage == KEYRING and \
                self._keyring_user(old.fields) != self._keyring_user(fields):
            self._forget_keyring(old.fields)  # the replaced certificate's key goes
        return storage

    def _forget_keyring(self, fields: CertificateFields) -> None:
        backend = self.keyring()
        if backend is None:
            return
        with contextlib.suppress(Exception):
            backend.delete_password(KEYRING_SERVICE, self._keyring_user(fields))
