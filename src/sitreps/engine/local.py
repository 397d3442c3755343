"""The local engine: partitions analysed by N worker processes on this machine.

The parent process owns the store: it reads a partition, hands it to a worker, and commits each
finished partition in one transaction. Only ``2 * workers`` partitions are ever in flight, so
memory does not grow with the corpus. Each worker builds the spaCy pipeline once, in the pool
initializer, and keeps it for every partition it gets.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from sitreps.config import Config
from sitreps.engine import fork_server
from sitreps.engine.partitions import (
    DEFAULT_PARTITION_SIZE,
    FAIL_ONCE_ENV,
    ExtractReport,
    Partition,
    PartitionResult,
    analyse_partition,
    store_partitions,
    worker_nlp,
)
from sitreps.records import IngestError
from sitreps.store.duckdb import Store

Progress = Callable[[int], None]

# Partitions queued per worker: one running, one waiting, so a worker never idles while the
# parent commits.
_IN_FLIGHT_PER_WORKER = 2
# Finished partitions kept per worker while an earlier one is still running.
_READY_PER_WORKER = 4


def commit_result(store: Store, result: PartitionResult, report: ExtractReport) -> None:
    """Write one partition's records in one transaction and add them to the report."""
    store.save_analyses(result.analyses, result.errors)
    store.mark_failed(result.failed)
    report.articles += result.articles
    report.events += result.events
    report.errors.extend(result.errors)


def partition_failed(partition: Partition, error: BaseException, attempts: int) -> IngestError:
    """The error record of a partition that kept failing; its articles stay unprocessed."""
    return IngestError(
        origin=f"engine partition {partition.index} ({partition.key})",
        item=partition.key,
        reason=(
            f"partition of {len(partition.articles)} articles failed {attempts} time(s): "
            f"{type(error).__name__}: {error}. Its articles stay unprocessed; run extract again."
        ),
    )


def _init_worker(config: Config, fail_once: str | None = None) -> None:
    """Pool initializer: load the model once per worker, before the first partition.

    ``fail_once`` is the parent's SITREPS_ENGINE_FAIL_ONCE test hook: workers fork from a
    fork server that keeps the environment it started with, not the parent's current one.
    """
    if fail_once:
        os.environ[FAIL_ONCE_ENV] = fail_once
    else:
        os.environ.pop(FAIL_ONCE_ENV, None)
    _exit_with_parent()
    worker_nlp(config)


def _exit_with_parent() -> None:
    """End this worker when the run's process dies without shutting the pool down.

    A parent killed outright (SIGKILL, the OOM killer) never tells its workers to stop: they
    would wait on the task queue for ever, each holding a model in memory. The parent's
    sentinel becomes readable when the parent is gone.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="sitreps-parent-watch", daemon=True).start()


def _mp_context(config: Config) -> multiprocessing.context.BaseContext:
    # forkserver/spawn, not fork: the parent holds a DuckDB connection and its threads, which
    # must not be copied into children.
    # Import spaCy and the stages, and load this run's pipeline, once in the fork server
    # rather than once per worker: workers fork with it in memory (issue 16).
    if not fork_server.available():
        return multiprocessing.get_context("spawn")
    return fork_server.fork_server_context(config)


def run_local(
    store: Store,
    config: Config,
    *,
    workers: int = 1,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    retries: int = 1,
    progress: Progress | None = None,
) -> ExtractReport:
    """Analyse every unprocessed article of ``store`` with ``workers`` local processes.

    Args:
        store: the database; written only by this (the parent) process.
        config: the run's configuration.
        workers: processes; 1 runs in this process without a pool.
        partition_size: articles per partition (and per transaction).
        retries: extra attempts for a partition whose worker raised or died.
        progress: called with the number of articles of each committed partition.

    Returns:
        An ``ExtractReport``; partitions that failed every attempt appear in ``errors``.
    """
    report = ExtractReport()
    partitions = store_partitions(store, partition_size)
    if workers <= 1:
        for partition in partitions:
            result = _run_inline(partition, config, retries, report)
            if result is not None:
                commit_result(store, result, report)
                if progress:
                    progress(result.articles)
        return report
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_mp_context(config),
        initializer=_init_worker,
        initargs=(config, os.environ.get(FAIL_ONCE_ENV)),
    ) as pool:
        for result in _run_pool(pool, partitions, config, workers, retries, report):
            commit_result(store, result, report)
            if progress:
                progress(result.articles)
    return report


def _run_inline(
    partition: Partition, config: Config, retries: int, report: ExtractReport
) -> PartitionResult | None:
    """One partition in this process, retried like a pool task would be."""
    for attempt in range(retries + 1):
        try:
            return analyse_partition(partition, config)
        except Exception as error:  # a failed partition is reported, never fatal to the run
            if attempt == retries:
                report.errors.append(partition_failed(partition, error, attempt + 1))
    return None


def _run_pool(
    pool: ProcessPoolExecutor,
    partitions: Iterator[Partition],
    config: Config,
    workers: int,
    retries: int,
    report: ExtractReport,
) -> Iterator[PartitionResult]:
    """Keep a bounded window of partitions in the pool; yield results in partition order.

    Results are yielded (and so committed) in the order the partitions were read, whichever
    worker finishes first: the store then holds the same rows, in the same order, as one
    process would have written (an actor's display name is the first article's, issue 16).
    Finished partitions wait at most ``_READY_PER_WORKER * workers`` deep for a slow one.
    """
    running: dict[Future[PartitionResult], tuple[Partition, int]] = {}
    ready: dict[int, PartitionResult | None] = {}  # None: the partition failed for good
    limit = workers * _IN_FLIGHT_PER_WORKER
    next_index: int | None = None
    exhausted = False
    while True:
        # A killed worker breaks the pool: stop feeding it; a rerun picks up what is left.
        exhausted = exhausted or _broken(pool)
        while not exhausted and len(running) < limit and len(ready) < workers * _READY_PER_WORKER:
            # Reading happens here, between commits, on the parent's one connection.
            partition = next(partitions, None)
            if partition is None:
                exhausted = True
                break
            if next_index is None:
                next_index = partition.index
            running[pool.submit(analyse_partition, partition, config)] = (partition, 0)
        while next_index is not None and next_index in ready:
            result = ready.pop(next_index)
            next_index += 1
            if result is not None:
                yield result
        if not running:
            # Whatever still waits follows a partition that never came back (a broken pool).
            for index in sorted(ready):
                if (result := ready.pop(index)) is not None:
                    yield result
            return
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            partition, attempt = running.pop(future)
            try:
                ready[partition.index] = future.result()
            except Exception as error:  # includes BrokenProcessPool when a worker died
                if attempt < retries and not _broken(pool):
                    running[pool.submit(analyse_partition, partition, config)] = (
                        partition, attempt + 1,
                    )
                else:
                    report.errors.append(partition_failed(partition, error, attempt + 1))
                    ready[partition.index] = None
            # Results are committed by the caller, outside this try: a store error while
            # committing must stop the run, not retry.


def _broken(pool: ProcessPoolExecutor) -> bool:
    """A pool whose worker was killed accepts no more work; its partitions are rerun later."""
    return bool(getattr(pool, "_broken", False))
