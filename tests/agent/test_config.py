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


# ---------------------------------------------------------------------- trust settings (issue 12)

def _org_key(seed: bytes) -> str:
    from nacl.signing import SigningKey

    from shared.identity.keys import format_org_key

    return format_org_key(bytes(SigningKey(seed * 32).verify_key))


ORG_A = _org_key(b"a")
ORG_B = _org_key(b"b")


def _trusting(tmp_path: Path, extra: str = "") -> Path:
    branding = tmp_path / "branding.toml"
    branding.write_text('[agent]\nrelay_url = "wss://relay.example.com:8443/v1"\n'
                        f'organisation = "Acme IT"\ntrusted_organisations = ["{ORG_A}"]\n'
                        f"require_verified = true\n{extra}")
    return branding


def test_branding_lists_trusted_organisations_and_policy(tmp_path: Path) -> None:
    from agent.config import revocation_url_template

    cfg = load_config(env={}, beside=tmp_path, branding=_trusting(tmp_path))
    assert cfg.trusted_organisations == (ORG_A,)
    assert cfg.require_verified is True
    # Derived from the relay: same host and port, https, the relay's well-known path.
    assert revocation_url_template(cfg) == (
        "https://relay.example.com:8443/.well-known/fernhilfe/revocations/{key_id}.fhrl")
    local = AgentConfig(relay_url="ws://127.0.0.1:9/v1", trusted_organisations=(ORG_A,))
    assert revocation_url_template(local) == (
        "http://127.0.0.1:9/.well-known/fernhilfe/revocations/{key_id}.fhrl")
    own = load_config(env={}, beside=tmp_path, branding=_trusting(
        tmp_path, 'revocation_url = "https://crl.example.com/fh/{key_id}.fhrl"\n'))
    assert revocation_url_template(own) == "https://crl.example.com/fh/{key_id}.fhrl"


@pytest.mark.parametrize("extra, match", [
    ('trusted_organisations = "fhorg1:x"\n', "'trusted_organisations' must be a list"),
    ('trusted_organisations = ["fhorg1:short"]\n', "'trusted_organisations', entry 1"),
    ('trusted_organisations = ["ssh-ed25519 AAAA"]\n', "'trusted_organisations', entry 1"),
    ('require_verified = "yes"\n', "'require_verified' must be true or false"),
    ('trusted_organisations = []\nrequire_verified = true\n', "needs at least one key"),
    ('revocation_url = "https://crl.example.com/list.fhrl"\n', "{key_id}"),
    ('revocation_url = "http://crl.example.com/{key_id}"\n', "'revocation_url'.*not encrypted"),
    ('revocation_url = "ftp://crl.example.com/{key_id}"\n', "'revocation_url'.*not an https"),
])
def test_wrong_trust_settings_name_the_key(tmp_path: Path, extra: str, match: str) -> None:
    branding = tmp_path / "branding.toml"
    branding.write_text('[agent]\nrelay_url = "wss://r.example.com/v1"\n'
                        f'trusted_organisations = ["{ORG_A}"]\n' * ("trusted_org" not in extra)
                        + extra)
    with pytest.raises(ConfigError, match=match):
        load_config(env={}, beside=tmp_path, branding=branding)


@pytest.mark.parametrize("planted", [
    f'trusted_organisations = ["{ORG_B}"]\n',
    "require_verified = false\n",
    'revocation_url = "https://evil.example.com/{key_id}"\n',
])
@pytest.mark.parametrize("frozen", [True, False])
def test_side_file_never_changes_trust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       planted: str, frozen: bool) -> None:
    """A file dropped beside the program may not add a trusted key, switch the policy off or
    move the revocation lists: ignored by the branded one-file agent, refused everywhere else
    (the customer would otherwise see a scammer's company as "verified")."""
    branding = _trusting(tmp_path)
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "fernhilfe-agent.toml").write_text(planted)
    if frozen:
        monkeypatch.setattr(sys, "frozen", True, raising=False)
        monkeypatch.setattr(sys, "executable", str(downloads / "fernhilfe-agent"))
        cfg = load_config(env={}, branding=branding)
        assert (cfg.trusted_organisations, cfg.require_verified, cfg.revocation_url) == (
            (ORG_A,), True, "")
        return
    with pytest.raises(ConfigError, match="only be set in the branding built into"):
        load_config(env={}, beside=downloads, branding=branding, frozen=False)
    # An unbranded build honours side files, but never their trust settings either.
    with pytest.raises(ConfigError, match="only be set in the branding built into"):
        load_config(env={}, beside=downloads, branding=tmp_path / "none.toml", frozen=True)
