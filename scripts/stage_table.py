"""Regenerate the README's stage table from the registry (a test fails when it is stale).

Usage: ``PYTHONPATH=src python scripts/stage_table.py`` from the repository root.
"""

from __future__ import annotations

from pathlib import Path

from sitreps.registry import stage_table

START, END = "<!-- stage-table -->\n", "<!-- /stage-table -->"


def main() -> None:
    """Rewrite the part of README.md between the stage-table markers."""
    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text("utf-8")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    readme.write_text(f"{head}{START}{stage_table()}\n{END}{tail}", "utf-8")


if __name__ == "__main__":
    main()
