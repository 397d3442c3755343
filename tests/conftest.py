"""Shared fixtures: a real DuckDB file per test, the real spaCy pipeline once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The read-only ../shared folder (or $SITREPS_SHARED): seed, gold sets and corpora."""
    return Path(os.environ.get("SITREPS_SHARED", REPO.parent / "shared"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def config():
    from sitreps.config import load_config

    return load_config()


@pytest.fixture(scope="session")
def nlp(config):
    """The full sitreps pipeline (model + EntityRuler), built once for the whole run."""
    from sitreps.nlp import get_nlp

    return get_nlp(config)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = shared_dir() / "seed" / "000_cfd3f129360db0b8.txt"
    if not path.exists():
        pytest.skip(f"seed article not found at {path} (set SITREPS_SHARED)")
    return path
