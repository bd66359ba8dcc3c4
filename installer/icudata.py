"""Qt's ICU data cut down to what the apps use, so the one-file agent stays within its budget.

PySide6's wheels ship ICU's full data library (libicudata.so.NN: 32 MB, 12.3 MB of the one-file
agent once compressed). Qt 6 calls ICU for three things only (see the ``_NN`` symbols
libQt6Core imports): collation (QCollator, QString::localeAwareCompare), time zone display
names (QTimeZone::displayName) and legacy text codecs (QStringDecoder for e.g. Shift_JIS;
UTF-8/16/32 and Latin-1 are Qt's own). Case mapping and normalisation live in libicuuc's code.

So we rebuild libicudata at build time from the wheel's own data with ICU's own tools
(icu-devtools: ``icupkg`` removes items from the data package, ``genccode`` turns it back into a
data symbol) and keep: every non-locale item, and the collation, zone, region and main locale
items of the languages the build ships (English, German, the branding's language). What goes:
break-iterator dictionaries and rules (Qt uses its own text boundaries), currency, language,
unit, spell-out and transliteration names (Qt has its own CLDR tables), the locale items of other
languages (they fall back to ICU's root data: the Unicode default collation, English-style zone
names) and the legacy codec tables (their QStringDecoder is then invalid; the apps speak UTF-8).
No binary is patched: the new library is built from source by the toolchain, with the soname
and the data symbol ICU's libicuuc looks for.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

#: ICU data trees dropped whole (Qt never asks ICU for break iterators or display names).
DROP_TREES = frozenset({"brkitr", "curr", "lang", "rbnf", "translit", "unit"})
#: items of the kept trees that are not a locale (index, string pool, root, tz database names)
NOT_A_LOCALE = frozenset({"res_index", "pool", "root", "tzdbNames"})
_LOCALE = re.compile(r"^[a-z]{2,3}(_|$)")
_SONAME = re.compile(r"^libicudata\.so\.(\d+)$")


class IcuTrimError(RuntimeError):
    """The ICU data could not be rebuilt; the message says what to install or check."""


def items_to_remove(items: Iterable[str], languages: Iterable[str]) -> list[str]:
    """The package items (as ``icupkg -l`` lists them) a build for ``languages`` does without."""
    keep = {lang.split("_")[0].lower() for lang in languages} | {"root", "en"}
    remove = []
    for item in items:
        parts = item.split("/")
        stem, _, ext = parts[-1].rpartition(".")
        dropped = (len(parts) > 1 and parts[0] in DROP_TREES) or ext in ("cnv", "dict")
        other_language = (ext == "res" and stem not in NOT_A_LOCALE
                          and bool(_LOCALE.match(stem)) and stem.split("_")[0] not in keep)
        if dropped or other_language:
            remove.append(item)
    return remove


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not path:
        raise IcuTrimError(f"{name} not found: install Debian's icu-devtools (scripts/setup.sh "
                           "does) to build the one-file agent within its size budget")
    return path


def _run(cmd: list[str]) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode:
        raise IcuTrimError(f"{Path(cmd[0]).name} failed ({result.returncode}): "
                           f"{(result.stderr or result.stdout).strip()[:500]}")
    return result.stdout


def extract_package(library: Path, out: Path) -> str:
    """Write the data package held in ``library``'s icudtNN_dat symbol to ``out``; return NN."""
    m = _SONAME.match(library.name)
    if not m:
        raise IcuTrimError(f"{library.name} is not named libicudata.so.<version>")
    version = m.group(1)
    symbol = f"icudt{version}_dat"
    readelf = _tool("readelf")
    value = size = section = None
    for line in _run([readelf, "-sW", str(library)]).splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[-1] == symbol:
            value, size, section = int(fields[1], 16), int(fields[2], 0), int(fields[6])
            break
    if value is None or size is None or section is None:
        raise IcuTrimError(f"{library} has no {symbol} symbol")
    for line in _run([readelf, "-SW", str(library)]).splitlines():
        m2 = re.match(r"\s*\[\s*(\d+)\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m2 and int(m2.group(1)) == section:
            offset = value - int(m2.group(2), 16) + int(m2.group(3), 16)
            break
    else:
        raise IcuTrimError(f"{library}: section {section} of {symbol} not found")
    with library.open("rb") as fh:
        fh.seek(offset)
        data = fh.read(size)
    if len(data) != size or data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise IcuTrimError(f"{library}: {symbol} does not hold an ICU common data package")
    out.write_bytes(data)
    return version


def trimmed_library(library: Path, work: Path, languages: Iterable[str]) -> Path:
    """Build a libicudata.so.NN beside ``work`` with only what ``languages`` need; return it."""
    work.mkdir(parents=True, exist_ok=True)
    m = _SONAME.match(library.name)
    # icupkg wants the package's own name (icudtNNl: its items are stored under that prefix)
    full = work / "full" / f"icudt{m.group(1) if m else 'NN'}l.dat"
    full.parent.mkdir(exist_ok=True)
    version = extract_package(library, full)
    icupkg = _tool("icupkg")
    items = _run([icupkg, "-l", str(full)]).split()
    (work / "remove.txt").write_text("\n".join(items_to_remove(items, languages)) + "\n")
    data = work / f"icudt{version}l.dat"
    data.unlink(missing_ok=True)
    _run([icupkg, "-r", str(work / "remove.txt"), str(full), str(data)])
    _run([_tool("genccode"), "-q", "-e", f"icudt{version}", "-a", "gcc", "-d", str(work),
          str(data)])
    out = work / library.name
    _run([_tool("gcc"), "-shared", "-nostdlib", f"-Wl,-soname,{library.name}",
          "-Wl,-z,noexecstack", "-o", str(out), str(work / f"icudt{version}l_dat.S")])
    full.unlink()
    return out


def trim_toc(entries: list[tuple[str, str, str]], work: Path,
             languages: Iterable[str]) -> list[tuple[str, str, str]]:
    """PyInstaller's binaries with every libicudata.so.NN replaced by its trimmed build."""
    result = []
    for dest, src, typ in entries:
        name = Path(dest).name
        if _SONAME.match(name):
            built = trimmed_library(Path(src), work / "icudata", languages)
            print(f"ICU data trimmed for {sorted(set(languages))}: {name} "
                  f"{Path(src).stat().st_size / 1e6:.1f} -> {built.stat().st_size / 1e6:.1f} MB")
            src = str(built)
        result.append((dest, src, typ))
    return result
