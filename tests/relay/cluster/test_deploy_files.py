"""installer/relay/cluster/: the shipped cluster files, checked by the real tools an operator runs.

HAProxy must accept haproxy.cfg both as the tests run it (plain HTTP on loopback) and as a
server runs it (TLS with a certificate), with the front-end choices the guide promises; Debian's
redis-server must start with redis.conf and the shipped ACL rules, keep its data across a
SIGKILL (append-only file) and never evict; systemd must accept the template unit, rate its
exposure as low as the single relay's, and stop it only after the node had time to drain.
The cluster running through these files is tests/relay/cluster/test_harness.py.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import socket
import subprocess
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.support.cluster import (
    HAPROXY,
    HAPROXY_CFG,
    KIT,
    ClusterRedis,
)
from bench.support.relay import free_port
from relay.settings import RelaySettings, load_settings
from tests.relay.test_tls import make_cert

UNIT = KIT / "fernhilfe-relay@.service"
SINGLE_UNIT = KIT.parent / "fernhilfe-relay.service"
EXECUTABLE = "/opt/fernhilfe-relay/venv/bin/fernhilfe-relay"
#: The relay knows the cluster settings of api14.md (drain_timeout, internal_port, ...).
SETTINGS_KNOWN = "drain_timeout" in {f.name for f in dataclasses.fields(RelaySettings)}


def run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, env=env)


def haproxy_env(**extra: str) -> dict[str, str]:
    """What the harness gives haproxy: loopback ports, plain HTTP, three nodes."""
    env = {"PATH": "/usr/sbin:/usr/bin:/bin", "FERNHILFE_FRONT_PLAIN_HTTP": "1",
           "FERNHILFE_FRONT": f"127.0.0.1:{free_port()}",
           "FERNHILFE_STATS": f"127.0.0.1:{free_port()}",
           "FERNHILFE_ADMIN_SOCKET": "/tmp/fernhilfe-check.sock", "FERNHILFE_MAXCONN": "2000"}
    for n in (1, 2, 3):
        env[f"FERNHILFE_NODE{n}"] = f"127.0.0.1:{free_port()}"
    env.update(extra)
    return env


def haproxy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([HAPROXY, "-c", "-f", str(HAPROXY_CFG)], env=env)


def test_haproxy_accepts_the_file_as_the_tests_run_it() -> None:
    done = haproxy_check(haproxy_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr and "ALERT" not in done.stderr, done.stderr


def test_haproxy_accepts_the_file_as_a_server_runs_it(tmp_path: Path) -> None:
    """TLS termination with a real certificate file (chain + key in one PEM), port 80 for
    renewals, chroot and user switch: everything haproxy.env.example sets, nothing of the
    test switch."""
    cert, key = make_cert(tmp_path)
    pem = tmp_path / "fernhilfe-relay.pem"
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    env = {"PATH": "/usr/sbin:/usr/bin:/bin", "FERNHILFE_CERT": str(pem)}
    for line in (KIT / "haproxy.env.example").read_text().splitlines():
        if line and not line.startswith("#") and not line.startswith("FERNHILFE_CERT="):
            name, value = line.split("=", 1)
            env[name] = value
    assert {"FERNHILFE_NODE1", "FERNHILFE_NODE2", "FERNHILFE_NODE3"} <= env.keys()
    done = haproxy_check(env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    # Without the certificate file the TLS front cannot start: no silent plain-HTTP fallback.
    env["FERNHILFE_CERT"] = str(tmp_path / "missing.pem")
    assert haproxy_check(env).returncode != 0


def test_an_address_variable_stays_one_word() -> None:
    """HAProxy does not split "${VAR}": a value with a space cannot add a keyword to a server
    line; the whole value is taken as the address, and refused."""
    done = haproxy_check(haproxy_env(FERNHILFE_NODE2="127.0.0.1:1 bogus-keyword"))
    assert done.returncode != 0
    assert "'127.0.0.1:1 bogus-keyword'" in done.stderr, done.stderr
    assert "unknown keyword" not in done.stderr


def test_a_node_without_its_variable_is_left_out() -> None:
    """Nodes 4 to 9 are not set in the tests, and node 3 is not either here: the file is still
    valid, with no server line for them."""
    env = haproxy_env()
    del env["FERNHILFE_NODE3"]
    done = haproxy_check(env)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr


def directives(section: str) -> list[str]:
    """The lines of one haproxy.cfg section, comments and conditions left out."""
    lines, inside = [], False
    for raw in HAPROXY_CFG.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not raw.startswith((" ", "\t", ".")) and line:
            inside = line == section
            continue
        if inside and line and not line.startswith("."):
            lines.append(line)
    return lines


def test_haproxy_front_choices() -> None:
    backend = directives("backend fernhilfe_nodes")
    front = directives("frontend fernhilfe_public")
    defaults = directives("defaults")
    assert "option httpchk" in backend
    assert any(line.startswith("http-check send meth GET uri /healthz") for line in backend)
    assert "http-check expect status 200" in backend
    assert "option redispatch 1" in backend
    assert "retry-on conn-failure empty-response 503" in backend
    assert "balance leastconn" in backend
    server_defaults = next(line for line in backend if line.startswith("default-server"))
    for word in ("check", "slowstart 30s", "maxconn 10000", "fall 2", "rise 2"):
        assert word in server_defaults
    assert len([line for line in backend if line.startswith("server node")]) == 9
    assert "timeout tunnel 10m" in defaults and "timeout client-fin 5s" in defaults
    assert "option forwardfor" in front
    assert front.index("http-request del-header X-Forwarded-For") < front.index(
        "option forwardfor")
    text = HAPROXY_CFG.read_text()
    active = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    # Nothing that would hold frames or cut the sessions a draining node keeps.
    for bad in ("http-buffer-request", "shutdown-sessions", "option httpclose", "compression"):
        assert bad not in active, bad
    # The tunnel outlives the relay's keepalive by far.
    assert 2 * RelaySettings().ping_interval < 600


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[ClusterRedis]:
    server = ClusterRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_redis_config_persists_and_never_evicts(redis: ClusterRedis) -> None:
    def config(name: str) -> str:
        reply = redis.command("CONFIG", "GET", name, admin=True).split(b"\r\n")
        return reply[4].decode()

    assert config("appendonly") == "yes"
    assert config("appendfsync") == "everysec"
    assert config("maxmemory-policy") == "noeviction"
    assert int(config("maxmemory")) == 512 * 1024 * 1024
    assert config("protected-mode") == "yes"
    assert config("bind") == "127.0.0.1"  # the harness's override of the private address


def test_redis_users_are_the_shipped_acl(redis: ClusterRedis) -> None:
    # Nobody without a password (the default user is off).
    with socket.create_connection(("127.0.0.1", redis.port), timeout=2) as s:
        s.sendall(b"PING\r\n")
        assert s.recv(200).startswith(b"-NOAUTH")
    # The relay's user: data, scripts and TIME, no administration and no FLUSHALL or KEYS.
    assert redis.command("SET", "fernhilfe:check", "1") == b"+OK\r\n"
    assert redis.command("TIME").startswith(b"*2\r\n")
    assert redis.command("EVAL", "return redis.call('GET', KEYS[1])", "1",
                         "fernhilfe:check") == b"$1\r\n1\r\n"
    for forbidden in (("CONFIG", "GET", "appendonly"), ("FLUSHALL",), ("KEYS", "*"),
                      ("SHUTDOWN",), ("ACL", "LIST"), ("REPLICAOF", "127.0.0.1", "1")):
        assert redis.command(*forbidden).startswith(b"-NOPERM"), forbidden


def test_redis_keeps_what_it_acknowledged_over_a_kill(redis: ClusterRedis) -> None:
    """appendfsync everysec: what was written more than a second ago survives SIGKILL."""
    assert redis.command("SET", "fernhilfe:held", "24h", "EX", "86400") == b"+OK\r\n"
    time.sleep(1.5)
    redis.kill()
    redis.start()
    assert redis.command("GET", "fernhilfe:held") == b"$3\r\n24h\r\n"
    ttl = int(redis.command("TTL", "fernhilfe:held")[1:])
    assert 86_000 < ttl <= 86_400
    assert any((redis.directory / "appendonlydir").iterdir())


def unit_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def unit_value(path: Path, key: str) -> str:
    values = [line.split("=", 1)[1] for line in unit_lines(path) if line.startswith(key + "=")]
    assert len(values) == 1, (key, values)
    return values[0]


def seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(s|min)?", value)
    assert match, value
    return float(match[1]) * (60 if match[2] == "min" else 1)


def test_unit_hardening_matches_the_single_relay() -> None:
    own = set(unit_lines(UNIT))
    per_instance = ("Description=", "ExecStart=", "EnvironmentFile=", "Documentation=",
                    "TimeoutStopSec=")
    for line in unit_lines(SINGLE_UNIT):
        if not line.startswith(per_instance):
            assert line in own, f"the template lost {line!r}"
    assert unit_value(UNIT, "KillSignal") == "SIGTERM"
    assert "--node-id %i" in unit_value(UNIT, "ExecStart")
    assert "/etc/fernhilfe/nodes/%i.toml" in unit_value(UNIT, "ExecStart")


def test_unit_waits_longer_than_the_node_drains() -> None:
    node = tomllib.loads((KIT / "node.example.toml").read_text())["relay"]
    drain = node["drain_timeout"]
    stop = seconds(unit_value(UNIT, "TimeoutStopSec"))
    assert stop >= drain + 10, "systemd would SIGKILL a draining node"
    if SETTINGS_KNOWN:
        default = float(dataclasses.asdict(RelaySettings())["drain_timeout"])
        assert stop >= default + 10
        # The single relay drains on SIGTERM as well: its unit must wait for it too.
        assert seconds(unit_value(SINGLE_UNIT, "TimeoutStopSec")) >= default + 10


def systemd_analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed here (apt package systemd)")
    return tool


def rendered_unit(tmp_path: Path) -> Path:
    """The unit as an instance file, its program path pointing at a stand-in: verify checks
    that ExecStart is executable, and the relay is not installed under /opt here."""
    stand_in = tmp_path / "fernhilfe-relay"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    text = UNIT.read_text()
    assert text.count(EXECUTABLE) == 1
    unit = tmp_path / "fernhilfe-relay@node1.service"
    unit.write_text(text.replace(EXECUTABLE, str(stand_in)))
    return unit


def test_systemd_accepts_the_template(tmp_path: Path) -> None:
    tool = systemd_analyze()
    unit = rendered_unit(tmp_path)
    done = run([tool, "verify", "--man=no", str(unit)])
    # verify exits 0 even for unknown keys or bad values ("ignoring"): any output is a failure.
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), done.stderr
    # It does catch mistakes (so a silent pass above means something).
    broken = tmp_path / "fernhilfe-relay@node2.service"
    broken.write_text(unit.read_text().replace("TimeoutStopSec=45s", "TimeoutStopSec=45x"))
    done = run([tool, "verify", "--man=no", str(broken)])
    assert "Failed to parse" in done.stderr


def test_systemd_rates_the_template_low_exposure(tmp_path: Path) -> None:
    tool = systemd_analyze()
    done = run([tool, "security", "--offline=true", "--no-pager", str(rendered_unit(tmp_path))])
    match = re.search(r"Overall exposure level for \S+: ([\d.]+) (\w+)", done.stdout)
    assert match, done.stdout + done.stderr
    assert float(match[1]) <= 2.0 and match[2] == "OK", match[0]


@pytest.mark.skipif(not SETTINGS_KNOWN, reason="needs the cluster settings (server lane)")
def test_node_example_is_valid_relay_settings(tmp_path: Path) -> None:
    settings = load_settings(["--config", str(KIT / "node.example.toml")], environ={})
    assert settings.behind_tls_proxy and settings.trusted_proxies == ("10.0.0.10",)
    assert dataclasses.asdict(settings)["internal_port"] == 8766


def test_kit_readme_lists_every_file() -> None:
    readme = (KIT / "README.md").read_text()
    for path in KIT.iterdir():
        if path.name == "README.md":
            continue
        assert f"`{path.name}`" in readme, path.name
