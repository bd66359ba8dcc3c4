"""Where the agent learns its relay and branding, without asking the customer anything.

Order of precedence (first wins): command-line flag, environment variable ``FERNHILFE_RELAY_URL``,
``fernhilfe-agent.toml`` beside the program, the branding baked in at build time
(``agent/branding.toml`` inside the package or bundle), and finally the built-in defaults.

Except in a *branded, frozen* agent (the one-file program a support company hands out, with its
branding baked in): there the built-in settings win over a file beside the program and over the
environment variable. The program usually sits in the Downloads folder, where anyone who can
drop a file could otherwise point the customer at their own relay, name and phone number. Only an
unbranded build honours a side file, and then the code window says so ("Settings from ...").
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from shared.errors import FernhilfeError
from shared.link import DEFAULT_GRACE, check_grace
from shared.toml_table import parse_table

CONFIG_FILE_NAME = "fernhilfe-agent.toml"
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
    side_file: str = ""  # the honoured fernhilfe-agent.toml (shown to the customer); not a setting
    #: seconds a running session survives a silent link before it ends as "connection lost"
    #: (``grace_period = 120`` in the file; shared.link.check_grace says the range)
    grace_period: float = DEFAULT_GRACE

    def merged(self, values: dict[str, object], source: str) -> AgentConfig:
        known = {f.name for f in fields(self)} - {"side_file"}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"{source}: unknown setting(s) {', '.join(sorted(unknown))}")
        for key, value in values.items():
            if key == "grace_period":
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ConfigError(f"{source}: setting 'grace_period' must be a number of "
                                      "seconds")
                try:
                    values = {**values, key: check_grace(value)}
                except ValueError as exc:
                    raise ConfigError(f"{source}: {exc}") from exc
            elif not isinstance(value, str):
                raise ConfigError(f"{source}: setting {key!r} must be a string")
        return replace(self, **values)  # type: ignore[arg-type]


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
        config = config.merged(_read_toml(local), str(local))
        config = replace(config, side_file=str(local.resolve()))
    if env.get("FERNHILFE_RELAY_URL"):
        config = replace(config, relay_url=env["FERNHILFE_RELAY_URL"])
    if relay_url_flag:
        config = replace(config, relay_url=relay_url_flag)
    return config
