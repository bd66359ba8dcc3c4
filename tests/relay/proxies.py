"""The relay kit's real servers (Debian's Caddy and nginx) and the real relay, on loopback.

The shipped files in installer/relay/ are *rendered* for a test: the operator's placeholders
(host name, monitoring address, relay port, certificate paths) are replaced by loopback values,
each replacement must find its placeholder (so a changed file fails here instead of silently
testing something else), and every listening socket is bound to 127.0.0.1. Each server runs as a
plain child process with its pid, logs, state and temp files under the test's own directory:
never the packaged service, never a public address.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.support.relay import free_port

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "installer" / "relay"
#: Rendered in place of the operator's Prometheus address (192.0.2.10 in the shipped files).
MONITOR = "127.0.0.9"


class KitError(AssertionError):
    """A shipped file no longer has the shape the rendering expects, or a server failed."""


def need(program: str) -> str:
    """The path of a packaged server program; scripts/setup.sh installs them."""
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin")
    if path is None:
        raise KitError(f"{program} is not installed: run scripts/setup.sh (apt package {program})")
    return path


def replace_once(text: str, old: str, new: str, *, count: int = 1) -> str:
    """``text`` with ``old`` replaced; the placeholder must occur exactly ``count`` times."""
    found = text.count(old)
    if found != count:
        raise KitError(f"expected {count}× {old!r} in the shipped file, found {found}")
    return text.replace(old, new)


def render_caddyfile(relay_port: int, port: int, cert: Path, key: Path, state: Path) -> str:
    """The shipped Caddyfile for https://127.0.0.1:``port`` with a given certificate.

    Global options keep Caddy to itself: no admin endpoint, no HTTP->HTTPS redirect listener,
    its storage under ``state``; ``bind`` keeps the site on loopback (Caddy 2.6 binds all
    interfaces otherwise).
    """
    text = (KIT / "Caddyfile").read_text()
    text = replace_once(text, "relay.example.com {",
                        f"https://127.0.0.1:{port} {{\n\tbind 127.0.0.1\n\ttls {cert} {key}")
    text = replace_once(text, "127.0.0.1:8765", f"127.0.0.1:{relay_port}", count=4)
    text = replace_once(text, "remote_ip 192.0.2.10/32", f"remote_ip {MONITOR}/32")
    options = (
        "{\n\tadmin off\n\tauto_https disable_redirects\n\tskip_install_trust\n"
        f"\thttp_port {free_port()}\n\tstorage file_system {state}\n}}\n\n"
    )
    return options + text


def render_nginx(relay_port: int, port: int, cert: Path, key: Path, state: Path) -> str:
    """A whole nginx.conf around the shipped site file, for https://127.0.0.1:``port``."""
    text = (KIT / "nginx.conf").read_text()
    text = replace_once(text, "listen 80;", f"listen 127.0.0.1:{free_port()};")
    text = replace_once(text, "listen [::]:80;", "")
    text = replace_once(text, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    text = replace_once(text, "listen [::]:443 ssl;", "")
    text = replace_once(text, "/etc/letsencrypt/live/relay.example.com/fullchain.pem", str(cert))
    text = replace_once(text, "/etc/letsencrypt/live/relay.example.com/privkey.pem", str(key))
    text = replace_once(text, "server 127.0.0.1:8765;", f"server 127.0.0.1:{relay_port};")
    text = replace_once(text, "allow 192.0.2.10;", f"allow {MONITOR};")
    text = replace_once(text, "/var/log/nginx/fernhilfe-relay.access.log",
                        str(state / "access.log"))
    text = replace_once(text, "/var/www/html", str(state))
    site = state / "fernhilfe-relay.conf"
    site.write_text(text)
    temp = "\n".join(f"    {kind}_temp_path {state / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        "# The main file Debian's /etc/nginx/nginx.conf would be, reduced to what the site needs.\n"
        f"pid {state / 'nginx.pid'};\nerror_log {state / 'error.log'} info;\n"
        # One process as the test's user: no workers switching to another user that could not
        # read the test's directory.
        "master_process off;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n{temp}\n    access_log off;\n    include {site};\n}}\n"
    )


def server_env(state: Path) -> dict[str, str]:
    """Environment for a server child: its home and XDG directories under ``state``."""
    env = dict(os.environ)
    env.update(HOME=str(state), XDG_CONFIG_HOME=str(state / "config"),
               XDG_DATA_HOME=str(state / "data"))
    return env


def stop(proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 5.0) -> None:
    """Terminate a child and reap it, killing it when it does not stop in time."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path,
                   timeout: float = 20) -> None:
    """Until something accepts on 127.0.0.1:``port``; fails with the server's log if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise KitError(f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise KitError(f"nothing listens on port {port} after {timeout} s:\n{log.read_text()[-3000:]}")


@dataclass
class Relay:
    port: int
    log: Path


@contextmanager
def relay_process(state: Path, *flags: str) -> Iterator[Relay]:
    """``python -m relay`` on 127.0.0.1 with the shipped example settings plus ``flags``."""
    log = state / "relay.log"
    with log.open("wb") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "relay", "--config", str(KIT / "relay.example.toml"),
             "--host", "127.0.0.1", "--port", "0", *flags],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            proc.wait(5)
            raise KitError(f"the relay did not start:\n{log.read_text()[-3000:]}")
        url = json.loads(line)["url"]
        yield Relay(int(url.rsplit(":", 1)[1].split("/")[0]), log)
    finally:
        stop(proc)


@contextmanager
def proxy_process(kind: str, relay_port: int, cert: Path, key: Path, state: Path
                  ) -> Iterator[int]:
    """Caddy or nginx in front of the relay on a free loopback port; yields that port."""
    state.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = state / f"{kind}.log"
    if kind == "caddy":
        config = state / "Caddyfile"
        config.write_text(render_caddyfile(relay_port, port, cert, key, state / "storage"))
        argv = [need("caddy"), "run", "--config", str(config), "--adapter", "caddyfile"]
    elif kind == "nginx":
        config = state / "nginx.conf"
        config.write_text(render_nginx(relay_port, port, cert, key, state))
        argv = [need("nginx"), "-e", "stderr", "-p", str(state), "-c", str(config),
                "-g", "daemon off;"]
    else:
        raise ValueError(kind)
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=state, env=server_env(state), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, proc, log)
        yield port
    finally:
        stop(proc)
