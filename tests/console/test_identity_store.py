"""The console's identity store: import checks the pair, keeps it, and gives it back.

The passphrase path runs in-process on real files; the keyring path runs the real
``fernhilfe-console --import-identity`` / ``--show-identity`` against a real Secret Service:
Debian's gnome-keyring-daemon on a private D-Bus session bus (``dbus-run-session``), with HOME
and the XDG folders in the test's own folder, so the user's keyring is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.identity import (
    IdentityError,
    IdentityStore,
    IdentityWrongPassphrase,
    read_import_files,
)
from console.identity.store import CERT_FILE, META_FILE, SEALED_KEY_FILE
from shared.identity import TechnicianIdentity
from tests.console.identity_helpers import DAY, KEY_PASSPHRASE, new_org, write_pair

CONSOLE = Path(sys.executable).with_name("fernhilfe-console")


def test_import_with_a_passphrase_then_load(tmp_path: Path) -> None:
    org, seed = new_org(), os.urandom(32)
    cert, key = write_pair(tmp_path, org.certificate(seed), seed)
    store = IdentityStore(tmp_path / "identity", use_keyring=False)
    certificate, got_seed, fields = read_import_files(cert, key, KEY_PASSPHRASE,
                                                      int(time.time()))
    assert got_seed == seed and fields.technician == "Max Mustermann"
    with pytest.raises(IdentityError) as needs:
        store.save(certificate, got_seed)  # no keyring, no passphrase: ask for one
    assert needs.value.kind == "needs_passphrase"
    assert store.save(certificate, got_seed, passphrase="my console words") == "passphrase"
    sealed = tmp_path / "identity" / SEALED_KEY_FILE
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert seed not in sealed.read_bytes()
    info = store.stored()
    assert info is not None and info.storage == "passphrase"
    assert info.fields.serial == 1
    with pytest.raises(IdentityWrongPassphrase):
        store.load("not my words")
    identity = store.load("my console words")
    assert identity == TechnicianIdentity(certificate=certificate, seed=seed)


def test_import_refuses_a_foreign_key_an_expired_certificate_and_a_wrong_passphrase(
        tmp_path: Path) -> None:
    org, seed, other = new_org(), os.urandom(32), os.urandom(32)
    now = int(time.time())
    cert, _key = write_pair(tmp_path, org.certificate(seed), seed, stem="a")
    _cert, other_key = write_pair(tmp_path, org.certificate(other, serial=2), other, stem="b")
    with pytest.raises(IdentityError) as mismatch:
        read_import_files(cert, other_key, KEY_PASSPHRASE, now)
    assert mismatch.value.kind == "key_mismatch"
    old_cert, old_key = write_pair(tmp_path, org.certificate(
        seed, valid_from=now - 100 * DAY, days=30), seed, stem="old")
    with pytest.raises(IdentityError) as expired:
        read_import_files(old_cert, old_key, KEY_PASSPHRASE, now)
    assert expired.value.kind == "expired"
    with pytest.raises(IdentityWrongPassphrase):
        read_import_files(cert, _key, "wrong", now)
    with pytest.raises(IdentityError) as swapped:  # the two files the other way round
        read_import_files(_key, cert, KEY_PASSPHRASE, now)
    assert swapped.value.kind == "bad_file"


def test_a_renewal_replaces_the_stored_certificate(tmp_path: Path) -> None:
    org, seed = new_org(), os.urandom(32)
    store = IdentityStore(tmp_path / "identity", use_keyring=False)
    store.save(org.certificate(seed, serial=1), seed, passphrase="my console words")
    store.save(org.certificate(seed, serial=5, days=200), seed, passphrase="new words 123")
    info = store.stored()
    assert info is not None and info.fields.serial == 5
    assert store.load("new words 123").fields.serial == 5


def test_a_damaged_store_reads_as_nothing_stored(tmp_path: Path) -> None:
    org, seed = new_org(), os.urandom(32)
    store = IdentityStore(tmp_path / "identity", use_keyring=False)
    store.save(org.certificate(seed), seed, passphrase="my console words")
    (tmp_path / "identity" / META_FILE).write_text("{not json")
    assert store.stored() is None
    (tmp_path / "identity" / META_FILE).write_text(json.dumps({"storage": "passphrase"}))
    (tmp_path / "identity" / CERT_FILE).write_text("garbage")
    assert store.stored() is None


# ---------------------------------------------------------------------- the real OS keyring


def _keyring_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    for d in (home, runtime):
        d.mkdir()
        d.chmod(0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_"))}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime),
               XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               FERNHILFE_DATA_DIR=str(tmp_path / "console-data"))
    return env


@pytest.mark.skipif(shutil.which("gnome-keyring-daemon") is None
                    or shutil.which("dbus-run-session") is None,
                    reason="Debian's gnome-keyring and dbus-run-session are not installed "
                           "(scripts/setup.sh installs them)")
def test_import_keeps_the_key_in_a_real_secret_service_keyring(tmp_path: Path) -> None:
    org, seed = new_org(), os.urandom(32)
    cert, key = write_pair(tmp_path, org.certificate(seed), seed)
    env = _keyring_env(tmp_path)
    script = (
        # a login keyring, created and unlocked with this password, serving Secret Service
        "printf 'keyring-test-pw' | gnome-keyring-daemon --unlock --components=secrets "
        ">/dev/null || exit 90\n"
        f"printf '%s\\n' '{KEY_PASSPHRASE}' | '{CONSOLE}' --import-identity '{cert}' "
        f"'{key}' || exit 91\n"
        f"'{CONSOLE}' --show-identity </dev/null || exit 92\n"
    )
    r = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert "kept in this computer's keyring" in r.stdout
    assert "Verified: Max Mustermann, Kanzleisoft GmbH" in r.stdout
    stored = tmp_path / "console-data" / "identity"
    assert json.loads((stored / META_FILE).read_text())["storage"] == "keyring"
    assert not (stored / SEALED_KEY_FILE).exists()  # the key is in the keyring only
    for path in stored.iterdir():
        assert seed not in path.read_bytes()


def test_without_a_keyring_the_terminal_import_asks_for_a_passphrase(tmp_path: Path) -> None:
    """No D-Bus session bus at all (as over SSH): keyring has no usable backend."""
    org, seed = new_org(), os.urandom(32)
    cert, key = write_pair(tmp_path, org.certificate(seed), seed)
    env = _keyring_env(tmp_path)
    r = subprocess.run([str(CONSOLE), "--import-identity", str(cert), str(key)], env=env,
                       input=f"{KEY_PASSPHRASE}\nconsole words\nconsole words\n",
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert "no keyring" in r.stdout and "sealed with your passphrase" in r.stdout
    r = subprocess.run([str(CONSOLE), "--show-identity"], env=env, input="console words\n",
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert "Verified: Max Mustermann, Kanzleisoft GmbH" in r.stdout
    r = subprocess.run([str(CONSOLE), "--show-identity"], env=env, input="wrong words\n",
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 1 and "Wrong passphrase" in r.stderr
