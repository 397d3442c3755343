"""The library calls behind ``sitreps ingest``, ``extract`` and ``run``.

Shells (CLI, API, engines) call these and only format what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import islice

from sitreps.config import Config
from sitreps.engine.partitions import ExtractReport
from sitreps.ingest import ColumnMapping, read_sources
from sitreps.ingest.dedup import NearDuplicateIndex, near_duplicate_key
from sitreps.records import Article, IngestError
from sitreps.store.duckdb import Store

Progress = Callable[[int], None]

# Items stored per ingest transaction.
INGEST_COMMIT_EVERY = 500
# Items read ahead to ask the store which of them it holds, in one query (issue 16).
INGEST_LOOKUP_EVERY = 64


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: counts, and every input it could not read."""

    added: int = 0
    # Every article not stored because its text was known: stored before, linked before as a
    # near-duplicate, or read earlier in this same input (the API reports this one figure).
    already_stored: int = 0
    near_duplicates: int = 0
    errors: list[IngestError] = field(default_factory=list)
    amended: list[IngestError] = field(default_factory=list)
    # The parts of ``already_stored`` that are not in the articles table, so that the counts
    # a user reads add up to the articles read (issue 19: "100 already stored" of 98).
    repeated: int = 0
    linked_before: int = 0

    @property
    def stored_before(self) -> int:
        """Articles read whose text the articles table held before this ingest."""
        return self.already_stored - self.repeated - self.linked_before

    @property
    def read(self) -> int:
        """Articles read, whatever became of them (skipped inputs are not articles)."""
        return self.added + self.already_stored + self.near_duplicates


def ingest_sources(
    store: Store,
    sources: Iterable[str],
    mapping: ColumnMapping = ColumnMapping(),
    *,
    on_item: Callable[[Article | IngestError], None] | None = None,
    allow_private: bool = True,
) -> IngestReport:
    """Read sources into the store: new articles stored, exact repeats skipped, near-duplicates
    linked to the article they repeat, unreadable inputs recorded in ``ingest_errors``.

    ``allow_private=False`` keeps URLs (and feed entry links) off non-public addresses.
    """
    items = read_sources(sources, mapping, allow_private=allow_private)
    return store_items(store, items, on_item=on_item)


def store_items(
    store: Store,
    items: Iterable[Article | IngestError],
    *,
    on_item: Callable[[Article | IngestError], None] | None = None,
    report: IngestReport | None = None,
    commit_every: int = INGEST_COMMIT_EVERY,
) -> IngestReport:
    """Store articles read by any source (files, URLs, the API), with the same rules for
    repeats, near-duplicates and errors; adds to ``report`` when one is given.

    Writes are committed every ``commit_every`` items (a transaction per row made a 10,000-line
    file take minutes); a killed ingest loses at most that batch, and a rerun stores it again
    because articles are keyed by their text.
    """
    report = report if report is not None else IngestReport()
    index: NearDuplicateIndex | None = None
    batch: dict[str, Article] = {}
    seen: set[str] = set()  # ids read in this ingest, to tell a repeat from a stored article
    handled = 0
    with store.transaction():
        for item, stored in _with_stored_kinds(store, items):
            if on_item is not None:
                on_item(item)
            handled += 1
            if handled % commit_every == 0:
                store.add_articles(list(batch.values()))
                batch.clear()
                store.checkpoint()
            if isinstance(item, IngestError):
                store.add_error(item)
                report.errors.append(item)
                continue
            if item.id in seen:
                report.already_stored += 1
                report.repeated += 1
                continue
            seen.add(item.id)
            if stored is not None:
                report.already_stored += 1
                report.linked_before += stored == "duplicate"
                continue
            if index is None:  # built on the first new article: a batch of repeats never pays
                index = NearDuplicateIndex.from_pairs(store.article_texts())
            signature = near_duplicate_key(item.text)
            original = index.find_signature(signature)
            if original is not None:
                store.add_duplicate(item, original, index.similarity(original, signature))
                report.near_duplicates += 1
                continue
            if item.published is not None and item.published > _latest_publication_date():
                # A date after tomorrow is a feed or typing error: events must not count from it.
                note = IngestError(
                    origin=item.origin or item.url or item.id,
                    item=f"article {item.id[:12]}",
                    reason=f"publication date {item.published.isoformat()} lies in the future; "
                    "the article is stored without a date",
                )
                store.add_error(note)
                report.amended.append(note)
                item = replace(item, published=None)
            batch[item.id] = item
            index.add_signature(item.id, signature)
            report.added += 1
        store.add_articles(list(batch.values()))
    return report


def _with_stored_kinds(
    store: Store, items: Iterable[Article | IngestError]
) -> Iterator[tuple[Article | IngestError, str | None]]:
    """Each item with what the store held under its id when the item's chunk was read
    (``Store.stored_as``, asked for ``INGEST_LOOKUP_EVERY`` items at a time).

    Asking ahead answers as asking per item: what an ingest writes meanwhile is under ids it
    has seen, which :func:`store_items` tells apart before it looks at the answer.
    """
    iterator = iter(items)
    while chunk := list(islice(iterator, INGEST_LOOKUP_EVERY)):
        kinds = store.stored_kinds([i.id for i in chunk if isinstance(i, Article)])
        for item in chunk:
            yield item, kinds.get(item.id) if isinstance(item, Article) else None


def _latest_publication_date() -> date:
    """Tomorrow in UTC: the latest date an article can have been published on anywhere."""
    return datetime.now(UTC).date() + timedelta(days=1)


def extract_pending(
    store: Store,
    config: Config,
    *,
    progress: Progress | None = None,
    commit_every: int | None = None,
) -> ExtractReport:
    """Analyse every stored article not processed yet, in this process, committing every
    ``commit_every`` articles (default: ``config.commit_every``), then merge across articles.

    An interrupted run keeps the partitions it committed; the next run resumes with the rest.
    It is the local engine with one worker (:func:`sitreps.engine.run_engine`).
    """
    from sitreps.engine import run_engine

    return run_engine(
        store, config, engine="local", workers=1, partition_size=commit_every, progress=progress
    )
