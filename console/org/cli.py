"""``fernhilfe-org``: the support company's admin tool for organisation keys and certificates.

``init`` creates the organisation's signing key (sealed with a passphrase, kept on the admin's
machine), ``issue`` signs a technician's certificate, ``revoke`` signs the revocation list the
connection service publishes, ``show`` says what a file is and whether it checks out, and
``keygen`` makes a technician's own key pair (so the private key never leaves the technician's
computer). The formats are :mod:`shared.identity`'s; docs/org-admin.md is the admin's guide.

Errors an admin can fix (wrong passphrase, wrong or missing file, a certificate that would be
expired) print one line and exit 1; a usage error exits 2. Nothing here talks to a network.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from nacl.signing import SigningKey

from console.org import checks
from console.org.files import (
    CERT_SUFFIX,
    CERTIFICATE_KIND,
    DEFAULT_KEY_FILE,
    MAX_KEY_FILE_SIZE,
    MIN_PASSPHRASE_CHARS,
    ORG_KEY_KIND,
    ORG_KEY_LABEL,
    REVOCATION_SUFFIX,
    TECH_KEY_KIND,
    TECH_KEY_LABEL,
    TECH_KEY_SUFFIX,
    IssuedRecord,
    OrgState,
    OrgToolError,
    file_stem,
    load_state,
    read_armoured,
    read_capped,
    read_certificate_file,
    read_revocation_file,
    save_state,
    state_path,
    write_new,
    write_replacing,
    write_secret,
)
from shared.errors import FernhilfeError
from shared.identity import WrongPassphrase, open_with_passphrase, seal_with_passphrase
from shared.identity.certificate import (
    DEFAULT_VALIDITY_DAYS,
    MAX_VALIDITY_DAYS,
    CertificateFields,
    armour,
    issue_certificate,
    parse_certificate,
)
from shared.identity.keys import (
    format_org_key,
    format_technician_key,
    org_key_id,
    parse_org_key,
    parse_technician_key,
)
from shared.identity.revocation import issue_revocation_list, parse_revocation_list, revocation_path

PROG = "fernhilfe-org"
DAY = 86400
#: Default and longest time until a revocation list must be signed again.
DEFAULT_NEXT_UPDATE_DAYS = 7
MAX_NEXT_UPDATE_DAYS = 90

Clock = Callable[[], float]


# ---------------------------------------------------------------------- small helpers


def _when(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _date(text: str) -> int:
    """``YYYY-MM-DD`` (midnight UTC) or ``YYYY-MM-DDTHH:MM`` as unix seconds (argparse type)."""
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M"):
        try:
            return int(datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp())
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)")


def read_passphrase(path: Path | None, prompt: str, *, confirm: bool) -> str:
    """The passphrase from ``path`` (its first line) or asked on the terminal (twice when new)."""
    if path is not None:
        data = read_capped(path, 4096, "a passphrase file")
        try:
            text = data.decode("utf-8").splitlines()[0] if data.strip() else ""
        except UnicodeDecodeError:
            raise OrgToolError(f"{path}: the passphrase file is not UTF-8 text.") from None
        if not text:
            raise OrgToolError(f"{path}: the passphrase file is empty.")
        passphrase = text
    else:
        if not sys.stdin.isatty():
            raise OrgToolError("No terminal to ask for the passphrase: use --passphrase-file.")
        passphrase = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass(f"{prompt} (again): ") != passphrase:
            raise OrgToolError("The two passphrases differ. Nothing was written.")
    if confirm and len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise OrgToolError(f"The passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} "
                           "characters (a few words are easy to remember).")
    return passphrase


def unlock_org_key(key_path: Path, passphrase_file: Path | None) -> tuple[bytes, OrgState]:
    """The organisation's signing seed and state; checks that the two belong together."""
    state = load_state(key_path)
    blob = read_armoured(key_path, ORG_KEY_KIND, "an organisation key file", MAX_KEY_FILE_SIZE)
    passphrase = read_passphrase(passphrase_file, f"Passphrase of {key_path}", confirm=False)
    try:
        seed = open_with_passphrase(blob, passphrase, label=ORG_KEY_LABEL)
    except WrongPassphrase:
        raise OrgToolError(f"Wrong passphrase for {key_path}.") from None
    except FernhilfeError as exc:
        raise OrgToolError(f"{key_path}: not a usable organisation key file ({exc})") from None
    public = bytes(SigningKey(seed).verify_key)
    if format_org_key(public) != state.public_key:
        raise OrgToolError(f"{state_path(key_path)} belongs to another organisation key than "
                           f"{key_path}. Restore the matching pair from your backup.")
    return seed, state


def new_technician_passphrase(passphrase_file: Path | None) -> str:
    return read_passphrase(passphrase_file, "New passphrase for the technician's key",
                           confirm=True)


def seal_technician_key(seed: bytes, out: Path, passphrase: str) -> None:
    blob = seal_with_passphrase(seed, passphrase, label=TECH_KEY_LABEL)
    write_secret(out, armour(TECH_KEY_KIND, blob).encode("ascii"))


# ---------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace, now: Clock) -> int:
    key_path: Path = args.key
    for path in (key_path, state_path(key_path)):
        if path.exists():
            raise OrgToolError(f"{path} already exists: an organisation key is never "
                               "overwritten. Use another --key file name.")
    name = checks.organisation_name(args.name)
    passphrase = read_passphrase(args.passphrase_file,
                                 "New passphrase for the organisation key", confirm=True)
    seed = secrets.token_bytes(32)
    public = bytes(SigningKey(seed).verify_key)
    blob = seal_with_passphrase(seed, passphrase, label=ORG_KEY_LABEL)
    write_secret(key_path, armour(ORG_KEY_KIND, blob).encode("ascii"))
    state = OrgState(name, format_org_key(public), org_key_id(public))
    save_state(key_path, state)
    print(f"Organisation key for {name} written to {key_path} (state: "
          f"{state_path(key_path)}).")
    print(f"public key: {state.public_key}")
    print(f"key id:     {state.key_id}")
    print("Put the public key into the branding file of your customers' Fernhilfe. Keep the key "
          "file and its state file offline and make a backup of both.")
    return 0


def cmd_issue(args: argparse.Namespace, now: Clock) -> int:
    if not 1 <= args.days <= MAX_VALIDITY_DAYS:
        raise OrgToolError(f"--days must be between 1 and {MAX_VALIDITY_DAYS}.")
    technician = checks.technician_name(args.technician)
    technician_key = (parse_technician_key(args.public_key) if args.public_key else None)
    out_dir: Path = args.out_dir
    if not out_dir.is_dir():
        raise OrgToolError(f"{out_dir}: no such folder.")
    seed, state = unlock_org_key(args.key, args.passphrase_file)
    serial = state.next_serial
    valid_from = args.valid_from if args.valid_from is not None else int(now())
    valid_until = valid_from + args.days * DAY
    if valid_until <= int(now()):
        raise OrgToolError(f"This certificate would already be expired ({_when(valid_until)}): "
                           "check --valid-from and --days.")
    stem = file_stem(technician, serial)
    cert_path = out_dir / f"{stem}{CERT_SUFFIX}"
    key_out = out_dir / f"{stem}{TECH_KEY_SUFFIX}"
    for path in (cert_path, *(() if technician_key else (key_out,))):
        if path.exists():
            raise OrgToolError(f"{path} already exists: it is not overwritten.")
    tech_seed, tech_passphrase = b"", ""
    if technician_key is None:  # asked before signing: a refused passphrase wastes no serial
        tech_passphrase = new_technician_passphrase(args.technician_passphrase_file)
        tech_seed = secrets.token_bytes(32)
        technician_key = bytes(SigningKey(tech_seed).verify_key)
    fields = CertificateFields(
        organisation=state.organisation, org_key_id=state.key_id, technician=technician,
        email=args.email, phone=args.phone, technician_key=technician_key, serial=serial,
        valid_from=valid_from, valid_until=valid_until)
    certificate = issue_certificate(fields, seed)
    # The serial is spent before any file exists: a crash may waste one, never reuse one.
    state.next_serial = serial + 1
    state.issued.append(IssuedRecord(serial, technician, valid_from, valid_until))
    save_state(args.key, state)
    if tech_seed:
        seal_technician_key(tech_seed, key_out, tech_passphrase)
    write_new(cert_path, armour(CERTIFICATE_KIND, certificate).encode("ascii"))
    print(f"Certificate {serial} for {technician} ({state.organisation}), valid "
          f"{_when(valid_from)} until {_when(valid_until)}: {cert_path}")
    if tech_seed:
        print(f"Technician's key (sealed with the passphrase you chose for them): {key_out}")
        print("Hand both files and the passphrase to the technician on separate ways.")
    print(f"technician key: {format_technician_key(technician_key)}")
    return 0


def cmd_revoke(args: argparse.Namespace, now: Clock) -> int:
    if not 1 <= args.next_update <= MAX_NEXT_UPDATE_DAYS:
        raise OrgToolError(f"--next-update must be between 1 and {MAX_NEXT_UPDATE_DAYS} days.")
    out_dir: Path = args.out_dir
    if not out_dir.is_dir():
        raise OrgToolError(f"{out_dir}: no such folder.")
    seed, state = unlock_org_key(args.key, args.passphrase_file)
    issued = {r.serial for r in state.issued}
    unknown = [s for s in args.serials if s not in issued]
    if unknown:
        raise OrgToolError(f"Serial {unknown[0]} was never issued with this key: nothing was "
                           "revoked. `fernhilfe-org show` on a certificate tells its serial.")
    state.revoked = sorted(set(state.revoked) | set(args.serials))
    issued_at = int(now())
    next_update = issued_at + args.next_update * DAY
    data = issue_revocation_list(seed, state.revoked, issued_at=issued_at,
                                 next_update=next_update)
    save_state(args.key, state)
    out = out_dir / f"{state.key_id}{REVOCATION_SUFFIX}"
    write_replacing(out, data)
    revoked = ", ".join(map(str, state.revoked)) or "none"
    print(f"Revocation list of {state.organisation} written to {out} (revoked serials: "
          f"{revoked}).")
    print(f"Give it to the operator of your connection service: it is served at "
          f"{revocation_path(state.key_id)}.")
    print(f"It is valid until {_when(next_update)}: run `{PROG} revoke` again (with no serial "
          "to just renew it) and publish the new file before then, or customers' programs "
          "that require verification refuse your technicians.")
    return 0


def cmd_keygen(args: argparse.Namespace, now: Clock) -> int:
    seed = secrets.token_bytes(32)
    seal_technician_key(seed, args.out, new_technician_passphrase(args.passphrase_file))
    public = bytes(SigningKey(seed).verify_key)
    print(f"Your key is in {args.out} (sealed with your passphrase; keep it on this computer).")
    print(f"Send this public key to your administrator: {format_technician_key(public)}")
    return 0


def _trusted_key(args: argparse.Namespace) -> bytes | None:
    if args.org_key:
        return parse_org_key(args.org_key)
    if args.key:
        return parse_org_key(load_state(args.key).public_key)
    return None


def cmd_show(args: argparse.Namespace, now: Clock) -> int:
    path: Path = args.file
    at = args.at if args.at is not None else int(now())
    head = read_capped(path, 1 << 20, "a Fernhilfe file")[:64]
    org_key = _trusted_key(args)
    if head.startswith(b"-----BEGIN FERNHILFE " + ORG_KEY_KIND.encode()):
        print(f"{path}: an organisation's signing key, sealed with a passphrase. Keep it "
              "offline.")
        return 0
    if head.startswith(b"-----BEGIN FERNHILFE " + TECH_KEY_KIND.encode()):
        print(f"{path}: a technician's private key, sealed with a passphrase.")
        return 0
    if head.startswith(b"-----BEGIN FERNHILFE " + CERTIFICATE_KIND.encode()) \
            or path.suffix == CERT_SUFFIX:
        return _show_certificate(path, org_key, at)
    return _show_revocation_list(path, org_key, at)


def _show_certificate(path: Path, org_key: bytes | None, at: int) -> int:
    data = read_certificate_file(path)
    try:
        cert = parse_certificate(data)
    except FernhilfeError as exc:
        raise OrgToolError(f"{path}: not a valid certificate ({exc})") from None
    f = cert.fields
    print(f"{path}: technician certificate {f.serial}")
    print(f"  technician:   {f.technician}")
    if f.email:
        print(f"  e-mail:       {f.email}")
    if f.phone:
        print(f"  phone:        {f.phone}")
    print(f"  organisation: {f.organisation} (key id {f.org_key_id})")
    print(f"  valid:        {_when(f.valid_from)} until {_when(f.valid_until)}")
    print(f"  technician key: {format_technician_key(f.technician_key)}")
    problems = []
    if at < f.valid_from:
        problems.append(f"NOT YET VALID on {_when(at)}")
    elif at >= f.valid_until:
        problems.append(f"EXPIRED on {_when(f.valid_until)}")
    signature = (checks.certificate_problem(data, f.valid_from, org_key)
                 if org_key is not None else None)
    return _report(problems, org_key is not None, signature)


def _show_revocation_list(path: Path, org_key: bytes | None, at: int) -> int:
    data = read_revocation_file(path)
    try:
        rl = parse_revocation_list(data)
    except FernhilfeError as exc:
        raise OrgToolError(f"{path}: neither a certificate nor a revocation list ({exc})") \
            from None
    print(f"{path}: revocation list of organisation key {rl.org_key_id}")
    print(f"  issued:       {_when(rl.issued_at)}")
    print(f"  next update:  {_when(rl.next_update)}")
    print(f"  revoked:      {', '.join(map(str, sorted(rl.serials))) or 'none'}")
    print(f"  served at:    {revocation_path(rl.org_key_id)}")
    problems = []
    if at > rl.next_update:
        problems.append(f"STALE since {_when(rl.next_update)}: sign and publish a new one")
    signature = checks.revocation_problem(data, org_key) if org_key is not None else None
    return _report(problems, org_key is not None, signature)


def _report(problems: list[str], checked: bool, signature_problem: str | None) -> int:
    """The signature line and the problems of ``show``; the exit status (1: a problem)."""
    if signature_problem:
        problems.append(signature_problem)
    elif checked:
        print("  signature:    good (signed by the given organisation key)")
    else:
        print("  signature:    not checked (give --org-key fhorg1:... or --key)")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return 1 if problems else 0


# ---------------------------------------------------------------------- the command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Fernhilfe organisation keys and technician certificates "
                               "(see docs/org-admin.md).")
    sub = parser.add_subparsers(dest="command", required=True)

    def key_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--key", type=Path, default=Path(DEFAULT_KEY_FILE),
                       help=f"organisation key file (default: {DEFAULT_KEY_FILE}; its state "
                            "file is beside it)")
        p.add_argument("--passphrase-file", type=Path,
                       help="read the organisation key's passphrase from this file's first "
                            "line (for scripts) instead of asking")

    p = sub.add_parser("init", help="create the organisation's signing key")
    p.add_argument("--name", required=True, help="organisation name, as customers see it")
    key_options(p)
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("issue", help="issue a technician's certificate")
    p.add_argument("technician", help="technician's name, as customers see it")
    p.add_argument("--email", default="", help="technician's e-mail address (optional)")
    p.add_argument("--phone", default="", help="technician's phone number (optional)")
    p.add_argument("--days", type=int, default=DEFAULT_VALIDITY_DAYS,
                   help=f"validity in days (default {DEFAULT_VALIDITY_DAYS}, at most "
                        f"{MAX_VALIDITY_DAYS})")
    p.add_argument("--valid-from", type=_date, default=None, metavar="DATE",
                   help="start of validity, YYYY-MM-DD (default: now)")
    p.add_argument("--public-key", metavar="fhtech1:...",
                   help="the technician's public key (from `fernhilfe-org keygen`); without "
                        "it a key pair is made and sealed for the technician")
    p.add_argument("--technician-passphrase-file", type=Path,
                   help="passphrase for the technician's new key file (else asked twice)")
    p.add_argument("--out-dir", type=Path, default=Path("."),
                   help="folder for the certificate (and key) file (default: here)")
    key_options(p)
    p.set_defaults(run=cmd_issue)

    p = sub.add_parser("revoke", help="revoke certificates and sign the revocation list")
    p.add_argument("serials", nargs="*", type=int,
                   help="serials to revoke (none: just sign a fresh list)")
    p.add_argument("--next-update", type=int, default=DEFAULT_NEXT_UPDATE_DAYS, metavar="DAYS",
                   help=f"days until the list must be renewed (default "
                        f"{DEFAULT_NEXT_UPDATE_DAYS})")
    p.add_argument("--out-dir", type=Path, default=Path("."),
                   help="folder for <key id>.fhrl (default: here)")
    key_options(p)
    p.set_defaults(run=cmd_revoke)

    p = sub.add_parser("show", help="say what a certificate or revocation list holds")
    p.add_argument("file", type=Path)
    p.add_argument("--org-key", metavar="fhorg1:...", help="check the signature against this "
                   "organisation public key")
    p.add_argument("--key", type=Path, default=None,
                   help="check against the public key of this organisation key file's state "
                        "(no passphrase needed)")
    p.add_argument("--at", type=_date, default=None, metavar="DATE",
                   help="check validity as of this date, YYYY-MM-DD (default: now)")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("keygen", help="make a technician's own key pair (for --public-key)")
    p.add_argument("--out", type=Path, required=True, help="file for the sealed private key")
    p.add_argument("--passphrase-file", type=Path,
                   help="read the new passphrase from this file's first line")
    p.set_defaults(run=cmd_keygen)
    return parser


def main(argv: Sequence[str] | None = None, now: Clock = time.time) -> int:
    """Run one command; exit code 0 ok, 1 a problem the admin can fix, 2 a usage error."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args, now)
    except FernhilfeError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted, nothing more was written.", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
