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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from sitreps.config import DEFAULT_STORE_MEMORY_LIMIT
from sitreps.records import (
    Actor,
    Analysis,
    Article,
    ControlClaim,
    Event,
    Fatalities,
    IngestError,
    Mention,
    Place,
    Relation,
    Source,
)

if TYPE_CHECKING:
    from sitreps.merge import MergeReport

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
                from sitreps.merge import merge_in_transaction

                merge_in_transaction(self)

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

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
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

    def stored_kinds(self, article_ids: Sequence[str]) -> dict[str, str]:
        """:meth:`stored_as` for many ids in one query: id -> ``"article"`` or ``"duplicate"``
        for the ids that are stored (one query per article cost ingest ~1 ms each)."""
        if not article_ids:
            return {}
        rows = self.con.execute(
            "SELECT id, 'article' FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) "
            "UNION ALL SELECT id, 'duplicate' FROM article_duplicates "
            "WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [list(article_ids), list(article_ids)],
        ).fetchall()
        kinds: dict[str, str] = {}
        for article_id, kind in rows:
            if kind == "article" or article_id not in kinds:  # as stored_as: articles first
                kinds[article_id] = kind
        return kinds

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
        self.insert_rows(
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
        self.write_article_records([a.article.id for a in analyses], rows_for(analyses), errors)

    def write_article_records(
        self, article_ids: Sequence[str], tables: Mapping[str, TableRows | Path],
        errors: Iterable[IngestError] = (),
    ) -> None:
        """The one write of analysed articles, whichever engine analysed them: in one
        transaction, drop the articles' earlier records (and the merged-event links of their
        events, so the merge job reclusters them), insert the new ones and mark the articles
        processed.

        Each table's rows come as ``TableRows`` (the local engine) or as a Parquet file the
        store itself reads (the Dask engine's staged partition, whose ``ingest_errors`` get
        fresh ids). Keyed rows whose id is stored already are kept as they are.
        """
        ids = list(article_ids)
        with self.transaction():
            if ids:
                self._clear_article_records(ids)
            for table, rows in tables.items():
                if isinstance(rows, TableRows):
                    self.insert_rows(table, rows.columns, rows.rows)
                else:
                    self._insert_parquet(table, Path(rows))
            for error in errors:
                self.add_error(error)
            if ids:
                self.con.execute(
                    "UPDATE articles SET processed_at = ? WHERE list_contains(?, id)",
                    [_now(), ids],
                )

    def _clear_article_records(self, ids: list[str]) -> None:
        """Delete what earlier analyses of these articles stored."""
        for table in ("mentions", "relations", "control_claims"):
            self.con.execute(f"DELETE FROM {table} WHERE list_contains(?, article_id)", [ids])
        # Clusters that held these events go stale; the merge job rebuilds them.
        for table, column in (("merged_event_members", "event_id"),
                              ("event_sources", "event_id")):
            self.con.execute(
                f"DELETE FROM {table} WHERE {column} IN "
                "(SELECT id FROM events WHERE list_contains(?, article_id))",
                [ids],
            )
        self.con.execute("DELETE FROM events WHERE list_contains(?, article_id)", [ids])

    def _insert_parquet(self, table: str, path: Path) -> None:
        verb = "INSERT OR IGNORE" if table in _KEYED_TABLES else "INSERT"
        # ingest_errors ids come from a sequence: the staged file's own ids mean nothing here.
        drop = " EXCLUDE (id)" if table == "ingest_errors" else ""
        self.con.execute(
            f"{verb} INTO {table} BY NAME SELECT *{drop} FROM read_parquet(?)", [str(path)]
        )

    def write_clusters(
        self, drop: Sequence[str], columns: Sequence[str], rows: Sequence[Sequence[Any]],
        members: Sequence[tuple[str, str]],
    ) -> None:
        """Delete the merged events ``drop`` (with their member links) and store ``rows`` of
        ``merged_events`` with their ``(merged_id, event_id)`` links: the merge job's write."""
        for start in range(0, len(drop), 1000):
            chunk = list(drop[start : start + 1000])
            self.con.execute("DELETE FROM merged_events WHERE list_contains(?, id)", [chunk])
            self.con.execute(
                "DELETE FROM merged_event_members WHERE list_contains(?, merged_id)", [chunk])
        self.insert_rows("merged_events", columns, rows)
        self.insert_rows("merged_event_members", ("merged_id", "event_id"), members)

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
        from sitreps.merge import merge_is_current

        if not merge_is_current(self):
            problems.append(
                "merged events are out of step with the events they merge (an interrupted "
                "merge, or edited tables): `sitreps doctor --rebuild` merges them again"
            )
        return problems

    def drop_derived_tables(self) -> None:
        """Drop the merged-event tables and create them (and their views) empty again.

        Dropped, not emptied, so a damaged block in them need not be read; ``schema.sql`` is
        idempotent. :func:`sitreps.merge.rebuild_merged_events` then fills them.
        """
        with self.transaction():
            self.con.execute("DROP TABLE IF EXISTS merged_event_members")
            self.con.execute("DROP TABLE IF EXISTS merged_events")
            self.con.execute(_schema_sql())
        self._types.clear()


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
        from sitreps.merge import rebuild_merged_events

        merged = rebuild_merged_events(store)
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

@dataclass(frozen=True, slots=True)
class TableRows:
    """Rows for one table, with the column each value goes to."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def record_columns(record: type, *, skip: tuple[str, ...] = ("sources",)) -> tuple[str, ...]:
    """The table columns a record type is stored in, named by the record's fields: a nested
    record (``Event.fatalities``) becomes one column per field (``fatalities_low``, ...);
    ``skip`` fields live in other tables. Tuples are stored as lists.

    >>> record_columns(Source)
    ('article_id', 'sentence', 'start', 'end')
    """
    columns: list[str] = []
    for f in fields(record):
        if f.name in skip:
            continue
        nested = _NESTED.get((record, f.name))
        columns += [f"{f.name}_{n}" for n in record_columns(nested)] if nested else [f.name]
    return tuple(columns)


# Record fields holding another record, flattened into prefixed columns.
_NESTED: dict[tuple[type, str], type] = {(Event, "fatalities"): Fatalities}


def _flat_values(record: Any, *, skip: tuple[str, ...] = ("sources",)) -> list[Any]:
    """A record's values in :func:`record_columns` order."""
    values: list[Any] = []
    for f in fields(record):
        if f.name in skip:
            continue
        value = getattr(record, f.name)
        nested = _NESTED.get((type(record), f.name))
        if nested:
            values += _flat_values(value) if value is not None else [None] * len(
                record_columns(nested))
        else:
            values.append(list(value) if isinstance(value, tuple) else value)
    return values


_SPAN = ("sentence", "start", "end")
# Every table an analysis writes, with its columns: the record's fields, plus the article (and
# event) each row belongs to. The schema in schema.sql must hold these columns (a test checks).
ANALYSIS_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": record_columns(Mention),
    "actors": record_columns(Actor),
    "places": record_columns(Place),
    "events": ("article_id", *record_columns(Event)),
    "event_sources": ("event_id", *record_columns(Source)),
    "relations": (*record_columns(Relation), "article_id", *_SPAN),
    "control_claims": (*record_columns(ControlClaim), "article_id", *_SPAN),
}


def rows_for(analyses: list[Analysis]) -> dict[str, TableRows]:
    """Flatten analyses into rows per table (actors and places once per id)."""
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in ANALYSIS_COLUMNS}
    actors: dict[str, tuple[Any, ...]] = {}
    places: dict[str, tuple[Any, ...]] = {}
    for analysis in analyses:
        article_id = analysis.article.id
        rows["mentions"] += [tuple(_flat_values(m)) for m in analysis.mentions]
        # The first article that names an actor or place gives its row, as across partitions
        # (stored rows are kept): the same rows however the articles were partitioned.
        for actor in analysis.actors:
            if actor.id not in actors:
                actors[actor.id] = tuple(_flat_values(actor))
        for place in analysis.places:
            if place.id not in places:
                places[place.id] = tuple(_flat_values(place))
        for e in analysis.events:
            rows["events"].append((article_id, *_flat_values(e)))
            rows["event_sources"] += [(e.id, *_flat_values(s)) for s in e.sources]
        for table, records in (("relations", analysis.relations),
                               ("control_claims", analysis.control_claims)):
            for r in records:
                head = _flat_values(r)
                rows[table] += [
                    (*head, article_id, *((s.sentence, s.start, s.end) if s else (None,) * 3))
                    for s in (r.sources or (None,))
                ]
    rows["actors"], rows["places"] = list(actors.values()), list(places.values())
    return {table: TableRows(ANALYSIS_COLUMNS[table], rows[table]) for table in ANALYSIS_COLUMNS}


def dumps_json(value: Any) -> str:
    """JSON with dates as ISO strings, for exports."""
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"Cannot serialise {type(value).__name__}")
