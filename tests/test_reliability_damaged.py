"""Issue 15, damaged database files: every command that opens the database says clearly that the
file is damaged or not a sitreps database, and exits 3, instead of a DuckDB traceback."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.ingest.text import make_article
from sitreps.jobs import store_items
from sitreps.store.duckdb import NotASitrepsDatabase, Store, StoreDamaged

# DuckDB writes three 4 KiB headers; what lies past them is the catalog and the data.
HEADERS = 3 * 4096


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("damaged") / "healthy.duckdb"
    texts = [
        f"Bulletin {i}: two mortar rounds struck a market in Deir ez-Zor on Thursday, wounding "
        f"{i + 3} people, according to a local council statement issued that evening. " * 12
        for i in range(120)
    ]
    with Store(path) as store:
        store_items(store, [make_article(t, origin=f"bulletin-{i}") for i, t in enumerate(texts)])
    return path


def _scribble(share: float, seed: int) -> Callable[[Path], None]:
    """Random bytes over ``share`` of the file past its headers, at random places."""

    def damage(path: Path) -> None:
        rng = random.Random(seed)
        data = bytearray(path.read_bytes())
        body = len(data) - HEADERS
        for _ in range(16):
            start = HEADERS + rng.randrange(body)
            size = int(body * share / 16)
            data[start : start + size] = rng.randbytes(len(data[start : start + size]))
        path.write_bytes(bytes(data))

    return damage


def _truncate(keep: float) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep)])

    return damage


def _header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:200] = random.Random(5).randbytes(200)
    path.write_bytes(bytes(data))


def _other_program(path: Path) -> None:
    path.unlink()
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (id INTEGER, total DECIMAL(10, 2))")
    con.execute("INSERT INTO invoices VALUES (1, 9.50)")
    con.close()


DAMAGES: dict[str, tuple[Callable[[Path], None], type[Exception]]] = {
    "random-bytes-in-the-middle": (_scribble(0.6, 1), StoreDamaged),
    "truncated-to-a-third": (_truncate(0.33), StoreDamaged),
    "truncated-mid-block": (_truncate(0.71), StoreDamaged),
    "header-overwritten": (_header, NotASitrepsDatabase),
    "zero-bytes": (lambda p: p.write_bytes(b""), NotASitrepsDatabase),
    "text-file": (lambda p: p.write_text("date,place\n2016-01-01,Raqqa\n" * 500),
                  NotASitrepsDatabase),
    "other-programs-duckdb": (_other_program, NotASitrepsDatabase),
}
COMMANDS = (
    ["events"], ["actors"], ["export", "--format", "csv"], ["timeline"],
    ["control", "--place", "Raqqa"], ["report"], ["ingest", "{missing}"], ["extract"],
)


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_database_is_named_and_exits_3(healthy, tmp_path, damage) -> None:
    harm, expected = DAMAGES[damage]
    path = tmp_path / "sitreps.duckdb"
    shutil.copy(healthy, path)
    harm(path)
    before = path.read_bytes()
    words = "not a sitreps database" if expected is NotASitrepsDatabase else "damaged"
    for args in COMMANDS:
        args = [a.format(missing=tmp_path / "none.txt") for a in args]
        result = CliRunner().invoke(cli, [*args, "--db", str(path)])
        assert result.exit_code == 3, (args, result.output, result.exception)
        assert words in result.output and "Traceback" not in result.output, (args, result.output)
    assert path.read_bytes() == before  # nothing wrote to (or "repaired") someone's file


def test_damaged_database_through_the_library_and_serve(healthy, tmp_path) -> None:
    path = tmp_path / "sitreps.duckdb"
    shutil.copy(healthy, path)
    _scribble(0.6, 2)(path)
    with pytest.raises(StoreDamaged, match="restore it from a backup"):
        Store(path, read_only=True).close()
    result = CliRunner().invoke(cli, ["serve", "--db", str(path)])
    assert result.exit_code == 3 and "damaged" in result.output


def test_empty_duckdb_file_becomes_a_sitreps_database_only_when_written(tmp_path) -> None:
    path = tmp_path / "fresh.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(NotASitrepsDatabase, match="empty"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert store.count("articles") == 0
