"""Build the technician console as one file (a .app on macOS).

    python installer/build_console.py

Most technicians do not need this: `pip install` gives them the `fernhilfe-console` command
(installer/console/README.md). The one-file build is for teams that hand out a ready program.
Builds for Windows/macOS must run on those systems; signing is done by the per-platform scripts.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import buildlib

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--name", default="fernhilfe-console", help="output name")
    p.add_argument("--company", default="Fernhilfe", help="company in the Windows file details")
    p.add_argument("--icon", type=Path, help=".ico (Windows) or .icns (macOS)")
    p.add_argument("--bundle-id", default="org.fernhilfe.console", help="macOS bundle id")
    buildlib.add_build_arguments(p, "console")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.entry.is_file():
        print(f"{args.entry} does not exist yet: nothing to build", file=sys.stderr)
        return 2
    stage = args.work / args.name / "stage"
    if stage.exists():
        shutil.rmtree(stage)
    buildlib.write_version_file(
        stage / "version_info.txt",
        version=buildlib.project_version(),
        product="Fernhilfe console",
        description="Fernhilfe remote support (technician console)",
        company=args.company,
        exe_name=args.name,
    )
    spec_args = ["--stage", str(stage), "--name", args.name, "--entry", str(args.entry.resolve()),
                 "--bundle-id", args.bundle_id]
    if args.no_hkdf_shim:
        spec_args.append("--no-hkdf-shim")
    if args.icon:
        spec_args += ["--icon", str(args.icon.resolve())]
    buildlib.run_pyinstaller(HERE / "fernhilfe-console.spec", spec_args,
                             dist=args.dist, work=args.work / args.name, clean=args.clean)
    buildlib.describe_artifact(buildlib.built_artifact(args.dist, args.name), args.max_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
