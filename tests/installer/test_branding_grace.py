"""A branded agent can bake its grace period (issue 13): ``grace_period`` in the branding file
is a number of seconds, checked like the agent's own setting, written into the bundle's
branding.toml and read back by the agent's configuration."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent.config import load_config
from shared.link import DEFAULT_GRACE

# The build scripts import buildlib as a top-level module (they run from installer/).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
from buildlib import BrandingError, load_branding, write_agent_branding


def branding_file(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "branding.toml"
    path.write_text('[agent]\nrelay_url = "wss://relay.example.com/v1"\n'
                    f'organisation = "Acme IT"\n{extra}', encoding="utf-8")
    return path


def test_a_baked_grace_period_reaches_the_agent(tmp_path: Path) -> None:
    branding = load_branding(branding_file(tmp_path, "grace_period = 300\n"))
    assert branding.grace_period == 300.0
    baked = write_agent_branding(branding, tmp_path / "stage")
    config = load_config(env={}, beside=tmp_path / "nowhere", branding=baked)
    assert config.grace_period == 300.0
    assert config.organisation == "Acme IT"


def test_without_it_the_agent_keeps_its_default(tmp_path: Path) -> None:
    branding = load_branding(branding_file(tmp_path, ""))
    assert branding.grace_period is None
    baked = write_agent_branding(branding, tmp_path / "stage")
    assert "grace_period" not in baked.read_text(encoding="utf-8")
    assert load_config(env={}, beside=tmp_path / "nowhere",
                       branding=baked).grace_period == DEFAULT_GRACE


@pytest.mark.parametrize(("line", "says"), [
    ('grace_period = "120"\n', "number of seconds"),
    ("grace_period = true\n", "number of seconds"),
    ("grace_period = 2\n", "between"),
    ("grace_period = 99999\n", "between"),
])
def test_a_bad_grace_period_is_refused_with_the_reason(tmp_path: Path, line: str,
                                                      says: str) -> None:
    with pytest.raises(BrandingError, match=says):
        load_branding(branding_file(tmp_path, line))
