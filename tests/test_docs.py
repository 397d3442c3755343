"""Docs are tested like code: every command and stage is documented in the README, its code
blocks render, its quick start is what CI runs and its sample session is what the sample gives."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.registry import registered_stages

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_docs_readme_mentions_every_command():
    missing = [name for name in cli.commands if f"sitreps {name}" not in README]
    assert not missing, f"README has no example of: {missing}"


def test_docs_readme_lists_every_builtin_stage():
    missing = [name for name in registered_stages() if name.startswith("sitreps.")
               and f"`{name}`" not in README]
    assert not missing, f"README's stage table lacks: {missing}"


def test_docs_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```bash")[1:]
    commands = [block.split("```", 1)[0].strip() for block in blocks]
    assert len(commands) == 2
    assert "sitreps run --sample" in commands[0]
    assert "pytest" in commands[1]


def fence_errors(text: str) -> list[str]:
    """Unpaired code fences. An opening fence names its language and a closing one is bare, so
    a block missing its opening fence (its closing one would open a block that swallows the rest
    of the page) shows as a bare fence where an opening one belongs."""
    errors: list[str] = []
    opened: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("```"):
            continue
        info = line.lstrip()[3:].strip()
        if opened is None:
            if not info:
                errors.append(f"line {number}: bare fence opens a block (a block lacks its "
                              "opening fence, or the fence names no language)")
            opened = number
        elif info:
            errors.append(f"line {number}: fence with a language inside the block opened at "
                          f"line {opened} (the block above lacks its closing fence)")
            opened = number
        else:
            opened = None
    if opened is not None:
        errors.append(f"line {opened}: block never closed")
    return errors


def test_docs_readme_code_fences_are_paired() -> None:
    assert fence_errors(README) == []


def test_docs_fence_check_catches_a_missing_opening_fence() -> None:
    broken = "## Development\n\npip install x\n```\n\nText.\n\n```bash\nls\n```\n"
    assert fence_errors(broken)
    assert fence_errors("```bash\nls\n") == ["line 1: block never closed"]
    assert fence_errors("```bash\nls\n```\n") == []


def quick_start() -> str:
    return README.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def commands(line: str) -> list[list[str]]:
    """The commands of a shell line, as CI would run them: `python3 -m pip` is `pip`, and quiet
    flags, which change what is printed and nothing else, are dropped."""
    result = []
    for part in line.split("&&"):
        words = [w for w in shlex.split(part) if w not in ("--quiet", "-q")]
        if words[:2] in (["python3", "-m"], ["python", "-m"]):
            words = words[2:]
        result.append(words)
    return result


def test_docs_quick_start_test_command_is_what_ci_runs() -> None:
    block = quick_start().split("```bash")[2].split("```", 1)[0].strip()
    # CI's own commands: each line that runs pip or pytest (the rest is shell set-up).
    ci = [commands(line)[0] for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if re.match(r"\s*(python3? -m )?(pip|pytest)\b", line)]
    readme = commands(block)
    assert readme == ci[-len(readme):], f"README: {readme}; .ci/run: {ci}"
    assert ["pip", "install", "-c", "requirements.lock", "-e", ".[test]"] in readme
    development = README.split("## Development", 1)[1]
    installs = [c for line in development.splitlines() if line.startswith("pip install")
                for c in commands(line.split("#")[0])]
    assert installs == [readme[0]], "Development lists one install command, the quick start's"


def test_docs_quick_start_states_python_version_and_venv() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    minimum = pyproject["project"]["requires-python"].removeprefix(">=")
    assert f"Python >= {minimum}" in quick_start()
    assert "python3 -m venv .venv && . .venv/bin/activate" in quick_start()


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_docs_sample_session_counts_match_a_fresh_run(tmp_path: Path) -> None:
    session = README.split("$ sitreps run --sample --db demo.duckdb\n", 1)[1].split("\n$ ", 1)[0]
    quoted = [line for line in session.splitlines()
              if re.match(r"(Ingested|Analysed|Database:|Factual events)", line)]
    assert [line.split()[0] for line in quoted] == ["Ingested", "Analysed", "Database:", "Factual"]
    result = CliRunner().invoke(cli, ["run", "--sample", "--db", str(tmp_path / "demo.duckdb")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    printed = normalised(result.output)  # rich wraps long lines at the terminal's width
    drifted = [line for line in quoted if normalised(line) not in printed]
    assert not drifted, f"README's sample session has drifted; a fresh run prints:\n{result.output}"
