"""Settings precedence (flag > env > TOML > default) and the plain-ws safety check."""

from __future__ import annotations

from pathlib import Path

import pytest

from relay.settings import (
    InsecureBindError,
    RelaySettings,
    SettingsError,
    check_transport_security,
    is_loopback,
    load_settings,
)


def write_toml(tmp_path: Path, text: str) -> str:
    path = tmp_path / "relay.toml"
    path.write_text(text)
    return str(path)


def test_defaults() -> None:
    s = load_settings([], {})
    assert s == RelaySettings()
    assert s.max_message_size == 9 * 1024 * 1024 > 8 * 1024 * 1024
    assert s.nameplate_lifetime == 600 and s.nameplate_hold == 86_400


def test_precedence_flag_over_env_over_file(tmp_path: Path) -> None:
    config = write_toml(
        tmp_path,
        "[relay]\nidle_timeout = 11\nhandshake_timeout = 3\nmax_connections = 5\nport = 1\n",
    )
    env = {
        "FERNHILFE_RELAY_CONFIG": config,
        "FERNHILFE_RELAY_HANDSHAKE_TIMEOUT": "4.5",
        "FERNHILFE_RELAY_MAX_CONNECTIONS": "6",
        "FERNHILFE_RELAY_BEHIND_TLS_PROXY": "yes",
    }
    s = load_settings(["--max-connections", "7"], env)
    assert s.idle_timeout == 11.0  # file
    assert s.handshake_timeout == 4.5  # env beats file
    assert s.max_connections == 7  # flag beats env
    assert s.port == 1
    assert s.behind_tls_proxy is True
    assert s.max_message_size == RelaySettings().max_message_size  # default


def test_config_flag_and_top_level_keys(tmp_path: Path) -> None:
    config = write_toml(tmp_path, 'host = "::1"\nnameplate_lifetime = 30\n')
    s = load_settings(["--config", config, "--behind-tls-proxy"], {})
    assert s.host == "::1" and s.nameplate_lifetime == 30.0 and s.behind_tls_proxy


@pytest.mark.parametrize(
    ("toml", "env"),
    [
        ("bogus = 1\n", {}),
        ('max_connections = "many"\n', {}),
        ("max_connections = true\n", {}),
        ("this is not toml", {}),
        ("", {"FERNHILFE_RELAY_MAX_CONNECTIONS": "lots"}),
        ("", {"FERNHILFE_RELAY_NO_SUCH_THING": "1"}),
        ("", {"FERNHILFE_RELAY_BEHIND_TLS_PROXY": "maybe"}),
        ("", {"FERNHILFE_RELAY_IDLE_TIMEOUT": "-1"}),
        ("", {"FERNHILFE_RELAY_TLS_CERT": "/only/cert.pem"}),
        ('trusted_proxies = ["127.0.0.1", 5]\n', {}),
        ("trusted_proxies = 5\n", {}),
        ("", {"FERNHILFE_RELAY_TRUSTED_PROXIES": "127.0.0.1, proxy.example"}),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, toml: str, env: dict[str, str]) -> None:
    config = write_toml(tmp_path, toml)
    with pytest.raises(SettingsError):
        load_settings(["--config", config], env)


def test_trusted_proxies_from_flag_env_and_toml(tmp_path: Path) -> None:
    assert RelaySettings().trusted_proxies == ()
    config = write_toml(tmp_path, 'trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]\n')
    assert load_settings(["--config", config], {}).trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    config = write_toml(tmp_path, 'trusted_proxies = "127.0.0.1, ::1"\n')
    assert load_settings(["--config", config], {}).trusted_proxies == ("127.0.0.1", "::1")
    env = {"FERNHILFE_RELAY_TRUSTED_PROXIES": "127.0.0.1 ::1"}
    assert load_settings([], env).trusted_proxies == ("127.0.0.1", "::1")
    s = load_settings(["--trusted-proxies", "192.0.2.0/24,::1"], env)
    assert s.trusted_proxies == ("192.0.2.0/24", "::1")
    assert RelaySettings(trusted_proxies=["::1"]).trusted_proxies == ("::1",)  # type: ignore[arg-type]


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(["--config", str(tmp_path / "nope.toml")], {})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
def test_loopback_plain_ws_allowed(host: str) -> None:
    assert is_loopback(host)
    check_transport_security(RelaySettings(host=host))


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "192.0.2.10", "relay.example.org"])
def test_plain_ws_refused_off_loopback(host: str) -> None:
    with pytest.raises(InsecureBindError, match="--tls-cert"):
        check_transport_security(RelaySettings(host=host))
    check_transport_security(RelaySettings(host=host, behind_tls_proxy=True))
    check_transport_security(RelaySettings(host=host, tls_cert="c.pem", tls_key="k.pem"))


def test_main_refuses_insecure_bind_without_binding(capsys: pytest.CaptureFixture[str]) -> None:
    from relay.__main__ import main

    assert main(["--host", "0.0.0.0", "--port", "0"]) == 2
    assert "refusing plain ws://" in capsys.readouterr().err


def test_shipped_example_config_loads() -> None:
    example = Path(__file__).resolve().parents[2] / "installer/relay/relay.example.toml"
    s = load_settings(["--config", str(example)], {})
    assert s.trusted_proxies == ("127.0.0.1", "::1")
    assert (s.max_queue, s.read_size, s.write_limit) == (2, 65536, 65536)
