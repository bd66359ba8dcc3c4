"""The one TOML settings reader the agent and the relay share: pure, from text and a name."""

from __future__ import annotations

import pytest

from shared.errors import FernhilfeError
from shared.toml_table import TomlError, parse_table


class MyError(FernhilfeError):
    """A caller's own error type (the agent's ConfigError, the relay's SettingsError)."""


def test_the_section_or_the_top_level() -> None:
    assert parse_table(b'[agent]\nrelay_url = "x"\n', "f", "agent") == {"relay_url": "x"}
    assert parse_table('relay_url = "x"\n', "f", "agent") == {"relay_url": "x"}
    assert parse_table(b"", "f", "agent") == {}
    # Beside other keys the section wins for the agent; the relay wants it alone.
    both = b'other = 1\n[relay]\nport = 2\n'
    assert parse_table(both, "f", "relay") == {"port": 2}
    assert parse_table(both, "f", "relay", only_section=True) == {"other": 1, "relay": {"port": 2}}
    assert parse_table(b"[relay]\nport = 2\n", "f", "relay", only_section=True) == {"port": 2}


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"relay_url = \n", "relay.toml is not valid TOML: "),
        (b"this is not toml", "relay.toml is not valid TOML: "),
        (b'name = "\xff"\n', "relay.toml is not valid TOML: it is not UTF-8 text"),
        (b'relay = "x"\n', r"relay.toml: \[relay\] must be a table"),
    ],
)
def test_bad_text_is_a_clear_error_of_the_callers_type(data: bytes, match: str) -> None:
    with pytest.raises(TomlError, match=match):
        parse_table(data, "relay.toml", "relay")
    with pytest.raises(MyError, match=match):
        parse_table(data, "relay.toml", "relay", error=MyError)
    assert issubclass(TomlError, FernhilfeError) and issubclass(TomlError, ValueError)
