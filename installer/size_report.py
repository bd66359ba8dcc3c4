"""What a built one-file program is made of, in compressed MB (why: to see what to trim).

    python installer/size_report.py dist/fernhilfe-agent-example-it-service
    python installer/size_report.py FILE --files 40        # also the 40 largest entries
    python installer/size_report.py FILE --pyz 30          # the PYZ's 30 largest top packages
    python installer/size_report.py FILE --compare OTHER   # per group: FILE - OTHER

Reads the archive with PyInstaller's own CArchiveReader (and the embedded PYZ with its
ZlibArchiveReader), so the figures are the bytes the customer downloads, entry by entry.
Groups: shared libraries by the package that brought them (``av.libs``, ``PySide6/Qt/lib``,
``PySide6/Qt/plugins/platforms``, ...), Python modules in the PYZ by top-level package.
Linux and Windows one-file builds only (a macOS .app is a folder: use ``du``).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """One archive member: its name, compressed and uncompressed bytes."""

    name: str
    packed: int
    raw: int


def group_of(name: str) -> str:
    """The folder an entry is reported under (deep enough to tell Qt's parts apart)."""
    parts = name.replace("\\", "/").split("/")
    if len(parts) == 1:
        return name
    depth = 2
    if parts[0] == "PySide6" and len(parts) > 3 and parts[1] == "Qt":
        depth = 4 if parts[2] in ("plugins",) and len(parts) > 4 else 3
    return "/".join(parts[:min(depth, len(parts) - 1)])


def read_archive(path: Path) -> tuple[list[Entry], list[Entry]]:
    """(entries of the one-file archive, entries of its PYZ by module)."""
    from PyInstaller.archive.readers import CArchiveReader  # type: ignore[import-untyped]

    reader = CArchiveReader(str(path))
    entries, modules = [], []
    for name, (_pos, packed, raw, _flag, typecode) in reader.toc.items():
        entries.append(Entry(name, packed, raw))
        if typecode == "z":  # the PYZ: modules compressed one by one
            pyz = reader.open_embedded_archive(name)
            for mod, (_kind, _off, length) in pyz.toc.items():
                modules.append(Entry(mod, length, length))
    return entries, modules


def groups(entries: list[Entry], key: object = group_of) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for e in entries:
        out[key(e.name)] += e.packed  # type: ignore[operator]
    return dict(out)


def table(sizes: dict[str, int], limit: int, title: str) -> list[str]:
    rows = sorted(sizes.items(), key=lambda kv: -kv[1])
    lines = [f"{title} ({len(rows)} groups, {sum(sizes.values()) / 1e6:.2f} MB)"]
    lines += [f"{v / 1e6:8.2f}  {k}" for k, v in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"{sum(v for _, v in rows[limit:]) / 1e6:8.2f}  ({len(rows) - limit} more)")
    return lines


def report(path: Path, *, limit: int = 30, files: int = 0, pyz: int = 0) -> str:
    entries, modules = read_archive(path)
    total = sum(e.packed for e in entries)
    lines = [f"{path.name}: {path.stat().st_size / 1e6:.2f} MB on disk, "
             f"{total / 1e6:.2f} MB in {len(entries)} archive entries (compressed)"]
    lines += table(groups(entries), limit, "by folder")
    if files:
        lines.append(f"largest {files} entries: compressed / uncompressed MB")
        for e in sorted(entries, key=lambda e: -e.packed)[:files]:
            lines.append(f"{e.packed / 1e6:8.2f} {e.raw / 1e6:8.2f}  {e.name}")
    if pyz:
        lines += table(groups(modules, lambda n: n.split(".")[0]), pyz, "PYZ by top package")
    return "\n".join(lines)


def compare(path: Path, other: Path, limit: int = 30) -> str:
    """Per-group difference ``path - other`` (what a build option adds or saves)."""
    a, b = groups(read_archive(path)[0]), groups(read_archive(other)[0])
    diff = {k: a.get(k, 0) - b.get(k, 0) for k in a.keys() | b.keys()}
    rows = sorted(((k, v) for k, v in diff.items() if v), key=lambda kv: -abs(kv[1]))
    lines = [f"{path.name} - {other.name}: {sum(diff.values()) / 1e6:+.2f} MB"]
    lines += [f"{v / 1e6:+8.2f}  {k}" for k, v in rows[:limit]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("file", type=Path, help="a one-file program built by PyInstaller")
    p.add_argument("--groups", type=int, default=30, help="how many folders to list")
    p.add_argument("--files", type=int, default=0, help="also list the N largest entries")
    p.add_argument("--pyz", type=int, default=0, help="also list the PYZ's N largest packages")
    p.add_argument("--compare", type=Path, help="print per-folder differences to this build")
    args = p.parse_args(argv)
    if not args.file.is_file():
        print(f"{args.file}: no such file (a macOS .app is a folder: use du)", file=sys.stderr)
        return 2
    if args.compare:
        print(compare(args.file, args.compare, args.groups))
    else:
        print(report(args.file, limit=args.groups, files=args.files, pyz=args.pyz))
    return 0


if __name__ == "__main__":
    sys.exit(main())
