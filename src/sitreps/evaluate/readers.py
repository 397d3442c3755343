"""Strict readers for the public gold sets under ``shared/eval``.

Each reader turns one gold file into typed, frozen gold records. They are strict on purpose: a
score computed from a half-read file is worse than no score, so any missing column, bad XML or
wrong JSON shape raises :class:`GoldFormatError` naming the file, the line or record and the fault.
"""

from __future__ import annotations

import csv
import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar


class GoldFormatError(ValueError):
    """A gold file does not have the shape its reader expects; fix the file or the path."""

    def __init__(self, path: str | Path, where: str, problem: str) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        super().__init__(f"{self.path}: {where}: {problem}")


@dataclass(frozen=True, slots=True)
class Span:
    """A gold character span ``[start, end)`` with its text and an optional label."""

    start: int
    end: int
    text: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class FakesItem:
    """One FA-KES article with the crowd-extracted fields of its main event."""

    id: str
    title: str
    text: str
    date: date | None
    location: str
    actor: str
    cause: str
    civilians: int | None
    noncivilians: int | None = None

    @property
    def deaths(self) -> int:
        """The article's gold toll: civilians and non-civilians killed in its main event."""
        return (self.civilians or 0) + (self.noncivilians or 0)


@dataclass(frozen=True, slots=True)
class SnippetItem:
    """One CASE 2021 task 2 snippet and its gold event type code (``ARMED_CLASH``, ...)."""

    id: str
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class PloverActor:
    """A PLOVER source or target actor: its text, ISO-3 (or IGO/...) code and sector."""

    text: str
    code: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class PloverItem:
    """One PLOVER gold-standard record: a sentence, its PLOVER type and actor roles."""

    id: str
    text: str
    event: str
    date: date | None
    sources: tuple[PloverActor, ...]
    targets: tuple[PloverActor, ...]


@dataclass(frozen=True, slots=True)
class EventLocationItem:
    """A sentence with one event verb and the spans of the places where it happened."""

    id: str
    text: str
    verb: Span
    locations: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Toponym:
    """A gold toponym: its span and, when resolved in the gold, GeoNames id and coordinates."""

    start: int
    end: int
    text: str
    geonames_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class GeoDocument:
    """A geoparsing gold document (LGL or GeoWebNews) and its toponyms."""

    id: str
    title: str
    text: str
    toponyms: tuple[Toponym, ...]
    published: date | None = None


@dataclass(frozen=True, slots=True)
class WikiArgument:
    """A gold event argument: its role and character span in the document."""

    role: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class WikiEvent:
    """A gold event mention: type, trigger span and arguments."""

    event_type: str
    trigger: Span
    arguments: tuple[WikiArgument, ...]


@dataclass(frozen=True, slots=True)
class WikiDocument:
    """A WikiEvents document rebuilt from its tokens so that gold offsets index ``text``."""

    id: str
    text: str
    events: tuple[WikiEvent, ...]


T = TypeVar("T")


def _skip(error: GoldFormatError, skipped: list[str] | None) -> None:
    """Record a malformed gold item and go on, or raise when the caller wants strict reading.

    One bad item (a toponym past the end of its article, a record whose actor list is a
    string) must not abort a whole set: it is left out, counted and named in the details.
    """
    if skipped is None:
        raise error
    skipped.append(str(error))


def _each_item(
    records: Iterable[tuple[Any, Any]],
    build: Callable[[Any, Any], T | None],
    skipped: list[str] | None,
) -> list[T]:
    """Build one gold item per record, leaving out (``_skip``) the malformed and the ``None``."""
    items = []
    for key, record in records:
        try:
            item = build(key, record)
        except GoldFormatError as error:
            _skip(error, skipped)
            continue
        if item is not None:
            items.append(item)
    return items


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a gold file, pinned in ``eval_baseline.json`` so floors match their data."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _open_text(path: str | Path) -> str:
    """Read a gold file as UTF-8, turning I/O and decoding faults into ``GoldFormatError``."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise GoldFormatError(path, "file", "no such file") from error
    except UnicodeDecodeError as error:
        raise GoldFormatError(path, f"byte {error.start}", "not valid UTF-8") from error
    except OSError as error:
        raise GoldFormatError(path, "file", f"cannot be read: {error.strerror}") from error


def _int_field(
    path: str | Path, where: str, name: str, value: Any, *, blank_ok: bool
) -> int | None:
    """Parse an integer gold field, strictly."""
    if value is None or str(value).strip() == "":
        if blank_ok:
            return None
        raise GoldFormatError(path, where, f"field {name!r} is empty")
    try:
        return int(str(value).strip())
    except ValueError as error:
        raise GoldFormatError(
            path, where, f"field {name!r} is not an integer: {value!r}"
        ) from error


def parse_us_date(value: str) -> date | None:
    """Parse FA-KES's ``m/d/yy`` dates (``4/5/17`` is 5 April 2017); ``None`` when blank.

    >>> parse_us_date("4/5/17")
    datetime.date(2017, 4, 5)
    """
    value = value.strip()
    if not value:
        return None
    month, day, year = (int(part) for part in value.split("/"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    return date(year, month, day)


def _csv_rows(
    path: str | Path, required: tuple[str, ...], delimiter: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` from a CSV/TSV file after checking its header."""
    text = _open_text(path)
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter, quoting=quoting)
    header = reader.fieldnames or []
    missing = [name for name in required if name not in header]
    if missing:
        raise GoldFormatError(
            path, "line 1 (header)", f"missing column(s) {missing}; found {header}"
        )
    try:
        for row in reader:
            if None in row or any(row[name] is None for name in required):
                raise GoldFormatError(
                    path, f"line {reader.line_num}", f"expected {len(header)} fields"
                )
            yield reader.line_num, row
    except csv.Error as error:
        raise GoldFormatError(path, f"line {reader.line_num}", f"bad CSV: {error}") from error


FAKES_COLUMNS = (
    "unit_id", "article_title", "article_content", "date", "location", "actor",
    "cause_of_death", "nb_civilians",
)  # fmt: skip


def read_fakes(path: str | Path, skipped: list[str] | None = None) -> list[FakesItem]:
    """Read FA-KES (``fakes.csv``): one article per row with its crowd-coded main event."""
    rows = _csv_rows(path, FAKES_COLUMNS, ",")
    return _each_item(rows, lambda line, row: _fakes_item(path, line, row), skipped)


def _fakes_item(path: str | Path, line: int, row: dict[str, str]) -> FakesItem:
    where = f"line {line} (unit_id {row['unit_id']!r})"
    try:
        when = parse_us_date(row["date"])
    except ValueError as error:
        raise GoldFormatError(path, where, f"date is not m/d/yy: {row['date']!r}") from error
    if not row["article_content"].strip():
        raise GoldFormatError(path, where, "article_content is empty")
    return FakesItem(
        id=row["unit_id"],
        title=row["article_title"],
        text=row["article_content"],
        date=when,
        location=row["location"].strip().lower(),
        actor=row["actor"].strip().lower(),
        cause=row["cause_of_death"].strip().lower(),
        civilians=_int_field(path, where, "nb_civilians", row["nb_civilians"], blank_ok=True),
        noncivilians=_int_field(
            path, where, "nb_noncivilians", row.get("nb_noncivilians") or "", blank_ok=True
        ),
    )


def read_case2021(path: str | Path, skipped: list[str] | None = None) -> list[SnippetItem]:
    """Read CASE 2021 task 2 ``snippets.tsv`` (columns id, EventSnippet, SubType)."""
    items = []
    for line, row in _csv_rows(path, ("id", "EventSnippet", "SubType"), "\t"):
        label = row["SubType"].strip()
        if not label or not row["EventSnippet"].strip():
            _skip(GoldFormatError(path, f"line {line}", "empty EventSnippet or SubType"), skipped)
            continue
        items.append(SnippetItem(id=row["id"].strip(), text=row["EventSnippet"], label=label))
    return items


def _plover_actors(path: str | Path, where: str, value: Any, role: str) -> tuple[PloverActor, ...]:
    """Read a PLOVER ``source``/``target`` list; absent or ``""`` means no actor coded."""
    if value is None or value == "":
        return ()
    if not isinstance(value, list):
        raise GoldFormatError(path, where, f"{role!r} must be a list of actors, got {value!r}")
    actors = []
    for index, actor in enumerate(value):
        if not isinstance(actor, dict) or "actorText" not in actor:
            raise GoldFormatError(path, where, f"{role}[{index}] has no 'actorText': {actor!r}")
        code = actor.get("code") or None
        sector = actor.get("sector") or None
        actors.append(PloverActor(text=str(actor["actorText"]), code=code, sector=sector))
    return tuple(actors)


def read_plover(path: str | Path, skipped: list[str] | None = None) -> list[PloverItem]:
    """Read the PLOVER gold-standard ``records.json``; ``DOCUMENT`` records are documentation."""
    try:
        data = json.loads(_open_text(path))
    except json.JSONDecodeError as error:
        raise GoldFormatError(path, f"line {error.lineno}", f"bad JSON: {error.msg}") from error
    if not isinstance(data, list):
        raise GoldFormatError(path, "top level", "expected a JSON list of records")
    return _each_item(
        enumerate(data), lambda index, record: _plover_item(path, index, record), skipped
    )


def _plover_item(path: str | Path, index: int, record: Any) -> PloverItem | None:
    """One PLOVER record, or ``None`` for the set's documentation records."""
    where = f"record {index}"
    if not isinstance(record, dict):
        raise GoldFormatError(path, where, "a record must be a JSON object")
    where = f"record {index} ({record.get('id', 'no id')})"
    if record.get("event") == "DOCUMENT":
        return None
    for key in ("id", "event", "text"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise GoldFormatError(path, where, f"missing or empty {key!r}")
    try:
        when = date.fromisoformat(record["date"]) if record.get("date") else None
    except (TypeError, ValueError) as error:
        raise GoldFormatError(path, where, f"date is not YYYY-MM-DD: {record['date']!r}") from error
    return PloverItem(
        id=record["id"],
        text=record["text"],
        event=record["event"],
        date=when,
        sources=_plover_actors(path, where, record.get("source"), "source"),
        targets=_plover_actors(path, where, record.get("target"), "target"),
    )


def _jsonl(
    path: str | Path, skipped: list[str] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, object)`` from a JSONL file; each non-blank line must be an object."""
    for line_no, line in enumerate(_open_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            _skip(GoldFormatError(path, f"line {line_no}", f"bad JSON: {error.msg}"), skipped)
            continue
        if not isinstance(value, dict):
            _skip(GoldFormatError(path, f"line {line_no}", "expected a JSON object"), skipped)
            continue
        yield line_no, value


def _span(path: str | Path, where: str, value: Any, text: str, tokens: Any = None) -> Span:
    """Read a Prodigy-style span and check that it lies inside the text.

    Some adjudicated spans carry token indices in ``start``/``end``: an empty span, or one whose
    recorded ``text`` is not what those character offsets cut out ("start": 15, "end": 17 for
    "Al-Dawr", tokens 15..17). Those are rebuilt from ``token_start``/``token_end`` and the token
    list.
    """
    try:
        start, end, label = int(value["start"]), int(value["end"]), str(value["label"])
    except (KeyError, TypeError, ValueError) as error:
        raise GoldFormatError(path, where, f"span needs start, end and label: {value!r}") from error
    recorded = value.get("text")
    misplaced = isinstance(recorded, str) and text[start:end] != recorded
    if (start >= end or misplaced) and tokens and "token_start" in value:
        try:
            by_id = {int(tok["id"]): tok for tok in tokens}
            start = int(by_id[int(value["token_start"])]["start"])
            end = int(by_id[int(value["token_end"])]["end"])
        except (KeyError, TypeError, ValueError) as error:
            raise GoldFormatError(path, where, f"span tokens not found: {value!r}") from error
    if not 0 <= start < end <= len(text):
        raise GoldFormatError(path, where, f"span {start}-{end} is outside the text")
    return Span(start, end, text[start:end], label)


def read_event_location(
    path: str | Path, skipped: list[str] | None = None
) -> list[EventLocationItem]:
    """Read the adjudicated event-location JSONL: one VERB span and zero or more LOCATION spans.

    Lines whose ``answer`` is not ``accept`` or that mark no verb are skipped: they state no
    event to locate.
    """
    return _each_item(
        _jsonl(path, skipped),
        lambda line, record: _event_location_item(path, line, record),
        skipped,
    )


def _event_location_item(
    path: str | Path, line: int, record: dict[str, Any]
) -> EventLocationItem | None:
    """One adjudicated sentence, or ``None`` when it states no event to locate."""
    where = f"line {line}"
    text = record.get("text")
    if not isinstance(text, str):
        raise GoldFormatError(path, where, "missing 'text'")
    spans = record.get("spans", [])
    if not isinstance(spans, list):
        raise GoldFormatError(path, where, "'spans' must be a list")
    if record.get("answer", "accept") != "accept":
        return None
    parsed = [_span(path, where, span, text, record.get("tokens")) for span in spans]
    verbs = [span for span in parsed if span.label == "VERB"]
    if not verbs:
        return None
    if len(verbs) > 1:
        raise GoldFormatError(path, where, f"expected one VERB span, found {len(verbs)}")
    locations = tuple(span for span in parsed if span.label == "LOCATION")
    item_id = str(record.get("_id") or record.get("doc_id") or line)
    return EventLocationItem(item_id, text, verbs[0], locations)


def _parse_xml(path: str | Path) -> ET.Element:
    """Parse an XML gold file, reporting the line of a syntax error."""
    try:
        return ET.fromstring(_open_text(path))
    except ET.ParseError as error:
        line, column = error.position
        raise GoldFormatError(path, f"line {line}, column {column}", f"bad XML: {error}") from error


def _float(path: str | Path, where: str, value: str | None) -> float | None:
    """Parse an optional coordinate."""
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError as error:
        raise GoldFormatError(path, where, f"coordinate is not a number: {value!r}") from error


def _toponym(path: str | Path, where: str, node: ET.Element, text: str) -> Toponym:
    """Read one ``<toponym>`` in LGL (``phrase``/``gaztag``) or GeoWebNews layout."""
    start = _int_field(path, where, "start", node.findtext("start"), blank_ok=False)
    end = _int_field(path, where, "end", node.findtext("end"), blank_ok=False)
    assert start is not None and end is not None
    if not 0 <= start < end <= len(text):
        raise GoldFormatError(path, where, f"toponym span {start}-{end} is outside the text")
    phrase = node.findtext("phrase")
    if phrase is None:
        phrase = node.findtext("extractedName", default="")
    gaztag = node.find("gaztag")
    if gaztag is not None:
        return Toponym(
            start,
            end,
            phrase,
            gaztag.get("geonameid"),
            _float(path, where, gaztag.findtext("lat")),
            _float(path, where, gaztag.findtext("lon")),
        )
    return Toponym(
        start,
        end,
        phrase,
        node.findtext("geonamesID") or None,
        _float(path, where, node.findtext("latitude")),
        _float(path, where, node.findtext("longitude")),
    )


# GeoWebNews annotates non-toponyms and expressions around toponyms too; only the types that
# carry a GeoNames id are toponyms in Gritta et al.'s evaluation.
GWN_NON_TOPONYM_TYPES = frozenset(
    {"Non_Toponym", "Literal_Expression", "Non_Lit_Expression", "Demonym", "Homonym", "Language"}
)


def read_toponym_corpus(path: str | Path, skipped: list[str] | None = None) -> list[GeoDocument]:
    """Read a geoparsing corpus in the LGL XML schema (also GeoWebNews's variant of it)."""
    root = _parse_xml(path)
    if root.tag != "articles":
        raise GoldFormatError(path, "root element", f"expected <articles>, found <{root.tag}>")
    documents = []
    for index, article in enumerate(root.findall("article")):
        doc_id = article.get("docid") or article.get("file") or str(index)
        where = f"article {index} (id {doc_id})"
        text = article.findtext("text")
        toponyms_node = article.find("toponyms")
        if text is None or toponyms_node is None:
            missing = "<text>" if text is None else "<toponyms>"
            _skip(GoldFormatError(path, where, f"missing {missing}"), skipped)
            continue
        toponyms = []
        for number, node in enumerate(toponyms_node.findall("toponym")):
            kind = node.findtext("type")
            if kind is not None and kind in GWN_NON_TOPONYM_TYPES:
                continue
            try:
                toponyms.append(_toponym(path, f"{where}, toponym {number}", node, text))
            except GoldFormatError as error:
                _skip(error, skipped)  # one toponym past its text leaves the rest scored
        published = None
        dltime = article.findtext("dltime")
        if dltime and len(dltime) >= 10:
            try:
                published = date.fromisoformat(dltime[:10])
            except ValueError:
                published = None
        documents.append(
            GeoDocument(
                doc_id, article.findtext("title", default=""), text, tuple(toponyms), published
            )
        )
    if not documents:
        raise GoldFormatError(path, "root element", "no <article> elements")
    return documents


def _wiki_text(
    path: str | Path, where: str, sentences: Any
) -> tuple[str, list[list[tuple[int, int]]]]:
    """Rebuild a WikiEvents text from sentence tokens so every token sits at its own offset.

    The corpus's ``text`` field drops the break between sentences ("SyriaThe desert"), while token
    offsets assume one; rebuilding keeps the gold offsets and gives the parser a sentence break.
    """
    if not isinstance(sentences, list) or not sentences:
        raise GoldFormatError(path, where, "'sentences' must be a non-empty list")
    spans: list[list[tuple[int, int]]] = []
    chars: list[str] = []
    for number, sentence in enumerate(sentences):
        try:
            tokens = sentence[0]
            offsets = [(str(tok[0]), int(tok[1]), int(tok[2])) for tok in tokens]
        except (TypeError, IndexError, ValueError) as error:
            raise GoldFormatError(
                path, f"{where}, sentence {number}", "tokens must be [text, start, end] lists"
            ) from error
        sentence_spans = []
        for token, start, end in offsets:
            if start < len(chars) or end - start != len(token):
                raise GoldFormatError(
                    path,
                    f"{where}, sentence {number}",
                    f"token {token!r} at {start}-{end} overlaps or mismatches",
                )
            gap = start - len(chars)
            if gap:
                chars.extend("\n" if not sentence_spans else " " for _ in range(gap))
            chars.extend(token)
            sentence_spans.append((start, end))
        spans.append(sentence_spans)
    return "".join(chars), spans


def read_wikievents(path: str | Path, skipped: list[str] | None = None) -> list[WikiDocument]:
    """Read WikiEvents JSONL: documents with token-indexed event triggers and arguments."""
    # A document with one bad mention is left out whole: its gold would be incomplete.
    return _each_item(
        _jsonl(path, skipped), lambda line, record: _wiki_document(path, line, record), skipped
    )


def _wiki_document(path: str | Path, line: int, record: dict[str, Any]) -> WikiDocument:
    """One WikiEvents document; any malformed mention makes the whole document malformed."""
    where = f"line {line} (doc {record.get('doc_id', '?')})"
    for key in ("doc_id", "sentences", "entity_mentions", "event_mentions"):
        if key not in record:
            raise GoldFormatError(path, where, f"missing {key!r}")
    text, spans = _wiki_text(path, where, record["sentences"])
    flat = [span for sentence in spans for span in sentence]
    entities = {}
    for entity in record["entity_mentions"]:
        try:
            first, last = flat[int(entity["start"])], flat[int(entity["end"]) - 1]
            entities[entity["id"]] = (first[0], last[1])
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise GoldFormatError(path, where, f"bad entity mention {entity!r}") from error
    events = []
    for mention in record["event_mentions"]:
        try:
            trigger = mention["trigger"]
            first, last = flat[int(trigger["start"])], flat[int(trigger["end"]) - 1]
            arguments = tuple(
                WikiArgument(
                    arg["role"],
                    *entities[arg["entity_id"]],
                    text[slice(*entities[arg["entity_id"]])],
                )
                for arg in mention.get("arguments", [])
            )
            events.append(
                WikiEvent(
                    mention["event_type"],
                    Span(first[0], last[1], text[first[0] : last[1]]),
                    arguments,
                )
            )
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise GoldFormatError(
                path,
                where,
                f"bad event mention {mention.get('id', mention)!r}: "
                f"{type(error).__name__} {error}",
            ) from error
    return WikiDocument(str(record["doc_id"]), text, tuple(events))
