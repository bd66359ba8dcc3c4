"""A branded agent can bake when "still sharing?" is asked (issue 15): ``still_sharing_minutes``
in the branding file is a whole number of minutes, 10 to 120, checked like the agent's own
setting (one rule: shared.share_check.check_minutes), baked into the bundle and read back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent.config import ConfigError, load_config
from shared.share_check import DEFAULT_MINUTES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
from buildlib import BrandingError, load_branding, write_agent_branding

from tests.installer.test_branding_grace import branding_file


def test_baked_minutes_reach_the_agent(tmp_path: Path) -> None:
    branding = load_branding(branding_file(tmp_path, "still_sharing_minutes = 45\n"))
    assert branding.still_sharing_minutes == 45
    baked = write_agent_branding(branding, tmp_path / "stage")
    config = load_config(env={}, beside=tmp_path / "nowhere", branding=baked)
    assert config.still_sharing_minutes == 45


def test_without_it_the_agent_asks_after_30_minutes(tmp_path: Path) -> None:
    baked = write_agent_branding(load_branding(branding_file(tmp_path, "")), tmp_path / "s")
    assert "still_sharing_minutes" not in baked.read_text(encoding="utf-8")
    config = load_config(env={}, beside=tmp_path / "nowhere", branding=baked)
    assert config.still_sharing_minutes == DEFAULT_MINUTES == 30


@pytest.mark.parametrize(("line", "says"), [
    ('still_sharing_minutes = "30"\n', "whole number"),
    ("still_sharing_minutes = 30.5\n", "whole number"),
    ("still_sharing_minutes = true\n", "whole number"),
    ("still_sharing_minutes = 9\n", "between 10 and 120"),
    ("still_sharing_minutes = 121\n", "between 10 and 120"),
])
def test_bad_minutes_are_refused_naming_the_key(tmp_path: Path, line: str, says: str) -> None:
    with pytest.raises(BrandingError, match=f"still_sharing_minutes.*{says}"):
        load_branding(branding_file(tmp_path, line))
    baked = tmp_path / "baked.toml"
    baked.write_text(f"[agent]\n{line}", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"still_sharing_minutes.*{says}"):
        load_config(env={}, beside=tmp_path / "nowhere", branding=baked)


def test_the_baked_value_wins_over_a_side_file_in_a_branded_build(tmp_path: Path) -> None:
    baked = tmp_path / "baked.toml"
    baked.write_text("[agent]\nstill_sharing_minutes = 60\n", encoding="utf-8")
    beside = tmp_path / "beside"
    beside.mkdir()
    (beside / "fernhilfe-agent.toml").write_text("[agent]\nstill_sharing_minutes = 10\n",
                                                 encoding="utf-8")
    assert load_config(env={}, beside=beside, branding=baked,
                       frozen=True).still_sharing_minutes == 60
    assert load_config(env={}, beside=beside, branding=baked,
                       frozen=False).still_sharing_minutes == 10
