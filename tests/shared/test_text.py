"""The name rule (shared.text): what a technician's name may contain and how wide it may be."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import FernhilfeError
from shared.text import (
    MAX_MARKS_PER_BASE,
    MAX_NAME_BYTES,
    MAX_NAME_WIDTH,
    PROBLEMS,
    NameRejected,
    check_name,
    display_width,
    name_problem,
    shown_name,
)


@pytest.mark.parametrize(
    "name",
    ["Jörg Müller", "Musterfirma GmbH & Co. KG", "山田 太郎", "Nguyễn Văn Ấn", "O'Brien-Smith",
     "Zoë 👍", "", "Ålborg IT\u00a0AS", "김민준", "देवनागरी", "<b>X</b><img src=x>"],
)
def test_ordinary_names_pass(name: str) -> None:
    assert name_problem(name) is None
    assert check_name(name) == name


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Anna\u2028Identity checked", "line_break"),
        ("Anna\u2029Safe to allow", "line_break"),
        ("Anna\nB", "control"),
        ("Anna\rB", "control"),
        ("Anna\x85B", "control"),  # NEL
        ("Anna\x00", "control"),
        ("Anna\u202eelgooG", "format"),  # right-to-left override
        ("Anna\u2066x\u2069", "format"),  # isolates
        ("An\u200bna", "format"),  # zero-width space
        ("An\u200dna", "format"),  # zero-width joiner
        ("Anna\u00ad", "format"),  # soft hyphen
        ("Anna\ufeff", "format"),  # BOM / zero-width no-break space
        ("Anna\U000e0041", "format"),  # tag character
        ("Anna\u3164", "invisible"),  # Hangul filler
        ("Anna\u2800", "invisible"),  # braille blank
        ("Anna\u034f", "invisible"),  # combining grapheme joiner
        ("Anna\u2003Bob", "space"),  # em space
        ("Anna\ue000", "private_use"),
        ("Anna\U0010fffd", "private_use"),
        ("Anna\u0378", "unassigned"),
        ("\u0301Anna", "marks"),  # accent without a letter
        ("A" + "\u0301" * (MAX_MARKS_PER_BASE + 1), "marks"),
        ("Anna\ud800", "not_unicode"),
        ("W" * (MAX_NAME_WIDTH + 1), "too_wide"),
        ("山" * (MAX_NAME_WIDTH // 2 + 1), "too_wide"),
        ("x" * 10_000, "too_long"),
        ("ä" * (MAX_NAME_BYTES // 2 + 1), "too_long"),
        (b"Anna", "not_text"),
        (None, "not_text"),
    ],
)
def test_hostile_names_rejected(name: object, problem: str) -> None:
    assert name_problem(name) == problem
    with pytest.raises(NameRejected) as info:
        check_name(name, "technician name")
    assert info.value.problem == problem
    assert isinstance(info.value, FernhilfeError)
    assert "technician name" in str(info.value)


def test_width_counts_wide_as_two_and_marks_as_zero() -> None:
    assert display_width("abc") == 3
    assert display_width("山田") == 4
    assert display_width("e\u0301") == 1
    assert name_problem("W" * MAX_NAME_WIDTH) is None
    assert name_problem("山" * (MAX_NAME_WIDTH // 2)) is None
    assert name_problem("A" + "\u0301" * MAX_MARKS_PER_BASE) is None


def test_shown_name_falls_back() -> None:
    assert shown_name("  Anna  ", "?") == "Anna"
    assert shown_name("   ", "?") == "?"
    assert shown_name("Anna\u2028B", "?") == "?"


# ----------------------------------------------------------------------------- properties

_BAD_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


@settings(derandomize=True, max_examples=400)
@given(st.text(max_size=300))
def test_accepted_names_are_safe_to_show(text: str) -> None:
    """Whatever the rule accepts has no hidden characters and fits the width and byte budget."""
    if name_problem(text) is not None:
        return
    assert all(unicodedata.category(ch) not in _BAD_CATEGORIES for ch in text)
    assert display_width(text) <= MAX_NAME_WIDTH
    assert len(text.encode("utf-8")) <= MAX_NAME_BYTES
    assert "\n" not in text and "\u2028" not in text and "\u2029" not in text


@settings(derandomize=True, max_examples=300)
@given(st.text(max_size=40), st.sampled_from(
    "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d"
    "\u200e\u200f\u061c\ufeff\x00\n\r\t\x1b\x7f\x85"), st.text(max_size=40))
def test_any_separator_or_format_char_is_rejected(before: str, bad: str, after: str) -> None:
    assert name_problem(before + bad + after) is not None


@settings(derandomize=True, max_examples=300)
@given(st.text(st.characters(categories=["Cf"]), min_size=1, max_size=5), st.text(max_size=20))
def test_every_format_character_is_rejected(fmt: str, rest: str) -> None:
    assert name_problem(rest + fmt) is not None


@settings(derandomize=True, max_examples=200)
@given(st.text(max_size=200))
def test_rule_is_total_and_returns_known_keys(text: str) -> None:
    """Never raises; always a known key or None (a decoder of untrusted text must be total)."""
    problem = name_problem(text)
    assert problem is None or problem in PROBLEMS
