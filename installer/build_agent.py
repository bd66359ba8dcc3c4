"""Build the customer agent as one double-clickable file, branded for one support company.

    python installer/build_agent.py --branding installer/branding.example.toml
    python installer/build_agent.py --branding my-branding.toml --check   # validate only

Steps: validate the branding file, write the normalised copy (and logo) into a stage folder,
generate the Windows version resource from pyproject.toml, run PyInstaller on
installer/fernhilfe-agent.spec. Output: dist/fernhilfe-agent-<organisation-slug>[.exe|.app].
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
    p.add_argument("--branding", type=Path, required=True, help="branding TOML file")
    p.add_argument("--check", action="store_true", help="only validate the branding file")
    p.add_argument("--allow-insecure-relay", action="store_true",
                   help="accept a ws:// relay URL that is not loopback (lab tests only)")
    p.add_argument("--name", help="output name (default: fernhilfe-agent-<organisation slug>)")
    buildlib.add_build_arguments(p, "agent")
    p.add_argument("--video", action=argparse.BooleanOptionalAction, default=None,
                   help="bundle PyAV (H.264 for full-screen motion; without it the agent sends "
                        "motion as JPEG rects). Default on Linux: PyAV over an FFmpeg with "
                        "libx264 only (installer/lean_av.py, +4.1 MB, built once and cached); "
                        "elsewhere off: PyAV's own wheel adds about 28 MB, over the 60 MB budget")
    p.add_argument("--wheel-av", action="store_true",
                   help="with video on Linux: bundle PyAV's PyPI wheel as it is (77 MB agent)")
    return p.parse_args(argv)


def check_with_agent_loader(baked: Path) -> None:
    """Load the baked file through the agent's own config loader, if it can be imported."""
    sys.path.insert(0, str(buildlib.REPO))
    try:
        from agent.config import ConfigError, load_config
    except ImportError as exc:  # agent not importable here: buildlib's checks must do
        print(f"note: agent.config not importable ({exc}); skipped loader check")
        return
    empty = baked.parent / "beside"
    empty.mkdir(exist_ok=True)
    try:
        config = load_config(None, env={}, beside=empty, branding=baked)
    except ConfigError as exc:  # buildlib let through what the agent refuses: never ship it
        raise buildlib.BrandingError(f"the agent would refuse this branding: {exc}") from exc
    print(f"branding as the agent sees it: {config}")


def video_wanted(flag: bool | None, platform: str = sys.platform) -> bool:
    """--video / --no-video as given; by default on Linux only, where the lean build exists."""
    return flag if flag is not None else platform.startswith("linux")


def lean_video_env() -> dict[str, str]:
    """The environment in which PyInstaller finds the lean PyAV (built once, then cached)."""
    import lean_av

    lean = lean_av.find_cached()
    if lean is None:
        print("building PyAV over a lean FFmpeg once (2-15 minutes; cached) ...", flush=True)
        try:
            lean = lean_av.build()
        except lean_av.LeanAvError as exc:
            raise SystemExit(f"the lean video build failed: {exc}\n"
                             "build without video (--no-video) or with PyAV's wheel "
                             "(--wheel-av, 77 MB)") from exc
    print(f"video: lean PyAV from {lean.site}")
    return lean.env()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        branding = buildlib.load_branding(args.branding,
                                          allow_insecure_relay=args.allow_insecure_relay)
    except buildlib.BrandingError as exc:
        print(f"branding file rejected: {exc}", file=sys.stderr)
        return 2
    for warning in branding.warnings:
        print(f"warning: {warning}", file=sys.stderr)

    name = args.name or f"fernhilfe-agent-{branding.slug}"
    stage = args.work / name / "stage"
    if stage.exists():
        shutil.rmtree(stage)
    baked = buildlib.write_agent_branding(branding, stage)
    try:
        check_with_agent_loader(baked)
    except buildlib.BrandingError as exc:
        print(f"branding file rejected: {exc}", file=sys.stderr)
        return 2
    if args.check:
        print(f"branding OK: {args.branding} -> output name {name}")
        return 0

    if not args.entry.is_file():
        print(f"{args.entry} does not exist yet: nothing to build", file=sys.stderr)
        return 2
    version = buildlib.project_version()
    buildlib.write_version_file(
        stage / "version_info.txt",
        version=version,
        product=f"Fernhilfe support for {branding.agent['organisation']}",
        description="Fernhilfe remote support (customer program)",
        company=branding.agent["organisation"],
        exe_name=name,
    )
    spec_args = ["--stage", str(stage), "--name", name, "--entry", str(args.entry.resolve())]
    icon = {"win32": branding.windows_icon, "darwin": branding.macos_icon}.get(sys.platform)
    if icon:
        spec_args += ["--icon", str(icon)]
    if branding.macos_bundle_id:
        spec_args += ["--bundle-id", branding.macos_bundle_id]
    if args.no_hkdf_shim:
        spec_args.append("--no-hkdf-shim")
    env = None
    if video_wanted(args.video):
        spec_args.append("--video")
        if sys.platform.startswith("linux") and not args.wheel_av:
            env = lean_video_env()
    if branding.agent.get("language"):
        spec_args += ["--language", branding.agent["language"]]

    buildlib.run_pyinstaller(HERE / "fernhilfe-agent.spec", spec_args,
                             dist=args.dist, work=args.work / name, clean=args.clean, env=env)
    buildlib.describe_artifact(buildlib.built_artifact(args.dist, name), args.max_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
