"""Session codes: how people type them, and errors that say what to fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.codes import SessionCode, new_secret, parse_code
from shared.errors import CodeCharacterError, CodeError, CodeLengthError, FernhilfeError


@pytest.mark.parametrize(
    "text",
    [
        "123456789",
        "123 456 789",
        "123-456-789",
        "123.456.789",
        "  123 456 789\n",
        "\t123\u00a0456\u00a0789\u00a0",
        "12 34 56 789",
        "123\u2013456\u2013789",
        "\uff11\uff12\uff13 456 789",  # full-width digits from an IME
    ],
)
def test_parse_accepts_common_spellings(text: str) -> None:
    code = parse_code(text)
    assert code == SessionCode("123", "456789")
    assert code.digits == "123456789"
    assert code.display() == "123 456 789"


def test_longer_nameplate_makes_a_longer_first_group() -> None:
    code = parse_code("1234-567-890")
    assert code.nameplate == "1234"
    assert code.secret == "567890"
    assert code.display() == "1234 567 890"
    assert parse_code(code.display()) == code


def test_leading_zeros_are_kept() -> None:
    code = parse_code("007 000 001")
    assert code.nameplate == "007"
    assert code.secret == "000001"
    assert code.digits.isascii()


def test_too_short_says_how_many_digits() -> None:
    with pytest.raises(CodeLengthError) as info:
        parse_code("123 456 78")
    assert str(info.value) == "The code has 8 digits; it should have 9, like 123 456 789."


def test_too_long_and_empty() -> None:
    with pytest.raises(CodeLengthError, match="14 digits; that is too many"):
        parse_code("1234567 890 123 4")
    with pytest.raises(CodeLengthError, match="Please enter the code"):
        parse_code("  - ")


def test_letter_o_hints_at_zero() -> None:
    with pytest.raises(CodeCharacterError, match="did you mean the digit 0"):
        parse_code("123 456 78O")


def test_control_character_is_named() -> None:
    with pytest.raises(CodeCharacterError, match="U\\+0000"):
        parse_code("123\x00456789")


def test_code_errors_are_value_errors_for_ui_code() -> None:
    with pytest.raises(ValueError):
        parse_code("abc")


def test_session_code_validates_and_hides_secret() -> None:
    code = SessionCode("123", "456789")
    assert "456789" not in repr(code)
    with pytest.raises(CodeLengthError):
        SessionCode("12", "456789")
    with pytest.raises(CodeLengthError):
        SessionCode("123", "45678")
    with pytest.raises(CodeCharacterError):
        SessionCode("12a", "456789")
    with pytest.raises(CodeCharacterError):
        SessionCode("123", "\uff14\uff15\uff16789")


def test_new_secret_is_six_digits() -> None:
    assert new_secret(lambda n: 42) == "000042"
    assert new_secret(lambda n: n - 1) == "999999"
    for _ in range(50):
        secret = new_secret()
        assert len(secret) == 6 and secret.isascii() and secret.isdigit()
    with pytest.raises(ValueError):
        new_secret(lambda n: n)


@settings(derandomize=True)
@given(st.text())
def test_parse_code_raises_only_code_errors(text: str) -> None:
    try:
        code = parse_code(text)
    except CodeError:
        return
    assert 9 <= len(code.digits) <= 13
    assert code.digits.isascii() and code.digits.isdigit()


@settings(derandomize=True)
@given(st.from_regex(r"\A[0-9]{3,7}\Z"), st.from_regex(r"\A[0-9]{6}\Z"))
def test_display_round_trips(nameplate: str, secret: str) -> None:
    code = SessionCode(nameplate, secret)
    assert parse_code(code.display()) == code
    assert parse_code(code.digits) == code


def test_code_error_is_fernhilfe_error() -> None:
    assert issubclass(CodeError, FernhilfeError)
