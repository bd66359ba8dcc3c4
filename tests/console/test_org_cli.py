"""``fernhilfe-org``, the support company's admin tool, run as the admin runs it: the installed
command in a subprocess, real files, real Argon2id sealing. What it writes is then checked by
the very verifier the customer's program runs (:func:`shared.identity.verify_technician`)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.org.files import CERTIFICATE_KIND, TECH_KEY_KIND, TECH_KEY_LABEL
from shared.identity import (
    TrustedOrganisation,
    Verdict,
    armour,
    dearmour,
    open_with_passphrase,
    parse_certificate,
    parse_org_key,
    parse_revocation_list,
    sign_proof,
    verify_technician,
)

ORG_TOOL = Path(sys.executable).with_name("fernhilfe-org")
ADMIN_PASSPHRASE = "correct horse battery staple"
TECH_PASSPHRASE = "technician's own words"
BINDING = bytes(range(32))  # stands in for a session's Established.binding


def org(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``fernhilfe-org`` in ``cwd``."""
    return subprocess.run([str(ORG_TOOL), *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, timeout=120, check=False)


@pytest.fixture
def admin(tmp_path: Path) -> Path:
    """A folder with passphrase files and an organisation key made by ``init``."""
    (tmp_path / "pass").write_text(ADMIN_PASSPHRASE + "\n")
    (tmp_path / "techpass").write_text(TECH_PASSPHRASE + "\n")
    (tmp_path / "out").mkdir()
    r = org(tmp_path, "init", "--name", "Kanzleisoft GmbH", "--passphrase-file", "pass")
    assert r.returncode == 0, r.stderr
    return tmp_path


def public_key(admin: Path) -> str:
    state = (admin / "organisation.fhstate").read_text()
    found = re.search(r'"public_key": "(fhorg1:[A-Za-z0-9_-]+)"', state)
    assert found
    return found.group(1)


def issue(admin: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return org(admin, "issue", *args, "--passphrase-file", "pass",
               "--technician-passphrase-file", "techpass", "--out-dir", "out")


def verify(cert_file: Path, tech_seed: bytes, org_text: str, revocations: bytes | None,
           now: int | None = None):
    cert = dearmour(CERTIFICATE_KIND, cert_file.read_text())
    trusted = TrustedOrganisation.from_text(org_text)
    return verify_technician(cert, sign_proof(tech_seed, BINDING), binding=BINDING,
                             trusted=[trusted], revocations={trusted.key_id: revocations},
                             now=int(time.time()) if now is None else now)


def test_init_writes_a_sealed_key_once_and_prints_the_public_key(tmp_path: Path) -> None:
    (tmp_path / "pass").write_text(ADMIN_PASSPHRASE + "\n")
    r = org(tmp_path, "init", "--name", "Kanzleisoft GmbH", "--passphrase-file", "pass")
    assert r.returncode == 0, r.stderr
    key_text = re.search(r"public key: (fhorg1:\S+)", r.stdout)
    key_id = re.search(r"key id:\s+([0-9a-f]{16})", r.stdout)
    assert key_text and key_id
    parse_org_key(key_text.group(1))  # a real organisation key text
    key_file = tmp_path / "organisation.fhkey"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith("-----BEGIN FERNHILFE ORGANISATION KEY-----")
    assert ADMIN_PASSPHRASE not in key_file.read_text()
    before = key_file.read_bytes()
    again = org(tmp_path, "init", "--name", "Other", "--passphrase-file", "pass")
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert key_file.read_bytes() == before  # never overwritten


def test_init_refuses_a_short_passphrase_and_a_bad_name(tmp_path: Path) -> None:
    (tmp_path / "short").write_text("abc\n")
    r = org(tmp_path, "init", "--name", "Kanzleisoft GmbH", "--passphrase-file", "short")
    assert r.returncode == 1 and "too short" in r.stderr
    (tmp_path / "pass").write_text(ADMIN_PASSPHRASE)
    r = org(tmp_path, "init", "--name", "Evil\u202eCorp", "--passphrase-file", "pass")
    assert r.returncode == 1 and "organisation name" in r.stderr
    assert not (tmp_path / "organisation.fhkey").exists()
    r = org(tmp_path, "init", "--name", "X")  # no terminal, no passphrase file
    assert r.returncode == 1 and "--passphrase-file" in r.stderr


def test_issue_a_certificate_with_a_new_key_that_the_agent_verifies(admin: Path) -> None:
    r = issue(admin, "Max Mustermann", "--email", "max@kanzleisoft.example", "--days", "30")
    assert r.returncode == 0, r.stderr
    cert_file = admin / "out" / "max-mustermann-1.fhcert"
    key_file = admin / "out" / "max-mustermann-1.fhkey"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    fields = parse_certificate(dearmour(CERTIFICATE_KIND, cert_file.read_text())).fields
    assert (fields.technician, fields.organisation, fields.serial) == (
        "Max Mustermann", "Kanzleisoft GmbH", 1)
    assert fields.email == "max@kanzleisoft.example"
    assert fields.valid_until - fields.valid_from == 30 * 86400
    seed = open_with_passphrase(dearmour(TECH_KEY_KIND, key_file.read_text()), TECH_PASSPHRASE,
                                label=TECH_KEY_LABEL)
    # the customer's program, with a fresh revocation list from `revoke`: verified
    r = org(admin, "revoke", "--passphrase-file", "pass", "--out-dir", "out")
    assert r.returncode == 0, r.stderr
    rl_file = next((admin / "out").glob("*.fhrl"))
    v = verify(cert_file, seed, public_key(admin), rl_file.read_bytes())
    assert v.verdict is Verdict.VERIFIED, v.message
    # the second certificate gets the next serial
    r = issue(admin, "Erika Musterfrau")
    assert r.returncode == 0, r.stderr
    assert (admin / "out" / "erika-musterfrau-2.fhcert").exists()
    # default 90 days
    erika = parse_certificate(dearmour(
        CERTIFICATE_KIND, (admin / "out" / "erika-musterfrau-2.fhcert").read_text())).fields
    assert erika.valid_until - erika.valid_from == 90 * 86400


def test_issue_for_a_technicians_own_public_key(admin: Path) -> None:
    r = org(admin, "keygen", "--out", "mine.fhkey", "--passphrase-file", "techpass")
    assert r.returncode == 0, r.stderr
    found = re.search(r"(fhtech1:\S+)", r.stdout)
    assert found
    r = issue(admin, "Jörg Groß", "--public-key", found.group(1))
    assert r.returncode == 0, r.stderr
    cert_file = admin / "out" / "joerg-gross-1.fhcert"
    assert not (admin / "out" / "joerg-gross-1.fhkey").exists()  # the key stays with Jörg
    seed = open_with_passphrase(dearmour(TECH_KEY_KIND, (admin / "mine.fhkey").read_text()),
                                TECH_PASSPHRASE, label=TECH_KEY_LABEL)
    rl = org(admin, "revoke", "--passphrase-file", "pass", "--out-dir", "out")
    assert rl.returncode == 0
    v = verify(cert_file, seed, public_key(admin), next((admin / "out").glob("*.fhrl"))
               .read_bytes())
    assert v.verdict is Verdict.VERIFIED, v.message


def test_revoke_writes_the_signed_list_the_relay_serves(admin: Path) -> None:
    assert issue(admin, "Max Mustermann").returncode == 0
    r = org(admin, "revoke", "1", "--next-update", "3", "--passphrase-file", "pass",
            "--out-dir", "out")
    assert r.returncode == 0, r.stderr
    key_id = TrustedOrganisation.from_text(public_key(admin)).key_id
    rl_file = admin / "out" / f"{key_id}.fhrl"
    assert f"/.well-known/fernhilfe/revocations/{key_id}.fhrl" in r.stdout
    rl = parse_revocation_list(rl_file.read_bytes())  # binary, as the relay serves it
    assert rl.serials == frozenset({1}) and rl.org_key_id == key_id
    assert rl.next_update - rl.issued_at == 3 * 86400
    seed = open_with_passphrase(dearmour(TECH_KEY_KIND, (admin / "out" / "max-mustermann-1"
                                                         ".fhkey").read_text()),
                                TECH_PASSPHRASE, label=TECH_KEY_LABEL)
    v = verify(admin / "out" / "max-mustermann-1.fhcert", seed, public_key(admin),
               rl_file.read_bytes())
    assert v.verdict is Verdict.REVOKED
    # stale after next_update: the agent says so
    v = verify(admin / "out" / "max-mustermann-1.fhcert", seed, public_key(admin),
               rl_file.read_bytes(), now=rl.next_update + 10)
    assert v.verdict is Verdict.REVOCATION_STALE
    # show says what the list holds and that the organisation signed it
    shown = org(admin, "show", f"out/{key_id}.fhrl", "--key", "organisation.fhkey")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "revoked:      1" in shown.stdout and "signature:    good" in shown.stdout
    # a serial never issued is refused, and nothing changes
    r = org(admin, "revoke", "7", "--passphrase-file", "pass", "--out-dir", "out")
    assert r.returncode == 1 and "never issued" in r.stderr
    assert parse_revocation_list(rl_file.read_bytes()).serials == frozenset({1})


def test_wrong_passphrase_wrong_file_and_bad_days_get_clear_errors(admin: Path) -> None:
    (admin / "wrong").write_text("not the passphrase at all\n")
    r = org(admin, "issue", "Max", "--passphrase-file", "wrong", "--out-dir", "out",
            "--technician-passphrase-file", "techpass")
    assert r.returncode == 1 and "Wrong passphrase" in r.stderr
    assert "Traceback" not in r.stderr
    assert not list((admin / "out").iterdir())
    r = issue(admin, "Max", "--days", "400")
    assert r.returncode == 1 and "--days" in r.stderr
    # a certificate given where the organisation key belongs
    assert issue(admin, "Max").returncode == 0
    os.replace(admin / "organisation.fhkey", admin / "real.fhkey")
    (admin / "organisation.fhkey").write_text((admin / "out" / "max-1.fhcert").read_text())
    r = issue(admin, "Max")
    assert r.returncode == 1 and "not an organisation key file" in r.stderr
    # no state file beside the key
    (admin / "organisation.fhstate").unlink()
    r = issue(admin, "Max")
    assert r.returncode == 1 and "state file" in r.stderr
    # show on something else entirely
    (admin / "junk.bin").write_bytes(os.urandom(200))
    r = org(admin, "show", "junk.bin")
    assert r.returncode == 1 and "neither a certificate nor a revocation list" in r.stderr


def test_expired_and_already_expired_certificates(admin: Path) -> None:
    assert issue(admin, "Max Mustermann", "--days", "10").returncode == 0
    later = (datetime.now(UTC) + timedelta(days=20)).strftime("%Y-%m-%d")
    r = org(admin, "show", "out/max-mustermann-1.fhcert", "--key", "organisation.fhkey",
            "--at", later)
    assert r.returncode == 1 and "EXPIRED" in r.stdout
    r = org(admin, "show", "out/max-mustermann-1.fhcert", "--key", "organisation.fhkey")
    assert r.returncode == 0 and "signature:    good" in r.stdout
    r = issue(admin, "Old", "--valid-from", "2020-01-01", "--days", "30")
    assert r.returncode == 1 and "already be expired" in r.stderr


def test_show_finds_another_organisation_and_a_tampered_certificate(admin: Path,
                                                                    tmp_path: Path) -> None:
    assert issue(admin, "Max Mustermann").returncode == 0
    cert_file = admin / "out" / "max-mustermann-1.fhcert"
    other = tmp_path / "other"
    other.mkdir()
    (other / "pass").write_text(ADMIN_PASSPHRASE)
    assert org(other, "init", "--name", "Scam Ltd", "--passphrase-file", "pass").returncode == 0
    r = org(admin, "show", str(cert_file), "--key", str(other / "organisation.fhkey"))
    assert r.returncode == 1 and "ANOTHER ORGANISATION" in r.stdout
    data = bytearray(dearmour(CERTIFICATE_KIND, cert_file.read_text()))
    data[60] ^= 0x01  # a bit of the technician's public key
    (admin / "tampered.fhcert").write_text(armour(CERTIFICATE_KIND, bytes(data)))
    r = org(admin, "show", "tampered.fhcert", "--key", "organisation.fhkey")
    assert r.returncode == 1 and "BAD SIGNATURE" in r.stdout


def test_a_refused_technician_passphrase_wastes_no_serial(admin: Path) -> None:
    (admin / "short").write_text("abc\n")
    r = org(admin, "issue", "Max", "--passphrase-file", "pass", "--out-dir", "out",
            "--technician-passphrase-file", "short")
    assert r.returncode == 1 and "too short" in r.stderr
    assert not list((admin / "out").iterdir())
    assert issue(admin, "Max").returncode == 0
    assert (admin / "out" / "max-1.fhcert").exists()  # serial 1 was not spent
