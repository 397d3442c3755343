"""sitreps: conflict news in, structured, sourced, explainable event data out.

For notebooks, two calls give the records the CLI gives, without the CLI::

    import sitreps
    db = sitreps.open("sitreps.duckdb")      # read-only
    db.events(place="Aleppo")                 # as `sitreps events` / `sitreps export`
    sitreps.analyse("Rebels shelled Idlib on Tuesday, killing four, a monitor said.")

Imports are deferred so ``import sitreps`` stays cheap (spaCy loads only for ``analyse``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitreps.config import Config
    from sitreps.control_query import ControlAnswer
    from sitreps.query import EventDetail, EventFilter, EventRecord
    from sitreps.store.duckdb import Store

from sitreps._version import __version__

__all__ = ["Database", "__version__", "analyse", "open"]


class Database:
    """A sitreps database opened read-only: the CLI's queries as Python calls.

    Records are the dicts the JSON export writes (``sitreps export``): merged (real-world)
    events with canonical actor names, ``fatalities`` the conservative merged figure and
    every source sentence. Use it as a context manager, or call :meth:`close`, to release
    the file for writers. ``config`` is the config the file was built with: its knowledge files
    say which event types the factual views leave out and how events are merged in memory.
    """

    def __init__(self, path: str | Path, config: Config | None = None) -> None:
        from sitreps.store.duckdb import Store

        self.path = Path(path)
        from sitreps.knowledge.package import load_knowledge
        from sitreps.query import Reader

        knowledge = load_knowledge(config.knowledge_files) if config is not None else None
        self._store: Store = Store(self.path, read_only=True)
        self.reader: Reader = Reader(self._store, knowledge=knowledge)
        """The query library over this file: every other question (actors, stats, ...)."""

    def events(
        self, *, type: str | None = None, actor: str | None = None, place: str | None = None,
        since: date | None = None, until: date | None = None, all: bool = False,
    ) -> list[dict[str, Any]]:
        """Merged events, newest first: factual events in ACLED's vocabulary unless ``all``.

        The same records, in the same order, as ``sitreps export --format json`` (and
        ``--all``) with the same filters.
        """
        from sitreps.export import export_events

        return export_events(self.reader, _filter(type, actor, place, since, until, all))

    def records(
        self, *, type: str | None = None, actor: str | None = None, place: str | None = None,
        since: date | None = None, until: date | None = None, all: bool = False,
    ) -> tuple[EventRecord, ...]:
        """The same events as :meth:`events`, as typed records (``sitreps.query.EventRecord``)."""
        return self.reader.events(_filter(type, actor, place, since, until, all)).items

    def arrow(
        self, *, type: str | None = None, actor: str | None = None, place: str | None = None,
        since: date | None = None, until: date | None = None, all: bool = False,
    ) -> Any:
        """The same events as a ``pyarrow.Table`` (one row per event, no source sentences);
        needs ``pip install pyarrow``."""
        return self.reader.to_arrow(_filter(type, actor, place, since, until, all))

    def pandas(
        self, *, type: str | None = None, actor: str | None = None, place: str | None = None,
        since: date | None = None, until: date | None = None, all: bool = False,
    ) -> Any:
        """The same events as a ``pandas.DataFrame`` (one row per event, no source
        sentences); needs ``pip install pandas``."""
        return self.reader.to_pandas(_filter(type, actor, place, since, until, all))

    def event(self, event_id: str) -> EventDetail | None:
        """One merged event by its merged (``m-...``) or per-article id, with its mentions."""
        return self.reader.event(event_id)

    def control(self, place: str | None = None, at: date | None = None) -> list[ControlAnswer]:
        """Who held ``place`` (default: every place) on ``at`` (default: latest claims), as
        ``sitreps control`` and ``GET /api/control`` answer."""
        return self.reader.control(place, at)

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Any read-only SQL over the file's tables and views, rows as dicts."""
        return self._store.query(sql, params)

    @property
    def store(self) -> Store:
        """The underlying :class:`sitreps.store.duckdb.Store`, for everything else."""
        return self._store

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _filter(
    event_type: str | None, actor: str | None, place: str | None, since: date | None,
    until: date | None, everything: bool,
) -> EventFilter:
    """The CLI's filter for these options: factual events unless ``everything``."""
    from sitreps.query import EventFilter, factual_filter

    fields = dict(event_type=event_type, actor=actor, place=place, since=since, until=until)
    return EventFilter(**fields) if everything else factual_filter(**fields)


def open(  # noqa: A001 - mirrors sqlite_utils.Database(path)
    path: str | Path, config: Config | None = None
) -> Database:
    """Open a sitreps database read-only (it must exist: `sitreps run` writes one), read with
    the knowledge files of the ``config`` it was built with (the built-in knowledge if none)."""
    return Database(path, config)


def analyse(
    text: str, *, title: str | None = None, published: date | str | None = None,
    all: bool = False, config: Config | None = None,
) -> list[dict[str, Any]]:
    """The event records for one text, as the JSON export would give them, with no file.

    The text goes through the same doors as ``sitreps ingest`` and ``sitreps extract``
    (``make_article``, the configured stages, the merge), into an in-memory database.

    Raises:
        ValueError: the text is refused (too short, not English) or cannot be analysed (it
            is longer than ``config.max_chars``), with the reason.
    """
    from sitreps.config import load_config
    from sitreps.export import export_events
    from sitreps.ingest.text import make_article
    from sitreps.knowledge.package import load_knowledge
    from sitreps.merge import run_merge
    from sitreps.nlp import get_nlp
    from sitreps.pipeline import analyse_articles
    from sitreps.query import EventFilter, Reader, factual_filter
    from sitreps.records import Analysis, Article
    from sitreps.store.duckdb import Store

    config = config or load_config()
    article = make_article(text, title=title, published=published, origin="<analyse>")
    if not isinstance(article, Article):
        raise ValueError(article.reason)
    analyses = []
    for result in analyse_articles([article], get_nlp(config), config):
        if not isinstance(result, Analysis):
            raise ValueError(result.reason)
        analyses.append(result)
    with Store(":memory:") as store:
        store.add_article(article)
        store.save_analyses(analyses)
        knowledge = load_knowledge(config.knowledge_files)
        run_merge(store, knowledge)
        return export_events(
            Reader(store, knowledge=knowledge), EventFilter() if all else factual_filter()
        )
