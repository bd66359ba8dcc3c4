"""The Windows/macOS workflow and the README say the same thing.

A newcomer on Windows or macOS follows the README; the workflow proves those steps on every push
only if it runs the very same lines. Also: the workflow lints clean (actionlint, as scripts/test
runs it), every script it calls exists, and the builds it expects are the ones the build scripts
make.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "platforms.yml"
README = ROOT / "README.md"


def readme_install_lines(platform_heading: str) -> list[str]:
    """The indented lines of the install block in the README's section for a platform."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n### {platform_heading}")
    section = text[start + 1:]
    section = section[: section.find("\n### ", 1)]
    intro = section.index("the CI workflow runs exactly these lines")
    lines: list[str] = []
    for line in section[intro:].splitlines()[1:]:
        if line.startswith("    "):
            lines.append(line.strip())
        elif lines:
            break
    return lines


def workflow_job(job: str) -> str:
    """The text of one job of the workflow (from its key to the next job's)."""
    text = WORKFLOW.read_text(encoding="utf-8")
    jobs = text[text.index("\njobs:\n"):]
    start = jobs.index(f"\n  {job}:\n")
    following = re.search(r"\n  [a-z][\w-]*:\n", jobs[start + 1:])
    return jobs[start: start + 1 + following.start()] if following else jobs[start:]


def run_lines(job_text: str) -> list[str]:
    return [line.strip() for line in job_text.splitlines()]


@pytest.mark.parametrize("heading, job", [("Windows", "windows"), ("macOS", "macos")])
def test_the_workflow_installs_exactly_as_the_readme_says(heading: str, job: str) -> None:
    readme = readme_install_lines(heading)
    assert len(readme) >= 2, f"no install block found in the README's {heading} section"
    lines = run_lines(workflow_job(job))
    step = lines.index(f'- name: Install (README, "{heading}")')
    body = lines[step:step + 4 + len(readme)]
    for line in readme:
        assert line in body, f"README's {heading} install line {line!r} is not what CI runs"


@pytest.mark.parametrize("job, runner", [("windows", "windows-latest"), ("macos", "macos-latest")])
def test_each_job_tests_builds_checks_and_keeps(job: str, runner: str) -> None:
    text = workflow_job(job)
    assert f"runs-on: {runner}" in text and 'python-version: "3.11"' in text
    assert "cache: pip" in text
    for part in ("tests/shared tests/relay", "tests/platform", "agent_shows_code.py",
                 "actions/upload-artifact@v4", "--console" if job == "macos" else "-Console"):
        assert part in text, f"the {job} job does not run {part}"
    assert "if: always()" in text  # screenshots and reports are kept when a step failed


def test_every_file_the_workflow_calls_exists() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for path in re.findall(r"(?:installer|tests)[\\/][\w\\/.-]+\.(?:py|ps1|sh|toml)", text):
        assert (ROOT / path.replace("\\", "/")).is_file(), path


def test_the_built_names_are_the_build_scripts_names() -> None:
    """The check starts dist/fernhilfe-agent-example-it-service(.exe|.app): the example
    branding's organisation slug, as build_agent.py names it."""
    import sys

    sys.path.insert(0, str(ROOT / "installer"))
    import buildlib

    branding = buildlib.load_branding(ROOT / "installer" / "branding.example.toml")
    name = f"fernhilfe-agent-{branding.slug}"
    text = WORKFLOW.read_text(encoding="utf-8")
    assert f"dist\\{name}.exe" in text and f"dist/{name}.app" in text


@pytest.mark.skipif(shutil.which("actionlint") is None and not (
    ROOT / ".venv" / "bin" / "actionlint").exists(), reason="actionlint not installed")
def test_actionlint_finds_nothing() -> None:
    tool = shutil.which("actionlint") or str(ROOT / ".venv" / "bin" / "actionlint")
    done = subprocess.run([tool, str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_what_is_left_out_off_linux_exists_and_says_why() -> None:
    """A renamed file would otherwise be run on Windows/macOS by surprise, or a typo leave out
    nothing: every LINUX_ONLY entry names a real test path and a reason."""
    from tests.conftest import LINUX_ONLY, TESTS, linux_only_reason

    for path, why in LINUX_ONLY.items():
        assert (TESTS / path).exists(), path
        assert why and linux_only_reason(TESTS / path) == why
    assert linux_only_reason(TESTS / "relay" / "cluster" / "test_drain.py") is not None
    assert linux_only_reason(TESTS / "relay" / "test_pairing.py") is None
    assert linux_only_reason(TESTS / "platform" / "test_input.py") is None
