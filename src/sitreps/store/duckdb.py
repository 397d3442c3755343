"""The DuckDB store: a versioned schema, transactional writes and the common queries.

Writes happen in one transaction per batch of articles, so an interrupted run loses nothing that
was committed and the next run picks up the articles not yet processed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from sitreps.records import Analysis, Article, IngestError

SCHEMA_VERSION = 1
DEFAULT_DB = "sitreps.duckdb"
# Rows per INSERT statement: DuckDB parses one statement with many VALUES tuples far faster
# than it runs the same number of single-row statements.
_ROWS_PER_STATEMENT = 400


class StoreSchemaMismatch(RuntimeError):
    """The database was written by a newer sitreps; upgrade sitreps or use another --db file."""


class StoreLocked(RuntimeError):
    """Another process holds the database for writing; wait for it or use another --db file."""


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters shared by the CLI, the exporters and the API."""

    event_type: str | None = None
    actor: str | None = None
    place: str | None = None
    since: date | None = None
    until: date | None = None
    modality: tuple[str, ...] | None = None
    limit: int | None = None
    offset: int = 0


def _schema_sql() -> str:
    return resources.files("sitreps.store").joinpath("schema.sql").read_text("utf-8")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """A sitreps database in one DuckDB file.

    >>> import tempfile, os
    >>> store = Store(os.path.join(tempfile.mkdtemp(), "doc.duckdb"))
    >>> store.count("articles")
    0
    >>> store.close()
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = Path(path)
        try:
            if read_only and not self.path.exists():
                raise FileNotFoundError(
                    f"No database at {self.path}: run `sitreps run` or `sitreps ingest` first."
                )
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise StoreLocked(
                    f"{self.path} is in use by another sitreps process: {error}"
                ) from error
            raise
        if not read_only:
            self._migrate()
        else:
            self._check_version()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def _version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _check_version(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise StoreSchemaMismatch(
                f"{self.path} has schema version {version}, newer than this sitreps "
                f"({SCHEMA_VERSION}). Upgrade sitreps."
            )

    def _migrate(self) -> None:
        self._check_version()
        if self._version() == SCHEMA_VERSION:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(_schema_sql())
            self.con.execute(
                "INSERT INTO schema_version VALUES (?, ?)", [SCHEMA_VERSION, _now()]
            )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # -- writing ----------------------------------------------------------------------------

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows in multi-row statements; rows whose key exists already are kept."""
        if not rows:
            return
        on_conflict = " ON CONFLICT DO NOTHING" if table in _KEYED_TABLES else ""
        cols = ", ".join(f'"{c}"' for c in columns)
        one = "(" + ", ".join("?" for _ in columns) + ")"
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            params = [value for row in chunk for value in row]
            self.con.execute(
                f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(chunk))}"
                + on_conflict,
                params,
            )

    def has_article(self, article_id: str) -> bool:
        row = self.con.execute(
            "SELECT 1 FROM articles WHERE id = ? UNION ALL "
            "SELECT 1 FROM article_duplicates WHERE id = ? LIMIT 1",
            [article_id, article_id],
        ).fetchone()
        return row is not None

    def add_article(self, article: Article) -> bool:
        """Store an article; False when it was already stored (re-ingest is a no-op)."""
        if self.has_article(article.id):
            return False
        self.con.execute(
            "INSERT INTO articles (id, url, source, title, lede, published, text, language, "
            "origin, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                article.id, article.url, article.source, article.title, article.lede,
                article.published, article.text, article.language, article.origin,
                article.ingested_at or _now(),
            ],
        )
        return True

    def add_duplicate(self, article: Article, duplicate_of: str, similarity: float) -> bool:
        """Link a near-duplicate to the article it repeats, without storing its text again."""
        if self.has_article(article.id):
            return False
        self.con.execute(
            "INSERT INTO article_duplicates VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [
                article.id, duplicate_of, similarity, article.url, article.title,
                article.published, article.origin, _now(),
            ],
        )
        return True

    def add_error(self, error: IngestError) -> None:
        self.con.execute(
            "INSERT INTO ingest_errors (origin, item, reason, recorded_at) VALUES (?, ?, ?, ?)",
            [error.origin, error.item, error.reason, error.at or _now()],
        )

    def article_texts(self) -> Iterator[tuple[str, str]]:
        """(id, text) of every stored article, streamed, for near-duplicate indexing."""
        cursor = self.con.cursor()
        cursor.execute("SELECT id, text FROM articles ORDER BY ingested_at, id")
        while batch := cursor.fetchmany(500):
            yield from batch

    def unprocessed_articles(self, limit: int | None = None) -> Iterator[Article]:
        """Articles not yet analysed, oldest first, streamed in chunks."""
        sql = (
            "SELECT id, text, title, published, url, source, lede, language, origin, ingested_at "
            "FROM articles WHERE processed_at IS NULL ORDER BY ingested_at, id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cursor = self.con.cursor()
        cursor.execute(sql)
        while batch := cursor.fetchmany(200):
            for row in batch:
                yield Article(*row)

    def count_unprocessed(self) -> int:
        return self.con.execute(
            "SELECT count(*) FROM articles WHERE processed_at IS NULL"
        ).fetchone()[0]

    def save_analyses(
        self, analyses: Iterable[Analysis], errors: Iterable[IngestError] = ()
    ) -> None:
        """Store the records of a batch of analysed articles in one transaction.

        Earlier records of the same articles are replaced, so re-running extraction is safe.
        """
        analyses = list(analyses)
        ids = [a.article.id for a in analyses]
        rows = _rows_for(analyses)
        self.con.execute("BEGIN TRANSACTION")
        try:
            if ids:
                marks = ", ".join("?" for _ in ids)
                for table in ("mentions", "relations", "control_claims"):
                    self.con.execute(f"DELETE FROM {table} WHERE article_id IN ({marks})", ids)
                self.con.execute(
                    f"DELETE FROM event_sources WHERE event_id IN "
                    f"(SELECT id FROM events WHERE article_id IN ({marks}))",
                    ids,
                )
                self.con.execute(f"DELETE FROM events WHERE article_id IN ({marks})", ids)
            for table, (columns, table_rows) in rows.items():
                self._insert(table, columns, table_rows)
            for error in errors:
                self.add_error(error)
            if ids:
                self.con.execute(
                    f"UPDATE articles SET processed_at = ? WHERE id IN ({marks})", [_now(), *ids]
                )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def mark_failed(self, article_ids: Sequence[str]) -> None:
        """Mark articles whose extraction failed as processed, so a rerun does not loop on them."""
        if article_ids:
            marks = ", ".join("?" for _ in article_ids)
            self.con.execute(
                f"UPDATE articles SET processed_at = ? WHERE id IN ({marks})",
                [_now(), *article_ids],
            )

    # -- reading ----------------------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"Unknown table {table!r}; known: {', '.join(TABLES)}.")
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read query and return rows as dicts."""
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def events(self, where: EventFilter = EventFilter()) -> list[dict[str, Any]]:
        """Events with actor names, place fields and sources, newest first."""
        clauses, params = _event_clauses(where)
        sql = f"SELECT * FROM event_view {clauses} ORDER BY event_date DESC NULLS LAST, id"
        if where.limit is not None:
            sql += f" LIMIT {int(where.limit)} OFFSET {int(where.offset)}"
        rows = self.query(sql, params)
        sources = self._sources_for([r["id"] for r in rows])
        for row in rows:
            row["sources"] = sources.get(row["id"], [])
        return rows

    def _sources_for(self, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        if not event_ids:
            return {}
        found: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(event_ids), 1000):
            chunk = event_ids[start : start + 1000]
            marks = ", ".join("?" for _ in chunk)
            for row in self.query(
                f'SELECT event_id, article_id, sentence, start, "end" FROM event_sources '
                f"WHERE event_id IN ({marks}) ORDER BY article_id, start",
                chunk,
            ):
                event_id = row.pop("event_id")
                found.setdefault(event_id, []).append(row)
        return found

    def actors(self, *, name: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Actors with the number of events they take part in, most active first."""
        sql = (
            "SELECT a.*, (SELECT count(*) FROM events e WHERE a.id IN "
            "(e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2)) AS events "
            "FROM actors a"
        )
        params: list[Any] = []
        if name:
            sql += (
                " WHERE a.name ILIKE ? OR "
                "list_contains(list_transform(a.aliases, x -> lower(x)), lower(?))"
            )
            params += [f"%{name}%", name]
        sql += " ORDER BY events DESC, a.name"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def table_rows(self, table: str) -> list[dict[str, Any]]:
        if table not in TABLES:
            raise ValueError(f"Unknown table {table!r}.")
        return self.query(f"SELECT * FROM {table}")


_KEYED_TABLES = frozenset({"articles", "article_duplicates", "actors", "places", "events"})
TABLES = (
    "articles", "article_duplicates", "ingest_errors", "mentions", "actors", "places", "events",
    "event_sources", "relations", "control_claims",
)


def _event_clauses(where: EventFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if where.event_type:
        clauses.append("(event_type ILIKE ? OR sub_event_type ILIKE ? OR plover_type ILIKE ?)")
        params += [where.event_type] * 3
    if where.actor:
        clauses.append(
            "(actor1 ILIKE ? OR actor2 ILIKE ? OR assoc_actor_1 ILIKE ? OR assoc_actor_2 ILIKE ? "
            "OR actor1_id = ? OR actor2_id = ?)"
        )
        params += [f"%{where.actor}%"] * 4 + [where.actor] * 2
    if where.place:
        clauses.append("(location ILIKE ? OR admin1 ILIKE ? OR country ILIKE ? OR place_id = ?)")
        params += [f"%{where.place}%"] * 3 + [where.place]
    if where.since:
        clauses.append("event_date >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("event_date <= ?")
        params.append(where.until)
    if where.modality:
        clauses.append(f"modality IN ({', '.join('?' for _ in where.modality)})")
        params += list(where.modality)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _rows_for(analyses: list[Analysis]) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    """Flatten analyses into rows per table."""
    mentions, actors, places, events, sources, relations, claims = [], {}, {}, [], [], [], []
    for analysis in analyses:
        article_id = analysis.article.id
        for m in analysis.mentions:
            mentions.append(
                (m.article_id, m.sentence_index, m.start, m.end, m.text, m.label, m.entity_id,
                 m.stage)
            )
        for a in analysis.actors:
            actors[a.id] = (
                a.id, a.name, list(a.aliases), a.kind, a.country, a.inter_code, list(a.backers),
                a.part_of, a.leader_of, a.is_new,
            )
        for p in analysis.places:
            places[p.id] = (
                p.id, p.name, p.country, p.admin1, p.admin2, p.latitude, p.longitude,
                p.feature_class, p.population, p.geo_precision,
            )
        for e in analysis.events:
            f = e.fatalities
            events.append(
                (e.id, article_id, e.event_type, e.sub_event_type, e.plover_type, e.trigger,
                 e.event_date, e.time_precision, e.actor1, e.actor2, e.assoc_actor_1,
                 e.assoc_actor_2, e.place_id, e.geo_precision,
                 f.low if f else None, f.high if f else None, f.as_stated if f else None,
                 f.victims if f else None, e.modality, e.confidence, e.stage)
            )
            for s in e.sources:
                sources.append((e.id, s.article_id, s.sentence, s.start, s.end))
        for r in analysis.relations:
            for s in r.sources or (None,):
                relations.append(
                    (r.subject, r.predicate, r.object, r.date, article_id,
                     s.sentence if s else None, s.start if s else None, s.end if s else None,
                     r.stage)
                )
        for c in analysis.control_claims:
            for s in c.sources or (None,):
                claims.append(
                    (c.place_id, c.controller, c.change, c.date, article_id,
                     s.sentence if s else None, s.start if s else None, s.end if s else None,
                     c.stage)
                )
    span = ("article_id", "sentence", "start", "end", "stage")
    return {
        "actors": (
            ("id", "name", "aliases", "kind", "country", "inter_code", "backers", "part_of",
             "leader_of", "is_new"),
            list(actors.values()),
        ),
        "places": (
            ("id", "name", "country", "admin1", "admin2", "latitude", "longitude",
             "feature_class", "population", "geo_precision"),
            list(places.values()),
        ),
        "mentions": (
            ("article_id", "sentence_index", "start", "end", "text", "label", "entity_id",
             "stage"),
            mentions,
        ),
        "events": (
            ("id", "article_id", "event_type", "sub_event_type", "plover_type", "trigger",
             "event_date", "time_precision", "actor1", "actor2", "assoc_actor_1",
             "assoc_actor_2", "place_id", "geo_precision", "fatalities_low", "fatalities_high",
             "fatalities_as_stated", "fatalities_victims", "modality", "confidence", "stage"),
            events,
        ),
        "event_sources": (("event_id", "article_id", "sentence", "start", "end"), sources),
        "relations": (("subject", "predicate", "object", "date", *span), relations),
        "control_claims": (("place_id", "controller", "change", "date", *span), claims),
    }


def dumps_json(value: Any) -> str:
    """JSON with dates as ISO strings, for exports."""
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"Cannot serialise {type(value).__name__}")
