"""A branded agent can bake the largest file the technician may send (issue 17): ``max_file_mb``
in the branding file is a whole number of MiB, 1 to 65536, checked by the agent's own rule
(agent.config.check_file_mb), baked into the bundle and read back as bytes for the session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent.config import DEFAULT_MAX_FILE_MB, AgentConfig, ConfigError, load_config

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
from buildlib import BrandingError, load_branding, write_agent_branding

from tests.installer.test_branding_grace import branding_file


def test_baked_cap_reaches_the_agent_in_bytes(tmp_path: Path) -> None:
    branding = load_branding(branding_file(tmp_path, "max_file_mb = 100\n"))
    assert branding.max_file_mb == 100
    baked = write_agent_branding(branding, tmp_path / "stage")
    config = load_config(env={}, beside=tmp_path / "nowhere", branding=baked)
    assert config.max_file_mb == 100
    assert config.max_file_size == 100 * 1024 * 1024


def test_without_it_the_cap_is_4_gib(tmp_path: Path) -> None:
    baked = write_agent_branding(load_branding(branding_file(tmp_path, "")), tmp_path / "s")
    assert "max_file_mb" not in baked.read_text(encoding="utf-8")
    config = load_config(env={}, beside=tmp_path / "nowhere", branding=baked)
    assert config.max_file_mb == DEFAULT_MAX_FILE_MB == 4096
    assert AgentConfig().max_file_size == 4 * 1024 ** 3


@pytest.mark.parametrize(("line", "says"), [
    ('max_file_mb = "100"\n', "whole number"),
    ("max_file_mb = 1.5\n", "whole number"),
    ("max_file_mb = true\n", "whole number"),
    ("max_file_mb = 0\n", "between 1 and 65536"),
    ("max_file_mb = 65537\n", "between 1 and 65536"),
])
def test_bad_caps_are_refused_naming_the_key(tmp_path: Path, line: str, says: str) -> None:
    with pytest.raises(BrandingError, match=f"max_file_mb.*{says}"):
        load_branding(branding_file(tmp_path, line))
    baked = tmp_path / "baked.toml"
    baked.write_text(f"[agent]\n{line}", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"max_file_mb.*{says}"):
        load_config(env={}, beside=tmp_path / "nowhere", branding=baked)


def test_the_example_branding_file_is_valid(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "installer" / "branding.example.toml"
    assert load_branding(example).max_file_mb == 4096
