"""The Dask engine: partitions analysed on a Dask cluster, results staged as Parquet.

The parent reads partitions of unprocessed articles from the store and submits them, a bounded
window at a time. A worker analyses a partition with the same :func:`analyse_partition` as the
local engine, writes its rows as one Parquet file per table into ``work_dir/part-<key>/`` (via
an in-memory DuckDB with the store's schema, so no pyarrow is needed) and renames the folder into
place when complete: the folder's ``manifest.json`` is the partition's *done* marker. The parent
then loads each finished folder into the store in one transaction and drops a ``loaded`` marker.

A failed task is retried by Dask (``retries``); a partition that still fails leaves its articles
unprocessed for the next run; a run that died after workers finished loads their folders first
instead of computing them again. Workers need ``sitreps`` installed and, on several machines,
``work_dir`` on storage that they and the parent share.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sitreps.config import Config
from sitreps.engine import fork_server
from sitreps.engine.local import partition_failed
from sitreps.engine.partitions import (
    DEFAULT_PARTITION_SIZE,
    ExtractReport,
    Partition,
    analyse_partition,
    default_work_dir,
    partition_dir_name,
    store_partitions,
    worker_nlp,
)
from sitreps.records import IngestError
from sitreps.store.duckdb import ANALYSIS_COLUMNS, Store

Progress = Callable[[int], None]

MANIFEST = "manifest.json"
LOADED = "loaded"
# Tables a partition writes: every table an analysis fills, and its errors. Keyed tables skip
# rows whose id another partition stored first (ids are content hashes: the rows are the same).
OUTPUT_TABLES = (*ANALYSIS_COLUMNS, "ingest_errors")
_IN_FLIGHT_PER_WORKER = 2


def _sql_path(path: Path) -> str:
    """A path as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


# -- on the worker ----------------------------------------------------------------------------

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # dask is optional: the local engine must import without it
    WorkerPlugin = object  # type: ignore[assignment,misc]


class LoadModel(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Builds the spaCy pipeline when a worker starts, once, before its first partition."""

    name = "sitreps-load-model"

    def __init__(self, config: Config) -> None:
        self.config = config

    def setup(self, worker: Any) -> None:
        worker_nlp(self.config)


def read_manifest(part_dir: Path) -> dict[str, Any] | None:
    """A finished partition's manifest, or None when the folder is absent or incomplete."""
    try:
        return json.loads((part_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None


_scratch = threading.local()


@contextmanager
def _scratch_store() -> Iterator[Store]:
    """This thread's empty in-memory store with the store's schema, kept between partitions.

    A new store per partition spent 0.03-0.04 s of CPU making the schema, a third of staging
    a partition (0.13 instead of 0.09 s for 32 articles; issue 16): the store is emptied
    before each use instead, and dropped when a use raised.
    """
    scratch: Store | None = getattr(_scratch, "store", None)
    if scratch is None:
        scratch = Store(":memory:")
        # One thread, as the analysis: DuckDB's pool spread these few hundred rows over every
        # core, taking them from the other workers (20 % more CPU for the write; issue 16).
        scratch.con.execute("SET threads = 1")
        _scratch.store = scratch
    try:
        for table in (*OUTPUT_TABLES, "articles"):
            scratch.con.execute(f"DELETE FROM {table}")
        # Deleted rows stay in memory until a checkpoint: 60-70 MB after 100 partitions
        # without it, 4 MB with it, at no extra CPU.
        scratch.con.execute("CHECKPOINT")
        yield scratch
    except BaseException:
        _scratch.store = None
        scratch.close()
        raise


def write_partition(partition: Partition, config: Config, work_dir: str) -> dict[str, Any]:
    """Analyse a partition and write its rows as Parquet; the Dask task, run on a worker.

    Returns the manifest (key, folder, article ids, counts). A partition already written (an
    earlier attempt or run) is not computed again.
    """
    final = Path(work_dir) / partition_dir_name(partition.key)
    done = read_manifest(final)
    if done is not None:
        return done
    result = analyse_partition(partition, config)
    staging = Path(work_dir) / f".{final.name}.{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    with _scratch_store() as scratch:
        scratch.save_analyses(result.analyses, result.errors)
        for table in OUTPUT_TABLES:
            target = _sql_path(staging / f"{table}.parquet")
            scratch.con.execute(f"COPY {table} TO {target} (FORMAT parquet)")
    manifest = {
        "key": partition.key,
        "index": partition.index,
        "dir": str(final),
        "article_ids": list(partition.article_ids),
        "articles": result.articles,
        "events": result.events,
        "errors": [[e.origin, e.item, e.reason, e.kind] for e in result.errors],
    }
    (staging / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    try:
        os.rename(staging, final)  # atomic: the folder appears complete or not at all
    except OSError:  # another attempt got there first; its files are the same
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


# -- on the parent ----------------------------------------------------------------------------


def load_partition(store: Store, part_dir: Path) -> dict[str, Any]:
    """Load one finished partition folder into the store in one transaction.

    The same write as the local engine's (``Store.write_article_records``): earlier records
    of the same articles are replaced, their merged-event links dropped for the merge job,
    and every article of the partition marked processed.
    """
    manifest = read_manifest(part_dir)
    if manifest is None:
        raise FileNotFoundError(f"{part_dir} has no {MANIFEST}: the partition is not finished.")
    store.write_article_records(
        manifest["article_ids"],
        {table: part_dir / f"{table}.parquet" for table in OUTPUT_TABLES},
    )
    (part_dir / LOADED).touch()
    return manifest


def _add(report: ExtractReport, manifest: dict[str, Any], progress: Progress | None) -> None:
    """Count a loaded partition in the report."""
    report.articles += manifest["articles"]
    report.events += manifest["events"]
    report.errors.extend(
        # Manifests written before errors had a kind carry three fields.
        IngestError(origin=o, item=i, reason=r, kind=k[0] if k else "input")
        for o, i, r, *k in manifest["errors"]
    )
    if progress:
        progress(manifest["articles"])


def load_leftovers(
    store: Store, work_dir: Path, report: ExtractReport, progress: Progress | None = None
) -> int:
    """Load partitions that workers finished but an interrupted run never loaded."""
    loaded = 0
    for part_dir in sorted(work_dir.glob("part-*")):
        manifest = read_manifest(part_dir)
        if manifest is None or (part_dir / LOADED).exists():
            continue
        pending = store.con.execute(
            "SELECT count(*) FROM articles WHERE processed_at IS NULL AND list_contains(?, id)",
            [manifest["article_ids"]],
        ).fetchone()[0]
        if pending:
            _add(report, load_partition(store, part_dir), progress)
            loaded += 1
        else:
            (part_dir / LOADED).touch()
    return loaded


# Settings of the workers a LocalCluster starts here (issue 16). Dask's defaults suit workers
# that hold data between many short tasks; ours run one long, CPU-bound task at a time, with the
# parent on the same cores. Measured on 770 FA-KES articles, 2 workers on 2 cores:
LOCAL_WORKER_CONFIG = {
    # Dask has glibc give freed memory back above 64 KiB: each partition's docs were returned
    # and faulted in again (1.3-1.5 million minor faults per worker and run, not 0.25 million),
    # about 12 % more CPU per partition than the same call in a plain process. Unset, glibc's
    # own threshold applies, as in the local engine's workers.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # The sampling profiler walked the task's stack 100 times a second on the event loop,
    # which took the GIL from the task each time (2,000-5,000 waits per worker and run, now
    # 150-300); the health tick (every 20 ms) and the memory and system monitors (10 and 2
    # times a second, in the workers and in the parent's nannies) woke the loops too.
    # Together: 1-1.5 s of CPU per worker and run and ~0.7 s in the parent, taken from the
    # cores the workers analyse on.
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


@contextmanager
def dask_client(
    workers: int, scheduler: str | None, config: Config | None = None
) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a new LocalCluster of ``workers``.

    Given the run's ``config`` (and on Linux), the LocalCluster's workers fork from the fork
    server (:mod:`sitreps.engine.fork_server`), which has loaded the pipeline; otherwise they
    are spawned, and a script that calls this must guard its entry point with
    ``if __name__ == "__main__":``. Its workers get LOCAL_WORKER_CONFIG; a cluster at
    ``scheduler`` keeps the settings its workers were started with.
    """
    import dask
    from distributed import Client, LocalCluster

    cluster = None
    if not scheduler:
        settings: dict[str, Any] = dict(LOCAL_WORKER_CONFIG)
        if config is not None and fork_server.start_fork_server(
            config, fork_server.DASK_MODULES, fork_server.DASK_ENVIRON
        ):
            # Spawned, each worker imported Dask, spaCy and the stages and loaded the pipeline
            # (~1.4 s of CPU), and freed it on exit (0.3-0.9 s while the merge job ran, more
            # with two workers on two cores); forked, it does neither (issue 16).
            settings["distributed.worker.multiprocessing-method"] = "forkserver"
        # Nannies read the settings (and the environment their worker is spawned with) when
        # they are made, inside the LocalCluster's constructor.
        with dask.config.set(settings):
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # a free port: several runs may share a machine
                silence_logs=logging.ERROR,
            )
    try:
        # Not ``with Client(...)``: that makes it the current client of this thread's context,
        # which only the same thread may undo, and run_dask shuts down in a thread of its own.
        client = Client(scheduler or cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def run_dask(
    store: Store,
    config: Config,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    retries: int = 2,
    work_dir: str | Path | None = None,
    progress: Progress | None = None,
    then: Callable[[], object] | None = None,
) -> ExtractReport:
    """Analyse every unprocessed article of ``store`` on a Dask cluster.

    Args:
        store: the database; only this (the parent) process writes to it.
        config: the run's configuration, shipped to the workers with each partition.
        workers: worker processes of the LocalCluster started when ``scheduler`` is None.
        scheduler: address of a running scheduler (``tcp://host:8786``).
        partition_size: articles per task, per Parquet folder and per transaction.
        retries: extra attempts Dask makes for a failed task.
        work_dir: where partitions are written (default: beside the database); must be
            shared with the workers when they run on other machines.
        progress: called with the number of articles of each loaded partition.
        then: run in this process once every partition is loaded, while the cluster shuts
            down (the run's merge job, which needs no worker).

    Returns:
        An ``ExtractReport``; partitions that failed every attempt appear in ``errors`` and
        their articles stay unprocessed for the next run.
    """
    from distributed import as_completed

    work = Path(work_dir) if work_dir is not None else default_work_dir(store)
    work.mkdir(parents=True, exist_ok=True)
    report = ExtractReport()
    load_leftovers(store, work, report, progress)
    with _one_thread(store), ExitStack() as cluster:
        client = cluster.enter_context(dask_client(workers, scheduler, config))
        client.register_plugin(LoadModel(config))
        size = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        limit = size * _IN_FLIGHT_PER_WORKER
        # The last partitions shrink, so the workers finish together (tail_partition_size).
        partitions = store_partitions(
            store, partition_size, workers=size, pending=store.count_unprocessed()
        )
        running: dict[Any, Partition] = {}
        queue = as_completed()
        # Finished partitions are loaded in the order they were read, whichever worker ends
        # first, so the store's rows are the same as one process's (issue 16).
        ready: dict[int, dict[str, Any] | None] = {}
        order: deque[int] = deque()

        def load_ready() -> None:
            while order and order[0] in ready:
                manifest = ready.pop(order.popleft())
                if manifest is not None:
                    _add(report, load_partition(store, Path(manifest["dir"])), progress)

        def refill() -> None:
            while len(running) < limit:
                partition = next(partitions, None)
                if partition is None:
                    return
                future = client.submit(
                    write_partition, partition, config, str(work),
                    retries=retries, pure=False,
                    key=f"sitreps-partition-{partition.key}-{uuid.uuid4().hex[:8]}",
                )
                running[future] = partition
                order.append(partition.index)
                queue.add(future)

        refill()
        for future in queue:
            partition = running.pop(future)
            try:
                ready[partition.index] = future.result()
            except Exception as error:  # the task failed every retry, or its worker kept dying
                report.errors.append(partition_failed(partition, error, retries + 1))
                ready[partition.index] = None
            future.release()
            load_ready()
            refill()
        load_ready()
        # Every partition is loaded: the cluster is no longer needed (the store gets its
        # threads back first, in this thread, for the merge).
        shutdown = cluster.pop_all()
    _close_during(shutdown, then)
    return report


@contextmanager
def _one_thread(store: Store) -> Iterator[None]:
    """The store's DuckDB on one thread while it loads partitions beside the workers.

    A partition's Parquet files are a few hundred rows: spread over every core, loading one
    took 0.035 s of CPU instead of 0.024 s, taken from the workers on the same cores.
    """
    threads = store.con.execute("SELECT current_setting('threads')").fetchone()[0]
    store.con.execute("SET threads = 1")
    try:
        yield
    finally:
        store.con.execute(f"SET threads = {int(threads)}")


def _close_during(shutdown: ExitStack, job: Callable[[], object] | None) -> None:
    """Shut the cluster down in a thread while ``job`` runs here; raise what either raised.

    Stopping a LocalCluster waits ~0.3-0.9 s for its worker processes to end (each frees its
    pipeline, ~0.25 s of CPU); the merge job after it took ~0.4 s: both were fixed costs of
    every run, whatever its workers (issue 16). Overlapped, the end of a one-worker run fell
    from ~0.9 to ~0.5 s; two exiting workers share the cores with the merge, so less is won.
    """
    failed: list[BaseException] = []

    def close() -> None:
        try:
            shutdown.close()
        except BaseException as error:  # noqa: BLE001 - raised in the caller's thread below
            failed.append(error)

    closer = threading.Thread(target=close, name="sitreps-dask-shutdown", daemon=True)
    closer.start()
    try:
        if job is not None:
            job()
    finally:
        closer.join()
    if failed:
        raise failed[0]
