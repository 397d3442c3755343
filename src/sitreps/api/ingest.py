"""The library call behind ``POST /api/ingest``: store URLs and texts, then extract events.

It goes through the same doors as ``sitreps ingest`` and ``sitreps extract``: ``make_article``
builds every article, ``jobs.ingest_sources`` reads URLs and ``jobs.extract_pending`` analyses
whatever is still unprocessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sitreps import jobs
from sitreps.config import Config
from sitreps.ingest.text import make_article
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
    allow_private_urls: bool = False,
) -> dict[str, Any]:
    """Store the pages at ``urls`` and the given texts, then run extraction on new articles.

    Args:
        store: a writable store.
        urls: http(s) URLs only; the caller must have checked the scheme, because
            ``ingest_sources`` would read a local path.
        texts: dicts with ``text`` and optional ``title`` and ``date``.
        config: the extraction config.
        extract: the extraction call, replaceable so tests need not load spaCy.
        allow_private_urls: let ``urls`` (and feed entry links) reach loopback, private,
            link-local and multicast addresses. Off by default: a client must not make the
            server read its own network (issue 15, SSRF); only the operator turns it on.

    Returns:
        Counts and the reasons of every input that was refused, as ``IngestAnswer`` fields.
    """
    report = (
        jobs.ingest_sources(store, list(urls), allow_private=allow_private_urls)
        if urls else jobs.IngestReport()
    )
    articles = (
        make_article(item["text"], title=item.get("title"), published=item.get("date"),
                     origin="api")
        for item in texts
    )
    jobs.store_items(store, articles, report=report)
    extracted = extract(store, config)
    return {
        "added": report.added,
        "already_stored": report.already_stored,
        "near_duplicates": report.near_duplicates,
        "articles_extracted": extracted.articles,
        "events": extracted.events,
        "errors": [
            f"{e.origin}: {e.reason}"
            for e in [*report.errors, *report.amended, *extracted.errors]
        ],
    }
