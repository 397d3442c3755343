"""The library call behind ``POST /api/ingest``: store URLs and texts, then extract events.

It goes through the same doors as ``sitreps ingest`` and ``sitreps extract``: ``make_article``
builds every article, ``jobs.ingest_sources`` reads URLs and ``jobs.extract_pending`` analyses
whatever is still unprocessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sitreps import jobs
from sitreps.config import Config
from sitreps.ingest.dedup import NearDuplicateIndex, near_duplicate_key
from sitreps.ingest.text import make_article
from sitreps.records import IngestError
from sitreps.store.duckdb import Store

Extractor = Callable[[Store, Config], jobs.ExtractReport]


def _extract(store: Store, config: Config) -> jobs.ExtractReport:
    return jobs.extract_pending(store, config)


def ingest_payload(
    store: Store,
    urls: Sequence[str],
    texts: Sequence[dict[str, Any]],
    config: Config,
    *,
    extract: Extractor = _extract,
) -> dict[str, Any]:
    """Store the pages at ``urls`` and the given texts, then run extraction on new articles.

    Args:
        store: a writable store.
        urls: http(s) URLs only; the caller must have checked the scheme, because
            ``ingest_sources`` would read a local path.
        texts: dicts with ``text`` and optional ``title`` and ``date``.
        config: the extraction config.
        extract: the extraction call, replaceable so tests need not load spaCy.

    Returns:
        Counts and the reasons of every input that was refused, as ``IngestAnswer`` fields.
    """
    report = jobs.ingest_sources(store, list(urls)) if urls else jobs.IngestReport()
    index = NearDuplicateIndex.from_pairs(store.article_texts()) if texts else None
    for item in texts:
        published: date | None = item.get("date")
        article = make_article(item["text"], title=item.get("title"), published=published,
                               origin="api")
        if isinstance(article, IngestError):
            store.add_error(article)
            report.errors.append(article)
        elif store.has_article(article.id):
            report.already_stored += 1
        else:
            signature = near_duplicate_key(article.text)
            original = index.find_signature(signature)
            if original is not None:
                store.add_duplicate(article, original, index.similarity(original, signature))
                report.near_duplicates += 1
                continue
            store.add_article(article)
            index.add_signature(article.id, signature)
            report.added += 1
    extracted = extract(store, config)
    return {
        "added": report.added,
        "already_stored": report.already_stored,
        "near_duplicates": report.near_duplicates,
        "articles_extracted": extracted.articles,
        "events": extracted.events,
        "errors": [f"{e.origin}: {e.reason}" for e in [*report.errors, *extracted.errors]],
    }
