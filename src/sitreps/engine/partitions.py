"""Partitions of articles: the unit every engine schedules, retries and commits.

A partition is a few hundred articles. Engines read one partition at a time from the store (keyset
pagination, never a list of every article), analyse it with :func:`analyse_partition` wherever
it runs, and commit its records in one transaction, so memory is bounded by the partitions in
flight and an interrupted run keeps every partition it committed.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from spacy.language import Language

from sitreps.config import Config
from sitreps.pipeline import analyse_articles
from sitreps.records import Analysis, Article, IngestError
from sitreps.store.duckdb import Store

# Large enough that nlp.pipe batches stay full and per-partition costs (a task, a transaction,
# a few Parquet files) are small; small enough that a retried partition costs seconds.
DEFAULT_PARTITION_SIZE = 128

# Test hook: "INDEX:MARKER" makes the partition with that index raise once, in whatever process
# runs it; the marker file records that it already failed (see tests/test_engine_failures.py).
FAIL_ONCE_ENV = "SITREPS_ENGINE_FAIL_ONCE"
# The fork server of local workers loads the pipeline these settings (JSON) name before it
# forks them (sitreps.engine.fork_server, sitreps.engine._preload).
PRELOAD_ENV = "SITREPS_PRELOAD_NLP"
# The smallest partition the tail of a run is cut into (tail_partition_size): below this, a
# partition's fixed costs (~0.1 s of CPU) outweigh the idle time it saves.
TAIL_MIN_SIZE = 8

_ARTICLE_COLUMNS = (
    "id, text, title, published, url, source, lede, language, origin, ingested_at"
)


class InjectedFailure(RuntimeError):
    """Raised on purpose by the SITREPS_ENGINE_FAIL_ONCE test hook; unset it to run normally."""


@dataclass(frozen=True, slots=True)
class Partition:
    """A numbered slice of articles; ``key`` is a hash of its ids, stable across reruns."""

    index: int
    key: str
    articles: tuple[Article, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.articles)


@dataclass(slots=True)
class ExtractReport:
    """What an extraction did."""

    articles: int = 0
    events: int = 0
    errors: list[IngestError] = field(default_factory=list)


@dataclass(slots=True)
class PartitionResult:
    """What analysing one partition produced, ready to be committed in one transaction."""

    key: str
    analyses: list[Analysis] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len(self.analyses) + len(self.failed)

    @property
    def events(self) -> int:
        return sum(len(a.events) for a in self.analyses)


def partition_key(article_ids: tuple[str, ...] | list[str]) -> str:
    """A short hash of the (sorted) article ids: the same articles give the same key."""
    digest = hashlib.sha256("\n".join(sorted(article_ids)).encode("utf-8"))
    return digest.hexdigest()[:16]


def make_partition(index: int, articles: list[Article]) -> Partition:
    """A partition of ``articles`` numbered ``index``."""
    return Partition(index, partition_key([a.id for a in articles]), tuple(articles))


def tail_partition_size(remaining: int, size: int, workers: int) -> int:
    """The size of the next partition when ``remaining`` articles are left to read.

    ``size`` while there is plenty left; then about an equal share of what is left for each
    of ``workers`` (each holds a running and a queued partition), down to a quarter of
    ``size`` but not below TAIL_MIN_SIZE articles. A last partition of full size keeps one
    worker busy while the others idle (issue 16; simulated from the FA-KES corpus's article
    lengths, 2 workers each holding two partitions: one worker idle 0.56 s on average and
    1.2 s in one run of ten at the end of 32-article partitions, 1.5 and 3.5 s for 64, the
    size ``--workers 2`` picks there; tapered, 0.26/0.49 and 0.28/0.59 s). Each extra
    partition costs a task, a Parquet write and a commit, ~0.1 s of CPU.

    >>> [tail_partition_size(r, 32, 2) for r in (770, 128, 96, 40, 16, 3)]
    [32, 32, 24, 10, 8, 3]
    >>> tail_partition_size(40, 32, 1), tail_partition_size(5, 3, 2)
    (32, 3)
    """
    if workers <= 1:
        return size
    least = min(size, max(size // 4, TAIL_MIN_SIZE))
    share = math.ceil(remaining / (2 * workers))
    return max(1, min(size, remaining, max(share, least)))


def store_partitions(
    store: Store,
    size: int = DEFAULT_PARTITION_SIZE,
    *,
    workers: int = 1,
    pending: int | None = None,
) -> Iterator[Partition]:
    """Unprocessed articles of the store, ``size`` at a time, oldest first.

    Each partition is one short query that continues after the last article of the previous
    one, so the caller may commit results on the same connection between two partitions (an
    open cursor would not survive that) and rows marked processed meanwhile change nothing.
    Given ``pending`` (the unprocessed articles when reading starts) and several ``workers``,
    the last partitions are smaller (:func:`tail_partition_size`) so the workers end together.
    """
    if size < 1:
        raise ValueError(f"partition_size must be at least 1, got {size}.")
    read = 0
    # Articles are always stored with ingested_at; the COALESCE only keeps a hand-made row
    # without one from breaking the ordering.
    when = "COALESCE(ingested_at, TIMESTAMP '1970-01-01')"
    after: tuple[Any, str] | None = None
    index = 0
    while True:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE processed_at IS NULL"
        params: list[Any] = []
        if after is not None:
            sql += f" AND ({when} > ? OR ({when} = ? AND id > ?))"
            params += [after[0], after[0], after[1]]
        limit = size
        if pending is not None and workers > 1:
            # Past ``pending`` (articles stored meanwhile) every partition is full size again.
            limit = tail_partition_size(pending - read, size, workers) if read < pending else size
        sql += f" ORDER BY {when}, id LIMIT {int(limit)}"
        rows = store.con.execute(sql, params).fetchall()
        if not rows:
            return
        articles = [Article(*row) for row in rows]
        yield make_partition(index, articles)
        index += 1
        read += len(articles)
        last = articles[-1]
        after = (last.ingested_at or datetime(1970, 1, 1), last.id)


# -- the per-process model --------------------------------------------------------------------


def worker_nlp(config: Config) -> Language:
    """The pipeline for ``config``, built once per process (pool worker or Dask worker).

    ``get_nlp`` caches per process; workers keep running between partitions, so the model is
    loaded once per worker, not once per partition.
    """
    from sitreps.nlp import get_nlp

    return get_nlp(config)


def _maybe_fail(partition: Partition) -> None:
    """Raise once for the partition named by SITREPS_ENGINE_FAIL_ONCE (tests only)."""
    spec = os.environ.get(FAIL_ONCE_ENV)
    if not spec:
        return
    index, _, marker = spec.partition(":")
    if int(index) != partition.index or not marker:
        return
    try:
        # O_EXCL: exactly one attempt, in whichever process, sees the marker missing.
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    raise InjectedFailure(f"injected failure of partition {partition.index} ({partition.key})")


def analyse_partition(
    partition: Partition, config: Config, nlp: Language | None = None
) -> PartitionResult:
    """Run the pipeline over one partition; pure apart from building the cached model.

    Args:
        partition: the articles to analyse.
        config: the run's configuration (model, stages, options).
        nlp: a ready pipeline; by default the process's cached one (:func:`worker_nlp`).

    Returns:
        The analyses, the error records and the ids of articles whose stages failed.
    """
    _maybe_fail(partition)
    nlp = nlp if nlp is not None else worker_nlp(config)
    result = PartitionResult(partition.key)
    for item in analyse_articles(partition.articles, nlp, config):
        if isinstance(item, IngestError):
            result.errors.append(item)
            # Same rule as jobs.extract_pending: an article whose stages failed counts as
            # processed, so reruns do not loop on it; a length warning does not.
            if item.kind == "extraction" and item.item:
                result.failed.append(item.item)
            continue
        result.analyses.append(item)
    return result


def partition_dir_name(partition_key_: str) -> str:
    """The folder name of a partition's Parquet output."""
    return f"part-{partition_key_}"


def default_work_dir(store: Store) -> Path:
    """Where the Dask engine writes Parquet partitions by default: beside the database."""
    return store.path.with_name(store.path.name + ".parts")
