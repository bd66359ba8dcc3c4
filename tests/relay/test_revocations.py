"""The relay serving organisations' revocation lists (issue 12): the real relay process.

The relay is untrusted: it serves the admin's file as it is and never checks the signature (the
agent does). What is tested here is what the relay owns: exactly one file per well-formed key id,
no path tricks, a size limit, the headers, a replaced file served at once, 404 when absent, the
counts in /metrics, and the setting through flag, environment and TOML file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.support.relay import start_relay
from relay import endpoints
from relay.endpoints import Route
from relay.revocations import Lookup, Outcome, key_id_of, read_list
from relay.settings import RelaySettings, SettingsError, check_revocations_dir, load_settings
from shared.identity.revocation import MAX_REVOCATION_LIST_SIZE, REVOCATION_PATH_TEMPLATE

ROOT = Path(__file__).resolve().parents[2]
KEY = "0123456789abcdef"
OTHER = "fedcba9876543210"


def path_of(key_id: str) -> str:
    return REVOCATION_PATH_TEMPLATE.format(key_id=key_id)


def raw_get(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``target`` exactly as written (no client-side normalisation of ``..`` or escapes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


# --------------------------------------------------------------------- paths, without a network


def test_the_path_is_the_contract_template() -> None:
    assert path_of(KEY) == f"/.well-known/fernhilfe/revocations/{KEY}.fhrl"
    assert key_id_of(path_of(KEY)) == KEY
    assert endpoints.route(path_of(KEY)) is Route.REVOCATION_LIST


TRICKS = [
    path_of(KEY.upper()),  # upper case: not the key id's one spelling
    path_of(KEY[:-1]),  # 15 characters
    path_of(KEY + "0"),  # 17
    path_of("0123456789abcdeg"),  # not hex
    path_of(KEY) + "?x=1",  # a query
    path_of(KEY) + "/",
    path_of(KEY).replace(".fhrl", ".fhrl.bak"),
    path_of(KEY).replace(".fhrl", ""),
    path_of("../../../etc/pass"),
    path_of("..%2f..%2fmetrics"),
    path_of("%30123456789abcdef"[:16]),
    "/.well-known/fernhilfe/revocations/../../../metrics",
    "/.well-known/fernhilfe/revocations/./" + KEY + ".fhrl",
    "/.well-known/fernhilfe/revocations//" + KEY + ".fhrl",
    "//.well-known/fernhilfe/revocations/" + KEY + ".fhrl",
    "/.well-known/fernhilfe/revocations/",
    "/.well-known/fernhilfe/revocations/" + KEY + "%2Efhrl",
    "/.well-known/fernhilfe/revocations/" + "\u0660" * 16 + ".fhrl",  # Arabic-Indic digits
]


@pytest.mark.parametrize("path", TRICKS)
def test_anything_but_the_exact_shape_is_not_a_list(path: str) -> None:
    assert key_id_of(path) is None
    assert endpoints.route(path) is Route.NOT_FOUND


@given(st.text(max_size=80))
def test_a_key_id_is_only_ever_16_lowercase_hex(path: str) -> None:
    """Whatever comes in, what reaches the file system is 16 of [0-9a-f] (no separator)."""
    for candidate in (path, path_of(path)):
        key_id = key_id_of(candidate)
        assert key_id is None or (len(key_id) == 16 and set(key_id) <= set("0123456789abcdef"))


def test_the_response_carries_the_bytes_as_they_are() -> None:
    body = bytes(range(256))
    served = endpoints.revocation_list(body)
    assert served.status_code == 200 and served.body == body
    assert served.headers["Content-Type"] == "application/octet-stream"
    assert served.headers["Cache-Control"] == "max-age=60"
    assert served.headers["Content-Length"] == "256"


# --------------------------------------------------------------------- the folder


def test_read_list_outcomes(tmp_path: Path) -> None:
    assert read_list(None, KEY) == Lookup(Outcome.NOT_FOUND)
    assert read_list(tmp_path, KEY) == Lookup(Outcome.NOT_FOUND)
    assert read_list(tmp_path / "absent", KEY) == Lookup(Outcome.NOT_FOUND)
    assert read_list(tmp_path, "../" + KEY[3:]) == Lookup(Outcome.NOT_FOUND)
    (tmp_path / f"{KEY}.fhrl").write_bytes(b"x" * MAX_REVOCATION_LIST_SIZE)
    assert read_list(tmp_path, KEY) == Lookup(Outcome.SERVED, b"x" * MAX_REVOCATION_LIST_SIZE)
    (tmp_path / f"{KEY}.fhrl").write_bytes(b"x" * (MAX_REVOCATION_LIST_SIZE + 1))
    assert read_list(tmp_path, KEY).outcome is Outcome.TOO_LARGE
    (tmp_path / f"{OTHER}.fhrl").mkdir()
    assert read_list(tmp_path, OTHER).outcome is Outcome.UNREADABLE


def test_a_fifo_in_the_folder_does_not_hang_the_relay(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / f"{KEY}.fhrl")
    assert read_list(tmp_path, KEY) == Lookup(Outcome.UNREADABLE, detail="not a regular file")


# --------------------------------------------------------------------- settings


def test_setting_from_flag_environment_and_file(tmp_path: Path) -> None:
    folder = str(tmp_path)
    assert load_settings([], {}).revocations_dir is None
    assert load_settings(["--revocations-dir", folder], {}).revocations_dir == folder
    env = {"FERNHILFE_RELAY_REVOCATIONS_DIR": folder}
    assert load_settings([], env).revocations_dir == folder
    toml = tmp_path / "relay.toml"
    toml.write_text(f'[relay]\nrevocations_dir = "{folder}"\n')
    assert load_settings(["--config", str(toml)], {}).revocations_dir == folder
    assert load_settings(["--config", str(toml), "--revocations-dir", "/x"], env) \
        .revocations_dir == "/x"


def test_a_missing_folder_is_refused_at_start(tmp_path: Path) -> None:
    check_revocations_dir(RelaySettings(revocations_dir=str(tmp_path)))
    with pytest.raises(SettingsError, match="is not a folder"):
        check_revocations_dir(RelaySettings(revocations_dir=str(tmp_path / "typo")))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FERNHILFE_RELAY_")}
    done = subprocess.run(
        [sys.executable, "-m", "relay", "--port", "0", "--revocations-dir", str(tmp_path / "t")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2 and "is not a folder" in done.stderr


# --------------------------------------------------------------------- the real relay process


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real relay process serving ``tmp_path/lists``; yields its port and the folder."""
    folder = tmp_path / "lists"
    folder.mkdir()
    proc, url = start_relay("--revocations-dir", str(folder))
    try:
        yield int(url.rsplit(":", 1)[1].split("/")[0]), folder
    finally:
        proc.terminate()
        proc.wait(10)


def counts(port: int) -> dict[str, float]:
    status, _, body = raw_get(port, "/metrics")
    assert status == 200
    prefix = "fernhilfe_relay_revocation_requests_total{outcome=\""
    return {line[len(prefix):].split('"')[0]: float(line.rsplit(" ", 1)[1])
            for line in body.decode().splitlines() if line.startswith(prefix)}


def test_real_relay_serves_replaces_and_forgets_a_list(served: tuple[int, Path]) -> None:
    port, folder = served
    assert raw_get(port, path_of(KEY))[0] == 404  # nothing there yet
    first = os.urandom(700)  # the relay does not look inside: any bytes are served as they are
    (folder / f"{KEY}.fhrl").write_bytes(first)
    status, headers, body = raw_get(port, path_of(KEY))
    assert (status, body) == (200, first)
    assert headers["content-type"] == "application/octet-stream"
    assert headers["cache-control"] == "max-age=60"
    assert headers["content-length"] == "700"
    # The admin replaces the file (as an editor or `mv` would): served at once, no restart.
    second = os.urandom(900)
    (folder / "new.tmp").write_bytes(second)
    (folder / "new.tmp").replace(folder / f"{KEY}.fhrl")
    assert raw_get(port, path_of(KEY))[2] == second
    assert raw_get(port, path_of(OTHER))[0] == 404  # another organisation's: absent
    (folder / f"{KEY}.fhrl").unlink()
    assert raw_get(port, path_of(KEY))[0] == 404
    assert counts(port) == {"served": 2, "not_found": 3, "too_large": 0, "unreadable": 0}


def test_real_relay_refuses_path_tricks_and_oversize(served: tuple[int, Path]) -> None:
    port, folder = served
    (folder / f"{KEY}.fhrl").write_bytes(b"list")
    secret = folder.parent / "secret.fhrl"
    secret.write_bytes(b"not for you")
    for trick in [
        *(t for t in TRICKS if t.isascii()),  # a request line is ASCII
        "/.well-known/fernhilfe/revocations/../secret.fhrl",
        "/.well-known/fernhilfe/revocations/%2e%2e/secret.fhrl",
        "/.well-known/fernhilfe/revocations/..%2Fsecret.fhrl",
    ]:
        status, _, body = raw_get(port, trick)
        assert status == 404, trick
        assert b"not for you" not in body and body != b"list"
    assert counts(port)["served"] == 0  # not one of them reached the folder
    (folder / f"{KEY}.fhrl").write_bytes(b"x" * (MAX_REVOCATION_LIST_SIZE + 1))
    status, headers, body = raw_get(port, path_of(KEY))
    assert status == 500 and body == b"revocation list too_large\n"
    assert headers["cache-control"] == "no-store"
    assert counts(port)["too_large"] == 1


def test_without_the_setting_nothing_is_served(tmp_path: Path) -> None:
    proc, url = start_relay()
    try:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        assert raw_get(port, path_of(KEY))[0] == 404
    finally:
        proc.terminate()
        proc.wait(10)
