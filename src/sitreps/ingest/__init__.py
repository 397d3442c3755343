"""Ingest: turn files, directories, globs, web pages and RSS/Atom feeds into ``Article`` records.

``read_sources`` is the one entry point. It streams: each source is expanded and read lazily, so
a directory of thousands of files or a JSONL corpus larger than memory never becomes a list.
Every input that cannot be read becomes an ``IngestError`` record instead of an exception.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitreps.ingest.dedup import (
    NearDuplicateIndex,
    is_near_duplicate,
    jaccard,
    near_duplicate_key,
)
from sitreps.ingest.files import DEFAULT_MAPPING, READERS, ColumnMapping, read_file
from sitreps.ingest.text import (
    article_id,
    detect_language,
    make_article,
    make_error,
    normalise_text,
    parse_date,
)
from sitreps.ingest.web import fetch, read_url
from sitreps.records import Article, IngestError

__all__ = [
    "DEFAULT_MAPPING",
    "READERS",
    "ColumnMapping",
    "NearDuplicateIndex",
    "article_id",
    "detect_language",
    "expand_source",
    "fetch",
    "is_near_duplicate",
    "jaccard",
    "make_article",
    "near_duplicate_key",
    "normalise_text",
    "parse_date",
    "read_file",
    "read_sources",
    "read_url",
]

_GLOB_CHARS = frozenset("*?[")


def _is_url(source: str) -> bool:
    """Say whether a source is an http(s) URL rather than a path."""
    return source.lower().startswith(("http://", "https://"))


def _visible_files(directory: Path) -> Iterator[Path]:
    """Yield the files under a directory, recursively and sorted, skipping hidden ones."""
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory).parts
        if path.is_file() and not any(part.startswith(".") for part in relative):
            yield path


def _glob(path: Path) -> list[Path]:
    """The paths a glob pattern matches, sorted, hidden names left out unless the pattern
    names them.

    ``glob.glob`` follows symbolic links under ``**``, so a link to a parent folder made it
    run forever (issue 15); ``Path.glob`` does not, as directory walking (``rglob``) does not.
    """
    parts = path.parts
    first = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    root = Path(*parts[:first]) if first else Path(".")
    pattern = Path(*parts[first:])
    dotted = any(part.startswith(".") for part in pattern.parts)
    found = []
    for match in root.glob(str(pattern)):
        relative = match.relative_to(root).parts
        if dotted or not any(part.startswith(".") for part in relative):
            found.append(match)
    return sorted(found)


def expand_source(source: str) -> Iterator[Path | IngestError]:
    """Expand one path, directory or glob into the files it names, in sorted order, each once.

    >>> [type(x).__name__ for x in expand_source("/no/such/file.txt")]
    ['IngestError']
    """
    path = Path(source).expanduser()
    if path.is_dir():
        yield from _visible_files(path)
        return
    if path.is_file():
        yield path
        return
    if _GLOB_CHARS & set(source):
        matches = _glob(path)
        if not matches:
            yield make_error(source, "no files match this pattern")
        seen: set[Path] = set()  # "dir/**" names every folder and every file below it
        for match in matches:
            for found in _visible_files(match) if match.is_dir() else [match]:
                key = found.resolve()
                if found.is_file() and key not in seen:
                    seen.add(key)
                    yield found
        return
    yield make_error(source, "no such file or directory")


def read_sources(
    sources: Iterable[str | os.PathLike[str]],
    mapping: ColumnMapping = DEFAULT_MAPPING,
    *,
    timeout: float = 15.0,
    max_bytes: int = 20_000_000,
    allow_private: bool = True,
) -> Iterator[Article | IngestError]:
    """Read articles from paths, directories, globs, http(s) pages and RSS/Atom feeds.

    Args:
        sources: each a file path, a directory (read recursively, in sorted order), a glob
            pattern, an http(s) URL of a page, or the URL or path of an RSS/Atom feed.
        mapping: which JSONL fields / CSV columns hold the text, date, title, id, url, source.
        timeout: seconds for each network connect or read.
        max_bytes: whole documents and downloads above this size are refused unread; in JSONL
            and CSV the cap applies to each line or field.
        allow_private: let URLs reach loopback, private, link-local and multicast addresses;
            servers pass ``False`` (see :func:`sitreps.ingest.web.fetch`).

    Yields:
        ``Article`` records in source order, and an ``IngestError`` for every input (file, line,
        row, feed entry) that could not be read, with the reason.

    >>> [type(r).__name__ for r in read_sources(["/no/such/dir/*.txt"])]
    ['IngestError']
    """
    for item in sources:
        source = os.fspath(item)
        if _is_url(source):
            yield from read_url(
                source, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
            )
            continue
        for target in expand_source(source):
            if isinstance(target, IngestError):
                yield target
            else:
                yield from read_file(target, mapping, max_bytes)
