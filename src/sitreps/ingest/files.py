"""Local files: plain text (with the seed's ``date YYYY-MM-DD`` header), JSONL, CSV, HTML, feeds.

Each reader is a generator over one path and yields ``Article`` or ``IngestError`` records. Record
formats (JSONL, CSV) stream line by line, so a corpus larger than memory reads fine; whole-document
formats (text, HTML, feeds) are refused above ``max_bytes`` before being read.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sitreps.ingest.feeds import looks_like_feed, parse_feed
from sitreps.ingest.text import (
    SNIFF_BYTES,
    decode_bytes,
    find_leading_date,
    looks_binary,
    make_article,
    make_error,
    parse_date,
    sniff_encoding,
)
from sitreps.records import Article, IngestError

Record = Article | IngestError

# A first line longer than this, or ending in a full stop, is the start of the body, not a title.
MAX_TITLE_CHARS = 200
# Header lines such as "Date: 2016-12-17" are only looked for among the first few lines.
HEADER_LINES = 5

_SEED_HEADER = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*))?$", re.IGNORECASE)
_DATE_HEADER = re.compile(r"^(?:date|published|dateline)\s*:\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which JSONL field or CSV column holds each article attribute.

    ``text_col`` is required; the others are optional (``None`` ignores that attribute). The value
    of ``id_col`` is the source's own id, kept in ``Article.origin`` as ``path#id`` because the
    article id is always the hash of the text.
    """

    text_col: str = "text"
    date_col: str | None = "date"
    title_col: str | None = "title"
    id_col: str | None = "id"
    url_col: str | None = "url"
    source_col: str | None = "source"


DEFAULT_MAPPING = ColumnMapping()


# A legacy (cp1256) guess needs this share of high bytes: Arabic text is mostly high bytes, an
# English file with a few stray bytes is not, and must not turn them into Arabic letters.
_LEGACY_HIGH_SHARE = 0.1


def sniff_file_encoding(sample: bytes) -> str:
    r"""``text.sniff_encoding``, except that nearly-valid UTF-8 stays UTF-8 (decoded with
    replacement characters) instead of whole files turning cp1256 (issue 15).

    >>> sniff_file_encoding("Shelling near the café — 3 dead".encode() + b"\xff")
    'utf-8'
    >>> sniff_file_encoding("café".encode("cp1252"))
    'cp1252'
    """
    encoding = sniff_encoding(sample)
    if encoding in ("utf-8", "utf-8-sig", "utf-16"):
        return encoding
    text = sample.decode("utf-8", "surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    multibyte = sum(1 for ch in text if ch > "\x7f") - bad
    # Legacy 8-bit text almost never forms valid multi-byte UTF-8 sequences by chance: if they
    # outnumber the invalid bytes, this is UTF-8 with some damage.
    if multibyte and bad <= multibyte:
        return "utf-8"
    if encoding == "cp1256" and sum(b > 0x7F for b in sample) < _LEGACY_HIGH_SHARE * len(sample):
        return "utf-8"
    return encoding


def decode_file_bytes(data: bytes) -> str | None:
    """``text.decode_bytes`` with :func:`sniff_file_encoding`; ``None`` for binary data."""
    sample = data[:SNIFF_BYTES]
    if sniff_file_encoding(sample) == "utf-8" and sniff_encoding(sample) != "utf-8":
        return None if looks_binary(sample) else data.decode("utf-8", "replace")
    return decode_bytes(data)


def records_look_binary(sample: bytes) -> bool:
    r"""Say whether a JSONL/CSV sample is binary data; a NUL byte in a line or two is a bad
    line, rejected on its own, not a binary file (issue 15).

    >>> records_look_binary(b'{"text": "a"}\n{"text": "b\x00"}\n{"text": "c"}\n')
    False
    """
    lines = sample.split(b"\n")
    with_nul = sum(1 for line in lines if b"\x00" in line)
    return looks_binary(sample.replace(b"\x00", b"")) or with_nul > max(1, len(lines) // 2)


def _read_document(path: Path, max_bytes: int) -> bytes | IngestError:
    """The bytes of a whole-document file, refusing an empty or too-large one before reading."""
    size = path.stat().st_size
    if size > max_bytes:
        return make_error(str(path), f"file too large ({size} bytes > limit {max_bytes})")
    data = path.read_bytes() if size else b""
    if not data.strip():
        return make_error(str(path), "empty file")
    return data


def _read_document_text(path: Path, max_bytes: int) -> str | IngestError:
    """A whole-document file decoded in its sniffed encoding, or why it cannot be read."""
    data = _read_document(path, max_bytes)
    if isinstance(data, IngestError):
        return data
    raw = decode_file_bytes(data)
    if raw is None:
        return make_error(str(path), "binary file, not text")
    if not raw.strip():
        return make_error(str(path), "empty file")
    return raw


def split_text_file(raw: str) -> tuple[str, str | None, Any]:
    """Split a plain-text article into ``(body, title, published)``.

    The seed format ``date YYYY-MM-DD <standfirst>`` on the first line gives the date and the
    title, and the body is the rest. Otherwise a short first line without a final full stop is
    the title, the body is the whole file, and a leading or ``Date:`` header date is used.

    >>> split_text_file("date 2016-12-17 Aleppo falls\\n\\nThe army entered the city.")
    ('\\nThe army entered the city.', 'Aleppo falls', datetime.date(2016, 12, 17))
    """
    raw = raw.lstrip("\ufeff")
    first, _, rest = raw.lstrip().partition("\n")
    first = first.strip()
    if m := _SEED_HEADER.match(first):
        return rest, (m[2] or None), parse_date(m[1])
    title = None
    if rest.strip() and len(first) < MAX_TITLE_CHARS and not first.endswith("."):
        title = first
    published = find_leading_date(first)
    if published is None:
        for line in raw.lstrip().split("\n", HEADER_LINES)[:HEADER_LINES]:
            if m := _DATE_HEADER.match(line.strip()):
                published = parse_date(m[1])
                break
    return raw, title, published


def read_text_file(path: Path, mapping: ColumnMapping, max_bytes: int) -> Iterator[Record]:
    """Read a plain-text article (``.txt`` or any unknown extension)."""
    raw = _read_document_text(path, max_bytes)
    if isinstance(raw, IngestError):
        yield raw
        return
    body, title, published = split_text_file(raw)
    yield make_article(body, title=title, published=published, origin=str(path))


def _row_article(row: dict[str, Any], mapping: ColumnMapping, origin: str, item: str) -> Record:
    """Build the article of one JSONL object or CSV row, using the column mapping."""

    def field(name: str | None) -> Any:
        value = row.get(name) if name else None
        return None if value is None or value == "" else value

    text = row.get(mapping.text_col)
    if not isinstance(text, str):
        return make_error(origin, f"field {mapping.text_col!r} is not a string", item)
    external_id = field(mapping.id_col)
    where = f"{origin}#{external_id}" if external_id is not None else f"{origin}#{item}"
    published = parse_date(field(mapping.date_col)) or find_leading_date(text)
    title = field(mapping.title_col)
    url = field(mapping.url_col)
    source = field(mapping.source_col)
    record = make_article(
        text,
        title=str(title) if title is not None else None,
        published=published,
        url=str(url) if url is not None else None,
        source=str(source) if source is not None else None,
        origin=where,
    )
    if isinstance(record, IngestError):
        return make_error(origin, record.reason, item)
    return record


def _open_text(path: Path) -> IO[str] | IngestError:
    """Open a record file as text in its sniffed encoding, or say why it is not text."""
    if path.stat().st_size == 0:
        return make_error(str(path), "empty file")
    with path.open("rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    encoding = sniff_file_encoding(sample)
    if not encoding.startswith("utf-16") and records_look_binary(sample):
        return make_error(str(path), "binary file, not text")
    # Bad bytes past the sniffed sample become U+FFFD rather than ending the whole file.
    return path.open("r", encoding=encoding, errors="replace", newline="")


def _bounded_lines(handle: IO[str], max_chars: int) -> Iterator[tuple[int, str | None]]:
    """Yield ``(line number, line)``; a line over ``max_chars`` is skipped and yields ``None``."""
    number = 0
    while True:
        line = handle.readline(max_chars + 1)
        if not line:
            return
        number += 1
        if len(line) > max_chars and not line.endswith("\n"):
            while (more := handle.readline(SNIFF_BYTES)) and not more.endswith("\n"):
                pass
            yield number, None
            continue
        yield number, line


def read_jsonl(path: Path, mapping: ColumnMapping, max_bytes: int) -> Iterator[Record]:
    """Read one article per JSON line; a bad line is an ``IngestError`` and reading goes on."""
    opened = _open_text(path)
    if isinstance(opened, IngestError):
        yield opened
        return
    origin = str(path)
    seen_any = False  # blank lines do not count: a file of only blank lines is empty
    with opened as handle:
        for number, line in _bounded_lines(handle, max_bytes):
            item = f"line {number}"
            if line is not None and not line.strip():
                continue
            seen_any = True
            if line is None:
                yield make_error(origin, f"line too large (more than {max_bytes} bytes)", item)
                continue
            if "\x00" in line:
                yield make_error(origin, "line holds a NUL byte (binary data)", item)
                continue
            row = _parse_json(line)
            if isinstance(row, str):
                yield make_error(origin, row, item)
                continue
            if not isinstance(row, dict):
                yield make_error(origin, f"expected a JSON object, got {type(row).__name__}", item)
                continue
            if mapping.text_col not in row:
                fields = ", ".join(map(str, row)) or "none"
                yield make_error(
                    origin,
                    f"no {mapping.text_col!r} field (fields: {fields}); "
                    "choose the text field with --text-col",
                    item,
                )
                continue
            yield _row_article(row, mapping, origin, item)
    if not seen_any:
        yield make_error(origin, "empty file")


def _parse_json(text: str) -> Any:
    """The parsed value, or a ``str`` saying why the text is not JSON we can read.

    Nesting deeper than Python's recursion limit raises ``RecursionError`` in ``json``: that
    is one bad record, not a crash of the whole ingest (issue 15).
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        return f"invalid JSON: {err.msg} at line {err.lineno} column {err.colno}"
    except RecursionError:
        return "invalid JSON: nested too deeply"


def read_json(path: Path, mapping: ColumnMapping, max_bytes: int) -> Iterator[Record]:
    """Read a ``.json`` file holding one article object or a list of them."""
    raw = _read_document_text(path, max_bytes)
    if isinstance(raw, IngestError):
        yield raw
        return
    data = _parse_json(raw)
    if isinstance(data, str):
        # A .json file may really be JSON Lines; let that reader report line by line.
        if "Extra data" in data:
            yield from read_jsonl(path, mapping, max_bytes)
        else:
            yield make_error(str(path), data)
        return
    rows = data if isinstance(data, list) else [data]
    for number, row in enumerate(rows, start=1):
        item = f"item {number}"
        if not isinstance(row, dict) or mapping.text_col not in row:
            yield make_error(
                str(path),
                f"not an object with a {mapping.text_col!r} field; choose it with --text-col",
                item,
            )
            continue
        yield _row_article(row, mapping, str(path), item)


def _csv_reason(err: csv.Error, max_bytes: int) -> str:
    """Say why the csv module gave up, in terms of the options a user can change."""
    if "field larger than field limit" in str(err):
        return f"field too large (more than {max_bytes} bytes)"
    return str(err)


class _RowTooLarge(Exception):
    """One physical CSV line is longer than the cap; it is skipped without being held."""


class _CsvLines:
    """The physical lines fed to ``csv.reader``, bounded, with enough state to skip a bad row.

    After a row fails (a field over the cap, a line over it), :meth:`skip_row` reads on to
    the end of that row, where the count of quote characters since the row began is even
    again (a quoted field may hold newlines), so the next row parses cleanly (issue 15: one
    oversized field used to stop the whole file).
    """

    def __init__(self, handle: IO[str], max_chars: int) -> None:
        self.handle = handle
        self.max_chars = max_chars
        self.quotes = 0  # quote characters read since the current row began

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = self.handle.readline(self.max_chars + 1)
        if not line:
            raise StopIteration
        self.quotes += line.count('"')
        if len(line) > self.max_chars and not line.endswith("\n"):
            while (more := self.handle.readline(SNIFF_BYTES)) and not more.endswith("\n"):
                self.quotes += more.count('"')
            self.quotes += more.count('"')
            raise _RowTooLarge
        return line

    def start_row(self) -> None:
        self.quotes = 0

    def skip_row(self) -> None:
        """Read to the end of the row that failed (see the class docstring)."""
        while self.quotes % 2:
            line = self.handle.readline(SNIFF_BYTES)
            if not line:
                return
            self.quotes += line.count('"')
            while not line.endswith("\n") and (line := self.handle.readline(SNIFF_BYTES)):
                self.quotes += line.count('"')


def _next_row(reader: Iterator[list[str]], lines: _CsvLines, max_bytes: int) -> list[str] | None:
    """The reader's next row with fields capped at ``max_bytes``, or ``None`` at the end.

    The csv module's field limit is process-wide, so it is set again before every row: another
    file read in between (with its own limit) must not lift or lower this file's cap.
    """
    csv.field_size_limit(max_bytes)
    lines.start_row()
    return next(reader, None)


def read_csv(
    path: Path, mapping: ColumnMapping, max_bytes: int, delimiter: str = ","
) -> Iterator[Record]:
    """Read one article per CSV/TSV row; quoted fields may hold newlines.

    A row that cannot be read (a field or line over the cap, a NUL byte) is one error record
    and reading goes on with the next row.
    """
    opened = _open_text(path)
    if isinstance(opened, IngestError):
        yield opened
        return
    origin = str(path)
    with opened as handle:
        lines = _CsvLines(handle, max_bytes)
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = _next_row(reader, lines, max_bytes)
        except (csv.Error, _RowTooLarge) as err:
            reason = _csv_reason(err, max_bytes) if isinstance(err, csv.Error) else "too large"
            yield make_error(origin, f"unreadable CSV header: {reason}")
            return
        if not header:
            yield make_error(origin, "empty file")
            return
        header = [name.strip().lstrip("\ufeff") for name in header]
        if mapping.text_col not in header:
            yield make_error(
                origin,
                f"no column {mapping.text_col!r} in the header (columns: {', '.join(header)}); "
                "choose the text column with --text-col",
            )
            return
        number = 0
        while True:
            try:
                cells = _next_row(reader, lines, max_bytes)
            except (csv.Error, _RowTooLarge) as err:
                number += 1
                reason = (
                    _csv_reason(err, max_bytes) if isinstance(err, csv.Error)
                    else f"row too large (a line over {max_bytes} bytes)"
                )
                lines.skip_row()
                yield make_error(origin, f"unreadable CSV row: {reason}", f"row {number}")
                continue
            if cells is None:
                return
            number += 1
            item = f"row {number}"
            if not any(cell.strip() for cell in cells):
                continue
            if any("\x00" in cell for cell in cells):
                yield make_error(origin, "row holds a NUL byte (binary data)", item)
                continue
            if len(cells) != len(header):
                yield make_error(
                    origin, f"row has {len(cells)} cells, the header has {len(header)}", item
                )
                continue
            yield _row_article(dict(zip(header, cells, strict=True)), mapping, origin, item)


def read_html_file(path: Path, mapping: ColumnMapping, max_bytes: int) -> Iterator[Record]:
    """Read a saved web page with trafilatura."""
    from sitreps.ingest.web import extract_html

    data = _read_document(path, max_bytes)
    yield data if isinstance(data, IngestError) else extract_html(data, str(path))


def read_feed_file(path: Path, mapping: ColumnMapping, max_bytes: int) -> Iterator[Record]:
    """Read a saved RSS/Atom feed; entries without text are fetched from their link."""
    from sitreps.ingest.web import read_url

    data = _read_document(path, max_bytes)
    if isinstance(data, IngestError):
        yield data
        return
    if looks_binary(data[:SNIFF_BYTES]) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield make_error(str(path), "binary file, not text")
        return

    def fetch_entry(link: str) -> Iterator[Record]:
        return read_url(link, max_bytes=max_bytes, follow_feeds=False)

    yield from parse_feed(data, str(path), fetch_entry=fetch_entry)


def read_unknown(path: Path, mapping: ColumnMapping, max_bytes: int) -> Iterator[Record]:
    """Read a file of unknown type: a feed if it looks like one, otherwise plain text."""
    if path.stat().st_size and path.stat().st_size <= max_bytes:
        with path.open("rb") as handle:
            if looks_like_feed(handle.read(4096)):
                yield from read_feed_file(path, mapping, max_bytes)
                return
    yield from read_text_file(path, mapping, max_bytes)


FileReader = Callable[[Path, ColumnMapping, int], Iterator[Record]]

# Readers by lower-case suffix; anything else is tried as plain text.
READERS: dict[str, FileReader] = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".md": read_text_file,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": lambda path, mapping, max_bytes: read_csv(path, mapping, max_bytes, "\t"),
    ".html": read_html_file,
    ".htm": read_html_file,
    ".xhtml": read_html_file,
    ".xml": read_feed_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
}


def read_file(
    path: Path, mapping: ColumnMapping = DEFAULT_MAPPING, max_bytes: int = 20_000_000
) -> Iterator[Record]:
    """Read one local file with the reader for its extension; I/O errors become records."""
    reader = READERS.get(path.suffix.lower(), read_unknown)
    try:
        yield from reader(path, mapping, max_bytes)
    except (OSError, UnicodeError) as err:
        yield make_error(str(path), f"could not read file: {err}")
    except (RecursionError, ValueError, LookupError, csv.Error) as err:
        # A hostile file must cost one error record, never the batch it came in (issue 15):
        # the records read before this point are kept.
        yield make_error(str(path), f"could not read file ({type(err).__name__}): {err}")
