"""The start-up cache end to end (issue 16): separate processes sharing one ``$SITREPS_CACHE``
see an edited knowledge file at once (its ruler is rebuilt), and a damaged or missing ruler
file is rebuilt rather than read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitreps.cache import cache_dir

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parent.parent / "src"
TEXT = "The Hawks Brigade and the Zamfara Hawks raided villages near Aleppo."
ENTITIES = """
import json, sys
from sitreps.config import load_config
from sitreps.nlp import get_nlp
nlp = get_nlp(load_config(sys.argv[1]))
print(json.dumps([[e.text, e.ent_id_] for e in nlp(sys.argv[2]).ents if e.ent_id_]))
"""


def _knowledge(aliases: list[str]) -> str:
    return (
        '[[actors]]\nid = "zamfara-hawks"\nname = "Zamfara Hawks"\n'
        f"aliases = {json.dumps(aliases)}\n"
        'kind = "identity militia"\ncountry = "NG"\nbackers = []\n'
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A cache built once for the module, and the entities a process finds with it. The
    gazetteer index (which no knowledge file shapes) is copied from the user's cache when it
    is there, so only the rulers are built here; a missing one is built, just more slowly."""
    folder = tmp_path_factory.mktemp("built")
    cache = folder / "cache"
    cache.mkdir()
    for done in cache_dir().glob("gazetteer-*"):
        shutil.copy(done, cache / done.name)
    config = _write_config(folder)
    return cache, _entities(cache, config)


def _write_config(folder: Path) -> Path:
    (folder / "mine.toml").write_text(_knowledge(["Zamfara Hawks"]), "utf-8")
    config = folder / "sitreps.toml"
    config.write_text('[knowledge]\nfiles = ["mine.toml"]\n', "utf-8")
    return config


@pytest.fixture
def setup(built, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the built cache, and a config naming a knowledge file of the test's own."""
    cache = tmp_path / "cache"
    shutil.copytree(built[0], cache)
    config = _write_config(tmp_path)
    return cache, tmp_path / "mine.toml", config


def _entities(cache: Path, config: Path) -> dict[str, str]:
    """Known entities of TEXT as a fresh process finds them, with this cache."""
    env = {**os.environ, "SITREPS_CACHE": str(cache),
           "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH"))
                                         if p)}  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", ENTITIES, str(config), TEXT],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _rulers(cache: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in cache.glob("ruler-*")}


def test_cache_edited_knowledge_file_rebuilds_the_ruler(built, setup) -> None:
    cache, knowledge, config = setup
    first = built[1]
    assert first.get("Zamfara Hawks") == "zamfara-hawks"
    assert "Hawks Brigade" not in first
    before = _rulers(cache)
    assert before

    # The same run again (same file content) reads the cache: no file changes.
    assert _entities(cache, config) == first
    assert _rulers(cache) == before

    # The user adds an alias: the next process knows it without any cache flag.
    knowledge.write_text(_knowledge(["Zamfara Hawks", "Hawks Brigade"]), "utf-8")
    edited = _entities(cache, config)
    assert edited.get("Hawks Brigade") == "zamfara-hawks"
    assert edited.get("Zamfara Hawks") == "zamfara-hawks"
    after = _rulers(cache)
    assert set(after) != set(before)  # a new file under a new key; the stale one pruned


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[: 200]), id="truncated"),
        pytest.param(lambda path: path.write_bytes(b"\0" * 64), id="garbage"),
        pytest.param(lambda path: path.unlink(), id="missing"),
    ],
)
def test_cache_damaged_ruler_is_rebuilt_not_read(built, setup, damage) -> None:
    cache, _, config = setup
    expected = built[1]
    assert expected.get("Zamfara Hawks") == "zamfara-hawks"
    for path in cache.glob("ruler-*"):
        damage(path)
    assert _entities(cache, config) == expected
    rebuilt = _rulers(cache)
    assert rebuilt and all(len(data) > 200 for data in rebuilt.values())
