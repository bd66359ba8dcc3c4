"""``fernhilfe-console --import-identity CERT KEY`` and ``--show-identity``: the terminal way.

Passphrases are asked with ``getpass`` on a terminal, or read one per line from standard input
when it is not one (scripts, tests). Exit code 0 done, 1 a problem the technician can fix (the
message says which).
"""

from __future__ import annotations

import getpass
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from console.identity.store import (
    KEYRING,
    IdentityError,
    IdentityStore,
    read_import_files,
)
from shared.identity.keys import format_technician_key

PROG = "fernhilfe-console"


class _Asker:
    def __init__(self, stdin: TextIO) -> None:
        self._stdin = stdin

    def __call__(self, prompt: str) -> str:
        if self._stdin.isatty():
            return getpass.getpass(f"{prompt}: ")
        line = self._stdin.readline()
        if not line:
            raise IdentityError("no_input", f"No passphrase given ({prompt}).")
        return line.rstrip("\r\n")


def _date(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d")


def _where(storage: str) -> str:
    return "in this computer's keyring" if storage == KEYRING else "sealed with your passphrase"


def import_identity(cert: Path, key: Path, *, store: IdentityStore | None = None,
                    stdin: TextIO | None = None, now: Callable[[], float] = time.time) -> int:
    """Check the pair, keep it (keyring, else a new passphrase asked twice), say what happened."""
    store = store or IdentityStore()
    ask = _Asker(stdin or sys.stdin)
    try:
        certificate, seed, fields = read_import_files(
            cert, key, ask(f"Passphrase of {key}"), int(now()))
        passphrase = None
        if store.keyring() is None:
            print("This computer has no keyring the console can use: choose a passphrase for "
                  "your key here (the console asks for it once per start).")
            passphrase = ask("New passphrase")
            if ask("New passphrase (again)") != passphrase:
                raise IdentityError("differ", "The two passphrases differ. Nothing was "
                                              "imported.")
        storage = store.save(certificate, seed, passphrase=passphrase)
    except IdentityError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    where = _where(storage)
    print(f"Imported: {fields.technician}, {fields.organisation} (certificate {fields.serial}, "
          f"valid until {_date(fields.valid_until)}). Your key is kept {where}.")
    return 0


def show_identity(*, store: IdentityStore | None = None, stdin: TextIO | None = None,
                  now: Callable[[], float] = time.time) -> int:
    """Say who the console connects as, after checking that the key can be used."""
    store = store or IdentityStore()
    info = store.stored()
    if info is None:
        print("Not verified: no certificate is imported (--import-identity CERT KEY).")
        return 1
    f = info.fields
    try:
        passphrase = None if info.storage == KEYRING else _Asker(stdin or sys.stdin)(
            "Passphrase of your key")
        identity = store.load(passphrase)
    except IdentityError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    del identity  # only its loading was the check
    state = "EXPIRED" if info.expired(int(now())) else "valid"
    print(f"Verified: {f.technician}, {f.organisation} (certificate {f.serial}, {state} until "
          f"{_date(f.valid_until)}; key kept {_where(info.storage)}; "
          f"{format_technician_key(f.technician_key)}).")
    return 0 if state == "valid" else 1
