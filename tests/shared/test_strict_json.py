"""The one strict JSON reader both protocols use (rendezvous and control messages)."""

import pytest

from shared import messages as m
from shared import rendezvous as rv
from shared import strict_json
from shared.errors import ProtocolError
from shared.strict_json import StrictJSONError


@pytest.mark.parametrize(("text", "why"), [
    ('{"a": 1, "a": 2}', "field 'a' appears twice"),
    ('{"a": {"b": 1, "b": 1}}', "field 'b' appears twice"),
    ('{"a": NaN}', "NaN is not allowed"),
    ("[Infinity]", "Infinity is not allowed"),
    ('{"a": -Infinity}', "-Infinity is not allowed"),
])
def test_duplicates_and_constants_are_refused(text: str, why: str) -> None:
    with pytest.raises(StrictJSONError, match=why):
        strict_json.loads(text)


def test_plain_json_reads_as_usual() -> None:
    assert strict_json.loads('{"a": [1, 2.5, "x", null, true]}') == {
        "a": [1, 2.5, "x", None, True]}
    with pytest.raises(ValueError):
        strict_json.loads("{oops")


def test_both_protocols_turn_it_into_their_own_error() -> None:
    with pytest.raises(ProtocolError, match="other side: field 'reason' appears twice"):
        m.decode(b'\x06{"reason":"timeout","reason":"denied"}')
    with pytest.raises(rv.RendezvousError, match="field 'op' appears twice"):
        rv.parse_client('{"op": "host", "op": "join"}')
    with pytest.raises(rv.RendezvousError, match="NaN is not allowed"):
        rv.parse_client('{"op": NaN}')
