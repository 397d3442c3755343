"""Partitions: every unprocessed article exactly once, even with commits in between."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sitreps.engine.partitions import (
    TAIL_MIN_SIZE,
    make_partition,
    partition_key,
    store_partitions,
)
from sitreps.records import Article
from sitreps.store.duckdb import Store


def _articles(n: int) -> list[Article]:
    start = datetime(2024, 1, 1)
    # Some share a timestamp, so the id breaks ties in the keyset pagination.
    return [
        Article(id=f"a{i:03d}", text=f"Article number {i}.", ingested_at=start
                + timedelta(seconds=i // 3))
        for i in range(n)
    ]


def test_engine_partitions_cover_every_article_once(db_path) -> None:
    with Store(db_path) as store:
        for article in _articles(23):
            store.add_article(article)
        seen: list[str] = []
        for partition in store_partitions(store, size=5):
            assert len(partition.articles) <= 5
            seen += partition.article_ids
            # Committing between partitions must not make the next read skip or repeat rows.
            store.mark_failed(list(partition.article_ids))
        assert sorted(seen) == [f"a{i:03d}" for i in range(23)]
        assert len(seen) == len(set(seen))
        assert list(store_partitions(store, size=5)) == []


def test_engine_partitions_skip_processed_articles(db_path) -> None:
    with Store(db_path) as store:
        for article in _articles(6):
            store.add_article(article)
        store.mark_failed(["a001", "a004"])
        ids = [i for p in store_partitions(store, size=2) for i in p.article_ids]
        assert ids == ["a000", "a002", "a003", "a005"]


def test_engine_partitions_key_is_order_free() -> None:
    a, b = _articles(2)
    assert make_partition(0, [a, b]).key == make_partition(7, [b, a]).key
    assert partition_key(["x"]) != partition_key(["y"])


def test_engine_partitions_refuse_empty_size(db_path) -> None:
    with Store(db_path) as store, pytest.raises(ValueError, match="at least 1"):
        list(store_partitions(store, size=0))


def test_engine_partitions_tail_shrinks_for_several_workers(db_path) -> None:
    """With several workers the last partitions are smaller, so the workers end together
    (issue 16); every article is still read once, in order, committed or not."""
    with Store(db_path) as store:
        for article in _articles(100):
            store.add_article(article)
        whole = [p.article_ids for p in store_partitions(store, size=16)]
        sizes, seen = [], []
        for partition in store_partitions(store, size=16, workers=2, pending=100):
            sizes.append(len(partition.articles))
            seen += partition.article_ids
            store.mark_failed(list(partition.article_ids))
    assert seen == [i for ids in whole for i in ids]
    assert sizes[0] == 16 and sizes[-2] < 16 and min(sizes) >= 1
    assert all(s >= TAIL_MIN_SIZE for s in sizes[:-1])
    assert sizes == sorted(sizes, reverse=True)
    # One worker gets full partitions: no worker waits for it.
    assert [len(p) for p in whole] == [16] * 6 + [4]


def test_engine_partitions_past_pending_are_full(db_path) -> None:
    """Articles stored after the count (``pending``) was taken come in full partitions."""
    with Store(db_path) as store:
        for article in _articles(40):
            store.add_article(article)
        sizes = [len(p.articles) for p in store_partitions(store, size=16, workers=2,
                                                          pending=10)]
    assert sizes == [8, 2, 16, 14]
