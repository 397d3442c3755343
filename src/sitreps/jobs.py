"""The library calls behind ``sitreps ingest``, ``extract`` and ``run``.

Shells (CLI, API, engines) call these and only format what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sitreps.config import Config
from sitreps.ingest import ColumnMapping, read_sources
from sitreps.ingest.dedup import NearDuplicateIndex, near_duplicate_key
from sitreps.pipeline import analyse_articles
from sitreps.records import Analysis, Article, IngestError
from sitreps.store.duckdb import Store

Progress = Callable[[int], None]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: counts, and every input it could not read."""

    added: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    errors: list[IngestError] = field(default_factory=list)


@dataclass(slots=True)
class ExtractReport:
    """What an extraction did."""

    articles: int = 0
    events: int = 0
    errors: list[IngestError] = field(default_factory=list)


def ingest_sources(
    store: Store,
    sources: Iterable[str],
    mapping: ColumnMapping = ColumnMapping(),
    *,
    on_item: Callable[[Article | IngestError], None] | None = None,
) -> IngestReport:
    """Read sources into the store: new articles stored, exact repeats skipped, near-duplicates
    linked to the article they repeat, unreadable inputs recorded in ``ingest_errors``."""
    report = IngestReport()
    index = NearDuplicateIndex.from_pairs(store.article_texts())
    for item in read_sources(sources, mapping):
        if on_item is not None:
            on_item(item)
        if isinstance(item, IngestError):
            store.add_error(item)
            report.errors.append(item)
            continue
        if store.has_article(item.id):
            report.already_stored += 1
            continue
        signature = near_duplicate_key(item.text)
        original = index.find_signature(signature)
        if original is not None:
            store.add_duplicate(item, original, index.similarity(original, signature))
            report.near_duplicates += 1
            continue
        store.add_article(item)
        index.add_signature(item.id, signature)
        report.added += 1
    return report


def extract_pending(
    store: Store,
    config: Config,
    *,
    nlp: object | None = None,
    progress: Progress | None = None,
    commit_every: int | None = None,
) -> ExtractReport:
    """Analyse every stored article not processed yet, committing every ``commit_every``
    articles (default: ``config.commit_every``).

    An interrupted run keeps the batches it committed; the next run resumes with the rest.
    """
    from sitreps.nlp import get_nlp

    nlp = nlp or get_nlp(config)
    report = ExtractReport()
    batch: list[Analysis] = []
    batch_errors: list[IngestError] = []
    failed: list[str] = []

    def flush() -> None:
        store.save_analyses(batch, batch_errors)
        store.mark_failed(failed)
        batch.clear()
        batch_errors.clear()
        failed.clear()

    # Read a chunk, analyse it, commit it: memory stays bounded by the chunk, and reads never
    # interleave with writes on the one DuckDB connection.
    chunk_size = commit_every or config.commit_every
    while chunk := list(store.unprocessed_articles(limit=chunk_size)):
        _analyse_chunk(chunk, nlp, config, report, batch, batch_errors, failed, progress)
        flush()
    store.merge_events()
    return report


def _analyse_chunk(
    chunk: list[Article],
    nlp: object,
    config: Config,
    report: ExtractReport,
    batch: list[Analysis],
    batch_errors: list[IngestError],
    failed: list[str],
    progress: Progress | None,
) -> None:
    for item in analyse_articles(chunk, nlp, config):
        if isinstance(item, IngestError):
            report.errors.append(item)
            batch_errors.append(item)
            if item.reason.startswith("extraction failed") and item.item:
                failed.append(item.item)
                report.articles += 1
                if progress:
                    progress(1)
            continue
        batch.append(item)
        report.articles += 1
        report.events += len(item.events)
        if progress:
            progress(1)
