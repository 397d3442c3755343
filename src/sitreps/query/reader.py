"""The one read path: every question the CLI, the API, the dashboard, the report and the
exports ask of a sitreps database, answered here and only here.

A :class:`Reader` wraps an open :class:`~sitreps.store.duckdb.Store` and answers with the
typed records of :mod:`sitreps.query.results`. Merged (real-world) events are what every
listing, total and export counts; an event's per-article *mentions* are one level down
(:meth:`Reader.event`). Where the store's merge is current the merged tables are read as they
are; otherwise (a file written without the merge job, or an interrupted merge) the events are
merged in memory once per reader into temporary tables, so the answers and ids are the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitreps.control_query import (
    ControlAnswer,
    ControlStatement,
    control_statements,
    control_states,
    who_controls,
)
from sitreps.control_query import state_line as control_state_line
from sitreps.control_query import status as control_status
from sitreps.knowledge.package import Knowledge
from sitreps.merge import (
    MERGE_INPUT_JOINS,
    MERGE_INPUT_SQL,
    MERGED_COLUMNS,
    FatalityReport,
    merge_events,
    merge_is_current,
    merged_row,
)
from sitreps.query.filters import (
    EventFilter,
    EventQuery,
    event_clauses,
    factual_filter,
    like_substring,
    where_sql,
)
from sitreps.query.results import (
    EVENT_RECORD_COLUMNS,
    ActorDetail,
    ActorPage,
    ActorRecord,
    ArticleRecord,
    ClusterCell,
    Clusters,
    ControlState,
    CountRow,
    EventDetail,
    EventPage,
    EventRecord,
    EventSpan,
    MentionSpan,
    RelationRecord,
    RelationSource,
    SourceRef,
    Stats,
    TimelinePoint,
    as_dict,
)
from sitreps.store.duckdb import Store

# date_trunc parts a client may ask for; the value is still passed as a parameter.
INTERVALS = ("day", "week", "month")
# How many rows each stats breakdown returns; months are all returned.
STATS_TOP = 20
# Upper bound on map cells per answer, so a tiny cell size cannot ship the table.
MAX_CELLS = 4000
_ORDER = "ORDER BY event_date DESC NULLS LAST, id"
# Default arguments: what every total and listing counts unless asked otherwise (factual
# events in ACLED's vocabulary), and no filter at all (mentions, exports given a filter).
FACTUAL = EventQuery(where=factual_filter())
NO_FILTER = EventFilter()


class OptionalDependencyMissing(ImportError):
    """A table format needs a package sitreps does not require: install it (the message says
    which) or read records instead."""


@dataclass(frozen=True, slots=True)
class EventTables:
    """Where merged events, their source sentences and their members are read from."""

    events: str = "merged_event_view"
    sources: str = "merged_event_sources"
    members: str = "merged_event_members"
    # The same events without names joined in: counting by id needs no joins.
    raw: str = "merged_events"


STORED = EventTables()


def merge_live(
    store: Store, schema: str = "temp.main", knowledge: Knowledge | None = None
) -> EventTables:
    """Merge every stored event in memory into tables under ``schema`` and name them.

    The same clusters and ids as the merge job (:func:`sitreps.merge.run_merge`) writes:
    both fold the same rows with :func:`sitreps.merge.merge_events`, with the merge rules of
    ``knowledge`` (the run's package; the built-in one when ``None``). For a file whose merge
    is not current; ``schema`` must be writable (``temp.main`` on a read-only file, the
    server's in-memory catalog for the API).
    """
    cursor = store.con.execute(
        f"{MERGE_INPUT_SQL} FROM events e {MERGE_INPUT_JOINS}")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        row["sources"] = []
    merged = merge_events(rows, knowledge=knowledge)
    lead = {row["id"]: row["article_id"] for row in rows}
    raw, members = f"{schema}.live_merged", f"{schema}.live_members"
    con = store.con
    # DuckDB names the temp catalog only in CREATE TEMP TABLE.
    create = "CREATE OR REPLACE " + ("TEMP TABLE" if schema.startswith("temp.") else "TABLE")
    con.execute(f"{create} {raw} AS SELECT * FROM merged_events LIMIT 0")
    con.execute(f"{create} {members} (merged_id VARCHAR, event_id VARCHAR)")
    cols = ", ".join(f'"{c}"' for c in MERGED_COLUMNS)
    marks = ", ".join("?" for _ in MERGED_COLUMNS)
    values = [[row[c] for c in MERGED_COLUMNS] for row in (merged_row(m, lead) for m in merged)]
    if values:
        con.executemany(f"INSERT INTO {raw} ({cols}) VALUES ({marks})", values)
        con.executemany(f"INSERT INTO {members} VALUES (?, ?)",
                        [[m.id, member] for m in merged for member in m.member_ids])
    tables = EventTables(f"{schema}.live_events", f"{schema}.live_sources", members, raw)
    con.execute(f"{create} {tables.events} AS SELECT * FROM named_events({raw})")
    con.execute(
        f"{create} {tables.sources} AS "
        "SELECT DISTINCT m.merged_id AS event_id, s.article_id, s.sentence, s.start, s.\"end\" "
        f"FROM {members} m JOIN event_sources s ON s.event_id = m.event_id"
    )
    return tables


def resolve_tables(
    store: Store, schema: str = "temp.main", knowledge: Knowledge | None = None
) -> EventTables:
    """The stored merged tables when the merge is current (the merge job folded them with the
    run's package), else an in-memory merge with ``knowledge``'s merge rules."""
    return STORED if merge_is_current(store) else merge_live(store, schema, knowledge)


def materialise(store: Store, tables: EventTables, schema: str) -> EventTables:
    """Copy the named merged events and their sources into tables under ``schema``, newest
    first, and name them.

    ``merged_event_view`` joins actors and places for every row it is asked for, and DuckDB
    cannot stop a join at a page's LIMIT: a server that answers many requests pays that once
    here instead of per request (on 10,000 events a page went from ~39 ms to ~11 ms).
    """
    if tables.events.startswith(f"{schema}.live_"):
        return tables  # an in-memory merge is a copy already
    events, sources = f"{schema}.served_events", f"{schema}.served_sources"
    store.con.execute(f"CREATE OR REPLACE TABLE {events} AS SELECT * FROM {tables.events} "
                      f"{_ORDER}")
    store.con.execute(f"CREATE OR REPLACE TABLE {sources} AS SELECT * FROM {tables.sources}")
    return EventTables(events, sources, tables.members, tables.raw)


# How each EventRecord field is read from a relation of merged events, or of mentions
# (``event_view``, one article's own events), where it is not the column of its name.
_MERGED_EXPR = {"fatalities": "fatalities_best"}
_MENTION_EXPR = {"fatalities": "fatalities_low", "source_count": "1",
                 "member_count": "1"}


def _select(expressions: dict[str, str], extra: Sequence[str] = ()) -> str:
    return ", ".join(
        [f"{expressions[c]} AS {c}" if c in expressions else c for c in EVENT_RECORD_COLUMNS]
        + list(extra)
    )


_MERGED_SELECT = _select(_MERGED_EXPR, ["fatalities_sources"])
_MENTION_SELECT = _select(_MENTION_EXPR, ["NULL AS fatalities_sources"])


class Reader:
    """Answers about one sitreps database, as typed records.

    Args:
        store: an open store (read-only is enough).
        tables: where merged events are read; by default the stored ones when the merge is
            current, else an in-memory merge made once (:func:`resolve_tables`).
        search: turns words into a SQL condition over event ids and its parameters (the
            server passes its full-text index); by default a substring match on sentences.
        knowledge: the package the database was built with (``--config``'s knowledge files):
            its ontology says which event types the factual views leave out and how an
            in-memory merge folds events; the built-in package when ``None``.

    >>> import os, tempfile
    >>> with Store(os.path.join(tempfile.mkdtemp(), "r.duckdb")) as store:
    ...     Reader(store).totals()
    (0, 0)
    """

    def __init__(
        self, store: Store, tables: EventTables | None = None,
        search: Callable[[str], tuple[str, list[Any]]] | None = None,
        knowledge: Knowledge | None = None,
    ) -> None:
        self.store = store
        self._tables = tables
        self._search = search
        self.knowledge = knowledge

    @property
    def tables(self) -> EventTables:
        """The relations merged events are read from (merged in memory on first use)."""
        if self._tables is None:
            self._tables = resolve_tables(self.store, knowledge=self.knowledge)
        return self._tables

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.store.query(sql, params)

    # -- events ------------------------------------------------------------------------------

    def _where(self, query: EventQuery) -> tuple[str, list[Any]]:
        clauses, params = event_clauses(query.where, self.knowledge)
        if query.bbox is not None:
            clauses.append("longitude BETWEEN ? AND ? AND latitude BETWEEN ? AND ?")
            min_lon, min_lat, max_lon, max_lat = query.bbox
            params += [min_lon, max_lon, min_lat, max_lat]
        if query.q:
            if self._search is not None:
                clause, values = self._search(query.q)
            else:
                clause = (f"id IN (SELECT event_id FROM {self.tables.sources} "
                          "WHERE sentence ILIKE ? ESCAPE '\\')")
                values = [like_substring(query.q)]
            clauses.append(clause)
            params += values
        return where_sql(clauses), params

    def events(
        self, query: EventQuery | EventFilter = FACTUAL, *, sources: bool = True,
        count: bool = False,
    ) -> EventPage:
        """Merged events matching ``query`` (default: the factual ones), newest first (then
        by id), paged by its ``limit``/``offset``.

        Args:
            query: an ``EventQuery``, or a bare ``EventFilter``.
            sources: read every event's source sentences too (a map's list needs none).
            count: make ``total`` every match even when the page is full (one more
                query); otherwise ``total`` is ``offset`` plus the page's length, which is
                every match whenever the page is not full.
        """
        query = query if isinstance(query, EventQuery) else EventQuery(where=query)
        where, params = self._where(query)
        sql = f"SELECT {_MERGED_SELECT} FROM {self.tables.events} {where} {_ORDER}"
        paging: list[Any] = []
        if query.where.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            paging = [query.where.limit, query.where.offset]
        rows = self._rows(sql, [*params, *paging])
        found = self._sources(self.tables.sources, [r["id"] for r in rows]) if sources else {}
        items = tuple(_record(r, found.get(r["id"], ())) for r in rows)
        limit = query.where.limit
        # A page shorter than its limit (and not past the end) already tells the total.
        known = limit is None or len(items) < limit and (items or not query.where.offset)
        if count and not known:
            total = self.store.con.execute(
                f"SELECT count(*) FROM {self.tables.events} {where}", params).fetchone()[0]
        else:
            total = query.where.offset + len(items)
        return EventPage(int(total), query.where.limit, query.where.offset, items)

    def event_dicts(self, where: EventFilter | None = None) -> list[dict[str, Any]]:
        """:meth:`events` as plain dicts (``fatalities_best`` beside ``fatalities``), for
        renderers that format events by key: the report and the timeline."""
        page = self.events(where or factual_filter())
        return [{**as_dict(e), "fatalities_best": e.fatalities} for e in page.items]

    def mentions(self, where: EventFilter = NO_FILTER) -> tuple[EventRecord, ...]:
        """Per-article events (each article's own reading, before merging), newest first."""
        clauses, params = event_clauses(where, self.knowledge)
        sql = f"SELECT {_MENTION_SELECT} FROM event_view {where_sql(clauses)} {_ORDER}"
        if where.limit is not None:
            sql += f" LIMIT {int(where.limit)} OFFSET {int(where.offset)}"
        rows = self._rows(sql, params)
        found = self._sources("event_sources", [r["id"] for r in rows])
        return tuple(_record(r, found.get(r["id"], ())) for r in rows)

    def _sources(
        self, relation: str, event_ids: list[str], *, articles: bool = False
    ) -> dict[str, tuple[SourceRef, ...]]:
        """Each event's source sentences (with their articles' title, link and date)."""
        found: dict[str, list[SourceRef]] = {}
        meta = ("a.title, a.url, a.published" if articles
                else "NULL AS title, NULL AS url, NULL AS published")
        join = "LEFT JOIN articles a ON a.id = s.article_id" if articles else ""
        for start in range(0, len(event_ids), 1000):
            chunk = event_ids[start : start + 1000]
            for row in self.store.con.execute(
                f'SELECT s.event_id, s.article_id, s.sentence, s.start, s."end", {meta} '
                f"FROM {relation} s {join} "
                "WHERE list_contains(?, s.event_id) ORDER BY s.article_id, s.start",
                [chunk],
            ).fetchall():
                found.setdefault(row[0], []).append(SourceRef(*row[1:]))
        return {k: tuple(v) for k, v in found.items()}

    def event(self, event_id: str) -> EventDetail | None:
        """One merged event by its merged (``m-...``) or a member's own id, with its
        mentions (each article's event, with its own sentences and toll); ``None`` when
        neither id is stored. Every source carries its article's title, link and date."""
        tables = self.tables
        found = self.store.con.execute(
            f"SELECT merged_id FROM {tables.members} WHERE merged_id = ? OR event_id = ? "
            "ORDER BY merged_id <> ? LIMIT 1",
            [event_id, event_id, event_id],
        ).fetchone()
        if found is None:
            return None
        merged_id = found[0]
        [row] = self._rows(f"SELECT {_MERGED_SELECT} FROM {tables.events} WHERE id = ?",
                           [merged_id])
        member_ids = tuple(r[0] for r in self.store.con.execute(
            f"SELECT event_id FROM {tables.members} WHERE merged_id = ? ORDER BY event_id",
            [merged_id]).fetchall())
        members = self._rows(
            f"SELECT {_MENTION_SELECT} FROM event_view WHERE list_contains(?, id) "
            "ORDER BY event_date, article_id, id", [list(member_ids)])
        sources = self._sources("event_sources", list(member_ids), articles=True)
        mentions = tuple(_record(m, sources.get(m["id"], ())) for m in members)
        merged_sources = sorted(
            {(s.article_id, s.start): s for m in mentions for s in m.sources}.values(),
            key=lambda s: (s.article_id, s.start or 0),
        )
        return EventDetail(_record(row, tuple(merged_sources)), member_ids, mentions)

    def totals(self, where: EventFilter | None = None) -> tuple[int, int]:
        """Merged events and their conservative deaths (factual ones by default): the
        figures a summary quotes."""
        clauses, params = event_clauses(where or factual_filter(), self.knowledge)
        events, deaths = self.store.con.execute(
            "SELECT count(*), coalesce(sum(fatalities_best), 0) "
            f"FROM {self.tables.events} {where_sql(clauses)}", params).fetchone()
        return int(events), int(deaths)

    def _events_sql(self, query: EventQuery) -> tuple[str, list[Any]]:
        where, params = self._where(query)
        sql = f"SELECT {_MERGED_SELECT} FROM {self.tables.events} {where} {_ORDER}"
        if query.where.limit is not None:
            sql += f" LIMIT {int(query.where.limit)} OFFSET {int(query.where.offset)}"
        return sql, params

    def to_arrow(self, query: EventQuery | EventFilter = FACTUAL) -> Any:
        """The events of :meth:`events` (without sources) as a ``pyarrow.Table``, fetched by
        DuckDB itself. Needs ``pyarrow``, which sitreps does not require."""
        query = query if isinstance(query, EventQuery) else EventQuery(where=query)
        sql, params = self._events_sql(query)
        return _fetch(lambda: self.store.con.execute(sql, params).arrow(), "pyarrow")

    def to_pandas(self, query: EventQuery | EventFilter = FACTUAL) -> Any:
        """The events of :meth:`events` (without sources) as a ``pandas.DataFrame``, fetched
        by DuckDB itself. Needs ``pandas``, which sitreps does not require."""
        query = query if isinstance(query, EventQuery) else EventQuery(where=query)
        sql, params = self._events_sql(query)
        return _fetch(lambda: self.store.con.execute(sql, params).df(), "pandas")

    # -- aggregates --------------------------------------------------------------------------

    def clusters(self, query: EventQuery, cell: float) -> Clusters:
        """Events with coordinates grouped into ``cell``-degree squares for the map; a cell
        holding one event carries its id so the map can open it directly."""
        where, params = self._where(query)
        located = "latitude IS NOT NULL AND longitude IS NOT NULL"
        where = f"{where} AND {located}" if where else f"WHERE {located}"
        rows = self.store.con.execute(
            "SELECT avg(latitude), avg(longitude), count(*) AS n, "
            "sum(coalesce(fatalities_best, 0)), mode(event_type), "
            "CASE WHEN count(*) = 1 THEN min(id) END "
            f"FROM {self.tables.events} {where} "
            "GROUP BY floor(longitude / ?), floor(latitude / ?) ORDER BY n DESC LIMIT ?",
            [*params, cell, cell, MAX_CELLS + 1],
        ).fetchall()
        cells = tuple(ClusterCell(*r) for r in rows)
        return Clusters(cell, sum(c.count for c in cells), len(cells) > MAX_CELLS,
                        cells[:MAX_CELLS])

    def timeline(self, query: EventQuery, interval: str = "day") -> tuple[TimelinePoint, ...]:
        """Events and deaths per day, week or month."""
        if interval not in INTERVALS:
            raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
        where, params = self._where(query)
        dated = "event_date IS NOT NULL"
        where = f"{where} AND {dated}" if where else f"WHERE {dated}"
        return tuple(TimelinePoint(*r) for r in self.store.con.execute(
            "SELECT CAST(date_trunc(?, event_date) AS DATE) AS period, count(*), "
            f"sum(coalesce(fatalities_best, 0)) FROM {self.tables.events} {where} "
            "GROUP BY period ORDER BY period",
            [interval, *params],
        ).fetchall())

    def stats(self, query: EventQuery = FACTUAL) -> Stats:
        """Totals and the breakdowns by month, type, actor and admin1."""
        where, params = self._where(query)
        base = f"SELECT * FROM {self.tables.events} {where}"
        total, fatalities, first, last = self.store.con.execute(
            "SELECT count(*), coalesce(sum(fatalities_best), 0), min(event_date), "
            f"max(event_date) FROM ({base})", params).fetchone()

        def breakdown(key_sql: str, source: str, values: list[Any],
                      limit: int | None) -> tuple[CountRow, ...]:
            tail = f" LIMIT {int(limit)}" if limit else ""
            return tuple(CountRow(*r) for r in self.store.con.execute(
                f"SELECT {key_sql} AS key, count(*) AS n, "
                f"sum(coalesce(fatalities_best, 0)) FROM ({source}) "
                f"WHERE key IS NOT NULL GROUP BY key ORDER BY n DESC, key{tail}",
                values,
            ).fetchall())

        by_month = sorted(breakdown("strftime(event_date, '%Y-%m')", base, params, None),
                          key=lambda r: r.key)
        sides = (f"SELECT actor1 AS actor, fatalities_best FROM ({base}) UNION ALL "
                 f"SELECT actor2 AS actor, fatalities_best FROM ({base})")
        return Stats(
            int(total), int(fatalities), first, last, tuple(by_month),
            breakdown("event_type", base, params, STATS_TOP),
            breakdown("actor", sides, [*params, *params], STATS_TOP),
            breakdown("admin1", base, params, STATS_TOP),
        )

    # -- actors and relations ----------------------------------------------------------------

    def _actor_counts(self) -> tuple[str, list[Any]]:
        """Merged factual events per actor id (either side), as SQL and its parameters."""
        clauses, params = event_clauses(factual_filter(), self.knowledge)
        where = where_sql(clauses)
        return (
            "SELECT actor, count(*) AS n FROM ("
            f"SELECT actor1 AS actor FROM {self.tables.raw} {where} UNION ALL "
            f"SELECT actor2 FROM {self.tables.raw} {where}) "
            "WHERE actor IS NOT NULL GROUP BY actor"
        ), [*params, *params]

    def actors(self, name: str | None = None, limit: int | None = 50,
               offset: int = 0) -> ActorPage:
        """Actors, most active first (merged factual events they take part in), optionally
        those whose name or an alias holds ``name``."""
        where, params = "", []
        if name:
            where = ("WHERE a.name ILIKE ? ESCAPE '\\' OR "
                     "len(list_filter(a.aliases, x -> x ILIKE ? ESCAPE '\\')) > 0")
            params = [like_substring(name)] * 2
        total = self.store.con.execute(
            f"SELECT count(*) FROM actors a {where}", params).fetchone()[0]
        paging = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        counts, count_params = self._actor_counts()
        rows = self.store.con.execute(
            f"WITH counts AS ({counts}) "
            "SELECT a.id, a.name, a.aliases, a.kind, a.country, a.inter_code, a.backers, "
            "a.part_of, coalesce(c.n, 0) AS events FROM actors a "
            f"LEFT JOIN counts c ON c.actor = a.id {where} "
            f"ORDER BY events DESC, a.name, a.id{paging}",
            [*count_params, *params],
        ).fetchall()
        return ActorPage(int(total), limit, offset, tuple(_actor(r) for r in rows))

    def actor(self, actor_id: str, event_limit: int = 50) -> ActorDetail | None:
        """One actor with its relations and its most recent merged factual events."""
        counts, count_params = self._actor_counts()
        row = self.store.con.execute(
            f"WITH counts AS ({counts}) "
            "SELECT a.id, a.name, a.aliases, a.kind, a.country, a.inter_code, a.backers, "
            "a.part_of, coalesce(c.n, 0) FROM actors a "
            "LEFT JOIN counts c ON c.actor = a.id WHERE a.id = ?",
            [*count_params, actor_id]).fetchone()
        if row is None:
            return None
        actor = _actor(row)
        page = self.events(EventQuery(where=factual_filter(actor=actor_id, limit=event_limit)),
                           sources=False)
        return ActorDetail(actor, actor.events, self.relations(actor_id, None, 500), page.items)

    def relations(self, actor_id: str | None = None, predicate: str | None = None,
                  limit: int | None = 500, *, since: date | None = None,
                  until: date | None = None) -> tuple[RelationRecord, ...]:
        """Actor relations grouped by (subject, predicate, object) with every sentence,
        most often stated first; ``since``/``until`` keep the statements of a window."""
        clauses, params = [], []
        if actor_id:
            clauses.append("(r.subject = ? OR r.object = ?)")
            params += [actor_id, actor_id]
        if predicate:
            clauses.append("r.predicate = ?")
            params.append(predicate)
        if since:
            clauses.append("r.date >= ?")
            params.append(since)
        if until:
            clauses.append("r.date <= ?")
            params.append(until)
        rows = self.store.con.execute(
            "SELECT r.subject, any_value(s.name), r.predicate, r.object, any_value(o.name), "
            "max(r.date), count(*) AS n, list({'article_id': r.article_id, "
            "'sentence': r.sentence, 'start': r.start, 'end': r.\"end\", 'date': r.date} "
            "ORDER BY r.date, r.article_id) FILTER (WHERE r.article_id IS NOT NULL) "
            "FROM relations r LEFT JOIN actors s ON s.id = r.subject "
            f"LEFT JOIN actors o ON o.id = r.object {where_sql(clauses)} "
            "GROUP BY r.subject, r.predicate, r.object ORDER BY n DESC, r.subject, r.object "
            + ("" if limit is None else f"LIMIT {int(limit)}"),
            params,
        ).fetchall()
        return tuple(
            RelationRecord(*r[:7], tuple(RelationSource(**s) for s in (r[7] or ())))
            for r in rows
        )

    # -- control -----------------------------------------------------------------------------

    def control(self, place: str | None = None, at: date | None = None) -> list[ControlAnswer]:
        """Who held ``place`` (default: every place) on ``at`` (default: by the latest
        claims), one answer per place id, disagreements kept."""
        return who_controls(self.store, place, at) if place else control_states(self.store, at)

    def claims(self, place: str | None = None, at: date | None = None) -> list[ControlStatement]:
        """Every control claim (grouped with its sources) for ``place`` (default: every
        place) on or before ``at``, oldest first: what the answers are folded from."""
        # An empty place is no filter, as in :meth:`control`.
        return control_statements(self.store, place or None, at)

    def control_map(self, at: date | None = None) -> tuple[ControlState, ...]:
        """Every place's state on ``at`` as one claim each, for a map: the same answers as
        :meth:`control`, with coordinates."""
        answers = self.control(None, at)
        places = {r[0]: r[1:] for r in self.store.con.execute(
            "SELECT id, latitude, longitude, admin1, country FROM places WHERE id IN "
            "(SELECT DISTINCT place_id FROM control_claims)").fetchall()}
        return tuple(_control_state(a, places.get(a.place_id, (None,) * 4)) for a in answers)

    # -- articles and export -----------------------------------------------------------------

    def article_meta(self) -> dict[str, dict[str, Any]]:
        """Every article's title, outlet, date and link by id, for citing sources."""
        return {r["id"]: r for r in self._rows(
            "SELECT id, title, source, published, url FROM articles")}

    def article(self, article_id: str) -> ArticleRecord | None:
        """An article's text with its mentions and the spans its events were read from."""
        row = self.store.con.execute(
            "SELECT id, title, url, source, published, language, text FROM articles "
            "WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        mentions = self.store.con.execute(
            'SELECT sentence_index, start, "end", text, label, entity_id FROM mentions '
            "WHERE article_id = ? ORDER BY start", [article_id]).fetchall()
        spans = self.store.con.execute(
            'SELECT event_id, start, "end" FROM event_sources WHERE article_id = ? '
            "ORDER BY start, event_id", [article_id]).fetchall()
        return ArticleRecord(*row, tuple(MentionSpan(*m) for m in mentions),
                             tuple(EventSpan(*s) for s in spans))


def reader_for(source: Store | Reader, knowledge: Knowledge | None = None) -> Reader:
    """A reader over a store with ``knowledge``, or the reader given (library functions accept
    either; a reader keeps the package it was made with)."""
    return source if isinstance(source, Reader) else Reader(source, knowledge=knowledge)


def _record(row: dict[str, Any], sources: tuple[SourceRef, ...]) -> EventRecord:
    """An event row and its sources as a record."""
    tolls = json.loads(row.pop("fatalities_sources") or "[]")
    return EventRecord(
        **row, fatality_reports=tuple(FatalityReport(**t) for t in tolls), sources=sources)


def _actor(row: Sequence[Any]) -> ActorRecord:
    values = list(row)
    values[2] = tuple(values[2] or ())
    values[6] = tuple(values[6] or ())
    return ActorRecord(*values)


def _control_state(answer: ControlAnswer, place: Sequence[Any]) -> ControlState:
    """One answer as a map's claim: see :class:`ControlState`."""
    state = control_status(answer)
    head: ControlStatement = answer.holders[0] if answer.holders else answer.latest[0]
    source = head.sources[0] if head.sources else {}
    controller_id, controller, change = head.controller_id, head.controller, head.change
    if state == "disputed":
        controller_id, change = None, "contested"
        controller = "; ".join(h.controller or h.controller_id for h in answer.holders)
    return ControlState(
        answer.place_id, answer.place, *place, state, control_state_line(answer),
        controller_id, controller, change, head.date,
        *(source.get(k) for k in ("article_id", "sentence", "start", "end")),
        answer.holders, answer.latest,
    )


def _fetch(run: Callable[[], Any], package: str) -> Any:
    try:
        return run()
    except (ImportError, ModuleNotFoundError) as error:
        raise OptionalDependencyMissing(
            f"This table format needs {package}, which sitreps does not install: "
            f"pip install {package}"
        ) from error
    except Exception as error:  # DuckDB reports a missing pyarrow/pandas as its own error
        if package in str(error).lower():
            raise OptionalDependencyMissing(
                f"This table format needs {package}, which sitreps does not install: "
                f"pip install {package}"
            ) from error
        raise
