"""The local engine: the same records as one unpartitioned batch, whatever the workers."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitreps.engine import UnknownEngine, run_engine
from sitreps.engine.partitions import FAIL_ONCE_ENV
from sitreps.jobs import ingest_sources
from sitreps.merge import run_merge
from sitreps.pipeline import analyse_articles
from sitreps.records import Analysis
from sitreps.store.duckdb import Store

SAMPLE = Path(__file__).resolve().parent.parent / "src" / "sitreps" / "data" / "sample"
# Small partitions so even the 10-article sample is split into several.
PARTITION = 3


def event_tuples(store: Store) -> list[tuple]:
    """Everything about the events that must not depend on the engine, sorted."""
    return store.con.execute(
        "SELECT e.id, e.article_id, e.event_type, e.sub_event_type, e.plover_type, e.trigger, "
        "e.event_date, e.actor1, e.actor2, e.place_id, e.fatalities_low, e.modality, "
        "e.confidence, s.start, s.\"end\" FROM events e LEFT JOIN event_sources s "
        "ON s.event_id = e.id ORDER BY ALL"
    ).fetchall()


def merged_tuples(store: Store) -> list[tuple]:
    """The merged events and their members: what every surface reads, engine or not."""
    return store.con.execute(
        "SELECT m.id, m.event_type, m.event_date, m.place_id, m.fatalities_best, "
        "m.source_count, m.member_count, list(mm.event_id ORDER BY mm.event_id) "
        "FROM merged_events m JOIN merged_event_members mm ON mm.merged_id = m.id "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()


def counts(store: Store) -> dict[str, int]:
    """Row counts that reveal lost or duplicated work."""
    found = {t: store.count(t) for t in ("events", "event_sources", "mentions", "relations")}
    found["unprocessed"] = store.count_unprocessed()
    return found


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A database with the sample corpus ingested and nothing extracted, copied per test."""
    if not any(SAMPLE.glob("*.txt")):
        pytest.skip(f"no sample corpus in {SAMPLE}")
    path = tmp_path_factory.mktemp("engine") / "sample.duckdb"
    with Store(path) as store:
        ingest_sources(store, [str(SAMPLE)])
    return path


@pytest.fixture(scope="session")
def reference_db(sample_db, tmp_path_factory, config, nlp) -> Path:
    """The sample analysed in one batch, with no engine or partitions, then merged."""
    path = tmp_path_factory.mktemp("reference") / "ref.duckdb"
    shutil.copy(sample_db, path)
    with Store(path) as store:
        articles = list(store.unprocessed_articles())
        analyses = [a for a in analyse_articles(articles, nlp, config) if isinstance(a, Analysis)]
        store.save_analyses(analyses)
        run_merge(store)
    return path


@pytest.fixture(scope="session")
def reference(reference_db) -> tuple[list[tuple], dict[str, int]]:
    """What the pipeline stores for the sample in one batch."""
    with Store(reference_db, read_only=True) as store:
        return event_tuples(store), counts(store)


@pytest.fixture(scope="session")
def merged_reference(reference_db) -> list[tuple]:
    """The merged events of the one-batch reference run."""
    with Store(reference_db, read_only=True) as store:
        found = merged_tuples(store)
    assert any(count > 1 for *_, count, _ in found)  # some events did merge
    return found


@pytest.fixture
def fresh_db(sample_db, tmp_path) -> Path:
    path = tmp_path / "run.duckdb"
    shutil.copy(sample_db, path)
    return path


def test_engine_local_inline_equals_one_batch(
    fresh_db, reference, merged_reference, config
) -> None:
    with Store(fresh_db) as store:
        report = run_engine(store, config, engine="local", partition_size=PARTITION)
        assert report.articles == 10
        assert (event_tuples(store), counts(store)) == reference
        assert report.events == reference[1]["events"]
        assert merged_tuples(store) == merged_reference


@pytest.mark.slow
def test_engine_local_two_workers_rerun_after_failure(
    fresh_db, reference, config, tmp_path, monkeypatch
) -> None:
    """Two worker processes, one partition failing: the rerun completes the same records."""
    monkeypatch.setenv(FAIL_ONCE_ENV, f"1:{tmp_path / 'failed-once'}")
    seen: list[int] = []
    with Store(fresh_db) as store:
        first = run_engine(
            store, config, workers=2, partition_size=PARTITION, retries=0, progress=seen.append
        )
        assert any("injected failure" in e.reason for e in first.errors)
        assert first.articles == sum(seen) == 10 - PARTITION
        assert store.count_unprocessed() == PARTITION
        second = run_engine(store, config, partition_size=PARTITION, retries=0)
        assert second.articles == PARTITION and not second.errors
        assert (event_tuples(store), counts(store)) == reference


def test_engine_local_retry_hides_one_failure(fresh_db, reference, config, tmp_path,
                                              monkeypatch) -> None:
    monkeypatch.setenv(FAIL_ONCE_ENV, f"0:{tmp_path / 'failed-once'}")
    with Store(fresh_db) as store:
        report = run_engine(store, config, partition_size=PARTITION, retries=1)
        assert report.articles == 10 and not report.errors
        assert (event_tuples(store), counts(store)) == reference


def test_engine_unknown_name_fails_early(db_path, config) -> None:
    with Store(db_path) as store, pytest.raises(UnknownEngine, match="local, dask"):
        run_engine(store, config, engine="spark")


def _insertion_order(store: Store) -> tuple[list[tuple], list[tuple]]:
    """Events in the order they were written (DuckDB's rowid), and every actor's row (an
    article lists its actors in no fixed order, so only the rows themselves are compared)."""
    events = store.con.execute("SELECT id, article_id FROM events ORDER BY rowid").fetchall()
    actors = store.con.execute(
        "SELECT id, name, list_sort(aliases) FROM actors ORDER BY id").fetchall()
    return events, actors


@pytest.mark.slow
def test_engine_local_workers_retry_stores_what_one_process_stores(
    fresh_db, sample_db, reference, config, tmp_path, monkeypatch
) -> None:
    """The first partition fails once and is retried, so it finishes after later ones: the
    store still holds the same rows as one process writes (issue 16). The insertion order
    after a retry was seen to differ in 2 of 3 runs on a loaded machine, so rows are compared
    as sets here; making the order deterministic under retries is left open."""
    inline = tmp_path / "inline.duckdb"
    shutil.copy(sample_db, inline)
    with Store(inline) as store:
        run_engine(store, config, workers=1, partition_size=PARTITION)
        expected = _insertion_order(store)
    monkeypatch.setenv(FAIL_ONCE_ENV, f"0:{tmp_path / 'failed-once'}")
    seen: list[int] = []
    with Store(fresh_db) as store:
        report = run_engine(
            store, config, workers=2, partition_size=PARTITION, retries=1, progress=seen.append
        )
        assert report.articles == 10 and not report.errors
        assert (tmp_path / "failed-once").exists()  # partition 0 did fail once
        assert seen == [PARTITION, PARTITION, PARTITION, 10 - 3 * PARTITION]
        events, actors = _insertion_order(store)
        assert sorted(events) == sorted(expected[0])
        assert [a[0] for a in actors] == [a[0] for a in expected[1]]
        assert (event_tuples(store), counts(store)) == reference


def test_store_rows_keep_the_first_article_naming_an_actor() -> None:
    """Two articles name the same new actor differently: the first one's row is stored,
    within a partition as across partitions (where stored rows are kept)."""
    from dataclasses import replace

    from sitreps.records import Actor, Article
    from sitreps.store.duckdb import rows_for

    first = Actor(id="new:x-brigade", name="X Brigade", aliases=("X Brigade",), is_new=True)
    second = replace(first, name="X-Brigade", aliases=("X-Brigade",))
    analyses = [
        Analysis(article=Article(f"a{i}", "text"), actors=(actor,))
        for i, actor in enumerate((first, second))
    ]
    [row] = rows_for(analyses)["actors"].rows
    assert row[1] == "X Brigade"
    [row] = rows_for(analyses[::-1])["actors"].rows
    assert row[1] == "X-Brigade"


_ORPHAN_SCRIPT = """
import multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor, wait
from sitreps.config import load_config
from sitreps.engine.local import _init_worker, _mp_context

if __name__ == "__main__":
    config = load_config()
    pool = ProcessPoolExecutor(
        max_workers=2, mp_context=_mp_context(config), initializer=_init_worker,
        initargs=(config, None),
    )
    wait([pool.submit(time.sleep, 0.5) for _ in range(4)])
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie has ended: its parent just has not reaped it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_engine_local_workers_end_when_the_run_is_killed(tmp_path) -> None:
    """A run killed outright (SIGKILL) must not leave its workers waiting for ever, each
    holding a model in memory."""
    script = tmp_path / "pool.py"
    script.write_text(_ORPHAN_SCRIPT, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True
    )
    try:
        workers = [int(pid) for pid in process.stdout.readline().split()]
    finally:
        process.kill()
        process.wait()
    assert len(workers) == 2 and all(pid != process.pid for pid in workers)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers), f"workers {workers} outlived their run"
