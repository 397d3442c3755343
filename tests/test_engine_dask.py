"""The Dask engine on a LocalCluster of 2 workers: same store as the local engine, and reruns
after a failed partition lose and duplicate nothing."""

from __future__ import annotations

import os

import pytest

# Shared helpers and fixtures (pytest puts tests/ on sys.path; conftest.py belongs to others).
import test_engine_local as shared
from test_engine_local import PARTITION, counts, event_tuples, merged_tuples

from sitreps.engine import fork_server, run_engine
from sitreps.engine.dask_engine import (
    LOADED,
    MANIFEST,
    dask_client,
    load_leftovers,
    write_partition,
)
from sitreps.engine.partitions import FAIL_ONCE_ENV, store_partitions
from sitreps.jobs import ExtractReport
from sitreps.merge import merge_is_current, run_merge
from sitreps.store.duckdb import Store

sample_db, reference, fresh_db = shared.sample_db, shared.reference, shared.fresh_db
merged_reference, reference_db = shared.merged_reference, shared.reference_db

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scheduler(config):
    """One LocalCluster (2 processes, 1 thread each) for the module: workers load the model
    once and keep it, as they would on a real cluster."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def _set_worker_env(address: str, value: str | None) -> None:
    """Set or clear the failure hook in the worker processes (they outlive monkeypatch)."""
    with distributed.Client(address) as client:
        if value is None:
            client.run(lambda: os.environ.pop(FAIL_ONCE_ENV, None))
        else:
            client.run(lambda: os.environ.__setitem__(FAIL_ONCE_ENV, value))


def test_engine_dask_equals_local(
    fresh_db, reference, merged_reference, config, scheduler, tmp_path
) -> None:
    work = tmp_path / "parts"
    with Store(fresh_db) as store:
        report = run_engine(
            store, config, engine="dask", scheduler=scheduler, partition_size=PARTITION,
            work_dir=work,
        )
        assert report.articles == 10 and report.events == reference[1]["events"]
        assert (event_tuples(store), counts(store)) == reference
        # The same merge job after the same store write: the same real-world events.
        assert merged_tuples(store) == merged_reference
    parts = sorted(work.glob("part-*"))
    assert len(parts) == 4  # 10 articles in partitions of 3
    assert all((p / MANIFEST).exists() and (p / LOADED).exists() for p in parts)
    assert (parts[0] / "events.parquet").exists()

    # A parent that died after the workers finished: the rerun loads, it does not recompute.
    with Store(fresh_db) as store:
        store.con.execute("UPDATE articles SET processed_at = NULL")
        for marker in work.glob(f"part-*/{LOADED}"):
            marker.unlink()
        leftovers = ExtractReport()
        assert load_leftovers(store, work, leftovers) == 4
        assert leftovers.articles == 10 and store.count_unprocessed() == 0
        assert (event_tuples(store), counts(store)) == reference
        # Reloading re-extracted articles drops their events' cluster links, as the local
        # engine's write does (issue 14: the Dask loader kept them), so the merge job
        # clusters them again.
        assert store.count("merged_event_members") == 0
        assert not merge_is_current(store)
        run_merge(store)
        assert merged_tuples(store) == merged_reference


def test_engine_dask_failed_partition_reruns_cleanly(
    fresh_db, reference, config, scheduler, tmp_path
) -> None:
    _set_worker_env(scheduler, f"2:{tmp_path / 'failed-once'}")
    try:
        with Store(fresh_db) as store:
            first = run_engine(
                store, config, engine="dask", scheduler=scheduler, partition_size=PARTITION,
                retries=0, work_dir=tmp_path / "parts",
            )
            assert any("injected failure" in e.reason for e in first.errors)
            assert first.articles == 10 - PARTITION
            assert store.count_unprocessed() == PARTITION
            second = run_engine(
                store, config, engine="dask", scheduler=scheduler, partition_size=PARTITION,
                retries=0, work_dir=tmp_path / "parts",
            )
            assert second.articles == PARTITION and not second.errors
            assert (event_tuples(store), counts(store)) == reference
    finally:
        _set_worker_env(scheduler, None)


def test_engine_dask_retry_hides_one_failure(
    fresh_db, reference, config, scheduler, tmp_path
) -> None:
    _set_worker_env(scheduler, f"0:{tmp_path / 'failed-once'}")
    try:
        with Store(fresh_db) as store:
            report = run_engine(
                store, config, engine="dask", scheduler=scheduler, partition_size=PARTITION,
                retries=1, work_dir=tmp_path / "parts",
            )
            assert report.articles == 10 and not report.errors
            assert (event_tuples(store), counts(store)) == reference
    finally:
        _set_worker_env(scheduler, None)


def test_engine_dask_own_cluster_equals_local(
    fresh_db, reference, merged_reference, config, tmp_path, monkeypatch
) -> None:
    """Without a scheduler the engine starts a LocalCluster of its own and shuts it down while
    the merge job runs: the same events and merged events as one process (issue 16)."""
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    threads = "SELECT current_setting('threads')"
    with Store(fresh_db) as store:
        before = store.con.execute(threads).fetchone()
        report = run_engine(
            store, config, engine="dask", workers=2, partition_size=PARTITION,
            work_dir=tmp_path / "parts",
        )
        assert report.articles == 10 and not report.errors
        assert (event_tuples(store), counts(store)) == reference
        assert merge_is_current(store) and merged_tuples(store) == merged_reference
        # The store loads partitions on one thread, and gets its threads back for the merge.
        assert store.con.execute(threads).fetchone() == before


def _worker_settings() -> dict:
    import dask

    return {
        "trim": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        "profile": dask.config.get("distributed.worker.profile.enabled"),
    }


def _worker_start() -> dict:
    import dask

    from sitreps.nlp import _cached_nlp

    return {
        "pipelines": _cached_nlp.cache_info().currsize,
        "profile": dask.config.get("distributed.worker.profile.enabled"),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


def test_engine_dask_own_workers_fork_with_the_pipeline(config) -> None:
    """Given the run's config, the engine's LocalCluster forks its workers from the fork
    server, which loaded the pipeline: a worker has it before its first task or plugin
    (spawned, each imported and loaded it, ~1.4 s of CPU, and freed it on exit; issue 16),
    and keeps the engine's worker settings and Dask's one BLAS thread."""
    if not fork_server.available():
        pytest.skip("workers fork from a server on Linux only")
    with dask_client(2, None, config) as client:
        found = list(client.run(_worker_start).values())
    assert len(found) == 2
    assert all(f["pipelines"] >= 1 and f["profile"] is False for f in found)
    assert all(f["blas_threads"] == "1" for f in found)


def test_engine_dask_own_workers_keep_freed_memory(monkeypatch) -> None:
    """The engine's LocalCluster spawns its workers without Dask's 64 KiB malloc trim
    threshold and without its sampling profiler: both cost ~12 % more CPU per partition
    than the same call in a plain process (issue 16)."""
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with dask_client(1, None) as client:
        found = list(client.run(_worker_settings).values())
    assert found == [{"trim": None, "profile": False}]


def test_engine_dask_staged_partitions_hold_only_their_rows(fresh_db, config, tmp_path) -> None:
    """A worker stages partitions through one scratch store, emptied before each: a folder
    holds its own partition's rows, however many the worker wrote before (issue 16)."""
    import duckdb

    with Store(fresh_db) as store:
        partitions = list(store_partitions(store, PARTITION))
    manifests = [write_partition(p, config, str(tmp_path)) for p in partitions]
    staged: list[str] = []
    for partition, manifest in zip(partitions, manifests, strict=True):
        events = duckdb.sql(
            f"SELECT article_id FROM read_parquet('{manifest['dir']}/events.parquet')"
        ).fetchall()
        assert {a for (a,) in events} <= set(partition.article_ids)
        assert len(events) == manifest["events"]
        staged += [a for (a,) in events]
    assert len(staged) == sum(m["events"] for m in manifests) > 0


def test_engine_dask_cli_run_loads_workers_while_reading(
    tmp_path, reference, merged_reference, monkeypatch
) -> None:
    """``sitreps run --engine dask`` starts the workers' fork server before it reads the
    articles, so their pipeline loads meanwhile (issue 16), and stores what one process
    stores."""
    from click.testing import CliRunner

    import sitreps.engine as engine
    from sitreps.cli import cli

    db = tmp_path / "run.duckdb"
    started: list[tuple[bool, bool]] = []
    prepare = engine.prepare_workers

    def recording(*args, **kwargs) -> bool:
        running = prepare(*args, **kwargs)
        started.append((db.exists(), running))
        return running

    monkeypatch.setattr(engine, "prepare_workers", recording)
    CliRunner().invoke(
        cli, ["run", str(shared.SAMPLE), "--db", str(db), "--engine", "dask", "--workers", "2",
              "--work-dir", str(tmp_path / "parts")],
        catch_exceptions=False,
    )  # fmt: skip
    # Called before the database was opened; running wherever workers fork from a server.
    assert started and started[0] == (False, fork_server.available())
    with Store(db) as store:
        assert (event_tuples(store), counts(store)) == reference
        assert merged_tuples(store) == merged_reference
