"""Settings precedence (flag > env > TOML > default) and the plain-ws safety check."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from relay.settings import (
    InsecureBindError,
    RelaySettings,
    SettingsError,
    check_transport_security,
    load_settings,
    read_cluster_secret,
)
from shared.channel import MAX_CIPHERTEXT, TAG_SIZE
from shared.hosts import is_loopback
from shared.messages import MAX_PLAINTEXT

ROOT = Path(__file__).resolve().parents[2]


def write_toml(tmp_path: Path, text: str) -> str:
    path = tmp_path / "relay.toml"
    path.write_text(text)
    return str(path)


def test_defaults() -> None:
    s = load_settings([], {})
    assert s == RelaySettings()
    # The largest sealed message the protocol allows, one shared constant, not a guess.
    assert s.max_message_size == MAX_CIPHERTEXT == MAX_PLAINTEXT + TAG_SIZE
    assert s.ipv4_prefix == 24 and s.ipv6_prefix == 56
    assert s.max_session_bytes == 0  # the per-session cap is off by default
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
        "FERNHILFE_RELAY_TRUSTED_PROXIES": "10.88.0.1",
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
    s = load_settings(["--config", config, "--behind-tls-proxy", "--trusted-proxies", "::1"], {})
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
        ("", {"FERNHILFE_RELAY_MAX_MESSAGE_SIZE": str(MAX_CIPHERTEXT + 1)}),
        ("", {"FERNHILFE_RELAY_IPV4_PREFIX": "33"}),
        ("", {"FERNHILFE_RELAY_IPV6_PREFIX": "0"}),
        ("", {"FERNHILFE_RELAY_FLOOD_SHORT_JOINS_PER_SECOND": "0"}),
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


def test_config_file_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    """It used to escape as a UnicodeDecodeError trace (tomllib decodes before parsing)."""
    config = tmp_path / "relay.toml"
    config.write_bytes(b'host = "\xff"\n')
    with pytest.raises(SettingsError, match=f"relay config {config} is not valid TOML"):
        load_settings(["--config", str(config)], {})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
def test_loopback_plain_ws_allowed(host: str) -> None:
    assert is_loopback(host)
    check_transport_security(RelaySettings(host=host))


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "192.0.2.10", "relay.example.org"])
def test_plain_ws_refused_off_loopback(host: str) -> None:
    with pytest.raises(InsecureBindError, match="--tls-cert"):
        check_transport_security(RelaySettings(host=host))
    check_transport_security(
        RelaySettings(host=host, behind_tls_proxy=True, trusted_proxies=("127.0.0.1",))
    )
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


@pytest.mark.parametrize(
    "argv",
    [
        ["--behind-tls-proxy"],
        ["--behind-tls-proxy", "--host", "0.0.0.0"],
        ["--behind-tls-proxy", "--trusted-proxies", ""],
    ],
)
def test_proxy_mode_without_trusted_proxies_refuses_to_start(argv: list[str]) -> None:
    """Behind a proxy with no trusted proxies every client shares the proxy's address: four
    failed joins by one guesser would lock out every technician (issue 9)."""
    with pytest.raises(SettingsError, match="trusted_proxies") as info:
        load_settings(argv, {})
    assert "behind_tls_proxy" in str(info.value)
    with pytest.raises(SettingsError, match="trusted_proxies"):
        load_settings([], {"FERNHILFE_RELAY_BEHIND_TLS_PROXY": "true"})


def test_main_refuses_proxy_mode_without_trusted_proxies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from relay.__main__ import main

    assert main(["--host", "0.0.0.0", "--port", "0", "--behind-tls-proxy"]) == 2
    err = capsys.readouterr().err
    assert "behind_tls_proxy" in err and "trusted_proxies" in err


def containerfile_env() -> dict[str, str]:
    """The ``ENV`` of the shipped Containerfile, as the relay in the image sees it."""
    text = (ROOT / "installer/relay/Containerfile").read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            for item in shlex.split(line[4:]):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def test_shipped_container_starts_with_per_client_limits() -> None:
    env = containerfile_env()
    assert any(key.startswith("FERNHILFE_RELAY_") for key in env)
    s = load_settings([], env)  # would raise if proxy mode came without trusted proxies
    assert s.trusted_proxies, "the image must believe its proxy's X-Forwarded-For"
    if s.behind_tls_proxy:
        assert s.host not in ("127.0.0.1", "::1")
    check_transport_security(s)


def test_shipped_proxy_configs_replace_the_forwarded_header() -> None:
    """The proxies set X-Forwarded-For to the address they were connected from; a client's own
    header never reaches the relay, and only /v1 is proxied as a websocket."""
    caddy = (ROOT / "installer/relay/Caddyfile").read_text()
    assert "header_up X-Forwarded-For {remote_host}" in caddy
    nginx = (ROOT / "installer/relay/nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    assert "location = /v1 {" in nginx
    env_example = (ROOT / "installer/relay/relay.env.example").read_text()
    for line in env_example.splitlines():
        match = re.fullmatch(r"#?\s*(FERNHILFE_RELAY_\w+)=(.*)", line.strip())
        if match:  # every example line is a valid setting
            load_settings([], {match[1]: match[2].strip('"')})


# ------------------------------------------------------------------ relay clusters (issue 14)


def test_cluster_settings_from_flags_env_and_toml(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"z" * 32)
    config = write_toml(tmp_path, f'redis_url = "redis://127.0.0.1:6390/0"\n'
                                  f'cluster_secret_file = "{secret}"\ndrain_timeout = 5\n')
    s = load_settings(["--config", config, "--node-id", "edge-2", "--internal-port", "7001"],
                      {"FERNHILFE_RELAY_HEARTBEAT_INTERVAL": "0.5",
                       "FERNHILFE_RELAY_INTERNAL_HOST": "10.0.0.5"})
    assert (s.redis_url, s.node_id, s.internal_port) == ("redis://127.0.0.1:6390/0", "edge-2", 7001)
    assert (s.drain_timeout, s.heartbeat_interval, s.internal_host) == (5.0, 0.5, "10.0.0.5")
    assert read_cluster_secret(s) == b"z" * 32
    defaults = RelaySettings()
    assert (defaults.redis_url, defaults.drain_timeout, defaults.heartbeat_interval) == ("", 30.0,
                                                                                        1.0)
    assert read_cluster_secret(defaults) is None  # one process: no internal listener


@pytest.mark.parametrize(("changes", "message"), [
    ({"redis_url": "redis://127.0.0.1:6379/0"}, "cluster_secret_file"),
    ({"redis_url": "http://127.0.0.1:6379", "cluster_secret_file": "x"}, "redis://"),
    ({"heartbeat_interval": 0.0}, "heartbeat_interval"),
    ({"internal_url": "http://10.0.0.5:7001/internal/v1"}, "ws://"),
    ({"internal_port": 70000}, "internal_port"),
    ({"drain_timeout": -1.0}, "drain_timeout"),
])
def test_bad_cluster_settings_are_clear_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        RelaySettings(**changes)  # type: ignore[arg-type]


def test_cluster_secret_must_be_readable_and_long_enough(tmp_path: Path) -> None:
    short = tmp_path / "short"
    short.write_bytes(b"s" * 31)
    with pytest.raises(SettingsError, match="at least 32"):
        read_cluster_secret(RelaySettings(cluster_secret_file=str(short)))
    with pytest.raises(SettingsError, match="cannot read"):
        read_cluster_secret(RelaySettings(cluster_secret_file=str(tmp_path / "missing")))
