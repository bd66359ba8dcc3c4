"""Where the agent learns its relay and branding, without asking the customer anything.

Order of precedence (first wins): command-line flag, environment variable ``FERNHILFE_RELAY_URL``,
``fernhilfe-agent.toml`` beside the program, the branding baked in at build time
(``agent/branding.toml`` inside the package or bundle), and finally the built-in defaults.

Except in a *branded, frozen* agent (the one-file program a support company hands out, with its
branding baked in): there the built-in settings win over a file beside the program and over the
environment variable. The program usually sits in the Downloads folder, where anyone who can
drop a file could otherwise point the customer at their own relay, name and phone number. Only an
unbranded build honours a side file, and then the code window says so ("Settings from ...").

The trust settings (``trusted_organisations``, ``require_verified``, ``revocation_url``) come
from the baked branding file only, in every build: a file beside the program that names one of
them is refused with a :class:`ConfigError`. Otherwise a planted file could add a scammer's
organisation key (and so a "verified" mark for them) or switch the policy off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from shared.errors import FernhilfeError
from shared.hosts import is_loopback
from shared.identity.keys import parse_org_key
from shared.identity.revocation import REVOCATION_PATH_TEMPLATE
from shared.link import DEFAULT_GRACE, check_grace
from shared.share_check import DEFAULT_MINUTES, check_minutes
from shared.toml_table import parse_table

CONFIG_FILE_NAME = "fernhilfe-agent.toml"
#: The branding's ``max_file_mb``: default and range (MiB) of the largest file received.
DEFAULT_MAX_FILE_MB = 4096
MIN_FILE_MB = 1
MAX_FILE_MB = 65536
BRANDING_FILE = Path(__file__).with_name("branding.toml")


class ConfigError(FernhilfeError):
    """The agent's configuration or branding file cannot be used."""


@dataclass(frozen=True)
class AgentConfig:
    """Everything the agent needs before it can show a code."""

    relay_url: str = "ws://127.0.0.1:8765/v1"
    organisation: str = "Fernhilfe"
    support_phone: str = ""
    accent_colour: str = "#1565c0"
    logo: str = ""  # PNG path; a relative one is resolved against the file that named it
    language: str = ""  # empty: follow the system locale
    #: organisation public keys ("fhorg1:..."), whose technicians the consent dialog shows as
    #: verified; from the baked branding only
    trusted_organisations: tuple[str, ...] = ()
    #: refuse every technician who is not verified, before any consent dialog
    require_verified: bool = False
    #: where each organisation's revocation list is fetched, with ``{key_id}``; empty: derived
    #: from ``relay_url`` (see :func:`revocation_url_template`)
    revocation_url: str = ""
    side_file: str = ""  # the honoured fernhilfe-agent.toml (shown to the customer); not a setting
    #: seconds a running session survives a silent link before it ends as "connection lost"
    #: (``grace_period = 120`` in the file; shared.link.check_grace says the range)
    grace_period: float = DEFAULT_GRACE
    #: minutes of sharing before the customer is asked "still sharing?" (10..120; issue 15)
    still_sharing_minutes: int = DEFAULT_MINUTES
    #: the largest file (MiB) the technician may send into this computer (issue 17; 1..65536):
    #: a bigger offer is refused before a byte of it is written
    max_file_mb: int = DEFAULT_MAX_FILE_MB

    @property
    def max_file_size(self) -> int:
        """:attr:`max_file_mb` in bytes, as the session's ``max_file_size`` takes it."""
        return self.max_file_mb * 1024 * 1024

    def merged(self, values: dict[str, object], source: str, *, trust: bool = True
               ) -> AgentConfig:
        """This configuration with ``values`` from ``source`` applied, each checked; ``trust``
        False refuses the trust settings (a file beside the program)."""
        known = {f.name for f in fields(self)} - {"side_file"}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"{source}: unknown setting(s) {', '.join(sorted(unknown))}")
        if not trust and set(values) & set(TRUST_SETTINGS):
            named = ", ".join(sorted(set(values) & set(TRUST_SETTINGS)))
            raise ConfigError(
                f"{source}: {named} can only be set in the branding built into the program, "
                "never in a file beside it")
        checked: dict[str, object] = {}
        for key, value in values.items():
            checked[key] = _CHECKS.get(key, _check_string)(key, value, source)
        config = replace(self, **checked)  # type: ignore[arg-type]
        if config.require_verified and not config.trusted_organisations:
            raise ConfigError(
                f"{source}: require_verified = true needs at least one key in "
                "trusted_organisations (otherwise every technician would be refused)")
        if config.trusted_organisations and set(checked) & {"relay_url", *TRUST_SETTINGS}:
            revocation_url_template(config)  # where the lists come from: a ConfigError names it
        return config


TRUST_SETTINGS = ("trusted_organisations", "require_verified", "revocation_url")
#: the most trusted organisation keys a branding may list (each costs a fetch per code)
MAX_TRUSTED_ORGANISATIONS = 16


def _check_string(key: str, value: object, source: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{source}: setting {key!r} must be a string")
    return value


def _check_bool(key: str, value: object, source: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{source}: setting {key!r} must be true or false (without quotes)")
    return value


def _check_org_keys(key: str, value: object, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: setting {key!r} must be a list of strings, e.g. "
                          '["fhorg1:..."]')
    if len(value) > MAX_TRUSTED_ORGANISATIONS:
        raise ConfigError(f"{source}: setting {key!r} lists more than "
                          f"{MAX_TRUSTED_ORGANISATIONS} keys")
    keys: list[str] = []
    for index, text in enumerate(value):
        try:
            parse_org_key(text.strip())
        except FernhilfeError as exc:
            raise ConfigError(f"{source}: setting {key!r}, entry {index + 1}: {exc}") from exc
        if text.strip() not in keys:
            keys.append(text.strip())
    return tuple(keys)


def _check_template(key: str, value: object, source: str) -> str:
    text = _check_string(key, value, source).strip()
    if text and text.count("{key_id}") != 1:
        raise ConfigError(f"{source}: setting {key!r} must contain {{key_id}} exactly once, "
                          "e.g. https://example.com/revocations/{key_id}.fhrl")
    return text


def _check_grace(key: str, value: object, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{source}: setting {key!r} must be a number of seconds")
    try:
        return check_grace(value)
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}") from exc


def check_file_mb(value: object) -> int:
    """The branding's ``max_file_mb`` checked (ValueError says why): the agent's reader and
    the one-file build's use this one rule."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number of MiB (without quotes), {MIN_FILE_MB} to "
                         f"{MAX_FILE_MB}")
    if not MIN_FILE_MB <= value <= MAX_FILE_MB:
        raise ValueError(f"must be between {MIN_FILE_MB} and {MAX_FILE_MB} (MiB), not {value}")
    return value


def _check_file_mb(key: str, value: object, source: str) -> int:
    try:
        return check_file_mb(value)
    except ValueError as exc:
        raise ConfigError(f"{source}: setting {key!r} {exc}") from exc


def _check_minutes(key: str, value: object, source: str) -> int:
    try:
        return check_minutes(value)
    except ValueError as exc:
        raise ConfigError(f"{source}: setting {key!r} {exc}") from exc


#: The settings that are not plain strings, each with its check (the rest: _check_string).
_CHECKS = {
    "trusted_organisations": _check_org_keys,
    "require_verified": _check_bool,
    "revocation_url": _check_template,
    "grace_period": _check_grace,
    "still_sharing_minutes": _check_minutes,
    "max_file_mb": _check_file_mb,
}


def revocation_url_template(config: AgentConfig) -> str:
    """The URL of each trusted organisation's revocation list, with ``{key_id}`` left in.

    ``revocation_url`` when set; else the relay's own address with ``wss`` -> ``https`` (``ws``
    -> ``http``), the same host and port, and the well-known path the relay serves. ``http``
    only to loopback, like ``ws``: the list is signed, but who asks for it is private."""
    own = config.revocation_url.strip()
    if own:
        parts = urlsplit(own)
        key = "revocation_url"
    else:
        relay = urlsplit(config.relay_url.strip())
        scheme = {"wss": "https", "ws": "http"}.get(relay.scheme, relay.scheme)
        parts = relay._replace(scheme=scheme, path=REVOCATION_PATH_TEMPLATE, query="",
                               fragment="")
        key = "relay_url"
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"setting {key!r}: {urlunsplit(parts)!r} is not an https:// address")
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigError(f"setting {key!r}: {urlunsplit(parts)!r} is not encrypted; plain "
                          "http:// is only allowed to this computer (use https://)")
    if parts.username or parts.password or parts.fragment:
        raise ConfigError(f"setting {key!r}: the address must not contain credentials or a #")
    return urlunsplit(parts)


def program_dir() -> Path:
    """The folder the customer started the agent from (the bundle's folder when frozen)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0] else Path.cwd()


def _read_toml(path: Path) -> dict[str, object]:
    section = parse_table(path.read_bytes(), str(path), "agent", error=ConfigError)
    logo = section.get("logo")
    if isinstance(logo, str) and logo.strip() and not Path(logo.strip()).is_absolute():
        # The bundle's baked file says "branding-logo.png": it lies beside that file.
        section = {**section, "logo": str(path.resolve().parent / logo.strip())}
    return section


def load_config(
    relay_url_flag: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    beside: Path | None = None,
    branding: Path = BRANDING_FILE,
    frozen: bool | None = None,
) -> AgentConfig:
    """Build the effective configuration from all sources (see module docstring)."""
    env = os.environ if env is None else env
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    config = AgentConfig()
    branded = branding.is_file()
    if branded:
        config = config.merged(_read_toml(branding), str(branding))
    if frozen and branded:
        # Built-in settings win: a planted side file or variable must not re-route the customer.
        if relay_url_flag:
            config = replace(config, relay_url=relay_url_flag)
        return config
    local = (beside or program_dir()) / CONFIG_FILE_NAME
    if local.is_file():
        config = config.merged(_read_toml(local), str(local), trust=False)
        config = replace(config, side_file=str(local.resolve()))
    if env.get("FERNHILFE_RELAY_URL"):
        config = replace(config, relay_url=env["FERNHILFE_RELAY_URL"])
    if relay_url_flag:
        config = replace(config, relay_url=relay_url_flag)
    return config
