"""The identity formats (issue 12): key texts, certificates, revocation lists, sealed key files
and the text armour round-trip, and anything damaged, foreign, over-long or of another version
is a clear IdentityFormatError (hypothesis: never any other exception)."""

from __future__ import annotations

import contextlib
import dataclasses
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.identity import (
    MAX_CERTIFICATE_SIZE,
    MAX_REVOCATION_LIST_SIZE,
    MAX_VALIDITY_DAYS,
    IdentityFormatError,
    WrongPassphrase,
    armour,
    dearmour,
    format_org_key,
    format_technician_key,
    issue_certificate,
    issue_revocation_list,
    open_with_passphrase,
    org_key_id,
    parse_certificate,
    parse_org_key,
    parse_revocation_list,
    parse_technician_key,
    revocation_path,
    seal_with_passphrase,
    sign_proof,
)
from shared.identity import sealed as sealed_module
from shared.identity.revocation import MAX_REVOKED
from tests.shared.identity_helpers import (
    CERT,
    DAY,
    FIELDS,
    NOW,
    ORG_ID,
    ORG_PUBLIC,
    ORG_SEED,
    TECH_SEED,
    revocation_list,
)

RL = revocation_list((3, 1001, 2**64 - 1))

# ------------------------------------------------------------------ key texts and ids


def test_key_texts_round_trip_and_name_their_kind() -> None:
    text = format_org_key(ORG_PUBLIC)
    assert text.startswith("fhorg1:") and len(text) == 7 + 43
    assert parse_org_key(text) == ORG_PUBLIC
    assert parse_org_key(f"  {text}\n") == ORG_PUBLIC  # pasted with spaces
    tech = format_technician_key(ORG_PUBLIC)
    assert tech.startswith("fhtech1:") and parse_technician_key(tech) == ORG_PUBLIC
    with pytest.raises(IdentityFormatError, match="must start with 'fhorg1:'"):
        parse_org_key(tech)  # a technician's key where an organisation's belongs
    with pytest.raises(IdentityFormatError, match="must start with 'fhtech1:'"):
        parse_technician_key(text)


@pytest.mark.parametrize("text", ["", "fhorg1:", "fhorg1:" + "A" * 42, "fhorg1:" + "A" * 44,
                                  "fhorg1:" + "A" * 42 + "!", "fhorg1:" + "A" * 42 + "B",
                                  "FHORG1:" + "A" * 43, 42])
def test_damaged_key_texts(text: object) -> None:
    with pytest.raises(IdentityFormatError):
        parse_org_key(text)  # type: ignore[arg-type]


def test_org_key_id() -> None:
    assert org_key_id(ORG_PUBLIC) == ORG_ID and len(ORG_ID) == 16
    assert int(ORG_ID, 16) >= 0 and ORG_ID.lower() == ORG_ID
    assert org_key_id(bytes(32)) != org_key_id(bytes(31) + b"\1")
    with pytest.raises(IdentityFormatError):
        org_key_id(bytes(31))
    assert revocation_path(ORG_ID) == f"/.well-known/fernhilfe/revocations/{ORG_ID}.fhrl"
    with pytest.raises(IdentityFormatError):
        revocation_path("../../etc/passwd")


@settings(max_examples=300, derandomize=True)
@given(st.text(max_size=80))
def test_key_text_parser_raises_only_format_errors(text: str) -> None:
    for parse in (parse_org_key, parse_technician_key):
        with contextlib.suppress(IdentityFormatError):
            assert len(parse(text)) == 32


# ------------------------------------------------------------------ certificates


def test_certificate_round_trip_and_determinism() -> None:
    parsed = parse_certificate(CERT)
    assert parsed.fields == FIELDS
    assert parsed.signed_part == CERT[:-64] and parsed.signature == CERT[-64:]
    assert issue_certificate(FIELDS, ORG_SEED) == CERT  # Ed25519 is deterministic
    assert CERT.startswith(b"FHCT\x01") and len(CERT) <= MAX_CERTIFICATE_SIZE


def test_the_largest_certificate_fits_its_cap() -> None:
    big = dataclasses.replace(FIELDS, organisation="O" * 48, technician="ẞ" * 48,
                              email="e" * 254, phone="9" * 32, serial=2**64 - 1,
                              valid_from=2**64 - 1 - MAX_VALIDITY_DAYS * DAY,
                              valid_until=2**64 - 1)
    data = issue_certificate(big, ORG_SEED)
    assert parse_certificate(data).fields == big and len(data) <= MAX_CERTIFICATE_SIZE


def wrong(value: object) -> object:
    return value


@pytest.mark.parametrize(("change", "match"), [
    (dict(organisation=""), "organisation must not be empty"),
    (dict(organisation="  "), "organisation must not be empty"),
    (dict(technician=" Max"), "must not start or end with a space"),
    (dict(technician="Max\nIdentity checked"), "control character"),
    (dict(technician="Max\u2028Identity checked"), "line or paragraph break"),
    (dict(technician="Max\u202eGmbH"), "formatting or text-direction"),
    (dict(technician="W" * 49), "wider than"),
    (dict(email="a" * 255), "longer than 254"),
    (dict(phone="1" * 33), "longer than 32"),
    (dict(email=wrong(None)), "not text"),
    (dict(org_key_id="XYZ"), "16 lowercase hex"),
    (dict(technician_key=bytes(31)), "32 bytes"),
    (dict(serial=-1), "serial number"),
    (dict(serial=2**64), "serial number"),
    (dict(serial=wrong(True)), "serial number"),
    (dict(valid_until=NOW - 10 * DAY), "end after it starts"),
    (dict(valid_until=NOW - 10 * DAY + MAX_VALIDITY_DAYS * DAY + 1), "at most 366 days"),
])
def test_invalid_certificate_fields(change: dict[str, Any], match: str) -> None:
    with pytest.raises(IdentityFormatError, match=match):
        dataclasses.replace(FIELDS, **change)


def test_issue_refuses_a_mismatched_signer_and_bad_seeds() -> None:
    with pytest.raises(IdentityFormatError, match="another organisation key"):
        issue_certificate(FIELDS, TECH_SEED)
    with pytest.raises(IdentityFormatError, match="32 bytes"):
        issue_certificate(FIELDS, ORG_SEED[:31])


def _with_text(index: int, raw: bytes) -> bytes:
    """CERT with its ``index``-th text (0 organisation .. 3 phone) replaced by ``raw``."""
    pos = 5 + 8 + 24 + 32
    for _ in range(index):
        pos += 1 + CERT[pos]
    return CERT[:pos] + bytes([len(raw)]) + raw + CERT[pos + 1 + CERT[pos]:]


@pytest.mark.parametrize(("data", "match"), [
    (b"", "not a Fernhilfe certificate"),
    (b"XXXX\x01" + CERT[5:], "not a Fernhilfe certificate"),
    (b"FHCT\x02" + CERT[5:], "format version 2.*Please update"),
    (b"FHCT\x00" + CERT[5:], "format version 0.*damaged or very old"),
    (CERT[:20], "ends inside the serial number"),
    (CERT[:-1], "ends inside the signature"),
    (CERT + b"\0", "1 unexpected bytes"),
    (bytes(MAX_CERTIFICATE_SIZE + 1), "larger than 1024 bytes"),
    (_with_text(0, b"\xff\xfe"), "organisation is not valid UTF-8"),
    (_with_text(0, b"x" * 193), "organisation is longer than 192"),
    (_with_text(2, b"e" * 255), "e-mail address is longer than 254"),
    (_with_text(1, b""), "technician name must not be empty"),
    (CERT[:5 + 16] + struct.pack(">QQ", NOW, NOW) + CERT[5 + 32:], "end after it starts"),
])
def test_damaged_certificates(data: bytes, match: str) -> None:
    with pytest.raises(IdentityFormatError, match=match):
        parse_certificate(data)


def test_certificate_parser_takes_bytes_only() -> None:
    with pytest.raises(IdentityFormatError):
        parse_certificate(bytearray(CERT))  # type: ignore[arg-type]


@settings(max_examples=500, derandomize=True)
@given(st.binary(max_size=1100))
def test_certificate_parser_raises_only_format_errors(data: bytes) -> None:
    with contextlib.suppress(IdentityFormatError):
        parse_certificate(data)


@settings(max_examples=500, derandomize=True)
@given(st.data())
def test_mutated_certificates_raise_only_format_errors(data: st.DataObject) -> None:
    raw = bytearray(CERT)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.integers(0, 2))
        if action == 0:
            raw[i] = data.draw(st.integers(0, 255))
        elif action == 1:
            del raw[i]
        else:
            raw.insert(i, data.draw(st.integers(0, 255)))
    with contextlib.suppress(IdentityFormatError):
        parse_certificate(bytes(raw))


# ------------------------------------------------------------------ revocation lists


def test_revocation_list_round_trip() -> None:
    parsed = parse_revocation_list(RL)
    assert parsed.org_key_id == ORG_ID and parsed.serials == {3, 1001, 2**64 - 1}
    assert (parsed.issued_at, parsed.next_update) == (NOW - DAY, NOW + 6 * DAY)
    assert parsed.signed_part == RL[:-64] and parsed.signature == RL[-64:]
    again = issue_revocation_list(ORG_SEED, [2**64 - 1, 3, 1001, 3], issued_at=NOW - DAY,
                                  next_update=NOW + 6 * DAY)
    assert again == RL  # sorted, distinct: one encoding
    empty = issue_revocation_list(ORG_SEED, [], issued_at=1, next_update=2)
    assert parse_revocation_list(empty).serials == frozenset()


def test_the_fullest_revocation_list_fits_its_cap() -> None:
    data = issue_revocation_list(ORG_SEED, range(MAX_REVOKED), issued_at=1, next_update=2)
    assert len(data) <= MAX_REVOCATION_LIST_SIZE
    assert len(parse_revocation_list(data).serials) == MAX_REVOKED
    with pytest.raises(IdentityFormatError, match="at most"):
        issue_revocation_list(ORG_SEED, range(MAX_REVOKED + 1), issued_at=1, next_update=2)


def _serials(*values: int) -> bytes:
    body = RL[:5 + 8 + 16] + struct.pack(">I", len(values))
    return body + b"".join(struct.pack(">Q", v) for v in values) + bytes(64)


@pytest.mark.parametrize(("data", "match"), [
    (b"", "not a Fernhilfe revocation list"),
    (CERT, "not a Fernhilfe revocation list"),
    (b"FHRL\x07" + RL[5:], "version 7"),
    (RL[:-1], "length does not match"),
    (RL + b"\0", "length does not match"),
    (RL[:10], "ends inside"),
    (_serials(5, 5), "strictly ascending"),
    (_serials(6, 5), "strictly ascending"),
    (RL[:5 + 8 + 16] + struct.pack(">I", 2**32 - 1) + bytes(64), "length does not match"),
    (RL[:5 + 8] + struct.pack(">QQ", NOW, NOW) + RL[5 + 24:], "after its issue time"),
    (bytes(MAX_REVOCATION_LIST_SIZE + 1), "larger than"),
])
def test_damaged_revocation_lists(data: bytes, match: str) -> None:
    with pytest.raises(IdentityFormatError, match=match):
        parse_revocation_list(data)


def test_invalid_revocation_list_arguments() -> None:
    with pytest.raises(IdentityFormatError):
        issue_revocation_list(ORG_SEED, [-1], issued_at=1, next_update=2)
    with pytest.raises(IdentityFormatError):
        issue_revocation_list(ORG_SEED, [1], issued_at=2, next_update=2)
    with pytest.raises(IdentityFormatError):
        issue_revocation_list(ORG_SEED, [1], issued_at=-1, next_update=2)
    with pytest.raises(IdentityFormatError):
        parse_revocation_list("text")  # type: ignore[arg-type]


@settings(max_examples=500, derandomize=True)
@given(st.binary(max_size=400))
def test_revocation_list_parser_raises_only_format_errors(data: bytes) -> None:
    with contextlib.suppress(IdentityFormatError):
        parse_revocation_list(data)


@settings(max_examples=300, derandomize=True)
@given(st.data())
def test_mutated_revocation_lists_raise_only_format_errors(data: st.DataObject) -> None:
    raw = bytearray(RL)
    i = data.draw(st.integers(0, len(raw) - 1))
    raw[i] = data.draw(st.integers(0, 255))
    with contextlib.suppress(IdentityFormatError):
        parse_revocation_list(bytes(raw))


# ------------------------------------------------------------------ proofs


def test_proof_arguments() -> None:
    assert len(sign_proof(TECH_SEED, bytes(32))) == 64
    with pytest.raises(IdentityFormatError):
        sign_proof(TECH_SEED, bytes(31))
    with pytest.raises(IdentityFormatError):
        sign_proof(TECH_SEED[:5], bytes(32))


# ------------------------------------------------------------------ armour


def test_armour_round_trip_inside_an_email() -> None:
    text = armour("CERTIFICATE", CERT)
    assert text.startswith("-----BEGIN FERNHILFE CERTIFICATE-----\n")
    assert all(len(line) <= 64 for line in text.splitlines())
    mail = f"Hallo Max,\r\nanbei:\r\n\r\n{text.replace(chr(10), chr(13) + chr(10))}\r\nGruß"
    assert dearmour("CERTIFICATE", mail) == CERT
    assert dearmour("REVOCATION LIST", armour("REVOCATION LIST", RL)) == RL


@pytest.mark.parametrize(("text", "match"), [
    ("nothing here", "line '-----BEGIN FERNHILFE CERTIFICATE-----' is missing"),
    ("-----BEGIN FERNHILFE CERTIFICATE-----\nAAAA\n", "cut off"),
    ("-----BEGIN FERNHILFE CERTIFICATE-----\nAA*A\n-----END FERNHILFE CERTIFICATE-----",
     "characters that do not belong"),
    ("-----BEGIN FERNHILFE CERTIFICATE-----\nAAA\n-----END FERNHILFE CERTIFICATE-----",
     "damaged or incomplete"),
    ("-----BEGIN FERNHILFE CERTIFICATE-----\nAB==\n-----END FERNHILFE CERTIFICATE-----",
     "damaged or incomplete"),
    ("-----BEGIN FERNHILFE CERTIFICATE-----\n" + "A" * 200_000
     + "\n-----END FERNHILFE CERTIFICATE-----", "far too large"),
    (armour("REVOCATION LIST", RL), "is missing"),
    ("-----BEGIN FERNHILFE CERTIFICATE-----\n" + "A\n" * 140_000
     + "-----END FERNHILFE CERTIFICATE-----", "far too large"),
    ("-----BEGIN FERNHILFE CERTIFICATE-----\n" + " " * 300_000
     + "-----END FERNHILFE CERTIFICATE-----", "far too large"),
])
def test_damaged_armour(text: str, match: str) -> None:
    with pytest.raises(IdentityFormatError, match=match):
        dearmour("CERTIFICATE", text)


def test_armour_kinds() -> None:
    with pytest.raises(ValueError):
        armour("certificate", CERT)
    with pytest.raises(IdentityFormatError):
        dearmour("CERTIFICATE", b"bytes")  # type: ignore[arg-type]


@settings(max_examples=300, derandomize=True)
@given(st.text(max_size=300))
def test_dearmour_raises_only_format_errors(text: str) -> None:
    body = f"-----BEGIN FERNHILFE CERTIFICATE-----\n{text}\n-----END FERNHILFE CERTIFICATE-----"
    for candidate in (text, body):
        with contextlib.suppress(IdentityFormatError):
            dearmour("CERTIFICATE", candidate)


# ------------------------------------------------------------------ sealed key files

LABEL = "organisation key"


def fixed(n: int) -> bytes:
    return bytes(range(n))


def test_sealed_round_trip_wrong_passphrase_and_label() -> None:
    blob = seal_with_passphrase(ORG_SEED, "korrekt Pferd Batterie", label=LABEL,
                                strength="interactive", entropy=fixed)
    assert blob.startswith(b"FHSK\x01") and ORG_SEED not in blob
    assert open_with_passphrase(blob, "korrekt Pferd Batterie", label=LABEL) == ORG_SEED
    with pytest.raises(WrongPassphrase):
        open_with_passphrase(blob, "korrekt Pferd Batteri", label=LABEL)
    with pytest.raises(IdentityFormatError, match="holds 'organisation key', not 'technician"):
        open_with_passphrase(blob, "korrekt Pferd Batterie", label="technician key")


def test_a_changed_header_opens_nothing() -> None:
    blob = seal_with_passphrase(ORG_SEED, "pw", label=LABEL, strength="interactive")
    ops_at = 5 + 1 + len(LABEL) + 7  # last byte of the opslimit: 2 -> 3
    changed = blob[:ops_at] + bytes([blob[ops_at] + 1]) + blob[ops_at + 1:]
    with pytest.raises(WrongPassphrase):
        open_with_passphrase(changed, "pw", label=LABEL)
    salt_at = 5 + 1 + len(LABEL) + 16
    changed = blob[:salt_at] + bytes([blob[salt_at] ^ 1]) + blob[salt_at + 1:]
    with pytest.raises(WrongPassphrase):
        open_with_passphrase(changed, "pw", label=LABEL)


def _header(ops: int, mem: int, box: int = 72) -> bytes:
    name = LABEL.encode()
    return (b"FHSK\x01" + bytes([len(name)]) + name + struct.pack(">QQ", ops, mem) + bytes(16)
            + bytes(box))


@pytest.mark.parametrize(("blob", "match"), [
    (b"", "not a Fernhilfe key file"),
    (b"FHSK\x02" + bytes(100), "version 2"),
    (_header(3, 100 * 2**30), "more \\(or less\\) passphrase-hashing work"),
    (_header(2**40, 2**26), "passphrase-hashing work"),
    (_header(0, 2**26), "passphrase-hashing work"),
    (_header(2, 2**26, box=40), "wrong length"),
    (_header(2, 2**26, box=5000), "too large"),
    (b"FHSK\x01\x05ab\xffc" + bytes(100), "holds 'something else'"),
])
def test_damaged_or_hostile_key_files(blob: bytes, match: str) -> None:
    """Checked before Argon2 runs: a file asking for 100 GiB is refused at once."""
    with pytest.raises(IdentityFormatError, match=match):
        open_with_passphrase(blob, "pw", label=LABEL)


def test_sealing_arguments() -> None:
    with pytest.raises(IdentityFormatError, match="must not be empty"):
        seal_with_passphrase(ORG_SEED, "", label=LABEL, strength="interactive")
    with pytest.raises(IdentityFormatError, match="at most"):
        seal_with_passphrase(ORG_SEED, "x" * 1025, label=LABEL, strength="interactive")
    with pytest.raises(IdentityFormatError, match="not valid text"):
        seal_with_passphrase(ORG_SEED, "\ud800", label=LABEL, strength="interactive")
    with pytest.raises(ValueError):
        seal_with_passphrase(b"", "pw", label=LABEL)
    with pytest.raises(ValueError):
        seal_with_passphrase(ORG_SEED, "pw", label=LABEL, strength="extreme")
    with pytest.raises(ValueError):
        seal_with_passphrase(ORG_SEED, "pw", label="Bad Label!")
    with pytest.raises(IdentityFormatError):
        open_with_passphrase("text", "pw", label=LABEL)  # type: ignore[arg-type]
    assert sealed_module.STRENGTHS["moderate"][1] == sealed_module.MAX_MEMLIMIT


@settings(max_examples=300, derandomize=True)
@given(st.binary(max_size=200))
def test_key_file_parser_raises_only_format_errors(blob: bytes) -> None:
    with contextlib.suppress(IdentityFormatError, WrongPassphrase):
        open_with_passphrase(b"FHSK\x01" + blob, "pw", label=LABEL)
