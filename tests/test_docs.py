"""Docs are tested like code: every command and stage is documented in the README."""

from __future__ import annotations

from pathlib import Path

from sitreps.cli import cli
from sitreps.registry import registered_stages

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


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
