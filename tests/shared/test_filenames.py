"""The file-name rule (shared.filenames): a hostile name from the peer becomes one safe name."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import FernhilfeError
from shared.filenames import (
    FALLBACK_NAME,
    MAX_NAME_BYTES,
    MAX_UNIQUE_TRIES,
    NoFreeName,
    is_reserved,
    safe_name,
    split_extension,
    unique_name,
)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("Übersicht März.xlsx", "Übersicht März.xlsx"),
        ("../../x", "x"),
        ("..\\..\\Windows\\system32\\evil.dll", "evil.dll"),
        ("/etc/passwd", "passwd"),
        ("C:autoexec.bat", "autoexec.bat"),
        ("file.txt:hidden", "hidden"),
        ("..", "_"),
        (".", "_"),
        ("...", "_"),
        ("dir/..", "_"),
        ("", FALLBACK_NAME),
        ("\x00", FALLBACK_NAME),
        ("a\x00b.txt", "ab.txt"),
        ("/", FALLBACK_NAME),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Con .tar.gz", "_Con .tar.gz"),
        ("nul", "_nul"),
        ("LPT9.doc", "_LPT9.doc"),
        ("COM\u00b9", "_COM\u00b9"),
        ("CONSOLE.txt", "CONSOLE.txt"),
        ("COM10", "COM10"),
        ("a\u202egnp.exe", "agnp.exe"),
        ("\u202e\u2066\u200bnice\u200d.txt", "nice.txt"),
        ("line\nbreak\r.txt", "linebreak.txt"),
        ("para\u2029graph", "paragraph"),
        ("what?<is>*this|\".txt", "what__is__this__.txt"),
        ("trailing dots...", "trailing dots"),
        ("trailing space.txt  ", "trailing space.txt"),
        ("  leading space", "leading space"),
        ("report.pdf. . .", "report.pdf"),
        (".bashrc", "_bashrc"),
        (".fernhilfe-partial", "_fernhilfe-partial"),
        ("..hidden", "_hidden"),
        ("e\u0301.txt", "\u00e9.txt"),
        ("e\u200b\u0301", "\u00e9"),
        ("\ud800lone.txt", "lone.txt"),
        ("\ue000private", "private"),
    ],
)
def test_hostile_and_ordinary_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe
    assert safe_name(safe) == safe


def test_long_name_keeps_its_extension_within_the_byte_cap() -> None:
    result = safe_name("a" * 300 + ".exe")
    assert result.endswith(".exe")
    assert len(result.encode()) == MAX_NAME_BYTES
    wide = safe_name("ö" * 300 + ".tar.gz")
    assert wide.endswith(".gz") and len(wide.encode()) <= MAX_NAME_BYTES
    assert wide == unicodedata.normalize("NFC", wide)
    # No extension, or one too long to be one: the whole name is cut between characters.
    assert safe_name("日本" * 150) == "日本" * 33
    assert len(safe_name("x." + "y" * 300).encode()) == MAX_NAME_BYTES
    # A cut that ends in dots/spaces is trimmed again.
    assert safe_name("a" * 199 + " . .pdf" + "b" * 200) == "a" * 199
    assert not safe_name("a" * 190 + " " * 20 + "tail").endswith(" ")


def test_reserved_check_and_extension_split() -> None:
    assert is_reserved("aux.c") and is_reserved("Prn") and is_reserved("COM3 .log")
    assert not is_reserved("_CON") and not is_reserved("auxiliary")
    assert split_extension("report.tar.gz") == ("report.tar", ".gz")
    assert split_extension("README") == ("README", "")
    assert split_extension("x." + "y" * 40) == ("x." + "y" * 40, "")
    assert split_extension("name.") == ("name.", "")


def test_unique_name_counts_up_and_keeps_the_extension() -> None:
    taken = {"a.txt", "a (2).txt", "README"}
    assert unique_name("b.txt", taken.__contains__) == "b.txt"
    assert unique_name("a.txt", taken.__contains__) == "a (3).txt"
    assert unique_name("README", taken.__contains__) == "README (2)"


def test_unique_name_stays_within_the_cap() -> None:
    long = safe_name("z" * 300 + ".bin")
    result = unique_name(long, lambda n: n == long)
    assert result.endswith(" (2).bin") and len(result.encode()) <= MAX_NAME_BYTES


def test_unique_name_gives_up_with_a_plain_error() -> None:
    with pytest.raises(NoFreeName, match="move some of them away") as info:
        unique_name("x.txt", lambda _n: True)
    assert isinstance(info.value, FernhilfeError)
    assert str(MAX_UNIQUE_TRIES) in str(info.value)


_ANY_TEXT = st.text(st.characters(), max_size=400)
_PATHY = st.lists(
    st.sampled_from(["..", ".", "/", "\\", ":", "CON", "con", "aux", "lpt1", " ", "\u202e",
                     "\x00", "\u200b", "?", "*", ".txt", "a", "é", "e\u0301", "日本", "\n"]),
    max_size=60,
).map("".join)


def _check_safe(name: str) -> None:
    result = safe_name(name)
    assert result, name
    assert len(result.encode("utf-8")) <= MAX_NAME_BYTES
    assert not any(sep in result for sep in "/\\:")
    assert not any(ch in result for ch in '<>"|?*')
    assert result not in (".", "..")
    assert not result.startswith((".", " "))
    assert not result.endswith((".", " "))
    assert not is_reserved(result)
    assert all(
        unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
        for ch in result
    )
    assert result == unicodedata.normalize("NFC", result)
    assert safe_name(result) == result


@settings(max_examples=600, deadline=None)
@given(_ANY_TEXT)
def test_any_text_becomes_one_safe_component(name: str) -> None:
    _check_safe(name)


@settings(max_examples=600, deadline=None)
@given(_PATHY)
def test_path_like_text_becomes_one_safe_component(name: str) -> None:
    _check_safe(name)


@settings(max_examples=200, deadline=None)
@given(_PATHY, st.integers(min_value=0, max_value=5))
def test_unique_names_are_safe_and_free(name: str, taken_count: int) -> None:
    first = safe_name(name)
    taken = {first}
    for _ in range(taken_count):
        taken.add(unique_name(first, taken.__contains__))
    result = unique_name(first, taken.__contains__)
    assert result not in taken
    assert len(result.encode("utf-8")) <= MAX_NAME_BYTES
    assert not is_reserved(result) and "/" not in result and not result.endswith((".", " "))
