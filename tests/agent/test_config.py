from pathlib import Path

import pytest

from agent.config import AgentConfig, ConfigError, load_config


def test_precedence_flag_env_beside_branding(tmp_path: Path) -> None:
    branding = tmp_path / "branding.toml"
    branding.write_text('[agent]\nrelay_url = "wss://brand/v1"\norganisation = "Acme IT"\n')
    beside = tmp_path / "dir"
    beside.mkdir()
    assert load_config(env={}, beside=beside, branding=branding).relay_url == "wss://brand/v1"
    (beside / "fernhilfe-agent.toml").write_text('relay_url = "wss://beside/v1"\n')
    cfg = load_config(env={}, beside=beside, branding=branding)
    assert (cfg.relay_url, cfg.organisation) == ("wss://beside/v1", "Acme IT")
    env = {"FERNHILFE_RELAY_URL": "wss://env/v1"}
    assert load_config(env=env, beside=beside, branding=branding).relay_url == "wss://env/v1"
    assert load_config("wss://flag/v1", env=env, beside=beside, branding=branding).relay_url == (
        "wss://flag/v1"
    )


def test_defaults_without_files(tmp_path: Path) -> None:
    cfg = load_config(env={}, beside=tmp_path, branding=tmp_path / "none.toml")
    assert cfg == AgentConfig()


@pytest.mark.parametrize(
    "text, match",
    [("relay = 'x'\n", "unknown setting"), ("relay_url = 3\n", "must be a string"),
     ("relay_url = \n", "not valid TOML")],
)
def test_bad_files_give_clear_errors(tmp_path: Path, text: str, match: str) -> None:
    (tmp_path / "fernhilfe-agent.toml").write_text(text)
    with pytest.raises(ConfigError, match=match):
        load_config(env={}, beside=tmp_path, branding=tmp_path / "none.toml")
