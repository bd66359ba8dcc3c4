"""Relay settings: one dataclass, filled from flags > environment > TOML file > defaults.

Every limit the relay enforces lives here so operators tune it in one place. Environment
variables are ``FERNHILFE_RELAY_<FIELD>`` (e.g. ``FERNHILFE_RELAY_MAX_MESSAGE_SIZE``), TOML keys
are the field names (top level or in a ``[relay]`` table), flags are ``--field-name``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from relay.addresses import parse_networks
from shared.channel import MAX_CIPHERTEXT
from shared.errors import FernhilfeError
from shared.hosts import is_loopback
from shared.toml_table import parse_table

ENV_PREFIX = "FERNHILFE_RELAY_"


class SettingsError(FernhilfeError, ValueError):
    """A setting is unknown, has the wrong type, or is unsafe."""


class InsecureBindError(SettingsError):
    """Plain ws:// was asked for on an address other people can reach."""


@dataclass(frozen=True)
class RelaySettings:
    """Every knob of the relay; the defaults are production values."""

    host: str = "127.0.0.1"
    port: int = 8765
    #: Largest websocket message after pairing: the largest sealed message the protocol allows
    #: (shared.channel.MAX_CIPHERTEXT, 8 MiB plaintext + MAC). Smaller values are allowed for
    #: tests; larger ones would only let a peer park more bytes in the relay.
    max_message_size: int = MAX_CIPHERTEXT
    #: Bytes one paired session may forward in total (both directions); 0 means no cap.
    max_session_bytes: int = 0
    #: Open websocket connections in total.
    max_connections: int = 10_000
    #: Every per-address limit counts a client's whole block: IPv4 /ipv4_prefix, IPv6
    #: /ipv6_prefix (a home router typically gets a /56, a server a /64 or more).
    ipv4_prefix: int = 24
    ipv6_prefix: int = 56
    #: Connections from one address block that are not yet paired (refused before the
    #: websocket upgrade with HTTP 429 once reached).
    max_unpaired_per_ip: int = 20
    #: Nameplates one address block may ask for per sliding minute.
    host_attempts_per_minute: int = 30
    #: Join attempts from one address block per sliding minute.
    join_attempts_per_minute: int = 10
    #: Failed joins in a row before the lockout starts, its first length and its cap (seconds).
    join_free_failures: int = 3
    join_lockout_base: float = 2.0
    join_lockout_max: float = 900.0
    #: Relay-wide budget of failed joins per minute (0: off). Above it new nameplates get more
    #: digits (up to 7) for flood_cooldown seconds, and joins naming shorter nameplates pass a
    #: gate of flood_short_joins_per_second, waiting at most flood_join_wait seconds, or are
    #: refused as busy without spending the code.
    failed_joins_per_minute: int = 60
    flood_short_joins_per_second: float = 0.5
    flood_join_wait: float = 2.0
    flood_cooldown: float = 600.0
    #: How long a nameplate waits for a console, and how long any issued one is held back.
    nameplate_lifetime: float = 600.0
    nameplate_hold: float = 86_400.0
    #: Grace period of a dropped session (the clients' default: shared.link.DEFAULT_GRACE):
    #: how long a resume token waits for the other side, and how long a used token is
    #: refused as a replay. A client grace longer than this is cut to it.
    resume_grace: float = 120.0
    #: A paired session with no message either way for this long is closed.
    idle_timeout: float = 900.0
    #: Time from connect to the first rendezvous message (host or join).
    handshake_timeout: float = 10.0
    #: Websocket keepalive pings (None/0 disables) and their timeout.
    ping_interval: float = 20.0
    ping_timeout: float = 20.0
    #: Flow control, per connection: frames parsed ahead before reading pauses, bytes taken
    #: from the socket per read, bytes buffered for sending before a forward waits. Together
    #: they bound what a fast sender parks in the relay per direction: about read_size +
    #: max_queue messages + write_limit (a message is always held whole).
    max_queue: int = 2
    read_size: int = 64 * 1024
    write_limit: int = 64 * 1024
    #: TLS: serve wss:// directly with this certificate chain and key (PEM files).
    tls_cert: str | None = None
    tls_key: str | None = None
    #: A TLS-terminating proxy sits in front: allow plain ws:// on non-loopback addresses.
    #: Requires trusted_proxies: otherwise every client would share the proxy's address and one
    #: guesser would lock out everybody.
    behind_tls_proxy: bool = False
    #: Proxies (IPs or CIDRs) whose ``X-Forwarded-For`` is believed for per-IP limits. Only a
    #: connection from one of them has its client address taken from the header (the last
    #: entry that is not a trusted proxy); from anyone else the header is ignored. Empty: off.
    trusted_proxies: tuple[str, ...] = ()
    #: Who may read /metrics, judged by the TCP peer (never by a header): this computer
    #: (loopback), the trusted_proxies (they filter /metrics themselves, see installer/relay/),
    #: and these IPs or CIDRs (default none). So a relay serving TLS on a public address never
    #: shows its metrics to the world unless the operator lists the Prometheus address here.
    metrics_allow: tuple[str, ...] = ()
    #: Folder of the organisations' signed revocation lists, ``<org key id>.fhrl`` each (made
    #: by ``fernhilfe-org revoke``), served at /.well-known/fernhilfe/revocations/. Read anew on
    #: every request, so replacing a file needs no restart. None: nothing served (404).
    revocations_dir: str | None = None
    log_level: str = "info"
    #: Several nodes behind one name (issue 14; docs/operator-guide.md, "More than one
    #: machine"). Empty: one process, its state in memory (the default). Otherwise the Redis
    #: every node shares its nameplates, resume tokens, limits and registry through.
    redis_url: str = ""
    #: This node's id in the registry (default: ``<hostname>-<port>``).
    node_id: str = ""
    #: The listener other nodes attach to (a console that joined there, an agent waiting
    #: here). Keep it off the internet: firewall it to the other nodes. Port 0: any free port.
    internal_host: str = "127.0.0.1"
    internal_port: int = 0
    #: What other nodes use to reach it (default ``ws://<internal_host>:<bound port>/internal/v1``).
    internal_url: str = ""
    #: File with the secret every node of the cluster shares (at least 32 bytes): an attach
    #: proves it. Required with redis_url; with it, the internal listener runs.
    cluster_secret_file: str = ""
    #: On SIGTERM: seconds the node keeps forwarding its sessions before it tells the rest
    #: ``shutting_down`` (they resume on another node); a second signal ends the wait at once.
    drain_timeout: float = 30.0
    #: Registry heartbeats; a node is dead after three missed.
    heartbeat_interval: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise SettingsError(f"{f.name} must not be negative")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise SettingsError("tls_cert and tls_key must be given together")
        if not 4096 <= self.max_message_size <= MAX_CIPHERTEXT:
            raise SettingsError(
                f"max_message_size must be between 4096 and {MAX_CIPHERTEXT} (the largest "
                "sealed message the protocol allows)"
            )
        if not 1 <= self.ipv4_prefix <= 32:
            raise SettingsError("ipv4_prefix must be between 1 and 32")
        if not 1 <= self.ipv6_prefix <= 128:
            raise SettingsError("ipv6_prefix must be between 1 and 128")
        if self.flood_short_joins_per_second <= 0:
            raise SettingsError("flood_short_joins_per_second must be above 0")
        if self.read_size < 1024:
            raise SettingsError("read_size must be at least 1024")
        for name in ("trusted_proxies", "metrics_allow"):
            entries = getattr(self, name)
            if isinstance(entries, str) or not all(isinstance(p, str) for p in entries):
                raise SettingsError(f"{name} must be a list of IP addresses or networks")
            object.__setattr__(self, name, tuple(p.strip() for p in entries))
            try:
                parse_networks(getattr(self, name))
            except ValueError as exc:
                raise SettingsError(f"{name}: {exc}") from exc
        if self.redis_url and not self.cluster_secret_file:
            raise SettingsError(
                "redis_url is set but cluster_secret_file is not: the nodes of a cluster prove "
                "a shared secret when they attach to each other. Write at least 32 random bytes "
                "to a file only the relay's user can read (e.g. `head -c 32 /dev/urandom > "
                "/etc/fernhilfe/cluster.secret`) and set cluster_secret_file to it on every node"
            )
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError("redis_url must start with redis://, rediss:// or unix://")
        if self.heartbeat_interval <= 0:
            raise SettingsError("heartbeat_interval must be above 0")
        if self.internal_port > 65535:
            raise SettingsError("internal_port must be at most 65535")
        if self.internal_url and not self.internal_url.startswith(("ws://", "wss://")):
            raise SettingsError("internal_url must start with ws:// or wss://")
        if self.behind_tls_proxy and not self.trusted_proxies:
            raise SettingsError(
                "behind_tls_proxy is set but trusted_proxies is empty: every client would share "
                "the proxy's address, so one guesser could lock out all technicians. Set "
                "trusted_proxies to the address(es) your proxy connects from (e.g. "
                '["127.0.0.1", "::1"]; see docs/operator-guide.md, section 4)'
            )


_FIELDS = {f.name: f for f in fields(RelaySettings)}


def _field_kind(name: str) -> type:
    """The scalar type of a field (its annotation is a string under postponed evaluation)."""
    annotation = str(_FIELDS[name].type)
    for kind in (bool, int, float, tuple):
        if annotation.startswith(kind.__name__):
            return kind
    return str


def _convert(name: str, value: Any, source: str) -> Any:
    """Coerce ``value`` from ``source`` to the type of field ``name``, strictly."""
    if name not in _FIELDS:
        raise SettingsError(f"unknown relay setting {name!r} in {source}")
    kind = _field_kind(name)
    if kind is tuple:
        if isinstance(value, str):
            return split_list(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise SettingsError(f"{name} in {source} must be a list of strings")
    if isinstance(value, str) and source != "TOML":
        text = value.strip()
        if kind is bool:
            lowered = text.lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise SettingsError(f"{name} in {source} must be true or false, not {value!r}")
        if kind in (int, float):
            try:
                return kind(text)
            except ValueError as exc:
                raise SettingsError(f"{name} in {source} must be a number, not {value!r}") from exc
        return text
    if kind is bool and isinstance(value, bool):
        return value
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind is str and isinstance(value, str):
        return value
    raise SettingsError(f"{name} in {source} must be of type {kind.__name__}")


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"cannot read relay config {path}: {exc.strerror}") from exc
    table = parse_table(data, f"relay config {path}", "relay", error=SettingsError,
                        only_section=True)
    return {key: _convert(key, value, "TOML") for key, value in table.items()}


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or key == ENV_PREFIX + "CONFIG":
            continue
        name = key[len(ENV_PREFIX) :].lower()
        values[name] = _convert(name, value, f"environment variable {key}")
    return values


def build_parser() -> argparse.ArgumentParser:
    """The command line: one flag per setting, plus --config; unset flags stay absent."""
    parser = argparse.ArgumentParser(
        prog="fernhilfe-relay",
        description="Fernhilfe rendezvous relay: pairs agents and consoles, forwards blindly.",
        argument_default=argparse.SUPPRESS,
    )
    parser.add_argument(
        "--config", help="TOML file with relay settings (or FERNHILFE_RELAY_CONFIG)"
    )
    for name, f in _FIELDS.items():
        flag = "--" + name.replace("_", "-")
        kind = _field_kind(name)
        default = f.default
        if kind is bool:
            parser.add_argument(flag, action="store_true", help=f"(default {default})")
        elif kind is tuple:
            parser.add_argument(
                flag, type=split_list, metavar="LIST", help=f"comma-separated (default {default})"
            )
        else:
            parser.add_argument(
                flag, type=kind, metavar=kind.__name__.upper(), help=f"(default {default})"
            )
    return parser


def split_list(text: str) -> tuple[str, ...]:
    """``"a, b c"`` → ``("a", "b", "c")``: list settings in flags and environment variables."""
    return tuple(item for item in text.replace(",", " ").split() if item)


def load_settings(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> RelaySettings:
    """Settings from flags > environment > TOML file > defaults."""
    environ = os.environ if environ is None else environ
    args = vars(build_parser().parse_args(argv))
    config = args.pop("config", None) or environ.get(ENV_PREFIX + "CONFIG")
    merged: dict[str, Any] = {}
    if config:
        merged.update(_from_toml(Path(config)))
    merged.update(_from_env(environ))
    merged.update(args)
    try:
        return RelaySettings(**merged)
    except TypeError as exc:
        raise SettingsError(str(exc)) from exc


def check_transport_security(settings: RelaySettings) -> None:
    """Refuse plain ws:// on a reachable address unless TLS is served or a TLS proxy is in front."""
    if settings.tls_cert is not None or settings.behind_tls_proxy:
        return
    if not is_loopback(settings.host):
        raise InsecureBindError(
            f"refusing plain ws:// on {settings.host!r}: pass --tls-cert/--tls-key to serve "
            "wss://, or --behind-tls-proxy if a TLS-terminating proxy is in front"
        )


MIN_CLUSTER_SECRET = 32


def read_cluster_secret(settings: RelaySettings) -> bytes | None:
    """The cluster secret (None: no cluster_secret_file, no internal listener). It must be at
    least :data:`MIN_CLUSTER_SECRET` bytes; a short or unreadable file is refused at start, not
    found out when the first attach fails."""
    if not settings.cluster_secret_file:  # (redis_url without it is refused by the settings)
        return None
    path = Path(settings.cluster_secret_file)
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise SettingsError(f"cannot read cluster_secret_file {path}: {exc.strerror}") from exc
    if len(secret) < MIN_CLUSTER_SECRET:
        raise SettingsError(
            f"cluster_secret_file {path} holds {len(secret)} bytes; at least "
            f"{MIN_CLUSTER_SECRET} are needed (e.g. `head -c 32 /dev/urandom | base64 > {path}`)"
        )
    return secret


def check_revocations_dir(settings: RelaySettings) -> None:
    """A configured revocations folder must exist now: a typo would otherwise only show as
    every agent saying its organisation's list is missing."""
    folder = settings.revocations_dir
    if folder and not Path(folder).is_dir():
        raise SettingsError(
            f"revocations_dir {folder!r} is not a folder: create it (the relay's user must be "
            "able to read it) or remove the setting; see docs/operator-guide.md, section "
            '"Revocation lists"'
        )


def replace(settings: RelaySettings, **changes: Any) -> RelaySettings:
    """A copy of ``settings`` with ``changes`` (for tests and embedding)."""
    return dataclasses.replace(settings, **changes)
