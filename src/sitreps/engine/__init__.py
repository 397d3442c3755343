"""Engines: the same pure pipeline mapped over partitions of articles, here or on a cluster.

``run_engine`` is the one entry point (``sitreps run/extract --engine local|dask``). Every engine
reads unprocessed articles from the store in partitions, runs
:func:`sitreps.engine.partitions.analyse_partition` on each, and commits one transaction per
partition through the same store write (``Store.write_article_records``); then the one merge
job (:func:`sitreps.merge.run_merge`) runs. So the results are the same whatever the engine and
the number of workers.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from sitreps.config import Config
from sitreps.engine.partitions import (
    DEFAULT_PARTITION_SIZE,
    ExtractReport,
    Partition,
    analyse_partition,
)
from sitreps.knowledge.package import load_knowledge
from sitreps.merge import run_merge
from sitreps.store.duckdb import Store

__all__ = [
    "DEFAULT_PARTITION_SIZE",
    "ENGINES",
    "EngineUnavailable",
    "Partition",
    "UnknownEngine",
    "analyse_partition",
    "auto_workers",
    "prepare_workers",
    "run_engine",
]

# The most processes ``workers=None`` ("auto") starts: each holds its own docs and whatever
# of the (shared, copy-on-write) model it touches, a few hundred MiB.
MAX_AUTO_WORKERS = 4
# Below this many pending articles per worker, starting the pool (a fork server that imports
# spaCy and loads the pipeline, ~2 s) costs more than it saves: one process does everything.
MIN_ARTICLES_PER_WORKER = 64
# Partitions per worker that "auto" aims at, so workers finish close together.
_PARTITIONS_PER_WORKER = 3

ENGINES = ("local", "dask")


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity, not the whole machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def auto_workers(pending: int, cores: int | None = None) -> int:
    """How many local worker processes ``workers=None`` uses for ``pending`` articles.

    One per usable core (at most MAX_AUTO_WORKERS), but no more than the articles keep busy
    (MIN_ARTICLES_PER_WORKER each), and one (in this process, no pool) when that is all.

    >>> auto_workers(300, cores=2), auto_workers(100, cores=2), auto_workers(10_000, cores=16)
    (2, 1, 4)
    """
    cores = usable_cores() if cores is None else cores
    return max(1, min(cores, MAX_AUTO_WORKERS, pending // MIN_ARTICLES_PER_WORKER))


def balanced_partition_size(pending: int, workers: int, most: int, least: int) -> int:
    """Partitions small enough that ``workers`` get about the same share of ``pending``
    articles (a last partition twice the others would keep one worker busy alone), but no
    larger than ``most`` (the commit size) and no smaller than ``least`` (an nlp.pipe batch).

    >>> balanced_partition_size(300, 2, most=64, least=32)
    50
    >>> balanced_partition_size(10_000, 2, most=64, least=32)
    64
    """
    if workers <= 1:
        return most
    share = math.ceil(pending / (workers * _PARTITIONS_PER_WORKER))
    return max(min(least, most), min(most, share))


class UnknownEngine(ValueError):
    """The engine name is not one of ENGINES; use --engine local or --engine dask."""


class EngineUnavailable(RuntimeError):
    """The Dask engine needs dask.distributed: pip install "dask[distributed]"."""


def prepare_workers(config: Config, *, engine: str, scheduler: str | None = None) -> bool:
    """Start loading the pipeline for the engine's workers now, ahead of :func:`run_engine`.

    The Dask engine's own LocalCluster forks its workers from a server that imports Dask and
    loads the pipeline (:mod:`sitreps.engine.fork_server`, ~1.4 s of CPU); started before
    ``sitreps run`` stores its articles, it loads while they are read. Nothing is started for
    the local engine (with ``--workers auto`` it may run in this process alone), a remote
    scheduler, or where Dask or a fork server is missing. Returns whether the server runs.

    >>> prepare_workers(Config(), engine="local")
    False
    """
    if engine != "dask" or scheduler or find_spec("distributed") is None:
        return False
    from sitreps.engine import fork_server

    return fork_server.start_fork_server(
        config, fork_server.DASK_MODULES, fork_server.DASK_ENVIRON
    )


def run_engine(
    store: Store,
    config: Config,
    *,
    engine: str = "local",
    workers: int | None = 1,
    scheduler: str | None = None,
    partition_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    retries: int = 2,
    work_dir: str | Path | None = None,
) -> ExtractReport:
    """Analyse every unprocessed article of ``store`` with the chosen engine.

    Args:
        store: the database; only the calling process writes to it.
        config: the run's configuration.
        engine: ``"local"`` (processes on this machine) or ``"dask"`` (a Dask cluster).
        workers: local processes, or workers of the LocalCluster started when ``scheduler``
            is None (ignored with a scheduler: the cluster has its own workers). ``None``
            ("auto"): :func:`auto_workers` for the pending articles, with partitions sized
            so the workers finish together (:func:`balanced_partition_size`).
        scheduler: ``tcp://host:port`` of a running Dask scheduler (dask engine only).
        partition_size: articles per partition, task and transaction (default:
            ``config.commit_every``; with several local workers, smaller when that shares
            the articles more evenly: :func:`balanced_partition_size`).
        progress: called with the number of articles of each committed partition.
        retries: extra attempts for a partition whose task raised or whose worker died.
        work_dir: dask engine: where Parquet partitions go (default ``<db>.parts/``).

    Returns:
        An ``ExtractReport`` (articles, events, errors), as ``jobs.extract_pending`` gives.

    >>> import os, tempfile
    >>> from sitreps.config import load_config
    >>> with Store(os.path.join(tempfile.mkdtemp(), "e.duckdb")) as store:
    ...     run_engine(store, load_config(), engine="local").articles
    0
    """
    store.set_memory_limit(config.store_memory_limit)
    if engine not in ENGINES:
        raise UnknownEngine(f"Unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}.")
    pending = store.count_unprocessed() if workers is None or workers > 1 else 0
    if workers is None:
        workers = auto_workers(pending)
    if partition_size is None and workers > 1 and not scheduler:
        partition_size = balanced_partition_size(
            pending, workers, config.commit_every, config.batch_size
        )
    partition_size = partition_size or config.commit_every
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}.")
    # A bad knowledge file fails here, before any partition; the merge job reads the package too.
    knowledge = load_knowledge(config.knowledge_files)
    if engine == "local":
        if scheduler or work_dir:
            warnings.warn(
                "--scheduler and work_dir apply to the dask engine only; ignored.", stacklevel=2
            )
        from sitreps.engine.local import run_local

        report = run_local(
            store, config, workers=workers, partition_size=partition_size, retries=retries,
            progress=progress,
        )
        run_merge(store, knowledge)
        return report
    # The engine's own workers fork from a server that imports Dask and loads the pipeline
    # while this process imports Dask and starts the cluster (issue 16).
    prepare_workers(config, engine=engine, scheduler=scheduler)
    try:
        import distributed  # noqa: F401

        from sitreps.engine.dask_engine import run_dask
    except ImportError as error:
        raise EngineUnavailable(
            'The dask engine needs dask.distributed: pip install "dask[distributed]".'
        ) from error
    # Cross-article merging needs every partition: it runs once, in the process that owns the
    # database, after all partitions are loaded (while the cluster shuts down); the same job
    # as after the local engine.
    return run_dask(
        store, config, workers=workers, scheduler=scheduler, partition_size=partition_size,
        retries=retries, work_dir=work_dir, progress=progress,
        then=lambda: run_merge(store, knowledge),
    )
