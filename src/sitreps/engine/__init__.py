"""Engines: the same pure pipeline mapped over partitions of articles, here or on a cluster.

``run_engine`` is the one entry point (``sitreps run/extract --engine local|dask``). Every engine
reads unprocessed articles from the store in partitions, runs
:func:`sitreps.engine.partitions.analyse_partition` on each, and commits one transaction per
partition through the same store write (``Store.write_article_records``); then the one merge
job (:func:`sitreps.merge.run_merge`) runs. So the results are the same whatever the engine and
the number of workers.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
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
    "run_engine",
]

ENGINES = ("local", "dask")


class UnknownEngine(ValueError):
    """The engine name is not one of ENGINES; use --engine local or --engine dask."""


class EngineUnavailable(RuntimeError):
    """The Dask engine needs dask.distributed: pip install "dask[distributed]"."""


def run_engine(
    store: Store,
    config: Config,
    *,
    engine: str = "local",
    workers: int = 1,
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
            is None (ignored with a scheduler: the cluster has its own workers).
        scheduler: ``tcp://host:port`` of a running Dask scheduler (dask engine only).
        partition_size: articles per partition, task and transaction (default:
            ``config.commit_every``).
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
    partition_size = partition_size or config.commit_every
    store.set_memory_limit(config.store_memory_limit)
    if engine not in ENGINES:
        raise UnknownEngine(f"Unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}.")
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
    try:
        import distributed  # noqa: F401

        from sitreps.engine.dask_engine import run_dask
    except ImportError as error:
        raise EngineUnavailable(
            'The dask engine needs dask.distributed: pip install "dask[distributed]".'
        ) from error
    report = run_dask(
        store, config, workers=workers, scheduler=scheduler, partition_size=partition_size,
        retries=retries, work_dir=work_dir, progress=progress,
    )
    # Cross-article merging needs every partition: it runs once, in the process that owns the
    # database, after all partitions are loaded; the same job as after the local engine.
    run_merge(store, knowledge)
    return report
