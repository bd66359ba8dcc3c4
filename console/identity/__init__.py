"""The technician's own identity in the console: certificate + private key, imported once."""

from console.identity.store import (
    KEYRING,
    PASSPHRASE,
    IdentityError,
    IdentityStore,
    IdentityWrongPassphrase,
    StoredIdentity,
    check_pair,
    default_identity_dir,
    read_import_files,
    usable_keyring,
)

__all__ = [
    "KEYRING",
    "PASSPHRASE",
    "IdentityError",
    "IdentityStore",
    "IdentityWrongPassphrase",
    "StoredIdentity",
    "check_pair",
    "default_identity_dir",
    "read_import_files",
    "usable_keyring",
]
