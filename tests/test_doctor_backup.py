"""``sitreps doctor`` and ``sitreps backup`` on real DuckDB files made by the real extraction,
and a backup taken while a real ``sitreps serve`` process on 127.0.0.1 holds the file (issue 15).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from test_api_helpers import free_port

import sitreps
from sitreps.cli import cli
from sitreps.store.duckdb import SCHEMA_VERSION, TABLES, Store

TOWNS = ["Saraqeb", "Kafr Nabl", "Ariha", "Jisr al-Shughur"]


def story(i: int) -> str:
    """A short English report, different enough from the others not to be a near-duplicate."""
    town = TOWNS[i]
    return (
        f"date 2019-05-{10 + i:02d} Shelling in {town}\n\n"
        f"Government forces shelled {town} in Idlib province on Friday, killing {i + 3} "
        f"civilians, a local rescue team said. Residents of {town} said the shells fell on a "
        f"market near the main road and that {i + 6} people were wounded.\n"
    )


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A database written by `sitreps run` on four invented reports."""
    folder = tmp_path_factory.mktemp("doctor")
    for i in range(len(TOWNS)):
        (folder / f"report{i}.txt").write_text(story(i), encoding="utf-8")
    db = folder / "built.duckdb"
    result = invoke("run", str(folder / "report0.txt"), str(folder / "report1.txt"),
                    str(folder / "report2.txt"), str(folder / "report3.txt"), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


def copy_of(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.duckdb"
    shutil.copy(db, target)
    return target


def counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return {table: store.count(table) for table in TABLES}


def test_doctor_sound_database_reports_every_table(built):
    result = invoke("doctor", "--db", str(built))
    assert result.exit_code == 0, result.output
    assert f"schema version {SCHEMA_VERSION}" in result.output
    assert "No problems found." in result.output
    found = counts(built)
    assert found["events"] > 0 and found["merged_events"] > 0
    for table, rows in found.items():
        assert any(line.split() == [table, f"{rows:,}", "rows"]
                   for line in result.output.splitlines()), (table, result.output)


def _damage_column(db: Path, table: str, column: str) -> None:
    """Random bytes over the middle of the storage block holding ``table.column``."""
    with Store(db, read_only=True) as store:
        block_size = store.con.execute(
            "SELECT block_size FROM pragma_database_size()"
        ).fetchone()[0]
        rows = store.con.execute(
            "SELECT block_id, block_offset FROM pragma_storage_info(?) "
            "WHERE column_name = ? AND block_id >= 0 AND segment_type <> 'VALIDITY'",
            [table, column],
        ).fetchall()
    assert rows, f"{table}.{column} holds no block"
    block_id, offset = rows[0]
    # Three 4 KiB headers, then fixed-size blocks, each led by an 8-byte checksum.
    start = 3 * 4096 + block_id * block_size + 8 + offset
    with db.open("r+b") as handle:
        handle.seek(start)
        handle.write(os.urandom(64))


def test_doctor_names_a_table_whose_blocks_are_damaged(built, tmp_path):
    db = copy_of(built, tmp_path)
    _damage_column(db, "event_sources", "sentence")
    result = invoke("doctor", "--db", str(db))
    assert result.exit_code == 1, result.output
    assert "event_sources" in result.output and "DAMAGED" in result.output
    assert "restore the file from a backup" in result.output
    # What merged events are made from is damaged: --rebuild must refuse, not invent.
    rebuilt = invoke("doctor", "--db", str(db), "--rebuild")
    assert rebuilt.exit_code == 1
    assert "not rebuilt" in rebuilt.output


def test_doctor_rebuild_restores_a_tampered_merge(built, tmp_path):
    db = copy_of(built, tmp_path)
    with Store(db) as store:
        original = sorted(store.table_rows("merged_events"), key=lambda r: r["id"])
        store.con.execute("DELETE FROM merged_event_members WHERE event_id IN "
                          "(SELECT event_id FROM merged_event_members LIMIT 1)")
        store.con.execute("UPDATE merged_events SET fatalities_best = 9999")
    result = invoke("doctor", "--db", str(db))
    assert result.exit_code == 1
    assert "out of step" in result.output
    fixed = invoke("doctor", "--db", str(db), "--rebuild")
    assert fixed.exit_code == 0, fixed.output
    assert "Rebuilt merged events" in fixed.output and "No problems found." in fixed.output
    with Store(db, read_only=True) as store:
        again = sorted(store.table_rows("merged_events"), key=lambda r: r["id"])
    assert again == original


@pytest.mark.parametrize("content", [b"", b"id,text\n1,not a database\n"])
def test_doctor_on_a_file_that_is_not_a_sitreps_database(tmp_path, content):
    path = tmp_path / "other.duckdb"
    path.write_bytes(content)
    result = invoke("doctor", "--db", str(path))
    assert result.exit_code == 1
    assert "not a sitreps database" in result.output


def test_doctor_without_a_file_cannot_run(tmp_path):
    result = invoke("doctor", "--db", str(tmp_path / "absent.duckdb"))
    assert result.exit_code == 3
    assert "No database at" in result.output
    assert not (tmp_path / "absent.duckdb").exists()


def test_backup_opens_with_the_same_counts_and_refuses_to_overwrite(built, tmp_path):
    out = tmp_path / "backup.duckdb"
    result = invoke("backup", "--db", str(built), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert counts(out) == counts(built)
    assert invoke("doctor", "--db", str(out)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.duckdb"]  # no temporary left
    out.write_bytes(b"an older backup")
    refused = invoke("backup", "--db", str(built), "--out", str(out))
    assert refused.exit_code == 3
    assert "--force" in refused.output
    assert out.read_bytes() == b"an older backup"
    forced = invoke("backup", "--db", str(built), "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert counts(out) == counts(built)


def test_backup_of_a_damaged_database_writes_nothing(built, tmp_path):
    db = copy_of(built, tmp_path)
    _damage_column(db, "event_sources", "sentence")
    out = tmp_path / "backup.duckdb"
    result = invoke("backup", "--db", str(db), "--out", str(out))
    assert result.exit_code == 3
    assert "damaged" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.duckdb"]


@pytest.fixture
def served(built, tmp_path):
    """A real `sitreps serve` process holding a copy of the database (read-only)."""
    db = copy_of(built, tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(sitreps.__file__).resolve().parents[1])}
    server = subprocess.Popen(
        [sys.executable, "-m", "sitreps.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode(errors="replace"))
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("sitreps serve did not start")
            time.sleep(0.2)
        yield db, base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_backup_while_serve_reads_the_database(served, tmp_path):
    db, base = served
    before = httpx.get(f"{base}/api/stats", timeout=10).json()
    out = tmp_path / "while-serving.duckdb"
    result = invoke("backup", "--db", str(db), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert counts(out) == counts(db)
    # The server was not disturbed: it still answers, with the same figures.
    assert httpx.get(f"{base}/api/stats", timeout=10).json() == before


def test_ingest_while_serving_says_what_to_do(served, tmp_path):
    db, _ = served
    article = tmp_path / "more.txt"
    article.write_text(story(0).replace("Friday", "Sunday"), encoding="utf-8")
    result = invoke("ingest", str(article), "--db", str(db))
    assert result.exit_code == 3
    assert "sitreps serve" in result.output and "/api/ingest" in result.output
    assert "-readonly" not in result.output and "duckdb.org" not in result.output
