"""One way to read a settings table from TOML text, for the agent's and the relay's files.

Pure: the shells read the bytes (and map their own file errors); this turns them into the table
of settings or a clear :class:`~shared.errors.FernhilfeError` that names where the text came
from. Each caller passes its own error type, so ``except ConfigError`` / ``except
SettingsError`` keep catching what they always did.
"""

from __future__ import annotations

import tomllib
from typing import Any

from shared.errors import FernhilfeError


class TomlError(FernhilfeError, ValueError):
    """A settings file is not valid TOML, or its section is not a table."""


def parse_table(
    data: bytes | str,
    source: str,
    section: str,
    *,
    error: type[FernhilfeError] = TomlError,
    only_section: bool = False,
) -> dict[str, Any]:
    """The settings in ``data``: the ``[section]`` table if there is one, else the top level.

    ``source`` names the text in messages (e.g. ``relay config /etc/relay.toml``). With
    ``only_section`` the ``[section]`` table is used only when it is all the document holds:
    beside other top-level keys it is just an (unknown) setting, for the caller to reject.
    Text that is not UTF-8 or not TOML, and a ``section`` that is not a table, raise ``error``.
    """
    try:
        text = data.decode() if isinstance(data, bytes) else data
        document = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise error(f"{source} is not valid TOML: it is not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source} is not valid TOML: {exc}") from exc
    if section not in document or (only_section and set(document) != {section}):
        return document
    table = document[section]
    if not isinstance(table, dict):
        raise error(f"{source}: [{section}] must be a table")
    return table
