import sys
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


def _planted(tmp_path: Path) -> tuple[Path, Path]:
    branding = tmp_path / "branding.toml"
    branding.write_text('[agent]\nrelay_url = "wss://brand/v1"\norganisation = "Acme IT"\n'
                        'support_phone = "030 1234"\n')
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "fernhilfe-agent.toml").write_text(
        'relay_url = "wss://evil/v1"\norganisation = "Your Bank"\nsupport_phone = "0900 666"\n')
    return branding, downloads


def test_branded_frozen_agent_ignores_planted_file_and_env(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-file program in the Downloads folder: a file dropped beside it (or the env var)
    must not change where it connects or whom it names."""
    branding, downloads = _planted(tmp_path)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(downloads / "fernhilfe-agent"))
    monkeypatch.setenv("FERNHILFE_RELAY_URL", "wss://evil-env/v1")
    cfg = load_config(branding=branding)
    assert (cfg.relay_url, cfg.organisation, cfg.support_phone) == (
        "wss://brand/v1", "Acme IT", "030 1234")
    assert cfg.side_file == ""
    # An explicit command-line choice still works (the smoke test of the bundle uses it).
    assert load_config("wss://flag/v1", branding=branding).relay_url == "wss://flag/v1"


def test_unbranded_build_honours_side_file_and_names_it(tmp_path: Path) -> None:
    _, downloads = _planted(tmp_path)
    cfg = load_config(env={}, beside=downloads, branding=tmp_path / "none.toml", frozen=True)
    assert cfg.relay_url == "wss://evil/v1"
    assert cfg.side_file == str((downloads / "fernhilfe-agent.toml").resolve())
    with pytest.raises(ConfigError, match="unknown setting"):  # not settable from a file
        (downloads / "fernhilfe-agent.toml").write_text('side_file = "x"\n')
        load_config(env={}, beside=downloads, branding=tmp_path / "none.toml")


def test_code_window_names_the_side_file(qtbot, tmp_path: Path) -> None:
    from agent.app import AgentApp

    _, downloads = _planted(tmp_path)
    cfg = load_config(env={}, beside=downloads, branding=tmp_path / "none.toml", frozen=True)
    app = AgentApp(cfg)
    qtbot.addWidget(app.window)
    app.window.show()
    assert str(downloads / "fernhilfe-agent.toml") in app.window.settings_source_text()
    plain = AgentApp(AgentConfig())
    qtbot.addWidget(plain.window)
    plain.window.show()
    assert plain.window.settings_source_text() == ""
