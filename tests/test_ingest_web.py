"""Tests for sitreps.ingest URLs and feeds, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitreps.ingest import fetch, read_sources
from sitreps.records import Article, IngestError

DATA = Path(__file__).parent / "data" / "ingest"

LINK_ONLY_FEED = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Links</title>
<entry><title>Market shelled</title><link href="{base}/page"/>
<updated>2019-07-22T10:00:00Z</updated><id>urn:1</id></entry>
</feed>"""


class Handler(BaseHTTPRequestHandler):
    """Serve canned responses by path."""

    requests: list[tuple[str, str]] = []

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def reply(self, body: bytes, content_type: str, status: int = 200) -> None:
        """Send a complete response."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        """Route a GET request."""
        Handler.requests.append((self.path, self.headers.get("User-Agent", "")))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/page":
            self.reply((DATA / "article.html").read_bytes(), "text/html; charset=utf-8")
        elif self.path == "/feed":
            self.reply((DATA / "feed.rss").read_bytes(), "application/rss+xml")
        elif self.path == "/feed-as-text":
            self.reply((DATA / "feed.rss").read_bytes(), "text/plain")
        elif self.path == "/links-feed":
            self.reply(LINK_ONLY_FEED.replace(b"{base}", base.encode()), "application/atom+xml")
        elif self.path == "/not-a-feed":
            self.reply(b"this is not XML { at all", "application/rss+xml")
        elif self.path == "/plain":
            self.reply(
                b"Rebels shelled the government-held district of Hamdaniyeh on Sunday, "
                b"state media said.",
                "text/plain; charset=utf-8",
            )
        elif self.path == "/slow":
            time.sleep(2)
            self.reply(b"late", "text/plain")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path.startswith("/hop"):
            n = int(self.path[4:] or 0)
            self.send_response(302)
            self.send_header("Location", f"/hop{n + 1}" if n < 10 else "/page")
            self.end_headers()
        elif self.path == "/redirect-once":
            self.send_response(301)
            self.send_header("Location", "/page")
            self.end_headers()
        elif self.path == "/big":
            self.reply(b"x" * 5000, "text/plain")
        else:
            self.reply(b"missing", "text/plain", 404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Run the canned server in a thread and yield its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def read(*sources: str, **kwargs: object) -> list[Article | IngestError]:
    """Read sources into a list."""
    return list(read_sources(list(sources), **kwargs))  # type: ignore[arg-type]


def test_ingest_url_page(server: str) -> None:
    (article,) = read(f"{server}/page")
    assert isinstance(article, Article)
    assert article.title == "Shelling hits market in Maarat al-Numan"
    assert article.published == date(2019, 7, 22)
    assert article.url == f"{server}/page"
    assert article.origin == f"{server}/page"
    assert "vegetable market" in article.text
    assert ("/page", "sitreps/0.1") in Handler.requests


def test_ingest_url_follows_one_redirect(server: str) -> None:
    (article,) = read(f"{server}/redirect-once")
    assert isinstance(article, Article) and article.url == f"{server}/page"


def test_ingest_url_feed_yields_entries_without_fetching_links(server: str) -> None:
    Handler.requests.clear()
    records = read(f"{server}/feed")
    assert [r.title for r in records if isinstance(r, Article)] == [
        "Convoy attacked near Deir Ezzor",
        "Ceasefire talks resume in Astana",
    ]
    assert [path for path, _ in Handler.requests] == ["/feed"]


def test_ingest_url_feed_sniffed_from_body(server: str) -> None:
    records = read(f"{server}/feed-as-text")
    assert len(records) == 2 and all(isinstance(r, Article) for r in records)


def test_ingest_url_feed_entry_without_text_fetches_link(server: str) -> None:
    (article,) = read(f"{server}/links-feed")
    assert isinstance(article, Article)
    assert article.url == f"{server}/page" and "vegetable market" in article.text


def test_ingest_url_feed_not_xml(server: str) -> None:
    (error,) = read(f"{server}/not-a-feed")
    assert isinstance(error, IngestError)
    assert error.reason.startswith("not a valid RSS/Atom feed")


def test_ingest_url_plain_text(server: str) -> None:
    (article,) = read(f"{server}/plain")
    assert isinstance(article, Article) and article.text.startswith("Rebels shelled")


def test_ingest_url_http_error(server: str) -> None:
    (error,) = read(f"{server}/nothing-here")
    assert isinstance(error, IngestError) and error.reason == "HTTP error 404 Not Found"


def test_ingest_url_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (error,) = read(f"http://127.0.0.1:{port}/")
    assert isinstance(error, IngestError)
    assert error.reason.startswith("could not connect")
    assert error.origin == f"http://127.0.0.1:{port}/"


def test_ingest_url_timeout(server: str) -> None:
    started = time.monotonic()
    (error,) = read(f"{server}/slow", timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert isinstance(error, IngestError) and error.reason.startswith("timed out")


def test_ingest_url_redirect_loop(server: str) -> None:
    (error,) = read(f"{server}/loop")
    assert isinstance(error, IngestError) and "redirect" in error.reason


def test_ingest_url_too_many_redirects(server: str) -> None:
    (error,) = read(f"{server}/hop0")
    assert isinstance(error, IngestError) and "redirect" in error.reason


def test_ingest_url_response_too_large(server: str) -> None:
    result = fetch(f"{server}/big", max_bytes=1000)
    assert isinstance(result, IngestError) and "too large" in result.reason


def test_ingest_url_rejects_other_schemes() -> None:
    result = fetch("file:///etc/passwd")
    assert isinstance(result, IngestError) and result.reason == "not an http(s) URL"
