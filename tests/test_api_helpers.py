"""Shared builders for the API and web tests: a hand-made database and a real uvicorn server.

No tests live here; ``test_api_*`` and ``test_web_*`` import these helpers (pytest puts the
tests folder on ``sys.path``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx

from sitreps.records import (
    Actor,
    Analysis,
    Article,
    ControlClaim,
    Event,
    Fatalities,
    Mention,
    Place,
    Relation,
    Source,
)
from sitreps.store.duckdb import Store

TOKEN = "test-token-0123456789abcdef"
XSS_ID = "xss-article"
XSS_TEXT = (
    "Militia fighters attacked Kafr Nabl on Friday. <script>window.__pwned = 1</script> "
    "Witnesses said <img src=x onerror=\"window.__pwned = 2\"> nobody was hurt."
)
ACTORS = (
    Actor("gov", "Government forces", kind="state forces", inter_code=1, country="Syria"),
    Actor("reb", "Rebel Front", aliases=("the Front",), kind="rebel group", inter_code=2),
    Actor("mil", "Hill Militia", kind="political militia", inter_code=3),
    Actor("ext", "Foreign Legion", kind="external/other force", inter_code=8),
)
PLACES = (
    Place("gn:1", "Sample", "Syria", "Idlib", latitude=35.9, longitude=36.6),
    Place("gn:2", "Example", "Syria", "Aleppo", latitude=36.2, longitude=37.1),
    Place("gn:3", "Kafr Nabl", "Syria", "Idlib", latitude=35.6, longitude=36.5),
    Place("gn:4", "Farville", "Iraq", "Nineveh", latitude=36.3, longitude=43.1),
)
TYPES = (
    ("Battles", "Armed clash", "FIGHT", "clashed with"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", "shelled"),
    ("Violence against civilians", "Attack", "ASSAULT", "attacked"),
    ("Protests", "Peaceful protest", "PROTEST", "protested in"),
)
START = date(2020, 1, 1)


@dataclass(frozen=True)
class Sample:
    """What the sample database holds, for assertions."""

    path: Path
    events: int
    articles: int


def make_article_analysis(i: int) -> Analysis:
    """Article ``i`` with one event whose source sentence is sliced from its text."""
    etype, sub, plover, verb = TYPES[i % len(TYPES)]
    actor1, actor2 = ACTORS[i % 3], ACTORS[(i + 1) % 3]
    place = PLACES[i % len(PLACES)]
    day = START + timedelta(days=i * 3)
    sentence = f"{actor1.name} {verb} {actor2.name} near {place.name} on day {i}."
    text = f"Report {i}. {sentence} Officials gave no further details."
    start = text.index(sentence)
    article_id = f"art{i:03d}"
    src = Source(article_id, sentence, start, start + len(sentence))
    event = Event(
        id=f"ev{i:03d}", event_type=etype, sub_event_type=sub, plover_type=plover,
        trigger=verb, event_date=day, time_precision=1, actor1=actor1.id, actor2=actor2.id,
        place_id=place.id, geo_precision=1,
        fatalities=Fatalities(i % 7, i % 7 + 2, str(i % 7)) if i % 5 else None,
        modality="asserted" if i % 6 else "reported", sources=(src,), stage="test.v1",
    )
    relations = (Relation(actor1.id, "fights", actor2.id, day, (src,), "test.v1"),)
    if i % 4 == 0:
        relations += (Relation("ext", "backs", actor1.id, day, (src,), "test.v1"),)
    claims = ()
    if i % 3 == 0:
        change = "gained" if i % 2 == 0 else "lost"
        claims = (ControlClaim(place.id, actor1.id, change, day, (src,), "test.v1"),)
    return Analysis(
        article=Article(article_id, text, title=f"Report {i}", published=day, url=None),
        mentions=(
            Mention(article_id, 1, start, start + len(actor1.name), actor1.name, "ACTOR",
                    actor1.id, "test.v1"),
        ),
        actors=ACTORS,
        places=PLACES,
        events=(event,),
        relations=relations,
        control_claims=claims,
    )


def xss_analysis() -> Analysis:
    """An article whose text holds markup that must be shown as text, never run."""
    sentence = "Militia fighters attacked Kafr Nabl on Friday."
    src = Source(XSS_ID, sentence, 0, len(sentence))
    event = Event(
        id="ev-xss", event_type="Violence against civilians", sub_event_type="Attack",
        plover_type="ASSAULT", trigger="attacked", event_date=START + timedelta(days=400),
        actor1="mil", place_id="gn:3", geo_precision=1, sources=(src,), stage="test.v1",
    )
    return Analysis(
        article=Article(XSS_ID, XSS_TEXT, title="<b>Markup</b> in title",
                        published=event.event_date),
        actors=ACTORS, places=PLACES, events=(event,),
    )


def build_sample_db(path: Path, n: int = 120) -> Sample:
    """A real DuckDB file with ``n`` generated articles plus the markup article."""
    analyses = [make_article_analysis(i) for i in range(n)] + [xss_analysis()]
    with Store(path) as store:
        for analysis in analyses:
            store.add_article(analysis.article)
        store.save_analyses(analyses)
    return Sample(path=path, events=n + 1, articles=n + 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(app: object) -> Iterator[str]:
    """Run ``app`` in a real uvicorn server on a free local port; yield its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=20)
