"""The build checks a branding's trust settings (issue 12) and bakes them into the agent.

Runs the real ``installer/build_agent.py --check`` as the support firm's admin would; a wrong
key or value stops the build with a message naming the setting, exit code 2.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from agent.config import load_config
from shared.identity.keys import format_org_key

REPO = Path(__file__).resolve().parents[2]
KEY = format_org_key(bytes(SigningKey(b"k" * 32).verify_key))
BASE = '[agent]\nrelay_url = "wss://relay.example.com/v1"\norganisation = "Acme IT GmbH"\n'


def _check(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    branding = tmp_path / "branding.toml"
    branding.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(REPO / "installer" / "build_agent.py"), "--branding",
         str(branding), "--check", "--work", str(tmp_path / "work"), "--name", "t"],
        capture_output=True, text=True, timeout=60, cwd=REPO)


def test_trust_settings_are_baked_and_read_back(tmp_path: Path) -> None:
    done = _check(tmp_path, BASE + f'trusted_organisations = ["{KEY}", "{KEY}"]\n'
                  "require_verified = true\n")
    assert done.returncode == 0, done.stderr
    baked = tmp_path / "work" / "t" / "stage" / "branding.toml"
    with baked.open("rb") as fh:
        table = tomllib.load(fh)
    assert table["trusted_organisations"] == [KEY]  # listed once
    assert table["require_verified"] is True
    config = load_config(env={}, beside=tmp_path / "work", branding=baked)
    assert (config.trusted_organisations, config.require_verified) == ((KEY,), True)


def test_trusting_without_the_policy_warns(tmp_path: Path) -> None:
    done = _check(tmp_path, BASE + f'trusted_organisations = ["{KEY}"]\n')
    assert done.returncode == 0, done.stderr
    assert "require_verified is false" in done.stderr


@pytest.mark.parametrize("extra, message", [
    ('trusted_organisations = "x"\n', "trusted_organisations must be a list"),
    ('trusted_organisations = ["fhorg1:tooshort"]\n', "trusted_organisations entry 1"),
    (f'trusted_organisations = ["{KEY}", "ed25519:abc"]\n', "trusted_organisations entry 2"),
    ('require_verified = "true"\n', "require_verified must be true or false"),
    ("require_verified = true\n", "needs at least one key"),
    (f'trusted_organisations = ["{KEY}"]\nrevocation_url = "https://x.example/list"\n',
     "{key_id}"),
    (f'trusted_organisations = ["{KEY}"]\nrevocation_url = "http://x.example/{{key_id}}"\n',
     "plain http:// only to loopback"),
])
def test_wrong_trust_settings_stop_the_build(tmp_path: Path, extra: str, message: str) -> None:
    done = _check(tmp_path, BASE + extra)
    assert done.returncode == 2
    assert message in done.stderr, done.stderr
