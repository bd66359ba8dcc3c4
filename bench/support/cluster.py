"""A whole relay cluster on loopback (issue 14): Redis, N relay nodes and HAProxy in front.

Every part is the real one an operator runs, with the shipped files of installer/relay/cluster/:
Debian's ``redis-server`` with ``redis.conf`` and the ACL rules of ``users.acl.example`` (a fresh
password), each node a ``python -m relay`` child process with the cluster settings of the issue
14 contract (relay/settings.py), and Debian's ``haproxy`` with ``haproxy.cfg`` exactly as shipped:
its addresses come from environment variables (the file documents them), set here to free
loopback ports. Only the test switch ``FERNHILFE_FRONT_PLAIN_HTTP`` differs from a server:
plain ws:// on loopback instead of TLS, no chroot or user switch.

Each node listens on a fixed free port, so a node that was killed can be started again where
HAProxy expects it. Everything started here is stopped when the ``with`` block ends, whatever
happened (SIGTERM, then SIGKILL for what does not go in time).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import importlib.util
import io
import json
import os
import resource
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from bench.support.redis import RedisProcess
from bench.support.relay import ROOT, free_port, http_base, kill_process, stop_process
from bench.support.waiting import wait_for
from relay.settings import RelaySettings

KIT = ROOT / "installer" / "relay" / "cluster"
HAPROXY_CFG = KIT / "haproxy.cfg"
REDIS_CONF = KIT / "redis.conf"
REDIS_ACL = KIT / "users.acl.example"
HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin") or "haproxy"
#: The relay's Redis user (users.acl.example) and HAProxy's backend and server names
#: (haproxy.cfg: node1 ... node9, one environment variable each).
REDIS_USER = "fernhilfe-relay"
BACKEND = "fernhilfe_nodes"
MAX_NODES = 9
#: How long a stopped process is given before SIGKILL when the cluster is torn down.
STOP_GRACE = 5.0


class ClusterError(RuntimeError):
    """A part of the cluster did not start (the message carries the end of its log)."""


def cluster_settings_supported() -> bool:
    """True when this relay knows the cluster settings (``redis_url`` and friends) and has its
    Redis state (relay/cluster/redis_state.py); until then the nodes run side by side without
    shared state (HAProxy and Redis still real)."""
    return ("redis_url" in {f.name for f in dataclasses.fields(RelaySettings)}
            and importlib.util.find_spec("relay.cluster.redis_state") is not None)


def hard_file_limit() -> int:
    """The most descriptors a child may open here (HAProxy raises its own limit to it)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return 1_000_000 if hard == resource.RLIM_INFINITY else int(hard)


def _tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return "(no log)"


def _read_reply(stream: io.BufferedIOBase) -> bytes:
    """One whole RESP reply, raw (simple, error, integer, bulk or nested array)."""
    line = stream.readline()
    if not line.endswith(b"\r\n"):
        raise ClusterError(f"redis closed mid-reply: {line[:200]!r}")
    if line[:1] == b"$":
        size = int(line[1:])
        return line + (stream.read(size + 2) if size >= 0 else b"")
    if line[:1] == b"*":
        return line + b"".join(_read_reply(stream) for _ in range(max(0, int(line[1:]))))
    return line


class ClusterRedis(RedisProcess):
    """Redis with the shipped ``redis.conf`` and the shipped ACL rules, the relay's user with a
    fresh password. The default user is off, as on a server, so every probe authenticates."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.password = secrets.token_hex(16)
        self.admin_password = secrets.token_hex(16)
        acl = directory / "users.acl"
        rules = REDIS_ACL.read_text()
        if rules.count(">CHANGE-ME") != 1:
            raise ClusterError(f"{REDIS_ACL} no longer has one >CHANGE-ME password placeholder")
        # The shipped rules with a real password, and (tests only) an admin user for the checks
        # the relay itself may not make (CONFIG GET).
        acl.write_text(rules.replace(">CHANGE-ME", ">" + self.password)
                       + f"user fernhilfe-test-admin on >{self.admin_password} ~* &* +@all\n")
        acl.chmod(0o600)
        # The shipped file, then what must differ on loopback: this ACL file and a pid file of
        # our own (port, folder and log are RedisProcess's command-line overrides).
        wrapper = directory / "redis.conf"
        wrapper.write_text(f'include "{REDIS_CONF}"\naclfile "{acl}"\n'
                           f'pidfile "{directory / "redis.pid"}"\n')
        super().__init__(directory, port, config=wrapper)

    @property
    def url(self) -> str:
        """What every relay node is given as ``redis_url``: the relay's user and password."""
        return f"redis://{REDIS_USER}:{self.password}@127.0.0.1:{self.port}/0"

    @property
    def admin_url(self) -> str:
        """A user with every command (tests only: the relay's user may not CONFIG or FLUSHALL)."""
        return f"redis://fernhilfe-test-admin:{self.admin_password}@127.0.0.1:{self.port}/0"

    def command(self, *args: str, admin: bool = False, timeout: float = 1.0) -> bytes:
        """One command as the relay's user (or the admin), RESP by hand; the raw reply."""
        user, password = (("fernhilfe-test-admin", self.admin_password) if admin
                          else (REDIS_USER, self.password))
        parts = [("AUTH", user, password), args]
        wire = b"".join(
            b"*%d\r\n" % len(p) + b"".join(b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode())
                                          for a in p)
            for p in parts)
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(wire)
            replies = s.makefile("rb")
            auth = _read_reply(replies)
            if auth != b"+OK\r\n":
                raise ClusterError(f"redis AUTH as {user} failed: {auth[:200]!r}")
            return _read_reply(replies)

    def ping(self) -> bool:
        """True when the server answers PING to the relay's user now."""
        try:
            return self.command("PING", timeout=0.5).startswith(b"+PONG")
        except (OSError, ClusterError):
            return False


class NodeProcess:
    """One relay node: ``python -m relay`` on a fixed loopback port (and a fixed internal
    port), so that it can be killed and started again where HAProxy and the registry expect
    it. Its stderr goes to ``<node_id>.log`` in the cluster's folder (appended on restart)."""

    def __init__(self, node_id: str, port: int, flags: Sequence[str], log: Path) -> None:
        self.node_id = node_id
        #: Its server line in haproxy.cfg (node1 ... node9), whatever id the node reports.
        self.server = node_id
        self.port = port
        self.flags = list(flags)
        self.log = log
        self.url = f"ws://127.0.0.1:{port}/v1"
        self.internal_url = ""
        self.proc: subprocess.Popen[str] | None = None
        self.ready: dict[str, str] = {}

    @property
    def http_base(self) -> str:
        """http://127.0.0.1:PORT: /healthz and /metrics of this node, not through HAProxy."""
        return http_base(self.url)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 20.0) -> None:
        """Start the node and wait for its ready line (fails with its log if it exits)."""
        if self.alive:
            raise ClusterError(f"node {self.node_id} is already running")
        with self.log.open("ab") as errors:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", str(self.port),
                 *self.flags],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                text=True)
        assert self.proc.stdout is not None
        line = ""
        deadline = time.monotonic() + timeout
        while not line.endswith("\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                self.kill()
                raise ClusterError(f"node {self.node_id} printed no ready line within "
                                   f"{timeout:g} s:\n{_tail(self.log)}")
            chunk = self.proc.stdout.readline()
            if not chunk:
                self.proc.wait(5)
                raise ClusterError(f"node {self.node_id} exited with {self.proc.returncode}:\n"
                                   f"{_tail(self.log)}")
            line += chunk
        self.ready = json.loads(line)
        if self.ready.get("event") != "listening":
            self.kill()
            raise ClusterError(f"node {self.node_id} said {line!r} instead of listening")
        self.url = self.ready["url"]
        self.node_id = self.ready.get("node", self.node_id)
        self.internal_url = self.ready.get("internal_url", "")
        # Anything it prints later is read away, so a full pipe can never block the relay.
        threading.Thread(target=self._drain, args=(self.proc,), daemon=True).start()

    @staticmethod
    def _drain(proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        with contextlib.suppress(OSError, ValueError):
            for _ in proc.stdout:
                pass

    def terminate(self) -> None:
        """SIGTERM and return at once: the node drains (api14.md, "Behaviour on SIGTERM")."""
        if self.alive:
            assert self.proc is not None
            self.proc.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> int | None:
        """The exit code once the node has exited, None if it still runs after ``timeout``."""
        if self.proc is None:
            return None
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """SIGKILL: no goodbye to anyone, as when the node's machine dies."""
        kill_process(self.proc)

    def stop(self, grace: float = STOP_GRACE) -> None:
        """SIGTERM, SIGKILL after ``grace`` seconds (teardown)."""
        stop_process(self.proc, grace)


class Cluster:
    """Redis, ``nodes`` relay nodes and (by default) HAProxy in front, all on loopback.

    ``url`` is where agents and consoles connect: HAProxy's front, or node 0 without HAProxy.
    ``relay_flags`` are added to every node's command line (e.g. ``--drain-timeout 5``).
    """

    def __init__(self, tmp: Path, nodes: int = 3, haproxy: bool = True,
                 relay_flags: Sequence[str] = ()) -> None:
        if not 1 <= nodes <= MAX_NODES:
            raise ValueError(f"1 to {MAX_NODES} nodes (haproxy.cfg has {MAX_NODES} server lines)")
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.clustered = cluster_settings_supported()
        self.secret_file = tmp / "cluster-secret"
        self.secret_file.write_text(secrets.token_hex(32) + "\n")
        self.secret_file.chmod(0o600)
        self.redis: RedisProcess = ClusterRedis(tmp / "redis")
        self.with_haproxy = haproxy
        self.nodes: list[NodeProcess] = []
        for index in range(nodes):
            node_id = f"node{index + 1}"  # the same name as its server line in haproxy.cfg
            flags = ["--log-level", "info"]
            if haproxy:  # HAProxy's X-Forwarded-For is believed: limits see the real client
                flags += ["--trusted-proxies", "127.0.0.1"]
            if self.clustered:
                flags += ["--redis-url", self.redis.url, "--node-id", node_id,
                          "--internal-host", "127.0.0.1", "--internal-port", str(free_port()),
                          "--cluster-secret-file", str(self.secret_file)]
            self.nodes.append(NodeProcess(node_id, free_port(), [*flags, *relay_flags],
                                          tmp / f"{node_id}.log"))
        self.front_port = free_port()
        self.stats_port = free_port()
        self.haproxy_log = tmp / "haproxy.log"
        self.haproxy: subprocess.Popen[bytes] | None = None
        # The runtime API socket: a short path of its own (a Unix socket path has ~107 bytes).
        self._socket_dir = Path(tempfile.mkdtemp(prefix="fh-haproxy-"))
        self.admin_socket = self._socket_dir / "admin.sock"

    @property
    def url(self) -> str:
        if self.with_haproxy:
            return f"ws://127.0.0.1:{self.front_port}/v1"
        return self.nodes[0].url

    @property
    def front_http(self) -> str:
        """http://127.0.0.1:PORT of the front (HAProxy, or node 0)."""
        return http_base(self.url)

    # ------------------------------------------------------------------ life cycle

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def start(self, timeout: float = 30.0) -> None:
        """Redis, every node, HAProxy; returns when HAProxy sees every node UP."""
        self.redis.start()
        for node in self.nodes:
            node.start()
        if self.with_haproxy:
            self.start_haproxy()
        self.wait_healthy(timeout)

    def haproxy_env(self) -> dict[str, str]:
        """The environment haproxy.cfg documents, for this cluster's loopback ports."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("FERNHILFE_")}
        env.update(FERNHILFE_FRONT_PLAIN_HTTP="1",
                   FERNHILFE_FRONT=f"127.0.0.1:{self.front_port}",
                   FERNHILFE_STATS=f"127.0.0.1:{self.stats_port}",
                   FERNHILFE_ADMIN_SOCKET=str(self.admin_socket),
                   # Two descriptors a connection, within this machine's hard limit.
                   FERNHILFE_MAXCONN=str(min(40_000, (hard_file_limit() - 200) // 2)))
        for index, node in enumerate(self.nodes):
            env[f"FERNHILFE_NODE{index + 1}"] = f"127.0.0.1:{node.port}"
        return env

    def start_haproxy(self, timeout: float = 15.0) -> None:
        """Debian's haproxy in the foreground with the shipped haproxy.cfg."""
        with self.haproxy_log.open("ab") as out:
            self.haproxy = subprocess.Popen(
                [HAPROXY, "-db", "-f", str(HAPROXY_CFG)], cwd=self.tmp, env=self.haproxy_env(),
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)

        def answering() -> bool:
            if self.haproxy is None or self.haproxy.poll() is not None:
                raise ClusterError(f"haproxy exited:\n{_tail(self.haproxy_log)}")
            try:
                self.haproxy_status()
            except OSError:
                return False
            return True

        wait_for(answering, timeout, "haproxy's stats page", step=0.05)

    def close(self) -> None:
        """Stop everything this cluster started (HAProxy, nodes, Redis), whatever state."""
        try:
            stop_process(self.haproxy, STOP_GRACE)
            for node in self.nodes:
                node.terminate()
            for node in self.nodes:
                node.stop()
        finally:
            self.redis.stop()
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    # ------------------------------------------------------------------ health

    def haproxy_stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's counters of each server by name (``NodeProcess.server``): its stats page
        as CSV (``status``, ``scur`` open connections, ``wretr`` retries, ``wredis``
        redispatches, ...; docs/management.txt, "show stat")."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/stats;csv",
                                    timeout=2) as response:
            text = response.read().decode()
        rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
        return {row["svname"]: row for row in rows
                if row["pxname"] == BACKEND and row["svname"] not in ("FRONTEND", "BACKEND")}

    def haproxy_status(self) -> dict[str, str]:
        """HAProxy's view of each server by name: "UP", "DOWN", "UP 1/2" (going down),
        "DOWN 1/2" (coming up), "MAINT", ..."""
        return {name: row["status"] for name, row in self.haproxy_stats().items()}

    def node_healthy(self, node: NodeProcess) -> bool:
        """The node's own /healthz answers 200 now."""
        try:
            with urllib.request.urlopen(node.http_base + "/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except (OSError, urllib.error.HTTPError):
            return False

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Until every running node is UP for HAProxy (without HAProxy: answers /healthz)."""
        def healthy() -> bool:
            running = [n for n in self.nodes if n.alive]
            if not self.with_haproxy:
                return all(self.node_healthy(n) for n in running)
            try:
                status = self.haproxy_status()
            except OSError:
                return False
            return all(status.get(n.server) == "UP" for n in running)

        try:
            wait_for(healthy, timeout, "every running node UP", step=0.1)
        except TimeoutError as exc:
            view = self.haproxy_status() if self.with_haproxy else {}
            raise TimeoutError(f"{exc}; haproxy sees {view}") from exc

    def node_for_id(self, node_id: str) -> NodeProcess:
        """The node with this id (as the registry and HAProxy's server lines name it)."""
        for node in self.nodes:
            if node.node_id == node_id:
                return node
        raise KeyError(node_id)
