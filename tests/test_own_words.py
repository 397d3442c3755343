"""Test texts are our own words: none repeats a run of third-party text from ../shared.

The gold sets and corpora under ``../shared`` are other people's text; tests read them through
a path, never copy them. ``scripts/check_copied_text.py`` checks every tracked file; this test
checks the files where a copied sentence would most likely land (the hard cases and the test
modules) against the shared text, at a run long enough that no stock phrase or name reaches it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import REPO, shared_dir

# Shared with the script: a run of this many words is a copied sentence, not a phrase or a name.
COPIED_RUN = 12


def _checker():
    path = REPO / "scripts" / "check_copied_text.py"
    spec = importlib.util.spec_from_file_location("check_copied_text", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_checker_finds_a_copied_run(tmp_path: Path):
    checker = _checker()
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "article.txt").write_text(
        "Rebels fired twelve rockets at the northern quarter of the old town late on Monday "
        "night, killing three shopkeepers, the monitor said."
    )
    runs = checker.index(shared, COPIED_RUN)
    copied = checker.words("Witnesses said rebels fired twelve rockets at the northern quarter "
                           "of the old town late on Monday night.")
    own = checker.words("Rebels fired rockets at the town on Monday, a witness said.")
    assert checker.longest_run(copied, runs, COPIED_RUN) == 16
    assert checker.longest_run(own, runs, COPIED_RUN) == 0


def test_hard_cases_and_tests_repeat_no_shared_text():
    shared = shared_dir()
    if not (shared / "corpus").is_dir():
        pytest.skip(f"no corpora under {shared} (set SITREPS_SHARED)")
    checker = _checker()
    runs = checker.index(shared, COPIED_RUN)
    paths = sorted((REPO / "tests").glob("*.py")) + sorted(
        (REPO / "tests" / "data" / "hard_cases").glob("*.jsonl")
    )
    copied = [
        f"{path.relative_to(REPO)}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if checker.longest_run(checker.words(line), runs, COPIED_RUN)
    ]
    assert not copied, f"lines repeating shared text word for word: {copied[:10]}"
