"""Damaged or hostile files never crash the admin tool or the console's identity store: any
bytes give a clear error of ours (or, for the store, "nothing stored")."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.identity import IdentityStore
from console.identity.store import CERT_FILE, META_FILE
from console.org.files import OrgState, OrgToolError, read_certificate_file, read_revocation_file
from shared.errors import FernhilfeError

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12)
_state_like = st.fixed_dictionaries({}, optional={
    "version": st.sampled_from([1, 2, "1"]), "organisation": _json_values,
    "public_key": _json_values, "key_id": _json_values, "next_serial": _json_values,
    "issued": _json_values, "revoked": _json_values})


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | _state_like.map(lambda d: json.dumps(d).encode()))
def test_state_file_parser_never_crashes(data: bytes) -> None:
    try:
        state = OrgState.from_json(data, Path("organisation.fhstate"))
    except OrgToolError as exc:
        assert "organisation.fhstate" in str(exc)
        return
    assert state.next_serial >= 1


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600)
       | st.binary(max_size=400).map(lambda b: b"-----BEGIN FERNHILFE CERTIFICATE-----\n" + b))
def test_certificate_and_list_files_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.fhcert"
    path.write_bytes(data)
    for read in (read_certificate_file, read_revocation_file):
        with contextlib.suppress(FernhilfeError):  # anything else fails the test
            read(path)
    store_dir = tmp_path / "identity"
    store_dir.mkdir(exist_ok=True)
    (store_dir / CERT_FILE).write_bytes(data)
    (store_dir / META_FILE).write_bytes(data[:64])
    assert IdentityStore(store_dir, use_keyring=False).stored() is None


def test_state_file_with_infinity_or_deep_nesting_is_damaged_not_a_crash() -> None:
    for data in (b'{"version": 1, "organisation": "A", "public_key": "p", "key_id": "k", '
                 b'"next_serial": Infinity, "issued": [], "revoked": []}',
                 b"[" * 100_000 + b"]" * 100_000):
        try:
            OrgState.from_json(data, Path("s.fhstate"))
        except OrgToolError as exc:
            assert "damaged" in str(exc)
        else:
            raise AssertionError("accepted")
