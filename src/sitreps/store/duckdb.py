"""The DuckDB store: a versioned schema, transactional writes and the common queries.

Writes happen in one transaction per batch of articles, so an interrupted run loses nothing that
was committed and the next run picks up the articles not yet processed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from sitreps.config import DEFAULT_STORE_MEMORY_LIMIT
from sitreps.knowledge.event_lexicon import NON_ACLED
from sitreps.records import Analysis, Article, IngestError

# DuckDB's Python binding tries `import pandas` for every bound parameter. Without pandas
# installed each try searches sys.path anew: it took half the extraction time in a profile of
# 150 articles. Marking the module absent makes each try fail at once.
if "pandas" not in sys.modules and importlib.util.find_spec("pandas") is None:
    sys.modules["pandas"] = None  # type: ignore[assignment]

# 2 added merged_events, merged_event_members and their views (see _migrate); 3 added
# control_claims.confidence (older claims keep NULL and are ranked from their stage label).
SCHEMA_VERSION = 3
DEFAULT_DB = "sitreps.duckdb"
# Batches at least this large are bulk-loaded from a temporary JSON-lines file.
_BULK_ROWS = 64
# Events read per page, and clusters written per batch, by the cross-article merge.
_MERGE_PAGE = 5000


class StoreSchemaMismatch(RuntimeError):
    """The database was written by a newer sitreps; upgrade sitreps or use another --db file."""


class NotASitrepsDatabase(RuntimeError):
    """The file is not a sitreps database (another program's DuckDB file, a text file, zero
    bytes, or a database whose header was overwritten); give another --db file."""


class StoreDamaged(RuntimeError):
    """The database file is damaged; restore it from a backup (`sitreps backup`), or rebuild it
    from the sources with `sitreps run --db NEW`."""


# DuckDB's words for a file it cannot read as a database at all, and for damaged blocks.
_NOT_DUCKDB = ("not a valid duckdb database file",)
_DAMAGED = ("corrupt", "checksum", "could not read enough bytes", "serialization", "failed to read",
            "invalid block", "unexpected end", "truncated")


def classify_store_error(path: str | Path, error: BaseException) -> RuntimeError | None:
    """The named error a DuckDB failure on a sitreps file stands for, or ``None`` when it says
    nothing about the file (a lock, a bug). Every command and the server translate through
    this one function (issue 15: damaged files gave raw tracebacks).
    """
    if isinstance(error, (NotASitrepsDatabase, StoreDamaged)):
        return error
    if not isinstance(error, duckdb.Error):
        return None
    message = str(error)
    lower = message.lower()
    if re.search(r"\block\b", lower):
        return None
    if any(words in lower for words in _NOT_DUCKDB):
        return NotASitrepsDatabase(
            f"{path} is not a sitreps database (DuckDB cannot read it as a database file; if it "
            "was one, its header is damaged: restore it from a backup)."
        )
    if any(words in lower for words in _DAMAGED) or isinstance(
        error, (duckdb.InternalException, duckdb.SerializationException)
    ):
        first = message.splitlines()[0] if message else type(error).__name__
        return StoreDamaged(
            f"{path} is damaged ({first}): restore it from a backup made with `sitreps backup`, "
            "or rebuild it from your sources with `sitreps run --db NEW_FILE ...`."
        )
    return None


class StoreLocked(RuntimeError):
    """Another process holds the database for writing; wait for it or use another --db file."""


def locked_error(path: str | Path, error: BaseException) -> StoreLocked:
    """A ``StoreLocked`` in a sitreps user's words. DuckDB's own message ends with advice for
    its shell ("the -readonly parameter in the CLI") that means nothing here (issue 19).
    """
    pid = re.search(r"\(PID (\d+)\)", str(error))
    holder = f"process {pid[1]}" if pid else "another process"
    return StoreLocked(
        f"{path} is in use by {holder} (a running `sitreps serve`, or another sitreps "
        "command). Stop that process and run this again; or, to add articles while serving, "
        "start the server with `sitreps serve --allow-ingest` and send them to POST "
        "/api/ingest. Commands that only read (events, export, backup, doctor) can run next "
        "to a read-only `sitreps serve`."
    )


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
    # Leave out PLOVER-only acts (statements, accusations, appeals) that ACLED does not code.
    acled_only: bool = False


def factual_filter(**fields: Any) -> EventFilter:
    """The filter of every default view: asserted or reported events of ACLED's vocabulary.

    Background, hedged, negated and forecast mentions and PLOVER-only acts are stored and can be
    asked for (``--all``, ``modality=``), but no total or default listing counts them.
    """
    return EventFilter(modality=("asserted", "reported"), acled_only=True, **fields)


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

    def __init__(
        self, path: str | Path = DEFAULT_DB, *, read_only: bool = False,
        memory_limit: str = DEFAULT_STORE_MEMORY_LIMIT,
    ) -> None:
        path = Path(path)
        try:
            if read_only and not path.exists():
                raise FileNotFoundError(
                    f"No database at {path}: run `sitreps run` or `sitreps ingest` first."
                )
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            # Not just "lock": a damaged file's "checksum ... in block" holds those letters too.
            if re.search(r"\block\b", str(error), re.IGNORECASE):
                raise locked_error(path, error) from error
            raise classify_store_error(path, error) or error from error
        self._attach(con, path)
        try:
            self.set_memory_limit(memory_limit)
            self.check_file(read_only=read_only)
            if not read_only:
                self._migrate()
        except duckdb.Error as error:
            con.close()
            raise classify_store_error(path, error) or error from error
        except BaseException:
            con.close()
            raise

    def _attach(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        """Set every per-connection attribute; subclasses over a shared connection (the API's
        ``_CursorStore``) call this too, so none of them can miss one (issue 15: a missing
        ``_types`` broke every bulk insert through the API)."""
        self.path = path
        self.con = con
        self._types: dict[str, dict[str, str]] = {}

    def close(self) -> None:
        self.con.close()

    def set_memory_limit(self, limit: str) -> None:
        """Cap DuckDB's memory (``[store] memory_limit``): its default, 80% of RAM, lets its
        caches grow with the database; under the cap, big sorts spill to ``<db>.tmp``."""
        try:
            self.con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
        except duckdb.Error as error:
            raise ValueError(f"Bad store memory_limit {limit!r}: {error}") from error

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

    def _tables(self) -> set[str]:
        return {
            row[0] for row in self.con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() AND table_schema = 'main'"
            ).fetchall()
        }

    def check_file(self, *, read_only: bool) -> None:
        """Refuse a file that is not a sitreps database or lost tables, before any command
        reads it: raises ``NotASitrepsDatabase``, ``StoreDamaged`` or ``StoreSchemaMismatch``.

        An empty DuckDB file may become a sitreps database (when opened for writing); one that
        holds other tables is another program's and is never written to.
        """
        tables = self._tables()
        if "schema_version" not in tables:
            if tables or read_only:
                what = f"it holds {', '.join(sorted(tables)[:5])}" if tables else "it is empty"
                raise NotASitrepsDatabase(
                    f"{self.path} is not a sitreps database ({what}); give another --db file."
                )
            return
        self._check_version()
        if self._version() == SCHEMA_VERSION and (missing := set(TABLES) - tables):
            raise StoreDamaged(
                f"{self.path} is damaged: tables {', '.join(sorted(missing))} are missing. "
                "Restore it from a backup, or rebuild it with `sitreps run --db NEW_FILE ...`."
            )

    def _check_version(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise StoreSchemaMismatch(
                f"{self.path} has schema version {version}, newer than this sitreps "
                f"({SCHEMA_VERSION}). Upgrade sitreps."
            )

    def _migrate(self) -> None:
        """Create or upgrade the schema; schema.sql is idempotent, so it doubles as migration.

        From version 1 it adds the merged-event tables and merges the events already stored.
        """
        self._check_version()
        previous = self._version()
        if previous == SCHEMA_VERSION:
            return
        with self.transaction():
            self.con.execute(_schema_sql())
            self.con.execute(
                "INSERT INTO schema_version VALUES (?, ?)", [SCHEMA_VERSION, _now()]
            )
            if previous == 1:
                self._merge()

    # -- writing ----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def checkpoint(self) -> None:
        """Commit inside a long write and go on in a new transaction, so DuckDB need not hold
        the whole write in memory and an interruption keeps what came before."""
        self.con.execute("COMMIT")
        self.con.execute("BEGIN TRANSACTION")

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows; rows whose key exists already are kept.

        Large batches go through a temporary JSON-lines file read by DuckDB itself: binding
        hundreds of thousands of parameters costs ~1 ms per row, reading the file ~10 µs.
        """
        if not rows:
            return
        verb = "INSERT OR IGNORE" if table in _KEYED_TABLES else "INSERT"
        cols = ", ".join(f'"{c}"' for c in columns)
        if len(rows) < _BULK_ROWS:
            one = "(" + ", ".join("?" for _ in columns) + ")"
            params = [value for row in rows for value in row]
            self.con.execute(
                f"{verb} INTO {table} ({cols}) VALUES {', '.join([one] * len(rows))}", params
            )
            return
        types = self._column_types(table)
        spec = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in columns) + "}"
        handle = tempfile.NamedTemporaryFile(
            "w", suffix=".jsonl", encoding="utf-8", delete=False
        )
        try:
            with handle:
                for row in rows:
                    handle.write(dumps_json(dict(zip(columns, row, strict=True))))
                    handle.write("\n")
            self.con.execute(
                f"{verb} INTO {table} ({cols}) SELECT {cols} FROM read_json(?, "
                f"format = 'newline_delimited', columns = {spec})",
                [handle.name],
            )
        finally:
            os.unlink(handle.name)

    def _column_types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            self._types[table] = {
                name: dtype
                for name, dtype in self.con.execute(
                    # The API attaches the file next to an in-memory catalog: read ours only.
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = ? AND table_catalog = current_database()",
                    [table],
                ).fetchall()
            }
        return self._types[table]

    def has_article(self, article_id: str) -> bool:
        row = self.con.execute(
            "SELECT 1 FROM articles WHERE id = ? UNION ALL "
            "SELECT 1 FROM article_duplicates WHERE id = ? LIMIT 1",
            [article_id, article_id],
        ).fetchone()
        return row is not None

    def stored_as(self, article_id: str) -> str | None:
        """``"article"`` or ``"duplicate"`` (a linked near-duplicate) when the id is stored."""
        row = self.con.execute(
            "SELECT 'article' FROM articles WHERE id = ? UNION ALL "
            "SELECT 'duplicate' FROM article_duplicates WHERE id = ? LIMIT 1",
            [article_id, article_id],
        ).fetchone()
        return None if row is None else str(row[0])

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

    def add_articles(self, articles: Sequence[Article]) -> None:
        """Store many articles in one statement; ids already stored are left as they are."""
        now = _now()
        self._insert(
            "articles",
            ("id", "url", "source", "title", "lede", "published", "text", "language", "origin",
             "ingested_at"),
            [
                (a.id, a.url, a.source, a.title, a.lede, a.published, a.text, a.language,
                 a.origin, a.ingested_at or now)
                for a in articles
            ],
        )

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
        with self.transaction():
            if ids:
                marks = ", ".join("?" for _ in ids)
                for table in ("mentions", "relations", "control_claims"):
                    self.con.execute(f"DELETE FROM {table} WHERE article_id IN ({marks})", ids)
                # Clusters that held these events go stale; merge_events() rebuilds them.
                self.con.execute(
                    f"DELETE FROM merged_event_members WHERE event_id IN "
                    f"(SELECT id FROM events WHERE article_id IN ({marks}))",
                    ids,
                )
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

    def merge_events(self) -> MergeReport:
        """Merge the same real-world event across articles (see :mod:`sitreps.merge`).

        Only the blocks of compatible events (:func:`sitreps.merge.merge_blocks`) that hold a
        new or re-extracted event, or a member of a cluster that lost an event, are clustered
        again, and only clusters whose members changed are rewritten, so a rerun with nothing
        new writes nothing. Events stream through in pages and results are written in batches:
        memory holds the events of the open date windows, not of the corpus.

        Each batch commits on its own (DuckDB keeps a transaction's inserts in memory): a
        block's old clusters go and its new ones come in one transaction, so an interrupted
        merge leaves whole blocks merged and the others pending for the next merge, and reads
        merge in memory meanwhile (:meth:`merged_events`).
        """
        with self.transaction():
            report = self._merge(commit_batches=True)
        return report

    def _merge(self, *, commit_batches: bool = False) -> MergeReport:
        from sitreps.merge import build_merged, cluster_rows, merge_blocks

        stale = self._drop_stale_clusters()
        pending = self.con.execute(
            "SELECT count(*) FROM events WHERE id NOT IN "
            "(SELECT event_id FROM merged_event_members)"
        ).fetchone()[0]
        if not pending:
            return MergeReport(clusters_removed=len(stale))
        queued = self._queue_merge_inputs()
        writer = _MergeWriter(self, commit_batches=commit_batches)
        for block in merge_blocks(self._queued_rows(queued)):
            if all(row["merged_id"] is not None for row in block):
                continue  # nothing in this block changed: its clusters stand
            existing = {row["merged_id"] for row in block} - {None}
            merged = [build_merged(cluster) for cluster in cluster_rows(block)]
            lead = {row["id"]: row["article_id"] for row in block}
            pending_ids = {row["id"] for row in block if row["merged_id"] is None}
            writer.replace(
                existing,
                {m.id for m in merged},
                [m for m in merged
                 if m.id not in existing or pending_ids.intersection(m.member_ids)],
                lead,
            )
        writer.flush()
        self.con.execute("DROP TABLE merge_queue")
        return MergeReport(
            clusters_written=len(writer.written),
            clusters_removed=len((writer.removed | stale) - writer.written),
            multi_source=writer.multi_source,
        )

    def _drop_stale_clusters(self) -> set[str]:
        """Remove clusters that lost a member (re-extracted or removed events); their other
        members become pending again. Returns the removed ids."""
        stale = {
            r[0] for r in self.con.execute(
                "SELECT m.id FROM merged_events m LEFT JOIN ("
                "SELECT mm.merged_id, count(e.id) AS n FROM merged_event_members mm "
                "JOIN events e ON e.id = mm.event_id GROUP BY mm.merged_id) c "
                "ON c.merged_id = m.id WHERE coalesce(c.n, 0) <> m.member_count"
            ).fetchall()
        }
        _delete_clusters(self.con, sorted(stale))
        return stale

    def _queue_merge_inputs(self) -> int:
        """Write what the merge must read into the temporary table ``merge_queue``, in
        :func:`sitreps.merge.stream_order`: pending events that cannot merge (each is its own
        cluster), then every mergeable event of a type with a pending mergeable event, by
        type and date window start. Only ids are queued (with each event's cluster before this
        merge); pages join the rest. Returns the number of rows queued.
        """
        from sitreps.merge import DATE_SLACK_DAYS, FACTUAL_MODALITIES

        slack = " ".join(
            f"WHEN {precision} THEN {days}" for precision, days in DATE_SLACK_DAYS.items()
        )
        factual = ", ".join(f"'{m}'" for m in sorted(FACTUAL_MODALITIES))
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE merge_queue AS
            WITH inputs AS (
                SELECT e.id, e.event_type, mm.merged_id,
                    coalesce(e.modality IN ({factual}) AND e.event_date IS NOT NULL
                             AND e.place_id IS NOT NULL, false) AS mergeable,
                    e.event_date - CAST(CASE coalesce(nullif(e.time_precision, 0), 3)
                        {slack} ELSE 31 END AS INTEGER) AS window_start
                FROM events e
                LEFT JOIN merged_event_members mm ON mm.event_id = e.id
            ),
            touched AS (
                SELECT DISTINCT event_type, true AS touched FROM inputs
                WHERE mergeable AND merged_id IS NULL
            )
            SELECT row_number() OVER (ORDER BY i.mergeable, i.event_type NULLS LAST,
                                      i.window_start, i.id) AS seq, i.id, i.merged_id
            FROM inputs i
            LEFT JOIN touched t ON t.event_type IS NOT DISTINCT FROM i.event_type
            WHERE (NOT i.mergeable AND i.merged_id IS NULL) OR (i.mergeable AND t.touched)
            ORDER BY seq
            """
        )
        return self.con.execute("SELECT count(*) FROM merge_queue").fetchone()[0]

    def _queued_rows(self, count: int) -> Iterator[dict[str, Any]]:
        """``merge_queue`` rows in order, one page at a time (writes may run between pages)."""
        for first in range(1, count + 1, _MERGE_PAGE):
            cursor = self.con.execute(
                "SELECT e.id, e.article_id, e.event_type, e.sub_event_type, e.plover_type, "
                "e.trigger, e.event_date, e.time_precision, e.actor1 AS actor1_id, "
                "e.actor2 AS actor2_id, e.assoc_actor_1 AS assoc_actor_1_id, "
                "e.assoc_actor_2 AS assoc_actor_2_id, e.place_id, e.geo_precision, "
                "p.latitude, p.longitude, p.admin1, p.country, p.feature_class, "
                "e.fatalities_low, e.fatalities_high, e.fatalities_as_stated, "
                "e.fatalities_victims, e.modality, e.confidence, q.merged_id "
                "FROM merge_queue q JOIN events e ON e.id = q.id "
                "LEFT JOIN places p ON p.id = e.place_id "
                "WHERE q.seq >= ? AND q.seq < ? ORDER BY q.seq",
                [first, first + _MERGE_PAGE],
            )
            columns = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(columns, values, strict=True))
                row["sources"] = []
                yield row

    def merge_is_current(self) -> bool:
        """True when every event belongs to a merged cluster and no cluster lost members."""
        return self.con.execute(
            "SELECT (SELECT count(*) FROM events WHERE id NOT IN "
            "(SELECT event_id FROM merged_event_members)) + "
            "(SELECT count(*) FROM merged_event_members WHERE event_id NOT IN "
            "(SELECT id FROM events)) + "
            "(SELECT count(*) FROM merged_events m WHERE member_count <> (SELECT count(*) "
            "FROM merged_event_members mm WHERE mm.merged_id = m.id))"
        ).fetchone()[0] == 0

    def merged_events(self, where: EventFilter = EventFilter()) -> list[dict[str, Any]]:
        """Merged events (one per real-world event) with every member's sources, newest first.

        Reads ``merged_event_view`` when the merge is current; otherwise (a database written
        without ``merge_events()``, or opened read-only before a merge) merges in memory, so
        callers always get merged events.
        """
        if not self.merge_is_current():
            return self._merge_in_memory(where)
        clauses, params = _event_clauses(where)
        sql = (
            f"SELECT * FROM merged_event_view {clauses} "
            "ORDER BY event_date DESC NULLS LAST, id"
        )
        if where.limit is not None:
            sql += f" LIMIT {int(where.limit)} OFFSET {int(where.offset)}"
        rows = self.query(sql, params)
        found: dict[str, list[dict[str, Any]]] = {}
        ids = [r["id"] for r in rows]
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            for row in self.query(
                'SELECT event_id, article_id, sentence, start, "end" FROM merged_event_sources '
                f"WHERE event_id IN ({', '.join('?' for _ in chunk)}) ORDER BY article_id, start",
                chunk,
            ):
                found.setdefault(row.pop("event_id"), []).append(row)
        for row in rows:
            row["sources"] = found.get(row["id"], [])
            row["fatalities_sources"] = json.loads(row["fatalities_sources"] or "[]")
        return rows

    def _merge_in_memory(self, where: EventFilter) -> list[dict[str, Any]]:
        from sitreps.merge import merge_events

        unpaged = EventFilter(**{**{k: getattr(where, k) for k in where.__dataclass_fields__},
                                 "limit": None, "offset": 0})
        members = {row["id"]: row for row in self.events(unpaged)}
        places = {r["id"]: r for r in self.query(
            "SELECT id, name AS location, admin1, admin2, country, latitude, longitude, "
            "feature_class FROM places")}
        actors = {r["id"]: r for r in self.query("SELECT id, name, inter_code FROM actors")}
        # event_view names the associated actors; merging compares (and stores) their ids.
        assoc = {r[0]: r[1:] for r in self.con.execute(
            "SELECT id, assoc_actor_1, assoc_actor_2 FROM events").fetchall()}
        for row in members.values():
            row["feature_class"] = places.get(row["place_id"], {}).get("feature_class")
            row["assoc_actor_1_id"], row["assoc_actor_2_id"] = assoc[row["id"]]
        rows = []
        for m in merge_events(members.values()):
            row = dict(zip(_MERGED_COLUMNS, _merged_row(m, {}), strict=True))
            row["article_id"] = members[m.member_ids[0]]["article_id"]
            place = places.get(m.place_id or "", {})
            for key in ("location", "admin1", "admin2", "country", "latitude", "longitude"):
                row[key] = place.get(key)
            for role in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
                row[f"{role}_id"] = row[role]
                row[role] = actors.get(row[role] or "", {}).get("name")
            row["inter1"] = actors.get(row["actor1_id"] or "", {}).get("inter_code")
            row["inter2"] = actors.get(row["actor2_id"] or "", {}).get("inter_code")
            row["fatalities_sources"] = json.loads(row["fatalities_sources"])
            row["sources"] = list(m.sources)
            row["member_ids"] = list(m.member_ids)
            rows.append(row)
        rows.sort(key=lambda r: (r["event_date"] is None, _neg_date(r["event_date"]), r["id"]))
        end = None if where.limit is None else where.offset + where.limit
        return rows[where.offset : end]

    def merged_event(self, event_id: str) -> dict[str, Any] | None:
        """One merged event by id, with its member (per-article) events and their sources.

        ``event_id`` may be a merged id (``m-...``, as exports write them) or a member's own
        id, so a link to either opens the same real-world event. ``None`` when neither is
        stored.
        """
        if self.merge_is_current():
            found = self.query(
                "SELECT merged_id FROM merged_event_members WHERE merged_id = ? OR event_id = ? "
                "ORDER BY merged_id <> ? LIMIT 1",
                [event_id, event_id, event_id],
            )
            if not found:
                return None
            merged_id = found[0]["merged_id"]
            row = self.query("SELECT * FROM merged_event_view WHERE id = ?", [merged_id])[0]
            row["fatalities_sources"] = json.loads(row["fatalities_sources"] or "[]")
            member_ids = [r["event_id"] for r in self.query(
                "SELECT event_id FROM merged_event_members WHERE merged_id = ? ORDER BY event_id",
                [merged_id])]
        else:
            rows = [r for r in self._merge_in_memory(EventFilter())
                    if r["id"] == event_id or event_id in r["member_ids"]]
            if not rows:
                return None
            row = rows[0]
            member_ids = sorted(row["member_ids"])
        marks = ", ".join("?" for _ in member_ids)
        members = self.query(
            f"SELECT * FROM event_view WHERE id IN ({marks}) ORDER BY event_date, article_id, id",
            member_ids,
        )
        sources = self._sources_for(member_ids)
        for member in members:
            member["sources"] = sources.get(member["id"], [])
        row["sources"] = sorted(
            {(s["article_id"], s["start"]): s for m in members for s in m["sources"]}.values(),
            key=lambda s: (s["article_id"], s["start"] or 0),
        )
        row["mentions"] = members
        return row

    def mark_failed(self, article_ids: Sequence[str]) -> None:
        """Mark articles whose extraction failed as processed, so a rerun does not loop on them."""
        if article_ids:
            marks = ", ".join("?" for _ in article_ids)
            self.con.execute(
                f"UPDATE articles SET processed_at = ? WHERE id IN ({marks})",
                [_now(), *article_ids],
            )

    # -- reading ----------------------------------------------------------------------------

    def factual_totals(self) -> tuple[int, int]:
        """Merged factual events and their conservative deaths: the figures a summary quotes.

        Background, hedged, negated and forecast mentions and PLOVER-only acts are stored but
        never counted.
        """
        from sitreps.records import FACTUAL_MODALITIES

        marks = ", ".join("?" for _ in FACTUAL_MODALITIES)
        events, deaths = self.con.execute(
            "SELECT count(*), coalesce(sum(fatalities_best), 0) FROM merged_events "
            f"WHERE modality IN ({marks}) AND event_type <> ?",
            [*sorted(FACTUAL_MODALITIES), NON_ACLED],
        ).fetchone()
        return int(events), int(deaths)

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
                " WHERE a.name ILIKE ? ESCAPE '\\' OR "
                "list_contains(list_transform(a.aliases, x -> lower(x)), lower(?))"
            )
            params += [like_substring(name), name]
        sql += " ORDER BY events DESC, a.name"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def table_rows(self, table: str) -> list[dict[str, Any]]:
        if table not in TABLES:
            raise ValueError(f"Unknown table {table!r}.")
        return self.query(f"SELECT * FROM {table}")

    # -- maintenance (``sitreps doctor``, ``sitreps backup``) --------------------------------

    def schema_version(self) -> int:
        """The schema version the file was written with (0: not a sitreps database yet)."""
        return self._version()

    def scan_table(self, table: str) -> TableCheck:
        """Read every column of every row of ``table``: ``count(*)`` alone is answered from
        metadata, and a damaged data block only shows when its values are read (checksums)."""
        if table not in TABLES:
            raise ValueError(f"Unknown table {table!r}; known: {', '.join(TABLES)}.")
        try:
            rows, _ = self.con.execute(
                f"SELECT count(*), bit_xor(hash(t)) FROM {table} AS t"
            ).fetchone()
        except duckdb.Error as error:
            found = classify_store_error(self.path, error)
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            kind = "damaged" if isinstance(found, StoreDamaged) or found is None else "unreadable"
            return TableCheck(table, None, f"{kind}: {first}")
        return TableCheck(table, int(rows), None)

    def consistency_problems(self) -> list[str]:
        """What the file holds that sitreps never writes: events without their article, views
        that no longer read, merged events out of step with the events they merge."""
        problems = []
        for view in ("event_view", "merged_event_view", "merged_event_sources"):
            try:
                self.con.execute(f"SELECT count(*) FROM {view}").fetchone()
            except duckdb.Error as error:
                problems.append(f"view {view} cannot be read: {str(error).splitlines()[0]}")
        orphans = self.con.execute(
            "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans:,} event(s) belong to no stored article")
        if not self.merge_is_current():
            problems.append(
                "merged events are out of step with the events they merge (an interrupted "
                "merge, or edited tables): `sitreps doctor --rebuild` merges them again"
            )
        return problems

    def rebuild_merged_events(self) -> MergeReport:
        """Drop the merged-event tables and merge every stored event again.

        The tables are dropped, not emptied, so a damaged block in them need not be read;
        ``schema.sql`` (idempotent) creates them and their views again. The merge itself is
        :meth:`merge_events`, unchanged.
        """
        with self.transaction():
            self.con.execute("DROP TABLE IF EXISTS merged_event_members")
            self.con.execute("DROP TABLE IF EXISTS merged_events")
            self.con.execute(_schema_sql())
        self._types.clear()
        return self.merge_events()


# Tables sitreps can make again from the others (``sitreps doctor --rebuild``).
DERIVED_TABLES = ("merged_events", "merged_event_members")


@dataclass(frozen=True, slots=True)
class TableCheck:
    """One table as ``sitreps doctor`` read it: its rows, or why it could not be read."""

    name: str
    rows: int | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """What ``check_database`` found; ``problems`` are those still there when it ended."""

    path: Path
    schema_version: int | None
    tables: tuple[TableCheck, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rebuilt: MergeReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(path: str | Path, *, rebuild: bool = False) -> DoctorReport:
    """Check a sitreps database: that it opens, its schema version, every table read in full,
    and the consistency of what is derived; with ``rebuild``, merge the events again.

    Raises ``FileNotFoundError``, ``StoreLocked`` or ``StoreSchemaMismatch`` when the check
    cannot run; a file that is damaged or not a sitreps database is a finding, not an error.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "doc.duckdb")
    >>> Store(path).close()
    >>> report = check_database(path)
    >>> report.ok, report.schema_version, report.tables[0]
    (True, 2, TableCheck(name='articles', rows=0, problem=None))
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No database at {path}: give the --db file to check.")
    try:
        store = Store(path, read_only=not rebuild)
    except (NotASitrepsDatabase, StoreDamaged) as error:
        return DoctorReport(path, None, problems=(str(error),))
    with store:
        version = store.schema_version()
        notes = []
        if version < SCHEMA_VERSION:
            notes.append(f"schema version {version} is older than this sitreps' "
                         f"({SCHEMA_VERSION}); the next command that writes upgrades it")
        present = store._tables()
        tables = tuple(store.scan_table(t) for t in TABLES if t in present)
        problems = [f"table {t.name} is {t.problem}" for t in tables if t.problem]
        if problems:
            derived = all(t.name in DERIVED_TABLES for t in tables if t.problem)
            notes.append(
                "only derived tables are damaged: `sitreps doctor --rebuild` makes them again"
                if derived else
                "restore the file from a backup (`sitreps backup` makes one), or run the "
                "sources again into a new file (`sitreps run --db NEW_FILE ...`)"
            )
        else:
            problems += store.consistency_problems()
            pending = store.count_unprocessed()
            if pending:
                notes.append(f"{pending:,} article(s) not analysed yet: `sitreps extract` "
                              "analyses them")
        if not rebuild:
            return DoctorReport(path, version, tables, tuple(problems), tuple(notes))
        damaged = [t.name for t in tables if t.problem and t.name not in DERIVED_TABLES]
        if damaged:
            problems.append(
                f"not rebuilt: tables {', '.join(damaged)} hold what merged events are made "
                "from; restore the file from a backup (`sitreps backup`), or run the sources "
                "again into a new file"
            )
            return DoctorReport(path, version, tables, tuple(problems), tuple(notes))
        merged = store.rebuild_merged_events()
        present = store._tables()
        tables = tuple(store.scan_table(t) for t in TABLES if t in present)
        problems = [f"table {t.name} is {t.problem}" for t in tables if t.problem]
        problems += store.consistency_problems()
        return DoctorReport(path, store.schema_version(), tables, tuple(problems),
                            tuple(notes), merged)


class BackupExists(RuntimeError):
    """The backup's file exists already; give another --out file, or --force to replace it."""


def backup_database(path: str | Path, out: str | Path, *, force: bool = False) -> dict[str, int]:
    """Copy a sitreps database to ``out`` through a read-only connection, and return the rows
    per table, which the copy is checked to hold too.

    Read-only, the copy runs next to a read-only ``sitreps serve`` (DuckDB lets many
    processes read a file). ``COPY FROM DATABASE`` writes tables, sequences, macros and views
    into a temporary file beside ``out``, which is renamed into place only once it opens as
    a sitreps database with the same counts: an interrupted backup never leaves a half file
    under the name given, nor replaces an older backup with one.
    """
    path, out = Path(path), Path(out)
    if out.exists() and not force:
        raise BackupExists(f"{out} exists; give another --out file, or --force to replace it.")
    if out.exists() and out.resolve() == path.resolve():
        raise BackupExists(f"{out} is the database itself; give another --out file.")
    with Store(path, read_only=True):
        pass  # refuses a missing, locked, damaged or foreign file with the usual named error
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    _remove_duckdb_file(temporary)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_sql_string(path)} AS source (READ_ONLY)")
        con.execute(f"ATTACH {_sql_string(temporary)} AS copy")
        con.execute("COPY FROM DATABASE source TO copy")
        counts = {t: con.execute(f"SELECT count(*) FROM source.main.{t}").fetchone()[0]
                  for t in TABLES}
        con.execute("CHECKPOINT copy")
        con.execute("DETACH copy")
    except duckdb.Error as error:
        _remove_duckdb_file(temporary)
        if re.search(r"\block\b", str(error), re.IGNORECASE):
            raise locked_error(path, error) from error
        raise classify_store_error(path, error) or error from error
    except BaseException:
        _remove_duckdb_file(temporary)
        raise
    finally:
        con.close()
    try:
        with Store(temporary, read_only=True) as copy:
            copied = {t: copy.count(t) for t in TABLES}
        if copied != counts:
            raise StoreDamaged(f"the backup of {path} does not hold what the database holds "
                               f"({copied} != {counts}); {out} was not written.")
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, out)
    except BaseException:
        _remove_duckdb_file(temporary)
        raise
    return counts


def _sql_string(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _remove_duckdb_file(path: Path) -> None:
    """Remove a DuckDB file and its write-ahead log, if there."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


_KEYED_TABLES = frozenset(
    {"articles", "article_duplicates", "actors", "places", "events", "merged_events"}
)
TABLES = (
    "articles", "article_duplicates", "ingest_errors", "mentions", "actors", "places", "events",
    "event_sources", "relations", "control_claims", "merged_events", "merged_event_members",
)

_MERGED_COLUMNS = (
    "id", "article_id", "event_type", "sub_event_type", "plover_type", "trigger", "event_date",
    "time_precision", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "place_id",
    "geo_precision", "fatalities_low", "fatalities_high", "fatalities_best",
    "fatalities_as_stated", "fatalities_victims", "fatalities_sources", "modality",
    "confidence", "source_count", "member_count", "stage",
)


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What ``Store.merge_events`` rewrote."""

    clusters_written: int = 0
    clusters_removed: int = 0
    multi_source: int = 0


class _MergeWriter:
    """Buffers a merge's deletions and new clusters and writes them in batches."""

    def __init__(self, store: Store, *, commit_batches: bool) -> None:
        self.store = store
        self.commit_batches = commit_batches
        self.drop: list[str] = []
        self.rows: list[tuple] = []
        self.members: list[tuple[str, str]] = []
        self.written: set[str] = set()
        self.removed: set[str] = set()
        self.multi_source = 0

    def replace(
        self, existing: set[str], keep: set[str], clusters: list[Any],
        lead: dict[str, str | None],
    ) -> None:
        """Replace a block's stored clusters ``existing`` by its clusters ``keep``, of which
        ``clusters`` (``MergedEvent`` objects) are new or changed and get (re)written."""
        self.removed |= existing - keep
        # Only stored ids need deleting: a new cluster's id is stored only if its members are.
        self.drop += sorted((existing - keep) | (existing & {m.id for m in clusters}))
        for m in clusters:
            self.rows.append(_merged_row(m, lead))
            self.members += [(m.id, member) for member in m.member_ids]
            self.written.add(m.id)
            self.multi_source += m.source_count > 1
        if len(self.rows) + len(self.drop) >= _MERGE_PAGE:
            self.flush()
            if self.commit_batches:
                self.store.checkpoint()

    def flush(self) -> None:
        _delete_clusters(self.store.con, self.drop)
        self.store._insert("merged_events", _MERGED_COLUMNS, self.rows)
        self.store._insert("merged_event_members", ("merged_id", "event_id"), self.members)
        self.drop, self.rows, self.members = [], [], []


def _delete_clusters(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> None:
    for start in range(0, len(ids), 1000):
        chunk = list(ids[start : start + 1000])
        marks = ", ".join("?" for _ in chunk)
        con.execute(f"DELETE FROM merged_events WHERE id IN ({marks})", chunk)
        con.execute(f"DELETE FROM merged_event_members WHERE merged_id IN ({marks})", chunk)


def _merged_row(m: Any, lead_article: dict[str, str | None]) -> tuple:
    """A ``MergedEvent`` as a ``merged_events`` row."""
    tolls = [
        {"event_id": r.event_id, "article_id": r.article_id, "low": r.low, "high": r.high,
         "as_stated": r.as_stated}
        for r in m.fatality_reports
    ]
    article = lead_article.get(m.member_ids[0]) or (m.article_ids[0] if m.article_ids else None)
    return (
        m.id, article, m.event_type, m.sub_event_type, m.plover_type, m.trigger,
        m.event_date, m.time_precision, m.actor1, m.actor2, m.assoc_actor_1, m.assoc_actor_2,
        m.place_id, m.geo_precision, m.fatalities_low, m.fatalities_high, m.fatalities_best,
        m.fatalities_as_stated, m.fatalities_victims, json.dumps(tolls), m.modality,
        m.confidence, m.source_count, len(m.member_ids), m.stage,
    )


def _neg_date(value: date | None) -> int:
    return -value.toordinal() if value else 0


def like_substring(text: str) -> str:
    r"""An ``ILIKE ... ESCAPE '\'`` pattern matching ``text`` literally anywhere: a user's ``%``
    or ``_`` is a character, not a wildcard (issue 15: ``place=%`` matched everything).

    >>> like_substring("50%_off")
    '%50\\%\\_off%'
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _event_clauses(where: EventFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if where.event_type:
        clauses.append("(event_type ILIKE ? OR sub_event_type ILIKE ? OR plover_type ILIKE ?)")
        params += [where.event_type] * 3
    if where.actor:
        clauses.append(
            "(actor1 ILIKE ? ESCAPE '\\' OR actor2 ILIKE ? ESCAPE '\\' "
            "OR assoc_actor_1 ILIKE ? ESCAPE '\\' OR assoc_actor_2 ILIKE ? ESCAPE '\\' "
            "OR actor1_id = ? OR actor2_id = ?)"
        )
        params += [like_substring(where.actor)] * 4 + [where.actor] * 2
    if where.place:
        clauses.append(
            "(location ILIKE ? ESCAPE '\\' OR admin1 ILIKE ? ESCAPE '\\' "
            "OR country ILIKE ? ESCAPE '\\' OR place_id = ?)"
        )
        params += [like_substring(where.place)] * 3 + [where.place]
    if where.since:
        clauses.append("event_date >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("event_date <= ?")
        params.append(where.until)
    if where.modality:
        clauses.append(f"modality IN ({', '.join('?' for _ in where.modality)})")
        params += list(where.modality)
    if where.acled_only:
        clauses.append("event_type <> ?")
        params.append(NON_ACLED)
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
                     c.stage, c.confidence)
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
        "control_claims": (
            ("place_id", "controller", "change", "date", *span, "confidence"), claims
        ),
    }


def dumps_json(value: Any) -> str:
    """JSON with dates as ISO strings, for exports."""
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"Cannot serialise {type(value).__name__}")
