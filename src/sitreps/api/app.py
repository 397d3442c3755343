"""The sitreps HTTP API and dashboard: a thin FastAPI shell over the query library.

Every route makes one :class:`sitreps.query.Reader` call and serialises its typed answer
(:func:`sitreps.query.as_dict`): the CLI asks the same library, so both give the same events,
ids and totals. Read-only by default. The DuckDB file is attached read-only once per process
and every request reads through its own cursor; see ``database.Database`` for what DuckDB's
single-writer lock means for other processes. ``POST /api/ingest`` exists only with
``allow_ingest=True`` and a bearer token.
"""

from __future__ import annotations

import hmac
import io
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitreps.api import models
from sitreps.api.database import Database
from sitreps.api.ingest import Extractor, ingest_payload
from sitreps.config import Config, load_config
from sitreps.export import EXPORTERS, export
from sitreps.knowledge.package import load_knowledge
from sitreps.query import (
    MAX_CELLS,
    EventDetail,
    EventFilter,
    EventQuery,
    Reader,
    as_dict,
    factual_filter,
    parse_bbox,
)

MAX_BODY_BYTES = 1_000_000
MAX_PAGE = 500
MAX_OFFSET = 1_000_000
# Every format the CLI writes (``sitreps.export.EXPORTERS``), with its download name: one
# name per format, so an ACLED CSV saved next to the plain CSV does not overwrite it.
ExportFormat = Literal["json", "csv", "acled-csv", "geojson", "parquet"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
_MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "acled-csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}
EXPORT_NAMES = {
    "json": "sitreps-export.json",
    "csv": "sitreps-events.csv",
    "acled-csv": "sitreps-acled.csv",
    "geojson": "sitreps-events.geojson",
    "parquet": "sitreps-events.parquet",
}
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "geolocation=(), camera=(), microphone=()",
}
assert set(EXPORT_FORMATS) == set(EXPORTERS), "the API must offer every format the CLI writes"
# Free text in query strings: bounded, and no control characters (DuckDB and logs dislike them).
# Every modality an event may have; a request that names none gets the factual ones.
Modality = Literal["asserted", "reported", "hedged", "negated", "future", "background"]
_TEXT = {"max_length": 200, "pattern": r"^[^\x00-\x1f\x7f]*$"}


class IngestTokenMissing(RuntimeError):
    """--allow-ingest needs a token: set SITREPS_TOKEN to a long random string."""


def web_dir() -> Path:
    """The packaged dashboard files."""
    return Path(str(resources.files("sitreps").joinpath("web")))


class GuardMiddleware:
    """Adds the security headers to every answer and refuses bodies over ``max_body`` bytes.

    A plain ASGI middleware (not ``BaseHTTPMiddleware``) so streamed exports pass through
    untouched; it wraps the whole stack, error pages included.
    """

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            answer = JSONResponse(
                {"detail": f"Request body larger than {self.max_body} bytes."}, status_code=413
            )
            await answer(scope, receive, send_guarded)
            return
        received = 0

        async def receive_bounded() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, f"Request body larger than {self.max_body} bytes.")
            return message

        await self.app(scope, receive_bounded, send_guarded)


class ResponseCache:
    """Keeps the bytes of successful ``GET /api/...`` answers per database generation.

    A served database cannot change under the server (DuckDB's lock keeps other writers out)
    except through ``POST /api/ingest``, which bumps :attr:`Database.generation`; so an answer
    is a function of (generation, path, query string) and need not be recomputed while they
    stay the same (issue 16: the dashboard asks the same first pages, stats and timelines again
    and again; a query and its JSON cost 10-30 ms, a cached answer well under one). Streamed
    exports, ingest and error answers are never kept; the cache is bounded by entries and bytes
    and forgets the least recently used first. ``SITREPS_API_CACHE=0`` turns it off.
    """

    SKIP = ("/api/export", "/api/ingest")

    def __init__(
        self, app: ASGIApp, db: Database, *, entries: int = 512, max_bytes: int = 64 << 20,
        max_entry_bytes: int = 4 << 20,
    ) -> None:
        self.app = app
        self.db = db
        self.entries = entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._kept: OrderedDict[tuple[int, str, bytes], tuple[Message, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.enabled = os.environ.get("SITREPS_API_CACHE", "1") != "0"

    def _cacheable(self, scope: Scope) -> bool:
        if not self.enabled or scope["type"] != "http" or scope.get("method") != "GET":
            return False  # lifespan and websocket scopes have no method (nor path)
        path = scope.get("path", "")
        return path.startswith("/api/") and not path.startswith(self.SKIP)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = (self.db.generation, scope["path"], scope.get("query_string", b""))
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
        if kept is not None:
            start, body = kept
            await send({**start, "headers": list(start["headers"])})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        start_message: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def send_keeping(message: Message) -> None:
            nonlocal start_message, size
            if message["type"] == "http.response.start":
                if message.get("status") == 200:
                    start_message = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body" and start_message is not None:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_entry_bytes:
                    start_message = None
                    chunks.clear()
                elif not message.get("more_body", False):
                    # Kept before the last bytes leave, so the next request finds it.
                    self._keep(key, start_message, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, send_keeping)

    def _keep(self, key: tuple[int, str, bytes], start: Message, body: bytes) -> None:
        with self._lock:
            if key in self._kept:
                return
            # Entries of an older generation can never be served again: drop them first.
            for old in [k for k in self._kept if k[0] != key[0]]:
                self.size -= len(self._kept.pop(old)[1])
            self._kept[key] = (start, body)
            self.size += len(body)
            while self._kept and (len(self._kept) > self.entries or self.size > self.max_bytes):
                self.size -= len(self._kept.popitem(last=False)[1][1])


class SitrepsAPI(FastAPI):
    """FastAPI with the guard outside every other layer, so even 500 pages get the headers,
    and the response cache inside it (cached answers get the headers too)."""

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        db = getattr(self.state, "db", None)
        if db is not None:
            self.state.response_cache = stack = ResponseCache(stack, db)
        return GuardMiddleware(stack)


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "body"))
        parts.append(f"{where or 'request'}: {item.get('msg', 'invalid')}")
    return "; ".join(parts)


def _event_query(
    since: date | None = None,
    until: date | None = None,
    type: Annotated[str | None, Query(description="Event, sub-event or PLOVER type.", **_TEXT)]
    = None,
    actor: Annotated[str | None, Query(description="Actor name substring or id.", **_TEXT)]
    = None,
    place: Annotated[
        str | None, Query(description="Place, admin1 or country substring, or id.", **_TEXT)
    ] = None,
    bbox: Annotated[
        str | None, Query(description="minlon,minlat,maxlon,maxlat", max_length=100)
    ] = None,
    q: Annotated[str | None, Query(description="Words in the source sentences.", **_TEXT)]
    = None,
    modality: Annotated[list[Modality] | None, Query()] = None,
) -> EventQuery:
    """Read the shared event filters from the query string."""
    if since and until and since > until:
        raise HTTPException(422, "since must be on or before until")
    box = None
    if bbox:
        try:
            box = parse_bbox(bbox)
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
    # With no modality asked for, only factual events in ACLED's vocabulary count, as in
    # the CLI, exports and reports.
    fields = dict(event_type=type, actor=actor, place=place, since=since, until=until)
    where = EventFilter(modality=tuple(modality), **fields) if modality else factual_filter(
        **fields)
    return EventQuery(where=where, bbox=box, q=(q.strip() or None) if q else None)


def _request_reader(request: Request) -> Iterator[Reader]:
    """The query library on a fresh cursor, for one request."""
    with request.app.state.db.reader() as reader:
        yield reader


def _detail(detail: EventDetail) -> dict[str, Any]:
    """A merged event with its mentions, as ``models.EventDetail``."""
    return {**as_dict(detail.event), "fatalities_best": detail.event.fatalities,
            "member_ids": list(detail.member_ids), "mentions": as_dict(detail.mentions)}


Filters = Annotated[EventQuery, Depends(_event_query)]
Read = Annotated[Reader, Depends(_request_reader)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, 1..{MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def _warm_gazetteer() -> None:
    from sitreps.geo.gazetteer import get_gazetteer  # imported here: it loads rapidfuzz

    get_gazetteer()


def create_app(
    db_path: str | Path,
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    extract: Extractor | None = None,
    allow_private_urls: bool = False,
    config: Config | None = None,
) -> FastAPI:
    """Build the API and dashboard app over one sitreps database.

    Args:
        db_path: the DuckDB file; it must exist unless ``allow_ingest`` is set.
        allow_ingest: open the file for writing and enable ``POST /api/ingest``.
        token: the bearer token ingest requires; defaults to ``$SITREPS_TOKEN``.
        extract: replaces ``jobs.extract_pending`` (tests use it to avoid loading spaCy).
        allow_private_urls: let ingest URLs reach loopback and private networks (an operator's
            choice, e.g. an intranet feed); refused by default.
        config: the config the file is built with (``sitreps serve --config``): ingest runs
            with it, and its knowledge files say which event types the answers leave out and
            how events are merged in memory; the packaged defaults when ``None``.

    Returns:
        A FastAPI app; serve it with uvicorn (``sitreps serve``).
    """
    token = token if token is not None else os.environ.get("SITREPS_TOKEN")
    if allow_ingest and not token:
        raise IngestTokenMissing("--allow-ingest needs SITREPS_TOKEN set to a long random string.")
    knowledge = load_knowledge(config.knowledge_files) if config is not None else None
    db = Database(db_path, writable=allow_ingest, knowledge=knowledge)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Control queries by alias read the gazetteer, whose first build on a fresh install takes
        # seconds: start it now, beside the server, not inside a user's first request.
        threading.Thread(target=_warm_gazetteer, name="warm-gazetteer", daemon=True).start()
        yield
        db.close()  # releases DuckDB's file lock when uvicorn stops

    app = SitrepsAPI(
        lifespan=lifespan,
        title="sitreps",
        summary="Conflict events extracted from news, with their sources.",
        version="1",
        docs_url=None,
        redoc_url=None,
        # Every error body is {"detail": "message"}, validation errors included.
        responses={422: {"model": models.Problem, "description": "Bad parameters."}},
    )
    app.state.db = db

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return _problem(422, _validation_message(error))

    @app.exception_handler(Exception)
    async def crashed(_: Request, error: Exception) -> JSONResponse:
        return _problem(500, "Internal error; see the server log.")

    @app.get("/api/events", response_model=models.EventPage, tags=["events"])
    def list_events(reader: Read, filters: Filters, limit: Limit = 50, offset: Offset = 0):
        """Events matching the filters, newest first, one page at a time."""
        query = replace(filters, where=replace(filters.where, limit=limit, offset=offset))
        return as_dict(reader.events(query, sources=False, count=True))

    @app.get(
        "/api/events/{event_id}", response_model=models.EventDetail, tags=["events"],
        responses={404: {"model": models.Problem}},
    )
    def get_event(event_id: str, reader: Read):
        """One merged event, by its merged (m-...) or a member's id, with the sentences and
        articles it was read from and its per-article mentions."""
        detail = reader.event(event_id)
        if detail is None:
            raise HTTPException(404, f"No event {event_id!r}.")
        return _detail(detail)

    @app.get("/api/clusters", response_model=models.ClusterAnswer, tags=["events"])
    def clusters(
        reader: Read,
        filters: Filters,
        cell: Annotated[float, Query(ge=0.001, le=45, description="Cell size in degrees.")] = 1.0,
    ):
        """Events grouped into grid cells for the map, so it never loads every event."""
        answer = as_dict(reader.clusters(filters, cell))
        # A full page of cells may have left some out: say so, as the map has always heard.
        answer["truncated"] = answer["truncated"] or len(answer["clusters"]) >= MAX_CELLS
        return answer

    @app.get("/api/timeline", response_model=models.TimelineAnswer, tags=["aggregates"])
    def get_timeline(
        reader: Read, filters: Filters, interval: Literal["day", "week", "month"] = "day"
    ):
        """Events and fatalities per day, week or month."""
        return {"interval": interval, "points": as_dict(reader.timeline(filters, interval))}

    @app.get("/api/stats", response_model=models.StatsAnswer, tags=["aggregates"])
    def get_stats(reader: Read, filters: Filters):
        """Totals and counts by month, event type, actor and admin1."""
        return as_dict(reader.stats(filters))

    @app.get("/api/actors", response_model=models.ActorPage, tags=["actors"])
    def list_actors(
        reader: Read,
        name: Annotated[str | None, Query(**_TEXT)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Actors, most active first (by the merged factual events they take part in)."""
        return as_dict(reader.actors(name, limit, offset))

    @app.get(
        "/api/actors/{actor_id}", response_model=models.ActorDetail, tags=["actors"],
        responses={404: {"model": models.Problem}},
    )
    def get_actor(
        actor_id: str,
        reader: Read,
        events: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 50,
    ):
        """One actor with its relations and recent events."""
        detail = reader.actor(actor_id, events)
        if detail is None:
            raise HTTPException(404, f"No actor {actor_id!r}.")
        return {**as_dict(detail.actor), "event_count": detail.event_count,
                "relations": as_dict(detail.relations), "events": as_dict(detail.events)}

    @app.get("/api/relations", response_model=models.RelationAnswer, tags=["actors"])
    def list_relations(
        reader: Read,
        actor: Annotated[str | None, Query(description="Actor id.", **_TEXT)] = None,
        predicate: Literal["backs", "allied_with", "fights", "part_of", "leads"] | None = None,
        limit: Annotated[int, Query(ge=1, le=2000)] = 500,
    ):
        """Relations between actors, each with the sentences that state it."""
        return {"items": as_dict(reader.relations(actor, predicate, limit))}

    @app.get("/api/control", response_model=models.ControlAnswer, tags=["control"])
    def get_control(reader: Read, at: date | None = None):
        """Every place's state on ``at`` (default: by the latest claims), as `sitreps control`
        gives it: held, disputed (sources disagree) or unknown, with each claim's sources."""
        return {"at": at, "items": as_dict(reader.control_map(at))}

    @app.get("/api/control/claims", response_model=models.ControlClaimsAnswer,
             tags=["control"])
    def get_control_claims(
        reader: Read,
        place: Annotated[str | None, Query(description="Place name, alias or id.", **_TEXT)]
        = None,
        at: date | None = None,
    ):
        """Every control claim (oldest first), for a place or all places, on or before ``at``:
        what the states of /api/control are folded from, as `sitreps control --claims`."""
        return {"at": at, "items": as_dict(reader.claims(place, at))}

    @app.get(
        "/api/articles/{article_id}", response_model=models.ArticleOut, tags=["articles"],
        responses={404: {"model": models.Problem}},
    )
    def get_article(article_id: str, reader: Read):
        """An article's text with the offsets of its mentions and event sentences."""
        article = as_dict(reader.article(article_id))
        if article is None:
            raise HTTPException(404, f"No article {article_id!r}.")
        return article

    @app.get(
        "/api/export", tags=["export"],
        responses={200: {"content": {m: {} for m in set(_MEDIA.values())}}},
    )
    def export_events(
        filters: Filters,
        format: ExportFormat = "json",
        all: Annotated[bool, Query(description=(
            "Also export background, hedged, negated and future mentions and PLOVER-only "
            "acts, as `sitreps export --all` (default: factual events in ACLED's vocabulary)."
        ))] = False,
    ) -> StreamingResponse:
        """What `sitreps export` writes, streamed (bbox and q do not apply to exports)."""
        where = filters.where
        if all and where.acled_only:  # the factual default; a modality asked for stands
            where = replace(where, modality=None, acled_only=False)
        return StreamingResponse(
            _stream_export(db, format, where),
            media_type=_MEDIA[format],
            headers={"content-disposition": f'attachment; filename="{EXPORT_NAMES[format]}"'},
        )

    @app.post(
        "/api/ingest", response_model=models.IngestAnswer, tags=["ingest"],
        responses={
            401: {"model": models.Problem}, 403: {"model": models.Problem},
            400: {"model": models.Problem}, 413: {"model": models.Problem},
        },
    )
    def post_ingest(body: models.IngestRequest, request: Request):
        """Store URLs and texts and extract events (needs --allow-ingest and the token)."""
        if not allow_ingest:
            raise HTTPException(403, "Ingest is disabled; start the server with --allow-ingest.")
        _check_token(request, token or "")
        texts = [t.model_dump() for t in body.texts]
        with db.write_lock, db.store() as store:
            answer = ingest_payload(
                store, [str(u) for u in body.urls], texts, config or load_config(),
                **({"extract": extract} if extract else {}),
                allow_private_urls=allow_private_urls,
            )
        db.invalidate_text_index()
        return answer

    @app.get("/openapi-docs", include_in_schema=False)
    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(web_dir() / "docs.html")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(web_dir() / "index.html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        path = web_dir() / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise HTTPException(404, f"No file {name!r}.")
        return FileResponse(path)

    return app


def _check_token(request: Request, token: str) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise HTTPException(401, "Missing or wrong bearer token.", {"WWW-Authenticate": "Bearer"})


class _ChunkWriter(io.RawIOBase):
    """A write-only stream that hands each chunk to a bounded queue, for streaming exports.

    The queue bounds memory when the client reads slowly; ``cancelled`` stops the exporter
    when the client goes away instead of leaving its thread blocked forever.
    """

    def __init__(
        self, chunks: queue.Queue[bytes | BaseException | None], cancelled: threading.Event
    ) -> None:
        self.chunks = chunks
        self.cancelled = cancelled

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        while chunk:
            try:
                self.chunks.put(chunk, timeout=0.5)
                break
            except queue.Full:
                if self.cancelled.is_set():
                    raise BrokenPipeError("export client went away") from None
        return len(chunk)


def _stream_export(db: Database, fmt: str, where: EventFilter) -> Iterator[bytes]:
    """Run the exporter in a thread and yield what it writes, without touching the disk."""
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=64)
    cancelled = threading.Event()

    def produce() -> None:
        try:
            with db.reader() as reader:
                export(reader, fmt, _ChunkWriter(chunks, cancelled), where, db.knowledge)
            end: BaseException | None = None
        except BaseException as error:  # handed to the consumer, which re-raises it
            end = error
        while not cancelled.is_set():
            try:
                chunks.put(end, timeout=0.5)
                return
            except queue.Full:
                continue

    threading.Thread(target=produce, name="sitreps-export", daemon=True).start()
    try:
        while (chunk := chunks.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        cancelled.set()
