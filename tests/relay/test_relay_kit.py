"""The relay deployment kit (installer/relay/) checked by the real tools an operator runs.

Debian 12's own Caddy and nginx must accept the shipped configs, nft must accept the firewall
file, and the documented install command must give a working relay without dependency errors.
The session through each proxy is in test_behind_proxy.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest

from tests.relay.proxies import (
    KIT,
    ROOT,
    free_port,
    need,
    render_caddyfile,
    render_nginx,
    server_env,
)
from tests.relay.test_tls import make_cert


def run(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False,
                          env=env, cwd=cwd)


def test_caddy_validates_the_shipped_caddyfile_as_is(tmp_path: Path) -> None:
    # As the operator copies it (validate provisions everything, binds nothing).
    done = run([need("caddy"), "validate", "--config", str(KIT / "Caddyfile"),
                "--adapter", "caddyfile"], env=server_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Valid configuration" in done.stdout + done.stderr


def test_caddy_validates_the_rendered_caddyfile(tmp_path: Path) -> None:
    cert, key = make_cert(tmp_path)
    config = tmp_path / "Caddyfile"
    config.write_text(render_caddyfile(free_port(), free_port(), cert, key, tmp_path / "s"))
    done = run([need("caddy"), "validate", "--config", str(config), "--adapter", "caddyfile"],
               env=server_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_nginx_accepts_the_shipped_site(tmp_path: Path) -> None:
    # The certificate paths are the only thing nginx -t needs to exist; they are rendered.
    cert, key = make_cert(tmp_path)
    config = tmp_path / "nginx.conf"
    config.write_text(render_nginx(free_port(), free_port(), cert, key, tmp_path))
    done = run([need("nginx"), "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(config)])
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


NFT = KIT / "fernhilfe.nft"


def nft_check(path: Path) -> subprocess.CompletedProcess[str]:
    """``nft -c -f path``: parsed and checked by the kernel, nothing applied. Inside a fresh
    user and network namespace when that is possible, so the check never needs the host's
    firewall privileges and could not touch its rules even if -c were forgotten."""
    nft = need("nft")
    own = run(["unshare", "--user", "--map-root-user", "--net", nft, "-c", "-f", str(path)])
    if own.returncode == 0 or "unshare" not in own.stderr:
        return own
    return run([nft, "-c", "-f", str(path)])


def test_nftables_example_is_its_own_table_and_checks() -> None:
    text = NFT.read_text()
    rules = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    rules = [line for line in rules if line]
    assert "flush ruleset" not in rules, "must not remove the rules of other tools"
    assert "table inet fernhilfe {" in rules
    assert not any(line.startswith(("table ", "delete table ")) and "fernhilfe" not in line
                   for line in rules), "touches only its own table"
    # SSH open from everywhere (no placeholder network that would lock the admin out).
    assert "tcp dport $SSH_PORT accept" in rules and "define SSH_PORT = 22" in rules
    assert not any("saddr" in line for line in rules)
    done = nft_check(NFT)
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        pytest.skip(f"nft -c cannot talk to netfilter in this container: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr


def test_nftables_example_leaves_other_tables_and_reloads_cleanly() -> None:
    """Loaded for real, twice, into a fresh network namespace of its own (never the host's):
    another tool's table survives, and the second load replaces the first instead of adding."""
    nft = need("nft")
    script = (f"{nft} add table inet other && {nft} -f {NFT} && {nft} -f {NFT} && "
              f"{nft} list tables && {nft} list table inet fernhilfe")
    done = run(["unshare", "--user", "--map-root-user", "--net", "sh", "-c", script])
    if done.returncode != 0 and "unshare" in done.stderr:
        pytest.skip(f"no private network namespace here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert "table inet other" in done.stdout
    assert done.stdout.count("tcp dport { 80, 443 } accept") == 1
    assert done.stdout.count("table inet fernhilfe {") == 1


def test_nft_check_does_catch_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nft"
    broken.write_text(NFT.read_text().replace("policy drop;", "policy dorp;"))
    done = nft_check(broken)
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        pytest.skip(f"nft -c cannot talk to netfilter in this container: {done.stderr.strip()}")
    assert done.returncode != 0


def test_relay_package_matches_the_project() -> None:
    """installer/relay/pyproject.toml is the relay's own distribution: same version, the
    relay's dependencies exactly as the project pins them, the same command."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    relay = tomllib.loads((KIT / "pyproject.toml").read_text())["project"]
    assert relay["version"] == project["version"]
    assert set(relay["dependencies"]) <= set(project["dependencies"])
    assert relay["scripts"]["fernhilfe-relay"] == project["scripts"]["fernhilfe-relay"]


@pytest.mark.skipif(os.environ.get("FERNHILFE_OFFLINE") == "1", reason="needs the package index")
def test_documented_install_gives_a_relay_without_dependency_errors(tmp_path: Path) -> None:
    """The guide's install command in a fresh venv: no conflicts, a working fernhilfe-relay."""
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    pip = [str(target / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
        "tests", "bench", "docs"))
    done = run([*pip, "install", "-q", str(source / "installer" / "relay")])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conflict" not in (done.stdout + done.stderr).lower()
    check = run([*pip, "check"])
    assert check.returncode == 0, check.stdout + check.stderr
    installed = run([*pip, "list", "--format=freeze"]).stdout.lower()
    for heavy in ("pyside6", "numpy", "mss", "pynput"):
        assert heavy not in installed, f"the relay must not pull in {heavy}"
    relay = target / "bin" / "fernhilfe-relay"
    helped = run([str(relay), "--help"])
    assert helped.returncode == 0 and "--metrics-allow" in helped.stdout, helped.stderr
    started = subprocess.Popen([str(relay), "--host", "127.0.0.1", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=tmp_path)
    try:
        assert started.stdout is not None
        assert '"listening"' in started.stdout.readline()
    finally:
        started.terminate()
        started.wait(10)
    assert started.returncode == 0
