"""Server-side filtering and aggregation for the HTTP API.

The dashboard must stay responsive with 100,000 events, so every function here filters,
pages or aggregates inside DuckDB and returns at most a bounded number of rows. All SQL takes
its values as parameters; the only text spliced into SQL comes from fixed tables in this module.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from sitreps.store.duckdb import (
    EventFilter,
    Store,
    StoreLocked,
    _event_clauses,
    classify_store_error,
    dumps_json,
    factual_filter,
    like_substring,
)

# Columns of ``merged_event_view`` the API returns for an event. ``fatalities`` is the merged
# conservative figure (``fatalities_best``), the one the CLI, exports and reports quote.
EVENT_COLUMNS = (
    "id", "article_id", "event_type", "sub_event_type", "plover_type", "trigger", "event_date",
    "time_precision", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "actor1_id",
    "actor2_id", "location", "admin1", "admin2", "country", "latitude", "longitude", "place_id",
    "geo_precision", "fatalities_best AS fatalities", "fatalities_low", "fatalities_high",
    "fatalities_as_stated", "modality", "confidence", "source_count", "member_count",
)
# Where merged events and their sources are read when the file's merge is current.
MERGED_TABLES = ("sitreps.main.merged_event_view", "sitreps.main.merged_event_sources")
# Where they are read when it is not: merged in memory once, as the CLI does per command.
LIVE_TABLES = ("memory.main.live_events", "memory.main.live_sources")
_EVENT_SELECT = ", ".join(EVENT_COLUMNS)
# date_trunc parts a client may ask for; the value is still passed as a parameter.
INTERVALS = ("day", "week", "month")
# How many rows each /api/stats breakdown returns; months are all returned.
STATS_TOP = 20
# Upper bound on map cells per /api/clusters answer, so a tiny cell size cannot ship the table.
MAX_CELLS = 4000


class DatabaseUnavailable(RuntimeError):
    """The database file cannot be opened; run `sitreps run` first or stop the process
    that holds it for writing."""


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The API's event filters: the store's ``EventFilter`` plus a bounding box and text search.

    ``bbox`` is ``(min_lon, min_lat, max_lon, max_lat)``; ``q`` searches source sentences.
    """

    where: EventFilter = EventFilter()
    bbox: tuple[float, float, float, float] | None = None
    q: str | None = None


def fts_extension_path() -> Path | None:
    """The FTS extension shipped in the ``duckdb-extension-fts`` wheel (DuckDB cannot download
    extensions offline), or ``None`` when the package is missing."""
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    folder = Path(os.path.dirname(duckdb_extension_fts.__file__)) / "extensions"
    path = folder / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    return path if path.exists() else None


class _Connection:
    """A DuckDB cursor that reads the attached sitreps file by default, as do its own cursors.

    ``USE`` is per connection in DuckDB, and ``Store`` opens sub-cursors to stream rows.
    """

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        cursor.execute("USE sitreps")
        self._cursor = cursor

    def cursor(self) -> _Connection:
        return _Connection(self._cursor.cursor())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class _CursorStore(Store):
    """A ``Store`` over one cursor of a shared DuckDB instance: one per request or thread."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._attach(_Connection(con), path)  # type: ignore[arg-type]


class Database:
    """One DuckDB instance per server process, with the sitreps file attached.

    The file is attached to an in-memory database so that the full-text index, which DuckDB
    must write somewhere, lives in memory while the file itself stays read-only. Each request
    reads through its own cursor, which DuckDB allows from many threads at once. A second
    process can read the same file too, but while any process holds it read-only no process
    can write it (DuckDB's single-writer lock), so `sitreps ingest` waits for the server.
    """

    def __init__(self, path: str | Path, *, writable: bool = False) -> None:
        self.path = Path(path)
        self.writable = writable
        try:
            if writable:
                Store(self.path).close()  # creates the file or migrates its schema
            elif not self.path.exists():
                raise DatabaseUnavailable(
                    f"No database at {self.path}: run `sitreps run` or `sitreps ingest` first."
                )
            self.con = duckdb.connect(":memory:")
            mode = "" if writable else " (READ_ONLY)"
            quoted = str(self.path).replace("'", "''")
            self.con.execute(f"ATTACH '{quoted}' AS sitreps{mode}")
            self.con.execute("USE sitreps")
            _CursorStore(self.con, self.path).check_file(read_only=True)
        except (duckdb.Error, StoreLocked) as error:
            # A damaged or foreign file gets the same named error as every CLI command.
            raise classify_store_error(self.path, error) or DatabaseUnavailable(
                f"Cannot open {self.path}: {error}"
            ) from error
        self.write_lock = threading.Lock()
        self._index_lock = threading.Lock()
        self._index_ready = False
        self._tables_lock = threading.Lock()
        self._tables: tuple[str, str] | None = None
        self.fts = self._load_fts()

    def _load_fts(self) -> bool:
        path = fts_extension_path()
        if path is None:
            return False
        try:
            self.con.execute(f"LOAD '{str(path).replace(chr(39), chr(39) * 2)}'")
        except duckdb.Error:
            return False
        return True

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A store on a fresh cursor, closed when the block ends."""
        cursor = self.con.cursor()
        try:
            yield _CursorStore(cursor, self.path)
        finally:
            cursor.close()

    def close(self) -> None:
        self.con.close()

    def event_tables(self) -> tuple[str, str]:
        """The relations of merged events and of their sources, as fully qualified names.

        Every surface reads merged (real-world) events. A file whose merge is current is read
        directly; otherwise (a file written without ``merge_events()``, or an interrupted
        merge) the events are merged in memory once, as ``Store.merged_events`` does for the
        CLI, so API and CLI give the same events and ids. The file cannot change under a
        read-only server (DuckDB's lock), and ingest calls :meth:`invalidate_text_index`.
        """
        if self._tables is not None:
            return self._tables
        with self._tables_lock:
            if self._tables is None:
                with self.store() as store:
                    if store.merge_is_current():
                        self._tables = MERGED_TABLES
                    else:
                        self._merge_in_memory(store)
                        self._tables = LIVE_TABLES
        return self._tables

    def _merge_in_memory(self, store: Store) -> None:
        """Write the store's in-memory merge into the ``LIVE_TABLES`` of the memory catalog."""
        rows = store.merged_events(EventFilter())
        events, sources = LIVE_TABLES
        cursor = self.con.cursor()
        try:
            cursor.execute(
                f"CREATE OR REPLACE TABLE {events} AS "
                f"SELECT * FROM {MERGED_TABLES[0]} LIMIT 0"
            )
            columns = [d[0] for d in cursor.execute(f"SELECT * FROM {events}").description]
            cursor.execute(
                f"CREATE OR REPLACE TABLE {sources} AS "
                f"SELECT * FROM {MERGED_TABLES[1]} LIMIT 0"
            )
            values = [
                [dumps_json(r[c]) if c == "fatalities_sources" else r.get(c) for c in columns]
                for r in rows
            ]
            marks = ", ".join("?" for _ in columns)
            if values:
                cursor.executemany(f"INSERT INTO {events} VALUES ({marks})", values)
            spans = [
                [r["id"], s["article_id"], s["sentence"], s["start"], s["end"]]
                for r in rows for s in r["sources"]
            ]
            if spans:
                cursor.executemany(f"INSERT INTO {sources} VALUES (?, ?, ?, ?, ?)", spans)
        finally:
            cursor.close()

    def ensure_text_index(self) -> None:
        """Build the in-memory FTS index of source sentences once (and after each ingest).

        It indexes the merged events' sources, so a search finds merged ids.
        """
        if self._index_ready or not self.fts:
            return
        sources = self.event_tables()[1]
        with self._index_lock:
            if self._index_ready:
                return
            cursor = self.con.cursor()
            try:
                cursor.execute(
                    "CREATE OR REPLACE TABLE memory.main.sentence_index AS "
                    "SELECT row_number() OVER () AS rid, event_id, sentence "
                    f"FROM {sources} WHERE sentence IS NOT NULL"
                )
                cursor.execute(
                    # Keep digits (the default drops them): "day 7" and "2 killed" search.
                    "PRAGMA create_fts_index('memory.main.sentence_index', 'rid', 'sentence', "
                    "ignore='(\\.|[^a-z0-9])+', overwrite=1)"
                )
            finally:
                cursor.close()
            self._index_ready = True

    def invalidate_text_index(self) -> None:
        """Mark the text index and the merged-event tables stale after an ingest."""
        with self._tables_lock:
            self._tables = None
        self._index_ready = False


# -- filters ---------------------------------------------------------------------------------


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """Read ``minlon,minlat,maxlon,maxlat``; raise ``ValueError`` with a message for users.

    >>> parse_bbox("35,30,40,37.5")
    (35.0, 30.0, 40.0, 37.5)
    """
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError("bbox must be four numbers: minlon,minlat,maxlon,maxlat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError("bbox must be four numbers: minlon,minlat,maxlon,maxlat") from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError(
            "bbox must satisfy -180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90"
        )
    return min_lon, min_lat, max_lon, max_lat


_like_pattern = like_substring


def event_where(db: Database, query: EventQuery) -> tuple[str, list[Any]]:
    """The WHERE clause over the merged events for a query, and its parameters."""
    clause, params = _event_clauses(query.where)
    clauses = [clause.removeprefix("WHERE ")] if clause else []
    if query.bbox is not None:
        clauses.append("longitude BETWEEN ? AND ? AND latitude BETWEEN ? AND ?")
        min_lon, min_lat, max_lon, max_lat = query.bbox
        params += [min_lon, max_lon, min_lat, max_lat]
    if query.q:
        db.ensure_text_index()
        if db.fts:
            clauses.append(
                "id IN (SELECT event_id FROM memory.main.sentence_index "
                "WHERE memory.fts_main_sentence_index.match_bm25(rid, ?, conjunctive := 1) "
                "IS NOT NULL)"
            )
            params.append(query.q)
        else:
            clauses.append(
                f"id IN (SELECT event_id FROM {db.event_tables()[1]} "
                "WHERE sentence ILIKE ? ESCAPE '\\')"
            )
            params.append(_like_pattern(query.q))
    return ("WHERE " + " AND ".join(f"({c})" for c in clauses)) if clauses else "", params


# -- events ----------------------------------------------------------------------------------


def list_events(
    db: Database, store: Store, query: EventQuery, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """One page of events, newest first, and the number of events matching the filters."""
    where, params = event_where(db, query)
    events = db.event_tables()[0]
    total = store.con.execute(f"SELECT count(*) FROM {events} {where}", params).fetchone()[0]
    rows = store.query(
        f"SELECT {_EVENT_SELECT} FROM {events} {where} "
        "ORDER BY event_date DESC NULLS LAST, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return int(total), rows


def get_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One merged event, by its merged id or a member's id, with its per-article mentions.

    Every source carries its article's title, link and date; each mention (one article's
    event) carries its own sentences, so a merged figure can be traced to what each said.
    """
    event = store.merged_event(event_id)
    if event is None:
        return None
    event["fatalities"] = event.get("fatalities_best")
    for mention in event["mentions"]:
        mention["fatalities"] = mention.get("fatalities_low")
    articles = {r["id"]: r for r in store.query(
        "SELECT id, title, url, published FROM articles WHERE id IN "
        "(SELECT article_id FROM event_sources WHERE event_id IN "
        f"({', '.join('?' for _ in event['mentions'])}))",
        [m["id"] for m in event["mentions"]],
    )} if event["mentions"] else {}
    for source in [*event["sources"], *(s for m in event["mentions"] for s in m["sources"])]:
        meta = articles.get(source["article_id"], {})
        for key in ("title", "url", "published"):
            source[key] = meta.get(key)
    return event


def cluster_events(
    db: Database, store: Store, query: EventQuery, cell: float
) -> tuple[int, list[dict[str, Any]]]:
    """Events with coordinates grouped into ``cell``-degree squares for the map.

    A cell holding one event carries its id so the map can open it directly.
    """
    where, params = event_where(db, query)
    located = "latitude IS NOT NULL AND longitude IS NOT NULL"
    where = f"{where} AND {located}" if where else f"WHERE {located}"
    rows = store.query(
        "SELECT avg(latitude) AS latitude, avg(longitude) AS longitude, count(*) AS count, "
        "sum(coalesce(fatalities_best, 0)) AS fatalities, mode(event_type) AS event_type, "
        "CASE WHEN count(*) = 1 THEN min(id) END AS event_id "
        f"FROM {db.event_tables()[0]} {where} "
        "GROUP BY floor(longitude / ?), floor(latitude / ?) ORDER BY count DESC LIMIT ?",
        [*params, cell, cell, MAX_CELLS + 1],
    )
    total = sum(r["count"] for r in rows)
    return total, rows[:MAX_CELLS]


def timeline(
    db: Database, store: Store, query: EventQuery, interval: str
) -> list[dict[str, Any]]:
    """Events and fatalities per day, week or month."""
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
    where, params = event_where(db, query)
    dated = "event_date IS NOT NULL"
    where = f"{where} AND {dated}" if where else f"WHERE {dated}"
    return store.query(
        "SELECT CAST(date_trunc(?, event_date) AS DATE) AS period, count(*) AS count, "
        "sum(coalesce(fatalities_best, 0)) AS fatalities "
        f"FROM {db.event_tables()[0]} {where} GROUP BY period ORDER BY period",
        [interval, *params],
    )


def stats(db: Database, store: Store, query: EventQuery) -> dict[str, Any]:
    """Totals and the breakdowns by month, type, actor and admin1."""
    where, params = event_where(db, query)
    events = db.event_tables()[0]
    total, fatalities, first, last = store.con.execute(
        "SELECT count(*), coalesce(sum(fatalities_best), 0), min(event_date), max(event_date) "
        f"FROM {events} {where}",
        params,
    ).fetchone()
    base = f"SELECT * FROM {events} {where}"

    def breakdown(key_sql: str, source: str, limit: int | None) -> list[dict[str, Any]]:
        tail = " LIMIT ?" if limit else ""
        return store.query(
            f"SELECT {key_sql} AS key, count(*) AS count, "
            f"sum(coalesce(fatalities_best, 0)) AS fatalities FROM ({source}) "
            f"WHERE key IS NOT NULL GROUP BY key ORDER BY count DESC, key{tail}",
            [*params, *([limit] if limit else [])],
        )

    by_month = breakdown("strftime(event_date, '%Y-%m')", base, None)
    by_month.sort(key=lambda r: r["key"])
    actors = (
        f"SELECT actor1 AS actor, fatalities_best FROM ({base}) UNION ALL "
        f"SELECT actor2 AS actor, fatalities_best FROM ({base})"
    )
    by_actor = store.query(
        "SELECT actor AS key, count(*) AS count, sum(coalesce(fatalities_best, 0)) AS fatalities "
        f"FROM ({actors}) WHERE actor IS NOT NULL GROUP BY actor ORDER BY count DESC, actor "
        "LIMIT ?",
        [*params, *params, STATS_TOP],
    )
    return {
        "total_events": int(total),
        "total_fatalities": int(fatalities),
        "first_date": first,
        "last_date": last,
        "by_month": by_month,
        "by_type": breakdown("event_type", base, STATS_TOP),
        "by_actor": by_actor,
        "by_admin1": breakdown("admin1", base, STATS_TOP),
    }


# -- actors, relations, control, articles ----------------------------------------------------


def list_actors(
    store: Store, name: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """Actors, most active first, optionally matching a name or alias substring."""
    where, params = "", []
    if name:
        where = (
            "WHERE a.name ILIKE ? ESCAPE '\\' OR "
            "len(list_filter(a.aliases, x -> x ILIKE ? ESCAPE '\\')) > 0"
        )
        params = [_like_pattern(name)] * 2
    total = store.con.execute(f"SELECT count(*) FROM actors a {where}", params).fetchone()[0]
    rows = store.query(
        "WITH counts AS (SELECT actor, count(*) AS n FROM ("
        "SELECT actor1 AS actor FROM events UNION ALL SELECT actor2 FROM events UNION ALL "
        "SELECT assoc_actor_1 FROM events UNION ALL SELECT assoc_actor_2 FROM events) "
        "WHERE actor IS NOT NULL GROUP BY actor) "
        "SELECT a.id, a.name, a.aliases, a.kind, a.country, a.inter_code, a.backers, "
        "a.part_of, coalesce(c.n, 0) AS events FROM actors a "
        f"LEFT JOIN counts c ON c.actor = a.id {where} "
        "ORDER BY events DESC, a.name, a.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return int(total), rows


def get_actor(
    db: Database, store: Store, actor_id: str, event_limit: int
) -> dict[str, Any] | None:
    """One actor with its relations and its most recent (merged) events."""
    rows = store.query(
        "SELECT id, name, aliases, kind, country, inter_code, backers, part_of FROM actors "
        "WHERE id = ?",
        [actor_id],
    )
    if not rows:
        return None
    actor = rows[0]
    actor["relations"] = relations(store, actor_id, None, 500)
    clause = "actor1_id = ? OR actor2_id = ?"
    events = db.event_tables()[0]
    actor["event_count"] = store.con.execute(
        f"SELECT count(*) FROM {events} WHERE {clause}", [actor_id, actor_id]
    ).fetchone()[0]
    actor["events"] = store.query(
        f"SELECT {_EVENT_SELECT} FROM {events} WHERE {clause} "
        "ORDER BY event_date DESC NULLS LAST, id LIMIT ?",
        [actor_id, actor_id, event_limit],
    )
    return actor


def relations(
    store: Store, actor_id: str | None, predicate: str | None, limit: int
) -> list[dict[str, Any]]:
    """Actor relations grouped by (subject, predicate, object) with every source sentence."""
    clauses, params = [], []
    if actor_id:
        clauses.append("(r.subject = ? OR r.object = ?)")
        params += [actor_id, actor_id]
    if predicate:
        clauses.append("r.predicate = ?")
        params.append(predicate)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return store.query(
        "SELECT r.subject AS subject_id, any_value(s.name) AS subject, r.predicate, "
        "r.object AS object_id, any_value(o.name) AS object, max(r.date) AS last_date, "
        "count(*) AS count, list({'article_id': r.article_id, 'sentence': r.sentence, "
        "'start': r.start, 'end': r.\"end\", 'date': r.date} ORDER BY r.date, r.article_id) "
        "FILTER (WHERE r.article_id IS NOT NULL) AS sources "
        "FROM relations r LEFT JOIN actors s ON s.id = r.subject "
        f"LEFT JOIN actors o ON o.id = r.object {where} "
        "GROUP BY r.subject, r.predicate, r.object ORDER BY count DESC, subject_id, object_id "
        "LIMIT ?",
        [*params, limit],
    )


def control_items(store: Store, at: date | None) -> list[dict[str, Any]]:
    """Every place's state on ``at`` (or by the latest claims), from the same answers as
    ``sitreps control`` (:func:`sitreps.control_query.control_states`).

    ``change``, ``controller`` and ``date`` describe the state in one claim for the map:
    the holder's claim; when sources disagree, ``contested`` by every holder named; when
    nobody holds the place, the latest claim (e.g. who lost it).
    """
    from sitreps.control_query import control_states, state_line, status

    answers = control_states(store, at)
    places = {r["id"]: r for r in store.query(
        "SELECT id, latitude, longitude, admin1, country FROM places WHERE id IN "
        "(SELECT DISTINCT place_id FROM control_claims)")}
    items = []
    for answer in answers:
        state = status(answer)
        head = answer.holders[0] if answer.holders else answer.latest[0]
        source = head.sources[0] if head.sources else {}
        place = places.get(answer.place_id, {})
        item = {
            "place_id": answer.place_id, "place": answer.place,
            **{k: place.get(k) for k in ("latitude", "longitude", "admin1", "country")},
            "status": state, "summary": state_line(answer),
            "controller_id": head.controller_id, "controller": head.controller,
            "change": head.change, "date": head.date,
            **{k: source.get(k) for k in ("article_id", "sentence", "start", "end")},
            "holders": [_statement(h) for h in answer.holders],
            "latest": [_statement(c) for c in answer.latest],
        }
        if state == "disputed":
            item["controller_id"] = None
            item["controller"] = "; ".join(h.controller or h.controller_id for h in answer.holders)
            item["change"] = "contested"
        items.append(item)
    return items


def _statement(claim: Any) -> dict[str, Any]:
    return {
        "controller_id": claim.controller_id, "controller": claim.controller,
        "change": claim.change, "date": claim.date, "confidence": claim.confidence,
        "sources": list(claim.sources),
    }


def get_article(store: Store, article_id: str) -> dict[str, Any] | None:
    """An article's text with its mentions and the spans its events were read from."""
    rows = store.query(
        "SELECT id, title, url, source, published, language, text FROM articles WHERE id = ?",
        [article_id],
    )
    if not rows:
        return None
    article = rows[0]
    article["mentions"] = store.query(
        'SELECT sentence_index, start, "end", text, label, entity_id FROM mentions '
        "WHERE article_id = ? ORDER BY start",
        [article_id],
    )
    article["event_spans"] = store.query(
        'SELECT event_id, start, "end" FROM event_sources WHERE article_id = ? '
        "ORDER BY start, event_id",
        [article_id],
    )
    return article


def filter_from(
    *,
    since: date | None = None,
    until: date | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    modality: Sequence[str] | None = None,
) -> EventFilter:
    """An ``EventFilter`` from API parameters (no paging: the API pages itself).

    With no modality asked for, only factual (asserted or reported) events in ACLED's
    vocabulary are counted, as in the CLI, exports and reports; ``modality=background`` and
    the others must be asked for.
    """
    fields = dict(event_type=event_type, actor=actor, place=place, since=since, until=until)
    if modality:
        return EventFilter(modality=tuple(modality), **fields)
    return factual_filter(**fields)
