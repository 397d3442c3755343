"""Read-only SQLite tables of marshalled values, read on demand (issue 16).

The gazetteer holds ~240,000 places under ~600,000 names; unmarshalled into dicts they took
~250 MB and half a second in every process, though an article touches a few hundred of them.
Kept in one SQLite file and read key by key (a few microseconds each, memoised), a process pays
only for the places its text names. Values are marshalled Python objects, so a row read back
is the same tuple the in-memory index held.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

# Memoised keys per table before the memo is cleared: bounds a long-running server's memory.
MEMO_LIMIT = 200_000
_MISSING = object()


class DiskIndex:
    """A read-only key -> value store in one SQLite file, safe across threads and forks.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.sqlite"
    >>> DiskIndex.write(path, {"rows": [("a", (1, "x"))]})
    >>> DiskIndex(path).get("rows", "a")
    (1, 'x')
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def __reduce__(self) -> tuple:
        # A connection cannot travel to a Dask worker; the path can.
        return (DiskIndex, (self.path,))

    def _connection(self) -> sqlite3.Connection:
        # A connection inherited across fork() must not be used by the child: reopen it.
        if self._conn is None or self._pid != os.getpid():
            uri = f"{self.path.as_uri()}?mode=ro&immutable=1"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def get(self, table: str, key: str) -> Any:
        """The value stored under ``key``, or ``None``."""
        with self._lock:
            found = (
                self._connection()
                .execute(f"SELECT v FROM {table} WHERE k = ?", (key,))  # noqa: S608 (fixed names)
                .fetchone()
            )
        return None if found is None else marshal.loads(found[0])

    def scan(self, table: str) -> Iterator[tuple[str, Any]]:
        """Every (key, value) of a table in key order, read in one query (for rebuilds, tests)."""
        with self._lock:
            found = self._connection().execute(f"SELECT k, v FROM {table} ORDER BY k").fetchall()  # noqa: S608
        for key, value in found:
            yield key, marshal.loads(value)

    @staticmethod
    def write(path: Path, tables: Mapping[str, Iterable[tuple[str, Any]]]) -> None:
        """Create the file at ``path`` (which must not exist) with these tables."""
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            for table, items in tables.items():
                conn.execute(f"CREATE TABLE {table} (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID")
                conn.executemany(
                    f"INSERT INTO {table} VALUES (?, ?)",  # noqa: S608
                    ((key, marshal.dumps(value)) for key, value in items),
                )
            conn.commit()
        finally:
            conn.close()


class DiskMapping(Mapping[str, Any]):
    """A read-only dict view of one :class:`DiskIndex` table, memoising what it has read.

    Lookups (``m[k]``, ``k in m``, ``m.get(k)``) cost one indexed query the first time; full
    iteration (``items()``, ``values()``) streams the table without filling the memo.
    """

    def __init__(self, index: DiskIndex, table: str, length: int) -> None:
        self.index = index
        self.table = table
        self.length = length
        self._memo: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        value = self._memo.get(key, _MISSING)
        if value is _MISSING:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            value = self.index.get(self.table, key) if isinstance(key, str) else None
            self._memo[key] = value
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self.index.scan(self.table))

    def __len__(self) -> int:
        return self.length

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        return self.index.scan(self.table)

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        return (value for _, value in self.index.scan(self.table))

    def __reduce__(self) -> tuple:
        return (DiskMapping, (self.index, self.table, self.length))
