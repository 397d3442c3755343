"""The server's database: one DuckDB instance per process with the sitreps file attached.

Connection handling only; every question is answered by the query library
(:class:`sitreps.query.Reader`), which the CLI uses too.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from sitreps.knowledge.package import Knowledge
from sitreps.query import EventTables, Reader, like_substring, materialise, resolve_tables
from sitreps.store.duckdb import Store, StoreLocked, classify_store_error


class DatabaseUnavailable(RuntimeError):
    """The database file cannot be opened; run `sitreps run` first or stop the process
    that holds it for writing."""


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

    def __init__(
        self, path: str | Path, *, writable: bool = False, knowledge: Knowledge | None = None
    ) -> None:
        self.path = Path(path)
        self.writable = writable
        # The package the file was built with (``--config``): which event types the factual
        # views leave out and how an in-memory merge folds events; built-in when None.
        self.knowledge = knowledge
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
        self._tables: EventTables | None = None
        # Bumped by every ingest: what the server answered before may differ now (the API's
        # response cache keys its answers with it).
        self.generation = 0
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

    def event_tables(self) -> EventTables:
        """Where merged events are read: the file's merged tables when its merge is current,
        else an in-memory merge made once (:func:`sitreps.query.resolve_tables`) into the
        memory catalog, so API and CLI give the same events and ids. Decided once, not per
        request: the file cannot change under a read-only server (DuckDB's lock), and
        ingest calls :meth:`invalidate_text_index`.
        """
        if self._tables is not None:
            return self._tables
        with self._tables_lock:
            if self._tables is None:
                with self.store() as store:
                    # Merged and named once per server (and after each ingest), not per
                    # request: issue 16's latency budget.
                    self._tables = materialise(
                        store,
                        resolve_tables(store, schema="memory.main", knowledge=self.knowledge),
                        "memory.main")
        return self._tables

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """The query library on a fresh cursor, reading this server's event tables and
        searching sentences through its full-text index."""
        tables = self.event_tables()
        with self.store() as store:
            yield Reader(store, tables, search=self.search, knowledge=self.knowledge)

    def search(self, words: str) -> tuple[str, list[Any]]:
        """A condition on event ids for events whose sentences hold ``words``."""
        self.ensure_text_index()
        if self.fts:
            return (
                "id IN (SELECT event_id FROM memory.main.sentence_index "
                "WHERE memory.fts_main_sentence_index.match_bm25(rid, ?, conjunctive := 1) "
                "IS NOT NULL)", [words])
        return (f"id IN (SELECT event_id FROM {self.event_tables().sources} "
                "WHERE sentence ILIKE ? ESCAPE '\\')", [like_substring(words)])

    def ensure_text_index(self) -> None:
        """Build the in-memory FTS index of source sentences once (and after each ingest).

        It indexes the merged events' sources, so a search finds merged ids.
        """
        if self._index_ready or not self.fts:
            return
        sources = self.event_tables().sources
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
            self.generation += 1
        self._index_ready = False
